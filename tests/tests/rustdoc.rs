//! Every description, summary and title of Okta's Management API document, and of every
//! document in `../shared/corpus/`, sanitized as the generator does for doc comments
//! ([`okgen::sanitize_doc`]), must render with rustdoc without a single warning and without a
//! doctest: they are written as doc comments on dummy items of a small crate, which `cargo doc`
//! (with `-D warnings`), `cargo clippy` (with `-D warnings`) and `cargo test --doc` then check.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::Path;
use std::process::{Command, Output};

use okgen_tests::{module_name, workspace};

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

/// A module of the crate's `lib.rs`: each text as the doc comment of its own item, line by line
/// as the generator's `doc_attrs` writes them.
fn module(name: &str, texts: &[String]) -> String {
    let mut lib = format!("/// Texts of `{name}`.\npub mod {} {{\n", module_name(name));
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
    lib.push_str("}\n");
    lib
}

/// The distinct texts of the document at `path`.
fn texts(path: &Path) -> Vec<String> {
    let text = std::fs::read_to_string(path).expect("the document reads");
    let document: serde_json::Value = serde_yaml::from_str(&text).expect("the document parses");
    let mut texts = Vec::new();
    collect(&document, &mut texts);
    let found = texts.len();
    texts.sort();
    texts.dedup();
    eprintln!(
        "{}: {found} descriptions, summaries and titles ({} distinct)",
        path.display(),
        texts.len()
    );
    texts
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

/// Writes one crate with a module per document (its texts as doc comments) and checks it with
/// `cargo doc`, `cargo clippy` (both `-D warnings`) and `cargo test --doc` (no doctest at all).
fn check(fixture: &str, documents: &[(String, Vec<String>)]) {
    let dir = workspace().join("target/okgen-fixtures").join(fixture);
    std::fs::create_dir_all(dir.join("src")).expect("fixture dir");
    okgen::write_if_changed(
        &dir.join("Cargo.toml"),
        &format!("[package]\nname = \"okgen-{fixture}\"\nversion = \"0.1.0\"\nedition = \"2021\"\npublish = false\n\n[dependencies]\n\n[workspace]\n"),
    )
    .expect("write Cargo.toml");
    let mut lib = String::from(
        "//! Texts of OpenAPI documents, sanitized by okgen: rustdoc must render them without warnings.\n",
    );
    // Okta's tables hold tabs, which the generator's `#[doc = "..."]` attributes escape (`\t`);
    // written out here as `///` lines, they would be a clippy lint of their own.
    lib.push_str("#![allow(clippy::tabs_in_doc_comments)]\n");
    for (name, texts) in documents {
        lib.push_str(&module(name, texts));
    }
    okgen::write_if_changed(&dir.join("src/lib.rs"), &lib).expect("write lib.rs");

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

/// A file of `../shared/`, or a loud skip (a failure when `CI` is set).
fn shared(path: &str) -> Option<std::path::PathBuf> {
    let path = workspace().join("../shared").join(path);
    if path.exists() {
        return Some(path);
    }
    assert!(
        std::env::var_os("CI").is_none(),
        "{} is missing (CI is set, so this is a failure)",
        path.display()
    );
    eprintln!(
        "\n!!!!! SKIPPED: {} is missing; the rustdoc check of its texts did not run !!!!!\n",
        path.display()
    );
    None
}

#[test]
fn okta_descriptions_render_without_rustdoc_warnings_or_doctests() {
    let Some(spec) = shared("okta/management-minimal.yaml") else {
        return;
    };
    let texts = texts(&spec);
    assert!(
        texts.len() > 1000,
        "only {} texts found: is this the right document?",
        texts.len()
    );
    check("rustdoc-check", &[("management-minimal".to_owned(), texts)]);
}

/// The same for every document of the corpus (`../shared/corpus/*/*`): Okta's other APIs, GitHub,
/// Stripe and Oxide, one module each.
#[test]
fn corpus_descriptions_render_without_rustdoc_warnings_or_doctests() {
    let Some(corpus) = shared("corpus") else {
        return;
    };
    let mut files: Vec<std::path::PathBuf> = std::fs::read_dir(&corpus)
        .expect("corpus dir")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_dir())
        .flat_map(|dir| std::fs::read_dir(dir).into_iter().flatten())
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "yaml" || x == "json"))
        .collect();
    files.sort();
    assert!(files.len() >= 3, "documents found in {}", corpus.display());
    let documents: Vec<(String, Vec<String>)> = files
        .iter()
        .map(|path| {
            let name = path
                .file_name()
                .and_then(|n| n.to_str())
                .unwrap_or("document")
                .to_owned();
            (name, texts(path))
        })
        .collect();
    check("rustdoc-check-corpus", &documents);
}
