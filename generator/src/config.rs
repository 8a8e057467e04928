//! What to generate: the spec, the selection of operations, and where the output goes.
//! The same settings come from a YAML file (shared by `build.rs` and the CLI) or from the
//! builder methods of [`Config`].

use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::error::{Error, Location, Mode, Result};
use crate::ir::{Features, Profile};

/// Which operations to generate. An operation is selected when it matches any entry; an empty
/// selection selects every operation of the document.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Selection {
    /// Operations carrying any of these tags.
    #[serde(default)]
    pub tags: Vec<String>,
    /// Operations under any of these path templates (exact match, e.g. `/api/v1/users/{id}`).
    #[serde(default)]
    pub paths: Vec<String>,
    /// Operations with any of these `operationId`s.
    #[serde(default, rename = "operationIds")]
    pub operation_ids: Vec<String>,
}

impl Selection {
    /// Whether nothing is named (then every operation is selected).
    pub fn is_empty(&self) -> bool {
        self.tags.is_empty() && self.paths.is_empty() && self.operation_ids.is_empty()
    }

    /// Whether the operation at `path` is selected.
    pub fn matches(&self, path: &str, op: &openapiv3::Operation) -> bool {
        self.is_empty()
            || self.paths.iter().any(|p| p == path)
            || op.tags.iter().any(|t| self.tags.contains(t))
            || op
                .operation_id
                .as_ref()
                .is_some_and(|id| self.operation_ids.contains(id))
    }
}

impl std::fmt::Display for Selection {
    /// In words, naming only what is set: `tags [Foo], operationIds [bar]`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.is_empty() {
            return write!(f, "every operation");
        }
        let parts = [
            ("tags", &self.tags),
            ("paths", &self.paths),
            ("operationIds", &self.operation_ids),
        ];
        let mut first = true;
        for (key, names) in parts {
            if names.is_empty() {
                continue;
            }
            if !first {
                write!(f, ", ")?;
            }
            first = false;
            write!(f, "{key} [{}]", names.join(", "))?;
        }
        Ok(())
    }
}

impl Selection {
    /// Whether any operation of `api` is selected.
    pub fn matches_any(&self, api: &openapiv3::OpenAPI) -> bool {
        api.paths.paths.iter().any(|(path, item)| {
            item.as_item()
                .is_some_and(|item| item.iter().any(|(_, op)| self.matches(path, op)))
        })
    }
}

/// How response bodies treat a property their schema marks required but a response leaves
/// out (`responses:` in the configuration).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Responses {
    /// As the schema says: a missing required property fails decoding (the call fails, and the
    /// error names the field, `[1].href`). Required fields are plain values.
    #[default]
    Strict,
    /// A required field of a type a response body reaches is an `Option`, `None` when the
    /// property is absent; the constructor still takes the value. Types reached only from
    /// request bodies, the discriminator of a tagged union and the variants of an untagged
    /// union stay as the schema says.
    Lenient,
}

impl Responses {
    /// `strict` or `lenient`, as in the configuration.
    pub fn as_str(self) -> &'static str {
        match self {
            Responses::Strict => "strict",
            Responses::Lenient => "lenient",
        }
    }
}

impl std::fmt::Display for Responses {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::str::FromStr for Responses {
    type Err = String;

    /// `strict` or `lenient` (the CLI's `--responses`).
    fn from_str(value: &str) -> std::result::Result<Self, String> {
        match value {
            "strict" => Ok(Responses::Strict),
            "lenient" => Ok(Responses::Lenient),
            other => Err(format!("expected `strict` or `lenient`, got {other:?}")),
        }
    }
}

/// The configuration file format (`spec/codegen.yaml`).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct ConfigFile {
    /// The OpenAPI document, relative to the configuration file.
    spec: PathBuf,
    /// An Overlay 1.0 document applied to the spec before parsing, relative to the file.
    #[serde(default)]
    overlay: Option<PathBuf>,
    #[serde(default)]
    select: Selection,
    /// File name of the generated source inside the output directory.
    #[serde(default)]
    output: Option<String>,
    /// Refuse the document when any part of it cannot be generated (default: leave that part
    /// out with a warning).
    #[serde(default)]
    strict: bool,
    /// The runtime conventions: `okta` or `generic` (default: decided from the document).
    #[serde(default)]
    profile: Option<Profile>,
    /// `strict` (default) or `lenient`: whether a response may leave out a required property.
    #[serde(default)]
    responses: Responses,
    /// `per-tag`: a cargo feature per tag (default `none`).
    #[serde(default)]
    features: Features,
}

/// The generator's settings. Build it in code (`Config::new(spec)`), or read it from a file
/// (`Config::from_file`), then call [`Config::generate`] from a build script.
#[derive(Debug, Clone)]
pub struct Config {
    pub(crate) spec: PathBuf,
    pub(crate) overlay: Option<PathBuf>,
    pub(crate) selection: Selection,
    pub(crate) output_file: String,
    pub(crate) out_dir: Option<PathBuf>,
    /// Files read to make this configuration (the configuration file itself).
    pub(crate) config_inputs: Vec<PathBuf>,
    pub(crate) emit_rerun_if_changed: bool,
    pub(crate) mode: Mode,
    /// The runtime profile; `None` lets the document decide.
    pub(crate) profile: Option<Profile>,
    /// Whether a response may leave out a required property.
    pub(crate) responses: Responses,
    /// Whether the client gets a cargo feature per tag.
    pub(crate) features: Features,
}

/// Default name of the generated source file.
pub const DEFAULT_OUTPUT_FILE: &str = "okgen_client.rs";

impl Config {
    /// Generate from the OpenAPI document at `spec`.
    pub fn new(spec: impl Into<PathBuf>) -> Self {
        Config {
            spec: spec.into(),
            overlay: None,
            selection: Selection::default(),
            output_file: DEFAULT_OUTPUT_FILE.to_owned(),
            out_dir: None,
            config_inputs: Vec::new(),
            emit_rerun_if_changed: true,
            mode: Mode::default(),
            profile: None,
            responses: Responses::default(),
            features: Features::None,
        }
    }

    /// Reads a YAML configuration file. Relative paths in it are relative to the file.
    pub fn from_file(path: impl AsRef<Path>) -> Result<Self> {
        let path = path.as_ref();
        let text = crate::load::read(path)?;
        let file: ConfigFile = serde_yaml::from_str(&text).map_err(|e| Error::Config {
            location: Box::new(Location {
                file: path.to_owned(),
                pointer: None,
                line: e.location().map(|l| l.line()),
                column: e.location().map(|l| l.column()),
            }),
            message: e.to_string(),
        })?;
        let base = path.parent().unwrap_or(Path::new("."));
        let mut config = Config::new(base.join(&file.spec));
        config.overlay = file.overlay.map(|o| base.join(o));
        config.selection = file.select;
        if file.strict {
            config.mode = Mode::Strict;
        }
        config.profile = file.profile;
        config.responses = file.responses;
        config.features = file.features;
        if let Some(output) = file.output {
            if output.is_empty() || output.contains(['/', '\\']) {
                return Err(Error::Config {
                    location: Box::new(Location::file(path)),
                    message: format!("`output` must be a plain file name, got {output:?}"),
                });
            }
            config.output_file = output;
        }
        config.config_inputs.push(path.to_owned());
        Ok(config)
    }

    /// Apply this Overlay 1.0 document to the spec before parsing it.
    pub fn overlay(&mut self, overlay: impl Into<PathBuf>) -> &mut Self {
        self.overlay = Some(overlay.into());
        self
    }

    /// Generate from another document (keeping the selection, overlay and output).
    pub fn spec(&mut self, spec: impl Into<PathBuf>) -> &mut Self {
        self.spec = spec.into();
        self
    }

    /// Select operations carrying this tag.
    pub fn select_tag(&mut self, tag: impl Into<String>) -> &mut Self {
        self.selection.tags.push(tag.into());
        self
    }

    /// Select the operations under this path template.
    pub fn select_path(&mut self, path: impl Into<String>) -> &mut Self {
        self.selection.paths.push(path.into());
        self
    }

    /// Select the operation with this `operationId`.
    pub fn select_operation(&mut self, operation_id: impl Into<String>) -> &mut Self {
        self.selection.operation_ids.push(operation_id.into());
        self
    }

    /// The directory to write into; defaults to `$OUT_DIR`.
    pub fn out_dir(&mut self, dir: impl Into<PathBuf>) -> &mut Self {
        self.out_dir = Some(dir.into());
        self
    }

    /// The generated file's name inside the output directory.
    pub fn output_file(&mut self, name: impl Into<String>) -> &mut Self {
        self.output_file = name.into();
        self
    }

    /// Whether [`Config::generate`] prints `cargo:rerun-if-changed` lines (default: yes).
    pub fn emit_rerun_if_changed(&mut self, yes: bool) -> &mut Self {
        self.emit_rerun_if_changed = yes;
        self
    }

    /// Refuse a document any part of which cannot be generated, instead of leaving that part
    /// out with a warning (the default).
    pub fn strict(&mut self, yes: bool) -> &mut Self {
        self.mode = if yes { Mode::Strict } else { Mode::Lenient };
        self
    }

    /// The runtime conventions the client follows, whatever the document: Okta's or the generic
    /// ones (see [`Profile`]). Without this call, Okta's documents get `Okta` and any other
    /// `Generic`.
    pub fn profile(&mut self, profile: Profile) -> &mut Self {
        self.profile = Some(profile);
        self
    }

    /// Whether a response may leave out a property its schema marks required: with
    /// [`Responses::Lenient`] such a field of a type a response reaches is an `Option`
    /// (`None` when absent) instead of failing the call. Default [`Responses::Strict`].
    pub fn responses(&mut self, responses: Responses) -> &mut Self {
        self.responses = responses;
        self
    }

    /// Strict (the default) or lenient responses.
    pub fn responses_setting(&self) -> Responses {
        self.responses
    }

    /// A cargo feature per tag ([`Features::PerTag`]: each enables its tag's operations and the
    /// types they reach, and the `Client` groups the operations per tag), or none (the default).
    pub fn features(&mut self, features: Features) -> &mut Self {
        self.features = features;
        self
    }

    /// Whether the client gets a cargo feature per tag.
    pub fn features_setting(&self) -> Features {
        self.features
    }

    /// The profile set by the configuration (`None`: decided from the document).
    pub fn profile_setting(&self) -> Option<Profile> {
        self.profile
    }

    /// Lenient (the default) or strict.
    pub fn mode(&self) -> Mode {
        self.mode
    }

    /// The OpenAPI document this configuration reads.
    pub fn spec_path(&self) -> &Path {
        &self.spec
    }

    /// The overlay applied to the spec, if any.
    pub fn overlay_path(&self) -> Option<&Path> {
        self.overlay.as_deref()
    }

    /// The selection of operations.
    pub fn selection(&self) -> &Selection {
        &self.selection
    }

    /// The configuration file this configuration was read from, if any.
    pub fn config_file(&self) -> Option<&Path> {
        self.config_inputs.first().map(PathBuf::as_path)
    }

    /// When this configuration was read from a file and its `select` matches no operation of
    /// `doc`, the error naming that file, its `select` key and the names it lists. (Without a
    /// file, lowering reports the same at the document's `/paths`.)
    pub(crate) fn check_selection(&self, doc: &crate::load::Document) -> Result<()> {
        let Some(file) = self.config_file() else {
            return Ok(());
        };
        if self.selection.is_empty() || self.selection.matches_any(&doc.api) {
            return Ok(());
        }
        let line = crate::load::read(file)
            .ok()
            .and_then(|text| crate::pointer::yaml_line(&text, "/select"));
        Err(Error::Config {
            location: Box::new(Location {
                file: file.to_owned(),
                pointer: Some("/select".into()),
                line,
                column: None,
            }),
            message: format!(
                "select matches no operation of {}: {} — check the names",
                doc.path.display(),
                self.selection
            ),
        })
    }
}
