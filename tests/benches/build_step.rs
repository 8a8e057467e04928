//! What a consumer pays for a client generated in its build script: okgen next to progenitor
//! used the same way (its `build.rs` mode), on the same document, `spec/okta-authenticator-enrollments.yaml`
//! (the five enrollment operations).
//!
//! `cargo bench -p okgen-tests --bench build_step` builds, for each side, small crates under
//! `target/okgen-bench/build-step/` (each with its own target directory, removed first, so every
//! first build is cold) and prints:
//! - the build-dependency compile: a cold `cargo build` of a crate whose build script only links
//!   the generator (okgen with `default-features = false`; progenitor with its `openapiv3`,
//!   `serde_yaml`, `syn` and `prettyplease`), so its cost is the generator's dependency tree;
//! - the consumer's cold `cargo build`: the build-dependencies, the client's runtime
//!   dependencies, generation in the build script and the client, all in one;
//! - generation in the build script, in the dev profile build scripts run in (timed by the
//!   script itself, around the generator's call; the median of three reruns);
//! - the client's compile alone (`src/lib.rs` touched, `CARGO_INCREMENTAL=0`; median of three);
//! - a no-op rebuild (the build script must not run);
//! - for okgen, generation of Okta's whole document (`../shared/okta/management-minimal.yaml`) in
//!   the same build script, and both generation figures again with
//!   `[profile.dev.build-override] opt-level = 3` (which compiles every build-dependency
//!   optimized: its cold build is printed too).
//!
//! CPU is user + system time of the whole `cargo` process tree (`/usr/bin/time -v`); wall time
//! depends on the two cores being free. It needs crates.io for progenitor the first time. It
//! measures, it asserts nothing (speed goals are not tests).

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, SystemTime};

use okgen_tests::{median, timed, Timed};

/// The progenitor release compared against.
const PROGENITOR: &str = "0.15";

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map_or_else(|| PathBuf::from(".."), Path::to_path_buf)
}

fn write(path: &Path, text: &str) {
    if let Some(dir) = path.parent() {
        let _ = fs::create_dir_all(dir);
    }
    if let Err(e) = fs::write(path, text) {
        eprintln!("cannot write {}: {e}", path.display());
    }
}

fn touch(path: &Path) {
    // A later modification time than the last build's, also on filesystems with whole seconds.
    std::thread::sleep(Duration::from_millis(1100));
    if let Ok(file) = fs::File::options().append(true).open(path) {
        let _ = file.set_modified(SystemTime::now());
    }
}

/// Timeds `cargo <args>` in `dir`, with `target` as its target directory, not incrementally.
fn cargo(dir: &Path, target: &Path, args: &[&str], env: &[(&str, &str)]) -> Timed {
    timed(
        Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()))
            .args(args)
            .current_dir(dir)
            .env("CARGO_TARGET_DIR", target)
            .env("CARGO_INCREMENTAL", "0")
            .envs(env.iter().copied()),
    )
}

/// The generation times (seconds) the build script logged, oldest first, per label.
fn logged(log: &Path, label: &str) -> Vec<f64> {
    fs::read_to_string(log)
        .unwrap_or_default()
        .lines()
        .filter_map(|l| l.strip_prefix(label)?.trim().parse().ok())
        .collect()
}

/// One side of the comparison: its crates and what their build scripts do.
struct Side {
    name: &'static str,
    /// The `[build-dependencies]` and `[dependencies]` tables.
    build_dependencies: String,
    dependencies: String,
    /// The build script of the consumer, and that of the crate that only links the generator.
    build_rs: String,
    link_only_build_rs: String,
    /// The client's crate root.
    lib_rs: &'static str,
}

const TLS: &str = r#"reqwest = { version = "0.13", default-features = false, features = ["rustls-no-provider"] }
rustls = { version = "0.23", default-features = false, features = ["ring", "std", "tls12"] }
"#;

/// okgen's side, with `dir/codegen.yaml`: spec/codegen.yaml's `config` reading the copy `spec`.
fn okgen_side(root: &Path, dir: &Path, config: &str, spec: &Path, whole: Option<&Path>) -> Side {
    let generator = root.join("generator");
    let log = dir.join("generation.log");
    let config_path = dir.join("codegen.yaml");
    write(
        &config_path,
        &config.replace(
            "spec: okta-authenticator-enrollments.yaml",
            &format!("spec: {spec:?}"),
        ),
    );
    let config = config_path;
    let whole_config = dir.join("codegen-whole.yaml");
    if let Some(whole) = whole {
        write(
            &whole_config,
            &format!("spec: {whole:?}\noutput: whole.rs\nresponses: lenient\nfeatures: per-tag\n"),
        );
    }
    Side {
        name: "okgen",
        build_dependencies: format!("okgen = {{ path = {generator:?}, default-features = false }}\n"),
        dependencies: okgen::RUNTIME_DEPENDENCIES.to_owned(),
        build_rs: format!(
            r#"use std::io::Write;
use std::time::Instant;

fn generate(label: &str, config: &str) {{
    let start = Instant::now();
    let result = okgen::Config::from_file(config).and_then(|c| c.generate());
    let elapsed = start.elapsed().as_secs_f64();
    if let Err(e) = result {{
        eprintln!("error: {{e}}");
        std::process::exit(1);
    }}
    if let Ok(mut log) = std::fs::OpenOptions::new().create(true).append(true).open({log:?}) {{
        let _ = writeln!(log, "{{label}} {{elapsed}}");
    }}
}}

fn main() {{
    generate("slice", {config:?});
    println!("cargo:rerun-if-env-changed=OKGEN_BENCH_WHOLE");
    if std::env::var_os("OKGEN_BENCH_WHOLE").is_some() {{
        generate("whole", {whole_config:?});
    }}
}}
"#
        ),
        link_only_build_rs: "fn main() {\n    let config = okgen::Config::new(\"unused.yaml\");\n    println!(\"cargo:rerun-if-changed=build.rs\");\n    drop(config);\n}\n".into(),
        lib_rs: "#![allow(warnings)]\ninclude!(concat!(env!(\"OUT_DIR\"), \"/okta_management.rs\"));\n",
    }
}

fn progenitor_side(dir: &Path, spec: &Path) -> Side {
    let log = dir.join("generation.log");
    Side {
        name: "progenitor",
        build_dependencies: format!(
            "progenitor = {{ version = \"{PROGENITOR}\", default-features = false }}\nopenapiv3 = \"2\"\nserde_yaml = \"0.9\"\nsyn = \"2\"\nprettyplease = \"0.2\"\n"
        ),
        dependencies: format!(
            "progenitor-client = \"{PROGENITOR}\"\nfutures = \"0.3\"\nserde = {{ version = \"1\", features = [\"derive\"] }}\nserde_json = \"1\"\nchrono = {{ version = \"0.4\", default-features = false, features = [\"serde\", \"std\"] }}\nuuid = {{ version = \"1\", features = [\"serde\"] }}\nregress = \"0.10\"\n{TLS}"
        ),
        build_rs: format!(
            r#"use std::io::Write;
use std::time::Instant;

fn main() {{
    let spec = {spec:?};
    println!("cargo:rerun-if-changed={{spec}}");
    let start = Instant::now();
    let text = std::fs::read_to_string(spec).expect("read the spec");
    let spec: openapiv3::OpenAPI = serde_yaml::from_str(&text).expect("parse the spec");
    let mut generator = progenitor::Generator::default();
    let tokens = generator.generate_tokens(&spec).expect("generate");
    let file = syn::parse2(tokens).expect("parse the generated tokens");
    let source = prettyplease::unparse(&file);
    let out = std::path::Path::new(&std::env::var("OUT_DIR").expect("OUT_DIR")).join("client.rs");
    std::fs::write(out, source).expect("write the client");
    let elapsed = start.elapsed().as_secs_f64();
    if let Ok(mut log) = std::fs::OpenOptions::new().create(true).append(true).open({log:?}) {{
        let _ = writeln!(log, "slice {{elapsed}}");
    }}
}}
"#
        ),
        link_only_build_rs: "fn main() {\n    let generator = progenitor::Generator::default();\n    println!(\"cargo:rerun-if-changed=build.rs\");\n    drop(generator);\n}\n".into(),
        lib_rs: "#![allow(warnings)]\ninclude!(concat!(env!(\"OUT_DIR\"), \"/client.rs\"));\n",
    }
}

fn manifest(name: &str, build_dependencies: &str, dependencies: &str, profile: &str) -> String {
    format!(
        "[package]\nname = \"{name}\"\nversion = \"0.1.0\"\nedition = \"2021\"\npublish = false\nbuild = \"build.rs\"\n\n\
         # Not a member of the okgen workspace this directory sits in.\n[workspace]\n\n\
         [build-dependencies]\n{build_dependencies}\n[dependencies]\n{dependencies}\n{profile}"
    )
}

/// What one side's crates measured.
#[derive(Debug, Default)]
struct Figures {
    link_only: Timed,
    cold: Timed,
    generation_cold: f64,
    generation: f64,
    client: f64,
    noop: Timed,
    noop_reran: bool,
    whole: Option<f64>,
}

fn measure(side: &Side, dir: &Path, spec: &Path, profile: &str, whole: bool) -> Figures {
    let _ = fs::remove_dir_all(dir.join("target-link-only"));
    let _ = fs::remove_dir_all(dir.join("target"));
    let _ = fs::remove_file(dir.join("generation.log"));
    let log = dir.join("generation.log");

    let link_only = dir.join("link-only");
    write(
        &link_only.join("Cargo.toml"),
        &manifest(
            &format!("{}-link-only", side.name),
            &side.build_dependencies,
            "",
            profile,
        ),
    );
    write(&link_only.join("build.rs"), &side.link_only_build_rs);
    write(&link_only.join("src/lib.rs"), "");
    let consumer = dir.join("consumer");
    write(
        &consumer.join("Cargo.toml"),
        &manifest(
            &format!("{}-consumer", side.name),
            &side.build_dependencies,
            &side.dependencies,
            profile,
        ),
    );
    write(&consumer.join("build.rs"), &side.build_rs);
    write(&consumer.join("src/lib.rs"), side.lib_rs);

    let mut figures = Figures {
        link_only: cargo(&link_only, &dir.join("target-link-only"), &["build"], &[]),
        ..Figures::default()
    };
    let target = dir.join("target");
    figures.cold = cargo(&consumer, &target, &["build"], &[]);
    if !figures.cold.ok {
        return figures;
    }
    figures.generation_cold = logged(&log, "slice").first().copied().unwrap_or(0.0);
    // Reruns of the build script alone: its input touched.
    for _ in 0..3 {
        touch(spec);
        cargo(&consumer, &target, &["build"], &[]);
    }
    figures.generation = median(logged(&log, "slice").into_iter().skip(1).collect());
    let mut client = Vec::new();
    for _ in 0..3 {
        touch(&consumer.join("src/lib.rs"));
        client.push(cargo(&consumer, &target, &["build"], &[]).cpu);
    }
    figures.client = median(client);
    let before = logged(&log, "slice").len();
    figures.noop = cargo(&consumer, &target, &["build"], &[]);
    figures.noop_reran = logged(&log, "slice").len() != before;
    if whole {
        for value in ["1", "2", "3"] {
            cargo(
                &consumer,
                &target,
                &["build"],
                &[("OKGEN_BENCH_WHOLE", value)],
            );
        }
        let times = logged(&log, "whole");
        figures.whole = (!times.is_empty()).then(|| median(times));
    }
    figures
}

fn report(name: &str, f: &Figures) {
    println!("{name}:");
    println!(
        "  build-dependency compile (cold, generator only): {:6.1} s CPU, {:6.1} s wall",
        f.link_only.cpu, f.link_only.wall
    );
    println!(
        "  consumer cold build (everything):                {:6.1} s CPU, {:6.1} s wall",
        f.cold.cpu, f.cold.wall
    );
    println!(
        "  generation in the build script (slice):          {:6.3} s (cold run {:.3} s)",
        f.generation, f.generation_cold
    );
    if let Some(whole) = f.whole {
        println!("  generation in the build script (whole document): {whole:6.3} s");
    }
    println!(
        "  client compile alone:                            {:6.1} s CPU",
        f.client
    );
    println!(
        "  no-op rebuild:                                   {:6.2} s wall, build script {}",
        f.noop.wall,
        if f.noop_reran {
            "RAN (wrong)"
        } else {
            "not run"
        }
    );
}

fn main() {
    let root = workspace();
    let work = root.join("target/okgen-bench/build-step");
    let spec_source = root.join("spec/okta-authenticator-enrollments.yaml");
    let whole = root.join("../shared/okta/management-minimal.yaml");
    let whole = whole.exists().then_some(whole);
    // The spec and configuration are copied, so that touching them leaves the repository alone.
    let spec = work.join("okta-authenticator-enrollments.yaml");
    write(&spec, &fs::read_to_string(&spec_source).unwrap_or_default());
    let config = fs::read_to_string(root.join("spec/codegen.yaml")).unwrap_or_default();

    let okgen_dir = work.join("okgen");
    let okgen = okgen_side(&root, &okgen_dir, &config, &spec, whole.as_deref());
    let okgen_figures = measure(&okgen, &okgen_dir, &spec, "", whole.is_some());
    report("okgen", &okgen_figures);

    let progenitor_dir = work.join("progenitor");
    let progenitor = progenitor_side(&progenitor_dir, &spec);
    let progenitor_figures = measure(&progenitor, &progenitor_dir, &spec, "", false);
    report(&format!("progenitor {PROGENITOR}"), &progenitor_figures);

    let ratio = |a: f64, b: f64| if b > 0.0 { a / b } else { f64::NAN };
    println!(
        "okgen / progenitor: build-dependency compile {:.2}x CPU, cold build {:.2}x CPU, generation {:.2}x, client compile {:.2}x",
        ratio(okgen_figures.link_only.cpu, progenitor_figures.link_only.cpu),
        ratio(okgen_figures.cold.cpu, progenitor_figures.cold.cpu),
        ratio(okgen_figures.generation, progenitor_figures.generation),
        ratio(okgen_figures.client, progenitor_figures.client),
    );

    if std::env::var_os("OKGEN_BENCH_SKIP_OVERRIDE").is_none() {
        let override_dir = work.join("okgen-build-override");
        let okgen = okgen_side(&root, &override_dir, &config, &spec, whole.as_deref());
        let figures = measure(
            &okgen,
            &override_dir,
            &spec,
            "[profile.dev.build-override]\nopt-level = 3\n",
            whole.is_some(),
        );
        report(
            "okgen, [profile.dev.build-override] opt-level = 3",
            &figures,
        );
    }
}
