//! Generation speed, by stage, on our spec and on Okta's whole document (when `../shared` is
//! beside the repository). Run with `cargo bench -p okgen` (or `cargo bench -p okgen -- selection`
//! for the benchmarks whose name holds a word); it measures, it asserts nothing.
//! Goals: the whole document (3.4 MB, 485 paths) in well under the time a consumer's build takes
//! to compile the result, selecting a few operations of it at little more than the cost of a
//! bare `serde_yaml` → `openapiv3` parse of the same text (the peer, side by side), and work
//! and memory linear in the document's size (Okta's document copied 1, 2 and 4 times; time and
//! peak memory of a whole `okgen generate` process, measured with `/usr/bin/time -v`).

use std::path::{Path, PathBuf};
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
    match doc {
        Ok(doc) => bench_stages(name, load, &doc, runs),
        Err(e) => eprintln!("{name}: cannot load {}: {e}", spec.display()),
    }
}

/// Times lowering and emitting a loaded document (every operation), and prints them with the
/// load time.
fn bench_stages(name: &str, load: Duration, doc: &okgen::load::Document, runs: usize) {
    let (lower, api) = best_of(runs, || {
        okgen::lower_document(doc, &okgen::Selection::default())
    });
    let api = match api {
        Ok(api) => api,
        Err(e) => {
            eprintln!("{name}: cannot lower: {e}");
            return;
        }
    };
    let (emit, source) = best_of(runs, || okgen::emit(&api));
    let lines = source.map(|s| s.lines().count()).unwrap_or(0);
    println!(
        "{name}: load {load:.2?}, lower {lower:.2?}, emit+format {emit:.2?} ({} operations, {} types, {lines} lines; best of {runs})",
        api.operations.len(),
        api.types.len()
    );
}

/// `count` distinct names that all map to the same Rust identifier (`A` as a type, `a` as a
/// method): `a` or `A`, with runs of `.`, `-` and `_` before and after.
fn colliding_names(count: usize) -> Vec<String> {
    let mut runs = vec![String::new()];
    let mut frontier = vec![String::new()];
    while runs.len() < 200 {
        frontier = frontier
            .iter()
            .flat_map(|r| ['.', '-', '_'].map(|c| format!("{r}{c}")))
            .collect();
        runs.extend(frontier.iter().cloned());
    }
    let mut out = Vec::with_capacity(count);
    'all: for before in &runs {
        for after in &runs {
            for letter in ["a", "A"] {
                if out.len() == count {
                    break 'all;
                }
                out.push(format!("{before}{letter}{after}"));
            }
        }
    }
    out
}

/// A document with `count` operations and `count` schemas whose names all collide: each
/// operation returns its own schema.
fn colliding_document(count: usize) -> String {
    let names = colliding_names(count);
    let mut paths = serde_json::Map::new();
    let mut schemas = serde_json::Map::new();
    for (i, name) in names.iter().enumerate() {
        let reference = format!(
            "#/components/schemas/{}",
            name.replace('~', "~0").replace('/', "~1")
        );
        paths.insert(
            format!("/p{i}"),
            serde_json::json!({"get": {"operationId": name, "responses": {"200": {
                "description": "ok",
                "content": {"application/json": {"schema": {"$ref": reference}}}
            }}}}),
        );
        schemas.insert(
            name.clone(),
            serde_json::json!({"type": "object", "properties": {"id": {"type": "string"}}}),
        );
    }
    serde_json::json!({
        "openapi": "3.0.3",
        "info": {"title": "Colliding names", "version": "1"},
        "paths": paths,
        "components": {"schemas": schemas}
    })
    .to_string()
}

/// Names that collide: claiming them must stay linear in their number.
fn bench_colliding(count: usize, runs: usize) {
    let name = format!("{count} colliding schema and operation names");
    let text = colliding_document(count);
    let (load, doc) = best_of(runs, || {
        okgen::load::parse_with("colliding.json", text.clone(), okgen::Mode::Lenient)
    });
    match doc {
        Ok(doc) => bench_stages(&name, load, &doc, runs),
        Err(e) => eprintln!("{name}: cannot load: {e}"),
    }
}

/// `S_i: allOf [S_{i+1}, S_{i+1}]` down to `depth`: 2^depth paths through `depth` schemas.
/// Each member is merged once and reused, so the time grows with the depth, not with 2^depth.
fn bench_all_of_reuse(depth: usize, runs: usize) {
    let mut schemas = serde_json::Map::new();
    for i in 0..depth {
        let next = serde_json::json!({"$ref": format!("#/components/schemas/S{}", i + 1)});
        schemas.insert(
            format!("S{i}"),
            serde_json::json!({"allOf": [next.clone(), next]}),
        );
    }
    schemas.insert(
        format!("S{depth}"),
        serde_json::json!({"type": "object", "properties": {"x": {"type": "string"}}}),
    );
    let text = serde_json::json!({
        "openapi": "3.0.3",
        "info": {"title": "allOf reuse", "version": "1"},
        "paths": {"/x": {"get": {"operationId": "getX", "responses": {"200": {
            "description": "ok",
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/S0"}}}
        }}}}},
        "components": {"schemas": schemas}
    })
    .to_string();
    let Ok(doc) = okgen::load::parse_with("reuse.json", text, okgen::Mode::Lenient) else {
        eprintln!("allOf reuse: cannot load");
        return;
    };
    let (lower, api) = best_of(runs, || {
        okgen::lower_document(&doc, &okgen::Selection::default())
    });
    let types = api.map(|a| a.types.len()).unwrap_or(0);
    println!("allOf reusing its member at every level, depth {depth} (2^{depth} paths): lower {lower:.2?} ({types} types; best of {runs})");
}

/// A document whose one schema is nested `depth` levels (through `properties`, `items` and
/// `allOf` in turn) around a schema whose `minLength` is a string: the refused keyword is found
/// bottom-up, so the load time grows with the depth (a top-down typed parse doubled at every
/// level: 10 s at 16 levels in a debug build).
fn bench_deep_refused(depth: usize, runs: usize) {
    let mut schema = serde_json::json!({"type": "string", "minLength": "x"});
    for level in 0..depth {
        schema = match level % 3 {
            0 => serde_json::json!({"type": "object", "properties": {"next": schema}}),
            1 => serde_json::json!({"type": "array", "items": schema}),
            _ => serde_json::json!({"allOf": [schema]}),
        };
    }
    let raw = serde_json::json!({
        "openapi": "3.0.3",
        "info": {"title": "Deep refused schema", "version": "1"},
        "paths": {"/x": {"get": {"operationId": "getX", "responses": {"200": {
            "description": "ok",
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/S0"}}}
        }}}}},
        "components": {"schemas": {"S0": schema}}
    });
    let text = raw.to_string();
    for mode in [okgen::Mode::Lenient, okgen::Mode::Strict] {
        let (load, doc) = best_of(runs, || {
            okgen::load::from_raw_with("deep.json".into(), text.clone(), raw.clone(), mode)
        });
        let outcome = match doc {
            Ok(doc) => format!("{} warning(s)", doc.warnings.len()),
            Err(_) => "refused".to_owned(),
        };
        println!(
            "a refused keyword {depth} schemas deep, {mode:?}: load {load:.2?} ({outcome}, clone included; best of {runs})"
        );
    }
}

/// An overlay on Okta's document: an ordinary target, and one whose evaluation would explode
/// (`$..*..*..*..*..*`: 5 s and 980 MB before it was bounded), which is refused by its cost.
fn bench_overlay(okta: &Path, runs: usize) {
    let Ok(text) = std::fs::read_to_string(okta) else {
        return;
    };
    let Ok(raw) = serde_yaml::from_str::<serde_json::Value>(&text) else {
        eprintln!("overlay: cannot parse {}", okta.display());
        return;
    };
    let dir = std::env::temp_dir().join(format!("okgen-bench-{}", std::process::id()));
    if std::fs::create_dir_all(&dir).is_err() {
        return;
    }
    for (label, target) in [
        ("every description", "$..description"),
        ("`$..*..*..*..*..*`", "$..*..*..*..*..*"),
    ] {
        let path = dir.join("overlay.yaml");
        let overlay = format!(
            "overlay: 1.0.0\ninfo: {{title: bench, version: '1'}}\nactions:\n  - target: '{target}'\n    update: {{x-bench: true}}\n"
        );
        if std::fs::write(&path, overlay).is_err() {
            return;
        }
        let Ok(overlay) = okgen::overlay::Overlay::load(&path) else {
            eprintln!("overlay {label}: cannot load");
            continue;
        };
        let (time, result) = best_of(runs, || overlay.apply(&mut raw.clone()));
        let outcome = match result {
            Ok(()) => "applied".to_owned(),
            Err(e) => format!("refused: {}", e.to_string().lines().next().unwrap_or("")),
        };
        println!("overlay on Okta's document, {label}: {time:.2?} (clone included), {outcome}; best of {runs}");
    }
    let _ = std::fs::remove_dir_all(&dir);
}

/// Selecting the five enrollment operations from Okta's whole YAML, against the peer: a bare
/// `serde_yaml` → `openapiv3` parse of the same text (the least any generator built on
/// openapiv3 does). Both read the file; okgen's run is load and lower (what the selection
/// costs), and the whole generation (the runtime it stamps is made once per process, so after
/// the first run it is not in these figures). The three run one after the other in each of
/// `runs` rounds, so that what drifts on the machine (its other load, the allocator's state)
/// falls on all three alike; each figure is the median of its rounds.
fn bench_selection(okta: &Path, runs: usize) {
    let mut config = okgen::Config::new(okta);
    config.select_tag("UserAuthenticatorEnrollments");
    let mut times: [Vec<Duration>; 3] = Default::default();
    let mut operations = None;
    for _ in 0..runs {
        let start = Instant::now();
        let parsed = std::fs::read_to_string(okta)
            .ok()
            .and_then(|text| serde_yaml::from_str::<openapiv3::OpenAPI>(&text).ok());
        times[0].push(start.elapsed());
        if parsed.is_none() {
            eprintln!("selection: the bare parse of {} fails", okta.display());
            return;
        }
        drop(parsed);
        let start = Instant::now();
        let lowered = okgen::lower(&config);
        times[1].push(start.elapsed());
        match lowered {
            Ok((api, _)) => operations = Some(api.operations.len()),
            Err(_) => {
                eprintln!("selection: okgen cannot lower the enrollments");
                return;
            }
        }
        let start = Instant::now();
        let generated = okgen::generate_source(&config);
        times[2].push(start.elapsed());
        drop(generated);
    }
    let Some(operations) = operations else {
        return;
    };
    let [bare, select, generate] = times.map(|mut t| {
        t.sort();
        t.get(t.len() / 2).copied().unwrap_or_default()
    });
    let ratio = |d: Duration| d.as_secs_f64() / bare.as_secs_f64();
    println!(
        "select {operations} enrollment operations from Okta's YAML: okgen load+lower {select:.2?} ({:.2}x), generate {generate:.2?} ({:.2}x); peer: bare serde_yaml -> openapiv3 parse {bare:.2?} (1x); medians of {runs} rounds, the three interleaved",
        ratio(select),
        ratio(generate),
    );
}

/// Okta's document with `copies` copies of every path, operation and component, each copy's
/// names suffixed (`/copy1/api/v1/users`, `userCopy1`, `#/components/schemas/UserCopy1`), and
/// its references renamed with them: a document `copies` times the size, as intricate.
fn scaled(raw: &serde_json::Value, copies: usize) -> serde_json::Value {
    use serde_json::{Map, Value};
    let mut out = raw.clone();
    if copies <= 1 {
        return out;
    }
    let components: Vec<(String, Vec<String>)> = raw
        .get("components")
        .and_then(Value::as_object)
        .map(|c| {
            c.iter()
                .filter_map(|(kind, entries)| {
                    Some((kind.clone(), entries.as_object()?.keys().cloned().collect()))
                })
                .collect()
        })
        .unwrap_or_default();
    for copy in 1..copies {
        // Renames every `$ref` to a component and every operationId of a copy.
        fn rename(value: &mut Value, suffix: &str) {
            let mut stack = vec![value];
            while let Some(value) = stack.pop() {
                match value {
                    Value::Object(map) => {
                        for (key, v) in map.iter_mut() {
                            match (key.as_str(), &mut *v) {
                                ("$ref" | "operationId", Value::String(s)) => s.push_str(suffix),
                                _ => stack.push(v),
                            }
                        }
                    }
                    Value::Array(items) => stack.extend(items.iter_mut()),
                    _ => {}
                }
            }
        }
        let suffix = format!("Copy{copy}");
        if let Some(paths) = raw.get("paths").and_then(Value::as_object) {
            let copied: Map<String, Value> = paths
                .iter()
                .map(|(path, item)| {
                    let mut item = item.clone();
                    rename(&mut item, &suffix);
                    (format!("/copy{copy}{path}"), item)
                })
                .collect();
            if let Some(Value::Object(all)) = out.get_mut("paths") {
                all.extend(copied);
            }
        }
        for (kind, names) in &components {
            let Some(Value::Object(all)) = out
                .get_mut("components")
                .and_then(|c| c.get_mut(kind.as_str()))
            else {
                continue;
            };
            for name in names {
                let Some(mut entry) = raw["components"][kind.as_str()].get(name).cloned() else {
                    continue;
                };
                rename(&mut entry, &suffix);
                all.insert(format!("{name}{suffix}"), entry);
            }
        }
    }
    out
}

/// Time and peak memory of one `okgen generate` process (`/usr/bin/time -v`), or `None` when
/// the binary or `/usr/bin/time` is missing.
fn process(okgen: &Path, config: &Path) -> Option<(Duration, u64)> {
    let output = std::process::Command::new("/usr/bin/time")
        .arg("-v")
        .arg(okgen)
        .args(["generate", "--config"])
        .arg(config)
        .output()
        .ok()?;
    if !output.status.success() {
        eprintln!(
            "okgen generate failed: {}",
            String::from_utf8_lossy(&output.stderr)
                .lines()
                .find(|l| l.starts_with("error"))
                .unwrap_or("")
        );
        return None;
    }
    let report = String::from_utf8_lossy(&output.stderr);
    let field = |name: &str| {
        report.lines().find_map(|l| {
            l.trim()
                .strip_prefix(name)
                .map(str::trim)
                .map(str::to_owned)
        })
    };
    let kb: u64 = field("Maximum resident set size (kbytes):")?.parse().ok()?;
    let elapsed = field("Elapsed (wall clock) time (h:mm:ss or m:ss):")?;
    // `m:ss.cc` or `h:mm:ss`.
    let seconds = elapsed.split(':').try_fold(0.0, |acc, part| {
        part.parse::<f64>().ok().map(|p| acc * 60.0 + p)
    })?;
    Some((Duration::from_secs_f64(seconds), kb))
}

/// Generation time and peak memory for Okta's document copied 1, 2 and 4 times: every
/// operation, and the five enrollment operations (of the first copy), each the median of
/// `runs` whole processes, with the ratio to the 1x figure.
fn bench_scaling(okta: &Path, runs: usize) {
    let Some(okgen) = option_env!("CARGO_BIN_EXE_okgen").map(PathBuf::from) else {
        println!("scaling: skipped (the okgen binary is built with the `cli` feature)");
        return;
    };
    if !Path::new("/usr/bin/time").exists() {
        println!("scaling: skipped (/usr/bin/time is missing)");
        return;
    }
    let Some(raw) = std::fs::read_to_string(okta)
        .ok()
        .and_then(|text| serde_yaml::from_str::<serde_json::Value>(&text).ok())
    else {
        eprintln!("scaling: cannot parse {}", okta.display());
        return;
    };
    let dir = std::env::temp_dir().join(format!("okgen-scaling-{}", std::process::id()));
    if std::fs::create_dir_all(&dir).is_err() {
        return;
    }
    for (label, select) in [
        ("every operation", ""),
        (
            "the 5 enrollment operations",
            "select:\n  operationIds: [createAuthenticatorEnrollment, createTacAuthenticatorEnrollment, getAuthenticatorEnrollment, listAuthenticatorEnrollments, deleteAuthenticatorEnrollment]\n",
        ),
    ] {
        let mut base: Option<(f64, f64)> = None;
        for copies in [1, 2, 4] {
            let spec = dir.join(format!("okta-{copies}x.yaml"));
            let config = dir.join("codegen.yaml");
            let Ok(text) = serde_yaml::to_string(&scaled(&raw, copies)) else {
                return;
            };
            let written = std::fs::write(&spec, &text).and_then(|()| {
                std::fs::write(
                    &config,
                    format!("spec: {}\n{select}output: out.rs\n", spec.display()),
                )
            });
            if written.is_err() {
                return;
            }
            let mut measured: Vec<(Duration, u64)> =
                (0..runs).filter_map(|_| process(&okgen, &config)).collect();
            if measured.is_empty() {
                break;
            }
            measured.sort();
            let (time, _) = measured[measured.len() / 2];
            let mut peaks: Vec<u64> = measured.iter().map(|m| m.1).collect();
            peaks.sort_unstable();
            let peak = peaks[peaks.len() / 2] as f64 / 1024.0;
            let (t0, m0) = *base.get_or_insert((time.as_secs_f64(), peak));
            println!(
                "scaling, {label}, Okta's document x{copies} ({:.1} MB of YAML): {time:.2?} ({:.2}x), peak {peak:.0} MB ({:.2}x); medians of {runs} processes",
                text.len() as f64 / 1e6,
                time.as_secs_f64() / t0,
                peak / m0,
            );
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
}

/// Whether the benchmark `name` runs: all do, unless the command line names some
/// (`cargo bench -p okgen -- selection scaling`: those whose name contains one of the words).
fn wanted(name: &str) -> bool {
    let words: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with("--"))
        .collect();
    words.is_empty() || words.iter().any(|w| name.contains(w.as_str()))
}

fn main() {
    if wanted("colliding") {
        bench_colliding(10_000, 3);
    }
    if wanted("allof") {
        for depth in [8, 16, 24, 31] {
            bench_all_of_reuse(depth, 5);
        }
    }
    if wanted("refused") {
        for depth in [16, 64, 256] {
            bench_deep_refused(depth, 5);
        }
    }
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    if wanted("slice") {
        bench(
            "spec/ slice",
            &root.join("spec/okta-authenticator-enrollments.yaml"),
            20,
        );
    }
    let okta = root.join("../shared/okta/management-minimal.yaml");
    if !okta.exists() {
        println!(
            "Okta's whole document: skipped ({} is missing)",
            okta.display()
        );
        return;
    }
    if wanted("whole") {
        bench("Okta's whole document", &okta, 3);
    }
    if wanted("selection") {
        bench_selection(&okta, 11);
    }
    if wanted("overlay") {
        bench_overlay(&okta, 3);
    }
    if wanted("scaling") {
        bench_scaling(&okta, 3);
    }
}
