//! Okta's whole Management API document (485 paths, 1541 schemas): every operation and schema
//! is generated into one crate, which must compile without a warning, and every example the
//! document gives is decoded into the generated type for its operation and status, encoded
//! again, and compared with the example exactly (as JSON values).
//!
//! The slowest test here (a few minutes on 2 cores): it builds a ~180k-line crate.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::BTreeMap;
use std::fmt::Write;
use std::time::Instant;

use okgen::examples::ExampleKind;
use okgen_tests::{cargo, official_document, rust_type, workspace};

const CRATE: &str = "okta_full";

/// The decoder program: its header; then `mod json_eq` (the text of `tests/src/json_eq.rs`).
const DECODER_DOC: &str = r#"//! Decodes each example (read as JSON lines `[case, type, value]` from stdin) into its type,
//! encodes it again and compares the two as JSON values. Prints, per case, `ok`, `err\t<why>`
//! or `changed\t<nulls>\t<difference>`: `<nulls>` the JSON list of the pointers where a `null`
//! was written back absent, `<difference>` the first other difference (empty if none).

use std::io::BufRead;
"#;

/// The decoder program: decoding, encoding and comparing one value.
const DECODER_CHECK: &str = r#"
/// What became of one example.
enum Outcome {
    RoundTrips,
    DoesNotDecode(String),
    /// Pointers where a `null` was written back absent, and the first other difference.
    Changed(Vec<String>, Option<String>),
}

fn check<T: serde::de::DeserializeOwned + serde::Serialize>(value: &serde_json::Value) -> Outcome {
    let decoded: T = match serde_path_to_error::deserialize(value) {
        Ok(decoded) => decoded,
        Err(e) => return Outcome::DoesNotDecode(format!("at `{}`: {}", e.path(), e.inner())),
    };
    let encoded = match serde_json::to_value(&decoded) {
        Ok(encoded) => encoded,
        Err(e) => return Outcome::Changed(Vec::new(), Some(format!("does not encode: {e}"))),
    };
    // Each `null` member written back absent is taken out of the example and counted; the
    // first difference of any other kind ends the comparison.
    let mut expected = value.clone();
    let mut nulls = Vec::new();
    while let Some(at) = json_eq::json_difference(&expected, &encoded) {
        let null_dropped = expected.pointer(&at).is_some_and(|v| v.is_null())
            && encoded.pointer(&at).is_none()
            && remove(&mut expected, &at);
        if !null_dropped {
            let other = format!(
                "at `{at}`: {} became {}",
                shown(expected.pointer(&at)),
                shown(encoded.pointer(&at))
            );
            return Outcome::Changed(nulls, Some(other));
        }
        nulls.push(at);
    }
    if nulls.is_empty() {
        Outcome::RoundTrips
    } else {
        Outcome::Changed(nulls, None)
    }
}

/// Removes the object member at `pointer`; whether there was one.
fn remove(value: &mut serde_json::Value, pointer: &str) -> bool {
    let Some((parent, key)) = pointer.rsplit_once('/') else { return false };
    let key = key.replace("~1", "/").replace("~0", "~");
    match value.pointer_mut(parent) {
        Some(serde_json::Value::Object(map)) => map.remove(&key).is_some(),
        _ => false,
    }
}

/// A value in a message: its JSON text, cut short; `absent` for none.
fn shown(value: Option<&serde_json::Value>) -> String {
    let Some(value) = value else { return "absent".to_owned() };
    let text = value.to_string();
    match text.char_indices().nth(80) {
        Some((cut, _)) => format!("{}…", &text[..cut]),
        None => text,
    }
}
"#;

/// The decoder program: the end of `decode` (its arms are written per type) and `main`.
const DECODER_MAIN: &str = r#"        other => Outcome::DoesNotDecode(format!("no type {other}")),
    }
}

fn main() {
    for line in std::io::stdin().lock().lines() {
        let line = line.expect("stdin");
        let case: (u64, u64, serde_json::Value) = serde_json::from_str(&line).expect("case");
        match decode(case.1, &case.2) {
            Outcome::RoundTrips => println!("{}\tok", case.0),
            Outcome::DoesNotDecode(e) => println!("{}\terr\t{}", case.0, e.replace('\n', " ")),
            Outcome::Changed(nulls, other) => println!(
                "{}\tchanged\t{}\t{}",
                case.0,
                serde_json::Value::from(nulls),
                other.unwrap_or_default().replace('\n', " ")
            ),
        }
    }
}
"#;

#[test]
fn okta_whole_document_generates_compiles_and_decodes_its_examples() {
    let Some(spec) = official_document("management-minimal.yaml") else {
        return;
    };

    let started = Instant::now();
    let config = okgen::Config::new(&spec);
    let generated =
        okgen::generate_source(&config).unwrap_or_else(|e| panic!("generation fails: {e}"));
    let generation = started.elapsed();
    let doc = okgen::load::load(&spec).expect("loads");
    let declared_operations: usize = doc
        .api
        .paths
        .paths
        .values()
        .filter_map(|p| p.as_item())
        .map(|p| p.iter().count())
        .sum();
    assert_eq!(
        generated.api.operations.len(),
        declared_operations,
        "every operation is generated (none left out in lenient mode)"
    );
    let warnings: Vec<String> = generated.warnings.iter().map(|w| w.to_string()).collect();
    assert!(
        warnings.is_empty(),
        "Okta's document generates without a warning:\n{}",
        warnings.join("\n")
    );
    eprintln!(
        "generated {} operations and {} types ({} lines) in {generation:.2?}",
        generated.api.operations.len(),
        generated.api.types.len(),
        generated.source.lines().count()
    );

    // The examples, and the type each must decode into.
    let examples =
        okgen::examples::collect(&doc, &okgen::Selection::default()).expect("examples resolve");
    let mut types: BTreeMap<String, usize> = BTreeMap::new();
    let mut cases = Vec::new();
    let mut untyped = Vec::new();
    for (index, example) in examples.iter().enumerate() {
        match okgen::check::example_type(&generated.api, example)
            .as_ref()
            .and_then(|ty| rust_type(CRATE, &generated.api.types, ty))
        {
            Some(ty) => {
                let next = types.len();
                let type_index = *types.entry(ty).or_insert(next);
                cases.push((index, type_index));
            }
            None => untyped.push(index),
        }
    }

    // A crate with the client and a program that decodes each example.
    let dir = workspace().join("target/okgen-fixtures/okta-full");
    okgen::write_standalone_crate(&dir.join(CRATE), &generated).expect("crate written");
    let decoder_dir = dir.join("decoder");
    std::fs::create_dir_all(decoder_dir.join("src")).expect("decoder dir");
    std::fs::write(
        decoder_dir.join("Cargo.toml"),
        format!(
            "[package]\nname = \"okta-full-decoder\"\nversion = \"0.1.0\"\nedition = \"2021\"\npublish = false\n\n[dependencies]\n{CRATE} = {{ path = \"../{CRATE}\" }}\nserde = \"1\"\nserde_json = \"1\"\nserde_path_to_error = \"0.1\"\n\n[workspace]\n"
        ),
    )
    .expect("manifest");
    let mut program = format!(
        "{DECODER_DOC}\nmod json_eq {{\n{}}}\n{DECODER_CHECK}\nfn decode(type_index: u64, value: &serde_json::Value) -> Outcome {{\n    match type_index {{\n",
        include_str!("../src/json_eq.rs")
    );
    for (ty, index) in &types {
        writeln!(program, "        {index} => check::<{ty}>(value),").unwrap();
    }
    program.push_str(DECODER_MAIN);
    okgen::write_if_changed(&decoder_dir.join("src/main.rs"), &program).expect("program");
    let cases_json: String = cases
        .iter()
        .map(|(index, type_index)| {
            serde_json::json!([index, type_index, examples[*index].value]).to_string() + "\n"
        })
        .collect();
    std::fs::write(dir.join("cases.jsonl"), &cases_json).expect("cases");

    // Compile: zero warnings in the generated crate.
    let started = Instant::now();
    let (ok, _, stderr) = cargo(&decoder_dir, &["build", "--quiet"]);
    let compile = started.elapsed();
    assert!(
        ok,
        "the whole-document client does not compile:\n{}",
        tail(&stderr)
    );
    let warnings: Vec<&str> = stderr
        .lines()
        .filter(|l| l.starts_with("warning"))
        .collect();
    assert!(
        warnings.is_empty(),
        "the whole-document client has warnings:\n{}",
        tail(&stderr)
    );
    eprintln!("compiled the client and the decoder in {compile:.2?}");

    // And clippy's default lints find nothing in it either.
    let started = Instant::now();
    let (ok, _, stderr) = cargo(&dir.join(CRATE), &["clippy", "--quiet"]);
    assert!(
        ok,
        "clippy fails on the whole-document client:\n{}",
        tail(&stderr)
    );
    let lints: Vec<&str> = stderr
        .lines()
        .filter(|l| l.starts_with("warning"))
        .collect();
    assert!(
        lints.is_empty(),
        "clippy warns on the whole-document client:\n{}",
        tail(&stderr)
    );
    eprintln!("clippy on the client: {:.2?}", started.elapsed());

    // Decode every example.
    let stdout = okgen_tests::run_decoder("okta-full-decoder", &dir.join("cases.jsonl"));
    let mut real: BTreeMap<usize, Outcome> = BTreeMap::new();
    for line in stdout.lines() {
        let mut parts = line.splitn(4, '\t');
        let index: usize = parts
            .next()
            .and_then(|i| i.parse().ok())
            .expect("case index");
        let outcome = match (parts.next(), parts.next(), parts.next()) {
            (Some("ok"), _, _) => Outcome::RoundTrips,
            (Some("changed"), Some(nulls), other) => Outcome::Changed {
                nulls: serde_json::from_str(nulls).expect("null pointers"),
                other: other.unwrap_or("").to_owned(),
            },
            (_, why, _) => Outcome::DoesNotDecode(why.unwrap_or("").to_owned()),
        };
        real.insert(index, outcome);
    }
    assert_eq!(real.len(), cases.len(), "every case answered");

    // Classify: an example that does not decode must be one that contradicts its own schema
    // (the document's mistake, listed with the reason). One that decodes must encode back to
    // itself, but for a `null` the schema does not allow (listed with where): an optional field
    // that is not nullable is an `Option`, `null` reads as `None` and is written back absent.
    // Anything else would be ours.
    let mut listed = Vec::new();
    let mut nulls_dropped = Vec::new();
    let mut ours = Vec::new();
    let mut simulation_disagrees = Vec::new();
    for (&index, outcome) in &real {
        let e = &examples[index];
        let decodes = !matches!(outcome, Outcome::DoesNotDecode(_));
        // `okgen check` simulates decoding on the IR; it must agree with the real code.
        let ty = okgen::check::example_type(&generated.api, e).expect("typed case");
        let mut simulated = Vec::new();
        okgen::check::decode(&generated.api, &ty, &e.value, "", &mut simulated, 0);
        if simulated.is_empty() != decodes {
            simulation_disagrees.push(format!(
                "{} {:?} {}: real {outcome:?}, simulated {simulated:?}",
                e.operation_id, e.kind, e.name
            ));
        }
        if matches!(outcome, Outcome::RoundTrips) {
            continue;
        }
        let direction = match e.kind {
            ExampleKind::Request => okgen::validate::Direction::Request,
            ExampleKind::Response(_) => okgen::validate::Direction::Response,
        };
        let mismatches = okgen::validate::validate_as(
            &doc,
            &format!("{}/schema", e.pointer),
            &e.value,
            direction,
        );
        let case = format!("{} {:?} {:?}", e.operation_id, e.kind, e.name);
        match outcome {
            Outcome::RoundTrips => {}
            Outcome::DoesNotDecode(why) => {
                let line = format!("{case}: does not decode ({why})");
                match mismatches.first() {
                    Some(m) => listed.push(format!("{line}; contradicts its schema: {m}")),
                    None => ours.push(line),
                }
            }
            Outcome::Changed { nulls, other } => {
                let not_allowed = |at: &String| {
                    mismatches
                        .iter()
                        .any(|m| &m.instance == at && m.message.contains("found null"))
                };
                if other.is_empty() && nulls.iter().all(not_allowed) {
                    nulls_dropped.push(format!("{case}: {}", nulls.join(" ")));
                } else {
                    ours.push(format!(
                        "{case}: does not round-trip: nulls written back absent {nulls:?}, other difference: {other:?}"
                    ));
                }
            }
        }
    }
    let decoded = real
        .values()
        .filter(|r| !matches!(r, Outcome::DoesNotDecode(_)))
        .count();
    let round_trips = real
        .values()
        .filter(|r| matches!(r, Outcome::RoundTrips))
        .count();
    eprintln!(
        "examples: {} in the document, {} decoded, {} of those round-trip exactly, {} give `null` where their schema does not allow it; {} contradict their schema and do not decode, {} without a JSON type (non-JSON bodies)",
        examples.len(),
        decoded,
        round_trips,
        nulls_dropped.len(),
        listed.len(),
        untyped.len()
    );
    let report = listed.join("\n");
    std::fs::write(dir.join("undecodable-examples.txt"), &report).expect("report");
    let nulls_report = nulls_dropped.join("\n");
    std::fs::write(dir.join("nulls-dropped-examples.txt"), &nulls_report).expect("report");
    assert!(
        ours.is_empty(),
        "examples that fit their schema but do not decode or round-trip:\n{}",
        ours.join("\n")
    );
    assert!(
        simulation_disagrees.is_empty(),
        "okgen check's simulation disagrees with the real decoding:\n{}",
        simulation_disagrees.join("\n")
    );
    insta::assert_snapshot!("okta_examples_that_contradict_their_schema", report);
    // Each line: an example, then the JSON pointers where it gives `null` to a field whose
    // schema is not nullable (the encoded value leaves them out; nothing else differs).
    insta::assert_snapshot!(
        "okta_examples_with_nulls_their_schema_does_not_allow",
        nulls_report
    );
}

/// What the decoder program said of one example.
#[derive(Debug)]
enum Outcome {
    RoundTrips,
    DoesNotDecode(String),
    /// Decodes, and encodes differently: `nulls` are the pointers where a `null` was written
    /// back absent, `other` the first other difference (empty if none).
    Changed {
        nulls: Vec<String>,
        other: String,
    },
}

fn tail(text: &str) -> String {
    let lines: Vec<&str> = text.lines().collect();
    lines[lines.len().saturating_sub(80)..].join("\n")
}
