//! Schema constructs, one fixture each in `tests/fixtures/constructs/`: the generated source is
//! snapshotted, and the generated types (compiled into this crate, see `src/fixtures.rs`) are
//! exercised with serde; where parameters and bodies matter, the generated client is run against
//! a local mock server (wiremock).

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

/// The lowered IR of `tests/fixtures/constructs/<name>.yaml`, for what serde cannot show
/// (parameter lists, type aliases).
fn lowered(name: &str) -> okgen::ir::Api {
    let spec = workspace().join(format!("tests/fixtures/constructs/{name}.yaml"));
    okgen::lower(&okgen::Config::new(&spec))
        .unwrap_or_else(|e| panic!("{name}: {e}"))
        .0
}

/// The operation called `name` (its Rust name) in `api`.
fn operation<'a>(api: &'a okgen::ir::Api, name: &str) -> &'a okgen::ir::Operation {
    api.operations
        .iter()
        .find(|o| o.name == name)
        .unwrap_or_else(|| panic!("no operation {name}"))
}

/// A mock server answering every request with `status` and `body`.
async fn serve(status: u16, body: Option<Value>) -> wiremock::MockServer {
    let server = wiremock::MockServer::start().await;
    let mut template = wiremock::ResponseTemplate::new(status);
    if let Some(body) = body {
        template = template.set_body_json(body);
    }
    wiremock::Mock::given(wiremock::matchers::any())
        .respond_with(template)
        .mount(&server)
        .await;
    server
}

/// The one request `server` received.
async fn only_request(server: &wiremock::MockServer) -> wiremock::Request {
    let mut requests = server.received_requests().await.expect("recording is on");
    assert_eq!(requests.len(), 1, "exactly one request is sent");
    requests.remove(0)
}

/// The generated source of every construct fixture, without the runtime (which has a snapshot of
/// its own, `snapshot__runtime.snap`), plus the readable summary.
#[test]
fn every_construct_fixture_matches_its_snapshot() {
    for (name, spec) in okgen_tests::construct_fixtures() {
        let generated = okgen::generate_source(&okgen::Config::new(&spec))
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        insta::assert_snapshot!(
            format!("{name}_source"),
            okgen_tests::generated_part(&generated.source)
        );
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

mod refs {
    use super::*;
    use okgen::examples::ExampleKind;
    use okgen::ir::{ParamLocation, TypeKind, TypeRef};
    use okgen_tests::fixtures::refs::models::{
        Part, PartAlias, Problem, Widget, WidgetAlias, WidgetAliasAlias,
    };
    use okgen_tests::fixtures::refs::{Auth, Client, Error};

    fn client(server: &wiremock::MockServer) -> Client {
        Client::new(&server.uri(), Auth::None).expect("client")
    }

    #[test]
    fn a_ref_to_a_ref_to_an_object_is_an_alias_chain_of_the_struct() {
        let api = lowered("refs");
        let kind = |name: &str| api.types[name].kind.clone();
        assert_eq!(
            kind("WidgetAliasAlias"),
            TypeKind::Alias(api.types.named("WidgetAlias").unwrap())
        );
        assert_eq!(
            kind("WidgetAlias"),
            TypeKind::Alias(api.types.named("Widget").unwrap())
        );
        assert!(matches!(kind("Widget"), TypeKind::Struct(_)));
        // The aliases are the struct itself: constructed as one, decoded as the other.
        let widget: WidgetAliasAlias = Widget {
            name: Some("small".into()),
            parts: Some(vec![PartAlias::new("p1")]),
            ..WidgetAlias::new("w1")
        };
        let decoded = round_trip::<WidgetAliasAlias>(
            json!({"id": "w1", "name": "small", "parts": [{"sku": "p1"}]}),
        );
        assert_eq!(decoded, widget);
        let part: &Part = &decoded.parts.as_ref().expect("parts")[0];
        assert_eq!(part.sku, "p1");
    }

    #[test]
    fn path_level_parameters_merge_and_operation_level_ones_override_them() {
        let api = lowered("refs");
        let params = |op: &str| -> Vec<(String, ParamLocation, TypeRef, bool)> {
            operation(&api, op)
                .params
                .iter()
                .map(|p| (p.wire_name.clone(), p.location, p.ty.clone(), p.required))
                .collect()
        };
        // `limit` comes from a parameter that is a $ref to another parameter component.
        assert_eq!(
            params("delete_parts"),
            [
                (
                    "widgetId".into(),
                    ParamLocation::Path,
                    TypeRef::String,
                    true
                ),
                ("limit".into(), ParamLocation::Query, TypeRef::I32, false),
                ("verbose".into(), ParamLocation::Query, TypeRef::Bool, false),
            ]
        );
        assert_eq!(
            params("list_parts"),
            [
                (
                    "widgetId".into(),
                    ParamLocation::Path,
                    TypeRef::String,
                    true
                ),
                ("verbose".into(), ParamLocation::Query, TypeRef::Bool, false),
                ("limit".into(), ParamLocation::Query, TypeRef::I64, true),
                (
                    "X-Trace".into(),
                    ParamLocation::Header,
                    TypeRef::String,
                    false
                ),
            ],
            "the operation's `limit` replaces the path-level one"
        );
        let limit = operation(&api, "list_parts")
            .params
            .iter()
            .find(|p| p.wire_name == "limit")
            .expect("limit");
        assert_eq!(limit.doc.as_deref(), Some("Overridden at the operation."));
    }

    #[tokio::test]
    async fn the_overriding_parameter_is_a_required_argument_and_path_level_ones_are_setters() {
        let server = serve(200, Some(json!([{"sku": "p1"}]))).await;
        let parts = client(&server)
            .list_parts("w 1", 25_i64)
            .verbose(true)
            .x_trace("t1")
            .await
            .expect("parts");
        assert_eq!(parts, vec![Part::new("p1")]);
        let request = only_request(&server).await;
        assert_eq!(request.method.as_str(), "GET");
        assert_eq!(request.url.path(), "/widgets/w%201/parts");
        assert_eq!(request.url.query(), Some("verbose=true&limit=25"));
        assert_eq!(
            request.headers.get("x-trace").and_then(|v| v.to_str().ok()),
            Some("t1")
        );

        let server = serve(204, None).await;
        client(&server)
            .delete_parts("w1")
            .limit(5_i32)
            .await
            .expect("deleted");
        let request = only_request(&server).await;
        assert_eq!(request.method.as_str(), "DELETE");
        assert_eq!(request.url.query(), Some("limit=5"));
    }

    #[tokio::test]
    async fn request_body_and_response_ref_chains_resolve_to_their_schemas() {
        let server = serve(201, Some(json!({"id": "w1", "name": "made"}))).await;
        let made: Widget = client(&server)
            .create_widget(Widget::new("w1"))
            .await
            .expect("created");
        assert_eq!(made.name.as_deref(), Some("made"));
        let request = only_request(&server).await;
        let sent: Value = serde_json::from_slice(&request.body).expect("JSON body");
        assert_eq!(sent, json!({"id": "w1"}));

        // 409 is a response that is a $ref to the `Problem` response: the error body is typed.
        let server = serve(409, Some(json!({"detail": "exists"}))).await;
        let err = client(&server)
            .create_widget(Widget::new("w1"))
            .await
            .expect_err("conflict");
        let Error::Api(api) = err else {
            panic!("{err:?}")
        };
        assert_eq!(api.status.as_u16(), 409);
        let problem: Option<Problem> = api.body;
        assert_eq!(problem.and_then(|p| p.detail).as_deref(), Some("exists"));
    }

    #[test]
    fn examples_by_ref_and_by_ref_chain_resolve_and_decode() {
        let spec = workspace().join("tests/fixtures/constructs/refs.yaml");
        let doc = okgen::load::load(&spec).expect("loads");
        let examples =
            okgen::examples::collect(&doc, &okgen::Selection::default()).expect("resolve");
        let found: Vec<(&str, &ExampleKind, &str)> = examples
            .iter()
            .map(|e| (e.operation_id.as_str(), &e.kind, e.name.as_str()))
            .collect();
        let ok = ExampleKind::Response("200".into());
        assert_eq!(
            found,
            [
                ("createWidget", &ExampleKind::Request, "small"),
                ("getWidget", &ok, "small"),
                ("getWidget", &ok, "chained"),
            ]
        );
        for example in examples {
            let widget = round_trip::<WidgetAliasAlias>(example.value);
            assert_eq!(widget.id, "w1");
        }
    }
}

mod allof {
    use super::*;
    use okgen_tests::fixtures::allof::models::{
        Account, GetMergedResponse, Identified, Named, Record,
    };

    #[test]
    fn members_nested_members_and_own_properties_merge_into_one_struct() {
        let account = round_trip::<Account>(json!({
            "id": "a1",
            "name": "Ann",
            "createdAt": "2025-01-02T03:04:05Z",
            "createdBy": "admin",
            "email": "ann@example.com",
            "owner": {"id": "o1"},
            "manager": {"id": "m1"},
        }));
        let Account {
            id,
            name,
            created_at,
            created_by,
            email,
            owner,
            manager,
            additional_properties,
        } = account;
        assert_eq!(
            (id.as_str(), name.as_str(), email.as_str()),
            ("a1", "Ann", "ann@example.com")
        );
        assert_eq!(created_at.map(|t| t.unix_timestamp()), Some(1_735_787_045));
        assert_eq!(created_by.as_deref(), Some("admin"));
        assert_eq!(owner, Some(Identified::new("o1")));
        assert_eq!(manager.map(|m| m.id), Some("m1".to_owned()));
        assert!(additional_properties.is_empty(), "every property is named");
    }

    #[test]
    fn required_is_merged_from_every_member() {
        // `id` (two levels down), `name` (required by a member that only lists it) and `email`.
        let account = Account::new("a1", "Ann", "ann@example.com");
        assert_eq!(
            serde_json::to_value(&account).unwrap(),
            json!({"id": "a1", "name": "Ann", "email": "ann@example.com"})
        );
        for missing in ["id", "name", "email"] {
            let mut value = json!({"id": "a1", "name": "Ann", "email": "ann@example.com"});
            value.as_object_mut().unwrap().remove(missing);
            let err = serde_json::from_value::<Account>(value).expect_err(missing);
            assert!(err.to_string().contains(missing), "{err}");
        }
        // The member that declares `name` leaves it optional.
        let named = round_trip::<Named>(json!({"id": "n1"}));
        assert_eq!(named.name, None);
    }

    #[test]
    fn all_of_next_to_own_properties_and_inline_all_of() {
        let record = round_trip::<Record>(json!({"id": "r1", "value": 5}));
        assert_eq!(record, Record::new("r1", 5));
        assert!(serde_json::from_value::<Record>(json!({"value": 5})).is_err());
        let merged = round_trip::<GetMergedResponse>(json!({"id": "m1", "createdBy": "me"}));
        assert_eq!(
            (merged.id.as_str(), merged.created_by.as_deref()),
            ("m1", Some("me"))
        );
    }

    #[test]
    fn docs_come_from_inline_members_before_referenced_ones_and_merged_members_are_not_types() {
        let api = lowered("allof");
        assert_eq!(
            api.types.names().collect::<Vec<_>>(),
            [
                "Account",
                "GetMergedResponse",
                "Identified",
                "Named",
                "Record"
            ],
            "Base and Audited are only merged into others"
        );
        assert_eq!(
            api.types["Account"].doc.as_deref(),
            Some("An account (a member that only carries a description)."),
            "not the description of the referenced Base"
        );
        let okgen::ir::TypeKind::Struct(account) = &api.types["Account"].kind else {
            panic!("Account is a struct")
        };
        let doc = |json: &str| {
            account
                .fields
                .iter()
                .find(|f| f.json_name == json)
                .and_then(|f| f.doc.clone())
        };
        assert_eq!(
            doc("owner").as_deref(),
            Some("The owner (a property whose allOf is a description and a ref).")
        );
        assert_eq!(
            doc("manager").as_deref(),
            Some("The manager (the description in a member).")
        );
    }
}

mod enums {
    use super::*;
    use okgen_tests::fixtures::enums::models::{
        Color, Factor, FactorStatus, FactorType, Level, Method,
    };
    use okgen_tests::fixtures::enums::{Auth, Client, Error};

    /// Every known value with its variant, in spec order.
    const FACTOR_TYPES: [(FactorType, &str); 7] = [
        (FactorType::SecurityKey, "security_key"),
        (FactorType::SecurityKey2, "SECURITY_KEY"),
        (FactorType::AB, "a-b"),
        (FactorType::V1st, "1st"),
        (FactorType::Unknown, "unknown"),
        (FactorType::Empty, ""),
        (FactorType::Delete, "DELETE"),
    ];

    #[test]
    fn known_values_serialize_exactly_as_in_the_spec_and_decode_to_their_variant() {
        for (variant, value) in FACTOR_TYPES {
            assert_eq!(serde_json::to_value(&variant).unwrap(), json!(value));
            assert_eq!(round_trip::<FactorType>(json!(value)), variant);
            assert!(!variant.is_unknown(), "{value:?}");
        }
        let values: Vec<&str> = FACTOR_TYPES.iter().map(|(_, v)| *v).collect();
        assert_eq!(FactorType::KNOWN_VALUES, values.as_slice());
        assert_eq!(Color::KNOWN_VALUES, ["red", "green"]);
        assert_eq!(FactorStatus::KNOWN_VALUES, ["ACTIVE", "INACTIVE"]);
    }

    #[test]
    fn display_from_str_and_as_str_round_trip() {
        for (variant, value) in FACTOR_TYPES {
            assert_eq!(variant.as_str(), value);
            assert_eq!(variant.to_string(), value);
            assert_eq!(value.parse::<FactorType>(), Ok(variant.clone()));
            assert_eq!(FactorType::from(value.to_owned()), variant);
        }
        let other = "PASSKEY".parse::<FactorType>().unwrap();
        assert_eq!(other, FactorType::UnknownValue("PASSKEY".into()));
        assert_eq!(
            (other.as_str(), other.to_string().as_str()),
            ("PASSKEY", "PASSKEY")
        );
        for (variant, value) in [
            (Level::Minus1, -1),
            (Level::V0, 0),
            (Level::V1, 1),
            (Level::V10, 10),
        ] {
            assert_eq!(variant.as_i64(), value);
            assert_eq!(variant.to_string(), value.to_string());
            assert_eq!(value.to_string().parse::<Level>(), Ok(variant));
            assert_eq!(Level::from(value), variant);
        }
        assert!("ten".parse::<Level>().is_err(), "not a number");
    }

    #[test]
    fn unknown_strings_and_integers_are_kept_not_rejected() {
        // `unknown` is a known value here, so the fallback is called `UnknownValue`.
        let odd = round_trip::<FactorType>(json!("Security-Key"));
        assert_eq!(odd, FactorType::UnknownValue("Security-Key".into()));
        assert!(odd.is_unknown());
        assert_eq!(
            round_trip::<Color>(json!("blue")),
            Color::Unknown("blue".into())
        );
        let level = round_trip::<Level>(json!(-7));
        assert_eq!(level, Level::Unknown(-7));
        assert!(level.is_unknown() && !Level::Minus1.is_unknown());
        assert_eq!(round_trip::<Level>(json!(-1)), Level::Minus1);
        // Still typed: a string is not an integer enum, nor a number a string enum.
        assert!(serde_json::from_value::<Level>(json!("1")).is_err());
        assert!(serde_json::from_value::<Color>(json!(1)).is_err());

        let factor = round_trip::<Factor>(json!({
            "factorType": "webauthn", "color": "red", "level": 99, "status": "PENDING"
        }));
        assert_eq!(
            factor.factor_type,
            FactorType::UnknownValue("webauthn".into())
        );
        assert_eq!(factor.color, Some(Color::Red));
        assert_eq!(factor.level, Some(Level::Unknown(99)));
        assert_eq!(factor.status, Some(FactorStatus::Unknown("PENDING".into())));
    }

    #[tokio::test]
    async fn enums_in_path_and_query_parameters_are_sent_as_their_values() {
        let server = serve(200, Some(json!({"factorType": "a-b"}))).await;
        let client = Client::new(&server.uri(), Auth::None).expect("client");
        let factor = client
            .list_factors(FactorType::AB)
            .method(Method::Delete)
            .levels([Level::Minus1, Level::V10, Level::Unknown(3)])
            .await
            .expect("factor");
        assert_eq!(factor, Factor::new(FactorType::AB));
        let request = only_request(&server).await;
        assert_eq!(request.url.path(), "/factors/a-b");
        let query: Vec<(String, String)> = request.url.query_pairs().into_owned().collect();
        assert_eq!(
            query,
            [
                ("method".to_owned(), "DELETE".to_owned()),
                ("levels".to_owned(), "-1,10,3".to_owned())
            ]
        );

        // The empty value cannot be a path segment: refused before anything is sent.
        let err = client
            .list_factors(FactorType::Empty)
            .await
            .expect_err("empty segment");
        assert!(matches!(err, Error::Request { .. }), "{err:?}");
        assert_eq!(server.received_requests().await.map(|r| r.len()), Some(1));
    }
}

mod optionality {
    use super::*;
    use okgen_tests::fixtures::optionality::models::{Settings, SettingsMode, User};
    use okgen_tests::fixtures::optionality::{Auth, Client};

    #[test]
    fn a_required_nullable_field_is_sent_as_null_and_must_be_present() {
        let user = User::new("Ann", None, None);
        assert_eq!(
            serde_json::to_value(&user).unwrap(),
            json!({"name": "Ann", "manager": null, "settings": null})
        );
        let user = round_trip::<User>(json!({"name": "Ann", "manager": "Bob", "settings": {}}));
        assert_eq!(user.manager.as_deref(), Some("Bob"));
        assert_eq!(user.settings, Some(Settings::default()));
        for missing in ["manager", "settings"] {
            let mut value = json!({"name": "Ann", "manager": null, "settings": null});
            value.as_object_mut().unwrap().remove(missing);
            let err = serde_json::from_value::<User>(value).expect_err(missing);
            assert!(err.to_string().contains(missing), "{err}");
        }
    }

    #[test]
    fn optional_fields_are_skipped_when_none_and_null_reads_as_none() {
        let user = User {
            nickname: Some("annie".into()),
            ..User::new("Ann", Some("Bob".into()), Some(Settings::default()))
        };
        assert_eq!(
            serde_json::to_value(&user).unwrap(),
            json!({"name": "Ann", "nickname": "annie", "manager": "Bob", "settings": {}})
        );
        // Optional and nullable: absent, `null` and a value are three states, and each is
        // sent back as it came.
        let user = round_trip::<User>(
            json!({"name": "Ann", "manager": null, "settings": null, "note": null}),
        );
        assert!(user.note.is_null());
        let user = round_trip::<User>(json!({"name": "Ann", "manager": null, "settings": null}));
        assert!(user.note.is_absent());
        assert_eq!(
            round_trip::<User>(
                json!({"name": "Ann", "manager": null, "settings": null, "note": "hi"})
            )
            .note
            .as_deref(),
            Some("hi")
        );
        assert!(
            serde_json::from_value::<User>(json!({"manager": null, "settings": null})).is_err()
        );
    }

    #[tokio::test]
    async fn read_only_fields_are_not_needed_to_send_and_write_only_fields_not_needed_to_receive() {
        let server = serve(
            201,
            Some(json!({"id": "u1", "name": "Ann", "manager": null, "settings": null})),
        )
        .await;
        let client = Client::new(&server.uri(), Auth::None).expect("client");
        let user = User {
            password: Some("s3cret".into()),
            ..User::new("Ann", None, None)
        };
        let stored = client
            .create_user(user)
            .await
            .expect("the response lacks password");
        assert_eq!(stored.id.as_deref(), Some("u1"));
        assert_eq!(stored.password, None);
        let request = only_request(&server).await;
        let sent: Value = serde_json::from_slice(&request.body).expect("JSON");
        assert_eq!(
            sent,
            json!({"password": "s3cret", "name": "Ann", "manager": null, "settings": null}),
            "no id"
        );
    }

    #[test]
    fn defaults_are_documented_and_absent_values_stay_none() {
        // Nothing is required: `Default` is derived and is the empty object.
        assert_eq!(
            serde_json::to_value(Settings::default()).unwrap(),
            json!({})
        );
        let settings = round_trip::<Settings>(json!({}));
        assert_eq!(
            (
                settings.retries,
                settings.mode,
                settings.labels,
                settings.enabled
            ),
            (
                None,
                None,
                None,
                okgen_tests::fixtures::optionality::Nullable::Absent
            ),
            "defaults are not filled in"
        );
        let settings = round_trip::<Settings>(
            json!({"retries": 0, "mode": "fast", "labels": [], "enabled": false}),
        );
        assert_eq!(settings.mode, Some(SettingsMode::Fast));
        assert_eq!(settings.retries, Some(0));

        let spec = workspace().join("tests/fixtures/constructs/optionality.yaml");
        let source = okgen::generate_source(&okgen::Config::new(&spec))
            .expect("generates")
            .source;
        for doc in [
            "/// How often to retry.\n        ///\n        /// Default: `3`.\n",
            "/// Default: `\"safe\"`.\n",
            "/// Default: `[]`.\n",
            "/// Default: `true`.\n",
        ] {
            assert!(source.contains(doc), "{doc:?} in\n{source}");
        }
    }
}

mod shapes {
    use super::*;
    use std::collections::BTreeMap;

    use okgen_tests::fixtures::shapes::models::{
        Anything, Catalog, CatalogSection, CatalogSectionRow, CatalogSectionRowSize, Closed,
        Counts, Labels, Open, Shapes, ShapesObjectMapValue, TreeNode,
    };

    #[test]
    fn additional_properties_true_keeps_unknown_fields_through_decode_and_encode() {
        let open = round_trip::<Open>(json!({"id": "o1", "extra": {"deep": [1, null]}, "n": 2}));
        assert_eq!(open.id.as_deref(), Some("o1"));
        assert_eq!(
            open.additional_properties,
            BTreeMap::from([
                ("extra".to_owned(), json!({"deep": [1, null]})),
                ("n".to_owned(), json!(2)),
            ])
        );
    }

    #[test]
    fn additional_properties_with_a_schema_is_a_typed_map() {
        let counts = round_trip::<Counts>(json!({"total": 3, "a": 1, "b": 2}));
        let expected: BTreeMap<String, i64> = BTreeMap::from([("a".into(), 1), ("b".into(), 2)]);
        assert_eq!(counts.additional_properties, expected);
        assert_eq!(counts.total, 3);
        assert!(
            serde_json::from_value::<Counts>(json!({"total": 3, "a": "one"})).is_err(),
            "an unknown property of the wrong type"
        );
        let labels: Labels = round_trip(json!({"env": "prod"}));
        assert_eq!(labels.get("env").map(String::as_str), Some("prod"));
    }

    #[test]
    fn additional_properties_false_rejects_unknown_fields() {
        assert_eq!(
            round_trip::<Closed>(json!({"id": "c1"})),
            Closed {
                id: Some("c1".into())
            }
        );
        let err = serde_json::from_value::<Closed>(json!({"id": "c1", "x": 1})).expect_err("x");
        assert!(err.to_string().contains("unknown field `x`"), "{err}");
    }

    #[test]
    fn free_form_objects_and_empty_schemas_are_json_values_and_arrays_are_vecs() {
        let value = json!({
            "anything": {"a": [1, {"b": true}]},
            "empty": 5,
            "freeForm": {"x": "y"},
            "anyMap": {"k": [1]},
            "objectMap": {"k": {"size": 2, "more": true}},
            "tags": ["b", "a", "b"],
            "matrix": [[1.5, 2.0], []],
            "untypedItems": [1, "two", null],
        });
        let shapes = round_trip::<Shapes>(value);
        let anything: Option<Anything> = shapes.anything;
        assert_eq!(anything, Some(json!({"a": [1, {"b": true}]})));
        assert_eq!(shapes.empty, Some(json!(5)));
        assert_eq!(shapes.free_form, Some(json!({"x": "y"})));
        assert_eq!(
            shapes.any_map.and_then(|m| m.get("k").cloned()),
            Some(json!([1]))
        );
        let value: Option<&ShapesObjectMapValue> =
            shapes.object_map.as_ref().and_then(|m| m.get("k"));
        assert_eq!(value.and_then(|v| v.size), Some(2));
        // uniqueItems is not enforced: a Vec keeps order and repeats.
        assert_eq!(
            shapes.tags,
            Some(vec!["b".to_owned(), "a".to_owned(), "b".to_owned()])
        );
        assert_eq!(shapes.matrix, Some(vec![vec![1.5, 2.0], vec![]]));
        assert_eq!(
            shapes.untyped_items,
            Some(vec![json!(1), json!("two"), Value::Null])
        );
    }

    #[test]
    fn recursive_schemas_box_the_parent_and_keep_children_in_vecs_and_maps() {
        let tree = TreeNode {
            parent: Some(Box::new(TreeNode::new("root"))),
            children: Some(vec![TreeNode {
                children: Some(vec![]),
                ..TreeNode::new("leaf")
            }]),
            by_name: Some(BTreeMap::from([("x".to_owned(), TreeNode::new("x"))])),
            ..TreeNode::new("mid")
        };
        let value = json!({
            "name": "mid",
            "parent": {"name": "root"},
            "children": [{"name": "leaf", "children": []}],
            "byName": {"x": {"name": "x"}},
        });
        assert_eq!(serde_json::to_value(&tree).unwrap(), value);
        assert_eq!(round_trip::<TreeNode>(value), tree);
        assert!(
            serde_json::from_value::<TreeNode>(json!({"name": "a", "parent": {}})).is_err(),
            "the parent is a TreeNode too: its name is required"
        );
    }

    #[test]
    fn inline_schemas_are_named_from_their_parent_and_property() {
        let catalog = Catalog {
            sections: Some(vec![CatalogSection {
                rows: Some(vec![CatalogSectionRow {
                    label: Some("r1".into()),
                    size: Some(CatalogSectionRowSize {
                        width: Some(2),
                        height: Some(3),
                        ..Default::default()
                    }),
                    ..Default::default()
                }]),
                ..CatalogSection::new("s1")
            }]),
            ..Default::default()
        };
        let value = json!({"sections": [
            {"title": "s1", "rows": [{"label": "r1", "size": {"width": 2, "height": 3}}]}
        ]});
        assert_eq!(serde_json::to_value(&catalog).unwrap(), value);
        assert_eq!(round_trip::<Catalog>(value), catalog);
        let api = lowered("shapes");
        let origin = |name: &str| api.types[name].origin.clone();
        assert_eq!(
            origin("CatalogSectionRowSize"),
            "/components/schemas/Catalog/properties/sections/items/properties/rows/items/properties/size"
        );
        assert_eq!(
            origin("ShapesObjectMapValue"),
            "/components/schemas/Shapes/properties/objectMap/additionalProperties"
        );
    }
}

mod formats {
    use super::*;
    use okgen_tests::fixtures::formats::models::Event;
    use okgen_tests::fixtures::formats::{Auth, Client, Date, DateTime};

    /// 2025-05-28T19:21:14Z.
    const INSTANT: i64 = 1_748_460_074;

    fn at(text: &str) -> DateTime {
        let event: Event =
            serde_json::from_value(json!({"at": text})).unwrap_or_else(|e| panic!("{text}: {e}"));
        event.at
    }

    #[test]
    fn date_times_read_rfc3339_with_any_offset_and_keep_it_when_encoding() {
        for text in [
            "2025-05-28T19:21:14Z",
            "2025-05-28T21:21:14+02:00",
            "2025-05-28T14:21:14-05:00",
        ] {
            assert_eq!(at(text).unix_timestamp(), INSTANT, "{text}");
            round_trip::<Event>(json!({"at": text}));
        }
        let fractional = round_trip::<Event>(json!({"at": "2025-05-28T19:21:14.123Z"})).at;
        assert_eq!(fractional.unix_timestamp(), INSTANT);
        assert_eq!(fractional.into_inner().millisecond(), 123);
        assert!(serde_json::from_value::<Event>(json!({"at": "28/05/2025"})).is_err());
        assert!(serde_json::from_value::<Event>(json!({"at": 1_748_460_074})).is_err());
    }

    #[test]
    fn an_offset_less_date_time_is_read_as_utc() {
        let event: Event = serde_json::from_value(json!({
            "at": "2025-05-28T19:21:14",
            "history": ["2025-05-28T19:21:14.5", "2025-05-28T19:21:14Z"],
        }))
        .unwrap();
        assert_eq!(event.at.unix_timestamp(), INSTANT);
        assert_eq!(event.at, at("2025-05-28T19:21:14Z"));
        assert_eq!(
            serde_json::to_value(&event).unwrap(),
            json!({"at": "2025-05-28T19:21:14", "history": ["2025-05-28T19:21:14.5", "2025-05-28T19:21:14Z"]}),
            "sent back as received"
        );
    }

    #[test]
    fn dates_integers_and_numbers_are_typed() {
        let event = round_trip::<Event>(json!({
            "at": "2025-05-28T19:21:14Z",
            "day": "2024-02-29",
            "count32": -2_147_483_648_i64,
            "count64": 9_007_199_254_740_993_i64,
            "count": -1,
            "ratio32": 0.5,
            "ratio64": 0.1,
            "ratio": 1e300,
        }));
        let day: Option<Date> = event.day;
        assert_eq!(day.map(|d| d.to_string()).as_deref(), Some("2024-02-29"));
        assert_eq!(event.count32, Some(i32::MIN));
        assert_eq!(event.count64, Some(9_007_199_254_740_993));
        assert_eq!(event.count, Some(-1_i64));
        assert_eq!(event.ratio32, Some(0.5_f32));
        assert_eq!(event.ratio64, Some(0.1_f64));
        assert_eq!(event.ratio, Some(1e300));
        for bad in [
            json!({"at": "2025-05-28T19:21:14Z", "day": "2023-02-29"}),
            json!({"at": "2025-05-28T19:21:14Z", "day": "2024-02-29T00:00:00Z"}),
            json!({"at": "2025-05-28T19:21:14Z", "count32": 2_147_483_648_i64}),
            json!({"at": "2025-05-28T19:21:14Z", "count64": 1.5}),
        ] {
            assert!(
                serde_json::from_value::<Event>(bad.clone()).is_err(),
                "{bad}"
            );
        }
    }

    #[test]
    fn binary_byte_uri_email_and_uuid_stay_strings() {
        let event = round_trip::<Event>(json!({
            "at": "2025-05-28T19:21:14Z",
            "blob": "raw\u{0}bytes",
            "encoded": "aGVsbG8=",
            "link": "not even a URI",
            "email": "not an email",
            "id": "0f8fad5b-d9cb-469f-a165-70867728950e",
        }));
        let strings: [Option<String>; 5] =
            [event.blob, event.encoded, event.link, event.email, event.id];
        assert_eq!(
            strings.map(|s| s.unwrap_or_default()),
            [
                "raw\u{0}bytes",
                "aGVsbG8=",
                "not even a URI",
                "not an email",
                "0f8fad5b-d9cb-469f-a165-70867728950e"
            ]
            .map(String::from),
            "kept as received, not validated"
        );
    }

    #[tokio::test]
    async fn date_time_and_date_query_parameters_are_sent_in_their_formats() {
        let server = serve(200, Some(json!([{"at": "2025-05-28T19:21:14"}]))).await;
        let client = Client::new(&server.uri(), Auth::None).expect("client");
        let since = DateTime::parse("2025-05-28T21:21:14+02:00").expect("timestamp");
        let events = client
            .list_events()
            .since(since)
            .day(Date::parse("2025-05-28").expect("date"))
            .await
            .expect("events");
        assert_eq!(events.len(), 1);
        assert_eq!(events[0].at.unix_timestamp(), INSTANT);
        let request = only_request(&server).await;
        let query: Vec<(String, String)> = request.url.query_pairs().into_owned().collect();
        assert_eq!(
            query,
            [
                ("since".to_owned(), "2025-05-28T21:21:14+02:00".to_owned()),
                ("day".to_owned(), "2025-05-28".to_owned()),
            ]
        );
    }
}

mod names {
    use super::*;
    use okgen_tests::fixtures::names::models::{
        Address, Keywords, KeywordsEmbedded, Profile, UserProfile, UserProfile2,
    };
    use okgen_tests::fixtures::names::{Auth, Client};

    #[test]
    fn awkward_property_names_become_fields_and_keep_their_json_names() {
        let value = json!({
            "type": "t", "self": "s", "ref": "r", "match": "m", "crate": "c", "Self": "S",
            "super": "u", "_links": {"self": {"href": "/x"}}, "_embedded": {"items": ["i"]},
            "2fa": true, "$count": 3, "a.b": "ab", "x-rate-limit": 10, "userName": "camel",
            "user_name": "snake",
        });
        let Keywords {
            r#type,
            self_,
            r#ref,
            r#match,
            crate_,
            self2,
            super_,
            links,
            embedded,
            _2fa,
            count,
            a_b,
            x_rate_limit,
            user_name,
            user_name2,
            additional_properties,
            ..
        } = round_trip::<Keywords>(value);
        assert_eq!(
            [
                r#type.as_str(),
                self_.as_deref().unwrap(),
                r#ref.as_deref().unwrap()
            ],
            ["t", "s", "r"]
        );
        assert_eq!(
            [r#match, crate_, self2, super_, a_b, user_name, user_name2].map(Option::unwrap),
            ["m", "c", "S", "u", "ab", "camel", "snake"].map(String::from)
        );
        assert_eq!(links, Some(json!({"self": {"href": "/x"}})));
        assert_eq!(
            embedded,
            Some(KeywordsEmbedded {
                items: Some(vec!["i".into()]),
                ..Default::default()
            })
        );
        assert_eq!((_2fa, count, x_rate_limit), (Some(true), Some(3), Some(10)));
        assert!(additional_properties.is_empty(), "every name was matched");
    }

    #[test]
    fn schema_names_that_collide_after_case_conversion_stay_apart() {
        // Component names sort `UserProfile` before `user_profile`, so it keeps the plain name.
        let keywords = round_trip::<Keywords>(
            json!({"type": "t", "snake": {"snake": true}, "camel": {"camel": false}}),
        );
        let snake: Option<UserProfile2> = keywords.snake;
        let camel: Option<UserProfile> = keywords.camel;
        assert_eq!(snake.and_then(|s| s.snake), Some(true));
        assert_eq!(camel.and_then(|c| c.camel), Some(false));
        assert!(
            serde_json::from_value::<Keywords>(json!({"type": "t", "snake": {"snake": "yes"}}))
                .is_err(),
            "`snake` is the user_profile schema, with a boolean"
        );
    }

    #[test]
    fn properties_named_like_their_own_type() {
        let address = round_trip::<Address>(json!({"Address": "1 Main St"}));
        assert_eq!(address.address.as_deref(), Some("1 Main St"));
        let profile = Profile {
            profile: Some(Box::new(Profile::default())),
            ..Default::default()
        };
        assert_eq!(round_trip::<Profile>(json!({"profile": {}})), profile);
        let keywords = round_trip::<Keywords>(
            json!({"type": "t", "Address": {"Address": "a"}, "profile": {"profile": {}}}),
        );
        assert_eq!(
            keywords.address.and_then(|a| a.address).as_deref(),
            Some("a")
        );
        assert_eq!(keywords.profile, Some(profile));
    }

    #[tokio::test]
    async fn keyword_parameters_and_a_dashed_operation_id() {
        let server = serve(200, Some(json!({"type": "t"}))).await;
        let client = Client::new(&server.uri(), Auth::None).expect("client");
        let keywords = client
            .get_user_profile("a b", 7, true)
            .r#match("m")
            .r#async("a")
            .send2("s")
            .client2("c")
            .crate_("k")
            .await
            .expect("keywords");
        assert_eq!(keywords, Keywords::new("t"));
        let request = only_request(&server).await;
        assert_eq!(request.url.path(), "/profiles/a%20b/7");
        let query: Vec<(String, String)> = request.url.query_pairs().into_owned().collect();
        let expected: Vec<(String, String)> = [
            ("self", "true"),
            ("match", "m"),
            ("async", "a"),
            ("send", "s"),
            ("client", "c"),
        ]
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .into();
        assert_eq!(query, expected);
        assert_eq!(
            request.headers.get("crate").and_then(|v| v.to_str().ok()),
            Some("k")
        );
        let api = lowered("names");
        let op = operation(&api, "get_user_profile");
        assert_eq!(
            (op.operation_id.as_str(), op.builder.as_str()),
            ("get-user-profile", "GetUserProfile")
        );
    }
}

// Using deprecated items is the point here.
#[allow(deprecated)]
mod deprecated {
    use super::*;
    use okgen_tests::fixtures::deprecated::models::{OldStatus, OldThing, Thing};
    use okgen_tests::fixtures::deprecated::{Auth, Client};

    #[test]
    fn deprecated_schemas_properties_operations_and_parameters_are_marked() {
        let api = lowered("deprecated");
        let deprecated_types: Vec<&str> = api
            .types
            .iter()
            .filter(|t| t.deprecated)
            .map(|t| t.name.as_str())
            .collect();
        assert_eq!(deprecated_types, ["OldStatus", "OldThing"]);
        let old = operation(&api, "get_old_thing");
        assert!(old.deprecated && old.params[0].deprecated);
        let thing = operation(&api, "get_thing");
        assert!(!thing.deprecated);
        let params: Vec<(&str, bool)> = thing
            .params
            .iter()
            .map(|p| (p.wire_name.as_str(), p.deprecated))
            .collect();
        assert_eq!(
            params,
            [("thingId", false), ("legacy", true), ("expand", false)]
        );

        let spec = workspace().join("tests/fixtures/constructs/deprecated.yaml");
        let source = okgen::generate_source(&okgen::Config::new(&spec))
            .expect("generates")
            .source;
        for marked in [
            "    #[deprecated]\n    /// Values this client does not know decode to the fallback variant instead of failing.\n    #[derive(",
            "    /// Replaced by `Thing`.\n    #[deprecated]\n    #[derive(",
            "        #[deprecated]\n        pub legacy_id: String,",
            "        #[deprecated]\n        pub fn legacy(mut self, legacy: bool) -> Self {",
            "        #[deprecated]\n        pub fn get_old_thing(",
        ] {
            assert!(source.contains(marked), "{marked}");
        }
        assert_eq!(
            source.matches("#[deprecated]").count(),
            5,
            "nothing else is marked"
        );
    }

    #[test]
    fn deprecated_types_and_fields_still_decode_and_encode() {
        let thing = round_trip::<Thing>(json!({
            "id": "th1", "legacyId": "L1", "status": "OLD", "old": {"name": "o"}
        }));
        assert_eq!(thing.legacy_id, "L1");
        assert_eq!(thing.status, Some(OldStatus::Old));
        assert_eq!(
            thing.old,
            Some(OldThing {
                name: Some("o".into()),
                ..Default::default()
            })
        );
        assert_eq!(
            serde_json::to_value(Thing::new("th1", "L1")).unwrap(),
            json!({"id": "th1", "legacyId": "L1"})
        );
    }

    #[tokio::test]
    async fn deprecated_operations_and_setters_still_send() {
        let server = serve(200, Some(json!({"name": "o"}))).await;
        let client = Client::new(&server.uri(), Auth::None).expect("client");
        let old = client.get_old_thing("o1").await.expect("old thing");
        assert_eq!(old.name.as_deref(), Some("o"));
        assert_eq!(only_request(&server).await.url.path(), "/old-things/o1");

        let server = serve(200, Some(json!({"id": "th1", "legacyId": "L1"}))).await;
        let client = Client::new(&server.uri(), Auth::None).expect("client");
        let thing = client.get_thing("th1").legacy(true).await.expect("thing");
        assert_eq!(thing.id, "th1");
        let request = only_request(&server).await;
        assert_eq!(request.url.query(), Some("legacy=true"));
    }
}
