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
