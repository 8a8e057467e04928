//! Every example in `spec/` decodes into the generated type for its operation and status, and
//! encodes back to the same JSON.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use okgen::examples::{Example, ExampleKind};
use okgen_tests::spec_examples;
use okta_management::models;
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::Value;

/// Decodes as `T`, encodes again, and compares with the example (after `normalize`).
fn round_trip<T: DeserializeOwned + Serialize>(example: &Example) -> Result<(), String> {
    let decoded: T = serde_json::from_value(example.value.clone()).map_err(|e| e.to_string())?;
    let encoded = serde_json::to_value(&decoded).map_err(|e| e.to_string())?;
    let (expected, actual) = (normalize(example.value.clone()), normalize(encoded));
    if expected == actual {
        Ok(())
    } else {
        Err(format!(
            "round trip changed the value:\n  example: {expected}\n  encoded: {actual}"
        ))
    }
}

/// What legitimately differs after a round trip: absent and `null` optional fields are the same
/// `None`, and timestamps are written without a zero fraction.
fn normalize(value: Value) -> Value {
    match value {
        Value::Object(map) => Value::Object(
            map.into_iter()
                .filter(|(_, v)| !v.is_null())
                .map(|(k, v)| (k, normalize(v)))
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.into_iter().map(normalize).collect()),
        Value::String(s) => Value::String(s.replace(".000Z", "Z")),
        other => other,
    }
}

fn check(example: &Example) -> Result<(), String> {
    let status = match &example.kind {
        ExampleKind::Request => None,
        ExampleKind::Response(status) => Some(status.as_str()),
    };
    match (example.operation_id.as_str(), status) {
        (_, Some(s)) if s.starts_with('4') || s.starts_with('5') => {
            round_trip::<models::Error>(example)
        }
        ("createAuthenticatorEnrollment", None) => {
            round_trip::<models::AuthenticatorEnrollmentCreateRequest>(example)
        }
        ("createTacAuthenticatorEnrollment", None) => {
            round_trip::<models::AuthenticatorEnrollmentCreateRequestTac>(example)
        }
        ("createAuthenticatorEnrollment" | "getAuthenticatorEnrollment", Some("200")) => {
            round_trip::<models::AuthenticatorEnrollment>(example)
        }
        ("createTacAuthenticatorEnrollment", Some("200")) => {
            round_trip::<models::TacAuthenticatorEnrollment>(example)
        }
        ("listAuthenticatorEnrollments", Some("200")) => {
            round_trip::<Vec<models::AuthenticatorEnrollment>>(example)
        }
        (operation, status) => Err(format!(
            "no generated type is known for {operation} {status:?}"
        )),
    }
}

#[test]
fn every_spec_example_decodes_into_its_generated_type_and_round_trips() {
    let examples = spec_examples();
    let failures: Vec<String> = examples
        .iter()
        .filter_map(|e| {
            check(e).err().map(|why| {
                format!(
                    "{} {:?} {} (#{}): {why}",
                    e.operation_id, e.kind, e.name, e.pointer
                )
            })
        })
        .collect();
    assert!(
        failures.is_empty(),
        "examples that do not fit:\n{}",
        failures.join("\n")
    );
    // 2 request examples, 7 success examples, and the error examples of 15 error responses.
    assert_eq!(
        examples.len(),
        2 + 7 + 15,
        "the spec's examples were all found"
    );
}

#[test]
fn a_mismatching_example_is_reported() {
    let mut example = spec_examples()
        .into_iter()
        .find(|e| {
            e.operation_id == "listAuthenticatorEnrollments"
                && e.kind == ExampleKind::Response("200".into())
        })
        .expect("the list example");
    // What Okta's published document declares: one object where the API returns an array.
    example.value = example.value[0].clone();
    let err = check(&example).expect_err("an object is not a list");
    assert!(err.contains("expected a sequence"), "{err}");
}
