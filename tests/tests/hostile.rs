//! Hostile documents: malformed path templates, and what a valid template's request is sent to.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use okgen::ir::{ParamLocation, PathPart};
use okgen::{Error, Mode};
use okgen_tests::{fixture, lower_yaml, lower_yaml_lenient};
use serde_json::json;

/// A `GET` at `path` declaring the path parameters `params`.
fn get(path: &str, id: &str, params: &[&str]) -> String {
    let mut out = format!("  '{path}':\n    get:\n      operationId: {id}\n");
    if !params.is_empty() {
        out.push_str("      parameters:\n");
        for p in params {
            out.push_str(&format!(
                "        - name: '{p}'\n          in: path\n          required: true\n          schema: {{type: string}}\n"
            ));
        }
    }
    out.push_str("      responses:\n        '204':\n          description: done\n");
    out
}

/// Malformed templates, the parameters they declare, and what the error says.
const MALFORMED: &[(&str, &[&str], &str)] = &[
    ("/a/{id", &["id"], "`{` at byte 3 is never closed"),
    ("/a/{}", &[], "`{}` at byte 3 names no parameter"),
    (
        "/a/{{id}}",
        &["id"],
        "`{` at byte 4 is inside the parameter opened at byte 3",
    ),
    (
        "/a/{i{d}}/b",
        &["d"],
        "`{` at byte 5 is inside the parameter opened at byte 3",
    ),
    ("/a/id}", &[], "`}` at byte 5 has no `{` before it"),
    ("/a/{id}}", &["id"], "`}` at byte 7 has no `{` before it"),
];

fn pointer_of(path: &str) -> String {
    format!("/paths/{}", okgen::pointer::escape(path))
}

#[test]
fn a_malformed_path_template_is_an_error_naming_the_paths_pointer() {
    for (path, params, problem) in MALFORMED {
        let text = fixture(&get(path, "bad", params), "  schemas: {}");
        let err = lower_yaml(&text).expect_err(path);
        let Error::Spec { location, .. } = &err else {
            panic!("{path}: {err:?}")
        };
        assert_eq!(
            location.pointer.as_deref(),
            Some(pointer_of(path).as_str()),
            "{err}"
        );
        assert!(location.line.is_some(), "{path}: the line is named: {err}");
        let message = err.to_string();
        assert!(
            message.contains(&format!("path template {path:?} is malformed: {problem}")),
            "{message}"
        );
    }
}

#[test]
fn in_lenient_mode_an_operation_with_a_malformed_template_is_left_out_with_a_warning() {
    for (path, params, problem) in MALFORMED {
        let paths = format!(
            "{}{}",
            get(path, "bad", params),
            get("/good/{id}", "good", &["id"])
        );
        let api = lower_yaml_lenient(&fixture(&paths, "  schemas: {}")).expect(path);
        let names: Vec<&str> = api.operations.iter().map(|o| o.name.as_str()).collect();
        assert_eq!(names, ["good"], "{path}: only the good operation stays");
        assert_eq!(api.warnings.len(), 1, "{path}: {:?}", api.warnings);
        let warning = &api.warnings[0];
        assert_eq!(
            warning.location.pointer.as_deref(),
            Some(pointer_of(path).as_str())
        );
        let text = warning.to_string();
        assert!(text.contains(problem), "{text}");
        assert!(
            text.contains(&format!("the operation `GET {path}` was left out")),
            "{text}"
        );
    }
}

#[test]
fn strict_mode_refuses_the_same_document() {
    let paths = format!(
        "{}{}",
        get("/a/{id", "bad", &["id"]),
        get("/good/{id}", "good", &["id"])
    );
    let doc = okgen::load::parse_with(
        "fixture.yaml",
        fixture(&paths, "  schemas: {}"),
        Mode::Strict,
    )
    .expect("the document loads");
    let err = okgen::lower_document(&doc, &okgen::Selection::default()).expect_err("strict");
    assert!(err.to_string().contains("is never closed"), "{err}");
}

#[test]
fn a_valid_template_is_parsed_once_into_literals_and_parameters() {
    let paths = get("/a/{x}/b{y}.json/{x}", "odd", &["y", "x"]);
    let api = lower_yaml(&fixture(&paths, "  schemas: {}")).expect("valid");
    let op = &api.operations[0];
    assert_eq!(op.path, "/a/{x}/b{y}.json/{x}");
    let wire: Vec<&str> = op.params.iter().map(|p| p.wire_name.as_str()).collect();
    assert_eq!(wire, ["x", "y"], "path parameters in template order");
    assert!(op.params.iter().all(|p| p.location == ParamLocation::Path));
    assert_eq!(
        op.path_parts,
        [
            PathPart::Literal("/a/".into()),
            PathPart::Param(0),
            PathPart::Literal("/b".into()),
            PathPart::Param(1),
            PathPart::Literal(".json/".into()),
            PathPart::Param(0),
        ]
    );
    let plain = lower_yaml(&fixture(&get("/plain", "plain", &[]), "  schemas: {}")).expect("valid");
    assert_eq!(
        plain.operations[0].path_parts,
        [PathPart::Literal("/plain".into())]
    );
}

#[tokio::test]
async fn a_valid_templates_request_goes_to_its_path() {
    use okgen_tests::fixtures::tricky::{Auth, Client};
    let server = wiremock::MockServer::start().await;
    wiremock::Mock::given(wiremock::matchers::any())
        .respond_with(wiremock::ResponseTemplate::new(200).set_body_json(json!({})))
        .mount(&server)
        .await;
    let client = Client::new(&server.uri(), Auth::None).expect("client");
    // `/things/{type}/{self}`: both parameters, each encoded as one segment, in their places.
    // (The answer does not matter here, only where the request went.)
    let _ = client.new2("a b/c", 7, true).await;
    let requests = server.received_requests().await.expect("recording is on");
    assert_eq!(requests.len(), 1);
    assert_eq!(requests[0].url.path(), "/things/a%20b%2Fc/7");
}

#[test]
fn a_costly_overlay_target_on_oktas_document_is_refused_naming_the_action() {
    let Some(spec) = okgen_tests::official_document("management-minimal.yaml") else {
        return;
    };
    let dir = okgen_tests::workspace().join(format!(
        "target/okgen-fixtures/costly-overlay-{}",
        std::process::id()
    ));
    std::fs::create_dir_all(&dir).expect("dir");
    let overlay = dir.join("overlay.yaml");
    std::fs::write(
        &overlay,
        "overlay: 1.0.0\ninfo: {title: t, version: '1'}\nactions:\n  - target: $.info\n    update: {x-ok: true}\n  - target: $..*..*..*..*..*\n    update: {}\n",
    )
    .expect("write");
    let mut config = okgen::Config::new(&spec);
    config.overlay(&overlay);
    let err = config.load().map(drop).map_err(|e| e.to_string());
    std::fs::remove_dir_all(&dir).ok();
    let Err(err) = err else {
        panic!("a target that multiplies the document's nodes is refused")
    };
    assert!(err.contains("overlay.yaml at #/actions/1"), "{err}");
    assert!(
        err.contains("action 1: target \"$..*..*..*..*..*\" is too costly to evaluate"),
        "{err}"
    );
}
