//! Which schemas openapiv3's typed parse refuses, found bottom-up, in time linear in the size of
//! the document whatever its depth.
//!
//! openapiv3 reads every schema as a `ReferenceOr<Schema>`, an untagged enum: when a schema is
//! refused, serde tries the next variant, which parses the whole schema a second time to name
//! the error. A schema refused because of a sub-schema refused `d` levels down is parsed
//! `2^d` times (16 levels took 10 s in a debug build). So each schema is parsed here alone, once
//! what its sub-schemas give is known, with each sub-schema replaced by a cheap stand-in that
//! parses the same way: `{}` for one that parses, and for a refused one a *marker*, a one-keyword
//! schema refused with a message nothing in the document can produce. openapiv3 reads every
//! sub-schema keyword of a schema whatever its `type`, and passes a sub-schema's message up
//! unchanged (under `additionalProperties` it names the enum instead, whatever the sub-schema),
//! so the schema parses alone exactly when it parses whole, and is refused with the same message:
//! a marker's message when the first thing refused is that sub-schema, and then the message is
//! that sub-schema's.
//!
//! A schema whose keywords all have a JSON type openapiv3 accepts, with sub-schemas that
//! parse, surely parses and is not parsed at all: a document that parses costs a walk, not a
//! second parse.
//!
//! Each refused schema keeps a small *stand-in*: itself as it was parsed alone when the message
//! is its own, else its refused sub-schema's stand-in. Parsing a part of the document with its
//! refused schemas replaced by their stand-ins gives the same result (the same error, at the
//! same path: serde's path never enters a schema, which is read through an untagged enum) in
//! time linear in the part's size. Schemas are found by their place in the document (as
//! [`crate::normalize`] finds them); every walk here is iterative.

use std::collections::{HashMap, HashSet};
use std::marker::PhantomData;
use std::rc::Rc;

use serde::de::DeserializeOwned;
use serde::Deserialize;
use serde_json::{Map, Value};

use crate::normalize::{child_place, Kind, Place};

/// What serde_path_to_error reports for a refused typed parse.
pub(crate) type TypedError = serde_path_to_error::Error<serde_json::Error>;

/// The marker strings start with this, then a number no string in the checked tree contains
/// after it, then `-` and the index of the sub-schema.
const MARKER: &str = "okgen-refused-";

/// Why a schema is refused.
struct Cause {
    /// What the parse says.
    message: Rc<str>,
    /// A small value the parse refuses with the same message.
    stand_in: Value,
}

/// The verdict of the typed parse on every schema of a tree (a document, or a part of one).
pub(crate) struct SchemaCheck<'a> {
    /// By the address of each schema: `None` when it parses, else its cause in `causes`.
    verdicts: HashMap<usize, Option<usize>>,
    causes: Vec<Cause>,
    /// The verdicts hold addresses into the tree: it must not change while they are used.
    tree: PhantomData<&'a Value>,
}

/// The address of a value, the key of its verdict.
fn address(value: &Value) -> usize {
    std::ptr::from_ref(value) as usize
}

/// How openapiv3 reads a value at a schema's place: parsed, or refused with a message.
fn parse_schema(value: &Value) -> Option<String> {
    openapiv3::ReferenceOr::<openapiv3::Schema>::deserialize(value)
        .err()
        .map(|e| e.to_string())
}

impl<'a> SchemaCheck<'a> {
    /// Checks every schema in `root`, which is at `place` in a document (3.0, as the typed parse
    /// reads it).
    pub(crate) fn new(root: &'a Value, place: Place) -> SchemaCheck<'a> {
        let schemas = schemas_in(root, place);
        let mut check = SchemaCheck {
            verdicts: HashMap::with_capacity(schemas.len()),
            causes: Vec::new(),
            tree: PhantomData,
        };
        // Made when a refused sub-schema first needs a marker.
        let mut prefix: Option<String> = None;
        // A schema comes after the schemas around it: from the end, its sub-schemas are known.
        for schema in schemas.into_iter().rev() {
            let Value::Object(map) = schema else {
                continue;
            };
            if surely_parses(map, &|child| {
                check.verdicts.get(&address(child)) == Some(&None)
            }) {
                check.verdicts.insert(address(schema), None);
                continue;
            }
            let mut refused_inside: Vec<usize> = Vec::new();
            let alone = alone(
                map,
                &mut |value| match check.verdicts.get(&address(value))? {
                    None => Some(Value::Object(Map::new())),
                    Some(cause) => {
                        let prefix = prefix.get_or_insert_with(|| marker_prefix(root));
                        let marker = marker(prefix, refused_inside.len());
                        refused_inside.push(*cause);
                        Some(marker)
                    }
                },
            );
            let verdict = parse_alone(&alone).map(|message| {
                let marked = prefix
                    .as_deref()
                    .and_then(|prefix| marker_index(prefix, &message))
                    .and_then(|i| refused_inside.get(i));
                match marked {
                    Some(cause) => *cause,
                    None => {
                        check.causes.push(Cause {
                            message: message.into(),
                            stand_in: alone,
                        });
                        check.causes.len() - 1
                    }
                }
            });
            check.verdicts.insert(address(schema), verdict);
        }
        check
    }

    /// Whether some schema in the tree is refused.
    pub(crate) fn refuses_any(&self) -> bool {
        !self.causes.is_empty()
    }

    /// What the typed parse says of `schema`, a value at a schema's place in the tree (or
    /// outside it: then it is checked alone): `None` when it parses, else the message.
    pub(crate) fn refused(&self, schema: &Value) -> Option<Rc<str>> {
        match self.verdicts.get(&address(schema)) {
            Some(verdict) => verdict.map(|cause| Rc::clone(&self.causes[cause].message)),
            None if schema.is_object() => {
                let alone = SchemaCheck::new(schema, Place::One(Kind::Schema));
                alone.refused(schema)
            }
            // Not an object: the parse refuses it at once, without entering it.
            None => parse_schema(schema).map(Rc::from),
        }
    }

    /// `serde_path_to_error::deserialize(value)` for `value` in the tree, in time linear in its
    /// size: the same value, or the same error at the same path.
    pub(crate) fn deserialize<T: DeserializeOwned>(&self, value: &Value) -> Result<T, TypedError> {
        if !self.refuses_any() {
            // Plainly first: tracking the path costs about 30% more (a profile of Okta's whole
            // document), and only a failure needs it (then the value is parsed again, for the
            // same error with its path).
            return match T::deserialize(value) {
                Ok(parsed) => Ok(parsed),
                Err(_) => serde_path_to_error::deserialize(value),
            };
        }
        let replaced = rebuild(value, &mut |value| {
            let cause = (*self.verdicts.get(&address(value))?)?;
            Some(copy(&self.causes[cause].stand_in))
        });
        match serde_path_to_error::deserialize::<_, T>(&replaced) {
            Err(e) => Err(e),
            // The refused schemas are where the parse does not look (beside a `$ref`): the
            // value parses, without entering them.
            Ok(_) => serde_path_to_error::deserialize(value),
        }
    }
}

/// Whether the schema `map` parses for certain, by the JSON types of its keywords alone, when
/// each sub-schema `parses` (a schema that does not pass is parsed). The rules follow
/// openapiv3's fields; keywords it does not know are ignored, as it ignores them. This spares
/// a document that parses almost all the work: it is the common case.
fn surely_parses(map: &Map<String, Value>, parses: &dyn Fn(&Value) -> bool) -> bool {
    if map.get("$ref").is_some_and(Value::is_string) {
        // Read as a reference: nothing else in it is looked at.
        return true;
    }
    let strings = |v: &Value| v.as_str().is_some();
    let all_strings = |v: &Value| v.as_array().is_some_and(|a| a.iter().all(strings));
    let schema = |v: &Value| v.is_object() && parses(v);
    map.iter().all(|(key, v)| match key.as_str() {
        "nullable" | "readOnly" | "writeOnly" | "deprecated" | "exclusiveMinimum"
        | "exclusiveMaximum" | "uniqueItems" => v.is_boolean(),
        "title" | "description" | "type" | "pattern" | "format" => v.is_string(),
        "multipleOf" | "minimum" | "maximum" => v.is_number(),
        "minProperties" | "maxProperties" | "minItems" | "maxItems" | "minLength" | "maxLength" => {
            v.as_u64().is_some_and(|n| usize::try_from(n).is_ok())
        }
        "required" => all_strings(v),
        "enum" => v.is_array(),
        "externalDocs" => v.as_object().is_some_and(|docs| {
            docs.get("url").is_some_and(strings) && docs.get("description").is_none_or(strings)
        }),
        "discriminator" => v.as_object().is_some_and(|d| {
            d.get("propertyName").is_some_and(strings)
                && d.get("mapping")
                    .is_none_or(|m| m.as_object().is_some_and(|m| m.values().all(strings)))
        }),
        "properties" => v.as_object().is_some_and(|p| p.values().all(schema)),
        "items" | "not" => schema(v),
        "additionalProperties" => v.is_boolean() || schema(v),
        "oneOf" | "allOf" | "anyOf" => v.as_array().is_some_and(|a| a.iter().all(schema)),
        // `example`, `default` and `x-` extensions are any JSON; other keys are not read.
        _ => true,
    })
}

/// How the typed parse reads `schema`, an object without a string `$ref`, at a schema's place:
/// as [`parse_schema`] does (a `$ref` that is not a string is ignored), without buffering it
/// for the untagged enum first.
fn parse_alone(schema: &Value) -> Option<String> {
    openapiv3::Schema::deserialize(schema)
        .err()
        .map(|e| e.to_string())
}

/// A copy of the schema `map` in which each sub-schema `stand_in` gives a value for is
/// replaced by that value.
fn alone(map: &Map<String, Value>, stand_in: &mut dyn FnMut(&Value) -> Option<Value>) -> Value {
    let mut one = |value: &Value| stand_in(value).unwrap_or_else(|| copy(value));
    let copy_of = map
        .iter()
        .map(|(key, value)| {
            let copied = match (child_place(Kind::Schema, key), value) {
                (Some(Place::One(_)), value) => one(value),
                (Some(Place::MapOf(_)), Value::Object(inner)) => Value::Object(
                    inner
                        .iter()
                        .map(|(name, value)| (name.clone(), one(value)))
                        .collect(),
                ),
                (Some(Place::ListOf(_)), Value::Array(items)) => {
                    Value::Array(items.iter().map(&mut one).collect())
                }
                (_, value) => copy(value),
            };
            (key.clone(), copied)
        })
        .collect();
    Value::Object(copy_of)
}

/// A copy of `value`, made without recursion.
fn copy(value: &Value) -> Value {
    match value {
        Value::Object(_) | Value::Array(_) => rebuild(value, &mut |_| None),
        scalar => scalar.clone(),
    }
}

/// The schemas in `root` (at `place`) that are objects, each before the schemas inside it: all
/// that [`crate::normalize::schemas_under`] finds, and the schemas inside them.
fn schemas_in(root: &Value, place: Place) -> Vec<&Value> {
    let mut schemas = Vec::new();
    let mut stack: Vec<(&Value, Place)> = vec![(root, place)];
    while let Some((value, place)) = stack.pop() {
        match (place, value) {
            (Place::One(kind), Value::Object(map)) => {
                if kind == Kind::Schema {
                    schemas.push(value);
                }
                stack.extend(
                    map.iter()
                        .filter_map(|(key, child)| Some((child, child_place(kind, key)?))),
                );
            }
            (Place::MapOf(kind), Value::Object(map)) => {
                stack.extend(map.values().map(|child| (child, Place::One(kind))));
            }
            (Place::ListOf(kind), Value::Array(items)) => {
                stack.extend(items.iter().map(|child| (child, Place::One(kind))));
            }
            _ => {}
        }
    }
    schemas
}

/// A copy of `root` in which each value `replace` gives a replacement for is replaced (and not
/// entered). Iterative: nesting depth costs heap, never native stack.
fn rebuild(root: &Value, replace: &mut dyn FnMut(&Value) -> Option<Value>) -> Value {
    enum Task<'v> {
        Visit(&'v Value),
        /// Gather the last values built into this object's copy.
        Object(&'v Map<String, Value>),
        /// Gather the last `n` values built into an array.
        Array(usize),
    }
    let mut tasks = vec![Task::Visit(root)];
    let mut built: Vec<Value> = Vec::new();
    while let Some(task) = tasks.pop() {
        match task {
            Task::Visit(value) => {
                if let Some(new) = replace(value) {
                    built.push(new);
                    continue;
                }
                match value {
                    Value::Object(map) => {
                        tasks.push(Task::Object(map));
                        tasks.extend(map.values().rev().map(Task::Visit));
                    }
                    Value::Array(items) => {
                        tasks.push(Task::Array(items.len()));
                        tasks.extend(items.iter().rev().map(Task::Visit));
                    }
                    scalar => built.push(scalar.clone()),
                }
            }
            Task::Object(map) => {
                let values = built.split_off(built.len().saturating_sub(map.len()));
                built.push(Value::Object(map.keys().cloned().zip(values).collect()));
            }
            Task::Array(len) => {
                let values = built.split_off(built.len().saturating_sub(len));
                built.push(Value::Array(values));
            }
        }
    }
    built.pop().unwrap_or(Value::Null)
}

/// The start of the marker strings for `root`: [`MARKER`] and the smallest number that no
/// string (key or value) in `root` has after [`MARKER`], so that no message about the
/// document can be a marker's.
fn marker_prefix(root: &Value) -> String {
    let mut taken: HashSet<u64> = HashSet::new();
    let mut note = |s: &str| {
        for (at, _) in s.match_indices(MARKER) {
            let digits: String = s[at + MARKER.len()..]
                .chars()
                .take_while(char::is_ascii_digit)
                .collect();
            if let Ok(n) = digits.parse::<u64>() {
                taken.insert(n);
            }
        }
    };
    let mut stack = vec![root];
    while let Some(value) = stack.pop() {
        match value {
            Value::Object(map) => {
                for (key, child) in map {
                    note(key);
                    stack.push(child);
                }
            }
            Value::Array(items) => stack.extend(items),
            Value::String(s) => note(s),
            _ => {}
        }
    }
    // Fewer numbers are taken than there are strings, so one of these is free.
    let free = (0..=taken.len() as u64)
        .find(|n| !taken.contains(n))
        .unwrap_or(0);
    format!("{MARKER}{free}-")
}

/// The marker for the refused sub-schema number `index`: a schema the parse refuses for a
/// keyword whose value names it.
fn marker(prefix: &str, index: usize) -> Value {
    let mut map = Map::new();
    map.insert("nullable".into(), Value::String(format!("{prefix}{index}")));
    Value::Object(map)
}

/// The index of the marker whose message `message` is, if it is one.
fn marker_index(prefix: &str, message: &str) -> Option<usize> {
    let at = message.find(prefix)?;
    let digits: String = message[at + prefix.len()..]
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    let index = digits.parse::<usize>().ok()?;
    (parse_schema(&marker(prefix, index)).as_deref() == Some(message)).then_some(index)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]

    use super::*;
    use serde_json::json;

    /// A schema nested `levels` deep through each kind of sub-schema in turn, around `inner`.
    fn nested(levels: usize, inner: Value) -> Value {
        let mut value = inner;
        for level in 0..levels {
            value = match level % 6 {
                0 => json!({"type": "object", "properties": {"next": value}}),
                1 => json!({"type": "array", "items": value}),
                2 => json!({"allOf": [value]}),
                3 => json!({"oneOf": [value, {"type": "string"}]}),
                4 => json!({"type": "object", "additionalProperties": value}),
                _ => json!({"anyOf": [value], "description": "d"}),
            };
        }
        value
    }

    /// The verdict of the plain parse and of the check agree on `schema` and on each sub-schema
    /// around `{"minLength": ...}`.
    fn agrees(schema: &Value) {
        let check = SchemaCheck::new(schema, Place::One(Kind::Schema));
        for node in schemas_in(schema, Place::One(Kind::Schema)) {
            assert_eq!(
                check.refused(node).as_deref(),
                parse_schema(node).as_deref(),
                "{node}"
            );
        }
    }

    #[test]
    fn the_check_agrees_with_the_parse_on_shallow_schemas() {
        for inner in [
            json!({"type": "string", "minLength": "x"}),
            json!({"type": "string", "minLength": 1}),
            json!({"nullable": 3, "properties": {"a": {"minLength": "x"}}}),
            json!({"properties": {"a": {"minLength": "x"}}, "maxLength": "y"}),
            json!({"properties": {"a": {"minLength": 1}}, "maxLength": "y"}),
            json!({"$ref": "#/components/schemas/A", "minLength": "x"}),
            json!({"$ref": 3, "minLength": "x"}),
            json!({"items": [1, 2]}),
            json!({"properties": {"a": 5}}),
            json!({"additionalProperties": {"type": 5}}),
            json!({"nullable": format!("{MARKER}0-0")}),
        ] {
            for levels in 0..8 {
                agrees(&nested(levels, inner.clone()));
            }
        }
    }

    #[test]
    fn what_surely_parses_parses() {
        let keys = [
            "nullable",
            "readOnly",
            "writeOnly",
            "deprecated",
            "exclusiveMinimum",
            "exclusiveMaximum",
            "uniqueItems",
            "title",
            "description",
            "type",
            "pattern",
            "format",
            "multipleOf",
            "minimum",
            "maximum",
            "minProperties",
            "maxProperties",
            "minItems",
            "maxItems",
            "minLength",
            "maxLength",
            "required",
            "enum",
            "externalDocs",
            "discriminator",
            "properties",
            "items",
            "not",
            "additionalProperties",
            "oneOf",
            "allOf",
            "anyOf",
            "example",
            "default",
            "$ref",
            "x-a",
            "unknown",
        ];
        let values = [
            json!(null),
            json!(true),
            json!(0),
            json!(7),
            json!(-1),
            json!(1.5),
            json!(1e300),
            json!(u64::MAX),
            json!("x"),
            json!([]),
            json!(["x"]),
            json!([1]),
            json!([{}]),
            json!([{"type": "string"}, {"$ref": "#/a"}]),
            json!([{}, 1]),
            json!({}),
            json!({"a": {}}),
            json!({"a": 1}),
            json!({"a": "b"}),
            json!({"url": "u"}),
            json!({"url": "u", "description": 1}),
            json!({"url": 1}),
            json!({"propertyName": "k"}),
            json!({"propertyName": "k", "mapping": {"a": "#/b"}}),
            json!({"propertyName": "k", "mapping": {"a": 1}}),
            json!({"propertyName": 1}),
        ];
        let mut sure = 0;
        for key in keys {
            for value in &values {
                let mut map = Map::new();
                map.insert(key.to_owned(), value.clone());
                if surely_parses(&map, &|child| parse_schema(child).is_none()) {
                    sure += 1;
                    let schema = Value::Object(map);
                    assert_eq!(parse_schema(&schema), None, "{schema}");
                    assert_eq!(parse_alone(&schema), None, "{schema}");
                }
            }
        }
        // Not vacuous: most keywords have a value of the right type in the sample.
        assert!(sure > 150, "{sure}");
    }

    #[test]
    fn a_string_like_a_marker_gets_another_marker() {
        // Refused for its own `nullable` first, with the message marker 0 would have.
        let schema = json!({
            "nullable": format!("{MARKER}0-0"),
            "properties": {"a": {"minLength": "x"}},
            "description": format!("see {MARKER}1-2"),
        });
        assert_eq!(marker_prefix(&schema), format!("{MARKER}2-"));
        agrees(&schema);
        agrees(&json!({"allOf": [schema]}));
    }

    #[test]
    fn a_deep_refused_schema_is_checked_without_parsing_it_whole() {
        // 2^200 parses if done top-down: this only finishes if the check is linear.
        let schema = nested(200, json!({"type": "string", "minLength": "x"}));
        let check = SchemaCheck::new(&schema, Place::One(Kind::Schema));
        // An `additionalProperties` on the way up names its enum instead.
        assert_eq!(
            check.refused(&schema).as_deref(),
            Some("data did not match any variant of untagged enum AdditionalProperties")
        );
        let schema = nested(4, schema);
        let check = SchemaCheck::new(&schema, Place::One(Kind::Schema));
        assert_eq!(
            check
                .refused(&schema["oneOf"][0]["allOf"][0]["items"]["properties"]["next"])
                .as_deref(),
            Some("data did not match any variant of untagged enum AdditionalProperties")
        );
        let schema = json!({"allOf": [{"properties": {"a": schema, "b": {"type": "string"}}}]});
        let mut deep = json!({"type": "string", "minLength": "x"});
        for _ in 0..200 {
            deep = json!({"items": deep});
        }
        let doc = json!({"components": {"schemas": {"S": schema, "T": deep}}});
        let check = SchemaCheck::new(&doc, Place::One(Kind::Document));
        let e = check
            .deserialize::<openapiv3::Components>(&doc["components"])
            .map(|_| ())
            .expect_err("refused");
        assert_eq!(
            e.inner().to_string(),
            "data did not match any variant of untagged enum AdditionalProperties"
        );
        let check = SchemaCheck::new(&doc["components"]["schemas"]["T"], Place::One(Kind::Schema));
        assert_eq!(
            check.refused(&doc["components"]["schemas"]["T"]).as_deref(),
            Some("invalid type: string \"x\", expected usize")
        );
    }

    #[test]
    fn deserialize_gives_the_plain_parse_result() {
        for levels in [0, 1, 3, 6] {
            for inner in [
                json!({"type": "string", "minLength": "x"}),
                json!({"type": "string", "minLength": 2}),
            ] {
                let doc = json!({"schemas": {"S": nested(levels, inner)}, "parameters": {
                    "p": {"name": "p", "in": "query", "schema": nested(levels, json!({"maxItems": -1}))}
                }});
                let check = SchemaCheck::new(&doc, Place::One(Kind::Components));
                let fast = check.deserialize::<openapiv3::Components>(&doc);
                let plain = serde_path_to_error::deserialize::<_, openapiv3::Components>(&doc);
                match (fast, plain) {
                    (Ok(a), Ok(b)) => assert_eq!(a, b),
                    (Err(a), Err(b)) => {
                        assert_eq!(a.path().to_string(), b.path().to_string());
                        assert_eq!(a.inner().to_string(), b.inner().to_string());
                    }
                    (a, b) => panic!("{:?} against {:?}", a.err(), b.err()),
                }
            }
        }
    }
}
