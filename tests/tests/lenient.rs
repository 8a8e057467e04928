//! Lenient and strict mode: a document with a mistake in one place still yields a client, with
//! a warning that names the file, the line, the JSON pointer and the reason; strict mode
//! refuses the same document with that warning as its error.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use okgen::ir::Api;
use okgen::{Error, Warning};
use okgen_tests::{fixture, lower_yaml, lower_yaml_lenient};

/// A healthy operation beside the broken one: it must always be generated.
const HEALTHY: &str = "  /ok:\n    get:\n      operationId: healthy\n      responses:\n        '204':\n          description: none\n";

fn lenient(paths: &str, components: &str) -> (String, Api) {
    let text = fixture(&format!("{HEALTHY}{paths}"), components);
    let api = lower_yaml_lenient(&text).unwrap_or_else(|e| panic!("lenient mode refused: {e}"));
    (text, api)
}

fn strict_error(paths: &str, components: &str) -> Error {
    let text = fixture(&format!("{HEALTHY}{paths}"), components);
    lower_yaml(&text).expect_err("strict mode refuses")
}

fn operations(api: &Api) -> Vec<&str> {
    api.operations
        .iter()
        .map(|o| o.operation_id.as_str())
        .collect()
}

fn only_warning(api: &Api) -> &Warning {
    assert_eq!(api.warnings.len(), 1, "{:#?}", api.warnings);
    &api.warnings[0]
}

/// The 1-based line of the first line of `text` containing `needle`.
fn line_of(text: &str, needle: &str) -> Option<usize> {
    text.lines().position(|l| l.contains(needle)).map(|i| i + 1)
}

#[test]
fn a_query_parameter_with_style_simple_costs_its_operation_only() {
    let paths = "  /teams:\n    get:\n      operationId: listTeams\n      parameters:\n        - name: q\n          in: query\n          style: simple\n          schema:\n            type: string\n      responses:\n        '204':\n          description: none\n";
    let (text, api) = lenient(paths, "  schemas: {}");
    assert_eq!(operations(&api), ["healthy"]);
    let w = only_warning(&api);
    assert_eq!(
        w.location.pointer.as_deref(),
        Some("/paths/~1teams/get/parameters/0")
    );
    assert_eq!(w.location.line, line_of(&text, "- name: q"));
    assert_eq!(w.location.file.to_str(), Some("fixture.yaml"));
    assert!(w.message.contains("unknown variant `simple`"), "{w}");
    assert!(w.message.contains("operation"), "{w}");
    let shown = w.to_string();
    assert!(shown.starts_with("fixture.yaml:"), "{shown}");

    let err = strict_error(paths, "  schemas: {}");
    assert!(
        err.to_string().contains("unknown variant `simple`"),
        "{err}"
    );
}

#[test]
fn a_description_written_as_a_map_is_dropped_and_nothing_else() {
    let paths = "  /teams:\n    description:\n      text: a map, not a string\n    get:\n      operationId: listTeams\n      responses:\n        '204':\n          description: none\n";
    let (_, api) = lenient(paths, "  schemas: {}");
    assert_eq!(operations(&api), ["healthy", "listTeams"]);
    let w = only_warning(&api);
    assert_eq!(
        w.location.pointer.as_deref(),
        Some("/paths/~1teams/description")
    );
    assert!(w.message.contains("only documents"), "{w}");
    assert!(strict_error(paths, "  schemas: {}")
        .to_string()
        .contains("expected a string"));
}

#[test]
fn a_request_body_without_media_types_costs_the_body_only() {
    let paths = "  /teams:\n    post:\n      operationId: createTeam\n      requestBody:\n        content: {}\n      responses:\n        '204':\n          description: none\n";
    let (_, api) = lenient(paths, "  schemas: {}");
    assert_eq!(operations(&api), ["createTeam", "healthy"]);
    let create = &api.operations[0];
    assert!(create.body.is_none());
    let w = only_warning(&api);
    assert_eq!(
        w.location.pointer.as_deref(),
        Some("/paths/~1teams/post/requestBody/content")
    );
    assert!(w.message.contains("request body was left out"), "{w}");
    assert!(strict_error(paths, "  schemas: {}")
        .to_string()
        .contains("declares no media type"));
}

#[test]
fn an_operation_written_as_a_ref_is_left_out() {
    let paths = "  /teams:\n    get:\n      $ref: '#/paths/~1ok/get'\n";
    let (_, api) = lenient(paths, "  schemas: {}");
    assert_eq!(operations(&api), ["healthy"]);
    let w = only_warning(&api);
    assert_eq!(w.location.pointer.as_deref(), Some("/paths/~1teams/get"));
    assert!(w.message.contains("left out"), "{w}");
    strict_error(paths, "  schemas: {}");
}

#[test]
fn a_schema_the_typed_parse_refuses_is_kept_as_json() {
    let paths = "  /teams:\n    get:\n      operationId: getTeam\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema:\n                $ref: '#/components/schemas/Team'\n";
    let components = "  schemas:\n    Team:\n      type: object\n      properties:\n        name:\n          type: string\n        size:\n          type: integer\n          minimum: not-a-number\n";
    let (_, api) = lenient(paths, components);
    assert_eq!(operations(&api), ["getTeam", "healthy"]);
    // The rest of the schema is still typed: only the refused property became JSON.
    let okgen::ir::TypeKind::Struct(team) = &api.types["Team"].kind else {
        panic!("{:?}", api.types["Team"])
    };
    let size = team.fields.iter().find(|f| f.json_name == "size").unwrap();
    let name = team.fields.iter().find(|f| f.json_name == "name").unwrap();
    assert_eq!(name.ty, okgen::ir::TypeRef::String);
    assert_eq!(size.ty, okgen::ir::TypeRef::Value);
    let w = only_warning(&api);
    assert!(
        w.location
            .pointer
            .as_deref()
            .is_some_and(|p| p.starts_with("/components/schemas/Team/properties/size")),
        "{w}"
    );
    strict_error(paths, components);
}

#[test]
fn a_dangling_ref_costs_the_operation_that_uses_it() {
    let paths = "  /teams:\n    get:\n      operationId: getTeam\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema:\n                $ref: '#/components/schemas/Nope'\n";
    let (_, api) = lenient(paths, "  schemas: {}");
    assert_eq!(operations(&api), ["healthy"]);
    let w = only_warning(&api);
    assert!(w.message.contains("points at nothing"), "{w}");
    assert!(w.message.contains("`GET /teams` was left out"), "{w}");
}

#[test]
fn an_unsupported_optional_parameter_costs_the_parameter_only() {
    let paths = "  /teams:\n    get:\n      operationId: listTeams\n      parameters:\n        - name: session\n          in: cookie\n          schema:\n            type: string\n        - name: limit\n          in: query\n          schema:\n            type: integer\n      responses:\n        '204':\n          description: none\n";
    let (_, api) = lenient(paths, "  schemas: {}");
    let list = api
        .operations
        .iter()
        .find(|o| o.operation_id == "listTeams")
        .unwrap();
    let params: Vec<&str> = list.params.iter().map(|p| p.wire_name.as_str()).collect();
    assert_eq!(params, ["limit"]);
    assert!(only_warning(&api)
        .message
        .contains("optional parameter `session` was left out"));
}

#[test]
fn strict_mode_comes_from_the_config_file_and_the_builder() {
    let dir = std::env::temp_dir().join(format!("okgen-lenient-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let spec = dir.join("spec.yaml");
    let paths = "  /teams:\n    get:\n      operationId: listTeams\n      parameters:\n        - name: q\n          in: query\n          style: simple\n          schema:\n            type: string\n      responses:\n        '204':\n          description: none\n";
    std::fs::write(
        &spec,
        fixture(&format!("{HEALTHY}{paths}"), "  schemas: {}"),
    )
    .unwrap();
    std::fs::write(dir.join("lenient.yaml"), "spec: spec.yaml\n").unwrap();
    std::fs::write(dir.join("strict.yaml"), "spec: spec.yaml\nstrict: true\n").unwrap();

    let lenient = okgen::Config::from_file(dir.join("lenient.yaml")).unwrap();
    let generated = okgen::generate_source(&lenient).expect("lenient generates");
    assert_eq!(generated.warnings.len(), 1);
    assert!(generated.source.contains("fn healthy"));

    let strict = okgen::Config::from_file(dir.join("strict.yaml")).unwrap();
    assert_eq!(strict.mode(), okgen::Mode::Strict);
    assert!(okgen::generate_source(&strict).is_err());

    let mut built = okgen::Config::new(&spec);
    built.strict(true);
    assert!(okgen::generate_source(&built).is_err());
    let _ = std::fs::remove_dir_all(&dir);
}
