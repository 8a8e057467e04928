//! Generated crates compile on their own, without rustc or clippy warnings (deprecation warnings
//! included): the client for `spec/` (in Okta's profile, its default, and in the generic one), and
//! every fixture in `tests/fixtures/constructs/` (generic: they are not Okta's). The first run compiles the runtime's dependencies into
//! `target/okgen-fixtures/target` (about a minute); later runs reuse them.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use okgen_tests::{cargo_clippy, spec_config, workspace};

fn compile(name: &str, config: &okgen::Config) {
    let generated =
        okgen::generate_source(config).unwrap_or_else(|e| panic!("{name} generates: {e}"));
    let dir = workspace().join("target/okgen-fixtures").join(name);
    okgen::write_standalone_crate(&dir, &generated).expect("crate written");
    let (ok, stderr) = cargo_clippy(&dir);
    assert!(ok, "{name} does not compile:\n{stderr}");
    let warnings: Vec<&str> = stderr
        .lines()
        .filter(|l| l.starts_with("warning"))
        .collect();
    assert!(warnings.is_empty(), "{name} has warnings:\n{stderr}");
}

#[test]
fn the_spec_client_compiles_standalone_without_warnings() {
    compile("standalone-okta-management", &spec_config());
}

/// Our Okta spec in the generic profile (`profile: generic`): the generic runtime and the
/// constructors of its security schemes.
#[test]
fn the_spec_client_in_the_generic_profile_compiles_standalone_without_warnings() {
    let mut config = spec_config();
    config.profile(okgen::Profile::Generic);
    compile("standalone-okta-management-generic", &config);
}

#[test]
fn every_construct_fixture_compiles_standalone_without_warnings() {
    for (name, spec) in okgen_tests::construct_fixtures() {
        compile(&format!("standalone-{name}"), &okgen::Config::new(&spec));
    }
}
