//! A cargo feature per tag (`features: per-tag`): lowering decides which feature enables which
//! operation and type, the emitted code carries those `cfg`s, the standalone crate declares the
//! features, and the crate compiles without a warning with each feature alone, with two, and
//! with all of them: the fixture `tests/fixtures/features/three-tags.yaml`, and Okta's whole
//! document.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Instant;

use okgen::ir::Api;
use okgen_tests::{cargo, generated_part, official_document, workspace};

fn fixture_path() -> PathBuf {
    workspace().join("tests/fixtures/features/three-tags.yaml")
}

fn per_tag(spec: &Path) -> okgen::Config {
    let mut config = okgen::Config::new(spec);
    config.features(okgen::Features::PerTag);
    config
}

/// Each type's features by its name (`[]`: always compiled).
fn type_features(api: &Api) -> BTreeMap<String, Vec<String>> {
    let tf = api.tag_features.as_ref().expect("features");
    api.types
        .iter()
        .map(|def| {
            let names = tf.names(tf.of_type(def.id)).map(str::to_owned).collect();
            (def.name.clone(), names)
        })
        .collect()
}

#[test]
fn each_tag_is_a_feature_that_enables_its_operations_and_the_types_they_reach() {
    let (api, _) = okgen::lower(&per_tag(&fixture_path())).expect("lowers");
    let tf = api.tag_features.as_ref().expect("features");
    let features: Vec<(&str, Option<&str>, &str, &str)> = tf
        .features
        .iter()
        .map(|f| {
            (
                f.name.as_str(),
                f.tag.as_deref(),
                f.accessor.as_str(),
                f.handle.as_str(),
            )
        })
        .collect();
    assert_eq!(
        features,
        [
            (
                "application-settings",
                Some("Application Settings"),
                "application_settings",
                "ApplicationSettingsApi"
            ),
            ("group", Some("Group"), "group", "GroupApi"),
            ("untagged", None, "untagged", "UntaggedApi"),
            ("user", Some("User"), "user", "UserApi"),
        ]
    );
    let operations: BTreeMap<&str, Vec<&str>> = api
        .operations
        .iter()
        .zip(&tf.operations)
        .map(|(op, of)| (op.operation_id.as_str(), tf.names(of).collect()))
        .collect();
    let expected: BTreeMap<&str, Vec<&str>> = [
        // Two tags: enabled by either.
        ("assignUserToGroup", vec!["group", "user"]),
        ("getApplicationSettings", vec!["application-settings"]),
        ("getHealth", vec!["untagged"]),
        ("getUser", vec!["user"]),
        ("listGroups", vec!["group"]),
        ("listUsers", vec!["user"]),
        ("uploadApplicationLogo", vec!["application-settings"]),
    ]
    .into_iter()
    .collect();
    assert_eq!(operations, expected);
    // A tag's operations, for its handle.
    let user = &tf.features[3];
    let names: Vec<&str> = user
        .operations
        .iter()
        .map(|i| api.operations[*i].name.as_str())
        .collect();
    assert_eq!(names, ["assign_user_to_group", "get_user", "list_users"]);

    let types = type_features(&api);
    let of = |name: &str| types[name].iter().map(String::as_str).collect::<Vec<_>>();
    // The error body every operation declares, and what it reaches: always compiled.
    assert_eq!(of("Error"), Vec::<&str>::new());
    assert_eq!(of("ErrorCause"), Vec::<&str>::new());
    // One tag only, through a response, its items, a union and its members.
    assert_eq!(of("User"), ["user"]);
    assert_eq!(of("UserStatus"), ["user"]);
    assert_eq!(of("Profile"), ["user"]);
    assert_eq!(of("Group"), ["group"]);
    assert_eq!(of("GroupKind"), ["group"]);
    assert_eq!(of("OktaGroup"), ["group"]);
    assert_eq!(of("AppGroup"), ["group"]);
    assert_eq!(of("AppSettings"), ["application-settings"]);
    assert_eq!(of("Health"), ["untagged"]);
    // The body of the operation with two tags.
    assert_eq!(of("Membership"), ["group", "user"]);
    assert_eq!(of("MembershipRole"), ["group", "user"]);
    // Reached by two tags on different paths (a user's profile, a multipart part and a
    // settings field).
    assert_eq!(of("Theme"), ["application-settings", "user"]);
}

#[test]
fn without_the_setting_nothing_carries_a_feature() {
    let (api, _) = okgen::lower(&okgen::Config::new(fixture_path())).expect("lowers");
    assert!(api.tag_features.is_none());
    assert_eq!(okgen::features_table(&api), None);
    let source = okgen::emit(&api).expect("emits");
    assert!(!source.contains("feature ="), "no cfg on any item");
    assert!(!source.contains("pub mod tags"), "no handles");
}

#[test]
fn tag_names_become_distinct_feature_names_and_accessors() {
    // Tags that spell the same feature, one named like the crate's own features, one like a
    // `Client` method, one without letters, and operations without a tag.
    let doc = r#"
openapi: 3.0.3
info: {title: t, version: '1'}
paths:
  /a:
    get:
      operationId: a1
      tags: [Users, users, full]
      responses: {'204': {description: ok}}
  /b:
    get:
      operationId: b1
      tags: [new, '***']
      responses: {'204': {description: ok}}
  /c:
    get:
      operationId: c1
      responses: {'204': {description: ok}}
"#;
    let dir = workspace().join("target/okgen-fixtures/tag-names");
    std::fs::create_dir_all(&dir).unwrap();
    let spec = dir.join("tags.yaml");
    std::fs::write(&spec, doc).unwrap();
    let (api, _) = okgen::lower(&per_tag(&spec)).expect("lowers");
    let tf = api.tag_features.as_ref().expect("features");
    let features: Vec<(&str, &str, &str)> = tf
        .features
        .iter()
        .map(|f| {
            (
                f.tag.as_deref().unwrap_or("-"),
                f.name.as_str(),
                f.accessor.as_str(),
            )
        })
        .collect();
    assert_eq!(
        features,
        [
            ("full", "full2", "full"),
            ("new", "new", "new2"),
            ("***", "tag", "value"),
            ("-", "untagged", "untagged"),
            ("Users", "users", "users"),
            ("users", "users2", "users2"),
        ]
    );
    let table = okgen::features_table(&api).expect("a table");
    assert!(
        table.starts_with(
            "[features]\ndefault = [\"full\"]\n# Every tag's operations.\nfull = [\"full2\", \"new\", \"tag\", \"untagged\", \"users\", \"users2\"]\n"
        ),
        "{table}"
    );
    assert!(table.contains("# 1 operation tagged \"Users\": client.users().\nusers = []\n"));
}

#[test]
fn a_build_script_declares_the_feature_names_and_warns_when_none_is_enabled() {
    let (api, _) = okgen::lower(&per_tag(&fixture_path())).expect("lowers");
    let none = okgen::feature_instructions(&api, |_| None);
    assert_eq!(
        none[0],
        "cargo:rustc-check-cfg=cfg(feature, values(\"application-settings\", \"group\", \"untagged\", \"user\"))"
    );
    assert!(
        none[1].starts_with("cargo:warning=okgen: no feature of the generated client is enabled"),
        "{none:?}"
    );
    let user = okgen::feature_instructions(&api, |name| {
        (name == "CARGO_FEATURE_APPLICATION_SETTINGS").then(|| "1".into())
    });
    assert_eq!(user.len(), 1, "{user:?}");
    // A client without features says nothing.
    let (plain, _) = okgen::lower(&okgen::Config::new(fixture_path())).expect("lowers");
    assert!(okgen::feature_instructions(&plain, |_| None).is_empty());
}

#[test]
fn three_tags_source_snapshot() {
    let generated = okgen::generate_source(&per_tag(&fixture_path())).expect("generates");
    let table = okgen::features_table(&generated.api).expect("a table");
    insta::assert_snapshot!(
        "three_tags_source",
        format!("{table}\n{}", generated_part(&generated.source))
    );
}

/// Runs `cargo <args>` in `dir`, asserting success and no warning; returns how long it took.
fn clean(dir: &Path, args: &[&str]) -> std::time::Duration {
    let started = Instant::now();
    let (ok, _, stderr) = cargo(dir, args);
    let took = started.elapsed();
    let lines: Vec<&str> = stderr.lines().collect();
    let tail = lines[lines.len().saturating_sub(60)..].join("\n");
    assert!(ok, "cargo {args:?} fails:\n{tail}");
    assert!(
        !stderr.lines().any(|l| l.starts_with("warning")),
        "cargo {args:?} warns:\n{tail}"
    );
    took
}

/// A program using the flat methods and the handles of the fixture, compiled with the
/// features it needs (`--all-targets`).
const USE_HANDLES: &str = r#"//! The flat methods and the per-tag handles make the same requests.
#![cfg(all(feature = "user", feature = "group", feature = "untagged"))]

use three_tags::{Auth, Client};

#[test]
fn handles_and_flat_methods_build_the_same_requests() {
    let client = Client::new("https://example.com", Auth::bearer("t")).unwrap();
    let flat = format!("{:?}", client.get_user("u1"));
    let grouped = format!("{:?}", client.user().get_user("u1"));
    assert_eq!(flat, grouped);
    // An operation with two tags is in both handles.
    let a = format!("{:?}", client.user().assign_user_to_group("g", "u", three_tags::models::Membership::default()));
    let b = format!("{:?}", client.group().assign_user_to_group("g", "u", three_tags::models::Membership::default()));
    assert_eq!(a, b);
    let _ = client.untagged().get_health();
    let _paged = client.user().list_users().into_stream();
}
"#;

#[test]
fn three_tags_compile_with_each_feature_alone_with_two_with_none_and_with_all() {
    let generated = okgen::generate_source(&per_tag(&fixture_path())).expect("generates");
    let dir = workspace().join("target/okgen-fixtures/three-tags");
    okgen::write_standalone_crate(&dir, &generated).expect("written");
    okgen::write_if_changed(&dir.join("tests/handles.rs"), USE_HANDLES).expect("test");
    let started = Instant::now();
    let mut runs = vec![
        vec!["--no-default-features".to_owned()],
        vec![], // default: full
        vec![
            "--no-default-features".to_owned(),
            "--features".to_owned(),
            "user,group".to_owned(),
        ],
    ];
    for f in &generated
        .api
        .tag_features
        .as_ref()
        .expect("features")
        .features
    {
        runs.push(vec![
            "--no-default-features".to_owned(),
            "--features".to_owned(),
            f.name.clone(),
        ]);
    }
    for features in &runs {
        let mut args = vec!["clippy", "--quiet", "--all-targets"];
        args.extend(features.iter().map(String::as_str));
        clean(&dir, &args);
    }
    // The program runs: the handles build what the flat methods build.
    let (ok, _, stderr) = cargo(&dir, &["test", "--quiet", "--test", "handles"]);
    assert!(ok, "{stderr}");
    eprintln!(
        "three-tags: {} clippy runs and a test in {:.2?}",
        runs.len(),
        started.elapsed()
    );
}

#[test]
fn okta_whole_document_compiles_with_one_feature_with_two_and_with_all() {
    let Some(spec) = official_document("management-minimal.yaml") else {
        return;
    };
    let generated = okgen::generate_source(&per_tag(&spec)).expect("generates");
    let tf = generated.api.tag_features.as_ref().expect("features");
    assert!(tf.features.len() > 100, "{} tags", tf.features.len());
    assert!(
        generated.warnings.is_empty(),
        "Okta's document generates without a warning"
    );
    let user = tf.features.iter().find(|f| f.name == "user").expect("user");
    assert!(user.operations.len() >= 5, "{}", user.operations.len());
    let dir = workspace().join("target/okgen-fixtures/okta-tags/okta_tags");
    okgen::write_standalone_crate(&dir, &generated).expect("written");
    let one = clean(
        &dir,
        &[
            "check",
            "--quiet",
            "--no-default-features",
            "--features",
            "user",
        ],
    );
    let two = clean(
        &dir,
        &[
            "check",
            "--quiet",
            "--no-default-features",
            "--features",
            "user,group",
        ],
    );
    let all = clean(&dir, &["check", "--quiet"]);
    eprintln!(
        "okta whole document, cargo check: user {one:.2?}, user+group {two:.2?}, all {all:.2?}"
    );
}
