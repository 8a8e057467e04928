//! Helpers shared by the tests in `tests/tests/`: where the workspace and its spec are, and the
//! examples the spec gives.

use std::io::Write;
use std::path::PathBuf;

use okgen::examples::{Example, ExampleKind};

pub mod fixtures;
pub mod json_eq;

/// The workspace root.
pub fn workspace() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(PathBuf::from)
        .unwrap_or_default()
}

/// `spec/codegen.yaml`.
pub fn spec_config_path() -> PathBuf {
    workspace().join("spec/codegen.yaml")
}

/// The configuration the generated crate is built with.
pub fn spec_config() -> okgen::Config {
    match okgen::Config::from_file(spec_config_path()) {
        Ok(config) => config,
        Err(e) => panic!("spec/codegen.yaml must load: {e}"),
    }
}

/// Every example of the selected operations in `spec/`.
pub fn spec_examples() -> Vec<Example> {
    let config = spec_config();
    let doc = match okgen::load::load(config.spec_path()) {
        Ok(doc) => doc,
        Err(e) => panic!("the spec must load: {e}"),
    };
    match okgen::examples::collect(&doc, config.selection()) {
        Ok(examples) => examples,
        Err(e) => panic!("the spec's examples must resolve: {e}"),
    }
}

/// The value of one response example of `spec/`.
pub fn response_example(operation_id: &str, status: &str, name: &str) -> serde_json::Value {
    find_example(
        operation_id,
        &ExampleKind::Response(status.to_owned()),
        name,
    )
}

/// The value of one request example of `spec/`.
pub fn request_example(operation_id: &str, name: &str) -> serde_json::Value {
    find_example(operation_id, &ExampleKind::Request, name)
}

fn find_example(operation_id: &str, kind: &ExampleKind, name: &str) -> serde_json::Value {
    spec_examples()
        .into_iter()
        .find(|e| e.operation_id == operation_id && &e.kind == kind && e.name == name)
        .map(|e| e.value)
        .unwrap_or_else(|| panic!("spec/ has no example {name} for {operation_id} {kind:?}"))
}

/// The part of a generated source made from its document: everything before the runtime, which
/// ends every source of a profile the same (`okgen::runtime_source`, snapshotted once per profile
/// in `snapshot.rs`).
pub fn generated_part(source: &str) -> &str {
    for profile in [okgen::Profile::Okta, okgen::Profile::Generic] {
        let runtime = match okgen::runtime_source(profile) {
            Ok(runtime) => runtime,
            Err(e) => panic!("the runtime must stamp: {e}"),
        };
        if let Some(part) = source.strip_suffix(runtime) {
            return part;
        }
    }
    panic!("a generated source ends with the stamped runtime of its profile")
}

/// The construct fixtures, `tests/fixtures/constructs/*.yaml`, sorted, with their names.
pub fn construct_fixtures() -> Vec<(String, PathBuf)> {
    let dir = workspace().join("tests/fixtures/constructs");
    let mut specs: Vec<(String, PathBuf)> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "yaml"))
        .filter_map(|p| Some((p.file_stem()?.to_str()?.to_owned(), p.clone())))
        .collect();
    specs.sort();
    assert!(specs.len() >= 2, "fixtures found in {}", dir.display());
    specs
}

/// Lowers an in-memory YAML document (named `fixture.yaml` in errors), selecting every
/// operation, in strict mode: anything that cannot be generated is an error.
pub fn lower_yaml(text: &str) -> okgen::Result<okgen::ir::Api> {
    lower_yaml_with(text, okgen::Mode::Strict)
}

/// Lowers an in-memory YAML document in the default, lenient mode: what cannot be generated is
/// left out, and the result's `warnings` say what and why.
pub fn lower_yaml_lenient(text: &str) -> okgen::Result<okgen::ir::Api> {
    lower_yaml_with(text, okgen::Mode::Lenient)
}

fn lower_yaml_with(text: &str, mode: okgen::Mode) -> okgen::Result<okgen::ir::Api> {
    let doc = okgen::load::parse_with("fixture.yaml", text, mode)?;
    okgen::lower_document(&doc, &okgen::Selection::default())
}

/// A minimal document around the given `paths` and `components` YAML (each indented by two
/// spaces, as under their keys).
pub fn fixture(paths: &str, components: &str) -> String {
    format!(
        "openapi: 3.0.3\ninfo:\n  title: Fixture\n  version: '1'\npaths:\n{paths}\ncomponents:\n{components}\n"
    )
}

/// Checks the crate in `dir` with `cargo clippy --all-targets` (rustc's checks and clippy's
/// lints). Returns whether it succeeded and cargo's stderr.
pub fn cargo_clippy(dir: &std::path::Path) -> (bool, String) {
    let (ok, _, stderr) = cargo(dir, &["clippy", "--quiet", "--all-targets"]);
    (ok, stderr)
}

/// The README's Rust examples, compiled as doctests so that they never go stale.
#[cfg(doctest)]
#[doc = include_str!("../../README.md")]
mod readme {}

/// Okta's official Management API document in `../shared/okta/`, when it is there. Without it a
/// test skips loudly, unless `CI` is set: then it is a failure, never a skip.
pub fn official_document(file: &str) -> Option<PathBuf> {
    let path = workspace().join("../shared/okta").join(file);
    if path.exists() {
        return Some(path);
    }
    if std::env::var_os("CI").is_some() {
        panic!(
            "{} is missing; CI must have ../shared beside the repo",
            path.display()
        );
    }
    // Straight to stderr: the test harness captures `eprintln!` of passing tests.
    let _ = writeln!(
        std::io::stderr().lock(),
        "SKIPPED: {} is missing (place ../shared beside the repo to run this test)",
        path.display()
    );
    None
}

/// Runs cargo with `args` in `dir`, into the shared fixture target directory, offline when the
/// lock file allows it. Returns whether it succeeded, its stdout and its stderr.
pub fn cargo(dir: &std::path::Path, args: &[&str]) -> (bool, String, String) {
    let lock = workspace().join("Cargo.lock");
    if lock.exists() && !dir.join("Cargo.lock").exists() {
        let _ = std::fs::copy(&lock, dir.join("Cargo.lock"));
    }
    let program = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let run = |offline: bool| {
        let mut command = std::process::Command::new(&program);
        command
            .args(args)
            .current_dir(dir)
            .env(
                "CARGO_TARGET_DIR",
                workspace().join("target/okgen-fixtures/target"),
            )
            .env("CARGO_TERM_COLOR", "never")
            .env_remove("RUSTFLAGS");
        if offline {
            command.arg("--offline");
        }
        command.output()
    };
    let output = match run(true) {
        Ok(out) if out.status.success() => out,
        _ => match run(false) {
            Ok(out) => out,
            Err(e) => return (false, String::new(), format!("cannot run cargo: {e}")),
        },
    };
    (
        output.status.success(),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

/// The IR lowered from `tests/fixtures/constructs/<name>.yaml`, every operation selected.
pub fn lower_fixture(name: &str) -> okgen::ir::Api {
    let spec = workspace().join(format!("tests/fixtures/constructs/{name}.yaml"));
    okgen::lower(&okgen::Config::new(&spec))
        .unwrap_or_else(|e| panic!("{name}: {e}"))
        .0
}

/// A Rust module or crate name for a document's file name: `okta/idp-minimal.yaml` →
/// `idp_minimal`.
pub fn module_name(file: &str) -> String {
    let stem = file.rsplit('/').next().unwrap_or(file);
    let stem = stem.split('.').next().unwrap_or(stem);
    stem.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '_'
            }
        })
        .collect()
}

/// The Rust spelling of a generated type from outside the generated crate `krate` (`None` for
/// raw bytes, which have no JSON type).
pub fn rust_type(krate: &str, types: &okgen::ir::Types, ty: &okgen::ir::TypeRef) -> Option<String> {
    use okgen::ir::TypeRef;
    Some(match ty {
        TypeRef::String => "String".into(),
        TypeRef::Bool => "bool".into(),
        TypeRef::I32 => "i32".into(),
        TypeRef::I64 => "i64".into(),
        TypeRef::F32 => "f32".into(),
        TypeRef::F64 => "f64".into(),
        TypeRef::DateTime => format!("{krate}::DateTime"),
        TypeRef::Date => format!("{krate}::Date"),
        TypeRef::Secret => format!("{krate}::Secret"),
        TypeRef::Value => "serde_json::Value".into(),
        TypeRef::Bytes => return None,
        TypeRef::Named(id) => format!(
            "{krate}::models::{}",
            types.name(*id).trim_start_matches("r#")
        ),
        TypeRef::Vec(t) => format!("Vec<{}>", rust_type(krate, types, t)?),
        TypeRef::Map(t) => format!(
            "std::collections::BTreeMap<String, {}>",
            rust_type(krate, types, t)?
        ),
        TypeRef::Boxed(t) => format!("Box<{}>", rust_type(krate, types, t)?),
        TypeRef::Option(t) => format!("Option<{}>", rust_type(krate, types, t)?),
    })
}

/// Runs a decoder program built into the fixture target (`target/okgen-fixtures/target/debug/
/// <name>`) with `cases` (JSON lines) on its standard input, and returns what it printed.
pub fn run_decoder(name: &str, cases: &std::path::Path) -> String {
    let binary = workspace()
        .join("target/okgen-fixtures/target/debug")
        .join(name);
    let input = std::fs::File::open(cases)
        .unwrap_or_else(|e| panic!("cannot open {}: {e}", cases.display()));
    let output = std::process::Command::new(&binary)
        .stdin(input)
        .output()
        .unwrap_or_else(|e| panic!("cannot run {}: {e}", binary.display()));
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// What one command run under `/usr/bin/time -v` took (benchmarks).
#[derive(Debug, Clone, Copy, Default)]
pub struct Timed {
    /// Wall-clock seconds.
    pub wall: f64,
    /// User + system CPU seconds of the command and every process it waited for.
    pub cpu: f64,
    /// The largest resident set of the command or any process it waited for, in MB.
    pub peak_mb: f64,
    /// Whether it exited successfully.
    pub ok: bool,
}

/// Runs `command` under `/usr/bin/time -v` (which must exist) and reads its report. On failure
/// the last lines of its output are printed, so a benchmark says why a figure is missing.
pub fn timed(command: &mut std::process::Command) -> Timed {
    let program = command.get_program().to_owned();
    let args: Vec<_> = command.get_args().map(ToOwned::to_owned).collect();
    let mut timed = std::process::Command::new("/usr/bin/time");
    timed.arg("-v").arg(&program).args(&args);
    if let Some(dir) = command.get_current_dir() {
        timed.current_dir(dir);
    }
    for (key, value) in command.get_envs() {
        match value {
            Some(value) => timed.env(key, value),
            None => timed.env_remove(key),
        };
    }
    let Ok(output) = timed.output() else {
        eprintln!("cannot run /usr/bin/time {}", program.to_string_lossy());
        return Timed::default();
    };
    let report = String::from_utf8_lossy(&output.stderr);
    if !output.status.success() {
        let lines: Vec<&str> = report.lines().collect();
        eprintln!(
            "`{} {}` failed:\n{}",
            program.to_string_lossy(),
            args.iter()
                .map(|a| a.to_string_lossy())
                .collect::<Vec<_>>()
                .join(" "),
            lines[lines.len().saturating_sub(40)..].join("\n")
        );
    }
    let field = |name: &str| {
        report
            .lines()
            .find_map(|l| l.trim().strip_prefix(name).map(str::trim))
            .unwrap_or("0")
    };
    let seconds = |text: &str| {
        text.split(':')
            .try_fold(0.0, |acc, part| {
                part.parse::<f64>().ok().map(|p| acc * 60.0 + p)
            })
            .unwrap_or(0.0)
    };
    Timed {
        wall: seconds(field("Elapsed (wall clock) time (h:mm:ss or m:ss):")),
        cpu: seconds(field("User time (seconds):")) + seconds(field("System time (seconds):")),
        peak_mb: field("Maximum resident set size (kbytes):")
            .parse::<f64>()
            .unwrap_or(0.0)
            / 1024.0,
        ok: output.status.success(),
    }
}

/// The median of `values` (0 when empty).
pub fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    values.get(values.len() / 2).copied().unwrap_or(0.0)
}
