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
        "v4.yaml",
        "openapi: 4.0.0\ninfo: {title: x, version: '1'}\npaths: {}\n",
    )
    .expect_err("4.0");
    assert_eq!(location(&err).pointer.as_deref(), Some("/openapi"));
    assert_eq!(location(&err).line, Some(1));
    assert!(
        err.to_string().contains("\"4.0.0\" is not supported"),
        "{err}"
    );
    let err = okgen::load::parse("none.yaml", "info: {title: x, version: '1'}\npaths: {}\n")
        .expect_err("no version");
    assert!(
        err.to_string().contains("missing `openapi` version field"),
        "{err}"
    );
    // 3.1 is read (see tests/openapi31.rs).
    okgen::load::parse(
        "v31.yaml",
        "openapi: 3.1.0\ninfo: {title: x, version: '1'}\npaths: {}\n",
    )
    .expect("3.1 is read");
}

#[test]
fn swagger_2_is_named_with_what_to_do() {
    let err = okgen::load::parse(
        "swagger.yaml",
        "info: {title: x, version: '1'}\nswagger: '2.0'\npaths: {}\n",
    )
    .expect_err("Swagger 2");
    let loc = location(&err);
    assert_eq!(loc.pointer.as_deref(), Some("/swagger"));
    assert_eq!(loc.line, Some(2));
    let Error::Spec { message, hint, .. } = &err else {
        panic!("{err:?}")
    };
    assert!(message.contains("Swagger 2.0 document"), "{message}");
    assert!(!message.contains("missing"), "{message}");
    let hint = hint.as_deref().unwrap_or_default();
    assert!(
        hint.contains("swagger2openapi") && hint.contains("Swagger Editor"),
        "{hint}"
    );
}

#[test]
fn a_version_written_as_a_number_is_read_with_a_warning_and_refused_in_strict_mode() {
    let text = "openapi: 3.0\ninfo: {title: x, version: '1'}\npaths: {}\n";
    let doc = okgen::load::parse_with("n.yaml", text, okgen::Mode::Lenient).expect("lenient");
    assert_eq!(doc.api.openapi, "3.0");
    let [warning] = doc.warnings.as_slice() else {
        panic!("{:?}", doc.warnings)
    };
    assert_eq!(warning.location.line, Some(1));
    assert!(
        warning.message.contains("is the number 3.0, not a string"),
        "{warning}"
    );
    assert!(
        warning
            .hint
            .as_deref()
            .is_some_and(|h| h.contains("`openapi: \"3.0.3\"`")),
        "{warning}"
    );
    let err = okgen::load::parse_with("n.yaml", text, okgen::Mode::Strict).expect_err("strict");
    assert_eq!(location(&err).pointer.as_deref(), Some("/openapi"));
    assert!(err.to_string().contains("not a string"), "{err}");
}

#[test]
fn json_documents_name_lines_too() {
    let text = r##"{
  "openapi": "3.0.3",
  "info": {"title": "x", "version": "1"},
  "paths": {
    "/a": {
      "get": {
        "operationId": "a",
        "responses": {
          "200": {
            "description": "ok",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Nope"
                }
              }
            }
          }
        }
      }
    }
  }
}
"##;
    let doc = okgen::load::parse_with("api.json", text, okgen::Mode::Strict).expect("loads");
    let err = okgen::lower_document(&doc, &okgen::Selection::default()).expect_err("dangling");
    let loc = location(&err);
    assert_eq!(
        loc.pointer.as_deref(),
        Some("/paths/~1a/get/responses/200/content/application~1json/schema/$ref")
    );
    assert_eq!(loc.line, Some(14), "{err}");
    assert!(
        err.to_string().starts_with("api.json:14 at #/paths"),
        "{err}"
    );
}

#[test]
fn a_sequence_at_its_keys_indent_keeps_its_line() {
    let paths = "  /a:\n    get:\n      operationId: a\n      parameters:\n      - name: q\n        in: query\n        schema: {type: string}\n      - name: session\n        in: cookie\n        schema:\n          type: string\n      responses:\n        '204':\n          description: none";
    let text = fixture(paths, "  schemas: {}");
    let err = lower_yaml(&text).expect_err("cookie");
    let loc = location(&err);
    assert_eq!(loc.pointer.as_deref(), Some("/paths/~1a/get/parameters/1"));
    let line = text
        .lines()
        .position(|l| l == "      - name: session")
        .map(|i| i + 1);
    assert_eq!(loc.line, line, "{err}");
}

#[test]
fn a_control_character_is_reported_at_its_line() {
    let err = okgen::load::parse(
        "ctl.yaml",
        "openapi: 3.0.3\ninfo:\n  title: x\n  description: a\u{7}b\n  version: '1'\n",
    )
    .expect_err("control character");
    let loc = location(&err);
    // serde_yaml says line 1, column 1 ("at position 42").
    assert_eq!((loc.line, loc.column), (Some(4), Some(17)), "{err}");
    assert!(err.to_string().contains("U+0007"), "{err}");
    assert!(err.to_string().starts_with("ctl.yaml:4:17: "), "{err}");
}

#[test]
fn yaml_merge_keys_are_honoured() {
    let components = "  schemas:\n    Base: &base\n      type: object\n      required: [id]\n      properties:\n        id: {type: string}\n        name: {type: string}\n    User:\n      <<: *base\n      description: A user, built from Base.\n";
    let api = lower_yaml(&fixture(GET_USER, components)).expect("lowers");
    let user = &api.types["User"];
    assert_eq!(user.doc.as_deref(), Some("A user, built from Base."));
    let okgen::ir::TypeKind::Struct(s) = &user.kind else {
        panic!("User is a struct: {:?}", user.kind)
    };
    let fields: Vec<_> = s
        .fields
        .iter()
        .map(|f| (f.json_name.as_str(), f.required))
        .collect();
    assert_eq!(fields, [("id", true), ("name", false)]);

    // The mapping's own keys win over merged ones; a list merges in order, first wins.
    let doc = okgen::load::parse(
        "m.yaml",
        "openapi: 3.0.3\ninfo: {title: x, version: '1'}\npaths: {}\nx-a: &a {p: 1, q: 1}\nx-b: &b {q: 2, r: 2}\nx-c:\n  <<: [*a, *b]\n  p: 3\n",
    )
    .expect("loads");
    assert_eq!(doc.raw["x-c"], serde_json::json!({"q": 1, "r": 2, "p": 3}));

    let err = okgen::load::parse(
        "m.yaml",
        "openapi: 3.0.3\ninfo: {title: x, version: '1'}\npaths: {}\nx-c:\n  <<: 7\n",
    )
    .expect_err("a scalar cannot be merged");
    let loc = location(&err);
    assert_eq!(
        (loc.pointer.as_deref(), loc.line),
        (Some("/x-c/<<"), Some(5))
    );
    assert!(err.to_string().contains("merge key"), "{err}");
}

#[test]
fn a_wrong_type_points_at_the_keyword() {
    let text = fixture(
        GET_USER,
        "  schemas:\n    User:\n      type: object\n      properties:\n        age:\n          type: 7\n",
    );
    let err = lower_yaml(&text).expect_err("type: 7");
    let loc = location(&err);
    assert_eq!(
        loc.pointer.as_deref(),
        Some("/components/schemas/User/properties/age/type")
    );
    let line = text
        .lines()
        .position(|l| l == "          type: 7")
        .map(|i| i + 1);
    assert_eq!(loc.line, line, "{err}");
    assert!(err.to_string().contains("`type` is the number 7"), "{err}");

    // Inside an operation too, and a 3.1 type list in a 3.0 document says so.
    let paths = "  /a:\n    get:\n      parameters:\n        - name: q\n          in: query\n          schema:\n            type: [string, 'null']\n      responses: {}";
    let err = lower_yaml(&fixture(paths, "  schemas: {}")).expect_err("a type list");
    assert_eq!(
        location(&err).pointer.as_deref(),
        Some("/paths/~1a/get/parameters/0/schema/type")
    );
    assert!(err.to_string().contains("OpenAPI 3.1"), "{err}");
}

#[test]
fn an_object_with_items_says_so() {
    let text = fixture(
        GET_USER,
        "  schemas:\n    User:\n      type: object\n      properties:\n        tags:\n          type: object\n          items:\n            type: string\n",
    );
    let err = lower_yaml(&text).expect_err("object with items");
    assert_eq!(
        location(&err).pointer.as_deref(),
        Some("/components/schemas/User/properties/tags/items")
    );
    let message = err.to_string();
    assert!(message.contains("`type: object` with `items`"), "{message}");
    assert!(!message.contains("unknown schema type"), "{message}");
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

/// A problem in a part of the document an overlay changed names the overlay's action: it is
/// the likelier cause, and the document itself may be fine.
#[test]
fn an_error_an_overlay_caused_names_the_overlay_action() {
    let dir = workspace().join(format!(
        "target/okgen-fixtures/overlay-cause-{}",
        std::process::id()
    ));
    std::fs::create_dir_all(&dir).unwrap();
    let spec = dir.join("spec.yaml");
    std::fs::write(
        &spec,
        fixture(
            GET_USER,
            "  schemas:\n    User:\n      type: object\n      properties:\n        name:\n          type: string\n",
        ),
    )
    .unwrap();
    let cases = [
        // Lowering finds it: a $ref the overlay wrote points at nothing.
        (
            "update:\n      age:\n        $ref: '#/components/schemas/Nope'",
            "points at nothing",
        ),
        // The typed parse finds it: a keyword value the overlay wrote has the wrong type.
        (
            "update:\n      age:\n        type: 7",
            "not a valid OpenAPI 3.0 document",
        ),
    ];
    for (index, (action, problem)) in cases.iter().enumerate() {
        let overlay = dir.join(format!("overlay-{index}.yaml"));
        std::fs::write(
            &overlay,
            format!(
                "overlay: 1.0.0\ninfo:\n  title: t\n  version: '1'\nactions:\n  - target: $.components.schemas.User.properties\n    description: adds age\n    {action}\n"
            ),
        )
        .unwrap();
        for mode in [okgen::Mode::Strict, okgen::Mode::Lenient] {
            let result = okgen::load::load_with(&spec, Some(&overlay), mode).and_then(|doc| {
                okgen::lower_document(&doc, &okgen::Selection::default()).and_then(|api| {
                    // Lenient mode: the same words, in the warning.
                    match api.warnings.first() {
                        Some(w) => Err(w.clone().into_error()),
                        None => Ok(api),
                    }
                })
            });
            let err = result.expect_err("the overlay broke the document");
            let text = err.to_string();
            assert!(text.contains(problem), "{mode:?}: {text}");
            assert!(
                text.contains(&format!("{} at #/actions/0", overlay.display())),
                "{mode:?}: the overlay action is named: {text}"
            );
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
}
