//! OpenAPI Overlay 1.0: corrections to an upstream document, declared in one place and applied
//! to the raw document before it is parsed. Targets are RFC 9535 JSONPath expressions
//! (`serde_json_path`); `update` is merged into every node a target selects, `remove` deletes
//! them.

use std::path::{Path, PathBuf};

use serde::Deserialize;
use serde_json::Value;
use serde_json_path::JsonPath;

use crate::error::{Error, Location, Result};

/// An overlay document.
#[derive(Debug, Clone, Deserialize)]
pub struct Overlay {
    /// The Overlay version (`1.0.0`).
    pub overlay: String,
    /// Title and version of the overlay.
    pub info: OverlayInfo,
    /// The document the overlay is meant for (informative).
    #[serde(default)]
    pub extends: Option<String>,
    /// The changes, applied in order.
    pub actions: Vec<Action>,
    /// Where the overlay was read from.
    #[serde(skip)]
    pub path: PathBuf,
}

/// `info` of an overlay.
#[derive(Debug, Clone, Deserialize)]
pub struct OverlayInfo {
    pub title: String,
    pub version: String,
}

/// One change.
#[derive(Debug, Clone, Deserialize)]
pub struct Action {
    /// A JSONPath selecting the nodes to change.
    pub target: String,
    /// Why (shown in reports).
    #[serde(default)]
    pub description: Option<String>,
    /// Merged into each selected node (objects recursively; arrays get it appended).
    #[serde(default)]
    pub update: Option<Value>,
    /// Removes each selected node.
    #[serde(default)]
    pub remove: bool,
}

impl Overlay {
    /// Reads an overlay file (YAML or JSON).
    pub fn load(path: &Path) -> Result<Overlay> {
        let text = crate::load::read(path)?;
        let raw = crate::load::parse_raw(path, &text)?;
        let mut overlay: Overlay = serde_path_to_error::deserialize(&raw).map_err(|e| {
            let pointer = crate::pointer::from_serde_path(e.path());
            Error::Config {
                location: Box::new(Location {
                    file: path.to_owned(),
                    line: crate::pointer::yaml_line(&text, &pointer),
                    pointer: Some(pointer),
                    column: None,
                }),
                message: format!("not a valid Overlay 1.0 document: {}", e.inner()),
            }
        })?;
        overlay.path = path.to_owned();
        if !overlay.overlay.starts_with("1.") {
            return Err(overlay.error(
                None,
                format!(
                    "Overlay version {:?} is not supported (1.x is)",
                    overlay.overlay
                ),
            ));
        }
        Ok(overlay)
    }

    fn error(&self, action: Option<usize>, message: String) -> Error {
        Error::Config {
            location: Box::new(Location {
                file: self.path.clone(),
                pointer: action.map(|i| format!("/actions/{i}")),
                line: None,
                column: None,
            }),
            message,
        }
    }

    /// Applies every action, in order, to `doc`. An action whose target is not valid JSONPath,
    /// or selects nothing, is an error naming the action and its target: a correction that no
    /// longer applies must be noticed, not silently skipped.
    pub fn apply(&self, doc: &mut Value) -> Result<()> {
        for (index, action) in self.actions.iter().enumerate() {
            let path = JsonPath::parse(&action.target).map_err(|e| {
                self.error(
                    Some(index),
                    format!(
                        "action {index}: target {:?} is not valid JSONPath: {e}",
                        action.target
                    ),
                )
            })?;
            let pointers: Vec<String> = path
                .query_located(doc)
                .locations()
                .map(|l| l.to_json_pointer())
                .collect();
            if pointers.is_empty() {
                return Err(self.error(
                    Some(index),
                    format!(
                        "action {index}: target {:?} matched nothing in the document{}",
                        action.target,
                        action
                            .description
                            .as_deref()
                            .map(|d| format!(" ({d})"))
                            .unwrap_or_default()
                    ),
                ));
            }
            match (&action.update, action.remove) {
                (Some(_), true) => {
                    return Err(self.error(
                        Some(index),
                        format!("action {index}: `update` and `remove` together"),
                    ))
                }
                (None, false) => {
                    return Err(self.error(
                        Some(index),
                        format!("action {index}: neither `update` nor `remove`"),
                    ))
                }
                (None, true) => {
                    // Last first, so that removing an array item leaves the other pointers valid.
                    for pointer in pointers.iter().rev() {
                        remove(doc, pointer);
                    }
                }
                (Some(update), false) => {
                    for pointer in &pointers {
                        if let Some(node) = doc.pointer_mut(pointer) {
                            merge(node, update);
                        }
                    }
                }
            }
        }
        Ok(())
    }
}

/// Merges `update` into `target`: objects key by key (recursively), arrays get `update`
/// appended, anything else is replaced.
fn merge(target: &mut Value, update: &Value) {
    match (target, update) {
        (Value::Object(target), Value::Object(update)) => {
            for (key, value) in update {
                match target.get_mut(key) {
                    Some(existing) if existing.is_object() && value.is_object() => {
                        merge(existing, value)
                    }
                    _ => {
                        target.insert(key.clone(), value.clone());
                    }
                }
            }
        }
        (Value::Array(items), update) => items.push(update.clone()),
        (target, update) => *target = update.clone(),
    }
}

/// Removes the node at `pointer` from its parent.
fn remove(doc: &mut Value, pointer: &str) {
    let Some((parent, last)) = pointer.rsplit_once('/') else {
        return;
    };
    let key = crate::pointer::unescape(last);
    match doc.pointer_mut(parent) {
        Some(Value::Object(map)) => {
            map.shift_remove(&key);
        }
        Some(Value::Array(items)) => {
            if let Ok(index) = key.parse::<usize>() {
                if index < items.len() {
                    items.remove(index);
                }
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn overlay(actions: Value) -> Overlay {
        let mut o: Overlay = serde_json::from_value(json!({
            "overlay": "1.0.0", "info": {"title": "t", "version": "1"}, "actions": actions
        }))
        .unwrap_or_else(|e| panic!("{e}"));
        o.path = "o.yaml".into();
        o
    }

    #[test]
    fn update_merges_objects_and_appends_to_arrays() {
        let mut doc = json!({"a": {"b": 1, "c": {"d": 1}}, "list": [1]});
        let o = overlay(json!([
            {"target": "$.a", "update": {"c": {"e": 2}, "f": 3}},
            {"target": "$.list", "update": 2},
            {"target": "$.a.b", "update": 9}
        ]));
        assert!(o.apply(&mut doc).is_ok());
        assert_eq!(
            doc,
            json!({"a": {"b": 9, "c": {"d": 1, "e": 2}, "f": 3}, "list": [1, 2]})
        );
    }

    #[test]
    fn remove_deletes_every_selected_node() {
        let mut doc =
            json!({"s": {"$ref": "#/x", "k": 1}, "items": [{"x": 1}, {"x": 2}, {"x": 1}]});
        let o = overlay(json!([
            {"target": "$.s['$ref']", "remove": true},
            {"target": "$.items[?@.x == 1]", "remove": true}
        ]));
        assert!(o.apply(&mut doc).is_ok());
        assert_eq!(doc, json!({"s": {"k": 1}, "items": [{"x": 2}]}));
    }

    #[test]
    fn a_target_that_matches_nothing_names_the_action_and_target() {
        let mut doc = json!({"a": 1});
        let o = overlay(
            json!([{"target": "$.a", "update": 2}, {"target": "$.missing", "remove": true, "description": "gone"}]),
        );
        let err = o.apply(&mut doc).map_err(|e| e.to_string());
        let Err(err) = err else {
            panic!("a target that matches nothing is an error")
        };
        assert!(
            err.contains("action 1: target \"$.missing\" matched nothing"),
            "{err}"
        );
        assert!(err.contains("o.yaml at #/actions/1"), "{err}");
    }

    #[test]
    fn invalid_jsonpath_and_empty_actions_are_errors() {
        let mut doc = json!({});
        let bad = overlay(json!([{"target": "$[", "remove": true}]))
            .apply(&mut doc)
            .map_err(|e| e.to_string());
        assert!(bad.is_err_and(|e| e.contains("not valid JSONPath")));
        let empty = overlay(json!([{"target": "$"}]))
            .apply(&mut doc)
            .map_err(|e| e.to_string());
        assert!(empty.is_err_and(|e| e.contains("neither `update` nor `remove`")));
    }
}
