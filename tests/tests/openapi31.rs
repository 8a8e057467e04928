//! OpenAPI 3.1 documents are read: `tests/fixtures/constructs/openapi31.yaml` is generated at
//! build time (see `src/fixtures.rs`) and its types decode real 3.1 shapes; what 3.1 has and the
//! client cannot use (`webhooks`, `$defs`) is left out with a warning naming the place.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use okgen_tests::fixtures::openapi31::models::{Owner, Pet, PetKind, PetTag};
use okgen_tests::fixtures::openapi31::Date;
use okgen_tests::workspace;
use serde_json::{json, Value};

fn pet(value: Value) -> Pet {
    serde_json::from_value(value.clone()).unwrap_or_else(|e| panic!("{value} does not decode: {e}"))
}

fn fixture_path() -> std::path::PathBuf {
    workspace().join("tests/fixtures/constructs/openapi31.yaml")
}

#[test]
fn a_type_list_with_null_decodes_null_and_values() {
    let p = pet(json!({"kind": "pet", "name": "Rex", "nickname": null}));
    assert_eq!(p.nickname, None);
    let p = pet(json!({"kind": "pet", "name": "Rex", "nickname": "R"}));
    assert_eq!(p.nickname.as_deref(), Some("R"));
    // `nickname` is required (and nullable): it must be there, even when null.
    let missing = serde_json::from_value::<Pet>(json!({"kind": "pet", "name": "Rex"}));
    assert!(missing.is_err(), "{missing:?}");
    // Encoding keeps the null, as the schema requires the key.
    let encoded = serde_json::to_value(Pet::new(PetKind::Pet, "Rex", None)).unwrap();
    assert_eq!(
        encoded,
        json!({"kind": "pet", "name": "Rex", "nickname": null})
    );
}

#[test]
fn const_decodes_its_value_and_keeps_others() {
    let p = pet(json!({"kind": "pet", "name": "Rex", "nickname": null}));
    assert_eq!(p.kind, PetKind::Pet);
    assert_eq!(PetKind::KNOWN_VALUES, ["pet"]);
    let p = pet(json!({"kind": "robot", "name": "R2", "nickname": null}));
    assert_eq!(p.kind, PetKind::Unknown("robot".into()));
}

#[test]
fn a_null_union_member_makes_the_reference_or_date_nullable() {
    let p = pet(json!({"kind": "pet", "name": "Rex", "nickname": null,
        "owner": null, "born": null}));
    // An explicit null, kept as such (not merged with absent).
    assert!(p.owner.is_null() && p.born.is_null());
    let p = pet(json!({"kind": "pet", "name": "Rex", "nickname": null,
        "owner": {"name": "Ann"}, "born": "2020-02-29"}));
    let owner: Owner = serde_json::from_value(json!({"name": "Ann"})).unwrap();
    assert_eq!(p.owner.value(), Some(&owner));
    assert_eq!(p.born.value(), Some(&Date::parse("2020-02-29").unwrap()));
}

#[test]
fn several_types_are_an_untagged_union() {
    let p = pet(json!({"kind": "pet", "name": "Rex", "nickname": null, "tag": "good"}));
    assert_eq!(p.tag, Some(PetTag::String("good".into())));
    let p = pet(json!({"kind": "pet", "name": "Rex", "nickname": null, "tag": 7}));
    assert_eq!(p.tag, Some(PetTag::Integer(7)));
    assert_eq!(serde_json::to_value(PetTag::Integer(7)).unwrap(), json!(7));
}

#[test]
fn null_alone_decodes_null() {
    let p = pet(json!({"kind": "pet", "name": "Rex", "nickname": null, "nothing": null}));
    assert!(p.nothing.is_null());
}

#[test]
fn ref_siblings_are_read_description_and_read_only() {
    let (api, _) = okgen::lower(&okgen::Config::new(fixture_path())).expect("lowers");
    let okgen::ir::TypeKind::Struct(pet) = &api.types["Pet"].kind else {
        panic!("Pet is a struct")
    };
    let id = pet.fields.iter().find(|f| f.json_name == "id").unwrap();
    assert!(id.read_only, "readOnly next to the $ref");
    assert!(!id.required, "readOnly is never required when sending");
    assert_eq!(
        id.doc.as_deref(),
        Some("Assigned by the server (a `$ref` with siblings).")
    );
    assert!(api.warnings.is_empty(), "{:?}", api.warnings);
}

#[test]
fn bounds_examples_and_json_schema_keywords_are_rewritten_for_3_0() {
    let doc = okgen::load::load(&fixture_path()).expect("loads");
    let pet = &doc.raw["components"]["schemas"]["Pet"];
    assert_eq!(doc.raw["openapi"], "3.0.3");
    assert!(doc.raw.get("jsonSchemaDialect").is_none());
    assert!(pet.get("$schema").is_none() && pet.get("$id").is_none());
    let weight = &pet["properties"]["weight"];
    assert_eq!(
        (&weight["minimum"], &weight["exclusiveMinimum"]),
        (&json!(0), &json!(true))
    );
    assert_eq!(
        (&weight["maximum"], &weight["exclusiveMaximum"]),
        (&json!(1000), &json!(true))
    );
    assert_eq!(pet["properties"]["name"]["example"], "Rex");
    let limit = &doc.raw["paths"]["/pets/{petId}"]["get"]["parameters"][1]["schema"];
    assert_eq!(
        limit,
        &json!({"type": "integer", "nullable": true, "exclusiveMinimum": true, "minimum": 0})
    );
    assert!(doc.warnings.is_empty(), "{:?}", doc.warnings);
}

const WEBHOOKS: &str = "openapi: 3.1.0\ninfo: {title: x, version: '1'}\nwebhooks:\n  newPet:\n    post:\n      responses:\n        '200': {description: ok}\ncomponents:\n  schemas:\n    A:\n      type: object\n      $defs:\n        B: {type: string}\n";

#[test]
fn webhooks_and_defs_are_left_out_with_warnings_naming_the_place() {
    let doc = okgen::load::parse_with("hooks.yaml", WEBHOOKS, okgen::Mode::Lenient)
        .expect("lenient mode reads it");
    assert!(doc.raw.get("webhooks").is_none());
    assert!(doc.api.paths.paths.is_empty(), "paths, optional in 3.1");
    let places: Vec<_> = doc
        .warnings
        .iter()
        .map(|w| (w.location.pointer.as_deref(), w.location.line))
        .collect();
    assert_eq!(
        places,
        [
            (Some("/webhooks"), Some(3)),
            (Some("/components/schemas/A/$defs"), Some(12))
        ]
    );
    assert!(
        doc.warnings[0]
            .to_string()
            .starts_with("hooks.yaml:3 at #/webhooks: `webhooks`"),
        "{}",
        doc.warnings[0]
    );
    let err = okgen::load::parse_with("hooks.yaml", WEBHOOKS, okgen::Mode::Strict)
        .expect_err("strict mode refuses to leave webhooks out");
    assert!(err.to_string().contains("not generated"), "{err}");
}

#[test]
fn a_json_31_document_is_read_too() {
    let text = r##"{
  "openapi": "3.1.0",
  "info": {"title": "x", "version": "1"},
  "paths": {},
  "webhooks": {"w": {}},
  "components": {"schemas": {"A": {"type": ["string", "null"], "const": "a"}}}
}"##;
    let doc = okgen::load::parse("api.json", text).expect("reads");
    assert_eq!(
        doc.raw["components"]["schemas"]["A"],
        json!({"type": "string", "nullable": true, "enum": ["a"]})
    );
    // The warning names its line in JSON as well.
    assert_eq!(doc.warnings[0].location.line, Some(5), "{:?}", doc.warnings);
}
