//! Lenient loading: when the typed parse refuses a document, find every part it refuses and
//! take out the smallest unit that makes the rest readable, with a warning for each.
//!
//! The units, from the smallest:
//! - a documentation key (`description`, `summary`, `title`, `externalDocs`, `example`) whose
//!   value has the wrong shape is dropped: the rest of its object is kept;
//! - inside `components/schemas`, the refused sub-schema becomes `{}` (any JSON: the data is
//!   kept, untyped) and a refused keyword value is dropped;
//! - inside a path item, the operation is left out (or the whole path item when the problem is
//!   in its shared part, such as its parameters);
//! - any other component is left out (an operation that refers to it is then left out by
//!   lowering, with its own warning);
//! - any other top-level key but `openapi`, `info` and `paths` is dropped.
//!
//! Each entry of `paths` and `components` is checked on its own, so the work stays linear in
//! the size of the document; the document that parses is never checked twice.

use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::normalize::{Kind, Place};
use crate::pointer;
use crate::schema_check::SchemaCheck;

/// Keys that only document: a wrong shape there never costs more than the key itself.
const DOC_KEYS: &[&str] = &["description", "summary", "title", "externalDocs", "example"];

/// The HTTP methods of a path item.
const METHODS: &[&str] = &[
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// Removals per entry before giving up on it (each removal makes the entry smaller, so this
/// only bounds hostile input).
const MAX_FIXES_PER_ENTRY: usize = 256;

/// One change made to the raw document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Fix {
    /// Where the refused value is.
    pub(crate) at: String,
    /// What the typed parse said.
    pub(crate) reason: String,
    /// What was done, in words (`the operation was left out`).
    pub(crate) action: String,
}

/// Repairs `raw` in place so that each entry of `paths` and `components` parses on its own.
/// Returns what was changed, in document order.
pub(crate) fn repair(raw: &mut Value) -> Vec<Fix> {
    let mut fixes = Vec::new();
    let Some(root) = raw.as_object_mut() else {
        return fixes;
    };
    if let Some(Value::Object(paths)) = root.get_mut("paths") {
        for (path, item) in paths.iter_mut() {
            let base = pointer::join("/paths", path);
            fix_entry::<openapiv3::PathItem>(item, &base, Unit::PathItem, &mut fixes);
        }
        // A path item with nothing left in it is removed.
        paths.retain(|_, item| !matches!(item, Value::Null));
    }
    if let Some(Value::Object(components)) = root.get_mut("components") {
        for (kind, entries) in components.iter_mut() {
            let Value::Object(entries) = entries else {
                continue;
            };
            let base = pointer::join("/components", kind);
            for (name, entry) in entries.iter_mut() {
                let at = pointer::join(&base, name);
                let fx = &mut fixes;
                match kind.as_str() {
                    "schemas" => fix_entry::<openapiv3::ReferenceOr<openapiv3::Schema>>(
                        entry,
                        &at,
                        Unit::Schema,
                        fx,
                    ),
                    "parameters" => {
                        component::<openapiv3::Parameter>(entry, &at, Some(Kind::Parameter), fx)
                    }
                    "responses" => {
                        component::<openapiv3::Response>(entry, &at, Some(Kind::Response), fx)
                    }
                    "requestBodies" => {
                        component::<openapiv3::RequestBody>(entry, &at, Some(Kind::RequestBody), fx)
                    }
                    "examples" => component::<openapiv3::Example>(entry, &at, None, fx),
                    // A header has the parameter's schema and content.
                    "headers" => {
                        component::<openapiv3::Header>(entry, &at, Some(Kind::Parameter), fx)
                    }
                    "securitySchemes" => {
                        component::<openapiv3::SecurityScheme>(entry, &at, None, fx)
                    }
                    "links" => component::<openapiv3::Link>(entry, &at, None, fx),
                    _ => {}
                }
            }
            entries.retain(|_, entry| !matches!(entry, Value::Null));
        }
    }
    fixes
}

/// What is taken out when nothing smaller will do.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Unit {
    PathItem,
    Schema,
    /// A component other than a schema, of the kind given when it can hold schemas.
    Component(Option<Kind>),
}

impl Unit {
    /// Where the entry is, for [`SchemaCheck`]; `None` when it holds no schema.
    fn place(self) -> Option<Place> {
        match self {
            Unit::PathItem => Some(Place::One(Kind::PathItem)),
            Unit::Schema => Some(Place::One(Kind::Schema)),
            Unit::Component(kind) => kind.map(Place::One),
        }
    }
}

fn component<T: DeserializeOwned>(
    entry: &mut Value,
    at: &str,
    kind: Option<Kind>,
    fixes: &mut Vec<Fix>,
) {
    fix_entry::<openapiv3::ReferenceOr<T>>(entry, at, Unit::Component(kind), fixes);
}

/// Parses `entry` (at `base`) as `T`, taking out what it refuses until it parses or is gone
/// (then it is `null`, and its parent removes it).
fn fix_entry<T: DeserializeOwned>(entry: &mut Value, base: &str, unit: Unit, fixes: &mut Vec<Fix>) {
    for _ in 0..MAX_FIXES_PER_ENTRY {
        // The refused schemas, found bottom-up: parsing the entry top-down would take time
        // exponential in how deep they nest.
        let check = unit.place().map(|place| SchemaCheck::new(&*entry, place));
        let parsed = match &check {
            Some(check) => check.deserialize::<T>(&*entry),
            None => serde_path_to_error::deserialize::<_, T>(&*entry),
        };
        let error = match parsed {
            Ok(_) => return,
            Err(e) => e,
        };
        let inner = pointer::from_serde_path(error.path());
        let mut reason = error.inner().to_string();
        let mut tokens: Vec<String> = inner.split('/').skip(1).map(pointer::unescape).collect();
        if let (Unit::Schema, Some(check)) = (unit, &check) {
            if schema_prefix(&tokens) == tokens.len() {
                // An error inside a schema is reported at the schema (openapiv3 reads schemas
                // as flattened untagged enums): find the innermost sub-schema refused alone.
                if let Some(node) = get(entry, &tokens) {
                    let (deeper, why) = innermost_refused_schema(node, check);
                    tokens.extend(deeper);
                    reason = why.unwrap_or(reason);
                }
            }
        }
        drop(check);
        let (cut, action) = choose(&tokens, unit);
        let at = tokens[..cut.len]
            .iter()
            .fold(base.to_owned(), |at, t| pointer::join(&at, t));
        let changed = apply(entry, &tokens[..cut.len], cut.how);
        let full = tokens
            .iter()
            .fold(base.to_owned(), |at, t| pointer::join(&at, t));
        let action = if at == full {
            action.replace(" at {at}", "")
        } else {
            action.replace("{at}", &at)
        };
        fixes.push(Fix {
            at: full,
            reason,
            action,
        });
        if !changed {
            // Nothing could be taken out at that place: take out the whole entry.
            *entry = Value::Null;
            return;
        }
        if entry.is_null() {
            return;
        }
    }
    fixes.push(Fix {
        at: base.to_owned(),
        reason: format!("more than {MAX_FIXES_PER_ENTRY} problems"),
        action: "it was left out".to_owned(),
    });
    *entry = Value::Null;
}

/// Where to cut: the first `len` tokens name the node, `how` says what to do with it.
struct Cut {
    len: usize,
    how: How,
}

#[derive(Clone, Copy)]
enum How {
    Remove,
    /// Replace with `{}`.
    AnySchema,
}

/// The smallest unit around the refused place `tokens` (relative to the entry).
fn choose(tokens: &[String], unit: Unit) -> (Cut, &'static str) {
    if let Some(index) = tokens.iter().position(|t| DOC_KEYS.contains(&t.as_str())) {
        // `properties/description` names a property called description, not a doc key.
        if index == 0 || tokens[index - 1] != "properties" {
            return (
                Cut {
                    len: index + 1,
                    how: How::Remove,
                },
                "the value at {at} was dropped (it only documents)",
            );
        }
    }
    match unit {
        Unit::PathItem => match tokens.first() {
            Some(method) if METHODS.contains(&method.as_str()) => (
                Cut {
                    len: 1,
                    how: How::Remove,
                },
                "the operation at {at} was left out",
            ),
            _ => (
                Cut {
                    len: 0,
                    how: How::Remove,
                },
                "the path item at {at} was left out",
            ),
        },
        Unit::Schema => {
            let schema = schema_prefix(tokens);
            if schema == tokens.len() {
                (
                    Cut {
                        len: schema,
                        how: How::AnySchema,
                    },
                    "the schema at {at} is read as any JSON",
                )
            } else {
                // A keyword of that schema has a value it cannot have: the keyword goes.
                (
                    Cut {
                        len: schema + 1,
                        how: How::Remove,
                    },
                    "the keyword at {at} was dropped",
                )
            }
        }
        Unit::Component(_) => (
            Cut {
                len: 0,
                how: How::Remove,
            },
            "the component at {at} was left out",
        ),
    }
}

/// The length of the longest prefix of `tokens` that names a schema (the entry itself is one).
fn schema_prefix(tokens: &[String]) -> usize {
    let mut len = 0;
    loop {
        let step = match tokens.get(len).map(String::as_str) {
            Some("properties" | "allOf" | "oneOf" | "anyOf") => 2,
            Some("items" | "not" | "additionalProperties") => 1,
            _ => return len,
        };
        if len + step > tokens.len() {
            return len;
        }
        len += step;
    }
}

/// The node at `tokens` under `entry`.
fn get<'v>(entry: &'v Value, tokens: &[String]) -> Option<&'v Value> {
    tokens.iter().try_fold(entry, |node, token| match node {
        Value::Object(map) => map.get(token),
        Value::Array(items) => items.get(token.parse::<usize>().ok()?),
        _ => None,
    })
}

/// Starting at a refused schema, the path to the innermost sub-schema that is refused on its
/// own (empty when no sub-schema is), and what the parse says of it (`check` knows, for the
/// entry `schema` is in). Iterative: each step goes one level down, so nesting depth costs no
/// stack.
fn innermost_refused_schema(
    schema: &Value,
    check: &SchemaCheck<'_>,
) -> (Vec<String>, Option<String>) {
    let mut path = Vec::new();
    let mut reason = None;
    let mut node = schema;
    'down: while let Value::Object(map) = node {
        let mut children: Vec<(Vec<String>, &Value)> = Vec::new();
        if let Some(Value::Object(props)) = map.get("properties") {
            for (name, child) in props {
                children.push((vec!["properties".to_owned(), name.clone()], child));
            }
        }
        for key in ["allOf", "oneOf", "anyOf"] {
            if let Some(Value::Array(members)) = map.get(key) {
                for (index, child) in members.iter().enumerate() {
                    children.push((vec![key.to_owned(), index.to_string()], child));
                }
            }
        }
        for key in ["items", "not", "additionalProperties"] {
            if let Some(child @ Value::Object(_)) = map.get(key) {
                children.push((vec![key.to_owned()], child));
            }
        }
        for (tokens, child) in children {
            if let Some(message) = check.refused(child) {
                path.extend(tokens);
                reason = Some(message.to_string());
                node = child;
                continue 'down;
            }
        }
        break;
    }
    (path, reason)
}

/// Applies a cut to `entry`; `false` when the node is not there.
fn apply(entry: &mut Value, tokens: &[String], how: How) -> bool {
    let Some((last, parent)) = tokens.split_last() else {
        match how {
            How::Remove => *entry = Value::Null,
            How::AnySchema => *entry = Value::Object(serde_json::Map::new()),
        }
        return true;
    };
    let mut node = entry;
    for token in parent {
        node = match node {
            Value::Object(map) => match map.get_mut(token) {
                Some(next) => next,
                None => return false,
            },
            Value::Array(items) => match token.parse::<usize>().ok().and_then(|i| items.get_mut(i))
            {
                Some(next) => next,
                None => return false,
            },
            _ => return false,
        };
    }
    match (node, how) {
        (Value::Object(map), How::Remove) => map.shift_remove(last).is_some(),
        (Value::Object(map), How::AnySchema) => match map.get_mut(last) {
            Some(v) => {
                *v = Value::Object(serde_json::Map::new());
                true
            }
            None => false,
        },
        (Value::Array(items), how) => match last.parse::<usize>() {
            Ok(i) if i < items.len() => {
                match how {
                    How::Remove => {
                        items.remove(i);
                    }
                    How::AnySchema => items[i] = Value::Object(serde_json::Map::new()),
                }
                true
            }
            _ => false,
        },
        _ => false,
    }
}
