//! okgen: generates a typed, forward-compatible async Rust client from an OpenAPI 3.0 document.
//!
//! The pipeline runs in one direction: **load** (YAML/JSON → `openapiv3`) → **select**
//! (operations by tag, path or operationId) → **lower** (to an [`ir`] that already speaks Rust,
//! reaching exactly the schemas the operations use) → **emit** (`quote!`) → **format**
//! (`prettyplease`).
//!
//! From a build script, in the style of `prost-build`:
//!
//! ```no_run
//! let config = okgen::Config::from_file("../spec/codegen.yaml");
//! if let Err(e) = config.and_then(|c| c.generate().map(drop)) {
//!     eprintln!("{e}");
//!     std::process::exit(1);
//! }
//! ```
//! and in the crate: `include!(concat!(env!("OUT_DIR"), "/okgen_client.rs"));`, at the crate root or
//! inside a module (the generated code only uses paths relative to where it is included).
//!
//! # Features
//!
//! Generating needs none of them: a build script depends on okgen with
//! `default-features = false` (and `features = ["overlay"]` when its configuration names an
//! overlay), so it compiles only what generation uses.
//!
//! - `cli` (default): the `okgen` command, with all of the below.
//! - `overlay`: applies the configuration's `overlay:` (JSONPath targets, by `serde_json_path`);
//!   without it a configuration with an overlay is refused, naming this feature.
//! - `check`: [`check_examples`] (decodes and validates every example); enables `validate`.
//! - `validate`: `okgen::validate`, JSON values against the document's schemas.
//! - `slice`: `okgen::slice::slice` and `slice_yaml`, the selected operations as a document.

#[cfg(feature = "check")]
pub mod check;
pub mod config;
mod docs;
mod emit;
pub mod error;
#[cfg(feature = "check")]
pub mod examples;
pub mod ir;
pub mod load;
mod lower;
pub mod names;
pub mod normalize;
pub mod overlay;
pub mod pointer;
mod refs;
mod repair;
pub mod report;
mod schema_check;
pub mod slice;
#[cfg(feature = "validate")]
pub mod validate;

use std::path::{Path, PathBuf};

pub use config::{Config, Responses, Selection};
pub use error::{Error, Location, Mode, Result, Warning};
pub use ir::{Features, Profile};

/// The dependencies the generated code needs, as `Cargo.toml` lines: the `[dependencies]` table
/// of the runtime crate's manifest (`templates/Cargo.toml`), the one place they are listed. A
/// standalone crate gets exactly these; `generated/Cargo.toml` lists the same (a test checks).
pub const RUNTIME_DEPENDENCIES: &str = emit::runtime::DEPENDENCIES;

/// The runtime as it is stamped at the end of every generated source of `profile`, after the
/// generated part: the modules of `templates/` (the `okgen-runtime` crate) without their tests,
/// with the items of that profile only, and the re-exports of `Client`, `Error` and the rest. It
/// is the same for every client of the profile, so
/// `generated.source.strip_suffix(runtime_source(generated.api.profile)?)` is the part generated
/// from the document.
pub fn runtime_source(profile: Profile) -> Result<&'static str> {
    emit::runtime::source(profile)
}

/// Rewrites Markdown from an OpenAPI description the way the generator does for every text of
/// the document it puts in a doc comment, so that rustdoc renders it without warnings and without
/// doctests. It reads the text with `pulldown-cmark`, as rustdoc does: code blocks get a non-Rust
/// language, bare URLs become autolinks, brackets rustdoc would take for intra-doc links and HTML
/// it would warn about are escaped, relative links become absolute, lazy list and quote lines are
/// written out, and characters rustc refuses (bidirectional controls, NUL, ...) are written as
/// `\u{202e}`.
pub fn sanitize_doc(text: &str) -> String {
    docs::sanitize(text)
}

/// The result of a generation run.
#[derive(Debug, Clone)]
pub struct Generated {
    /// The complete generated source.
    pub source: String,
    /// The lowered API (what was generated), for reports and tests.
    pub api: ir::Api,
    /// Every file read to produce it.
    pub inputs: Vec<PathBuf>,
    /// What was left out or changed, with where and why (always empty in strict mode, where
    /// each would have been an error).
    pub warnings: Vec<Warning>,
}

/// Loads, selects and lowers without emitting.
pub fn lower(config: &Config) -> Result<(ir::Api, Vec<PathBuf>)> {
    let doc = config.load()?;
    lower_loaded(config, &doc)
}

/// [`lower`] of a loaded document.
fn lower_loaded(config: &Config, doc: &load::Document) -> Result<(ir::Api, Vec<PathBuf>)> {
    config.check_selection(doc)?;
    let mut api = lower::lower_with(doc, &config.selection, config.profile, config.responses)?;
    if config.features == Features::PerTag {
        lower::features::assign(&mut api);
    }
    Ok((api, config.input_files()))
}

/// What [`check_examples`] found.
#[cfg(feature = "check")]
#[derive(Debug, Clone)]
pub struct CheckReport {
    /// How many examples were checked.
    pub examples: usize,
    /// How many operations were selected.
    pub operations: usize,
    /// Every mismatch, in document order.
    pub findings: Vec<check::Finding>,
}

/// Decodes every example of the selected operations into the generated types and validates it
/// against its schema (see [`check`]).
#[cfg(feature = "check")]
pub fn check_examples(config: &Config) -> Result<CheckReport> {
    let doc = config.load()?;
    config.check_selection(&doc)?;
    let api = lower::lower_with(&doc, &config.selection, config.profile, config.responses)?;
    let examples = examples::collect(&doc, &config.selection)?;
    Ok(CheckReport {
        examples: examples.len(),
        operations: api.operations.len(),
        findings: check::check(&doc, &api, &examples),
    })
}

/// Lowers the selected operations of a loaded document into the IR.
pub fn lower_document(doc: &load::Document, selection: &Selection) -> Result<ir::Api> {
    lower::lower(doc, selection)
}

/// Lowers the selected operations of a loaded document with strict or lenient responses (see
/// [`Responses`]); the profile is the one the document calls for.
pub fn lower_document_with(
    doc: &load::Document,
    selection: &Selection,
    responses: Responses,
) -> Result<ir::Api> {
    lower::lower_with(doc, selection, None, responses)
}

/// Emits the complete source for lowered IR.
pub fn emit(api: &ir::Api) -> Result<String> {
    emit::emit(api)
}

/// Runs the whole pipeline and returns the source, writing nothing.
pub fn generate_source(config: &Config) -> Result<Generated> {
    let doc = config.load()?;
    // The runtime the client carries depends only on the profile: it is stamped (once per
    // process) on another thread while the document is lowered. Without that thread, `emit`
    // stamps it.
    let profile = config
        .profile
        .unwrap_or_else(|| lower::profile::detect(&doc.api).0);
    let (api, inputs) = std::thread::scope(|scope| {
        let stamping = std::thread::Builder::new()
            .name("okgen-runtime".into())
            .spawn_scoped(scope, move || emit::runtime::source(profile).is_ok());
        let lowered = lower_loaded(config, &doc);
        // Its outcome is `emit`'s to report.
        if let Ok(handle) = stamping {
            let _ = handle.join();
        }
        lowered
    })?;
    drop(doc);
    let source = emit::emit(&api)?;
    Ok(Generated {
        source,
        warnings: api.warnings.clone(),
        api,
        inputs,
    })
}

impl Config {
    /// Generates into the output directory (`$OUT_DIR` unless set) and, from a build script,
    /// prints `cargo:rerun-if-changed` for every input. The file is rewritten only when its
    /// content changes.
    pub fn generate(&self) -> Result<Generated> {
        let out_dir = match &self.out_dir {
            Some(dir) => dir.clone(),
            None => std::env::var_os("OUT_DIR").map(PathBuf::from).ok_or_else(|| {
                Error::Environment(
                    "OUT_DIR is not set: call generate() from a build script, or set an output directory with Config::out_dir".into(),
                )
            })?,
        };
        if self.emit_rerun_if_changed {
            // Printed before generating, so a failed run still reruns when an input is fixed.
            for input in self.input_files() {
                println!("cargo:rerun-if-changed={}", input.display());
            }
        }
        if self.emit_rerun_if_changed {
            // The generated client's User-Agent names the compiler: `rust/<version>`.
            if let Some(version) = rustc_version() {
                println!("cargo:rustc-env=OKGEN_RUSTC_VERSION={version}");
            }
        }
        let generated = generate_source(self)?;
        if self.emit_rerun_if_changed {
            // Cargo shows these to whoever builds the crate.
            for warning in &generated.warnings {
                println!("cargo:warning={}", one_line(&warning.to_string()));
            }
        }
        if self.emit_rerun_if_changed {
            for line in feature_instructions(&generated.api, |name| std::env::var_os(name)) {
                println!("{line}");
            }
        }
        write_if_changed(&out_dir.join(&self.output_file), &generated.source)?;
        Ok(generated)
    }

    /// Every file a generation run reads: the configuration file (when there is one), the
    /// spec and the overlay.
    pub fn input_files(&self) -> Vec<PathBuf> {
        let mut inputs = self.config_inputs.clone();
        inputs.push(self.spec.clone());
        inputs.extend(self.overlay.clone());
        inputs
    }

    /// Loads the spec with the overlay applied, in this configuration's mode, for this
    /// configuration's selection (see [`load::load_selected`]).
    pub fn load(&self) -> Result<load::Document> {
        load::load_selected(
            &self.spec,
            self.overlay.as_deref(),
            self.mode,
            &self.selection,
        )
    }
}

/// What a build script tells cargo about a client with a feature per tag: the feature names
/// its code tests (`cargo:rustc-check-cfg`, so that rustc knows them even before the crate
/// declares them), and a warning when none of them is enabled (`env` reads cargo's
/// `CARGO_FEATURE_*`): the crate then has no operation, most likely because its manifest does
/// not declare the features. Nothing for a client without features.
pub fn feature_instructions(
    api: &ir::Api,
    env: impl Fn(&str) -> Option<std::ffi::OsString>,
) -> Vec<String> {
    let Some(tf) = &api.tag_features else {
        return Vec::new();
    };
    if tf.features.is_empty() {
        return Vec::new();
    }
    let names: Vec<String> = tf
        .features
        .iter()
        .map(|f| format!("\"{}\"", f.name))
        .collect();
    let mut lines = vec![format!(
        "cargo:rustc-check-cfg=cfg(feature, values({}))",
        names.join(", ")
    )];
    let enabled = tf.features.iter().any(|f| {
        let var = format!(
            "CARGO_FEATURE_{}",
            f.name.to_ascii_uppercase().replace('-', "_")
        );
        env(&var).is_some()
    });
    if !enabled {
        lines.push(format!(
            "cargo:warning=okgen: no feature of the generated client is enabled, so it has no operation; declare its features in Cargo.toml (`okgen features --config …` prints the table: full = [{}]) and enable some",
            names.join(", ")
        ));
    }
    lines
}

/// A message on one line (a `cargo:` instruction ends at the line's end).
fn one_line(text: &str) -> String {
    text.split('\n')
        .map(str::trim)
        .collect::<Vec<_>>()
        .join(" — ")
}

/// The version of the compiler cargo builds with (`$RUSTC --version`, e.g. `1.85.0`), from a
/// build script; `None` elsewhere or when it cannot be run.
pub fn rustc_version() -> Option<String> {
    let rustc = std::env::var_os("RUSTC")?;
    let output = std::process::Command::new(rustc)
        .arg("--version")
        .output()
        .ok()?;
    let text = String::from_utf8(output.stdout).ok()?;
    parse_rustc_version(&text)
}

/// `1.85.0` from `rustc 1.85.0 (4d91de4e4 2025-02-17)`.
fn parse_rustc_version(text: &str) -> Option<String> {
    let version = text.strip_prefix("rustc ")?.split_whitespace().next()?;
    version
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '+'))
        .then(|| version.to_owned())
}

/// The build script of a standalone crate: it tells the client which compiler built it.
const STANDALONE_BUILD_SCRIPT: &str = r#"//! Sets OKGEN_RUSTC_VERSION (the `rust/<version>` of the client's User-Agent).

fn main() {
    let rustc = std::env::var_os("RUSTC").unwrap_or_else(|| "rustc".into());
    let output = std::process::Command::new(rustc).arg("--version").output();
    let text = output.map(|o| String::from_utf8_lossy(&o.stdout).into_owned());
    let version = text.ok().and_then(|t| {
        let v = t.strip_prefix("rustc ")?.split_whitespace().next()?.to_owned();
        v.chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '+'))
            .then_some(v)
    });
    if let Some(version) = version {
        println!("cargo:rustc-env=OKGEN_RUSTC_VERSION={version}");
    }
}
"#;

/// Writes `content` to `path` unless the file already holds exactly that, so that a no-op
/// build leaves timestamps alone.
pub fn write_if_changed(path: &Path, content: &str) -> Result<bool> {
    if std::fs::read_to_string(path).is_ok_and(|old| old == content) {
        return Ok(false);
    }
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).map_err(|source| Error::Write {
            path: parent.to_owned(),
            source,
        })?;
    }
    std::fs::write(path, content).map_err(|source| Error::Write {
        path: path.to_owned(),
        source,
    })?;
    Ok(true)
}

/// The `[features]` table of a client with a feature per tag (`features: per-tag`), `None`
/// without: a feature per tag, `full` with all of them, and `default = ["full"]`, so the whole
/// client builds as it is and `default-features = false, features = ["user"]` takes one tag.
/// A standalone crate gets it; a crate that generates from its build script declares the same
/// (`okgen features --config …` prints it).
pub fn features_table(api: &ir::Api) -> Option<String> {
    let tf = api.tag_features.as_ref()?;
    let quoted: Vec<String> = tf
        .features
        .iter()
        .map(|f| format!("\"{}\"", f.name))
        .collect();
    let mut table = format!(
        "[features]\ndefault = [\"full\"]\n# Every tag's operations.\nfull = [{}]\n",
        quoted.join(", ")
    );
    for f in &tf.features {
        let what = match &f.tag {
            Some(tag) => format!("tagged {tag:?}"),
            None => "without a tag".to_owned(),
        };
        let count = f.operations.len();
        let plural = if count == 1 { "" } else { "s" };
        table.push_str(&format!(
            "# {count} operation{plural} {what}: client.{}().\n{} = []\n",
            f.accessor.trim_start_matches("r#"),
            f.name
        ));
    }
    Some(table)
}

/// Writes `generated` as a standalone crate in `dir`: `Cargo.toml` (named after the directory,
/// with the runtime's dependencies, the [`features_table`] of a client with a feature per tag, and
/// an empty `[workspace]` so it builds on its own),
/// `src/lib.rs`, and a `build.rs` that passes the compiler's version to the client's User-Agent.
pub fn write_standalone_crate(dir: &Path, generated: &Generated) -> Result<()> {
    let name = dir
        .file_name()
        .and_then(|n| n.to_str())
        .map(|n| {
            n.chars()
                .map(|c| {
                    // Lower case: cargo derives the library's name from it, and rustc wants
                    // a snake-case crate name.
                    if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                        c.to_ascii_lowercase()
                    } else {
                        '-'
                    }
                })
                .collect::<String>()
        })
        .filter(|n| !n.is_empty() && n.starts_with(|c: char| c.is_ascii_alphabetic()))
        .unwrap_or_else(|| "okgen-client".to_owned());
    let features = features_table(&generated.api)
        .map(|table| format!("\n{table}"))
        .unwrap_or_default();
    let manifest = format!(
        "[package]\nname = \"{name}\"\nversion = \"0.1.0\"\nedition = \"2021\"\npublish = false\n\n[dependencies]\n{RUNTIME_DEPENDENCIES}{features}\n[workspace]\n"
    );
    write_if_changed(&dir.join("Cargo.toml"), &manifest)?;
    write_if_changed(&dir.join("src/lib.rs"), &generated.source)?;
    write_if_changed(&dir.join("build.rs"), STANDALONE_BUILD_SCRIPT)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::parse_rustc_version;

    #[test]
    fn rustc_versions_are_read_from_the_version_line() {
        assert_eq!(
            parse_rustc_version("rustc 1.85.0 (4d91de4e4 2025-02-17)\n").as_deref(),
            Some("1.85.0")
        );
        assert_eq!(
            parse_rustc_version("rustc 1.87.0-nightly (abc 2025-03-01)").as_deref(),
            Some("1.87.0-nightly")
        );
        assert_eq!(parse_rustc_version("clippy-driver 0.1"), None);
        assert_eq!(parse_rustc_version("rustc 1.0\"; evil"), None);
    }
}
