//! Malformed and unsupported specs give errors that name the file, the JSON pointer and (in
//! YAML) the line, and never panic.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use okgen::{Error, Location};
use okgen_tests::{fixture, lower_yaml, workspace};

fn location(err: &Error) -> &Location {
    match err {
        Error::Spec { location, .. }
        | Error::Syntax { location, .. }
        | Error::Config { location, .. } => location,
        other => panic!("expected an error with a location, got {other:?}"),
    }
}

const GET_USER: &str = "  /users/{id}:\n    get:\n      operationId: getUser\n      parameters:\n        - name: id\n          in: path\n          required: true\n          schema:\n            type: string\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema:\n                $ref: '#/components/schemas/User'";

#[test]
fn bad_yaml_names_file_line_and_column() {
    let err = okgen::load::parse(
        "broken.yaml",
        "openapi: 3.0.3\ninfo:\n  title: [unclosed\n  version: 1\n",
    )
    .expect_err("bad YAML");
    let Error::Syntax {
        location, format, ..
    } = &err
    else {
        panic!("{err:?}")
    };
    assert_eq!(*format, "YAML");
    assert_eq!(location.file.to_str(), Some("broken.yaml"));
    assert!(location.line.is_some_and(|l| l >= 3), "{err}");
    assert!(err.to_string().starts_with("broken.yaml:"), "{err}");
}

#[test]
fn bad_json_names_file_and_line() {
    let err = okgen::load::parse(
        "broken.json",
        "{\n  \"openapi\": \"3.0.3\",\n  \"info\": }\n",
    )
    .expect_err("bad JSON");
    assert_eq!(location(&err).line, Some(3), "{err}");
    assert!(err.to_string().contains("not valid JSON"), "{err}");
}

#[test]
fn a_dangling_ref_names_the_pointer_and_line_of_the_ref() {
    let text = fixture(GET_USER, "  schemas:\n    Person:\n      type: object\n");
    let err = lower_yaml(&text).expect_err("dangling $ref");
    let loc = location(&err);
    assert_eq!(
        loc.pointer.as_deref(),
        Some("/paths/~1users~1{id}/get/responses/200/content/application~1json/schema/$ref")
    );
    let line = text
        .lines()
        .position(|l| l.contains("$ref: '#/components/schemas/User'"))
        .map(|i| i + 1);
    assert_eq!(loc.line, line);
    let message = err.to_string();
    assert!(message.contains("components/schemas/User"), "{message}");
    assert!(message.contains("fixture.yaml:"), "{message}");
}

#[test]
fn unsupported_schema_constructs_name_their_pointer() {
    let text = fixture(
        GET_USER,
        "  schemas:\n    User:\n      type: object\n      properties:\n        age:\n          not:\n            type: string\n",
    );
    let err = lower_yaml(&text).expect_err("`not` is unsupported");
    assert_eq!(
        location(&err).pointer.as_deref(),
        Some("/components/schemas/User/properties/age")
    );
    assert!(
        err.to_string().contains("`not` schemas are not supported"),
        "{err}"
    );
}

#[test]
fn external_refs_are_refused_with_a_hint() {
    let text = fixture(
        GET_USER,
        "  schemas:\n    User:\n      $ref: 'other.yaml#/User'\n",
    );
    let err = lower_yaml(&text).expect_err("external $ref");
    assert_eq!(
        location(&err).pointer.as_deref(),
        Some("/components/schemas/User/$ref")
    );
    let Error::Spec { message, hint, .. } = &err else {
        panic!("{err:?}")
    };
    assert!(message.contains("external $ref"), "{message}");
    assert!(hint.as_deref().is_some_and(|h| h.contains("bundle")));
}

#[test]
fn cookie_parameters_are_refused() {
    let paths = "  /a:\n    get:\n      operationId: a\n      parameters:\n        - name: session\n          in: cookie\n          schema:\n            type: string\n      responses:\n        '204':\n          description: none";
    let err = lower_yaml(&fixture(paths, "  schemas: {}")).expect_err("cookie");
    assert_eq!(
        location(&err).pointer.as_deref(),
        Some("/paths/~1a/get/parameters/0")
    );
    assert!(
        err.to_string().contains("cookie parameter `session`"),
        "{err}"
    );
}

#[test]
fn a_path_template_without_its_parameter_is_an_error() {
    let paths = "  /a/{id}:\n    get:\n      operationId: a\n      responses:\n        '204':\n          description: none";
    let err = lower_yaml(&fixture(paths, "  schemas: {}")).expect_err("missing path param");
    assert_eq!(
        location(&err).pointer.as_deref(),
        Some("/paths/~1a~1{id}/get")
    );
    assert!(err.to_string().contains("uses {id}"), "{err}");
}

#[test]
fn a_structurally_invalid_document_names_the_pointer() {
    let text = fixture("  /a:\n    get:\n      responses: 7", "  schemas: {}");
    let err = lower_yaml(&text).expect_err("responses must be a map");
    let loc = location(&err);
    assert_eq!(
        loc.pointer.as_deref(),
        Some("/paths/~1a/get/responses"),
        "{err}"
    );
    assert!(
        err.to_string().contains("not a valid OpenAPI 3.0 document"),
        "{err}"
    );
}

#[test]
fn other_openapi_versions_are_refused() {
    let err = okgen::load::parse(
        "swagger.yaml",
        "swagger: '2.0'\ninfo: {title: x, version: '1'}\npaths: {}\n",
    )
    .expect_err("Swagger 2");
    assert_eq!(location(&err).pointer.as_deref(), Some("/openapi"));
    let err = okgen::load::parse(
        "v31.yaml",
        "openapi: 3.1.0\ninfo: {title: x, version: '1'}\npaths: {}\n",
    )
    .expect_err("3.1");
    assert!(
        err.to_string().contains("\"3.1.0\" is not supported"),
        "{err}"
    );
}

#[test]
fn a_selection_that_matches_nothing_is_an_error() {
    let doc = okgen::load::parse(
        "fixture.yaml",
        fixture(GET_USER, "  schemas:\n    User:\n      type: object"),
    )
    .expect("valid");
    let selection = okgen::Selection {
        tags: vec!["Nope".into()],
        ..Default::default()
    };
    let err = okgen::lower_document(&doc, &selection).expect_err("no match");
    assert!(
        err.to_string()
            .contains("the selection matches no operation: tags [Nope]"),
        "{err}"
    );
    assert!(
        !err.to_string().contains("Selection {"),
        "no Debug format: {err}"
    );
}

#[test]
fn a_config_whose_selection_matches_nothing_names_the_file_and_its_keys() {
    let dir = workspace().join(format!(
        "target/okgen-fixtures/empty-selection-{}",
        std::process::id()
    ));
    std::fs::create_dir_all(&dir).expect("dir");
    std::fs::write(
        dir.join("api.yaml"),
        fixture(GET_USER, "  schemas:\n    User:\n      type: object"),
    )
    .expect("write");
    let path = dir.join("codegen.yaml");
    std::fs::write(
        &path,
        "spec: api.yaml\n\nselect:\n  tags: [Foo]\n  operationIds: [bar, getUsr]\n",
    )
    .expect("write");
    let config = okgen::Config::from_file(&path).expect("the file is valid");
    let err = okgen::generate_source(&config).expect_err("nothing selected");
    let check = okgen::check_examples(&config).expect_err("nothing selected");
    std::fs::remove_dir_all(&dir).ok();

    let loc = location(&err);
    assert_eq!(loc.file, path, "{err}");
    assert_eq!(loc.pointer.as_deref(), Some("/select"), "{err}");
    assert_eq!(loc.line, Some(3), "{err}");
    let message = err.to_string();
    assert!(
        message.contains("select matches no operation of")
            && message
                .contains("api.yaml: tags [Foo], operationIds [bar, getUsr] — check the names"),
        "{message}"
    );
    assert!(
        !message.contains("Selection {"),
        "no Debug format: {message}"
    );
    assert_eq!(check.to_string(), message);
}

#[test]
fn a_missing_spec_file_names_the_path() {
    let err =
        okgen::generate_source(&okgen::Config::new("/nonexistent/spec.yaml")).expect_err("missing");
    assert!(matches!(err, Error::Read { .. }), "{err:?}");
    assert!(
        err.to_string()
            .starts_with("/nonexistent/spec.yaml: cannot read file"),
        "{err}"
    );
}

#[test]
fn a_bad_config_file_names_the_file_and_line() {
    let dir = workspace().join(format!(
        "target/okgen-fixtures/bad-config-{}",
        std::process::id()
    ));
    std::fs::create_dir_all(&dir).expect("dir");
    let path = dir.join("codegen.yaml");
    std::fs::write(&path, "spec: api.yaml\nselect:\n  tagz: [A]\n").expect("write");
    let err = okgen::Config::from_file(&path).expect_err("unknown key");
    std::fs::write(&path, "spec: api.yaml\noutput: ../escape.rs\n").expect("write");
    let escape = okgen::Config::from_file(&path).expect_err("output must be a file name");
    std::fs::remove_dir_all(&dir).ok();

    let loc = location(&err);
    assert_eq!(loc.file, path);
    assert_eq!(loc.line, Some(3), "{err}");
    assert!(err.to_string().contains("unknown field `tagz`"), "{err}");
    assert!(escape.to_string().contains("plain file name"), "{escape}");
}

#[test]
fn generate_outside_a_build_script_without_out_dir_is_an_error_not_a_panic() {
    if std::env::var_os("OUT_DIR").is_some() {
        return; // Only meaningful where cargo did not set OUT_DIR for this test binary.
    }
    let mut config = okgen_tests::spec_config();
    config.emit_rerun_if_changed(false);
    let err = config.generate().expect_err("no OUT_DIR");
    assert!(err.to_string().contains("OUT_DIR is not set"), "{err}");
}
