//! Real documents (`../shared/corpus/`: Okta's other APIs, GitHub, Stripe, Oxide): each is
//! generated whole in the default, lenient mode; what it leaves out is stated here (the number
//! of operations) and in a snapshot (every warning, with its place and reason); all the clients
//! are checked together by clippy with `-D warnings` (rustc's checks and warnings, and clippy's
//! lints, in one pass over one shared target directory); and every example each document gives
//! is decoded into its generated type and validated against its schema. An example that fits
//! its schema but does not decode is a failure.
//!
//! Decoding is `okgen check`'s simulation on the IR, which follows the emitted serde rules;
//! `whole_document.rs` holds that simulation to the real compiled code on Okta's 3,600
//! examples. Okta's management document itself is covered there.
//!
//! Cost (2 cores): generation a few seconds; the clippy pass over the ten clients (about
//! 400,000 lines) is the bulk, several minutes, after the runtime's dependencies are built.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::BTreeMap;
use std::fmt::Write;
use std::path::PathBuf;

use okgen::check::Source;
use okgen_tests::{cargo, module_name, workspace};

/// Each document, and how many of its operations lenient mode leaves out.
const DOCUMENTS: &[(&str, usize)] = &[
    (
        "okta/governance-combined-production-reference-minimal.yaml",
        0,
    ),
    (
        "okta/governance-production-requests-admin-v1-reference-minimal.yaml",
        0,
    ),
    ("okta/idp-minimal.yaml", 0),
    ("okta/management-dev-noEnums-minimal.yaml", 0),
    ("okta/oag-minimal.yaml", 0),
    ("okta/oauth-minimal.yaml", 0),
    ("okta/opa-minimal.yaml", 1),
    ("public/github-rest.json", 0),
    ("public/oxide-nexus.json", 0),
    ("public/stripe-2020-03-02.json", 0),
];

fn corpus_dir() -> Option<PathBuf> {
    let dir = workspace().join("../shared/corpus");
    if dir.exists() {
        return Some(dir);
    }
    assert!(
        std::env::var_os("CI").is_none(),
        "{} is missing; CI must have ../shared beside the repo",
        dir.display()
    );
    eprintln!("SKIPPED: {} is missing", dir.display());
    None
}

/// What one document gave.
struct Outcome {
    name: String,
    operations: usize,
    skipped: usize,
    warnings: Vec<String>,
    examples: usize,
    contradicting: usize,
    decode_only: Vec<String>,
}

fn generate(corpus: &std::path::Path, file: &str, crates: &std::path::Path) -> Outcome {
    let spec = corpus.join(file);
    let name = module_name(file);
    let config = okgen::Config::new(&spec);
    let generated = okgen::generate_source(&config)
        .unwrap_or_else(|e| panic!("{file}: lenient generation refused the document: {e}"));
    let shown = spec.display().to_string();
    let warnings: Vec<String> = generated
        .warnings
        .iter()
        .map(|w| w.to_string().replace(&shown, file))
        .collect();
    let skipped = generated
        .warnings
        .iter()
        .filter(|w| w.message.contains("operation") && w.message.contains("left out"))
        .count();
    okgen::write_standalone_crate(&crates.join(&name), &generated).expect("crate written");

    // Every example: does it fit its schema, and does it decode into its type?
    let doc = config.load().expect("loads");
    let examples = okgen::examples::collect(&doc, config.selection()).expect("examples");
    let findings = okgen::check::check(&doc, &generated.api, &examples);
    let mut by_example: BTreeMap<(String, String, String, String), Vec<&okgen::check::Finding>> =
        BTreeMap::new();
    for f in &findings {
        let key = (
            f.operation_id.clone(),
            format!("{:?}", f.kind),
            f.example.clone(),
            f.media_type.clone(),
        );
        by_example.entry(key).or_default().push(f);
    }
    let contradicting = by_example
        .values()
        .filter(|fs| fs.iter().any(|f| f.source == Source::Schema))
        .count();
    let decode_only = by_example
        .values()
        .filter(|fs| fs.iter().all(|f| f.source == Source::Decode))
        .flat_map(|fs| fs.iter().map(|f| f.to_string()))
        .collect();
    Outcome {
        name,
        operations: generated.api.operations.len(),
        skipped,
        warnings,
        examples: examples.len(),
        contradicting,
        decode_only,
    }
}

#[test]
fn every_corpus_document_generates_compiles_cleanly_and_decodes_its_valid_examples() {
    let Some(corpus) = corpus_dir() else { return };
    let root = workspace().join("target/okgen-fixtures/corpus");
    let crates = root.join("crates");
    std::fs::create_dir_all(&crates).expect("dir");

    // A document added to the corpus must be listed here, with what it leaves out.
    let mut found: Vec<String> = Vec::new();
    for dir in ["okta", "public"] {
        for entry in std::fs::read_dir(corpus.join(dir))
            .expect("corpus dir")
            .flatten()
        {
            let name = entry.file_name().to_string_lossy().into_owned();
            if name.ends_with(".yaml") || name.ends_with(".json") {
                found.push(format!("{dir}/{name}"));
            }
        }
    }
    found.sort();
    let listed: Vec<String> = DOCUMENTS.iter().map(|(f, _)| f.to_string()).collect();
    assert_eq!(
        found, listed,
        "every corpus document is listed in DOCUMENTS"
    );

    let mut outcomes = Vec::new();
    let mut failures = Vec::new();
    for (file, expected_skips) in DOCUMENTS {
        let outcome = generate(&corpus, file, &crates);
        eprintln!(
            "{file}: {} operations, {} left out, {} warnings; {} examples: {} contradict their schema, {} fit it but do not decode",
            outcome.operations,
            outcome.skipped,
            outcome.warnings.len(),
            outcome.examples,
            outcome.contradicting,
            outcome.decode_only.len()
        );
        let mut report = String::new();
        writeln!(
            report,
            "{} operations generated, {} left out\n{} examples: {} contradict their schema, {} decode-only\n",
            outcome.operations,
            outcome.skipped,
            outcome.examples,
            outcome.contradicting,
            outcome.decode_only.len()
        )
        .unwrap();
        for w in &outcome.warnings {
            writeln!(report, "warning: {w}").unwrap();
        }
        insta::assert_snapshot!(format!("corpus_{}", outcome.name), report);
        if outcome.skipped != *expected_skips {
            failures.push(format!(
                "{file}: {} operations left out, expected {expected_skips}:\n{}",
                outcome.skipped,
                outcome.warnings.join("\n")
            ));
        }
        if !outcome.decode_only.is_empty() {
            failures.push(format!(
                "{file}: examples that fit their schema but do not decode:\n{}",
                outcome.decode_only.join("\n")
            ));
        }
        outcomes.push(outcome);
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));

    // One workspace of all the clients: one clippy run, both cores, dependencies built once.
    let members: Vec<String> = outcomes
        .iter()
        .map(|o| format!("\"crates/{}\"", o.name))
        .collect();
    std::fs::write(
        root.join("Cargo.toml"),
        format!(
            "[workspace]\nresolver = \"2\"\nmembers = [{}]\n",
            members.join(", ")
        ),
    )
    .expect("workspace manifest");
    for o in &outcomes {
        // The standalone manifests declare a workspace of their own; here they join this one.
        let manifest = crates.join(&o.name).join("Cargo.toml");
        let text = std::fs::read_to_string(&manifest).expect("manifest");
        std::fs::write(&manifest, text.replace("\n[workspace]\n", "\n")).expect("manifest");
    }
    let (ok, _, stderr) = cargo(
        &root,
        &["clippy", "--quiet", "--workspace", "--", "-D", "warnings"],
    );
    let problems: Vec<&str> = stderr
        .lines()
        .filter(|l| l.starts_with("error") || l.starts_with("warning"))
        .collect();
    assert!(
        ok && problems.is_empty(),
        "the corpus clients do not compile cleanly:\n{}",
        stderr.lines().take(120).collect::<Vec<_>>().join("\n")
    );
}
