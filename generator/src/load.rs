//! Stage 1: read a YAML or JSON OpenAPI document into a raw JSON value and a typed
//! `openapiv3::OpenAPI`, with errors that name the file, the JSON pointer and the line.

use std::path::{Path, PathBuf};

use crate::error::{Diagnostics, Error, Location, Mode, Result, Warning};
use crate::pointer;

/// A loaded OpenAPI document.
#[derive(Debug)]
pub struct Document {
    /// Where it was read from.
    pub path: PathBuf,
    /// The text as read, kept so that errors can name lines.
    pub text: String,
    /// The document as plain JSON (YAML is converted).
    pub raw: serde_json::Value,
    /// The typed document.
    pub api: openapiv3::OpenAPI,
    /// What loading left out or changed (lenient mode), in document order.
    pub warnings: Vec<Warning>,
    /// The mode it was loaded in; lowering uses the same.
    pub mode: Mode,
}

impl Document {
    /// A location inside this document, with the line filled in when it can be found.
    pub fn at(&self, pointer: &str) -> Location {
        let line = if self.is_json() {
            None
        } else {
            pointer::yaml_line(&self.text, pointer)
        };
        Location {
            file: self.path.clone(),
            pointer: Some(pointer.to_owned()),
            line,
            column: None,
        }
    }

    fn is_json(&self) -> bool {
        is_json_path(&self.path)
    }
}

fn is_json_path(path: &Path) -> bool {
    path.extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("json"))
}

/// Reads a file to a string.
pub(crate) fn read(path: &Path) -> Result<String> {
    std::fs::read_to_string(path).map_err(|source| Error::Read {
        path: path.to_owned(),
        source,
    })
}

/// Parses YAML or JSON text (by the file's extension) into a JSON value.
pub fn parse_raw(path: &Path, text: &str) -> Result<serde_json::Value> {
    if is_json_path(path) {
        serde_json::from_str(text).map_err(|e| Error::Syntax {
            location: Box::new(Location {
                file: path.to_owned(),
                pointer: None,
                line: Some(e.line()),
                column: Some(e.column()),
            }),
            format: "JSON",
            message: e.to_string(),
        })
    } else {
        serde_yaml::from_str(text).map_err(|e| {
            let (line, column) = match e.location() {
                Some(l) => (Some(l.line()), Some(l.column())),
                None => (None, None),
            };
            Error::Syntax {
                location: Box::new(Location {
                    file: path.to_owned(),
                    pointer: None,
                    line,
                    column,
                }),
                format: "YAML",
                message: e.to_string(),
            }
        })
    }
}

/// Loads a document from a file (in the default, lenient mode).
pub fn load(path: &Path) -> Result<Document> {
    load_with(path, None, Mode::default())
}

/// Loads a document from a file, applying an Overlay 1.0 document to it first (lenient mode).
pub fn load_with_overlay(path: &Path, overlay: Option<&Path>) -> Result<Document> {
    load_with(path, overlay, Mode::default())
}

/// Loads a document from a file, applying an Overlay 1.0 document to it first, in `mode`.
pub fn load_with(path: &Path, overlay: Option<&Path>, mode: Mode) -> Result<Document> {
    let text = read(path)?;
    let mut raw = parse_raw(path, &text)?;
    if let Some(overlay) = overlay {
        crate::overlay::Overlay::load(overlay)?.apply(&mut raw)?;
    }
    from_raw_with(path.to_owned(), text, raw, mode)
}

/// Parses a document from text; `path` names it in errors and decides YAML or JSON
/// (lenient mode).
pub fn parse(path: impl Into<PathBuf>, text: impl Into<String>) -> Result<Document> {
    parse_with(path, text, Mode::default())
}

/// Parses a document from text in `mode`.
pub fn parse_with(
    path: impl Into<PathBuf>,
    text: impl Into<String>,
    mode: Mode,
) -> Result<Document> {
    let path = path.into();
    let text = text.into();
    let raw = parse_raw(&path, &text)?;
    from_raw_with(path, text, raw, mode)
}

/// Builds the typed document from an already parsed (and possibly overlaid) raw value
/// (lenient mode).
pub fn from_raw(path: PathBuf, text: String, raw: serde_json::Value) -> Result<Document> {
    from_raw_with(path, text, raw, Mode::default())
}

/// Builds the typed document from an already parsed (and possibly overlaid) raw value, in
/// `mode`.
pub fn from_raw_with(
    path: PathBuf,
    text: String,
    raw: serde_json::Value,
    mode: Mode,
) -> Result<Document> {
    let mut diagnostics = Diagnostics::new(mode);
    let mut raw = raw;
    check_version(&path, &text, &raw)?;
    let api = match typed(&raw) {
        Ok(api) => api,
        Err(e) if mode == Mode::Lenient => {
            // Take out what the typed parse refuses, say so, and parse what is left.
            let fixes = crate::repair::repair(&mut raw);
            if fixes.is_empty() {
                return Err(parse_error(&path, &text, &raw, &e));
            }
            for fix in fixes {
                diagnostics.warn(Warning {
                    location: locate(&path, &text, &fix.at),
                    message: format!(
                        "not a valid OpenAPI 3.0 document here: {}; {}",
                        fix.reason, fix.action
                    ),
                    hint: Some("correct the document, or patch it with an overlay".into()),
                })?;
            }
            typed(&raw).map_err(|e| parse_error(&path, &text, &raw, &e))?
        }
        Err(e) => return Err(parse_error(&path, &text, &raw, &e)),
    };
    Ok(Document {
        path,
        text,
        raw,
        api,
        warnings: diagnostics.warnings,
        mode,
    })
}

type TypedError = serde_path_to_error::Error<serde_json::Error>;

fn typed(raw: &serde_json::Value) -> std::result::Result<openapiv3::OpenAPI, TypedError> {
    serde_path_to_error::deserialize(raw)
}

/// The error for a refused typed parse, at the most precise place that can be found.
fn parse_error(path: &Path, text: &str, raw: &serde_json::Value, e: &TypedError) -> Error {
    let (ptr, message) = refine(
        raw,
        pointer::from_serde_path(e.path()),
        e.inner().to_string(),
    );
    Error::Spec {
        location: Box::new(locate(path, text, &ptr)),
        message: format!("not a valid OpenAPI 3.0 document: {message}"),
        hint: None,
    }
}

/// A place in the document `text` read from `path`, with its line when it can be found.
fn locate(path: &Path, text: &str, ptr: &str) -> Location {
    Location {
        file: path.to_owned(),
        pointer: Some(ptr.to_owned()),
        line: if is_json_path(path) {
            None
        } else {
            pointer::yaml_line(text, ptr)
        },
        column: None,
    }
}

fn check_version(path: &Path, text: &str, raw: &serde_json::Value) -> Result<()> {
    let version = raw.get("openapi").and_then(|v| v.as_str());
    match version {
        Some(v) if v.starts_with("3.0") => Ok(()),
        other => Err(Error::Spec {
            location: Box::new(Location {
                file: path.to_owned(),
                pointer: Some("/openapi".into()),
                line: pointer::yaml_line(text, "/openapi"),
                column: None,
            }),
            message: match other {
                Some(v) => format!("OpenAPI version {v:?} is not supported"),
                None => "missing `openapi` version field".into(),
            },
            hint: Some("okgen reads OpenAPI 3.0.x documents (`openapi: 3.0.3`)".into()),
        }),
    }
}

/// openapiv3 reads `$ref`-or-item values as untagged enums, so an error inside one is reported
/// at the enclosing map (`/paths`, `/components/schemas`). Deserializing each entry as the item
/// type on its own finds the real place.
fn refine(raw: &serde_json::Value, at: String, message: String) -> (String, String) {
    fn first_error<T: serde::de::DeserializeOwned>(
        map: &serde_json::Map<String, serde_json::Value>,
        base: &str,
    ) -> Option<(String, String)> {
        map.iter().find_map(|(key, value)| {
            if value.get("$ref").is_some() {
                return None;
            }
            serde_path_to_error::deserialize::<_, T>(value)
                .err()
                .map(|e| {
                    let inner = pointer::from_serde_path(e.path());
                    (
                        format!("{}{inner}", pointer::join(base, key)),
                        e.inner().to_string(),
                    )
                })
        })
    }
    let Some(map) = raw.pointer(&at).and_then(|v| v.as_object()) else {
        return (at, message);
    };
    let found = match at.as_str() {
        "/paths" => first_error::<openapiv3::PathItem>(map, &at),
        "/components/schemas" => first_error::<openapiv3::Schema>(map, &at),
        "/components/parameters" => first_error::<openapiv3::Parameter>(map, &at),
        "/components/responses" => first_error::<openapiv3::Response>(map, &at),
        "/components/requestBodies" => first_error::<openapiv3::RequestBody>(map, &at),
        "/components/examples" => first_error::<openapiv3::Example>(map, &at),
        _ => None,
    };
    found.unwrap_or((at, message))
}
