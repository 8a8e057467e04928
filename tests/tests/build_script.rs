//! The build-script contract of okgen, checked with real `cargo build` runs on a small fixture
//! crate: `okgen::Config::from_file(path)?.generate()` writes the client into `$OUT_DIR` and
//! prints `cargo:rerun-if-changed` for every file it reads (the configuration and the spec), so
//! cargo reruns the build script exactly when one of those changes, and not otherwise.
//!
//! The fixture lives in `target/okgen-fixtures/build-script-<pid>/crate/` with its own
//! `[workspace]` table, and builds into the shared `target/okgen-fixtures/target/`, so that later
//! runs reuse okgen and its dependencies already compiled there. Its package name carries the pid,
//! so concurrent runs do not share build-script state and the run can remove exactly its own
//! artifacts (`cargo clean -p`) when it passes; a failed run leaves everything in place.
//!
//! Whether the build script ran is counted, not inferred from cargo's messages: the fixture's
//! `build.rs` appends its `OUT_DIR` as one line to `build-script-runs.log` next to the crate
//! (outside the package and outside `OUT_DIR`) every time it runs. Unlike `generated/build.rs`,
//! the fixture's `build.rs` prints no `cargo:rerun-if-changed` of its own, so every rerun decision
//! checked here comes from the lines okgen prints.

#![allow(clippy::expect_used, clippy::unwrap_used)]

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant, SystemTime};

/// How long one cargo invocation may take before the test gives up on it (a cold build of
/// okgen's dependencies included).
const CARGO_TIMEOUT: Duration = Duration::from_secs(15 * 60);

/// Waited before modifying an input, so the new modification time is strictly later than the
/// previous build's even on filesystems that keep whole seconds. Not a timing assertion.
const MTIME_GRANULARITY: Duration = Duration::from_millis(1100);

const SPEC_V1: &str = r##"openapi: 3.0.3
info:
  title: okgen build-script fixture
  version: 1.0.0
paths:
  /widgets/{widgetId}:
    get:
      operationId: getWidget
      summary: Get a widget
      tags:
        - T
      parameters:
        - name: widgetId
          in: path
          required: true
          description: The widget's id.
          schema:
            type: string
      responses:
        '200':
          description: The widget.
          content:
            application/json:
              schema:
                $ref: '#/components/schemas/Widget'
components:
  schemas:
    Widget:
      type: object
      description: A widget, as of fixture spec revision one.
      properties:
        id:
          type: string
        name:
          type: string
"##;

/// `SPEC_V1` with a new schema description and a new property.
const SPEC_V2: &str = r##"openapi: 3.0.3
info:
  title: okgen build-script fixture
  version: 1.0.0
paths:
  /widgets/{widgetId}:
    get:
      operationId: getWidget
      summary: Get a widget
      tags:
        - T
      parameters:
        - name: widgetId
          in: path
          required: true
          description: The widget's id.
          schema:
            type: string
        - name: session
          in: cookie
          description: Revision two adds a parameter okgen cannot send, so its build warns.
          schema:
            type: string
      responses:
        '200':
          description: The widget.
          content:
            application/json:
              schema:
                $ref: '#/components/schemas/Widget'
components:
  schemas:
    Widget:
      type: object
      description: A widget, as of fixture spec revision two.
      properties:
        id:
          type: string
        name:
          type: string
        paintFinish:
          type: string
          description: How the widget is painted.
"##;

const CODEGEN_V1: &str = "spec: api.yaml\nselect:\n  tags: [T]\noutput: client.rs\n";

/// `CODEGEN_V1` writing to another file.
const CODEGEN_V2: &str = "spec: api.yaml\nselect:\n  tags: [T]\noutput: client_renamed.rs\n";

/// `CODEGEN_V2` with an overlay, which the fixture's okgen (`default-features = false`) cannot
/// apply.
const CODEGEN_OVERLAY: &str =
    "spec: api.yaml\noverlay: fix.yaml\nselect:\n  tags: [T]\noutput: client_renamed.rs\n";

const OVERLAY: &str = "overlay: 1.0.0\ninfo:\n  title: fixture fix\n  version: 1.0.0\nactions:\n  - target: $.info\n    update:\n      description: fixed\n";

const LIB_RS: &str =
    "//! Only the build script matters here; the generated client is not compiled.\n\n\
pub fn fixture() -> u32 {\n    42\n}\n";

const NOTES_MD: &str = "A file of the package that no build input depends on.\n";

/// The workspace root (the parent of `tests/`).
fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("tests/ has a parent directory: the workspace")
        .to_owned()
}

fn write(path: &Path, contents: &str) {
    fs::write(path, contents).unwrap_or_else(|e| panic!("write {}: {e}", path.display()));
}

fn read(path: &Path) -> String {
    fs::read_to_string(path).unwrap_or_else(|e| panic!("read {}: {e}", path.display()))
}

fn mtime(path: &Path) -> SystemTime {
    fs::metadata(path)
        .and_then(|m| m.modified())
        .unwrap_or_else(|e| panic!("modification time of {}: {e}", path.display()))
}

/// Rewrites `path` with its own content, so only its modification time changes.
fn touch(path: &Path) {
    let before = mtime(path);
    let content = read(path);
    write(path, &content);
    assert!(
        mtime(path) > before,
        "rewriting {} did not advance its modification time",
        path.display()
    );
}

/// What one cargo invocation did.
struct CargoRun {
    success: bool,
    status: String,
    stdout: String,
    stderr: String,
}

struct Fixture {
    /// The package name (unique to this process).
    name: String,
    /// `target/okgen-fixtures/build-script-<pid>`: the crate, the run log, cargo's output.
    root: PathBuf,
    /// The fixture crate.
    krate: PathBuf,
    /// One line (the `OUT_DIR`) per build-script run.
    runs_log: PathBuf,
    /// The shared `CARGO_TARGET_DIR`.
    target_dir: PathBuf,
    /// The cargo to run (the one running this test when known).
    cargo: PathBuf,
    /// Whether `--offline` still works; dropped after the first offline failure.
    offline: bool,
    /// Numbers the saved cargo outputs.
    invocations: usize,
}

impl Fixture {
    /// Writes a fresh fixture (removing any left by an earlier process with the same pid).
    fn create() -> Fixture {
        let workspace = workspace();
        let fixtures = workspace.join("target/okgen-fixtures");
        let pid = std::process::id();
        let root = fixtures.join(format!("build-script-{pid}"));
        if root.exists() {
            fs::remove_dir_all(&root)
                .unwrap_or_else(|e| panic!("remove stale fixture {}: {e}", root.display()));
        }
        let krate = root.join("crate");
        fs::create_dir_all(krate.join("src"))
            .unwrap_or_else(|e| panic!("create {}: {e}", krate.display()));
        let fixture = Fixture {
            name: format!("okgen-build-script-fixture-{pid}"),
            runs_log: root.join("build-script-runs.log"),
            target_dir: fixtures.join("target"),
            cargo: std::env::var_os("CARGO").map_or_else(|| PathBuf::from("cargo"), PathBuf::from),
            offline: true,
            invocations: 0,
            root,
            krate,
        };

        let generator = workspace.join("generator");
        write(
            &fixture.krate.join("Cargo.toml"),
            &format!(
                "[package]\nname = \"{name}\"\nversion = \"0.1.0\"\nedition = \"2021\"\npublish = false\n\n\
                 # Not a member of the okgen workspace this directory sits in.\n[workspace]\n\n\
                 [build-dependencies]\nokgen = {{ path = {generator:?}, default-features = false }}\n",
                name = fixture.name,
                generator = generator.to_str().expect("the generator's path is UTF-8"),
            ),
        );
        write(
            &fixture.krate.join("build.rs"),
            &format!(
                r#"use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

fn main() -> ExitCode {{
    let out_dir = std::env::var("OUT_DIR").expect("cargo sets OUT_DIR");
    let mut runs = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open({runs_log:?})
        .expect("open the run log");
    writeln!(runs, "{{out_dir}}").expect("append to the run log");

    let config_path = Path::new(env!("CARGO_MANIFEST_DIR")).join("codegen.yaml");
    match okgen::Config::from_file(&config_path).and_then(|config| config.generate()) {{
        Ok(_) => ExitCode::SUCCESS,
        Err(e) => {{
            eprintln!("error: okgen could not generate the client:\n{{e}}");
            ExitCode::FAILURE
        }}
    }}
}}
"#,
                runs_log = fixture
                    .runs_log
                    .to_str()
                    .expect("the fixture's path is UTF-8"),
            ),
        );
        write(&fixture.krate.join("src/lib.rs"), LIB_RS);
        write(&fixture.krate.join("notes.md"), NOTES_MD);
        write(&fixture.spec(), SPEC_V1);
        write(&fixture.config(), CODEGEN_V1);
        // Resolve to the versions the workspace is locked to (and already has downloaded), so
        // that `--offline` can work.
        let lock = workspace.join("Cargo.lock");
        if lock.exists() {
            fs::copy(&lock, fixture.krate.join("Cargo.lock"))
                .unwrap_or_else(|e| panic!("copy {}: {e}", lock.display()));
        }
        fixture
    }

    fn spec(&self) -> PathBuf {
        self.krate.join("api.yaml")
    }

    fn config(&self) -> PathBuf {
        self.krate.join("codegen.yaml")
    }

    /// The `OUT_DIR` of every build-script run so far, oldest first.
    fn runs(&self) -> Vec<String> {
        match fs::read_to_string(&self.runs_log) {
            Ok(text) => text.lines().map(str::to_owned).collect(),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Vec::new(),
            Err(e) => panic!("read {}: {e}", self.runs_log.display()),
        }
    }

    /// Runs `cargo <args>` on the fixture and waits for it (at most `CARGO_TIMEOUT`). Output is
    /// kept under the fixture's root, numbered, for a look after a failure.
    fn cargo(&mut self, label: &str, args: &[&str], offline: bool) -> CargoRun {
        self.invocations += 1;
        let logs = self
            .root
            .join(format!("cargo-{:02}-{label}", self.invocations));
        let stdout_path = logs.with_extension("stdout");
        let stderr_path = logs.with_extension("stderr");
        let stdout = fs::File::create(&stdout_path)
            .unwrap_or_else(|e| panic!("create {}: {e}", stdout_path.display()));
        let stderr = fs::File::create(&stderr_path)
            .unwrap_or_else(|e| panic!("create {}: {e}", stderr_path.display()));

        let mut command = Command::new(&self.cargo);
        command
            .args(args)
            .arg("--manifest-path")
            .arg(self.krate.join("Cargo.toml"))
            .current_dir(&self.krate)
            .env("CARGO_TARGET_DIR", &self.target_dir)
            .env("CARGO_TERM_COLOR", "never")
            .env_remove("CARGO_BUILD_TARGET_DIR")
            .stdin(Stdio::null())
            .stdout(stdout)
            .stderr(stderr);
        if offline {
            command.arg("--offline");
        }
        let mut child = command
            .spawn()
            .unwrap_or_else(|e| panic!("start {}: {e}", self.cargo.display()));
        let started = Instant::now();
        let status = loop {
            match child.try_wait() {
                Ok(Some(status)) => break status,
                Ok(None) if started.elapsed() > CARGO_TIMEOUT => {
                    // Best effort: the panic below is what matters.
                    let _ = child.kill();
                    let _ = child.wait();
                    panic!(
                        "`cargo {}` on {} did not finish within {CARGO_TIMEOUT:?}; its output is in {}",
                        args.join(" "),
                        self.krate.display(),
                        stderr_path.display()
                    );
                }
                Ok(None) => std::thread::sleep(Duration::from_millis(20)),
                Err(e) => panic!("wait for cargo: {e}"),
            }
        };
        CargoRun {
            success: status.success(),
            status: status.to_string(),
            stdout: read(&stdout_path),
            stderr: read(&stderr_path),
        }
    }

    /// `cargo build -vv` of the fixture, offline while that works; panics when the build fails.
    /// (With `-vv`, cargo echoes what build scripts print on its standard output.)
    fn build(&mut self, label: &str) -> CargoRun {
        let args = ["build", "-vv"];
        let mut offline_failure = None;
        if self.offline {
            let run = self.cargo(label, &args, true);
            if run.success {
                return run;
            }
            eprintln!(
                "note: `cargo build --offline` of the fixture failed ({}); retrying online",
                run.status
            );
            self.offline = false;
            offline_failure = Some(run);
        }
        let run = self.cargo(label, &args, false);
        if !run.success {
            let offline = offline_failure.map_or_else(String::new, |r| {
                format!("--- the offline attempt ({}) ---\n{}\n", r.status, r.stderr)
            });
            panic!(
                "step `{label}`: `cargo build` of the fixture at {} failed ({})\n{offline}--- stderr ---\n{}",
                self.krate.display(),
                run.status,
                run.stderr
            );
        }
        run
    }

    /// Removes this run's artifacts from the shared target directory, then the fixture. Problems
    /// are reported, not failed on: the test itself has passed by then.
    fn clean_up(mut self) {
        let name = self.name.clone();
        let run = self.cargo("clean", &["clean", "-p", &name], self.offline);
        if !run.success {
            eprintln!(
                "warning: `cargo clean -p {name}` failed ({}), leaving {}:\n{}",
                run.status,
                self.root.display(),
                run.stderr
            );
            return;
        }
        if let Err(e) = fs::remove_dir_all(&self.root) {
            eprintln!("warning: could not remove {}: {e}", self.root.display());
        }
    }
}

/// The paths the fixture's build script printed `cargo:rerun-if-changed` for, as echoed by
/// `cargo build -vv` on its standard output (`[<package> <version>] cargo:rerun-if-changed=<path>`),
/// canonicalized.
fn rerun_if_changed(stdout: &str, package: &str) -> BTreeSet<PathBuf> {
    let prefix = format!("[{package} 0.1.0] ");
    stdout
        .lines()
        .filter_map(|line| line.strip_prefix(&prefix))
        .filter_map(|line| {
            line.strip_prefix("cargo:rerun-if-changed=")
                .or_else(|| line.strip_prefix("cargo::rerun-if-changed="))
        })
        .map(|path| {
            fs::canonicalize(path).unwrap_or_else(|e| panic!("rerun-if-changed path {path}: {e}"))
        })
        .collect()
}

fn canonical(path: &Path) -> PathBuf {
    fs::canonicalize(path).unwrap_or_else(|e| panic!("canonicalize {}: {e}", path.display()))
}

#[test]
fn build_script_reruns_exactly_when_an_input_changes() {
    let mut fixture = Fixture::create();
    let name = fixture.name.clone();
    let compiling = format!("Compiling {name} v0.1.0");

    // 1. First build: the script runs once and writes the client into OUT_DIR, and okgen asks
    //    cargo to watch the configuration and the spec (and nothing else).
    let first = fixture.build("1-first");
    let stderr = &first.stderr;
    let runs = fixture.runs();
    assert_eq!(
        runs.len(),
        1,
        "the first build must run the build script exactly once; runs: {runs:?}\n{stderr}"
    );
    let out_dir = PathBuf::from(&runs[0]);
    let client = out_dir.join("client.rs");
    let generated_v1 = read(&client);
    assert!(
        generated_v1.contains("revision one") && generated_v1.contains("widget_id"),
        "{} must be generated from the spec:\n{generated_v1}",
        client.display()
    );
    assert!(
        !generated_v1.contains("paint_finish"),
        "the first spec has no `paintFinish`:\n{generated_v1}"
    );
    assert!(
        !stderr.contains("cookie parameter"),
        "the first spec has nothing to warn about:\n{stderr}"
    );
    let watched = rerun_if_changed(&first.stdout, &name);
    let expected: BTreeSet<PathBuf> = [canonical(&fixture.config()), canonical(&fixture.spec())]
        .into_iter()
        .collect();
    assert_eq!(
        watched, expected,
        "okgen must print cargo:rerun-if-changed for exactly the configuration and the spec\n{stderr}"
    );
    let client_mtime = mtime(&client);

    // 2. Nothing changed: nothing of the fixture is rebuilt and the script does not run.
    let stderr = fixture.build("2-unchanged").stderr;
    let runs = fixture.runs();
    assert_eq!(
        runs.len(),
        1,
        "a build with no change must not rerun the build script; runs: {runs:?}\n{stderr}"
    );
    assert!(
        !stderr.contains(&compiling),
        "a build with no change must not rebuild the fixture:\n{stderr}"
    );
    assert_eq!(
        mtime(&client),
        client_mtime,
        "a build with no change must leave the generated file alone"
    );

    // 3. The spec changes: the script reruns, into the same OUT_DIR, and the client follows.
    std::thread::sleep(MTIME_GRANULARITY);
    write(&fixture.spec(), SPEC_V2);
    let stderr = fixture.build("3-spec-edited").stderr;
    let runs = fixture.runs();
    assert_eq!(
        runs.len(),
        2,
        "editing the spec must rerun the build script exactly once; runs: {runs:?}\n{stderr}"
    );
    assert_eq!(runs[1], runs[0], "the OUT_DIR must stay the same");
    // What lenient mode left out reaches whoever builds the crate, as cargo warnings.
    assert!(
        stderr.lines().any(|l| l.starts_with("warning: ")
            && l.contains("cookie parameter `session` is not supported")
            && l.contains("api.yaml")),
        "the build must show okgen's warning as a cargo warning:\n{stderr}"
    );
    let generated_v2 = read(&client);
    assert!(
        generated_v2.contains("revision two") && generated_v2.contains("paint_finish"),
        "{} must be regenerated from the edited spec:\n{generated_v2}",
        client.display()
    );
    assert!(
        !generated_v2.contains("revision one"),
        "the old description must be gone from {}:\n{generated_v2}",
        client.display()
    );

    // 4. Files of the package that are no input (the library source, a stray file) get a newer
    //    modification time: the library is rebuilt, but the script does not run.
    std::thread::sleep(MTIME_GRANULARITY);
    touch(&fixture.krate.join("src/lib.rs"));
    touch(&fixture.krate.join("notes.md"));
    let stderr = fixture.build("4-unrelated-touched").stderr;
    let runs = fixture.runs();
    assert!(
        stderr.contains(&compiling),
        "touching src/lib.rs must rebuild the fixture's library (else this step proves nothing):\n{stderr}"
    );
    assert_eq!(
        runs.len(),
        2,
        "touching files that are no input must not rerun the build script; runs: {runs:?}\n{stderr}"
    );
    assert_eq!(read(&client), generated_v2);

    // 5. The configuration is an input too: pointing `output` elsewhere reruns the script,
    //    which writes the new file.
    std::thread::sleep(MTIME_GRANULARITY);
    write(&fixture.config(), CODEGEN_V2);
    let stderr = fixture.build("5-config-edited").stderr;
    let runs = fixture.runs();
    assert_eq!(
        runs.len(),
        3,
        "editing the configuration must rerun the build script exactly once; runs: {runs:?}\n{stderr}"
    );
    let renamed = out_dir.join("client_renamed.rs");
    assert_eq!(
        fs::read_to_string(&renamed).ok().as_deref(),
        Some(generated_v2.as_str()),
        "{} must hold the client after `output` changed\n{stderr}",
        renamed.display()
    );

    // 6. As a build-dependency without default features, okgen compiles only what generating
    //    needs: not the CLI (clap), not the overlay's JSONPath engine (serde_json_path, nom).
    let offline = fixture.offline;
    let tree = fixture.cargo(
        "6-tree",
        &["tree", "-e", "normal,build", "--prefix", "none"],
        offline,
    );
    assert!(tree.success, "`cargo tree` failed:\n{}", tree.stderr);
    let crates: BTreeSet<&str> = tree
        .stdout
        .lines()
        .filter_map(|line| line.split_whitespace().next())
        .collect();
    assert!(
        crates.contains("okgen") && crates.contains("openapiv3"),
        "the tree must list okgen and what it needs:\n{}",
        tree.stdout
    );
    for unneeded in ["clap", "serde_json_path", "nom"] {
        assert!(
            !crates.contains(unneeded),
            "okgen without default features must not pull in {unneeded}:\n{}",
            tree.stdout
        );
    }

    // 7. Such an okgen refuses a configuration with an overlay, saying which feature applies
    //    it, instead of generating from the uncorrected document.
    std::thread::sleep(MTIME_GRANULARITY);
    write(&fixture.krate.join("fix.yaml"), OVERLAY);
    write(&fixture.config(), CODEGEN_OVERLAY);
    let refused = fixture.cargo("7-overlay-without-feature", &["build", "-vv"], offline);
    assert!(
        !refused.success,
        "an overlay without okgen's `overlay` feature must fail the build:\n{}",
        refused.stderr
    );
    assert!(
        refused.stderr.contains("fix.yaml")
            && refused.stderr.contains("/actions/0")
            && refused.stderr.contains("`overlay` feature")
            && refused.stderr.contains("features = [\"overlay\"]"),
        "the error must name the overlay's action and the feature to enable:\n{}",
        refused.stderr
    );

    fixture.clean_up();
}
