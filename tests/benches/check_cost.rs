//! What compiling a generated client costs its user, by the size of what they enable: the
//! five enrollment operations (our spec), the slice of Okta's `User` tag, and Okta's whole
//! document with a cargo feature per tag: one feature (the five operations' own tag, and
//! `user`, each beside the slice of the same operations), two (`user,group`) and all.
//!
//! `cargo bench -p okgen-tests --bench check_cost` writes each client as a standalone crate
//! under `target/okgen-bench/check/` (one shared target directory, so dependencies are checked
//! once, first), then times `cargo check` of the client alone (its `src/lib.rs` touched,
//! `CARGO_INCREMENTAL=0`), the median of three, and prints CPU seconds (user + system of
//! cargo and rustc), rustc's peak memory, and each figure's ratio to the five-operation crate.
//! It needs `../shared/okta/`. It measures, it asserts nothing (speed goals are not tests).

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, SystemTime};

use okgen_tests::{median, timed, workspace, Timed};

/// One `cargo check` of the crate in `dir`, after touching its `src/lib.rs`.
fn check(dir: &Path, target: &Path, features: &[&str]) -> Timed {
    std::thread::sleep(Duration::from_millis(1100));
    if let Ok(file) = std::fs::File::options()
        .append(true)
        .open(dir.join("src/lib.rs"))
    {
        let _ = file.set_modified(SystemTime::now());
    }
    timed(
        Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()))
            .arg("check")
            .args(features)
            .current_dir(dir)
            .env("CARGO_TARGET_DIR", target)
            .env("CARGO_INCREMENTAL", "0")
            .env_remove("RUSTFLAGS"),
    )
}

/// The median CPU seconds and peak MB of three checks (after a first one, which also checks the
/// dependencies).
fn measure(dir: &Path, target: &Path, features: &[&str]) -> Option<(f64, f64)> {
    if !check(dir, target, features).ok {
        return None;
    }
    let runs: Vec<Timed> = (0..3).map(|_| check(dir, target, features)).collect();
    Some((
        median(runs.iter().map(|r| r.cpu).collect()),
        median(runs.iter().map(|r| r.peak_mb).collect()),
    ))
}

fn write(dir: &Path, config: &okgen::Config) -> bool {
    match okgen::generate_source(config)
        .and_then(|generated| okgen::write_standalone_crate(dir, &generated))
    {
        Ok(()) => true,
        Err(e) => {
            eprintln!("cannot write {}: {e}", dir.display());
            false
        }
    }
}

fn main() {
    let root = workspace();
    let work = root.join("target/okgen-bench/check");
    let target = work.join("target");
    let okta = root.join("../shared/okta/management-minimal.yaml");
    if !okta.exists() {
        println!("check cost: skipped ({} is missing)", okta.display());
        return;
    }
    // Our five operations, as the generated crate has them.
    let Ok(enrollments) = okgen::Config::from_file(root.join("spec/codegen.yaml")) else {
        eprintln!("spec/codegen.yaml does not load");
        return;
    };
    let mut user_slice = okgen::Config::new(&okta);
    user_slice.select_tag("User");
    let mut whole = okgen::Config::new(&okta);
    whole.features(okgen::Features::PerTag);
    let crates: [(&str, PathBuf, &okgen::Config); 3] = [
        ("enrollments", work.join("enrollments"), &enrollments),
        ("user_slice", work.join("user_slice"), &user_slice),
        ("okta_whole", work.join("okta_whole"), &whole),
    ];
    for (_, dir, config) in &crates {
        if !write(dir, config) {
            return;
        }
    }
    // Each case, and the case it is also compared with (beside the 5 operations): one tag of
    // the whole document against the slice of the same operations.
    let cases: [(&str, &Path, &[&str], Option<usize>); 6] = [
        ("the 5 enrollment operations (spec/)", &crates[0].1, &[], None),
        ("the slice of Okta's `User` tag", &crates[1].1, &[], None),
        (
            "Okta's whole document, `--features user-authenticator-enrollments` (the 5 operations' tag)",
            &crates[2].1,
            &[
                "--no-default-features",
                "--features",
                "user-authenticator-enrollments",
            ],
            // Its slice is the 5 operations, the ratio every case prints.
            None,
        ),
        (
            "Okta's whole document, `--features user`",
            &crates[2].1,
            &["--no-default-features", "--features", "user"],
            Some(1),
        ),
        (
            "Okta's whole document, `--features user,group`",
            &crates[2].1,
            &["--no-default-features", "--features", "user,group"],
            None,
        ),
        ("Okta's whole document, every feature", &crates[2].1, &[], None),
    ];
    let mut measured: Vec<Option<f64>> = Vec::with_capacity(cases.len());
    for (name, dir, features, against) in cases {
        let Some((cpu, peak)) = measure(dir, &target, features) else {
            println!("cargo check, {name}: failed");
            measured.push(None);
            continue;
        };
        measured.push(Some(cpu));
        let base = measured.first().copied().flatten().unwrap_or(cpu);
        let slice = match against.and_then(|i| measured.get(i).copied().flatten()) {
            Some(slice) => {
                format!(", {:.2}x the slice of the same tag", cpu / slice)
            }
            _ => String::new(),
        };
        println!(
            "cargo check, {name}: {cpu:.1} s CPU ({:.2}x the 5 operations{slice}), peak {peak:.0} MiB ({:.2} GB)",
            cpu / base,
            peak * 1024.0 * 1024.0 / 1e9,
        );
    }
}
