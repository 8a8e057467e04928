//! Documents whose size or depth is hostile: each gives a client or an error, never a crash,
//! and never work that grows faster than the document. Each runs the whole pipeline (load,
//! lower, emit) on a thread with the 8 MiB stack a build script's main thread has, in the debug
//! profile. (How fast they run is a benchmark's business: generator/benches; a run that went
//! exponential would not finish, and the test would fail by its CI timeout.)

#![allow(clippy::unwrap_used, clippy::expect_used)]

use serde_json::{json, Map, Value};

/// A document (as JSON text) with one operation returning `components/schemas/S0`.
fn document(schemas: Map<String, Value>) -> String {
    json!({
        "openapi": "3.0.3",
        "info": {"title": "Hostile", "version": "1"},
        "paths": {"/x": {"get": {
            "operationId": "getX",
            "responses": {"200": {"description": "ok", "content": {"application/json": {
                "schema": {"$ref": "#/components/schemas/S0"}
            }}}}
        }}},
        "components": {"schemas": schemas}
    })
    .to_string()
}

/// Runs the pipeline in lenient mode on an 8 MiB stack: the lowered API and the source, or the
/// error.
fn generate(text: String) -> okgen::Result<(okgen::ir::Api, String)> {
    std::thread::Builder::new()
        .stack_size(8 << 20)
        .spawn(move || {
            let doc = okgen::load::parse_with("hostile.json", text, okgen::Mode::Lenient)?;
            let api = okgen::lower_document(&doc, &okgen::Selection::default())?;
            let source = okgen::emit(&api)?;
            Ok((api, source))
        })
        .expect("thread")
        .join()
        .unwrap_or_else(|_| panic!("the pipeline panicked"))
}

#[test]
fn a_ref_chain_of_ten_thousand_links_generates_with_a_warning() {
    let mut schemas = Map::new();
    for i in 0..10_000 {
        schemas.insert(
            format!("S{i}"),
            json!({"$ref": format!("#/components/schemas/S{}", i + 1)}),
        );
    }
    schemas.insert("S10000".into(), json!({"type": "string"}));
    let (api, source) = generate(document(schemas)).expect("a client");
    assert!(source.contains("pub type S0 ="));
    assert!(
        api.warnings
            .iter()
            .any(|w| w.message.contains("nest too deeply")),
        "{:?}",
        api.warnings.first()
    );
}

#[test]
fn a_property_chain_of_two_thousand_components_generates_with_a_warning() {
    let mut schemas = Map::new();
    for i in 0..2_000 {
        schemas.insert(
            format!("S{i}"),
            json!({"type": "object", "properties": {
                "name": {"type": "string"},
                "next": {"$ref": format!("#/components/schemas/S{}", i + 1)}
            }}),
        );
    }
    schemas.insert("S2000".into(), json!({"type": "object"}));
    let (api, source) = generate(document(schemas)).expect("a client");
    assert!(source.contains("pub struct S0 {"));
    // The outer levels are typed; where the depth limit is reached, the rest is JSON.
    assert!(
        api.types.len() > 40 && api.types.len() < 60,
        "{}",
        api.types.len()
    );
    assert!(api
        .warnings
        .iter()
        .any(|w| w.message.contains("nest too deeply")));
}

#[test]
fn inline_nesting_deeper_than_the_parser_allows_is_an_error_not_a_crash() {
    // Written as text: a value this deep cannot even be dropped on a test thread's stack.
    let depth = 2_000;
    let schema = format!(
        "{}{{\"type\": \"string\"}}{}",
        "{\"type\": \"object\", \"properties\": {\"child\": ".repeat(depth),
        "}}".repeat(depth)
    );
    let text = document(Map::new()).replacen(
        "\"schemas\":{}",
        &format!("\"schemas\":{{\"S0\":{schema}}}"),
        1,
    );
    assert!(text.len() > depth * 40);
    match generate(text) {
        Err(e) => assert!(e.to_string().contains("hostile.json"), "{e}"),
        Ok((api, _)) => assert!(!api.warnings.is_empty()),
    }
}

#[test]
fn all_of_reusing_a_schema_at_every_level_is_linear() {
    // S_i: allOf [S_{i+1}, S_{i+1}]: 2^1000 paths through the document, 1000 schemas.
    let mut schemas = Map::new();
    for i in 0..1_000 {
        let next = json!({"$ref": format!("#/components/schemas/S{}", i + 1)});
        schemas.insert(format!("S{i}"), json!({"allOf": [next.clone(), next]}));
    }
    schemas.insert(
        "S1000".into(),
        json!({"type": "object", "properties": {"x": {"type": "string"}}}),
    );
    let (api, _) = generate(document(schemas)).expect("a client");
    assert!(api.types.get("S0").is_some());
    // 1000 levels of allOf are past the merge depth: kept as JSON, with a warning.
    assert!(
        api.warnings
            .iter()
            .any(|w| w.message.contains("allOf nesting")),
        "{:?}",
        api.warnings
    );

    // At a depth the merge accepts, the result is the one struct with the one property.
    let mut schemas = Map::new();
    for i in 0..24 {
        let next = json!({"$ref": format!("#/components/schemas/S{}", i + 1)});
        schemas.insert(format!("S{i}"), json!({"allOf": [next.clone(), next]}));
    }
    schemas.insert(
        "S24".into(),
        json!({"type": "object", "properties": {"x": {"type": "string"}}}),
    );
    let (api, _) = generate(document(schemas)).expect("a client");
    let okgen::ir::TypeKind::Struct(s) = &api.types["S0"].kind else {
        panic!("{:?}", api.types["S0"])
    };
    let names: Vec<&str> = s.fields.iter().map(|f| f.json_name.as_str()).collect();
    assert_eq!(names, ["x"]);
    assert!(api.warnings.is_empty(), "{:?}", api.warnings);
}

/// A schema nested `levels` deep (through `properties`, `items`, `allOf`, `oneOf`, `anyOf` and
/// `additionalProperties` in turn) around one whose `minLength` is a string, in the document of
/// [`document`] as `S0`: the document, and the pointer of the innermost schema.
fn deep_refused_schema(levels: usize) -> (Value, String) {
    let mut schema = json!({"type": "string", "minLength": "x"});
    // The tokens from the outermost schema to the innermost, built from the inside out.
    let mut tokens: Vec<&str> = Vec::new();
    for level in 0..levels {
        let (wrapped, path): (Value, &[&str]) = match level % 6 {
            0 => (
                json!({"type": "object", "properties": {"next": schema}}),
                &["next", "properties"],
            ),
            1 => (json!({"type": "array", "items": schema}), &["items"]),
            2 => (json!({"allOf": [schema]}), &["0", "allOf"]),
            3 => (
                json!({"oneOf": [{"type": "integer"}, schema]}),
                &["1", "oneOf"],
            ),
            4 => (
                json!({"anyOf": [schema], "description": "a level"}),
                &["0", "anyOf"],
            ),
            _ => (
                json!({"type": "object", "additionalProperties": schema}),
                &["additionalProperties"],
            ),
        };
        schema = wrapped;
        tokens.extend(path);
    }
    tokens.reverse();
    let innermost = format!("/components/schemas/S0/{}", tokens.join("/"));
    // (Not through the text of `document`: reading it back would stop at 128 levels.)
    let mut doc: Value =
        serde_json::from_str(&document(Map::new())).expect("the document without S0");
    doc["components"]["schemas"]["S0"] = schema;
    (doc, innermost)
}

#[test]
fn a_refused_keyword_two_hundred_schemas_deep_is_found_in_linear_time() {
    // The typed parse once retried every level of such a schema twice: 2^200 parses, a run
    // that would never finish. (Built in memory: the JSON and YAML readers stop at 128 levels.)
    std::thread::Builder::new()
        .stack_size(8 << 20)
        .spawn(|| {
            let (doc, innermost) = deep_refused_schema(200);
            let text = serde_json::to_string_pretty(&doc).expect("JSON");
            let load = |mode| {
                okgen::load::from_raw_with("hostile.json".into(), text.clone(), doc.clone(), mode)
            };

            let lenient = load(okgen::Mode::Lenient).expect("lenient mode loads it");
            let warnings: Vec<String> = lenient.warnings.iter().map(|w| w.to_string()).collect();
            assert_eq!(lenient.warnings.len(), 1, "{warnings:#?}");
            let warning = &lenient.warnings[0];
            assert_eq!(
                warning.location.pointer.as_deref(),
                Some(innermost.as_str())
            );
            assert!(
                warning.message.contains(
                    "invalid type: string \"x\", expected usize; the schema is read as any JSON"
                ),
                "{}",
                warning.message
            );
            // The rest of the document is kept: the innermost schema alone became `{}`.
            assert_eq!(
                lenient.raw.pointer(&innermost),
                Some(&json!({})),
                "the innermost schema"
            );
            assert!(okgen::lower_document(&lenient, &okgen::Selection::default()).is_ok());

            let strict = load(okgen::Mode::Strict).expect_err("strict mode refuses it");
            let okgen::Error::Spec {
                location, message, ..
            } = &strict
            else {
                panic!("{strict}")
            };
            assert_eq!(
                location.pointer.as_deref(),
                Some(format!("{innermost}/minLength").as_str())
            );
            assert!(
                message.contains("`minLength` is the string \"x\", but must be a whole number"),
                "{message}"
            );
        })
        .expect("thread")
        .join()
        .unwrap_or_else(|_| panic!("the load panicked"));
}
