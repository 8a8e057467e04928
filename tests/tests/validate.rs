//! Every example validated against the schema its media type declares, with
//! `okgen::validate`: our own `spec/` slice must be free of contradictions, and in Okta's
//! official document exactly the contradictions we know of must be found.

use okgen::examples::{Example, ExampleKind};
use okgen::load::Document;
use okgen::validate::{validate_as, Direction, Mismatch};

/// Validates each example against `<pointer>/schema`, in the example's direction.
fn mismatches(doc: &Document, examples: &[Example]) -> Vec<(Example, Mismatch)> {
    examples
        .iter()
        .flat_map(|example| {
            let direction = match example.kind {
                ExampleKind::Request => Direction::Request,
                ExampleKind::Response(_) => Direction::Response,
            };
            let schema = format!("{}/schema", example.pointer);
            validate_as(doc, &schema, &example.value, direction)
                .into_iter()
                .map(|m| (example.clone(), m))
        })
        .collect()
}

fn describe(example: &Example, m: &Mismatch) -> String {
    let kind = match &example.kind {
        ExampleKind::Request => "request".to_owned(),
        ExampleKind::Response(status) => format!("response {status}"),
    };
    format!(
        "{} {kind} example {:?} ({}): {m}",
        example.operation_id, example.name, example.media_type
    )
}

fn load(path: &std::path::Path) -> Document {
    match okgen::load::load(path) {
        Ok(doc) => doc,
        Err(e) => panic!("{} must load: {e}", path.display()),
    }
}

#[test]
fn every_spec_example_matches_its_declared_schema() {
    let config = okgen_tests::spec_config();
    let doc = load(config.spec_path());
    let examples = okgen_tests::spec_examples();
    assert_eq!(
        examples.len(),
        2 + 7 + 15,
        "the spec's examples were all found"
    );
    for example in &examples {
        let schema = format!("{}/schema", example.pointer);
        assert!(
            doc.raw.pointer(&schema).is_some(),
            "{} {:?} {}: no schema at {schema}",
            example.operation_id,
            example.kind,
            example.name
        );
    }
    let found = mismatches(&doc, &examples);
    let report: Vec<String> = found.iter().map(|(e, m)| describe(e, m)).collect();
    assert!(
        found.is_empty(),
        "examples of spec/ contradict their schemas:\n{}",
        report.join("\n")
    );
}

/// A known contradiction: the operation, the example, where in the value, the failing keyword
/// (the end of the schema pointer), and words the message must contain.
struct Known {
    operation_id: &'static str,
    kind: ExampleKind,
    example: &'static str,
    instance: &'static str,
    schema: &'static str,
    says: &'static str,
}

#[test]
fn okta_official_document_contradictions_are_found() {
    let Some(path) = okgen_tests::official_document("management-minimal.yaml") else {
        return;
    };
    let doc = load(&path);
    let selection = okgen::Selection {
        tags: vec!["UserAuthenticatorEnrollments".into()],
        ..Default::default()
    };
    let examples = match okgen::examples::collect(&doc, &selection) {
        Ok(examples) => examples,
        Err(e) => panic!("the official examples must resolve: {e}"),
    };
    let found = mismatches(&doc, &examples);
    println!(
        "Okta's official document, tag UserAuthenticatorEnrollments: {} examples, {} mismatches",
        examples.len(),
        found.len()
    );
    for (example, m) in &found {
        println!("  {}", describe(example, m));
    }

    let ok200 = || ExampleKind::Response("200".into());
    let known = [
        // The list operation declares one object; its example (and the live API) is an array.
        Known {
            operation_id: "listAuthenticatorEnrollments",
            kind: ok200(),
            example: "AuthenticatorEnrollmentsListAllEx",
            instance: "",
            schema: "/components/schemas/AuthenticatorEnrollment/type",
            says: "expected object, found array of 3 items",
        },
        // The TAC's expiry is a local time without an offset.
        Known {
            operation_id: "createTacAuthenticatorEnrollment",
            kind: ok200(),
            example: "TacEx",
            instance: "/profile/expiresAt",
            schema: "/components/schemas/AuthenticatorProfileTacResponsePost/properties/expiresAt/format",
            says: "\"2025-05-28T19:21:14\" lacks a UTC offset",
        },
        // `phoneNumber: 14085551235` unquoted: YAML reads a number.
        Known {
            operation_id: "getAuthenticatorEnrollment",
            kind: ok200(),
            example: "PhoneDisclosedEx",
            instance: "/profile/phoneNumber",
            schema: "/components/schemas/AuthenticatorProfile/properties/phoneNumber/type",
            says: "expected string, found number 14085551235",
        },
        // `ttl: 11` unquoted in the TAC request example, where `ttl` is declared a string.
        Known {
            operation_id: "createTacAuthenticatorEnrollment",
            kind: ExampleKind::Request,
            example: "TacEx",
            instance: "/profile/ttl",
            schema: "/components/schemas/AuthenticatorProfileTacRequest/properties/ttl/type",
            says: "expected string, found number 11",
        },
    ];
    let matches = |k: &Known, (e, m): &(Example, Mismatch)| {
        e.operation_id == k.operation_id
            && e.kind == k.kind
            && e.name == k.example
            && m.instance == k.instance
            && m.schema == k.schema
            && m.message.contains(k.says)
    };
    let missing: Vec<String> = known
        .iter()
        .filter(|k| !found.iter().any(|f| matches(k, f)))
        .map(|k| {
            format!(
                "{} {:?} {} at {:?}: {}",
                k.operation_id, k.kind, k.example, k.instance, k.says
            )
        })
        .collect();
    let unexpected: Vec<String> = found
        .iter()
        .filter(|f| !known.iter().any(|k| matches(k, f)))
        .map(|(e, m)| describe(e, m))
        .collect();
    assert!(
        missing.is_empty() && unexpected.is_empty(),
        "known contradictions not found:\n{}\nunexpected mismatches:\n{}",
        missing.join("\n"),
        unexpected.join("\n")
    );
    assert_eq!(found.len(), known.len(), "each contradiction is found once");
}
