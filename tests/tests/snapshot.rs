//! The generated source for `spec/`, guarded by insta snapshots: any change to the spec, the
//! generator or the runtime templates shows up here as a diff to review.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use okgen_tests::{spec_config, workspace};

#[test]
fn generated_source_for_spec_matches_the_snapshot() {
    let generated = okgen::generate_source(&spec_config()).expect("spec/ generates");
    insta::assert_snapshot!("okta_management_source", generated.source);
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
    assert!(changed.source.contains("rename = \"factorProfileId\""));
    assert!(changed
        .source
        .contains("pub factor_profile_id: ::std::option::Option<::std::string::String>"));
    assert!(changed.source.contains("/// Added by a test."));
    assert!(!original.source.contains("factorProfileId"));
}
