//! The generated source for `spec/`, guarded by insta snapshots: any change to the spec or the
//! generator shows up here as a diff to review. The runtime (`templates/`), the same in every
//! client, has one snapshot of its own, so a runtime edit shows up once.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use okgen_tests::{generated_part, spec_config, workspace};

#[test]
fn generated_source_for_spec_matches_the_snapshot() {
    let generated = okgen::generate_source(&spec_config()).expect("spec/ generates");
    insta::assert_snapshot!("okta_management_source", generated_part(&generated.source));
}

/// The runtime as every client of Okta's profile carries it: the modules of `templates/` without
/// their tests, with Okta's items.
#[test]
fn stamped_runtime_matches_the_snapshot() {
    insta::assert_snapshot!(
        "runtime",
        okgen::runtime_source(okgen::Profile::Okta).expect("the runtime stamps")
    );
}

/// The runtime as every client of the generic profile carries it.
#[test]
fn stamped_generic_runtime_matches_the_snapshot() {
    insta::assert_snapshot!(
        "runtime_generic",
        okgen::runtime_source(okgen::Profile::Generic).expect("the runtime stamps")
    );
}

/// The runtime's unit tests stay in `templates/` (`cargo test -p okgen-runtime`): no generated
/// source carries a test.
#[test]
fn no_generated_source_carries_the_runtimes_tests() {
    let mut sources = vec![(
        "spec/".to_owned(),
        okgen::generate_source(&spec_config())
            .expect("spec/ generates")
            .source,
    )];
    for (name, spec) in okgen_tests::construct_fixtures() {
        let generated = okgen::generate_source(&okgen::Config::new(&spec))
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        sources.push((name, generated.source));
    }
    for (name, source) in &sources {
        for marker in ["cfg(test)", "#[test]", "mod tests"] {
            assert!(
                !source.contains(marker),
                "{name}: `{marker}` in the generated source"
            );
        }
        assert!(
            source.contains("\npub mod client {\n"),
            "{name}: the runtime is stamped"
        );
    }
    let templates = std::fs::read_to_string(workspace().join("templates/client.rs")).unwrap();
    assert!(
        templates.contains("#[cfg(test)]\nmod tests {"),
        "the templates have unit tests, which stamping leaves out"
    );
}

#[test]
fn generated_api_summary_matches_the_snapshot() {
    let generated = okgen::generate_source(&spec_config()).expect("spec/ generates");
    insta::assert_snapshot!(
        "okta_management_summary",
        okgen::report::summary(&generated.api)
    );
}

#[test]
fn generation_is_deterministic() {
    let first = okgen::generate_source(&spec_config()).expect("first run");
    let second = okgen::generate_source(&spec_config()).expect("second run");
    assert_eq!(first.source, second.source);
}

#[test]
fn changing_the_spec_changes_the_generated_code() {
    let spec =
        std::fs::read_to_string(workspace().join("spec/okta-authenticator-enrollments.yaml"))
            .expect("spec/ is readable");
    // Add a property to AuthenticatorEnrollment, right after its `properties:` line.
    let marker = "    AuthenticatorEnrollment:\n      type: object\n      properties:\n";
    assert!(
        spec.contains(marker),
        "the spec layout this test edits has changed"
    );
    let edited = spec.replacen(
        marker,
        &format!("{marker}        factorProfileId:\n          type: string\n          description: Added by a test.\n"),
        1,
    );
    let dir = workspace().join(format!(
        "target/okgen-fixtures/spec-change-{}",
        std::process::id()
    ));
    std::fs::create_dir_all(&dir).expect("fixture dir");
    let spec_path = dir.join("spec.yaml");
    std::fs::write(&spec_path, edited).expect("write edited spec");

    let mut config = okgen::Config::new(&spec_path);
    config.select_tag("UserAuthenticatorEnrollments");
    let changed = okgen::generate_source(&config).expect("edited spec generates");
    let original = okgen::generate_source(&spec_config()).expect("spec/ generates");
    std::fs::remove_dir_all(&dir).ok();

    assert_ne!(changed.source, original.source);
    // Encoded and decoded under its JSON name: a property of the struct's `object!` call.
    assert!(changed
        .source
        .contains("\n            factor_profile_id: \"factorProfileId\" optional,\n"));
    assert!(changed
        .source
        .contains("pub factor_profile_id: Option<String>"));
    assert!(changed.source.contains("/// Added by a test."));
    assert!(!original.source.contains("factorProfileId"));
}
