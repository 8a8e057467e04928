//! Generation speed, by stage, on our spec and on Okta's whole document (when `../shared` is
//! beside the repository). Run with `cargo bench -p okgen`; it measures, it asserts nothing.
//! Goals: the whole document (3.4 MB, 485 paths) in well under the time a consumer's build takes
//! to compile the result, and work linear in the document's size.

use std::path::Path;
use std::time::{Duration, Instant};

fn best_of<T>(runs: usize, mut f: impl FnMut() -> T) -> (Duration, T) {
    let mut best = Duration::MAX;
    let mut last = None;
    for _ in 0..runs {
        let start = Instant::now();
        let out = f();
        best = best.min(start.elapsed());
        last = Some(out);
    }
    match last {
        Some(out) => (best, out),
        None => (best, f()),
    }
}

fn bench(name: &str, spec: &Path, runs: usize) {
    let config = okgen::Config::new(spec);
    let (load, doc) = best_of(runs, || config.load());
    let Ok(doc) = doc else {
        eprintln!("{name}: cannot load {}", spec.display());
        return;
    };
    let (lower, api) = best_of(runs, || okgen::lower_document(&doc, config.selection()));
    let Ok(api) = api else {
        eprintln!("{name}: cannot lower");
        return;
    };
    let (emit, source) = best_of(runs, || okgen::emit(&api));
    let lines = source.map(|s| s.lines().count()).unwrap_or(0);
    println!(
        "{name}: load {load:.2?}, lower {lower:.2?}, emit+format {emit:.2?} ({} operations, {} types, {lines} lines; best of {runs})",
        api.operations.len(),
        api.types.len()
    );
}

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    bench(
        "spec/ slice",
        &root.join("spec/okta-authenticator-enrollments.yaml"),
        20,
    );
    let okta = root.join("../shared/okta/management-minimal.yaml");
    if okta.exists() {
        bench("Okta's whole document", &okta, 3);
    } else {
        println!(
            "Okta's whole document: skipped ({} is missing)",
            okta.display()
        );
    }
}
