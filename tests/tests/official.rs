//! Okta's own document as the source: the overlay, example conformance (`check`), equivalence
//! with `spec/`, the drift between two releases, and the slice.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::BTreeSet;

use okgen::check::Source;
use okgen::ir::{Api, TypeDef, TypeKind};
use okgen_tests::{official_document, spec_config, workspace};

const TAG: &str = "UserAuthenticatorEnrollments";

fn overlay() -> std::path::PathBuf {
    workspace().join("spec/okta-overlay.yaml")
}

/// The enrollment operations of an official release, with or without our overlay.
fn official(file: &str, with_overlay: bool) -> Option<okgen::Config> {
    let spec = official_document(file)?;
    let mut config = okgen::Config::new(spec);
    config.select_tag(TAG);
    if with_overlay {
        config.overlay(overlay());
    }
    Some(config)
}

/// The public API without documentation text and with fields in name order: what callers
/// compile against.
fn public_api(mut api: Api) -> (Api, Vec<TypeDef>) {
    api.title.clear();
    api.version.clear();
    let mut types: Vec<TypeDef> = api.types.iter().cloned().collect();
    for def in &mut types {
        def.doc = None;
        if let TypeKind::Struct(s) = &mut def.kind {
            for f in &mut s.fields {
                f.doc = None;
                f.default = None;
            }
            s.fields.sort_by(|a, b| a.json_name.cmp(&b.json_name));
        }
    }
    for op in &mut api.operations {
        op.summary = None;
        op.description = None;
        for p in &mut op.params {
            p.doc = None;
        }
        if let Some(b) = &mut op.body {
            b.doc = None;
        }
        for r in &mut op.responses {
            r.description.clear();
        }
    }
    (api, types)
}

#[test]
fn the_official_document_with_the_overlay_gives_the_same_client_as_spec() {
    let Some(mut config) = official("management-minimal.yaml", true) else {
        return;
    };
    // As spec/codegen-official.yaml: the response mode of spec/codegen.yaml.
    config.responses(spec_config().responses_setting());
    let from_official = okgen::generate_source(&config)
        .expect("official + overlay generates")
        .api;
    let from_spec = okgen::generate_source(&spec_config())
        .expect("spec/ generates")
        .api;
    // Intended differences: none beyond documentation text, the document's title, and the
    // order of fields (the overlay appends `nickname` last; field order is not API).
    let ((a, a_types), (b, b_types)) = (public_api(from_official), public_api(from_spec));
    assert_eq!(
        a.types.names().collect::<Vec<_>>(),
        b.types.names().collect::<Vec<_>>(),
        "the same types"
    );
    for (def, other) in a_types.iter().zip(&b_types) {
        assert_eq!(def, other, "type {}", def.name);
    }
    assert_eq!(
        a.operations, b.operations,
        "the same operations, parameters and return types"
    );
}

/// (operation, request or status, example, decode or schema, where) of each finding.
fn findings(config: &okgen::Config) -> BTreeSet<(String, String, String, Source, String)> {
    let report = okgen::check_examples(config).expect("check runs");
    assert_eq!(report.operations, 5);
    assert_eq!(
        report.examples, 24,
        "every example of the five operations is checked"
    );
    report
        .findings
        .into_iter()
        .map(|f| {
            let kind = match f.kind {
                okgen::examples::ExampleKind::Request => "request".to_owned(),
                okgen::examples::ExampleKind::Response(s) => s,
            };
            (f.operation_id, kind, f.example, f.source, f.at)
        })
        .collect()
}

#[test]
fn the_official_codegen_config_switches_the_source_and_generates_the_same_code() {
    if official_document("management-minimal.yaml").is_none() {
        return;
    }
    let config = okgen::Config::from_file(workspace().join("spec/codegen-official.yaml"))
        .expect("config loads");
    assert!(config
        .overlay_path()
        .is_some_and(|p| p.ends_with("okta-overlay.yaml")));
    let inputs = config.input_files();
    assert_eq!(
        inputs.len(),
        3,
        "config, spec and overlay all trigger a rebuild: {inputs:?}"
    );
    let from_config = okgen::generate_source(&config).expect("generates").api;
    let from_spec = okgen::generate_source(&spec_config())
        .expect("spec/ generates")
        .api;
    assert_eq!(
        public_api(from_config).0.operations,
        public_api(from_spec).0.operations
    );
}

#[test]
fn check_reports_the_official_documents_contradictions() {
    let Some(config) = official("management-minimal.yaml", false) else {
        return;
    };
    let found = findings(&config);
    let s = |v: &str| v.to_owned();
    let expected: BTreeSet<_> = [
        // The list response is declared as one enrollment; the example is an array.
        (
            s("listAuthenticatorEnrollments"),
            s("200"),
            s("AuthenticatorEnrollmentsListAllEx"),
            Source::Decode,
            s(""),
        ),
        (
            s("listAuthenticatorEnrollments"),
            s("200"),
            s("AuthenticatorEnrollmentsListAllEx"),
            Source::Schema,
            s(""),
        ),
        // YAML reads the unquoted phone number as a number.
        (
            s("getAuthenticatorEnrollment"),
            s("200"),
            s("PhoneDisclosedEx"),
            Source::Decode,
            s("/profile/phoneNumber"),
        ),
        (
            s("getAuthenticatorEnrollment"),
            s("200"),
            s("PhoneDisclosedEx"),
            Source::Schema,
            s("/profile/phoneNumber"),
        ),
        // The TAC's expiresAt has no offset: our DateTime reads it (as UTC); the schema does not allow it.
        (
            s("createTacAuthenticatorEnrollment"),
            s("200"),
            s("TacEx"),
            Source::Schema,
            s("/profile/expiresAt"),
        ),
        // The TAC request sends ttl as a number; the schema declares a string.
        (
            s("createTacAuthenticatorEnrollment"),
            s("request"),
            s("TacEx"),
            Source::Decode,
            s("/profile/ttl"),
        ),
        (
            s("createTacAuthenticatorEnrollment"),
            s("request"),
            s("TacEx"),
            Source::Schema,
            s("/profile/ttl"),
        ),
    ]
    .into_iter()
    .collect();
    assert_eq!(found, expected);
}

#[test]
fn check_with_the_overlay_and_on_spec_reports_nothing() {
    let Some(config) = official("management-minimal.yaml", true) else {
        return;
    };
    assert_eq!(findings(&config), BTreeSet::new());
    assert_eq!(findings(&spec_config()), BTreeSet::new());
}

#[test]
fn the_drift_between_two_releases_is_a_readable_diff() {
    // Both releases as published (the overlay targets examples the older one does not have).
    let (Some(old), Some(new)) = (
        official("management-minimal-2025.08.0.yaml", false),
        official("management-minimal.yaml", false),
    ) else {
        return;
    };
    let summary = |c: &okgen::Config| {
        okgen::report::summary(&okgen::generate_source(c).expect("generates").api)
    };
    // The components the operations reach, by name: renames show here even when the client
    // does not change (an allOf member renamed is merged into the same struct).
    let components = |c: &okgen::Config| {
        let doc = c.load().expect("loads");
        let slice = okgen::slice::slice(&doc, c.selection()).expect("slices");
        let mut names = Vec::new();
        for (kind, entries) in slice["components"].as_object().expect("components") {
            for name in entries.as_object().expect("entries").keys() {
                names.push(format!("components/{kind}/{name}"));
            }
        }
        names.join("\n")
    };
    let client = lines_diff(&summary(&old), &summary(&new));
    let document = lines_diff(&components(&old), &components(&new));
    let diff = format!(
        "The generated client, 2025.08.0 -> 2026.06.3:\n{client}\n\nThe components the operations reach:\n{document}\n"
    );
    assert!(client.contains("+ enum DiscloseIdentifier"), "{diff}");
    assert!(
        document.contains("- components/schemas/LinksUser\n"),
        "{diff}"
    );
    assert!(
        document.contains("+ components/schemas/LinksUserAuthenticators"),
        "{diff}"
    );
    insta::assert_snapshot!("official_release_drift", diff);
}

/// Lines only in `old` (`- `) and only in `new` (`+ `), each in its own order.
fn lines_diff(old: &str, new: &str) -> String {
    let removed = old
        .lines()
        .filter(|l| !new.lines().any(|n| n == *l))
        .map(|l| format!("- {l}"));
    let added = new
        .lines()
        .filter(|l| !old.lines().any(|o| o == *l))
        .map(|l| format!("+ {l}"));
    removed.chain(added).collect::<Vec<_>>().join("\n")
}

#[test]
fn the_overlay_names_the_action_that_no_longer_applies() {
    let Some(config) = official("management-minimal-2025.08.0.yaml", true) else {
        return;
    };
    let err = okgen::generate_source(&config)
        .expect_err("the older release has no disclosed-phone example");
    let message = err.to_string();
    assert!(
        message.contains("okta-overlay.yaml at #/actions/"),
        "{message}"
    );
    assert!(
        message.contains("AuthenticatorEnrollmentResponsePhoneDisclosed"),
        "{message}"
    );
    assert!(message.contains("matched nothing"), "{message}");
}

#[test]
fn the_slice_is_a_standalone_document_that_generates_the_same_client() {
    let Some(config) = official("management-minimal.yaml", true) else {
        return;
    };
    let doc = config.load().expect("loads");
    let slice = okgen::slice::slice(&doc, config.selection()).expect("slices");
    let paths: Vec<&String> = slice["paths"].as_object().expect("paths").keys().collect();
    assert_eq!(
        paths,
        [
            "/api/v1/users/{userId}/authenticator-enrollments",
            "/api/v1/users/{userId}/authenticator-enrollments/phone",
            "/api/v1/users/{userId}/authenticator-enrollments/tac",
            "/api/v1/users/{userId}/authenticator-enrollments/{enrollmentId}",
        ]
    );
    let schemas: BTreeSet<&String> = slice["components"]["schemas"]
        .as_object()
        .expect("schemas")
        .keys()
        .collect();
    assert!(
        schemas.contains(&"AuthenticatorEnrollmentProfile".to_owned()),
        "the overlay is applied"
    );
    assert_eq!(
        schemas.len(),
        19,
        "exactly the schemas the operations reach: {schemas:?}"
    );
    let schemes: Vec<&String> = slice["components"]["securitySchemes"]
        .as_object()
        .expect("schemes")
        .keys()
        .collect();
    assert_eq!(schemes, ["apiToken", "oauth2"]);

    // The slice on its own generates the same client, and passes `check`.
    let dir = workspace().join(format!(
        "target/okgen-fixtures/slice-{}",
        std::process::id()
    ));
    std::fs::create_dir_all(&dir).expect("dir");
    let path = dir.join("slice.yaml");
    std::fs::write(
        &path,
        okgen::slice::slice_yaml(&doc, config.selection()).expect("yaml"),
    )
    .expect("write");
    let mut from_slice = okgen::Config::new(&path);
    from_slice.select_tag(TAG);
    let a = okgen::generate_source(&from_slice).expect("the slice generates");
    let b = okgen::generate_source(&config).expect("the whole document generates");
    assert_eq!(a.source, b.source);
    assert_eq!(findings(&from_slice), BTreeSet::new());
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn a_slice_keeps_the_schemas_discriminator_mappings_name_and_generates() {
    let Some(spec) = official_document("management-minimal.yaml") else {
        return;
    };
    let doc = okgen::Config::new(&spec).load().expect("loads");
    let dir = workspace().join(format!(
        "target/okgen-fixtures/slice-tags-{}",
        std::process::id()
    ));
    std::fs::create_dir_all(&dir).expect("dir");
    let mut failures = Vec::new();
    for tag in [
        "Policy",
        "Authenticator",
        "Application",
        "Group",
        "UserFactor",
        "InlineHook",
        "LogStream",
        "Behavior",
    ] {
        let selection = okgen::Selection {
            tags: vec![tag.to_owned()],
            ..Default::default()
        };
        let slice = okgen::slice::slice(&doc, &selection).expect("slices");
        // Every mapping target of every kept schema is kept.
        let schemas = slice["components"]["schemas"].as_object().expect("schemas");
        for (name, schema) in schemas {
            let Some(mapping) = schema
                .pointer("/discriminator/mapping")
                .and_then(|m| m.as_object())
            else {
                continue;
            };
            for target in mapping.values().filter_map(|t| t.as_str()) {
                let target = target.trim_start_matches("#/components/schemas/");
                assert!(
                    schemas.contains_key(target),
                    "{tag}: {name}'s mapping names {target}, which the slice drops"
                );
            }
        }
        let path = dir.join(format!("{tag}.yaml"));
        std::fs::write(
            &path,
            okgen::slice::slice_yaml(&doc, &selection).expect("yaml"),
        )
        .expect("write");
        let mut config = okgen::Config::new(&path);
        config.select_tag(tag);
        match okgen::generate_source(&config) {
            Err(e) => failures.push(format!("{tag}: {e}")),
            Ok(generated) => failures.extend(
                generated
                    .warnings
                    .iter()
                    .map(|w| w.to_string())
                    .filter(|w| w.contains("discriminator mapping"))
                    .map(|w| format!("{tag}: {w}")),
            ),
        }
    }
    std::fs::remove_dir_all(&dir).ok();
    assert!(
        failures.is_empty(),
        "every slice generates:\n{}",
        failures.join("\n")
    );
}
