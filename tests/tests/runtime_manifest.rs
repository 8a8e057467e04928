//! The runtime's dependencies are listed once, in `templates/Cargo.toml` (the `okgen-runtime`
//! crate): okgen writes that table into every standalone crate (`okgen::RUNTIME_DEPENDENCIES`),
//! and the crates that compile a stamped runtime without being written by okgen,
//! `generated/` and `tests/`, must list the same dependencies with the same versions and
//! features. Cargo itself reads the manifests (`cargo metadata`), `workspace = true` included.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::BTreeMap;
use std::path::Path;

use okgen_tests::workspace;
use serde_json::{json, Value};

/// The normal (not dev, not build) dependencies of `package` as cargo reads them from the
/// manifest at `manifest`: name → requirement, default features, features (sorted), optional,
/// rename, target, registry, path.
fn dependencies(manifest: &Path, package: &str) -> BTreeMap<String, Value> {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let output = std::process::Command::new(cargo)
        .args([
            "metadata",
            "--format-version",
            "1",
            "--no-deps",
            "--offline",
        ])
        .arg("--manifest-path")
        .arg(manifest)
        .env("CARGO_TERM_COLOR", "never")
        .output()
        .expect("cargo runs");
    assert!(
        output.status.success(),
        "cargo metadata {}: {}",
        manifest.display(),
        String::from_utf8_lossy(&output.stderr)
    );
    let metadata: Value = serde_json::from_slice(&output.stdout).expect("cargo metadata is JSON");
    let packages = metadata["packages"].as_array().expect("packages");
    let found = packages
        .iter()
        .find(|p| p["name"] == package)
        .unwrap_or_else(|| panic!("no package {package} in {}", manifest.display()));
    let mut deps = BTreeMap::new();
    for dep in found["dependencies"].as_array().expect("dependencies") {
        if !dep["kind"].is_null() {
            continue;
        }
        let mut features: Vec<&str> = dep["features"]
            .as_array()
            .expect("features")
            .iter()
            .map(|f| f.as_str().expect("a feature name"))
            .collect();
        features.sort_unstable();
        let name = dep["name"].as_str().expect("a name").to_owned();
        let spec = json!({
            "req": dep["req"],
            "default-features": dep["uses_default_features"],
            "features": features,
            "optional": dep["optional"],
            "rename": dep["rename"],
            "target": dep["target"],
            "registry": dep["registry"],
            "path": dep.get("path").cloned().unwrap_or(Value::Null),
        });
        assert!(
            deps.insert(name.clone(), spec).is_none(),
            "{package}: {name} twice"
        );
    }
    deps
}

/// The runtime crate's dependencies, the reference.
fn runtime() -> BTreeMap<String, Value> {
    let deps = dependencies(&workspace().join("templates/Cargo.toml"), "okgen-runtime");
    assert!(deps.contains_key("reqwest"), "{deps:?}");
    deps
}

/// The differences between `expected` and `actual`, one line each.
fn differences(
    expected: &BTreeMap<String, Value>,
    actual: &BTreeMap<String, Value>,
) -> Vec<String> {
    let mut out = Vec::new();
    for (name, spec) in expected {
        match actual.get(name) {
            None => out.push(format!("{name}: missing (the runtime has {spec})")),
            Some(other) if other != spec => {
                out.push(format!("{name}: {other}, where the runtime has {spec}"))
            }
            Some(_) => {}
        }
    }
    for name in actual.keys().filter(|name| !expected.contains_key(*name)) {
        out.push(format!("{name}: not a dependency of the runtime"));
    }
    out
}

#[test]
fn the_generated_crate_lists_exactly_the_runtimes_dependencies() {
    let generated = dependencies(&workspace().join("Cargo.toml"), "okta-management");
    let diff = differences(&runtime(), &generated);
    assert!(
        diff.is_empty(),
        "generated/Cargo.toml and templates/Cargo.toml differ:\n{}",
        diff.join("\n")
    );
}

#[test]
fn the_test_crate_lists_the_runtimes_dependencies_and_okgen() {
    let mut tests = dependencies(&workspace().join("Cargo.toml"), "okgen-tests");
    assert!(tests.remove("okgen").is_some(), "the tests depend on okgen");
    let diff = differences(&runtime(), &tests);
    assert!(
        diff.is_empty(),
        "tests/Cargo.toml and templates/Cargo.toml differ:\n{}",
        diff.join("\n")
    );
}

#[test]
fn a_standalone_crate_gets_exactly_the_runtimes_dependencies() {
    let generated = okgen::generate_source(&okgen_tests::spec_config()).expect("spec/ generates");
    let dir = workspace().join(format!(
        "target/okgen-fixtures/manifest-{}/standalone",
        std::process::id()
    ));
    okgen::write_standalone_crate(&dir, &generated).expect("crate written");
    let standalone = dependencies(&dir.join("Cargo.toml"), "standalone");
    std::fs::remove_dir_all(dir.parent().expect("a parent")).ok();
    let diff = differences(&runtime(), &standalone);
    assert!(
        diff.is_empty(),
        "a standalone crate and templates/Cargo.toml differ:\n{}",
        diff.join("\n")
    );
}

/// The table okgen copies is the manifest's `[dependencies]` table, line for line.
#[test]
fn runtime_dependencies_are_the_manifests_table() {
    let manifest = std::fs::read_to_string(workspace().join("templates/Cargo.toml")).unwrap();
    let (_, table) = manifest
        .split_once("\n[dependencies]\n")
        .expect("a [dependencies] table");
    assert_eq!(okgen::RUNTIME_DEPENDENCIES, table);
}
