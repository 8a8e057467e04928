//! The slice as a standalone document (the `slice` feature).

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{Map, Value};

use super::{mapping_targets, METHODS};
use crate::config::Selection;
use crate::error::Result;
use crate::load::Document;
use crate::refs::spec_error;

/// The slice of `doc` (as raw JSON, overlay included) for `selection`.
pub fn slice(doc: &Document, selection: &Selection) -> Result<Value> {
    let raw = &doc.raw;
    let mut out = Map::new();
    for key in ["openapi", "info", "servers", "security", "externalDocs"] {
        if let Some(v) = raw.get(key) {
            out.insert(key.to_owned(), v.clone());
        }
    }

    // The selected operations, with their path items' shared fields.
    let mut paths = Map::new();
    let mut tags = BTreeSet::new();
    let mut schemes = BTreeSet::new();
    if let Some(global) = raw.get("security") {
        collect_schemes(global, &mut schemes);
    }
    for (path, item) in doc.api.paths.paths.iter() {
        let Some(item) = item.as_item() else { continue };
        let Some(raw_item) = raw
            .get("paths")
            .and_then(|p| p.get(path))
            .and_then(Value::as_object)
        else {
            continue;
        };
        let mut kept = Map::new();
        for (method, op) in item.iter() {
            if selection.matches(path, op) {
                if let Some(op_raw) = raw_item.get(method) {
                    kept.insert(method.to_owned(), op_raw.clone());
                    tags.extend(op.tags.iter().cloned());
                    if let Some(security) = op_raw.get("security") {
                        collect_schemes(security, &mut schemes);
                    }
                }
            }
        }
        if kept.is_empty() {
            continue;
        }
        for (key, value) in raw_item {
            if !METHODS.contains(&key.as_str()) {
                kept.insert(key.clone(), value.clone());
            }
        }
        // Keep the document's order of keys.
        let ordered: Map<String, Value> = raw_item
            .keys()
            .filter_map(|k| kept.get(k).map(|v| (k.clone(), v.clone())))
            .collect();
        paths.insert(path.clone(), Value::Object(ordered));
    }
    if let Some(all_tags) = raw.get("tags").and_then(Value::as_array) {
        let used: Vec<Value> = all_tags
            .iter()
            .filter(|t| {
                t.get("name")
                    .and_then(Value::as_str)
                    .is_some_and(|n| tags.contains(n))
            })
            .cloned()
            .collect();
        if !used.is_empty() {
            out.insert("tags".into(), Value::Array(used));
        }
    }

    // Every component the kept paths reach, following `$ref`s and discriminator mappings (but
    // not into example values, which are data: a `$ref` there is text, not a reference).
    let paths = Value::Object(paths);
    let mut reached: BTreeMap<(String, String), ()> = BTreeMap::new();
    let mut queue = Vec::new();
    refs_in(&paths, false, &mut queue);
    while let Some(reach) = queue.pop() {
        let (reference, required) = match reach {
            Reach::Ref(r) => (r, true),
            Reach::Mapping(r) => (r, false),
        };
        let Some((kind, name)) = reference
            .strip_prefix("#/components/")
            .and_then(|rest| rest.split_once('/'))
            .map(|(k, n)| (k.to_owned(), crate::pointer::unescape(n)))
        else {
            continue;
        };
        let Some(component) = raw.pointer(reference.trim_start_matches('#')) else {
            if !required {
                continue;
            }
            return Err(spec_error(
                doc,
                "/components",
                format!("$ref {reference:?} points at nothing"),
                None,
            ));
        };
        if reached.insert((kind.clone(), name.clone()), ()).is_some() {
            continue;
        }
        refs_in(component, kind == "examples", &mut queue);
    }
    let mut components = Map::new();
    if let Some(all) = raw.get("components").and_then(Value::as_object) {
        for (kind, entries) in all {
            let Some(entries) = entries.as_object() else {
                continue;
            };
            let kept: Map<String, Value> = entries
                .iter()
                .filter(|(name, _)| {
                    reached.contains_key(&(kind.clone(), (*name).clone()))
                        || (kind == "securitySchemes" && schemes.contains(*name))
                })
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect();
            if !kept.is_empty() {
                components.insert(kind.clone(), Value::Object(kept));
            }
        }
    }
    out.insert("paths".into(), paths);
    if !components.is_empty() {
        out.insert("components".into(), Value::Object(components));
    }
    Ok(Value::Object(out))
}

/// The slice as YAML text.
pub fn slice_yaml(doc: &Document, selection: &Selection) -> Result<String> {
    let value = slice(doc, selection)?;
    serde_yaml::to_string(&value).map_err(|e| crate::error::Error::Internal {
        what: "the slice".into(),
        message: e.to_string(),
    })
}

fn collect_schemes(security: &Value, out: &mut BTreeSet<String>) {
    for requirement in security.as_array().into_iter().flatten() {
        if let Some(map) = requirement.as_object() {
            out.extend(map.keys().cloned());
        }
    }
}

/// A component a kept part of the document names.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Reach {
    /// A `$ref`: it must point at something.
    Ref(String),
    /// The target of a discriminator `mapping`, as a `$ref`; one that points at nothing is left
    /// for lowering to report (where lenient mode can keep the data as JSON).
    Mapping(String),
}

/// Pushes every `$ref` under `value`, and every schema a discriminator `mapping` names
/// (`#/components/schemas/X`, or the bare name `X`). `in_example` is true inside an Example
/// object, whose `value` is data. An iterative walk: the document's depth never grows the stack.
fn refs_in(value: &Value, in_example: bool, out: &mut Vec<Reach>) {
    let mut stack = vec![(value, in_example)];
    while let Some((value, in_example)) = stack.pop() {
        match value {
            Value::Object(map) => {
                // Pushed in reverse, so that they are visited (and found) in document order.
                for (key, v) in map.iter().rev() {
                    match key.as_str() {
                        "$ref" => {
                            if let Some(r) = v.as_str() {
                                out.push(Reach::Ref(r.to_owned()));
                            }
                        }
                        // Example data, not references.
                        "example" => {}
                        "value" if in_example => {}
                        // A map of Example objects (or `$ref`s to them); anything else is data.
                        "examples" => {
                            for example in v.as_object().into_iter().flat_map(|m| m.values()).rev()
                            {
                                stack.push((example, true));
                            }
                        }
                        "discriminator" => {
                            let mut targets = Vec::new();
                            mapping_targets(v, &mut targets);
                            out.extend(targets.into_iter().map(Reach::Mapping));
                            stack.push((v, false));
                        }
                        _ => stack.push((v, false)),
                    }
                }
            }
            Value::Array(items) => {
                for item in items.iter().rev() {
                    stack.push((item, in_example));
                }
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const DOC: &str = r##"{
  "openapi": "3.0.3",
  "info": {"title": "t", "version": "1"},
  "paths": {"/pets": {"get": {"operationId": "listPets", "tags": ["Pets"], "responses": {"200": {
    "description": "ok",
    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Pet"}}}}}}}},
  "components": {"schemas": {
    "Pet": {"type": "object", "properties": {"kind": {"type": "string"}},
      "discriminator": {"propertyName": "kind", "mapping": {
        "cat": "#/components/schemas/Cat", "dog": "Dog", "gone": "Missing"}}},
    "Cat": {"allOf": [{"$ref": "#/components/schemas/Pet"}, {"$ref": "#/components/schemas/Whiskers"}]},
    "Dog": {"type": "object", "discriminator": {"propertyName": "kind", "mapping": {"puppy": "Puppy"}}},
    "Puppy": {"type": "object"},
    "Whiskers": {"type": "object"},
    "Unrelated": {"type": "object"}
  }}
}"##;

    #[test]
    fn a_slice_keeps_discriminator_mapping_targets_transitively() {
        let doc = crate::load::parse("pets.json", DOC).unwrap_or_else(|e| panic!("{e}"));
        let selection = Selection {
            tags: vec!["Pets".into()],
            ..Default::default()
        };
        let slice = slice(&doc, &selection).unwrap_or_else(|e| panic!("{e}"));
        let kept: Vec<&String> = slice["components"]["schemas"]
            .as_object()
            .map(|m| m.keys().collect())
            .unwrap_or_default();
        // By reference and by bare name, through a mapping target's own `$ref`s and mappings;
        // a target that names nothing is left for lowering to report.
        assert_eq!(kept, ["Pet", "Cat", "Dog", "Puppy", "Whiskers"]);
    }
}
