//! Okta's whole Management API document (485 paths, 1541 schemas): every operation and schema
//! is generated into one crate, which must compile without a warning, and every example the
//! document gives is decoded into the generated type for its operation and status.
//!
//! The slowest test here (a few minutes on 2 cores): it builds a ~180k-line crate.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::BTreeMap;
use std::fmt::Write;
use std::time::Instant;

use okgen::examples::ExampleKind;
use okgen::ir::{TypeRef, Types};
use okgen_tests::{cargo, official_document, workspace};

const CRATE: &str = "okta_full";

/// The Rust spelling of a type from outside the generated crate.
fn rust_type(types: &Types, ty: &TypeRef) -> Option<String> {
    Some(match ty {
        TypeRef::String => "String".into(),
        TypeRef::Bool => "bool".into(),
        TypeRef::I32 => "i32".into(),
        TypeRef::I64 => "i64".into(),
        TypeRef::F32 => "f32".into(),
        TypeRef::F64 => "f64".into(),
        TypeRef::DateTime => format!("{CRATE}::DateTime"),
        TypeRef::Date => format!("{CRATE}::Date"),
        TypeRef::Secret => format!("{CRATE}::Secret"),
        TypeRef::Value => "serde_json::Value".into(),
        TypeRef::Bytes => return None,
        TypeRef::Named(id) => format!(
            "{CRATE}::models::{}",
            types.name(*id).trim_start_matches("r#")
        ),
        TypeRef::Vec(t) => format!("Vec<{}>", rust_type(types, t)?),
        TypeRef::Map(t) => format!(
            "std::collections::BTreeMap<String, {}>",
            rust_type(types, t)?
        ),
        TypeRef::Boxed(t) => format!("Box<{}>", rust_type(types, t)?),
        TypeRef::Option(t) => format!("Option<{}>", rust_type(types, t)?),
    })
}

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
            .and_then(|ty| rust_type(&generated.api.types, ty))
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
    let mut program = String::from(
        "//! Decodes each example (read as JSON lines `[case, type, value]` from stdin) into its type.\n\n\
         use std::io::BufRead;\n\n\
         fn check<T: serde::de::DeserializeOwned>(value: &serde_json::Value) -> Result<(), String> {\n    \
         serde_path_to_error::deserialize::<_, T>(value).map(drop).map_err(|e| format!(\"at `{}`: {}\", e.path(), e.inner()))\n}\n\n\
         fn decode(type_index: u64, value: &serde_json::Value) -> Result<(), String> {\n    match type_index {\n",
    );
    for (ty, index) in &types {
        writeln!(program, "        {index} => check::<{ty}>(value),").unwrap();
    }
    program.push_str(
        "        other => Err(format!(\"no type {other}\")),\n    }\n}\n\n\
         fn main() {\n    for line in std::io::stdin().lock().lines() {\n        let line = line.expect(\"stdin\");\n        \
         let case: (u64, u64, serde_json::Value) = serde_json::from_str(&line).expect(\"case\");\n        \
         match decode(case.1, &case.2) {\n            Ok(()) => println!(\"{}\\tok\", case.0),\n            \
         Err(e) => println!(\"{}\\terr\\t{}\", case.0, e.replace('\\n', \" \")),\n        }\n    }\n}\n",
    );
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
    let binary = workspace().join("target/okgen-fixtures/target/debug/okta-full-decoder");
    let output = std::process::Command::new(&binary)
        .stdin(std::fs::File::open(dir.join("cases.jsonl")).expect("cases"))
        .output()
        .expect("the decoder runs");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let stdout = String::from_utf8_lossy(&output.stdout);
    let mut real: BTreeMap<usize, Result<(), String>> = BTreeMap::new();
    for line in stdout.lines() {
        let mut parts = line.splitn(3, '\t');
        let index: usize = parts
            .next()
            .and_then(|i| i.parse().ok())
            .expect("case index");
        let result = match parts.next() {
            Some("ok") => Ok(()),
            _ => Err(parts.next().unwrap_or("").to_owned()),
        };
        real.insert(index, result);
    }
    assert_eq!(real.len(), cases.len(), "every case answered");

    // Classify: an example that does not decode must be one that contradicts its own schema
    // (the document's mistake, listed with the reason); one that fits its schema and still does
    // not decode would be ours.
    let mut listed = Vec::new();
    let mut ours = Vec::new();
    let mut simulation_disagrees = Vec::new();
    for (&index, result) in &real {
        let e = &examples[index];
        // `okgen check` simulates decoding on the IR; it must agree with the real code.
        let ty = okgen::check::example_type(&generated.api, e).expect("typed case");
        let mut simulated = Vec::new();
        okgen::check::decode(&generated.api, &ty, &e.value, "", &mut simulated, 0);
        if simulated.is_empty() != result.is_ok() {
            simulation_disagrees.push(format!(
                "{} {:?} {}: real {result:?}, simulated {simulated:?}",
                e.operation_id, e.kind, e.name
            ));
        }
        let Err(reason) = result else { continue };
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
        let line = format!(
            "{} {:?} {:?}: does not decode ({reason})",
            e.operation_id, e.kind, e.name
        );
        match mismatches.first() {
            Some(m) => listed.push(format!("{line}; contradicts its schema: {m}")),
            None => ours.push(line),
        }
    }
    let decoded = real.values().filter(|r| r.is_ok()).count();
    eprintln!(
        "examples: {} in the document, {} decoded, {} contradict their schema, {} without a JSON type (non-JSON bodies)",
        examples.len(),
        decoded,
        listed.len(),
        untyped.len()
    );
    assert!(
        ours.is_empty(),
        "examples that fit their schema but do not decode:\n{}",
        ours.join("\n")
    );
    assert!(
        simulation_disagrees.is_empty(),
        "okgen check's simulation disagrees with the real decoding:\n{}",
        simulation_disagrees.join("\n")
    );
    let report = listed.join("\n");
    std::fs::write(dir.join("undecodable-examples.txt"), &report).expect("report");
    insta::assert_snapshot!("okta_examples_that_contradict_their_schema", report);
}

fn tail(text: &str) -> String {
    let lines: Vec<&str> = text.lines().collect();
    lines[lines.len().saturating_sub(80)..].join("\n")
}
