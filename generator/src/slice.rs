//! The selected part of a document. Loading narrows a document in place to what generating a
//! selection reads ([`narrow`], before the typed parse); with the `slice` feature, [`slice`]
//! writes a standalone document holding only the selected operations and exactly the
//! components they reach: small enough to review, or to hand to tools that cannot load the
//! whole document.

use std::collections::HashSet;

use serde_json::{Map, Value};

use crate::config::Selection;

#[cfg(feature = "slice")]
mod write;
#[cfg(feature = "slice")]
pub use write::{slice, slice_yaml};

const METHODS: &[&str] = &[
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// The schemas a Discriminator object's `mapping` names, as `$ref`s.
pub(crate) fn mapping_targets(discriminator: &Value, out: &mut Vec<String>) {
    let Some(mapping) = discriminator.get("mapping").and_then(Value::as_object) else {
        return;
    };
    for target in mapping.values().filter_map(Value::as_str) {
        let reference = if target.starts_with('#') {
            target.to_owned()
        } else {
            format!("#/components/schemas/{}", crate::pointer::escape(target))
        };
        out.push(reference);
    }
}

/// Narrows `raw` in place to what generating `selection` reads, before the typed parse: the
/// path items with a selected operation (with only those operations), every component the kept
/// part reaches through `$ref`s and discriminator mappings (transitively), every security
/// scheme, and everything else of the document as it is. Lowering reads nothing else, so the
/// typed view of the narrowed document lowers to exactly what the whole one does.
///
/// It errs on the side of keeping: an operation whose `tags` or `operationId` cannot be read as
/// the typed parse reads them is kept (the typed parse then reports it, as it would in the whole
/// document), a `$ref` inside example data counts as a reference, and a path item that is a
/// `$ref` is kept. When the document's shape is not one it can narrow (no `paths` mapping, a
/// group of components that is not a mapping, a `$ref` to a place outside `components`), it
/// leaves `raw` as it is and returns `false`. An empty selection selects everything: then it
/// does nothing.
pub(crate) fn narrow(raw: &mut Value, selection: &Selection) -> bool {
    if selection.is_empty() {
        return false;
    }
    let Some(plan) = plan(raw, selection) else {
        return false;
    };
    let Value::Object(root) = raw else {
        return false;
    };
    if let Some(Value::Object(paths)) = root.get_mut("paths") {
        let all = std::mem::take(paths);
        let mut kept_paths = plan.paths.into_iter().peekable();
        for (index, (path, item)) in all.into_iter().enumerate() {
            let Some((_, keep)) = kept_paths.next_if(|(i, _)| *i == index) else {
                continue;
            };
            let item = match (keep, item) {
                (Keep::Methods(methods), Value::Object(item)) => Value::Object(
                    item.into_iter()
                        .filter(|(key, _)| {
                            !METHODS.contains(&key.as_str()) || methods.contains(&key.as_str())
                        })
                        .collect(),
                ),
                (_, item) => item,
            };
            paths.insert(path, item);
        }
    }
    if let Some(Value::Object(components)) = root.get_mut("components") {
        for (kind, entries) in components.iter_mut() {
            if kind.starts_with("x-") || kind == "securitySchemes" {
                continue;
            }
            let Value::Object(entries) = entries else {
                continue;
            };
            let all = std::mem::take(entries);
            *entries = all
                .into_iter()
                .filter(|(name, _)| plan.reached.contains(&(kind.clone(), name.clone())))
                .collect();
        }
    }
    true
}

/// What [`narrow`] keeps of a path item.
enum Keep {
    /// All of it (a `$ref`, or not a mapping: the typed parse decides).
    Whole,
    /// Its shared part and these operations.
    Methods(Vec<&'static str>),
}

/// What [`narrow`] keeps: the index (in `paths`) of each kept path item, and the reached
/// components, by kind and name. `None` when the document cannot be narrowed.
struct Plan {
    paths: Vec<(usize, Keep)>,
    reached: HashSet<(String, String)>,
}

fn plan(raw: &Value, selection: &Selection) -> Option<Plan> {
    let root = raw.as_object()?;
    let paths = match root.get("paths") {
        Some(Value::Object(paths)) => paths,
        _ => return None,
    };
    let empty = Map::new();
    let components = match root.get("components") {
        None => &empty,
        Some(Value::Object(components)) => components,
        Some(_) => return None,
    };
    if components
        .iter()
        .any(|(kind, entries)| !kind.starts_with("x-") && !entries.is_object())
    {
        return None;
    }
    let mut kept = Vec::new();
    // The values the kept part holds, where references are looked for.
    let mut roots: Vec<&Value> = Vec::new();
    for (index, (path, item)) in paths.iter().enumerate() {
        if path.starts_with("x-") {
            // An extension of the Paths object: kept as it is, and not a path item.
            kept.push((index, Keep::Whole));
            continue;
        }
        let Some(map) = item.as_object().filter(|m| !m.contains_key("$ref")) else {
            kept.push((index, Keep::Whole));
            roots.push(item);
            continue;
        };
        let methods: Vec<&'static str> = METHODS
            .iter()
            .copied()
            .filter(|m| map.get(*m).is_some_and(|op| selected(selection, path, op)))
            .collect();
        if methods.is_empty() {
            continue;
        }
        for (key, value) in map {
            if !METHODS.contains(&key.as_str()) || methods.contains(&key.as_str()) {
                roots.push(value);
            }
        }
        kept.push((index, Keep::Methods(methods)));
    }
    if let Some(schemes) = components.get("securitySchemes") {
        roots.push(schemes);
    }
    let mut reached: HashSet<(String, String)> = HashSet::new();
    let mut references = Vec::new();
    for value in roots {
        references_in(value, &mut references);
    }
    while let Some(reference) = references.pop() {
        let Some(local) = reference.strip_prefix('#') else {
            // Another file's: lowering refuses it where it is used.
            continue;
        };
        let Some((kind, rest)) = local
            .strip_prefix("/components/")
            .and_then(|rest| rest.split_once('/'))
        else {
            // A place outside the components: keep the whole document.
            return None;
        };
        let name = crate::pointer::unescape(rest.split('/').next().unwrap_or(rest));
        let kind = crate::pointer::unescape(kind);
        let Some(entry) = components.get(&kind).and_then(|e| e.get(&name)) else {
            // Points at nothing: lowering says so where it is used.
            continue;
        };
        if reached.insert((kind, name)) {
            references_in(entry, &mut references);
        }
    }
    Some(Plan {
        paths: kept,
        reached,
    })
}

/// Whether the operation `op` at `path` may be selected: as [`Selection::matches`] decides on
/// the typed operation, and `true` when its `tags` or `operationId` are not what the typed
/// parse reads (then the typed parse decides what becomes of it).
fn selected(selection: &Selection, path: &str, op: &Value) -> bool {
    if selection.paths.iter().any(|p| p == path) {
        return true;
    }
    let Some(op) = op.as_object() else {
        return true;
    };
    let tagged = match op.get("tags") {
        None => false,
        Some(Value::Array(tags)) => {
            if !tags.iter().all(Value::is_string) {
                return true;
            }
            tags.iter()
                .filter_map(Value::as_str)
                .any(|t| selection.tags.iter().any(|s| s == t))
        }
        Some(_) => return true,
    };
    let named = match op.get("operationId") {
        None | Some(Value::Null) => false,
        Some(Value::String(id)) => selection.operation_ids.contains(id),
        Some(_) => return true,
    };
    tagged || named
}

/// Pushes every string `$ref` anywhere under `value` (example data included: keeping too much
/// costs only time), and every schema a discriminator `mapping` names, as a `$ref`. Iterative.
fn references_in(value: &Value, out: &mut Vec<String>) {
    let mut stack = vec![value];
    while let Some(value) = stack.pop() {
        match value {
            Value::Object(map) => {
                if let Some(Value::String(reference)) = map.get("$ref") {
                    out.push(reference.clone());
                }
                if let Some(discriminator) = map.get("discriminator") {
                    mapping_targets(discriminator, out);
                }
                stack.extend(map.values());
            }
            Value::Array(items) => stack.extend(items),
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A document with a selected operation, an unselected one in the same path item and one in
    /// another, components reached directly, through a chain, through a discriminator mapping and
    /// from a security scheme, and components nothing selected reaches (one of them refused by
    /// the typed parse).
    const NARROW: &str = r##"{
  "openapi": "3.0.3",
  "info": {"title": "t", "version": "1"},
  "x-top": {"kept": true},
  "paths": {
    "x-paths-extension": 1,
    "/pets": {
      "parameters": [{"$ref": "#/components/parameters/Limit"}],
      "get": {"operationId": "listPets", "tags": ["Pets"], "responses": {"200": {
        "description": "ok",
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Pets"}}}}}},
      "post": {"operationId": "addPet", "tags": ["Other"], "responses": {"200": {
        "description": "ok",
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Unused"}}}}}}
    },
    "/users": {"get": {"operationId": "listUsers", "tags": ["Users"], "responses": {"200": {
      "description": "ok",
      "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Broken"}}}}}}},
    "/odd": {"get": {"operationId": "odd", "tags": "Pets", "responses": {}}}
  },
  "components": {
    "x-components-extension": 2,
    "parameters": {"Limit": {"name": "limit", "in": "query", "schema": {"$ref": "#/components/schemas/Count"}},
      "Unused": {"name": "u", "in": "query", "schema": {"type": "string"}}},
    "schemas": {
      "Pets": {"type": "array", "items": {"$ref": "#/components/schemas/Pet"}},
      "Pet": {"type": "object", "discriminator": {"propertyName": "kind", "mapping": {"cat": "Cat"}}},
      "Cat": {"type": "object"},
      "Count": {"type": "integer"},
      "Unused": {"type": "object"},
      "Broken": {"type": "string", "minLength": "many"}
    },
    "securitySchemes": {"key": {"type": "apiKey", "in": "header", "name": "X-Key"}}
  }
}"##;

    fn keys(value: &Value) -> Vec<&str> {
        value
            .as_object()
            .map(|m| m.keys().map(String::as_str).collect())
            .unwrap_or_default()
    }

    fn pets() -> Selection {
        Selection {
            tags: vec!["Pets".into()],
            ..Default::default()
        }
    }

    #[test]
    fn narrowing_keeps_the_selected_operations_and_what_they_reach() {
        let mut raw: Value = serde_json::from_str(NARROW).unwrap_or_else(|e| panic!("{e}"));
        assert!(narrow(&mut raw, &pets()));
        assert_eq!(
            keys(&raw),
            ["openapi", "info", "x-top", "paths", "components"]
        );
        // The Paths extension, the selected operation with its path item's shared part, and an
        // operation whose `tags` the typed parse must judge.
        assert_eq!(keys(&raw["paths"]), ["x-paths-extension", "/pets", "/odd"]);
        assert_eq!(keys(&raw["paths"]["/pets"]), ["parameters", "get"]);
        assert_eq!(
            keys(&raw["components"]),
            [
                "x-components-extension",
                "parameters",
                "schemas",
                "securitySchemes"
            ]
        );
        assert_eq!(keys(&raw["components"]["parameters"]), ["Limit"]);
        assert_eq!(
            keys(&raw["components"]["schemas"]),
            ["Pets", "Pet", "Cat", "Count"]
        );
        assert_eq!(keys(&raw["components"]["securitySchemes"]), ["key"]);
    }

    #[test]
    fn a_document_it_cannot_narrow_is_left_whole() {
        let whole: Value = serde_json::from_str(NARROW).unwrap_or_else(|e| panic!("{e}"));
        // An empty selection, and a `$ref` to a place outside the components.
        let mut raw = whole.clone();
        assert!(!narrow(&mut raw, &Selection::default()));
        assert_eq!(raw, whole);
        let mut raw = whole.clone();
        raw["components"]["schemas"]["Cat"] = serde_json::json!({"$ref": "#/paths/~1users/get/responses/200/content/application~1json/schema"});
        let before = raw.clone();
        assert!(!narrow(&mut raw, &pets()));
        assert_eq!(raw, before);
        // `paths` or a group of components that is not a mapping.
        let mut raw = whole.clone();
        raw["components"]["schemas"] = serde_json::json!([]);
        let before = raw.clone();
        assert!(!narrow(&mut raw, &pets()));
        assert_eq!(raw, before);
    }

    #[test]
    fn a_narrowed_document_lowers_as_the_whole_one_does() {
        let selection = pets();
        let dir = std::env::temp_dir().join(format!("okgen-narrow-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("{e}"));
        let path = dir.join("n.json");
        std::fs::write(&path, NARROW).unwrap_or_else(|e| panic!("{e}"));
        let whole = crate::load::load(&path).unwrap_or_else(|e| panic!("{e}"));
        let narrowed = crate::load::load_selected(&path, None, crate::Mode::Lenient, &selection)
            .unwrap_or_else(|e| panic!("{e}"));
        let _ = std::fs::remove_dir_all(&dir);
        // The refused schema nothing selected reaches is not checked: no warning for it. The
        // kept part warns as in the whole document (the typed parse reads `x-paths-extension`
        // as a path item, and refuses `tags: Pets`).
        let broken = |w: &crate::Warning| {
            w.location
                .pointer
                .as_deref()
                .is_some_and(|p| p.contains("Broken"))
        };
        assert_eq!(whole.warnings.len(), 3, "{:?}", whole.warnings);
        let mut expected = whole.warnings.clone();
        expected.retain(|w| !broken(w));
        assert_eq!(narrowed.warnings, expected);
        assert_eq!(narrowed.schema_names, whole.schema_names);
        let typed: Vec<&String> = narrowed.api.paths.paths.keys().collect();
        assert_eq!(typed, ["/pets", "/odd"]);
        let mut a = crate::lower::lower(&whole, &selection).unwrap_or_else(|e| panic!("{e}"));
        let b = crate::lower::lower(&narrowed, &selection).unwrap_or_else(|e| panic!("{e}"));
        // Lowering's own warnings are the same; loading's about the left-out part are gone.
        a.warnings.retain(|w| !broken(w));
        assert_eq!(a, b);
    }

    #[test]
    fn okta_enrollments_lower_from_the_narrowed_document_as_from_the_whole() {
        let okta = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../shared/okta/management-minimal.yaml");
        if !okta.exists() {
            eprintln!("SKIPPED: {} is missing", okta.display());
            return;
        }
        let selection = Selection {
            tags: vec!["UserAuthenticatorEnrollments".into()],
            ..Default::default()
        };
        let whole = crate::load::load(&okta).unwrap_or_else(|e| panic!("{e}"));
        let narrowed = crate::load::load_selected(&okta, None, crate::Mode::Lenient, &selection)
            .unwrap_or_else(|e| panic!("{e}"));
        assert!(narrowed.api.paths.paths.len() < 10, "narrowed");
        let a = crate::lower::lower(&whole, &selection).unwrap_or_else(|e| panic!("{e}"));
        let b = crate::lower::lower(&narrowed, &selection).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(a.operations.len(), 5);
        assert_eq!(a, b);
        let emitted = |api| crate::emit::emit(api).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(emitted(&a), emitted(&b));
    }
}
