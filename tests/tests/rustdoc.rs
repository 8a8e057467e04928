//! Every description, summary and title of Okta's Management API document, sanitized as the
//! generator does for doc comments ([`okgen::sanitize_doc`]), must render with rustdoc without a
//! single warning and without a doctest: they are written as doc comments on dummy items of a
//! small crate, which `cargo doc` (with `-D warnings`), `cargo clippy` (with `-D warnings`) and
//! `cargo test --doc` then check.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::Path;
use std::process::{Command, Output};

use okgen_tests::workspace;

/// Every string under a `description`, `summary` or `title` key, anywhere in the document.
fn collect(value: &serde_json::Value, out: &mut Vec<String>) {
    match value {
        serde_json::Value::Object(map) => {
            for (key, v) in map {
                if matches!(key.as_str(), "description" | "summary" | "title") {
                    if let Some(text) = v.as_str() {
                        out.push(text.to_owned());
                    }
                }
                collect(v, out);
            }
        }
        serde_json::Value::Array(items) => items.iter().for_each(|v| collect(v, out)),
        _ => {}
    }
}

/// The crate's `lib.rs`: each text as the doc comment of its own item, line by line as the
/// generator's `doc_attrs` writes them.
fn lib_rs(texts: &[String]) -> String {
    let mut lib = String::from(
        "//! Okta's descriptions, sanitized by okgen: rustdoc must render them without warnings.\n",
    );
    // Okta's tables hold tabs, which the generator's `#[doc = "..."]` attributes escape (`\t`);
    // written out here as `///` lines, they would be a clippy lint of their own.
    lib.push_str("#![allow(clippy::tabs_in_doc_comments)]\n");
    for (i, text) in texts.iter().enumerate() {
        for line in okgen::sanitize_doc(text).trim_end().lines() {
            let line = line.trim_end();
            if line.is_empty() {
                lib.push_str("///\n");
            } else {
                lib.push_str("/// ");
                lib.push_str(line);
                lib.push('\n');
            }
        }
        lib.push_str(&format!("pub struct Doc{i};\n"));
    }
    lib
}

fn cargo(dir: &Path, args: &[&str]) -> Output {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    Command::new(cargo)
        .arg("--offline")
        .args(args)
        .current_dir(dir)
        .env(
            "CARGO_TARGET_DIR",
            workspace().join("target/okgen-fixtures/target"),
        )
        .env("RUSTDOCFLAGS", "-D warnings")
        .env("CARGO_TERM_COLOR", "never")
        .env_remove("RUSTFLAGS")
        .output()
        .expect("cargo runs")
}

#[test]
fn okta_descriptions_render_without_rustdoc_warnings_or_doctests() {
    let spec = workspace().join("../shared/okta/management-minimal.yaml");
    let Ok(text) = std::fs::read_to_string(&spec) else {
        assert!(
            std::env::var_os("CI").is_none(),
            "{} is missing (CI is set, so this is a failure)",
            spec.display()
        );
        eprintln!(
            "\n!!!!! SKIPPED: {} is missing; the rustdoc check of Okta's descriptions did not run !!!!!\n",
            spec.display()
        );
        return;
    };
    let document: serde_json::Value = serde_yaml::from_str(&text).expect("the document parses");
    let mut texts = Vec::new();
    collect(&document, &mut texts);
    let found = texts.len();
    texts.sort();
    texts.dedup();
    assert!(
        texts.len() > 1000,
        "only {} texts found: is this the right document?",
        texts.len()
    );
    eprintln!(
        "{found} descriptions, summaries and titles ({} distinct)",
        texts.len()
    );

    let dir = workspace().join("target/okgen-fixtures/rustdoc-check");
    std::fs::create_dir_all(dir.join("src")).expect("fixture dir");
    okgen::write_if_changed(
        &dir.join("Cargo.toml"),
        "[package]\nname = \"okgen-rustdoc-check\"\nversion = \"0.1.0\"\nedition = \"2021\"\npublish = false\n\n[dependencies]\n\n[workspace]\n",
    )
    .expect("write Cargo.toml");
    okgen::write_if_changed(&dir.join("src/lib.rs"), &lib_rs(&texts)).expect("write lib.rs");

    let doc = cargo(&dir, &["doc", "--no-deps"]);
    let stderr = String::from_utf8_lossy(&doc.stderr);
    // `-D warnings`: any rustdoc lint fails the build.
    assert!(
        doc.status.success(),
        "rustdoc warns on sanitized descriptions (see {}):\n{stderr}",
        dir.join("src/lib.rs").display()
    );

    // clippy's default lints on the same doc comments (`doc_lazy_continuation` above all, which
    // rustdoc itself does not check): `-D warnings` again.
    let clippy = cargo(&dir, &["clippy", "--", "-D", "warnings"]);
    let stderr = String::from_utf8_lossy(&clippy.stderr);
    assert!(
        clippy.status.success() && !stderr.contains("warning:"),
        "clippy warns on sanitized descriptions (see {}):\n{stderr}",
        dir.join("src/lib.rs").display()
    );

    let test = cargo(&dir, &["test", "--doc"]);
    let stdout = String::from_utf8_lossy(&test.stdout);
    assert!(
        test.status.success(),
        "cargo test --doc failed:\n{stdout}\n{}",
        String::from_utf8_lossy(&test.stderr)
    );
    let ran: Vec<&str> = stdout
        .lines()
        .filter(|l| l.starts_with("running "))
        .collect();
    assert_eq!(
        ran,
        ["running 0 tests"],
        "doctests found in sanitized descriptions:\n{stdout}"
    );
}
