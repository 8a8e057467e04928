//! Hostile documents, compiled: every name the generated code or its runtime defines, used as
//! an operationId, a parameter name, a property name, an enum value and a schema name; and types
//! nested 200 levels deep, inline and through `$ref`s.
//!
//! Cost: the fast tests only lower documents (about a second in all). The compile test runs one
//! `cargo clippy -D warnings` of one crate holding six generated clients as modules (each with
//! its runtime): about 60 s on two cores once the shared fixture target directory
//! (`target/okgen-fixtures/target`) has the runtime's dependencies; the first compile test to
//! run builds those (about a minute more).

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::BTreeSet;

use okgen::ir::{Additional, Api, TypeKind};
use okgen::names::reserved;
use okgen::Mode;
use serde_json::{json, Map, Value};

/// How deep the deep documents nest.
const DEPTH: usize = 200;

/// Names the generated code refers to but never defines: a model or a builder may take them,
/// the code then spelling them in full (`::std::option::Option`).
const PRELUDE: &[&str] = &[
    "Option",
    "Some",
    "None",
    "Result",
    "Ok",
    "Err",
    "String",
    "Vec",
    "Box",
    "Self",
    "Value",
    "Default",
    "Clone",
    "Copy",
    "Send",
    "Sync",
    "Sized",
    "From",
    "Into",
    "Iterator",
    "Future",
    "IntoFuture",
    "Stream",
    "Client",
    "Error",
    "Response",
    "Page",
    "Request",
    "Serialize",
    "Deserialize",
    "Serializer",
    "Deserializer",
    "Debug",
    "Display",
    "PartialEq",
    "FromStr",
];

/// Enum values that once made trouble: `Err` next to `FromStr`'s `type Err`, `Self`, the
/// fallback's own name, the empty string.
const ENUM_VALUES: &[&str] = &[
    "err",
    "Err",
    "ok",
    "Ok",
    "Self",
    "self",
    "unknown",
    "Unknown",
    "UnknownValue",
    "",
    "Empty",
];

/// Every name of the table, once, in order.
fn table() -> Vec<&'static str> {
    let names: BTreeSet<&str> = reserved::ALL
        .iter()
        .flat_map(|l| l.iter().copied())
        .collect();
    names.into_iter().collect()
}

/// The table's names, the prelude's and the enum values: what the document names things.
fn hostile_names() -> Vec<&'static str> {
    let mut names: BTreeSet<&str> = table().into_iter().collect();
    names.extend(PRELUDE);
    names.extend(ENUM_VALUES.iter().filter(|n| !n.is_empty()));
    names.into_iter().collect()
}

fn string() -> Value {
    json!({"type": "string"})
}

fn query(name: &str, required: bool, schema: Value) -> Value {
    json!({"name": name, "in": "query", "required": required, "schema": schema})
}

fn schema_ref(name: &str) -> Value {
    json!({"$ref": format!("#/components/schemas/{}", okgen::pointer::escape(name))})
}

/// One document naming everything after the table: an operation per name, an operation with an
/// optional and one with a required query parameter per name (the first a paged list with a raw
/// body and an alternative media type, so that its builder has every method), path parameters
/// per name, structs with a property per name (optional, and required), a string enum with a
/// value per name, and a schema per name in an untagged and in a tagged union.
fn reserved_document() -> Value {
    let names = hostile_names();
    let mut paths = Map::new();
    for (i, name) in names.iter().enumerate() {
        // With one argument: clippy's `should_implement_trait` looks at the argument count.
        let id = json!({"name": "id", "in": "path", "required": true, "schema": string()});
        paths.insert(
            format!("/ops/n{i}/{{id}}"),
            json!({"get": {"operationId": name, "parameters": [id], "responses": {"204": {"description": "done"}}}}),
        );
    }
    let mut optional = vec![query("after", false, string())];
    optional.extend(names.iter().map(|n| query(n, false, string())));
    paths.insert(
        "/paged".into(),
        json!({"post": {
            "operationId": "listPaged",
            "parameters": optional,
            "requestBody": {"content": {"application/octet-stream": {"schema": {"type": "string", "format": "binary"}}}},
            "responses": {"200": {"description": "a page", "content": {
                "application/json": {"schema": {"type": "array", "items": schema_ref("Optional")}},
                "text/csv": {"schema": string()},
            }}},
        }}),
    );
    let required: Vec<Value> = names.iter().map(|n| query(n, true, string())).collect();
    paths.insert(
        "/required".into(),
        json!({"put": {
            "operationId": "required",
            "parameters": required,
            "requestBody": {"required": true, "content": {"application/json": {"schema": schema_ref("Required")}}},
            "responses": {"200": {"description": "done", "content": {"application/json": {"schema": schema_ref("Required")}}}},
        }}),
    );
    let template: String = names.iter().map(|n| format!("/{{{n}}}")).collect();
    let in_path: Vec<Value> = names
        .iter()
        .map(|n| json!({"name": n, "in": "path", "required": true, "schema": string()}))
        .collect();
    paths.insert(
        format!("/path{template}"),
        json!({"delete": {"operationId": "inPath", "parameters": in_path, "responses": {"204": {"description": "done"}}}}),
    );
    paths.insert(
        "/values".into(),
        json!({"get": {
            "operationId": "values",
            "parameters": [
                query("value", true, schema_ref("Values")),
                query("values", false, json!({"type": "array", "items": schema_ref("Values")})),
            ],
            "responses": {"200": {"description": "values", "content": {"application/json": {"schema": schema_ref("Unions")}}}},
        }}),
    );
    // Okta's paging convention, but with an integer cursor.
    paths.insert(
        "/numbered".into(),
        json!({"get": {
            "operationId": "listNumbered",
            "parameters": [query("after", false, json!({"type": "integer"}))],
            "responses": {"200": {"description": "a page", "content": {"application/json": {
                "schema": {"type": "array", "items": string()}
            }}}},
        }}),
    );

    let properties: Map<String, Value> = names.iter().map(|n| (n.to_string(), string())).collect();
    let mut schemas = Map::new();
    schemas.insert(
        "Optional".into(),
        json!({"type": "object", "properties": properties}),
    );
    schemas.insert(
        "Required".into(),
        json!({"type": "object", "required": names, "properties": properties}),
    );
    let mut values: Vec<&str> = names.clone();
    values.extend(ENUM_VALUES);
    schemas.insert(
        "Values".into(),
        json!({"type": "string", "enum": values.into_iter().collect::<BTreeSet<_>>()}),
    );
    let mut members = Vec::new();
    let mut mapping = Map::new();
    for name in &names {
        let component = name.to_string();
        schemas.insert(
            component.clone(),
            json!({"type": "object", "required": ["kind"], "properties": {"kind": string(), *name: string()}}),
        );
        members.push(schema_ref(&component));
        mapping.insert(
            name.to_string(),
            json!(format!(
                "#/components/schemas/{}",
                okgen::pointer::escape(&component)
            )),
        );
    }
    schemas.insert("Untagged".into(), json!({"oneOf": members}));
    schemas.insert(
        "Tagged".into(),
        json!({"oneOf": members, "discriminator": {"propertyName": "kind", "mapping": mapping}}),
    );
    schemas.insert(
        "Unions".into(),
        json!({"type": "object", "properties": {
            "untagged": schema_ref("Untagged"),
            "tagged": schema_ref("Tagged"),
            "values": {"type": "array", "items": schema_ref("Values")},
            // Enums without a known value: every value is the fallback.
            "no_string": {"type": "string", "nullable": true, "enum": [null]},
            "no_integer": {"type": "integer", "nullable": true, "enum": [null]},
        }}),
    );
    // A security scheme per name (the document is not Okta's: generic profile), each an API key,
    // so each gets an `Auth` constructor named after it; and a bearer scheme.
    let mut schemes = Map::new();
    for (i, name) in names.iter().enumerate() {
        schemes.insert(
            name.to_string(),
            json!({"type": "apiKey", "in": "header", "name": format!("X-Key-{i}")}),
        );
    }
    schemes.insert("bearer".into(), json!({"type": "http", "scheme": "bearer"}));
    json!({
        "openapi": "3.0.3",
        "info": {"title": "Reserved names", "version": "1"},
        "paths": paths,
        "components": {"schemas": schemas, "securitySchemes": schemes},
    })
}

/// A document whose one operation sends and receives `root`, with `schemas` as its components.
fn deep_document(title: &str, root: Value, schemas: Map<String, Value>) -> Value {
    json!({
        "openapi": "3.0.3",
        "info": {"title": title, "version": "1"},
        "paths": {"/deep": {"post": {
            "operationId": "deep",
            "requestBody": {"required": true, "content": {"application/json": {"schema": root}}},
            "responses": {"200": {"description": "deep", "content": {"application/json": {"schema": root}}}},
        }}},
        "components": {"schemas": schemas},
    })
}

/// Objects in objects, inline: `{type: object, properties: {child: {type: object, …}}}`.
fn deep_inline_document() -> Value {
    deep_inline(DEPTH)
}

fn deep_inline(depth: usize) -> Value {
    let mut schema = json!({"type": "object", "properties": {"leaf": string()}});
    for _ in 0..depth {
        schema = json!({"type": "object", "properties": {"child": schema, "leaf": string()}});
    }
    let mut schemas = Map::new();
    schemas.insert("Root".into(), schema);
    deep_document("Deep inline", schema_ref("Root"), schemas)
}

/// Nullable objects in arrays in objects, inline: `{type: object, properties: {children: {type:
/// array, items: {type: object, nullable: true, …}}}}` (`Vec<Option<…>>`), 150 deep (three levels of JSON each: 200 would be more than
/// `load::MAX_NESTING`).
fn deep_lists_document() -> Value {
    let mut schema = json!({"type": "object", "properties": {"leaf": string()}});
    for _ in 0..150 {
        schema = json!({"type": "object", "nullable": true, "properties": {
            "children": {"type": "array", "items": schema},
            "leaf": string(),
        }});
    }
    let mut schemas = Map::new();
    schemas.insert("Root".into(), schema);
    deep_document("Deep lists", schema_ref("Root"), schemas)
}

/// Maps of nullable maps: `{type: object, additionalProperties: {type: object, nullable: true,
/// additionalProperties: …}}`, 200 deep: `BTreeMap<String, Option<…>>`, the costliest level for
/// rustc to prove `Send` (see `MAX_STEPS` in `generator/src/lower/schema.rs`).
fn deep_maps_document() -> Value {
    let mut schema = string();
    for _ in 0..DEPTH {
        schema = json!({"type": "object", "nullable": true, "additionalProperties": schema});
    }
    let mut schemas = Map::new();
    schemas.insert("Root".into(), schema);
    deep_document("Deep maps", schema_ref("Root"), schemas)
}

/// Components each naming the next as a property: `Level0.child` is `Level1`, and so on.
fn deep_refs_document() -> Value {
    let mut schemas = Map::new();
    for level in 0..DEPTH {
        let mut properties = Map::new();
        properties.insert("leaf".into(), string());
        if level + 1 < DEPTH {
            properties.insert("child".into(), schema_ref(&format!("Level{}", level + 1)));
        }
        schemas.insert(
            format!("Level{level}"),
            json!({"type": "object", "properties": properties}),
        );
    }
    deep_document("Deep refs", schema_ref("Level0"), schemas)
}

/// Lowers a document built in memory. (From text, JSON and YAML parsers refuse nesting deeper
/// than 128 levels, about 60 inline schemas: see `a_deep_text_document_is_refused_by_its_parser`.)
fn lower(name: &str, doc: &Value, mode: Mode) -> Api {
    let text = serde_json::to_string_pretty(doc).expect("JSON");
    let doc = okgen::load::from_raw_with(format!("{name}.json").into(), text, doc.clone(), mode)
        .unwrap_or_else(|e| panic!("{name} loads: {e}"));
    okgen::lower_document(&doc, &okgen::Selection::default())
        .unwrap_or_else(|e| panic!("{name} lowers: {e}"))
}

#[test]
fn no_generated_name_takes_a_reserved_one() {
    let api = lower("reserved", &reserved_document(), Mode::Strict);
    assert!(api.warnings.is_empty(), "{:?}", api.warnings);
    for op in &api.operations {
        assert!(
            !reserved::CLIENT.contains(&op.name.as_str()),
            "operation method `{}` is a name of the `Client`",
            op.name
        );
        let mut builder: Vec<&str> = op.params.iter().map(|p| p.name.as_str()).collect();
        builder.extend(op.body.iter().map(|b| b.name.as_str()));
        builder.extend(op.alternatives.iter().map(|a| a.method.as_str()));
        for name in builder {
            assert!(
                !reserved::BUILDER.contains(&name),
                "`{}` names `{name}` on its builder, a name the builder has already",
                op.operation_id
            );
        }
    }
    assert_eq!(api.profile, okgen::Profile::Generic);
    assert_eq!(api.auth.len(), hostile_names().len() + 1);
    let constructors: BTreeSet<&str> = api.auth.iter().map(|a| a.constructor.as_str()).collect();
    assert_eq!(
        constructors.len(),
        api.auth.len(),
        "constructors are unique"
    );
    for name in &constructors {
        assert!(
            !reserved::AUTH.contains(name),
            "`Auth::{name}` is a name `Auth` has already"
        );
    }
    let every: BTreeSet<&str> = api.operations.iter().map(|o| o.name.as_str()).collect();
    assert_eq!(
        every.len(),
        api.operations.len(),
        "operation names are unique"
    );
    for def in api.types.iter() {
        match &def.kind {
            TypeKind::Struct(s) => {
                for f in &s.fields {
                    assert!(
                        !reserved::STRUCT_FIELDS.contains(&f.name.as_str()),
                        "{}.{}",
                        def.name,
                        f.name
                    );
                }
                if let Additional::Keep { field } | Additional::Typed { field, .. } = &s.additional
                {
                    assert_eq!(field, reserved::EXTRA_PROPERTIES, "{}", def.name);
                }
            }
            TypeKind::StringEnum(e) => {
                let variants = e.variants.iter().map(|v| &v.name).chain([&e.fallback]);
                for v in variants {
                    assert!(
                        !reserved::VARIANTS.contains(&v.as_str()),
                        "{}::{v}",
                        def.name
                    );
                }
            }
            _ => {}
        }
    }
}

#[test]
fn a_list_with_an_integer_after_is_not_paged_and_a_string_after_is() {
    let api = lower("reserved", &reserved_document(), Mode::Strict);
    let op = |id: &str| {
        api.operations
            .iter()
            .find(|o| o.operation_id == id)
            .unwrap_or_else(|| panic!("{id}"))
    };
    assert!(op("listPaged").pagination.is_some());
    assert!(
        op("listNumbered").pagination.is_none(),
        "a cursor is the text of the next link's `after`: an integer parameter cannot take it"
    );
}

#[test]
fn deep_documents_keep_the_outer_levels_typed_and_warn_about_the_rest() {
    // Lowering keeps 48 levels of structs, 24 of arrays and maps: 16 of structs in arrays.
    for (name, doc, levels) in [
        ("deep-inline", deep_inline_document(), 48),
        ("deep-lists", deep_lists_document(), 16),
        ("deep-refs", deep_refs_document(), 48),
    ] {
        let api = lower(name, &doc, Mode::Lenient);
        let structs = api
            .types
            .iter()
            .filter(|d| matches!(d.kind, TypeKind::Struct(_)))
            .count();
        assert_eq!(structs, levels, "{name}: nested structs");
        assert!(
            api.warnings
                .iter()
                .any(|w| w.to_string().contains("schemas nest too deeply here")),
            "{name}: {:?}",
            api.warnings
        );
    }
}

#[test]
fn a_deep_text_document_is_refused_by_its_parser_with_its_place() {
    let text = serde_json::to_string_pretty(&deep_inline_document()).expect("JSON");
    let err = okgen::load::parse_with("deep.json", text, Mode::Lenient)
        .map(drop)
        .expect_err("too deep for the parser");
    let message = err.to_string();
    assert!(
        message.starts_with("deep.json:") && message.contains("recursion limit exceeded"),
        "{message}"
    );
}

/// `{type: array, nullable: true, items: …}` (`Vec<Option<…>>`), nested so that the document is
/// `levels` deep in JSON.
fn nested_items(levels: usize) -> Value {
    // The root, `components`, `schemas`, then one level per schema.
    let mut schema = string();
    for _ in 0..levels - 4 {
        schema = json!({"type": "array", "nullable": true, "items": schema});
    }
    let mut schemas = Map::new();
    schemas.insert("Deep".into(), schema);
    deep_document("Deep items", schema_ref("Deep"), schemas)
}

#[test]
fn a_document_as_deep_as_allowed_loads_on_a_small_stack_and_a_deeper_one_is_refused() {
    // On this test's thread (2 MiB): the typed parse gets a stack of its own.
    let api = lower(
        "deep-items",
        &nested_items(okgen::load::MAX_NESTING),
        Mode::Lenient,
    );
    assert_eq!(api.operations.len(), 1);
    let doc = nested_items(okgen::load::MAX_NESTING + 1);
    let text = serde_json::to_string_pretty(&doc).expect("JSON");
    let err = okgen::load::from_raw_with("deep.json".into(), text, doc, Mode::Lenient)
        .map(drop)
        .expect_err("too deep");
    let okgen::Error::Spec {
        location, message, ..
    } = &err
    else {
        panic!("{err:?}")
    };
    let pointer = location.pointer.as_deref().unwrap_or_default();
    assert!(
        pointer.starts_with("/components/schemas/Deep/items/items/"),
        "{pointer}"
    );
    assert!(message.contains("deeper than 512 levels"), "{message}");
    // Through arrays, the pointer names the indices.
    let mut deep = json!("leaf");
    for _ in 0..okgen::load::MAX_NESTING {
        deep = json!([0, deep]);
    }
    let doc = json!({"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": {}, "x-deep": deep});
    let err = okgen::load::from_raw_with("deep.json".into(), String::new(), doc, Mode::Lenient)
        .map(drop)
        .expect_err("too deep");
    let okgen::Error::Spec { location, .. } = &err else {
        panic!("{err:?}")
    };
    let expected = format!("/x-deep{}", "/1".repeat(okgen::load::MAX_NESTING - 1));
    assert_eq!(location.pointer.as_deref(), Some(expected.as_str()));
}

/// The five documents, generated, as modules of one crate that clippy checks with
/// `-D warnings`.
#[test]
fn hostile_documents_compile_without_warnings() {
    let documents = [
        ("reserved", reserved_document(), Mode::Strict),
        ("deep_inline", deep_inline_document(), Mode::Lenient),
        ("deep_lists", deep_lists_document(), Mode::Lenient),
        ("deep_maps", deep_maps_document(), Mode::Lenient),
        ("deep_refs", deep_refs_document(), Mode::Lenient),
        // Nullable arrays of arrays, 200 deep: no struct at all.
        ("deep_items", nested_items(DEPTH + 4), Mode::Lenient),
    ];
    let mut source = String::from(
        "//! Hostile documents, each generated into a module (tests/tests/reserved_names.rs).\n",
    );
    let mut first = None;
    for (name, doc, mode) in documents {
        let api = lower(name, &doc, mode);
        let generated = okgen::emit(&api).unwrap_or_else(|e| panic!("{name} emits: {e}"));
        source.push_str(&format!("\npub mod {name} {{\n{generated}}}\n"));
        first.get_or_insert(api);
    }
    let generated = okgen::Generated {
        source,
        api: first.expect("a document"),
        inputs: Vec::new(),
        warnings: Vec::new(),
    };
    let dir = okgen_tests::workspace().join("target/okgen-fixtures/hostile-names");
    okgen::write_standalone_crate(&dir, &generated).expect("crate written");
    let (ok, _, stderr) = okgen_tests::cargo(
        &dir,
        &["clippy", "--quiet", "--all-targets", "--", "-D", "warnings"],
    );
    assert!(ok, "the hostile documents do not compile:\n{stderr}");
    let warnings: Vec<&str> = stderr
        .lines()
        .filter(|l| l.starts_with("warning"))
        .collect();
    assert!(warnings.is_empty(), "warnings:\n{stderr}");
}

/// A document with one operation (`operation_id`) and one schema (`schema`).
fn one_of_each(operation_id: &str, schema: &str) -> Value {
    json!({
        "openapi": "3.0.3",
        "info": {"title": "t", "version": "1"},
        "paths": {"/things": {"get": {
            "operationId": operation_id,
            "responses": {"200": {"description": "a thing", "content": {"application/json": {"schema": schema_ref(schema)}}}}
        }}},
        "components": {"schemas": {schema: {"type": "object", "properties": {"name": string(), "tags": {"type": "array", "items": string()}}}}}
    })
}

#[test]
fn prelude_types_are_short_unless_an_item_takes_their_name() {
    // Whether the types and variants are short (a field's type, a builder's `Result` and `Ok`),
    // and whether they are in full.
    let spelled = |api: &Api| {
        let source = okgen::emit(api).expect("emits");
        let compact: String = source.chars().filter(|c| !c.is_whitespace()).collect();
        let short = [
            "pubname:Option<String>,",
            "->Result<super::client::Request,",
            "Ok(request)",
        ];
        let full = [
            "pubname:::std::option::Option<::std::string::String>,",
            "->::std::result::Result<super::client::Request,",
            "::std::result::Result::Ok(request)",
        ];
        (
            short.iter().all(|s| compact.contains(s)),
            full.iter().all(|s| compact.contains(s)),
        )
    };
    let plain = lower("plain", &one_of_each("getThing", "Thing"), Mode::Strict);
    assert!(plain.types.prelude_types());
    assert_eq!(spelled(&plain), (true, false));
    // A model, or a request builder, named like one of them: every one is spelled in full.
    for (operation_id, schema) in [
        ("getThing", "Box"),
        ("getThing", "vec"),
        ("string", "Thing"),
        ("option", "Thing"),
        ("getThing", "Result"),
        ("getThing", "None"),
        ("ok", "Thing"),
    ] {
        let api = lower(
            operation_id,
            &one_of_each(operation_id, schema),
            Mode::Strict,
        );
        assert!(!api.types.prelude_types(), "{operation_id} / {schema}");
        assert_eq!(spelled(&api), (false, true), "{operation_id} / {schema}");
    }
    // The hostile document names everything after them: its compile test is the full spelling's.
    let hostile = lower("reserved", &reserved_document(), Mode::Strict);
    assert!(!hostile.types.prelude_types());
}
