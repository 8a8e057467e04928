//! Stage 1: read a YAML or JSON OpenAPI document into a raw JSON value and a typed
//! `openapiv3::OpenAPI`, with errors that name the file, the JSON pointer and the line.

use std::path::{Path, PathBuf};

use crate::config::Selection;
use crate::error::{Diagnostics, Error, Location, Mode, Result, Warning};
use crate::pointer;
use crate::schema_check::{SchemaCheck, TypedError};

/// A loaded OpenAPI document.
#[derive(Debug)]
pub struct Document {
    /// Where it was read from.
    pub path: PathBuf,
    /// The text as read, kept so that errors can name lines.
    pub text: String,
    /// The document as plain JSON (YAML is converted). When it was loaded for a selection
    /// ([`load_selected`]), only the part that selection reads (see [`Document::api`]).
    pub raw: serde_json::Value,
    /// The typed document. When it was loaded for a selection ([`load_selected`]), the typed
    /// view of only what generating that selection reads: the path items with a selected
    /// operation (with only those operations), the components they reach (transitively), the
    /// security schemes, and the rest of the document but `paths` and `components`.
    pub api: openapiv3::OpenAPI,
    /// The names of every component schema of the whole document, in its order, whether the
    /// selection reaches them or not (each claims its Rust name first).
    pub schema_names: Vec<String>,
    /// What loading left out or changed (lenient mode), in document order.
    pub warnings: Vec<Warning>,
    /// The mode it was loaded in; lowering uses the same.
    pub mode: Mode,
    /// The nodes an overlay changed, so that a problem found in one names the action.
    pub overlay_changes: Vec<crate::overlay::Change>,
}

impl Document {
    /// A location inside this document, with the line filled in when it can be found.
    pub fn at(&self, pointer: &str) -> Location {
        location(&self.path, &self.text, pointer)
    }
}

/// The location of `pointer` in the document at `path` whose text is `text`, with the line
/// when it can be found (in YAML or JSON, by the file's extension).
pub(crate) fn location(path: &Path, text: &str, pointer: &str) -> Location {
    let line = if is_json_path(path) {
        pointer::json_line(text, pointer)
    } else {
        pointer::yaml_line(text, pointer)
    };
    Location {
        file: path.to_owned(),
        pointer: Some(pointer.to_owned()),
        line,
        column: None,
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
        let mut value = serde_yaml::from_str(text).map_err(|e| {
            let (mut line, mut column) = match e.location() {
                Some(l) => (Some(l.line()), Some(l.column())),
                None => (None, None),
            };
            let mut message = e.to_string();
            // libyaml reports a control character at the start of the document ("at position
            // N", line 1 column 1): find the character and name its real place.
            if message.contains("control characters are not allowed") {
                if let Some((l, c, ch)) = first_control_character(text) {
                    (line, column) = (Some(l), Some(c));
                    message = format!(
                        "control character U+{:04X} is not allowed in YAML; remove it, or write \
                         it as the escape \"\\u{:04X}\" inside a double-quoted string",
                        u32::from(ch),
                        u32::from(ch)
                    );
                }
            }
            Error::Syntax {
                location: Box::new(Location {
                    file: path.to_owned(),
                    pointer: None,
                    line,
                    column,
                }),
                format: "YAML",
                message,
            }
        })?;
        // Without a `<<` in the text there is no merge key to apply.
        if text.contains("<<") {
            apply_merges(&mut value).map_err(|(at, message)| Error::Syntax {
                location: Box::new(location(path, text, &at)),
                format: "YAML",
                message,
            })?;
        }
        Ok(value)
    }
}

/// The line, column (both 1-based, the column in characters) and value of the first character
/// YAML does not allow in a document (C0 controls other than tab, line feed and carriage
/// return; DEL; C1 controls other than NEL; U+FFFE and U+FFFF).
fn first_control_character(text: &str) -> Option<(usize, usize, char)> {
    let allowed = |c: char| {
        matches!(c, '\t' | '\n' | '\r' | '\u{85}')
            || ('\u{20}'..='\u{7e}').contains(&c)
            || ('\u{a0}'..='\u{fffd}').contains(&c)
            || c >= '\u{10000}'
    };
    let (mut line, mut column) = (1, 0);
    for c in text.chars() {
        if c == '\n' {
            (line, column) = (line + 1, 0);
            continue;
        }
        column += 1;
        if !allowed(c) {
            return Some((line, column, c));
        }
    }
    None
}

/// Applies YAML merge keys (`<<: *base`, `<<: [*a, *b]`), which serde_yaml leaves as plain
/// `<<` members: the merged mappings' entries take the place of the `<<` entry, except where
/// the mapping has the key itself; of several merged mappings the first wins, and a merged
/// mapping's own merges count after its own entries. Iterative, so nesting costs no stack. The
/// error names the pointer of the bad `<<`.
///
/// serde_yaml keeps keys as written (`200`, `1.10`) and the last of duplicate keys; its
/// `Value::apply_merge` would need `serde_yaml::Value`, which does neither, so the merge is
/// applied to the JSON value instead. A quoted `"<<"` key is taken as a merge key too.
fn apply_merges(value: &mut serde_json::Value) -> std::result::Result<(), (String, String)> {
    use serde_json::Value;
    const BAD: &str = "a YAML merge key `<<` must name a mapping (`<<: *base`) or a list of \
                       mappings (`<<: [*a, *b]`)";
    let mut stack: Vec<(&mut Value, String)> = vec![(value, String::new())];
    while let Some((node, at)) = stack.pop() {
        let children: Vec<(&mut Value, String)> = match node {
            Value::Object(map) => {
                if map.contains_key("<<") {
                    let own: std::collections::HashSet<String> =
                        map.keys().filter(|k| *k != "<<").cloned().collect();
                    let entries = std::mem::take(map);
                    for (key, value) in entries {
                        if key != "<<" {
                            map.insert(key, value);
                            continue;
                        }
                        let bad = || (pointer::join(&at, "<<"), BAD.to_owned());
                        let mut pending: Vec<Value> = match value {
                            Value::Object(_) => vec![value],
                            Value::Array(items) => items.into_iter().rev().collect(),
                            _ => return Err(bad()),
                        };
                        while let Some(merged) = pending.pop() {
                            let Value::Object(mut merged) = merged else {
                                return Err(bad());
                            };
                            let nested = merged.remove("<<");
                            for (k, v) in merged {
                                if !own.contains(&k) && !map.contains_key(&k) {
                                    map.insert(k, v);
                                }
                            }
                            match nested {
                                None => {}
                                Some(m @ Value::Object(_)) => pending.push(m),
                                Some(Value::Array(items)) => {
                                    pending.extend(items.into_iter().rev())
                                }
                                Some(_) => return Err(bad()),
                            }
                        }
                    }
                }
                map.iter_mut()
                    .map(|(k, v)| {
                        let child = pointer::join(&at, k);
                        (v, child)
                    })
                    .collect()
            }
            Value::Array(items) => items
                .iter_mut()
                .enumerate()
                .map(|(i, v)| (v, pointer::join(&at, &i.to_string())))
                .collect(),
            _ => Vec::new(),
        };
        stack.extend(children.into_iter().rev());
    }
    Ok(())
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
    load_selected(path, overlay, mode, &Selection::default())
}

/// Loads a document to generate `selection` from it: as [`load_with`], but the typed view is
/// made only of what generating the selection reads (see [`Document::api`]), so that a few
/// operations of a large document cost little more than parsing its text. The document is
/// parsed once, into one JSON value that the overlay changes in place; the parts the selection
/// does not reach are moved out of it, never copied, before the typed parse. What is left out
/// is never checked: a problem there is neither a warning nor an error. An empty selection
/// loads the whole document.
pub fn load_selected(
    path: &Path,
    overlay: Option<&Path>,
    mode: Mode,
    selection: &Selection,
) -> Result<Document> {
    let text = read(path)?;
    let mut raw = parse_raw(path, &text)?;
    let changes = match overlay {
        Some(overlay) => crate::overlay::Overlay::load(overlay)?.apply_recording(&mut raw)?,
        None => Vec::new(),
    };
    from_raw_changed(path.to_owned(), text, raw, mode, changes, selection)
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

/// How deeply a document may nest objects and arrays. Text deeper than 128 levels is refused by
/// the JSON and YAML parsers already; a document built in memory, or grown by an overlay, is
/// refused here beyond this, with the pointer of the first node too deep.
pub const MAX_NESTING: usize = 512;

/// The stack of the thread that builds the typed document. openapiv3's deserialization (serde's
/// `flatten` and `untagged` buffer every level) takes tens of kilobytes of stack per level of
/// nesting in a debug build: a document the parsers accept overflows a 2 MiB thread (a test's,
/// a tokio worker's) at about 56 nested inline schemas. This is room for [`MAX_NESTING`] levels
/// several times over; only the pages used are ever touched.
const TYPED_STACK: usize = 64 << 20;

/// The pointer of the first object or array nested deeper than `limit` (the root is level 1).
/// Iterative (the depth costs no stack), one step per value, and a pointer is only made for the
/// value it reports.
fn too_deep(raw: &serde_json::Value, limit: usize) -> Option<String> {
    use serde_json::Value;
    /// A step from a node to a child: a key or an index.
    #[derive(Clone, Copy)]
    enum Step<'a> {
        Key(&'a str),
        Index(usize),
    }
    impl Step<'_> {
        fn token(self) -> String {
            match self {
                Step::Key(key) => key.to_owned(),
                Step::Index(index) => index.to_string(),
            }
        }
    }
    /// The children of an object or array not yet visited, each with its key or index.
    enum Children<'a> {
        Object(serde_json::map::Iter<'a>),
        Array(std::iter::Enumerate<std::slice::Iter<'a, Value>>),
    }
    impl<'a> Children<'a> {
        fn of(value: &'a Value) -> Option<Children<'a>> {
            match value {
                Value::Object(map) => Some(Children::Object(map.iter())),
                Value::Array(items) => Some(Children::Array(items.iter().enumerate())),
                _ => None,
            }
        }
        fn next(&mut self) -> Option<(Step<'a>, &'a Value)> {
            match self {
                Children::Object(entries) => entries.next().map(|(k, v)| (Step::Key(k), v)),
                Children::Array(items) => items.next().map(|(i, v)| (Step::Index(i), v)),
            }
        }
    }
    let root = Children::of(raw)?;
    if limit == 0 {
        return Some(String::new());
    }
    // The open objects and arrays from the root down, each with the step that led to it (the
    // root's is empty): the node taken from the last is at level `open.len() + 1`.
    let mut open: Vec<(Option<Step<'_>>, Children<'_>)> = vec![(None, root)];
    while let Some((_, children)) = open.last_mut() {
        let Some((step, child)) = children.next() else {
            open.pop();
            continue;
        };
        let Some(grandchildren) = Children::of(child) else {
            continue;
        };
        if open.len() + 1 > limit {
            let at = open
                .iter()
                .filter_map(|(step, _)| *step)
                .fold(String::new(), |at, step| pointer::join(&at, &step.token()));
            return Some(pointer::join(&at, &step.token()));
        }
        open.push((Some(step), grandchildren));
    }
    None
}

/// Builds the typed document from an already parsed (and possibly overlaid) raw value, in
/// `mode`.
pub fn from_raw_with(
    path: PathBuf,
    text: String,
    raw: serde_json::Value,
    mode: Mode,
) -> Result<Document> {
    from_raw_changed(path, text, raw, mode, Vec::new(), &Selection::default())
}

/// [`from_raw_with`] for a raw value an overlay changed (`changes`).
fn from_raw_changed(
    path: PathBuf,
    text: String,
    raw: serde_json::Value,
    mode: Mode,
    changes: Vec<crate::overlay::Change>,
    selection: &Selection,
) -> Result<Document> {
    if let Some(at) = too_deep(&raw, MAX_NESTING) {
        return Err(Error::Spec {
            location: Box::new(location(&path, &text, &at)),
            message: format!(
                "the document nests objects and arrays deeper than {MAX_NESTING} levels here"
            ),
            hint: Some("flatten the schema, or move its inner parts into components".into()),
        });
    }
    let thread = std::thread::Builder::new()
        .name("okgen-load".into())
        .stack_size(TYPED_STACK);
    std::thread::scope(|scope| {
        let built = thread
            .spawn_scoped(scope, move || {
                build(path, text, raw, mode, changes, selection)
            })
            .map_err(|e| {
                Error::Environment(format!("cannot start a thread to load the document: {e}"))
            })?;
        built
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
    })
}

fn build(
    path: PathBuf,
    text: String,
    mut raw: serde_json::Value,
    mode: Mode,
    changes: Vec<crate::overlay::Change>,
    selection: &Selection,
) -> Result<Document> {
    let mut diagnostics = Diagnostics::new(mode);
    if check_version(&path, &text, &mut raw, &mut diagnostics)? == Version::V31 {
        crate::normalize::to_30(&mut raw, &mut diagnostics, &|p| location(&path, &text, p))?;
    }
    let schema_names = schema_names(&raw);
    crate::slice::narrow(&mut raw, selection);
    let api = match typed(&raw) {
        Ok(api) => api,
        Err(e) if mode == Mode::Lenient => {
            // Take out what the typed parse refuses, say so, and parse what is left.
            let fixes = crate::repair::repair(&mut raw);
            if fixes.is_empty() {
                return Err(parse_error(&path, &text, &raw, &e, &changes));
            }
            for fix in fixes {
                let hint = crate::overlay::note(&changes, &fix.at)
                    .unwrap_or_else(|| "correct the document, or patch it with an overlay".into());
                diagnostics.warn(Warning {
                    location: location(&path, &text, &fix.at),
                    message: format!(
                        "not a valid OpenAPI 3.0 document here: {}; {}",
                        fix.reason, fix.action
                    ),
                    hint: Some(hint),
                })?;
            }
            typed(&raw).map_err(|e| parse_error(&path, &text, &raw, &e, &changes))?
        }
        Err(e) => return Err(parse_error(&path, &text, &raw, &e, &changes)),
    };
    Ok(Document {
        path,
        text,
        raw,
        api,
        schema_names,
        warnings: diagnostics.warnings,
        mode,
        overlay_changes: changes,
    })
}

/// The names of the document's component schemas, in its order.
fn schema_names(raw: &serde_json::Value) -> Vec<String> {
    raw.get("components")
        .and_then(|c| c.get("schemas"))
        .and_then(serde_json::Value::as_object)
        .map(|schemas| schemas.keys().cloned().collect())
        .unwrap_or_default()
}

/// The whole document, as the typed parse reads it; its refused schemas are found bottom-up
/// first, so the time stays linear in the document's size however deep they nest.
fn typed(raw: &serde_json::Value) -> std::result::Result<openapiv3::OpenAPI, TypedError> {
    SchemaCheck::new(raw, document_place()).deserialize(raw)
}

/// The place of the document's root, for [`SchemaCheck`].
fn document_place() -> crate::normalize::Place {
    crate::normalize::Place::One(crate::normalize::Kind::Document)
}

/// The error for a refused typed parse, at the most precise place that can be found.
fn parse_error(
    path: &Path,
    text: &str,
    raw: &serde_json::Value,
    e: &TypedError,
    changes: &[crate::overlay::Change],
) -> Error {
    let (ptr, message) = refine(
        raw,
        pointer::from_serde_path(e.path()),
        e.inner().to_string(),
    );
    Error::Spec {
        location: Box::new(location(path, text, &ptr)),
        message: format!("not a valid OpenAPI 3.0 document: {message}"),
        hint: crate::overlay::note(changes, &ptr),
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Version {
    V30,
    V31,
}

/// Which OpenAPI version the document declares. Swagger 2.0 and other versions are refused;
/// a version written as a number (`openapi: 3.0`) is read as that string, with a warning.
fn check_version(
    path: &Path,
    text: &str,
    raw: &mut serde_json::Value,
    diagnostics: &mut Diagnostics,
) -> Result<Version> {
    use serde_json::Value;
    let supported = "okgen reads OpenAPI 3.0.x and 3.1.x documents (`openapi: 3.0.3`)";
    let refuse = |pointer: &str, message: String, hint: String| Error::Spec {
        location: Box::new(location(path, text, pointer)),
        message,
        hint: Some(hint),
    };
    let version = match raw.get("openapi") {
        Some(Value::String(v)) => v.clone(),
        Some(Value::Number(n)) => {
            let v = n.to_string();
            diagnostics.warn(Warning {
                location: location(path, text, "/openapi"),
                message: format!(
                    "`openapi` is the number {v}, not a string; it was read as the version {v:?}"
                ),
                hint: Some(
                    "write the version as a string, `openapi: \"3.0.3\"` (as a number it loses \
                     digits: 3.10 reads as 3.1)"
                        .into(),
                ),
            })?;
            if let Some(doc) = raw.as_object_mut() {
                doc.insert("openapi".into(), Value::String(v.clone()));
            }
            v
        }
        Some(other) => {
            return Err(refuse(
                "/openapi",
                format!("`openapi` must be a version string such as \"3.0.3\", not {other}"),
                supported.into(),
            ))
        }
        None => {
            return Err(match raw.get("swagger") {
                Some(swagger) => refuse(
                    "/swagger",
                    format!(
                        "this is a Swagger 2.0 document (`swagger: {}`), not OpenAPI 3",
                        swagger
                            .as_str()
                            .map_or_else(|| swagger.to_string(), |s| format!("{s:?}"))
                    ),
                    "convert it to OpenAPI 3 first, for example with swagger2openapi (`npx \
                     swagger2openapi swagger.yaml -o openapi.yaml`) or the Swagger Editor (Edit → \
                     Convert to OpenAPI 3), and generate from the result"
                        .into(),
                ),
                None => refuse(
                    "/openapi",
                    "missing `openapi` version field".into(),
                    supported.into(),
                ),
            })
        }
    };
    if version == "3.0" || version.starts_with("3.0.") {
        Ok(Version::V30)
    } else if crate::normalize::is_31(&version) {
        Ok(Version::V31)
    } else {
        Err(refuse(
            "/openapi",
            format!("OpenAPI version {version:?} is not supported"),
            supported.into(),
        ))
    }
}

/// openapiv3 reads `$ref`-or-item values as untagged enums, so an error inside one is reported
/// at the enclosing map (`/paths`, `/components/schemas`). Deserializing each entry as the item
/// type on its own finds the real place.
fn refine(raw: &serde_json::Value, at: String, message: String) -> (String, String) {
    fn first_error<T: serde::de::DeserializeOwned>(
        check: &SchemaCheck<'_>,
        map: &serde_json::Map<String, serde_json::Value>,
        base: &str,
    ) -> Option<(String, String)> {
        map.iter().find_map(|(key, value)| {
            if value.get("$ref").is_some() {
                return None;
            }
            check.deserialize::<T>(value).err().map(|e| {
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
    let check = SchemaCheck::new(raw, document_place());
    let found = match at.as_str() {
        "/paths" => first_error::<openapiv3::PathItem>(&check, map, &at),
        "/components/schemas" => first_error::<openapiv3::Schema>(&check, map, &at),
        "/components/parameters" => first_error::<openapiv3::Parameter>(&check, map, &at),
        "/components/responses" => first_error::<openapiv3::Response>(&check, map, &at),
        "/components/requestBodies" => first_error::<openapiv3::RequestBody>(&check, map, &at),
        "/components/examples" => first_error::<openapiv3::Example>(&check, map, &at),
        _ => None,
    };
    let (at, message) = found.unwrap_or((at, message));
    match culprit(raw, &at, &check) {
        Some((deeper, better)) => (deeper, better.unwrap_or(message)),
        None => (at, message),
    }
}

/// Under a place that failed to parse, the first schema that does not parse on its own, and
/// in it the keyword whose value has the wrong type: its pointer, and a message when one more
/// precise than serde's can be given. openapiv3 reads schemas through untagged enums and
/// flattened structs, so serde's own path stops at the enclosing schema, parameter or
/// response. Iterative; `check` (of `raw`) says which schemas are refused.
fn culprit(
    raw: &serde_json::Value,
    at: &str,
    check: &SchemaCheck<'_>,
) -> Option<(String, Option<String>)> {
    let fails = |v: &serde_json::Value| check.refused(v).is_some();
    let mut here = crate::normalize::schemas_under(raw, at)
        .into_iter()
        .find(|p| raw.pointer(p).is_some_and(fails))?;
    // Each step goes one schema down: the document's nesting bounds the steps.
    for _ in 0..MAX_NESTING {
        let Some(node) = raw.pointer(&here).and_then(|v| v.as_object()) else {
            break;
        };
        if let Some(reference) = node.get("$ref") {
            if !reference.is_string() {
                return Some((
                    pointer::join(&here, "$ref"),
                    Some(format!(
                        "`$ref` is {}, but must be a string",
                        json_kind(reference)
                    )),
                ));
            }
            break;
        }
        if let Some((key, message)) = wrong_keyword(node) {
            return Some((pointer::join(&here, key), Some(message)));
        }
        // The schemas inside that openapiv3 reads.
        let mut inner: Vec<(String, &serde_json::Value)> = Vec::new();
        for (key, value) in node {
            match (key.as_str(), value) {
                ("properties", serde_json::Value::Object(map)) => {
                    let base = pointer::join(&here, key);
                    inner.extend(map.iter().map(|(k, v)| (pointer::join(&base, k), v)));
                }
                ("allOf" | "anyOf" | "oneOf", serde_json::Value::Array(items)) => {
                    let base = pointer::join(&here, key);
                    inner.extend(
                        items
                            .iter()
                            .enumerate()
                            .map(|(i, v)| (pointer::join(&base, &i.to_string()), v)),
                    );
                }
                ("items" | "not" | "additionalProperties", serde_json::Value::Object(_)) => {
                    inner.push((pointer::join(&here, key), value));
                }
                _ => {}
            }
        }
        match inner.into_iter().find(|(_, v)| fails(v)) {
            Some((next, _)) => here = next,
            None => break,
        }
    }
    Some((here, None))
}

/// What kind of JSON value `v` is, for messages.
fn json_kind(v: &serde_json::Value) -> String {
    use serde_json::Value;
    match v {
        Value::Null => "null".into(),
        Value::Bool(b) => format!("the boolean {b}"),
        Value::Number(n) => format!("the number {n}"),
        Value::String(s) => format!("the string {s:?}"),
        Value::Array(_) => "a list".into(),
        Value::Object(_) => "a mapping".into(),
    }
}

/// The first keyword of an OpenAPI 3.0 schema whose value has the wrong JSON type, and what
/// it must be.
fn wrong_keyword(node: &serde_json::Map<String, serde_json::Value>) -> Option<(&str, String)> {
    use serde_json::Value;
    let is_count = |v: &Value| v.as_u64().is_some();
    for (key, value) in node {
        let (ok, expected): (bool, &str) = match key.as_str() {
            "type" => match value {
                Value::Array(_) => {
                    return Some((
                        key,
                        "`type` is a list, but OpenAPI 3.0 needs one type name (a list of \
                         types is OpenAPI 3.1: declare `openapi: 3.1.0`, or write `type: X` \
                         with `nullable: true`)"
                            .into(),
                    ))
                }
                v => (
                    v.is_string(),
                    "a type name (string, number, integer, boolean, array or object)",
                ),
            },
            "exclusiveMinimum" | "exclusiveMaximum" => match value {
                Value::Number(_) => {
                    let bound = if key == "exclusiveMinimum" {
                        "minimum"
                    } else {
                        "maximum"
                    };
                    return Some((
                        key,
                        format!(
                            "`{key}` is {}, but OpenAPI 3.0 needs true or false, with the bound \
                             in `{bound}` (a number here is OpenAPI 3.1)",
                            json_kind(value)
                        ),
                    ));
                }
                v => (v.is_boolean(), "true or false"),
            },
            "title" | "description" | "format" | "pattern" => (value.is_string(), "a string"),
            "nullable" | "readOnly" | "writeOnly" | "deprecated" | "uniqueItems" => {
                (value.is_boolean(), "true or false")
            }
            "multipleOf" | "minimum" | "maximum" => (value.is_number(), "a number"),
            "minLength" | "maxLength" | "minItems" | "maxItems" | "minProperties"
            | "maxProperties" => (is_count(value), "a whole number, 0 or more"),
            "properties" | "discriminator" | "externalDocs" | "items" | "not" => {
                (value.is_object(), "a mapping")
            }
            "required" => (
                value
                    .as_array()
                    .is_some_and(|a| a.iter().all(Value::is_string)),
                "a list of property names",
            ),
            "enum" | "allOf" | "anyOf" | "oneOf" => (value.is_array(), "a list"),
            "additionalProperties" => (
                value.is_boolean() || value.is_object(),
                "true, false or a schema",
            ),
            _ => (true, ""),
        };
        if !ok {
            return Some((
                key,
                format!("`{key}` is {}, but must be {expected}", json_kind(value)),
            ));
        }
    }
    None
}
