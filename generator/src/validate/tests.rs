//! The validator, keyword by keyword, on hand-written schemas and values: pointers in the
//! mismatches, cycles and limits, and malformed schemas that never panic.

use serde_json::json;

use super::*;

/// Strips the common indentation of the non-empty lines.
fn dedent(text: &str) -> String {
    let indent = text
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| l.len() - l.trim_start().len())
        .min()
        .unwrap_or(0);
    text.lines()
        .map(|l| l.get(indent..).unwrap_or("").trim_end())
        .collect::<Vec<_>>()
        .join("\n")
}

/// A minimal document with `schemas` (YAML, any common indentation) under
/// `components/schemas` and `extra` (YAML) under `components/x-odd`, where the typed reader
/// does not look.
fn doc_with(schemas: &str, extra: &str) -> Document {
    let indent = |text: &str, by: &str| -> String {
        dedent(text).lines().map(|l| format!("{by}{l}\n")).collect()
    };
    let text = format!(
        "openapi: 3.0.3\ninfo:\n  title: t\n  version: '1'\npaths: {{}}\ncomponents:\n  schemas:\n{}  x-odd:\n{}",
        indent(schemas, "    "),
        indent(if extra.trim().is_empty() { "{}" } else { extra }, "    "),
    );
    match crate::load::parse("t.yaml", text.clone()) {
        Ok(doc) => doc,
        Err(e) => panic!("test document must load: {e}\n{text}"),
    }
}

fn doc(schemas: &str) -> Document {
    doc_with(schemas, "")
}

fn at(name: &str) -> String {
    format!("/components/schemas/{name}")
}

fn check(doc: &Document, name: &str, value: &Value) -> Vec<Mismatch> {
    validate(doc, &at(name), value)
}

#[track_caller]
fn ok(doc: &Document, name: &str, value: Value) {
    let found = check(doc, name, &value);
    assert!(
        found.is_empty(),
        "{value} should match {name}, found {found:#?}"
    );
}

/// The single mismatch of `value` against `name`.
#[track_caller]
fn one(doc: &Document, name: &str, value: Value) -> Mismatch {
    let found = check(doc, name, &value);
    match found.as_slice() {
        [only] => only.clone(),
        _ => panic!("{value} against {name}: expected exactly one mismatch, found {found:#?}"),
    }
}

#[track_caller]
fn one_at(doc: &Document, name: &str, value: Value, instance: &str, schema: &str, says: &str) {
    let m = one(doc, name, value);
    assert_eq!(m.instance, instance, "{m:?}");
    assert_eq!(m.schema, schema, "{m:?}");
    assert!(
        m.message.contains(says),
        "{:?} should contain {says:?}",
        m.message
    );
}

#[test]
fn type_checks_each_type() {
    let d = doc("
        S: {type: string}
        N: {type: number}
        I: {type: integer}
        B: {type: boolean}
        A: {type: array}
        O: {type: object}
        ");
    ok(&d, "S", json!("x"));
    ok(&d, "N", json!(1));
    ok(&d, "N", json!(1.5));
    ok(&d, "I", json!(-3));
    ok(&d, "I", json!(2.0));
    ok(&d, "I", json!(u64::MAX));
    ok(&d, "B", json!(false));
    ok(&d, "A", json!([1, "x"]));
    ok(&d, "O", json!({"a": 1}));
    one_at(
        &d,
        "S",
        json!(14085551235u64),
        "",
        &at("S/type"),
        "expected string, found number 14085551235",
    );
    one_at(
        &d,
        "N",
        json!("1"),
        "",
        &at("N/type"),
        "expected number, found string",
    );
    one_at(&d, "I", json!(1.5), "", &at("I/type"), "fractional part");
    one_at(&d, "I", json!("1"), "", &at("I/type"), "expected integer");
    one_at(&d, "B", json!(0), "", &at("B/type"), "expected boolean");
    one_at(
        &d,
        "A",
        json!({}),
        "",
        &at("A/type"),
        "expected array, found object",
    );
    one_at(
        &d,
        "O",
        json!([1, 2]),
        "",
        &at("O/type"),
        "expected object, found array of 2 items",
    );
}

#[test]
fn nullable_allows_null_and_untyped_schemas_accept_anything() {
    let d = doc("
        S: {type: string}
        NS: {type: string, nullable: true, minLength: 3}
        Any: {}
        Described: {description: anything goes}
        O: {type: object}
        NullableAllOf:
          nullable: true
          allOf:
            - $ref: '#/components/schemas/O'
        AllOf:
          allOf:
            - $ref: '#/components/schemas/O'
        ");
    ok(&d, "NS", json!(null));
    ok(&d, "NS", json!("abc"));
    one_at(
        &d,
        "S",
        json!(null),
        "",
        &at("S/type"),
        "found null (the schema is not `nullable: true`)",
    );
    for value in [
        json!(null),
        json!(1),
        json!("x"),
        json!([]),
        json!({"a": [null]}),
    ] {
        ok(&d, "Any", value.clone());
        ok(&d, "Described", value);
    }
    ok(&d, "NullableAllOf", json!(null));
    ok(&d, "NullableAllOf", json!({}));
    one_at(
        &d,
        "NullableAllOf",
        json!(1),
        "",
        &at("O/type"),
        "expected object",
    );
    one_at(&d, "AllOf", json!(null), "", &at("O/type"), "found null");
}

#[test]
fn enum_compares_as_json_and_admits_null_when_nullable() {
    let d = doc("
        E: {type: string, enum: [a, b]}
        NE: {type: string, nullable: true, enum: [a, null]}
        NullListed: {type: string, enum: [a, null]}
        Untyped: {enum: [a, null, 1, 2.5, {k: [1]}]}
        ");
    ok(&d, "E", json!("a"));
    one_at(
        &d,
        "E",
        json!("c"),
        "",
        &at("E/enum"),
        r#""c" is not one of the allowed values ["a", "b"]"#,
    );
    ok(&d, "NE", json!(null));
    ok(&d, "NE", json!("a"));
    one_at(&d, "NE", json!("b"), "", &at("NE/enum"), "not one of");
    // `null` in the list does not make a typed schema nullable.
    one_at(
        &d,
        "NullListed",
        json!(null),
        "",
        &at("NullListed/type"),
        "found null",
    );
    ok(&d, "Untyped", json!(null));
    ok(&d, "Untyped", json!(1.0));
    ok(&d, "Untyped", json!(2.5));
    ok(&d, "Untyped", json!({"k": [1.0]}));
    one_at(
        &d,
        "Untyped",
        json!(2),
        "",
        &at("Untyped/enum"),
        "2 is not one of",
    );
}

#[test]
fn required_and_properties_report_nested_pointers() {
    let d = doc("
        P:
          type: object
          required: [id, name]
          properties:
            id: {type: string}
            name: {type: string}
            child:
              $ref: '#/components/schemas/P'
        ");
    ok(
        &d,
        "P",
        json!({"id": "1", "name": "n", "child": {"id": "2", "name": "m"}}),
    );
    let found = check(&d, "P", &json!({"id": 1, "child": {"id": "x"}}));
    let got: Vec<(&str, &str, &str)> = found
        .iter()
        .map(|m| (m.instance.as_str(), m.schema.as_str(), m.message.as_str()))
        .collect();
    assert_eq!(
        got,
        vec![
            (
                "",
                "/components/schemas/P/required",
                r#"missing required property "name""#
            ),
            (
                "/id",
                "/components/schemas/P/properties/id/type",
                "expected string, found number 1"
            ),
            (
                "/child",
                "/components/schemas/P/required",
                r#"missing required property "name""#
            ),
        ]
    );
}

#[test]
fn additional_properties_absent_true_false_and_schema() {
    let d = doc("
        Open:
          type: object
          properties: {a: {type: string}}
        OpenTrue:
          type: object
          properties: {a: {type: string}}
          additionalProperties: true
        Closed:
          type: object
          properties: {a: {type: string}}
          additionalProperties: false
        Map:
          type: object
          properties: {a: {type: string}}
          additionalProperties: {type: integer}
        ");
    let value = json!({"a": "x", "b": 1, "c": "y"});
    ok(&d, "Open", value.clone());
    ok(&d, "OpenTrue", value.clone());
    let found = check(&d, "Closed", &value);
    assert_eq!(found.len(), 2, "{found:#?}");
    assert_eq!(found[0].instance, "/b");
    assert_eq!(found[1].instance, "/c");
    assert_eq!(found[0].schema, at("Closed/additionalProperties"));
    assert!(found[0].message.contains("not allowed"), "{found:?}");
    ok(&d, "Closed", json!({"a": "x"}));
    one_at(
        &d,
        "Map",
        value,
        "/c",
        &at("Map/additionalProperties/type"),
        "expected integer",
    );
    one_at(
        &d,
        "Map",
        json!({"x/y~": "no"}),
        "/x~1y~0",
        &at("Map/additionalProperties/type"),
        "expected integer",
    );
}

#[test]
fn items_min_items_max_items() {
    let d = doc("L: {type: array, items: {type: integer}, minItems: 1, maxItems: 3}");
    ok(&d, "L", json!([1, 2, 3]));
    one_at(
        &d,
        "L",
        json!([]),
        "",
        &at("L/minItems"),
        "0 items, fewer than minItems 1",
    );
    one_at(
        &d,
        "L",
        json!([1, 2, 3, 4]),
        "",
        &at("L/maxItems"),
        "4 items, more than maxItems 3",
    );
    one_at(
        &d,
        "L",
        json!([1, "a"]),
        "/1",
        &at("L/items/type"),
        "expected integer",
    );
}

#[test]
fn unique_items_compares_as_json() {
    let d = doc("
        U: {type: array, uniqueItems: true}
        NotU: {type: array, uniqueItems: false}
        ");
    ok(&d, "U", json!([1, 2, "1", [1], {"a": 1}, null]));
    one_at(
        &d,
        "U",
        json!([1, 2, 1.0]),
        "/2",
        &at("U/uniqueItems"),
        "item 2 equals item 0",
    );
    one_at(
        &d,
        "U",
        json!([{"a": 1, "b": [2]}, {"b": [2.0], "a": 1}]),
        "/1",
        &at("U/uniqueItems"),
        "item 1 equals item 0",
    );
    ok(&d, "NotU", json!([1, 1]));
}

#[test]
fn string_lengths_count_characters_and_pattern_is_skipped() {
    let d = doc("
        S: {type: string, minLength: 2, maxLength: 3}
        Digits: {type: string, pattern: '^[0-9]+$'}
        ");
    one_at(
        &d,
        "S",
        json!("é"),
        "",
        &at("S/minLength"),
        "1 characters, fewer than minLength 2",
    );
    ok(&d, "S", json!("ééé"));
    one_at(
        &d,
        "S",
        json!("abcd"),
        "",
        &at("S/maxLength"),
        "4 characters, more than maxLength 3",
    );
    // Not checked: no regular expression engine.
    ok(&d, "Digits", json!("abc"));
}

#[test]
fn minimum_maximum_and_exclusive_bounds() {
    let d = doc("
        R: {type: number, minimum: 1, maximum: 10}
        X: {type: number, minimum: 1, exclusiveMinimum: true, maximum: 10, exclusiveMaximum: true}
        Big: {type: integer, maximum: 9007199254740993}
        ");
    ok(&d, "R", json!(1));
    ok(&d, "R", json!(10.0));
    one_at(
        &d,
        "R",
        json!(0.5),
        "",
        &at("R/minimum"),
        "less than the minimum 1",
    );
    one_at(
        &d,
        "R",
        json!(11),
        "",
        &at("R/maximum"),
        "greater than the maximum 10",
    );
    ok(&d, "X", json!(1.5));
    one_at(
        &d,
        "X",
        json!(1),
        "",
        &at("X/exclusiveMinimum"),
        "not greater than the exclusive minimum",
    );
    one_at(
        &d,
        "X",
        json!(10),
        "",
        &at("X/exclusiveMaximum"),
        "not less than the exclusive maximum",
    );
    // Integers are compared exactly, beyond what an f64 holds.
    ok(&d, "Big", json!(9007199254740993u64));
    one_at(
        &d,
        "Big",
        json!(9007199254740994u64),
        "",
        &at("Big/maximum"),
        "greater than the maximum",
    );
}

#[test]
fn multiple_of_integers_and_decimals() {
    let d = doc("
        Three: {type: integer, multipleOf: 3}
        Tenth: {type: number, multipleOf: 0.1}
        ");
    ok(&d, "Three", json!(-9));
    one_at(
        &d,
        "Three",
        json!(10),
        "",
        &at("Three/multipleOf"),
        "10 is not a multiple of 3",
    );
    ok(&d, "Tenth", json!(0.3));
    ok(&d, "Tenth", json!(19.9));
    ok(&d, "Tenth", json!(7));
    one_at(
        &d,
        "Tenth",
        json!(0.35),
        "",
        &at("Tenth/multipleOf"),
        "not a multiple of 0.1",
    );
    one_at(
        &d,
        "Tenth",
        json!(1000000000000.05),
        "",
        &at("Tenth/multipleOf"),
        "not a multiple",
    );
}

#[test]
fn min_properties_max_properties() {
    let d = doc("M: {type: object, minProperties: 1, maxProperties: 2}");
    ok(&d, "M", json!({"a": 1}));
    one_at(
        &d,
        "M",
        json!({}),
        "",
        &at("M/minProperties"),
        "0 properties, fewer than minProperties 1",
    );
    one_at(
        &d,
        "M",
        json!({"a": 1, "b": 2, "c": 3}),
        "",
        &at("M/maxProperties"),
        "3 properties, more than maxProperties 2",
    );
}

#[test]
fn all_of_requires_every_member() {
    let d = doc("
        Named: {type: object, required: [name], properties: {name: {type: string}}}
        Person:
          allOf:
            - $ref: '#/components/schemas/Named'
            - type: object
              required: [age]
              properties: {age: {type: integer}}
        ");
    ok(&d, "Person", json!({"name": "a", "age": 3}));
    let found = check(&d, "Person", &json!({"age": "x"}));
    let got: Vec<(&str, &str)> = found
        .iter()
        .map(|m| (m.instance.as_str(), m.schema.as_str()))
        .collect();
    assert_eq!(
        got,
        vec![
            ("", "/components/schemas/Named/required"),
            (
                "/age",
                "/components/schemas/Person/allOf/1/properties/age/type"
            ),
        ]
    );
}

#[test]
fn any_of_needs_one_member() {
    let d = doc("A: {anyOf: [{type: string}, {type: integer}]}");
    ok(&d, "A", json!("x"));
    ok(&d, "A", json!(1));
    let m = one(&d, "A", json!(1.5));
    assert_eq!(m.schema, at("A/anyOf"));
    assert!(
        m.message.starts_with("matches none of the 2 anyOf schemas"),
        "{m}"
    );
    assert!(m.message.contains("0: (root): expected string"), "{m}");
    assert!(m.message.contains("1: (root): expected integer"), "{m}");
}

#[test]
fn one_of_needs_exactly_one_member() {
    let d = doc("O: {oneOf: [{type: integer}, {type: number}, {type: string, minLength: 2}]}");
    ok(&d, "O", json!(1.5));
    ok(&d, "O", json!("ab"));
    one_at(
        &d,
        "O",
        json!(1),
        "",
        &at("O/oneOf"),
        "matches several oneOf schemas: 0, 1",
    );
    one_at(
        &d,
        "O",
        json!("a"),
        "",
        &at("O/oneOf"),
        "matches none of the 3 oneOf schemas",
    );
    one_at(&d, "O", json!(null), "", &at("O/oneOf"), "matches none");
}

#[test]
fn not_rejects_what_matches() {
    let d = doc("N: {not: {type: string}}");
    ok(&d, "N", json!(1));
    one_at(
        &d,
        "N",
        json!("x"),
        "",
        &at("N/not"),
        "matches the `not` schema",
    );
}

const PETS: &str = "
    Cat:
      type: object
      required: [kind]
      properties: {kind: {type: string}, meows: {type: boolean}}
    Dog:
      type: object
      required: [kind]
      properties: {kind: {type: string}, barks: {type: boolean}}
    Pet:
      oneOf:
        - $ref: '#/components/schemas/Cat'
        - $ref: '#/components/schemas/Dog'
      discriminator:
        propertyName: kind
        mapping:
          cat: '#/components/schemas/Cat'
          dog: Dog
          ghost: '#/components/schemas/Ghost'
    Plain:
      oneOf:
        - $ref: '#/components/schemas/Cat'
        - $ref: '#/components/schemas/Dog'
    ByName:
      anyOf:
        - $ref: '#/components/schemas/Cat'
        - $ref: '#/components/schemas/Dog'
      discriminator:
        propertyName: kind
    ";

#[test]
fn discriminator_selects_the_mapped_schema_only() {
    let d = doc(PETS);
    // Both members accept it; the discriminator picks one.
    one_at(
        &d,
        "Plain",
        json!({"kind": "cat"}),
        "",
        &at("Plain/oneOf"),
        "matches several oneOf schemas: 0, 1",
    );
    ok(&d, "Pet", json!({"kind": "cat", "meows": true}));
    // A bare schema name in the mapping.
    ok(&d, "Pet", json!({"kind": "dog"}));
    one_at(
        &d,
        "Pet",
        json!({"kind": "dog", "barks": "loud"}),
        "/barks",
        &at("Dog/properties/barks/type"),
        "expected boolean",
    );
    one_at(
        &d,
        "Pet",
        json!({"kind": "cow"}),
        "/kind",
        &at("Pet/discriminator"),
        r#"unknown discriminator value "cow": expected one of "cat", "dog", "ghost", "Cat", "Dog""#,
    );
    one_at(
        &d,
        "Pet",
        json!({"kind": "ghost"}),
        "/kind",
        &at("Pet/discriminator"),
        "which does not exist",
    );
    // Without the property, oneOf as usual.
    one_at(
        &d,
        "Pet",
        json!({"meows": true}),
        "",
        &at("Pet/oneOf"),
        "matches none",
    );
}

#[test]
fn a_discriminated_parent_validates_the_mapped_subtype() {
    let doc = doc(r#"
        Pet:
          type: object
          required: [petType]
          properties:
            petType: {type: string}
          discriminator:
            propertyName: petType
            mapping:
              dog: '#/components/schemas/Dog'
        Dog:
          allOf:
            - $ref: '#/components/schemas/Pet'
            - type: object
              required: [bark]
              properties:
                bark: {type: boolean}
"#);
    let pet = "/components/schemas/Pet";
    assert!(validate(&doc, pet, &json!({"petType": "dog", "bark": true})).is_empty());
    let missing = validate(&doc, pet, &json!({"petType": "dog"}));
    assert_eq!(missing.len(), 1, "{missing:?}");
    assert!(missing[0].message.contains("bark"), "{missing:?}");
    let wrong = validate(&doc, pet, &json!({"petType": "dog", "bark": "loud"}));
    assert_eq!(wrong.len(), 1, "{wrong:?}");
    assert!(
        validate(&doc, pet, &json!({"petType": "cow"})).is_empty(),
        "an unmapped tag is just a Pet"
    );
    assert!(validate(
        &doc,
        "/components/schemas/Dog",
        &json!({"petType": "dog", "bark": false})
    )
    .is_empty());
}

#[test]
fn discriminator_without_mapping_uses_schema_names() {
    let d = doc(PETS);
    ok(&d, "ByName", json!({"kind": "Dog", "barks": true}));
    one_at(
        &d,
        "ByName",
        json!({"kind": "Cat", "meows": 1}),
        "/meows",
        &at("Cat/properties/meows/type"),
        "expected boolean",
    );
    one_at(
        &d,
        "ByName",
        json!({"kind": "cat"}),
        "/kind",
        &at("ByName/discriminator"),
        r#"expected one of "Cat", "Dog""#,
    );
}

#[test]
fn discriminated_parent_extended_by_its_children_is_not_a_cycle() {
    let d = doc("
        Animal:
          type: object
          required: [kind]
          properties: {kind: {type: string}}
          discriminator:
            propertyName: kind
            mapping: {cat: '#/components/schemas/Kitty'}
          oneOf:
            - $ref: '#/components/schemas/Kitty'
        Kitty:
          allOf:
            - $ref: '#/components/schemas/Animal'
            - type: object
              properties: {lives: {type: integer}}
        ");
    ok(&d, "Animal", json!({"kind": "cat", "lives": 9}));
    ok(&d, "Kitty", json!({"kind": "cat", "lives": 9}));
    one_at(
        &d,
        "Animal",
        json!({"kind": "cat", "lives": "x"}),
        "/lives",
        &at("Kitty/allOf/1/properties/lives/type"),
        "expected integer",
    );
    one_at(
        &d,
        "Kitty",
        json!({"kind": "cat", "lives": "x"}),
        "/lives",
        &at("Kitty/allOf/1/properties/lives/type"),
        "expected integer",
    );
}

#[test]
fn read_only_and_write_only_relax_required_by_direction() {
    let d = doc("
        Id: {type: string, readOnly: true}
        R:
          type: object
          required: [id, viaRef, secret, name]
          properties:
            id: {type: string, readOnly: true}
            viaRef: {$ref: '#/components/schemas/Id'}
            secret: {type: string, writeOnly: true}
            name: {type: string}
        ");
    let r = at("R");
    let full = json!({"id": "1", "viaRef": "2", "secret": "s", "name": "n"});
    // Presence is never an error, in either direction.
    assert!(validate_as(&d, &r, &full, Direction::Request).is_empty());
    assert!(validate_as(&d, &r, &full, Direction::Response).is_empty());
    assert!(validate(&d, &r, &full).is_empty());
    let request = json!({"secret": "s", "name": "n"});
    assert!(validate_as(&d, &r, &request, Direction::Request).is_empty());
    let response = json!({"id": "1", "viaRef": "2", "name": "n"});
    assert!(validate_as(&d, &r, &response, Direction::Response).is_empty());
    let missing =
        |found: Vec<Mismatch>| -> Vec<String> { found.into_iter().map(|m| m.message).collect() };
    assert_eq!(
        missing(validate_as(&d, &r, &request, Direction::Response)),
        vec![
            r#"missing required property "id""#,
            r#"missing required property "viaRef""#
        ]
    );
    assert_eq!(
        missing(validate_as(&d, &r, &response, Direction::Request)),
        vec![r#"missing required property "secret""#]
    );
    assert_eq!(
        missing(validate(&d, &r, &json!({"name": "n"}))).len(),
        3,
        "validate applies required as written"
    );
}

#[test]
fn date_time_format_needs_rfc_3339_with_an_offset() {
    let d = doc("T: {type: string, format: date-time}");
    for good in [
        "2025-05-28T19:21:14Z",
        "2025-05-28T19:21:14.000Z",
        "2025-05-28t19:21:14.123456+02:00",
        "2024-02-29T23:59:60-05:30",
    ] {
        ok(&d, "T", json!(good));
    }
    for lacking in ["2025-05-28T19:21:14", "2025-05-28T19:21:14.000"] {
        let m = one(&d, "T", json!(lacking));
        assert_eq!(m.schema, at("T/format"));
        assert!(m.message.contains("lacks a UTC offset"), "{m}");
    }
    for bad in [
        "",
        "2025-05-28",
        "2025-05-28 19:21:14Z",
        "2025-02-29T00:00:00Z",
        "2025-13-01T00:00:00Z",
        "2025-05-28T24:00:00Z",
        "2025-05-28T19:21:14+2:00",
        "2025-05-28T19:21:14+02:60",
        "2025-05-28T19:21:14.Z",
        "2025-05-28T19:21:14Z ",
        "Wed Mar 29 18:34:31 UTC 2023",
        "２０２５-05-28T19:21:14Z",
    ] {
        let m = one(&d, "T", json!(bad));
        assert_eq!(m.schema, at("T/format"));
        assert!(
            m.message.contains("is not an RFC 3339 date-time"),
            "{bad}: {m}"
        );
        assert!(!m.message.contains("lacks"), "{bad}: {m}");
    }
    // Formats apply to strings only; the type reports the rest.
    one_at(&d, "T", json!(5), "", &at("T/type"), "expected string");
}

#[test]
fn date_format_is_full_date() {
    let d = doc("D: {type: string, format: date}");
    ok(&d, "D", json!("2024-02-29"));
    for bad in [
        "2023-02-29",
        "2024-2-29",
        "2024-02-29T00:00:00Z",
        "2024-04-31",
        "2024-00-10",
    ] {
        one_at(
            &d,
            "D",
            json!(bad),
            "",
            &at("D/format"),
            "is not a date (format: date)",
        );
    }
}

#[test]
fn int32_and_int64_ranges() {
    let d = doc("
        I32: {type: integer, format: int32}
        I64: {type: integer, format: int64}
        ");
    ok(&d, "I32", json!(2147483647));
    ok(&d, "I32", json!(-2147483648));
    one_at(
        &d,
        "I32",
        json!(2147483648u64),
        "",
        &at("I32/format"),
        "out of range for format int32",
    );
    one_at(
        &d,
        "I32",
        json!(-2147483649i64),
        "",
        &at("I32/format"),
        "out of range for format int32",
    );
    ok(&d, "I64", json!(i64::MAX));
    ok(&d, "I64", json!(i64::MIN));
    one_at(
        &d,
        "I64",
        json!(9223372036854775808u64),
        "",
        &at("I64/format"),
        "out of range for format int64",
    );
    one_at(
        &d,
        "I64",
        json!(1e19),
        "",
        &at("I64/format"),
        "out of range for format int64",
    );
    let found = check(&d, "I32", &json!(1.5));
    assert_eq!(found.len(), 2, "type and format: {found:#?}");
}

#[test]
fn other_formats_unknown_keywords_and_extensions_are_ignored() {
    let d = doc("
        S:
          type: string
          format: email
          x-okta-thing: {type: integer}
          const: nope
          examples: [1]
        U: {type: string, format: uuid}
        ");
    ok(&d, "S", json!("not an email"));
    ok(&d, "U", json!("not a uuid"));
}

#[test]
fn refs_follow_chains_and_ignore_siblings() {
    let d = doc_with(
        "
        A: {$ref: '#/components/schemas/B'}
        B: {$ref: '#/components/schemas/C'}
        C: {type: integer}
        NullableRef:
          $ref: '#/components/schemas/C'
          nullable: true
        With Space: {type: boolean}
        Spaced: {$ref: '#/components/schemas/With%20Space'}
        ",
        "
        dangling: {$ref: '#/components/schemas/Nope'}
        external: {$ref: 'other.yaml#/components/schemas/C'}
        notAString: {$ref: 5}
        ",
    );
    ok(&d, "A", json!(1));
    one_at(&d, "A", json!("x"), "", &at("C/type"), "expected integer");
    // OpenAPI 3.0: keywords next to `$ref` are ignored.
    one_at(
        &d,
        "NullableRef",
        json!(null),
        "",
        &at("C/type"),
        "found null",
    );
    ok(&d, "Spaced", json!(true));
    one_at(
        &d,
        "Spaced",
        json!(1),
        "",
        "/components/schemas/With Space/type",
        "expected boolean",
    );
    // A `#` prefix on the starting pointer is accepted.
    assert_eq!(validate(&d, "#/components/schemas/A", &json!("x")).len(), 1);
    let odd = |name: &str| validate(&d, &format!("/components/x-odd/{name}"), &json!(1));
    let only = |found: Vec<Mismatch>| match found.as_slice() {
        [m] => m.clone(),
        _ => panic!("expected one mismatch: {found:#?}"),
    };
    let m = only(odd("dangling"));
    assert_eq!(m.schema, "/components/x-odd/dangling/$ref");
    assert!(m.message.contains("points at nothing"), "{m}");
    assert!(only(odd("external"))
        .message
        .contains("not a local reference"));
    assert!(only(odd("notAString")).message.contains("must be a string"));
    let m = only(validate(&d, "/components/schemas/Missing", &json!(1)));
    assert!(m.message.contains("no schema here"), "{m}");
}

#[test]
fn ref_cycles_are_cut_and_reported() {
    let d = doc("
        Loop1: {$ref: '#/components/schemas/Loop2'}
        Loop2: {$ref: '#/components/schemas/Loop1'}
        SelfAll:
          allOf:
            - $ref: '#/components/schemas/SelfAll'
        Fork:
          anyOf:
            - $ref: '#/components/schemas/Fork'
            - $ref: '#/components/schemas/Fork'
        ");
    for name in ["Loop1", "Loop2", "SelfAll"] {
        let m = one(&d, name, json!(1));
        assert!(m.message.contains("$ref cycle"), "{name}: {m}");
    }
    let found = check(&d, "Fork", &json!(1));
    assert!(!found.is_empty(), "an anyOf of cycles matches nothing");
    assert!(
        found.iter().all(|m| m.message.contains("matches none")),
        "{found:#?}"
    );
}

#[test]
fn recursive_data_structures_are_fine() {
    let d = doc("
        Node:
          type: object
          required: [name]
          properties:
            name: {type: string}
            children:
              type: array
              items: {$ref: '#/components/schemas/Node'}
        ");
    let tree = json!({
        "name": "root",
        "children": [
            {"name": "a"},
            {"name": "b", "children": [{"name": 3}, {"children": []}]}
        ]
    });
    let found = check(&d, "Node", &tree);
    let got: Vec<(&str, &str)> = found
        .iter()
        .map(|m| (m.instance.as_str(), m.schema.as_str()))
        .collect();
    assert_eq!(
        got,
        vec![
            (
                "/children/1/children/0/name",
                "/components/schemas/Node/properties/name/type"
            ),
            (
                "/children/1/children/1",
                "/components/schemas/Node/required"
            ),
        ]
    );
}

#[test]
fn long_chains_without_consuming_the_value_hit_the_nesting_limit() {
    let mut schemas = String::new();
    for i in 0..70 {
        schemas.push_str(&format!(
            "S{i}:\n  allOf:\n    - $ref: '#/components/schemas/S{}'\n",
            i + 1
        ));
    }
    schemas.push_str("S70: {type: string}\n");
    let d = doc(&schemas);
    let m = one(&d, "S0", json!(1));
    assert!(
        m.message
            .contains(&format!("more than {MAX_NESTING} schemas nested")),
        "{m}"
    );
    // A shorter chain is validated to the end.
    one_at(&d, "S50", json!(1), "", &at("S70/type"), "expected string");
}

#[test]
fn very_deep_values_are_cut_not_overflowed() {
    let d = doc("
        Node:
          type: object
          properties:
            next: {$ref: '#/components/schemas/Node'}
        Tangled:
          anyOf:
            - allOf:
                - type: object
                  properties:
                    next:
                      oneOf:
                        - $ref: '#/components/schemas/Tangled'
                      discriminator: {propertyName: kind}
                  additionalProperties:
                    not: {$ref: '#/components/schemas/Tangled'}
        ");
    let mut value = json!({});
    for _ in 0..2000 {
        let mut outer = Map::new();
        outer.insert("next".to_owned(), value);
        value = Value::Object(outer);
    }
    // In a thread with a small stack (the default of test threads is 2 MiB).
    let found = std::thread::scope(|scope| {
        let run = |name: &'static str| {
            let (d, value) = (&d, &value);
            std::thread::Builder::new()
                .stack_size(2 << 20)
                .spawn_scoped(scope, move || check(d, name, value))
                .map(|handle| handle.join())
        };
        (run("Node"), run("Tangled"))
    });
    let (Ok(Ok(node)), Ok(Ok(tangled))) = found else {
        panic!("validation threads failed");
    };
    assert_eq!(node.len(), 1, "{:?}", node.first());
    assert!(
        node[0]
            .message
            .contains(&format!("more than {MAX_DEPTH} schemas deep")),
        "{node:?}"
    );
    // The anyOf fails, for the cut deep down.
    assert_eq!(tangled.len(), 1, "{tangled:?}");
    assert_eq!(tangled[0].schema, at("Tangled/anyOf"));
    // Unwind the value iteratively rather than trusting a recursive drop.
    let mut rest = value;
    while let Some(next) = rest.get_mut("next").map(Value::take) {
        rest = next;
    }
}

#[test]
fn nested_combinators_are_validated_once_per_member() {
    // Without memoisation, 2^28 evaluations.
    let mut schemas = String::new();
    for i in 0..28 {
        schemas.push_str(&format!(
            "D{i}:\n  oneOf:\n    - $ref: '#/components/schemas/D{n}'\n    - $ref: '#/components/schemas/D{n}'\n",
            n = i + 1
        ));
    }
    schemas.push_str("D28: {type: string}\n");
    let d = std::sync::Arc::new(doc(&schemas));
    // On another thread, so that a blow-up fails the test instead of hanging it.
    let (send, receive) = std::sync::mpsc::channel();
    let shared = std::sync::Arc::clone(&d);
    std::thread::spawn(move || {
        let _ = send.send((
            check(&shared, "D0", &json!(1)),
            check(&shared, "D0", &json!("x")),
        ));
    });
    let Ok((number, string)) = receive.recv_timeout(std::time::Duration::from_secs(10)) else {
        panic!(
            "validating 28 nested oneOf took more than 10 s: members are validated more than once"
        );
    };
    for found in [number, string] {
        match found.as_slice() {
            [m] => {
                assert_eq!(m.schema, at("D0/oneOf"));
                assert!(
                    m.message.starts_with("matches none of the 2 oneOf schemas"),
                    "{m}"
                );
            }
            _ => panic!("expected one mismatch: {found:#?}"),
        }
    }
    // D27 matches "x" twice over, so D26 and everything above match it not at all.
    one_at(
        &d,
        "D27",
        json!("x"),
        "",
        &at("D27/oneOf"),
        "matches several oneOf schemas: 0, 1",
    );
}

#[test]
fn malformed_schemas_and_pointers_never_panic() {
    let d = doc_with(
        "Ok: {type: string}",
        "
        - {type: 5}
        - {type: foo}
        - {type: [string, 'null']}
        - {minLength: x, maxLength: -1, minItems: 1.5, maxItems: null, minProperties: {}, maxProperties: []}
        - {required: 5, properties: [], additionalProperties: 5, items: 5, uniqueItems: yes}
        - {required: [1, a, null], properties: {a: 5, b: [1]}}
        - {enum: 5, allOf: {}, anyOf: [], oneOf: [], not: 5}
        - {allOf: [5, null, '#'], anyOf: [{}], oneOf: [true, false]}
        - {$ref: '#nope'}
        - {$ref: '#/components/x-odd/100'}
        - {$ref: '#/%zz/%'}
        - {$ref: ''}
        - {discriminator: 5, oneOf: [{}]}
        - {discriminator: {propertyName: 5}, oneOf: [{}]}
        - {discriminator: {propertyName: k, mapping: 5}, oneOf: [5]}
        - {discriminator: {propertyName: k, mapping: {a: 5, b: 'http://x/y', c: ''}}, anyOf: [{$ref: 5}]}
        - {discriminator: {propertyName: k}}
        - {multipleOf: 0, minimum: a, maximum: [], exclusiveMinimum: 1}
        - {multipleOf: -1.5}
        - {multipleOf: 1.0e-300}
        - {multipleOf: 1.0e+300, format: int32}
        - {format: 5}
        - {format: date-time, nullable: 1}
        - {format: date}
        - {format: int64}
        - just a string
        - 5
        - true
        - false
        - null
        - []
        ",
    );
    let values = [
        json!(null),
        json!(true),
        json!(0),
        json!(-1.5),
        json!(1e300),
        json!(u64::MAX),
        json!(i64::MIN),
        json!(""),
        json!("é2024-02-30"),
        json!("2025-05-28T19:21:14+99:99"),
        json!([]),
        json!([1, [2], 1]),
        json!({}),
        json!({"k": "a", "a": {"b": null}}),
        json!({"k": "b"}),
        json!({"k": "c"}),
        json!({"k": 5}),
    ];
    for i in 0..32 {
        for value in &values {
            let _ = validate(&d, &format!("/components/x-odd/{i}"), value);
            let _ = validate_as(
                &d,
                &format!("/components/x-odd/{i}"),
                value,
                Direction::Request,
            );
        }
    }
    for pointer in [
        "",
        "/",
        "nope",
        "#",
        "#nope",
        "#/%",
        "/components/schemas/~2",
        "/components/schemas/Ok/type",
    ] {
        for value in &values {
            let _ = validate(&d, pointer, value);
        }
    }
    let odd = |i: usize, value: Value| validate(&d, &format!("/components/x-odd/{i}"), &value);
    assert!(odd(0, json!(1))[0].message.contains("must be a string"));
    assert!(odd(1, json!(1))[0]
        .message
        .contains(r#"unknown type "foo""#));
    assert!(odd(26, json!(1))[0].message.contains("not a Schema Object"));
    assert!(odd(27, json!(1)).is_empty(), "`true` accepts anything");
    assert!(odd(28, json!(1))[0].message.contains("accepts no value"));
}

#[test]
fn mismatches_display_where_and_what() {
    let d = doc("P: {type: object, properties: {a: {type: string}}}");
    let found = check(&d, "P", &json!({"a": 1}));
    assert_eq!(
        found.iter().map(ToString::to_string).collect::<Vec<_>>(),
        vec![
            "/a: expected string, found number 1 (schema #/components/schemas/P/properties/a/type)"
        ]
    );
    let found = check(&d, "P", &json!([]));
    assert_eq!(
        found.iter().map(ToString::to_string).collect::<Vec<_>>(),
        vec![
            "(root): expected object, found array of 0 items (schema #/components/schemas/P/type)"
        ]
    );
}

#[test]
fn values_in_messages_are_shortened() {
    let d = doc("
        E: {enum: [1]}
        S: {type: integer}
        ");
    let long = "x".repeat(10_000);
    let big = json!({"a": vec![long.clone(); 1000], "b": [[[[[[1]]]]]]});
    let m = one(&d, "E", big);
    assert!(m.message.starts_with(r#"{"a":["xxxx"#), "{}", m.message);
    assert!(m.message.contains("…"), "{}", m.message);
    assert!(m.message.chars().count() < 120, "{}", m.message);
    let m = one(&d, "S", json!(long));
    assert!(m.message.chars().count() < 120, "{}", m.message);
    let m = one(&d, "E", json!([[2], {"k": "v"}]));
    assert_eq!(
        m.message,
        r#"[[2],{"k":"v"}] is not one of the allowed values [1]"#
    );
}
