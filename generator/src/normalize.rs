//! OpenAPI 3.1 documents, rewritten into the OpenAPI 3.0 model that the typed parse
//! (`openapiv3`) and lowering read. It runs on the raw JSON value, before the typed parse.
//!
//! The rules, on every schema (found by the structure of the document, never by a key's name
//! alone, so example values, enums, defaults and `x-` extensions are left untouched):
//!
//! - `type: [X, "null"]` becomes `type: X, nullable: true`; `type: "null"` (or `["null"]`)
//!   becomes `nullable: true` with no type (the value can only be null, kept as JSON).
//!   Several types without a union already in the schema become `anyOf` of one schema per type,
//!   each taking the keywords that belong to its type (`format`, `items`, `properties`, …); a
//!   schema that already has `allOf`/`anyOf`/`oneOf` loses `type` instead, with a warning.
//! - `anyOf`/`oneOf` with a `{type: "null"}` member: the member goes, `nullable: true` comes;
//!   one `$ref` left becomes `allOf: [{$ref}]` (what lowering reads as a nullable reference),
//!   one inline schema left is merged into its parent when no keyword collides.
//! - `const: v` becomes `enum: [v]`.
//! - numeric `exclusiveMinimum: n` becomes `minimum: n, exclusiveMinimum: true` (the same for
//!   the maximum), keeping the stricter bound when `minimum` is there too.
//! - `examples: [a, …]` becomes `example: a`.
//! - `$ref` with siblings is kept as it is: lowering reads `readOnly`, `writeOnly`,
//!   `nullable`, `deprecated`, `description` and `default` next to a `$ref` from the raw
//!   document; other siblings are ignored, as in 3.0.
//! - `$schema`, `$id`, `$anchor`, `$comment`, `$dynamicAnchor`, `$dynamicRef` and
//!   `$vocabulary` are dropped; `$defs` is dropped with a warning.
//!
//! And on the document: `openapi: 3.1.x` becomes `3.0.3`, `jsonSchemaDialect` is dropped,
//! `webhooks` are dropped with a warning (okgen generates calls to the API, not receivers), and
//! a missing `paths` (optional in 3.1) becomes empty.
//!
//! The walk is iterative: nesting depth costs heap, never native stack.

use serde_json::{Map, Value};

use crate::error::{Diagnostics, Location, Result, Warning};
use crate::pointer::join;

/// What a JSON value is, by its place in the document.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum Kind {
    Document,
    /// `paths`, and a callback: path → path item.
    PathMap,
    PathItem,
    Operation,
    /// A parameter or a header.
    Parameter,
    RequestBody,
    Response,
    MediaType,
    Encoding,
    Components,
    Schema,
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum Place {
    One(Kind),
    MapOf(Kind),
    ListOf(Kind),
}

/// Schema keywords of 3.1 (JSON Schema 2020-12) with no meaning in 3.0, dropped silently.
const DROPPED: [&str; 7] = [
    "$schema",
    "$id",
    "$anchor",
    "$comment",
    "$dynamicAnchor",
    "$dynamicRef",
    "$vocabulary",
];

/// Which keywords go with which type when a multi-type schema is split into `anyOf`.
const TYPE_KEYWORDS: [(&str, &[&str]); 6] = [
    ("string", &["format", "pattern", "minLength", "maxLength"]),
    (
        "number",
        &[
            "format",
            "minimum",
            "maximum",
            "exclusiveMinimum",
            "exclusiveMaximum",
            "multipleOf",
        ],
    ),
    (
        "integer",
        &[
            "format",
            "minimum",
            "maximum",
            "exclusiveMinimum",
            "exclusiveMaximum",
            "multipleOf",
        ],
    ),
    ("boolean", &[]),
    ("array", &["items", "minItems", "maxItems", "uniqueItems"]),
    (
        "object",
        &[
            "properties",
            "required",
            "additionalProperties",
            "minProperties",
            "maxProperties",
        ],
    ),
];

/// Whether `version` (the `openapi` field) is one this module rewrites.
pub fn is_31(version: &str) -> bool {
    version == "3.1" || version.starts_with("3.1.")
}

/// Rewrites the OpenAPI 3.1 document `raw` into the 3.0 model in place. `at` builds the
/// location of a JSON pointer (with its line); what is dropped or cannot be kept is a warning
/// in `diagnostics` (an error in strict mode).
pub fn to_30(
    raw: &mut Value,
    diagnostics: &mut Diagnostics,
    at: &dyn Fn(&str) -> Location,
) -> Result<()> {
    let Some(doc) = raw.as_object_mut() else {
        return Ok(());
    };
    doc.insert("openapi".into(), Value::String("3.0.3".into()));
    doc.remove("jsonSchemaDialect");
    if let Some(webhooks) = doc.remove("webhooks") {
        if webhooks.as_object().is_some_and(|w| !w.is_empty()) {
            diagnostics.warn(Warning {
                location: at("/webhooks"),
                message: "`webhooks` (OpenAPI 3.1) are not generated; they were left out".into(),
                hint: Some(
                    "okgen generates calls to the API's `paths`; webhooks are requests the API \
                     sends to you"
                        .into(),
                ),
            })?;
        }
    }
    if !doc.contains_key("paths") {
        doc.insert("paths".into(), Value::Object(Map::new()));
    }
    let mut stack: Vec<(&mut Value, String, Place)> =
        vec![(raw, String::new(), Place::One(Kind::Document))];
    while let Some((value, pointer, place)) = stack.pop() {
        let mut children: Vec<(&mut Value, String, Place)> = Vec::new();
        match place {
            Place::One(kind) => {
                let Some(map) = value.as_object_mut() else {
                    continue;
                };
                if kind == Kind::Schema {
                    schema(map, &pointer, diagnostics, at)?;
                }
                for (key, child) in map.iter_mut() {
                    if key.starts_with("x-") {
                        continue;
                    }
                    if let Some(place) = child_place(kind, key) {
                        children.push((child, join(&pointer, key), place));
                    }
                }
            }
            Place::MapOf(kind) => {
                let Some(map) = value.as_object_mut() else {
                    continue;
                };
                for (key, child) in map.iter_mut() {
                    if key.starts_with("x-") && kind != Kind::Schema {
                        continue;
                    }
                    children.push((child, join(&pointer, key), Place::One(kind)));
                }
            }
            Place::ListOf(kind) => {
                let Some(items) = value.as_array_mut() else {
                    continue;
                };
                for (index, child) in items.iter_mut().enumerate() {
                    children.push((child, join(&pointer, &index.to_string()), Place::One(kind)));
                }
            }
        }
        // Reversed, so that children are visited (and warned about) in document order.
        stack.extend(children.into_iter().rev());
    }
    Ok(())
}

/// The pointers of the outermost schemas at or under `pointer` in a 3.0 document, in document
/// order (the schemas inside them are not listed). Empty when `pointer` is at no place known
/// to hold schemas.
pub(crate) fn schemas_under(raw: &Value, pointer: &str) -> Vec<String> {
    let mut place = Place::One(Kind::Document);
    if let Some(tokens) = pointer.strip_prefix('/') {
        for token in tokens.split('/') {
            let next = match place {
                Place::One(kind) => child_place(kind, &crate::pointer::unescape(token)),
                Place::MapOf(kind) | Place::ListOf(kind) => Some(Place::One(kind)),
            };
            match next {
                Some(next) => place = next,
                None => return Vec::new(),
            }
        }
    }
    let Some(start) = raw.pointer(pointer) else {
        return Vec::new();
    };
    let mut found = Vec::new();
    let mut stack: Vec<(&Value, String, Place)> = vec![(start, pointer.to_owned(), place)];
    while let Some((value, at, place)) = stack.pop() {
        let mut children: Vec<(&Value, String, Place)> = Vec::new();
        match (place, value) {
            (Place::One(Kind::Schema), _) => found.push(at),
            (Place::One(kind), Value::Object(map)) => {
                for (key, child) in map {
                    if let Some(place) = child_place(kind, key) {
                        children.push((child, join(&at, key), place));
                    }
                }
            }
            (Place::MapOf(kind), Value::Object(map)) => {
                for (key, child) in map {
                    children.push((child, join(&at, key), Place::One(kind)));
                }
            }
            (Place::ListOf(kind), Value::Array(items)) => {
                for (index, child) in items.iter().enumerate() {
                    children.push((child, join(&at, &index.to_string()), Place::One(kind)));
                }
            }
            _ => {}
        }
        stack.extend(children.into_iter().rev());
    }
    found
}

/// Where the member `key` of a value of `kind` is, when it can hold schemas.
pub(crate) fn child_place(kind: Kind, key: &str) -> Option<Place> {
    use Kind::*;
    use Place::*;
    Some(match (kind, key) {
        (Document, "paths") => One(PathMap),
        (Document, "components") => One(Components),
        (PathMap, _) => One(PathItem),
        (PathItem | Operation, "parameters") => ListOf(Parameter),
        (PathItem, "get" | "put" | "post" | "delete" | "options" | "head" | "patch" | "trace") => {
            One(Operation)
        }
        (Operation, "requestBody") => One(RequestBody),
        (Operation, "responses") => MapOf(Response),
        (Operation, "callbacks") => MapOf(PathMap),
        (Parameter | MediaType, "schema") => One(Schema),
        (Parameter | RequestBody | Response, "content") => MapOf(MediaType),
        (Response | Encoding, "headers") => MapOf(Parameter),
        (MediaType, "encoding") => MapOf(Encoding),
        (Components, "schemas") => MapOf(Schema),
        (Components, "responses") => MapOf(Response),
        (Components, "parameters" | "headers") => MapOf(Parameter),
        (Components, "requestBodies") => MapOf(RequestBody),
        (Components, "callbacks") => MapOf(PathMap),
        (Components, "pathItems") => MapOf(PathItem),
        (Schema, "properties" | "patternProperties" | "dependentSchemas") => MapOf(Schema),
        (
            Schema,
            "items"
            | "additionalProperties"
            | "not"
            | "contains"
            | "propertyNames"
            | "if"
            | "then"
            | "else"
            | "unevaluatedItems"
            | "unevaluatedProperties",
        ) => One(Schema),
        (Schema, "allOf" | "anyOf" | "oneOf" | "prefixItems") => ListOf(Schema),
        _ => return None,
    })
}

/// Applies the schema rules to the schema `map` at `pointer`.
fn schema(
    map: &mut Map<String, Value>,
    pointer: &str,
    diagnostics: &mut Diagnostics,
    at: &dyn Fn(&str) -> Location,
) -> Result<()> {
    for key in DROPPED {
        map.remove(key);
    }
    if let Some(defs) = map.remove("$defs") {
        if defs.as_object().is_some_and(|d| !d.is_empty()) {
            diagnostics.warn(Warning {
                location: at(&join(pointer, "$defs")),
                message: "`$defs` (OpenAPI 3.1) are not read; they were left out".into(),
                hint: Some(
                    "move the schemas to #/components/schemas and point the $refs there".into(),
                ),
            })?;
        }
    }
    for keyword in ["anyOf", "oneOf"] {
        null_members(map, keyword);
    }
    types(map, pointer, diagnostics, at)?;
    if let Some(value) = map.remove("const") {
        if value.is_null() {
            map.insert("nullable".into(), Value::Bool(true));
        }
        map.insert("enum".into(), Value::Array(vec![value]));
    }
    for (exclusive, bound, stricter) in [
        ("exclusiveMinimum", "minimum", std::cmp::Ordering::Less),
        ("exclusiveMaximum", "maximum", std::cmp::Ordering::Greater),
    ] {
        let Some(n) = map.get(exclusive).and_then(Value::as_f64) else {
            continue;
        };
        let inclusive = map.get(bound).and_then(Value::as_f64);
        // `minimum: 5, exclusiveMinimum: 3` means `>= 5`: the inclusive bound is stricter.
        let inclusive_wins = inclusive.is_some_and(|m| n.partial_cmp(&m) == Some(stricter));
        if inclusive_wins {
            map.remove(exclusive);
        } else if let Some(value) = map.insert(exclusive.into(), Value::Bool(true)) {
            map.insert(bound.into(), value);
        }
    }
    if let Some(Value::Array(examples)) = map.get("examples") {
        let first = examples.first().cloned();
        map.remove("examples");
        if let Some(first) = first {
            map.entry("example").or_insert(first);
        }
    }
    Ok(())
}

/// Whether `member` says only that the value is null (`{type: "null"}`, `{type: ["null"]}`,
/// perhaps with a description).
fn is_null_schema(member: &Value) -> bool {
    let Some(m) = member.as_object() else {
        return false;
    };
    let null_type = match m.get("type") {
        Some(Value::String(t)) => t == "null",
        Some(Value::Array(ts)) => ts.len() == 1 && ts[0] == "null",
        _ => false,
    };
    null_type
        && m.keys()
            .all(|k| matches!(k.as_str(), "type" | "description" | "title"))
}

/// Turns a `{type: "null"}` member of the union `keyword` into `nullable: true`.
fn null_members(map: &mut Map<String, Value>, keyword: &str) {
    let Some(Value::Array(members)) = map.get_mut(keyword) else {
        return;
    };
    if members.len() < 2 || !members.iter().any(is_null_schema) {
        return;
    }
    members.retain(|m| !is_null_schema(m));
    map.insert("nullable".into(), Value::Bool(true));
    let Some(Value::Array(members)) = map.get(keyword) else {
        return;
    };
    let [only] = members.as_slice() else {
        return;
    };
    let Some(only) = only.as_object() else {
        return;
    };
    if only.contains_key("$ref") {
        if !map.contains_key("allOf") {
            if let Some(members) = map.remove(keyword) {
                map.insert("allOf".into(), members);
            }
        }
    } else if only.keys().all(|k| !map.contains_key(k)) {
        let only = only.clone();
        map.remove(keyword);
        map.extend(only);
    }
}

/// The `type` rules.
fn types(
    map: &mut Map<String, Value>,
    pointer: &str,
    diagnostics: &mut Diagnostics,
    at: &dyn Fn(&str) -> Location,
) -> Result<()> {
    let names: Vec<Value> = match map.get("type") {
        Some(Value::String(t)) if t == "null" => Vec::new(),
        Some(Value::Array(names)) => names.clone(),
        _ => return Ok(()),
    };
    let type_at = join(pointer, "type");
    let mut nullable = false;
    let mut kept: Vec<String> = Vec::new();
    for name in &names {
        match name.as_str() {
            Some("null") => nullable = true,
            Some(t) if TYPE_KEYWORDS.iter().any(|(k, _)| *k == t) => {
                if !kept.iter().any(|k| k == t) {
                    kept.push(t.to_owned());
                }
            }
            _ => {
                map.remove("type");
                return diagnostics.warn(Warning {
                    location: at(&type_at),
                    message: format!(
                        "`type` lists {name}, which is not a type name; the schema was kept \
                         without a type (its values are untyped JSON)"
                    ),
                    hint: Some(
                        "the types are string, number, integer, boolean, array, object and null"
                            .into(),
                    ),
                });
            }
        }
    }
    if nullable || names.is_empty() {
        map.insert("nullable".into(), Value::Bool(true));
    }
    match kept.as_slice() {
        [] => {
            map.remove("type");
        }
        [one] => {
            map.insert("type".into(), Value::String(one.clone()));
        }
        several
            if ["allOf", "anyOf", "oneOf"]
                .iter()
                .any(|k| map.contains_key(*k)) =>
        {
            let listed = several.join(", ");
            map.remove("type");
            diagnostics.warn(Warning {
                location: at(&type_at),
                message: format!(
                    "`type` lists several types ({listed}) next to allOf/anyOf/oneOf; the \
                     schema was kept without a type"
                ),
                hint: Some(
                    "write the alternatives as anyOf members, one per type, to get a typed union"
                        .into(),
                ),
            })?;
        }
        several => {
            let mut members = Vec::new();
            for name in several {
                let mut member = Map::new();
                member.insert("type".into(), Value::String(name.clone()));
                if let Some((_, keywords)) = TYPE_KEYWORDS.iter().find(|(k, _)| k == name) {
                    for keyword in keywords.iter() {
                        if let Some(value) = map.get(*keyword) {
                            member.insert((*keyword).into(), value.clone());
                        }
                    }
                }
                members.push(Value::Object(member));
            }
            for (_, keywords) in TYPE_KEYWORDS {
                for keyword in keywords {
                    map.remove(*keyword);
                }
            }
            map.remove("type");
            map.insert("anyOf".into(), Value::Array(members));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]

    use super::*;
    use crate::error::Mode;
    use serde_json::json;

    fn run(mut doc: Value, mode: Mode) -> (Value, Result<Vec<Warning>>) {
        let mut diagnostics = Diagnostics::new(mode);
        let result = to_30(&mut doc, &mut diagnostics, &|p| Location {
            file: "t.yaml".into(),
            pointer: Some(p.to_owned()),
            line: None,
            column: None,
        });
        (doc, result.map(|()| diagnostics.warnings))
    }

    /// The document with `schema` as `#/components/schemas/S`, normalized: the schema after.
    fn schema_after(schema: Value) -> (Value, Vec<Warning>) {
        let doc = json!({"openapi": "3.1.0", "info": {"title": "t", "version": "1"}, "paths": {},
            "components": {"schemas": {"S": schema}}});
        let (doc, warnings) = run(doc, Mode::Lenient);
        (doc["components"]["schemas"]["S"].clone(), warnings.unwrap())
    }

    #[test]
    fn the_version_becomes_3_0_and_paths_are_never_missing() {
        let (doc, warnings) = run(
            json!({"openapi": "3.1.0", "jsonSchemaDialect": "https://spec.openapis.org/oas/3.1/dialect/base", "info": {}}),
            Mode::Lenient,
        );
        assert_eq!(doc, json!({"openapi": "3.0.3", "info": {}, "paths": {}}));
        assert_eq!(warnings.unwrap(), []);
    }

    #[test]
    fn webhooks_are_left_out_with_a_warning_and_refused_in_strict_mode() {
        let doc = json!({"openapi": "3.1.0", "paths": {}, "webhooks": {"newPet": {"post": {}}}});
        let (after, warnings) = run(doc.clone(), Mode::Lenient);
        assert!(after.get("webhooks").is_none());
        let warnings = warnings.unwrap();
        assert_eq!(warnings.len(), 1);
        assert_eq!(warnings[0].location.pointer.as_deref(), Some("/webhooks"));
        assert!(
            warnings[0].message.contains("not generated"),
            "{}",
            warnings[0]
        );
        let (_, strict) = run(doc, Mode::Strict);
        assert!(strict.is_err());
    }

    #[test]
    fn a_type_list_with_null_is_a_nullable_type() {
        let (s, w) = schema_after(json!({"type": ["string", "null"], "format": "date-time"}));
        assert_eq!(
            s,
            json!({"type": "string", "format": "date-time", "nullable": true})
        );
        assert_eq!(w, []);
        let (s, _) = schema_after(json!({"type": ["null", "integer"]}));
        assert_eq!(s, json!({"type": "integer", "nullable": true}));
    }

    #[test]
    fn null_alone_is_nullable_without_a_type() {
        let (s, _) = schema_after(json!({"type": ["null"], "description": "always null"}));
        assert_eq!(s, json!({"description": "always null", "nullable": true}));
        let (s, _) = schema_after(json!({"type": "null"}));
        assert_eq!(s, json!({"nullable": true}));
    }

    #[test]
    fn several_types_become_an_any_of_with_the_keywords_of_each() {
        let (s, w) = schema_after(json!({
            "type": ["string", "integer", "null"], "format": "int64", "maxLength": 3,
            "description": "d"
        }));
        assert_eq!(
            s,
            json!({"description": "d", "nullable": true, "anyOf": [
                {"type": "string", "format": "int64", "maxLength": 3},
                {"type": "integer", "format": "int64"}
            ]})
        );
        assert_eq!(w, []);
    }

    #[test]
    fn several_types_next_to_a_union_lose_the_type_with_a_warning() {
        let (s, w) =
            schema_after(json!({"type": ["string", "object"], "oneOf": [{"type": "string"}]}));
        assert_eq!(s, json!({"oneOf": [{"type": "string"}]}));
        assert_eq!(w.len(), 1);
        assert_eq!(
            w[0].location.pointer.as_deref(),
            Some("/components/schemas/S/type")
        );
        let (s, w) = schema_after(json!({"type": ["string", 7]}));
        assert_eq!(s, json!({}));
        assert!(w[0].message.contains("7"), "{}", w[0]);
    }

    #[test]
    fn a_null_union_member_becomes_nullable() {
        let (s, _) =
            schema_after(json!({"anyOf": [{"$ref": "#/components/schemas/T"}, {"type": "null"}]}));
        assert_eq!(
            s,
            json!({"nullable": true, "allOf": [{"$ref": "#/components/schemas/T"}]})
        );
        let (s, _) = schema_after(
            json!({"oneOf": [{"type": "string", "format": "date"}, {"type": ["null"]}], "description": "d"}),
        );
        assert_eq!(
            s,
            json!({"description": "d", "nullable": true, "type": "string", "format": "date"})
        );
        // Two members left: still a union, now nullable.
        let (s, _) = schema_after(
            json!({"oneOf": [{"type": "string"}, {"type": "integer"}, {"type": "null"}]}),
        );
        assert_eq!(
            s,
            json!({"oneOf": [{"type": "string"}, {"type": "integer"}], "nullable": true})
        );
    }

    #[test]
    fn const_is_a_one_value_enum() {
        let (s, _) = schema_after(json!({"type": "string", "const": "phone"}));
        assert_eq!(s, json!({"type": "string", "enum": ["phone"]}));
        let (s, _) = schema_after(json!({"const": null}));
        assert_eq!(s, json!({"nullable": true, "enum": [null]}));
    }

    #[test]
    fn numeric_exclusive_bounds_become_flags() {
        let (s, _) =
            schema_after(json!({"type": "number", "exclusiveMinimum": 0, "exclusiveMaximum": 1.5}));
        assert_eq!(
            s,
            json!({"type": "number", "exclusiveMinimum": true, "minimum": 0, "exclusiveMaximum": true, "maximum": 1.5})
        );
        // The stricter bound wins when both are given.
        let (s, _) = schema_after(json!({"type": "integer", "minimum": 5, "exclusiveMinimum": 3}));
        assert_eq!(s, json!({"type": "integer", "minimum": 5}));
        let (s, _) = schema_after(json!({"type": "integer", "minimum": 1, "exclusiveMinimum": 3}));
        assert_eq!(
            s,
            json!({"type": "integer", "minimum": 3, "exclusiveMinimum": true})
        );
        // 3.0's boolean form is left alone.
        let (s, _) = schema_after(json!({"minimum": 1, "exclusiveMinimum": true}));
        assert_eq!(s, json!({"minimum": 1, "exclusiveMinimum": true}));
    }

    #[test]
    fn examples_become_the_first_example() {
        let (s, _) = schema_after(json!({"type": "string", "examples": ["a", "b"]}));
        assert_eq!(s, json!({"type": "string", "example": "a"}));
        let (s, _) = schema_after(json!({"type": "string", "examples": []}));
        assert_eq!(s, json!({"type": "string"}));
    }

    #[test]
    fn ref_siblings_are_kept_for_lowering_to_read() {
        let schema =
            json!({"$ref": "#/components/schemas/T", "description": "d", "readOnly": true});
        let (s, _) = schema_after(schema.clone());
        assert_eq!(s, schema);
    }

    #[test]
    fn json_schema_keywords_are_dropped_and_defs_warned_about() {
        let (s, w) = schema_after(json!({
            "$schema": "https://json-schema.org/draft/2020-12/schema", "$id": "x", "$comment": "c",
            "$defs": {"D": {"type": "string"}}, "type": "string"
        }));
        assert_eq!(s, json!({"type": "string"}));
        assert_eq!(w.len(), 1);
        assert_eq!(
            w[0].location.pointer.as_deref(),
            Some("/components/schemas/S/$defs")
        );
    }

    #[test]
    fn only_schemas_are_rewritten_not_data_or_names() {
        let doc = json!({"openapi": "3.1.0", "paths": {"/a": {"get": {
            "parameters": [{"name": "q", "in": "query", "schema": {"type": ["string", "null"]},
                "example": {"type": ["x", "null"], "const": 1}}],
            "responses": {"200": {"description": "ok", "content": {"application/json": {
                "schema": {"type": "object", "properties": {
                    "const": {"type": "string"},
                    "type": {"type": ["integer", "null"]},
                    "examples": {"type": "array", "items": {"const": 2}, "default": [{"const": 3}]}
                }},
                "examples": {"one": {"value": {"const": 4, "examples": [5]}}}
            }}}},
            "x-anything": {"const": 6}
        }}}});
        let (after, warnings) = run(doc, Mode::Lenient);
        assert_eq!(warnings.unwrap(), []);
        let get = &after["paths"]["/a"]["get"];
        assert_eq!(
            get["parameters"][0]["schema"],
            json!({"type": "string", "nullable": true})
        );
        assert_eq!(
            get["parameters"][0]["example"],
            json!({"type": ["x", "null"], "const": 1})
        );
        let media = &get["responses"]["200"]["content"]["application/json"];
        let properties = &media["schema"]["properties"];
        assert_eq!(properties["const"], json!({"type": "string"}));
        assert_eq!(
            properties["type"],
            json!({"type": "integer", "nullable": true})
        );
        assert_eq!(
            properties["examples"],
            json!({"type": "array", "items": {"enum": [2]}, "default": [{"const": 3}]})
        );
        assert_eq!(
            media["examples"],
            json!({"one": {"value": {"const": 4, "examples": [5]}}})
        );
        assert_eq!(get["x-anything"], json!({"const": 6}));
    }

    #[test]
    fn warnings_come_in_document_order() {
        let doc = json!({"openapi": "3.1.0", "paths": {}, "components": {"schemas": {
            "A": {"type": ["string", true]},
            "B": {"properties": {"b": {"type": [1]}}},
            "C": {"type": ["string", false]}
        }}});
        let (_, warnings) = run(doc, Mode::Lenient);
        let pointers: Vec<_> = warnings
            .unwrap()
            .into_iter()
            .filter_map(|w| w.location.pointer)
            .collect();
        assert_eq!(
            pointers,
            [
                "/components/schemas/A/type",
                "/components/schemas/B/properties/b/type",
                "/components/schemas/C/type"
            ]
        );
    }

    /// Takes a deep value apart without recursion (dropping it whole would recurse).
    fn dismantle(value: Value) {
        let mut stack = vec![value];
        while let Some(mut v) = stack.pop() {
            match &mut v {
                Value::Array(items) => stack.append(items),
                Value::Object(map) => {
                    let keys: Vec<String> = map.keys().cloned().collect();
                    for k in keys {
                        if let Some(child) = map.remove(&k) {
                            stack.push(child);
                        }
                    }
                }
                _ => {}
            }
        }
    }

    #[test]
    fn hostile_nesting_does_not_overflow_the_stack() {
        let depth = 200_000;
        let mut schema = json!({"type": ["string", "null"]});
        for _ in 0..depth {
            let mut map = Map::new();
            map.insert("type".into(), json!(["array", "null"]));
            map.insert("items".into(), schema);
            schema = Value::Object(map);
        }
        let mut doc = json!({"openapi": "3.1.0", "paths": {}, "components": {"schemas": {}}});
        doc["components"]["schemas"]
            .as_object_mut()
            .unwrap()
            .insert("Deep".into(), schema);
        let (mut after, warnings) = run(doc, Mode::Lenient);
        assert_eq!(warnings.unwrap(), []);
        let mut here = &after["components"]["schemas"]["Deep"];
        for _ in 0..depth {
            assert_eq!(here["type"], "array");
            assert_eq!(here["nullable"], true);
            here = &here["items"];
        }
        assert_eq!(*here, json!({"type": "string", "nullable": true}));
        dismantle(after.take());
    }
}
