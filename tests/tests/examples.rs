//! Every example in `spec/` decodes into the generated type for its operation and status, and
//! encodes back to exactly the same JSON value.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use okgen::examples::{Example, ExampleKind};
use okgen_tests::json_eq::json_difference;
use okgen_tests::spec_examples;
use okta_management::models;
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::json;

/// Decodes as `T`, encodes again, and compares with the example exactly (as JSON values: only
/// number spelling and member order may differ).
fn round_trip<T: DeserializeOwned + Serialize>(example: &Example) -> Result<(), String> {
    let decoded: T = serde_json::from_value(example.value.clone()).map_err(|e| e.to_string())?;
    let encoded = serde_json::to_value(&decoded).map_err(|e| e.to_string())?;
    match json_difference(&example.value, &encoded) {
        None => Ok(()),
        Some(at) => Err(format!(
            "round trip changed the value at `{at}`:\n  example: {}\n  encoded: {encoded}",
            example.value
        )),
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

#[test]
fn json_equality_is_exact_but_for_number_spelling_and_member_order() {
    let same = |a: serde_json::Value, b: serde_json::Value| json_difference(&a, &b);
    // JSON's own equivalences.
    assert_eq!(same(json!(1), json!(1.0)), None);
    assert_eq!(same(json!(-3), json!(-3.0)), None);
    assert_eq!(same(json!(u64::MAX), json!(u64::MAX)), None);
    assert_eq!(same(json!(0.5), json!(0.5)), None);
    assert_eq!(
        same(json!({"a": 1, "b": [true]}), json!({"b": [true], "a": 1})),
        None
    );
    // Everything else counts, and the pointer names where.
    assert_eq!(same(json!(1), json!(1.5)), Some(String::new()));
    assert_eq!(
        same(json!(u64::MAX), json!(u64::MAX - 1)),
        Some(String::new())
    );
    assert_eq!(same(json!(1), json!("1")), Some(String::new()));
    assert_eq!(same(json!("a"), json!("b")), Some(String::new()));
    assert_eq!(same(json!([1, 2]), json!([2, 1])), Some("/0".into()));
    assert_eq!(same(json!([1, 2]), json!([1])), Some("/1".into()));
    assert_eq!(same(json!([1]), json!([1, 2])), Some("/1".into()));
    assert_eq!(same(json!({"a": null}), json!({})), Some("/a".into()));
    assert_eq!(same(json!({}), json!({"a": null})), Some("/a".into()));
    assert_eq!(
        same(json!({"a": null}), json!({"a": false})),
        Some("/a".into())
    );
    assert_eq!(
        same(json!({"x": {"a/b~": ["t"]}}), json!({"x": {"a/b~": ["T"]}})),
        Some("/x/a~1b~0/0".into())
    );
    assert_eq!(
        same(
            json!({"at": "2025-05-28T19:21:14.000Z"}),
            json!({"at": "2025-05-28T19:21:14Z"})
        ),
        Some("/at".into()),
        "timestamps are strings: no rewriting"
    );
}
