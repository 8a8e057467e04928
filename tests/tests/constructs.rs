//! Schema constructs, one fixture each in `tests/fixtures/constructs/`: the generated source is
//! snapshotted, and the generated types (compiled into this crate, see `src/fixtures.rs`) are
//! exercised with serde.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use okgen_tests::workspace;
use serde_json::{json, Value};

/// Decodes `value` as `T`, encodes it again, and checks nothing changed.
fn round_trip<T>(value: Value) -> T
where
    T: serde::de::DeserializeOwned + serde::Serialize,
{
    let decoded: T = serde_json::from_value(value.clone())
        .unwrap_or_else(|e| panic!("{value} does not decode: {e}"));
    assert_eq!(
        serde_json::to_value(&decoded).expect("encodes"),
        value,
        "round trip"
    );
    decoded
}

/// The generated source of every construct fixture, without the runtime (which the spec's
/// snapshot already covers), plus the readable summary.
#[test]
fn every_construct_fixture_matches_its_snapshot() {
    let dir = workspace().join("tests/fixtures/constructs");
    let mut specs: Vec<_> = std::fs::read_dir(&dir)
        .expect("fixtures")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|x| x == "yaml"))
        .collect();
    specs.sort();
    assert!(specs.len() >= 2, "fixtures found in {}", dir.display());
    for spec in specs {
        let name = spec
            .file_stem()
            .and_then(|s| s.to_str())
            .expect("name")
            .to_owned();
        let generated = okgen::generate_source(&okgen::Config::new(&spec))
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        let end = generated
            .source
            .find("\npub mod auth {")
            .expect("the runtime follows the generated part");
        insta::assert_snapshot!(format!("{name}_source"), &generated.source[..end]);
        insta::assert_snapshot!(
            format!("{name}_summary"),
            okgen::report::summary(&generated.api)
        );
    }
}

mod unions {
    use super::*;
    use okgen_tests::fixtures::unions::models::{
        Animal, Cat, Dog, Expiry, GetKeyResponse, Pet, Shape, SigningKey, StreamsOrOne,
    };

    #[test]
    fn mapped_tags_choose_the_variant_and_several_tags_may_share_one() {
        let dog = round_trip::<Pet>(json!({"petType": "dog", "bark": true}));
        assert!(matches!(&dog, Pet::Dog(Dog { bark: true, .. })), "{dog:?}");
        let puppy = round_trip::<Pet>(json!({"petType": "puppy", "bark": false}));
        assert!(matches!(puppy, Pet::Dog(_)));
        let cat = round_trip::<Pet>(json!({"petType": "cat", "lives": 9}));
        assert!(matches!(cat, Pet::Cat(Cat { lives: Some(9), .. })));
        assert_eq!(Pet::TAG, "petType");
    }

    #[test]
    fn unknown_or_missing_tags_keep_the_json() {
        let value = json!({"petType": "axolotl", "gills": 6});
        assert_eq!(round_trip::<Pet>(value.clone()), Pet::Unknown(value));
        let untagged = json!({"bark": true});
        assert_eq!(round_trip::<Pet>(untagged.clone()), Pet::Unknown(untagged));
        let not_an_object = json!("dog");
        assert_eq!(
            round_trip::<Pet>(not_an_object.clone()),
            Pet::Unknown(not_an_object)
        );
    }

    #[test]
    fn a_known_tag_with_a_bad_body_is_an_error_not_a_fallback() {
        let err =
            serde_json::from_value::<Pet>(json!({"petType": "dog"})).expect_err("bark is required");
        assert!(err.to_string().contains("bark"), "{err}");
    }

    #[test]
    fn without_a_mapping_the_schema_name_is_the_tag() {
        assert!(matches!(
            round_trip::<Shape>(json!({"kind": "Circle", "radius": 1.5})),
            Shape::Circle(_)
        ));
        assert!(matches!(
            round_trip::<Shape>(json!({"kind": "Square", "side": 2.0})),
            Shape::Square(_)
        ));
        assert!(matches!(
            round_trip::<Shape>(json!({"kind": "circle"})),
            Shape::Unknown(_)
        ));
    }

    #[test]
    fn a_discriminated_parent_decodes_its_subtypes_which_keep_the_parent_fields() {
        let bird = round_trip::<Animal>(json!({"type": "BIRD", "name": "Tweety", "wingspan": 0.2}));
        let Animal::Bird(bird) = bird else {
            panic!("{bird:?}")
        };
        assert_eq!(
            (bird.r#type.as_str(), bird.name.as_deref(), bird.wingspan),
            ("BIRD", Some("Tweety"), Some(0.2))
        );
        let fish = round_trip::<Animal>(json!({"type": "FISH"}));
        assert!(
            matches!(fish, Animal::Fish(_)),
            "a subtype that only includes its parent is a struct"
        );
        assert!(matches!(
            round_trip::<Animal>(json!({"type": "CAT"})),
            Animal::Unknown(_)
        ));
    }

    #[test]
    fn untagged_unions_pick_the_variant_that_fits_best() {
        let signing =
            round_trip::<GetKeyResponse>(json!({"kid": "k1", "alg": "RS256", "use": "sig"}));
        assert!(
            matches!(&signing, GetKeyResponse::SigningKey(SigningKey { alg, .. }) if alg == "RS256"),
            "{signing:?}"
        );
        // Both variants accept this value (unknown fields are kept); `enc` is only known to
        // EncryptionKey, so it fits better.
        let encryption =
            round_trip::<GetKeyResponse>(json!({"kid": "k2", "use": "enc", "enc": "A256GCM"}));
        assert!(
            matches!(encryption, GetKeyResponse::EncryptionKey(_)),
            "{encryption:?}"
        );
        let neither = json!({"alg": "none"});
        assert_eq!(
            round_trip::<GetKeyResponse>(neither.clone()),
            GetKeyResponse::Unknown(neither)
        );
    }

    #[test]
    fn inline_members_are_named_from_titles_and_types() {
        let list = round_trip::<StreamsOrOne>(json!([{"id": "s1"}, {"id": "s2"}]));
        assert!(
            matches!(&list, StreamsOrOne::ListOfStreamConfigurations(v) if v.len() == 2),
            "{list:?}"
        );
        assert!(matches!(
            round_trip::<StreamsOrOne>(json!({"id": "s3"})),
            StreamsOrOne::Stream(_)
        ));
        let at = round_trip::<Expiry>(json!("2026-01-02T03:04:05Z"));
        assert!(matches!(at, Expiry::DateTime(_)), "{at:?}");
        assert!(matches!(
            round_trip::<Expiry>(json!(3600)),
            Expiry::Integer(3600)
        ));
        assert!(matches!(
            round_trip::<Expiry>(json!("never")),
            Expiry::String(_)
        ));
        assert!(matches!(
            round_trip::<Expiry>(json!(true)),
            Expiry::Unknown(_)
        ));
    }
}
