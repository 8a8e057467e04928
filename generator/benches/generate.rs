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

fn main() {
    bench_colliding(10_000, 3);
    for depth in [8, 16, 24, 31] {
        bench_all_of_reuse(depth, 5);
    }
    for depth in [16, 64, 256] {
        bench_deep_refused(depth, 5);
    }
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    bench(
        "spec/ slice",
        &root.join("spec/okta-authenticator-enrollments.yaml"),
        20,
    );
    let okta = root.join("../shared/okta/management-minimal.yaml");
    if okta.exists() {
        bench("Okta's whole document", &okta, 3);
        bench_overlay(&okta, 3);
    } else {
        println!(
            "Okta's whole document: skipped ({} is missing)",
            okta.display()
        );
    }
}
