//! OpenAPI Overlay 1.0: corrections to an upstream document, declared in one place and applied
//! to the raw document before it is parsed. Targets are RFC 9535 JSONPath expressions
//! (`serde_json_path`); `update` is merged into every node a target selects, `remove` deletes
//! them.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use serde_json::Value;

use crate::error::{Error, Location, Result};

#[cfg(feature = "overlay")]
mod select;
#[cfg(feature = "overlay")]
use select::select;

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
    /// longer applies must be noticed, not silently skipped. So is a target too costly to
    /// evaluate (see [`MATCH_BUDGET`]), and a `remove` of the document itself.
    pub fn apply(&self, doc: &mut Value) -> Result<()> {
        self.apply_within(doc, MATCH_BUDGET).map(drop)
    }

    /// [`Overlay::apply`], returning the nodes each action changed, so that a problem found
    /// later in one of them can name the action.
    pub fn apply_recording(&self, doc: &mut Value) -> Result<Vec<Change>> {
        self.apply_within(doc, MATCH_BUDGET)
    }

    /// [`Overlay::apply_recording`] with the budget of nodes one target may visit or select.
    pub(crate) fn apply_within(&self, doc: &mut Value, budget: usize) -> Result<Vec<Change>> {
        let mut changes = Vec::new();
        for (index, action) in self.actions.iter().enumerate() {
            let pointers = select(doc, &action.target, budget)
                .map_err(|problem| self.error(Some(index), problem.message(index, action)))?;
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
                    if pointers.iter().any(String::is_empty) {
                        return Err(self.error(
                            Some(index),
                            format!(
                                "action {index}: target {:?} selects the whole document, which `remove` cannot delete; target the nodes to remove inside it",
                                action.target
                            ),
                        ));
                    }
                    for tokens in removal_order(&pointers) {
                        remove(doc, &tokens);
                    }
                    changes.extend(pointers.iter().map(|p| Change {
                        action: index,
                        pointer: p.clone(),
                        file: self.path.clone(),
                    }));
                }
                (Some(update), false) => {
                    let mut seen = BTreeSet::new();
                    for pointer in &pointers {
                        // A node a target selects twice is updated once.
                        if !seen.insert(pointer.as_str()) {
                            continue;
                        }
                        if let Some(node) = doc.pointer_mut(pointer) {
                            merge(node, update);
                        }
                        changes.push(Change {
                            action: index,
                            pointer: pointer.clone(),
                            file: self.path.clone(),
                        });
                    }
                }
            }
        }
        Ok(changes)
    }
}

/// A node of the document an overlay action updated or removed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    /// The action's index in `actions`.
    pub action: usize,
    /// The JSON pointer of the node.
    pub pointer: String,
    /// The overlay file.
    pub file: std::path::PathBuf,
}

/// The words to add to a problem found at `at` when an overlay action changed that node or one
/// that holds it (the last such action).
pub fn note(changes: &[Change], at: &str) -> Option<String> {
    changes
        .iter()
        .rev()
        // An update of the whole document would claim every problem: not a useful hint.
        .filter(|c| !c.pointer.is_empty())
        .find(|c| at == c.pointer || at.starts_with(&format!("{}/", c.pointer)))
        .map(|c| {
            format!(
                "this part of the document was changed by {} at #/actions/{}: check that action",
                c.file.display(),
                c.action
            )
        })
}

/// The most nodes one action's target may visit or select in one step of its evaluation
/// (Okta's whole document has about 90,000 nodes; `$..*..*` visits about 450,000).
pub const MATCH_BUDGET: usize = 1_000_000;

/// Why a target selects nothing usable.
#[derive(Debug, Clone, PartialEq, Eq)]
// Without the `overlay` feature no target is evaluated: only `Unavailable` is made.
#[cfg_attr(not(feature = "overlay"), allow(dead_code))]
enum Refusal {
    /// Not RFC 9535 JSONPath.
    Invalid(String),
    /// Evaluating it would visit or select more nodes than the budget.
    TooCostly(String),
    /// okgen was compiled without its `overlay` feature.
    #[cfg(not(feature = "overlay"))]
    Unavailable,
}

/// Without the `overlay` feature, no target can be evaluated: every overlay is refused at its
/// first action, with an error that names the feature.
#[cfg(not(feature = "overlay"))]
fn select(_doc: &Value, _target: &str, _budget: usize) -> Result<Vec<String>, Refusal> {
    Err(Refusal::Unavailable)
}

impl Refusal {
    fn message(&self, index: usize, action: &Action) -> String {
        match self {
            Refusal::Invalid(e) => format!(
                "action {index}: target {:?} is not valid JSONPath: {e}",
                action.target
            ),
            Refusal::TooCostly(why) => format!(
                "action {index}: target {:?} is too costly to evaluate: {why}; name the nodes more precisely (fewer `..` and wildcards)",
                action.target
            ),
            #[cfg(not(feature = "overlay"))]
            Refusal::Unavailable => format!(
                "action {index}: this okgen was compiled without its `overlay` feature, which evaluates overlay targets (JSONPath); enable it where okgen is a dependency: `okgen = {{ ..., features = [\"overlay\"] }}` (in [build-dependencies] for a build script)"
            ),
        }
    }
}

/// The tokens of the pointers to remove, deduplicated, in an order in which removing each
/// leaves the others valid: descending, with array indices compared as numbers, so that of
/// one array's items the last goes first, and a node's descendants go before it.
fn removal_order(pointers: &[String]) -> Vec<Vec<Token>> {
    let mut all: Vec<Vec<Token>> = pointers
        .iter()
        .map(|p| p.split('/').skip(1).map(Token::from_pointer).collect())
        .collect();
    all.sort_unstable_by(|a, b| b.cmp(a));
    all.dedup();
    all
}

/// One reference token of a JSON pointer.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum Token {
    /// A number as written in a pointer to an array item (`0`, `12`; no leading zeros).
    Index(usize),
    /// Anything else: an object key.
    Name(String),
}

impl Token {
    fn from_pointer(escaped: &str) -> Token {
        let text = crate::pointer::unescape(escaped);
        let canonical = text == "0" || (!text.starts_with('0') && !text.is_empty());
        match text.parse::<usize>() {
            Ok(index) if canonical && text.bytes().all(|b| b.is_ascii_digit()) => {
                Token::Index(index)
            }
            _ => Token::Name(text),
        }
    }

    fn key(&self) -> String {
        match self {
            Token::Index(i) => i.to_string(),
            Token::Name(name) => name.clone(),
        }
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

/// Removes the node at `tokens` (never the root) from its parent.
fn remove(doc: &mut Value, tokens: &[Token]) {
    let Some((last, parents)) = tokens.split_last() else {
        return;
    };
    let mut parent = doc;
    for token in parents {
        let next = match parent {
            Value::Object(map) => map.get_mut(&token.key()),
            Value::Array(items) => match token {
                Token::Index(i) => items.get_mut(*i),
                Token::Name(_) => None,
            },
            _ => None,
        };
        match next {
            Some(next) => parent = next,
            None => return,
        }
    }
    match parent {
        Value::Object(map) => {
            map.shift_remove(&last.key());
        }
        Value::Array(items) => {
            if let Token::Index(index) = last {
                if *index < items.len() {
                    items.remove(*index);
                }
            }
        }
        _ => {}
    }
}

#[cfg(all(test, feature = "overlay"))]
mod tests {
    use super::select::segments;
    use super::*;
    use serde_json::json;
    use serde_json_path::JsonPath;

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

    fn list() -> Value {
        json!({"list": [{"x": 1, "n": 0}, {"x": 2, "n": 1}, {"y": 1, "n": 2}, {"x": 2, "n": 3}]})
    }

    fn ns(doc: &Value) -> Vec<i64> {
        doc["list"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|item| item["n"].as_i64())
            .collect()
    }

    #[test]
    fn remove_takes_exactly_the_matched_items_whatever_order_they_match_in() {
        for target in [
            "$.list[0,2]",
            "$.list[2,0]",
            "$.list[2,0,2]",
            "$.list[?@.y == 1, ?@.x == 1]",
            "$.list[?@.n == 2 || @.n == 0]",
            "$..[?@.n == 2, ?@.n == 0]",
        ] {
            let mut doc = list();
            let o = overlay(json!([{"target": target, "remove": true}]));
            assert!(o.apply(&mut doc).is_ok(), "{target}");
            assert_eq!(ns(&doc), [1, 3], "{target}");
        }
    }

    #[test]
    fn remove_of_nested_matches_removes_descendants_before_their_ancestors() {
        let mut doc = json!({"a": [{"k": [{"k": 1}, 2]}, {"k": 3}, 4]});
        let o = overlay(json!([{"target": "$..[?@.k]", "remove": true}]));
        assert!(o.apply(&mut doc).is_ok());
        assert_eq!(doc, json!({"a": [4]}));
    }

    #[test]
    fn removing_the_root_is_an_error_naming_the_action() {
        let mut doc = json!({"a": 1});
        let o = overlay(json!([{"target": "$.a", "update": 2}, {"target": "$", "remove": true}]));
        let err = o.apply(&mut doc).map_err(|e| e.to_string());
        let Err(err) = err else {
            panic!("removing the document is an error")
        };
        assert!(err.contains("o.yaml at #/actions/1"), "{err}");
        assert!(
            err.contains("action 1: target \"$\" selects the whole document"),
            "{err}"
        );
        // `update` of the root merges into it.
        let mut doc = json!({"a": 1});
        let o = overlay(json!([{"target": "$", "update": {"b": 2}}]));
        assert!(o.apply(&mut doc).is_ok());
        assert_eq!(doc, json!({"a": 1, "b": 2}));
    }

    /// `{"n": {"n": … {"n": 0}}}`, `depth` deep.
    fn chain(depth: usize) -> Value {
        let mut doc = json!(0);
        for _ in 0..depth {
            doc = json!({ "n": doc });
        }
        doc
    }

    #[test]
    fn a_target_over_the_budget_is_refused_before_it_runs() {
        // 40 nodes: `$..*` selects 39 and `$..*..*` 741 (every pair of a node and one below).
        let doc = chain(39);
        let o = overlay(json!([{"target": "$..*..*", "update": {}}]));
        let mut small = doc.clone();
        let err = o.apply_within(&mut small, 500).map_err(|e| e.to_string());
        let Err(err) = err else {
            panic!("over the budget")
        };
        assert!(err.contains("o.yaml at #/actions/0"), "{err}");
        assert!(
            err.contains("action 0: target \"$..*..*\" is too costly to evaluate: step 2 (`..*`) would visit or select more than 500 nodes"),
            "{err}"
        );
        assert_eq!(small, doc, "nothing was changed");
        // Within the budget it runs.
        assert!(o.apply_within(&mut small, 1_000).is_ok());

        // Five `..*` on a modest document: refused with the default budget, at once.
        let mut deep = chain(400);
        let o = overlay(json!([{"target": "$..*..*..*..*..*", "remove": true}]));
        let err = o.apply(&mut deep).map_err(|e| e.to_string());
        assert!(
            err.is_err_and(|e| e.contains("too costly") && e.contains("step 3")),
            "refused at the third `..`"
        );
    }

    #[test]
    fn a_filter_that_walks_subtrees_counts_them() {
        // 30 items of 30 nodes each: every filter evaluation walks one item.
        let items: Vec<Value> = (0..30).map(|_| chain(29)).collect();
        let doc = json!({ "items": items });
        let relative = overlay(json!([{"target": "$.items[?@..n]", "update": {"hit": true}}]));
        assert!(relative.apply_within(&mut doc.clone(), 1_000).is_ok());
        let err = relative
            .apply_within(&mut doc.clone(), 800)
            .map_err(|e| e.to_string());
        assert!(err.is_err_and(|e| e.contains("too costly")));
        // A filter naming the root may walk the whole document for every item.
        let absolute = overlay(json!([{"target": "$.items[?$..n]", "update": {"hit": true}}]));
        let err = absolute
            .apply_within(&mut doc.clone(), 10_000)
            .map_err(|e| e.to_string());
        assert!(err.is_err_and(|e| e.contains("too costly")));
        assert!(absolute.apply_within(&mut doc.clone(), 100_000).is_ok());
    }

    #[test]
    fn targets_split_into_their_segments() {
        type Split = (String, bool, usize, usize, bool);
        let texts = |q: &str| -> Option<Vec<Split>> {
            segments(q).map(|s| {
                s.into_iter()
                    .map(|s| {
                        (
                            s.text.to_owned(),
                            s.descendant,
                            s.selectors,
                            s.nested_descendants,
                            s.root_ref,
                        )
                    })
                    .collect()
            })
        };
        let seg = |t: &str, d: bool, n: usize, nested: usize, root: bool| {
            (t.to_owned(), d, n, nested, root)
        };
        assert_eq!(texts("$"), Some(vec![]));
        assert_eq!(
            texts("$.paths['/a/{id}'].get..schema['$ref']"),
            Some(vec![
                seg(".paths", false, 1, 0, false),
                seg("['/a/{id}']", false, 1, 0, false),
                seg(".get", false, 1, 0, false),
                seg("..schema", true, 1, 0, false),
                seg("['$ref']", false, 1, 0, false),
            ])
        );
        assert_eq!(
            texts("$..[?@..a && $.b == 'x,]..', 0] [*]..*"),
            Some(vec![
                seg("..[?@..a && $.b == 'x,]..', 0]", true, 2, 1, true),
                seg("[*]", false, 1, 0, false),
                seg("..*", true, 1, 0, false),
            ])
        );
        assert_eq!(
            texts("$[?match(@.a, \"[a-z]\")].é_1"),
            Some(vec![
                seg("[?match(@.a, \"[a-z]\")]", false, 1, 0, false),
                seg(".é_1", false, 1, 0, false),
            ])
        );
        // Every segment's text alone is a query, evaluated per node; the split also serves
        // the project's own overlay.
        for target in [
            "$.components.schemas.AuthenticatorEnrollment.properties",
            "$.paths['/api/v1/users/{userId}/authenticator-enrollments'].get.responses['200'].content['application/json'].schema['$ref']",
            "$.list[?@.x == 1, ?@.y == 1]",
        ] {
            let Some(parts) = segments(target) else {
                panic!("{target} splits")
            };
            let joined: String = parts.iter().map(|s| s.text).collect();
            assert_eq!(format!("${joined}"), target);
            assert!(parts
                .iter()
                .all(|s| JsonPath::parse(&format!("${}", s.text)).is_ok()));
        }
    }
}
