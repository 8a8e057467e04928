//! Runtime profiles: Okta's conventions for Okta's documents, the generic ones for any other.
//! The profile each document of `../shared` gets (lowering only); the configuration's `profile:`;
//! and a generic client (`tests/fixtures/constructs/auth_schemes.yaml`, compiled into this crate)
//! against a mock server: each credential sent exactly as its security scheme declares, nothing
//! of Okta's sent, `Retry-After` obeyed, the generic request ids read, and a query API key kept
//! out of error text.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use base64::Engine as _;
use okgen::ir::{AuthKind, Profile};
use okgen_tests::fixtures::auth_schemes::models::Thing;
use okgen_tests::fixtures::auth_schemes::{Auth, Client, ClientOptions, Error, Sleeper, PROFILE};
use okgen_tests::{spec_config, workspace};
use serde_json::json;
use wiremock::matchers::{any, method, path};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

// ---------------------------------------------------------------------------------------------
// Which profile a document gets.

/// Every document of `../shared/okta/` and `../shared/corpus/`, with the profile it must get.
fn shared_documents() -> Vec<(String, Profile)> {
    let shared = workspace().join("../shared");
    let mut out = Vec::new();
    for (dir, profile) in [
        ("okta", Profile::Okta),
        ("corpus/okta", Profile::Okta),
        ("corpus/public", Profile::Generic),
    ] {
        let Ok(entries) = std::fs::read_dir(shared.join(dir)) else {
            assert!(
                std::env::var_os("CI").is_none(),
                "../shared/{dir} is missing; CI must have ../shared beside the repo"
            );
            eprintln!("SKIPPED: ../shared/{dir} is missing");
            continue;
        };
        for entry in entries.flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            if name.ends_with(".yaml") || name.ends_with(".json") {
                out.push((format!("{dir}/{name}"), profile));
            }
        }
    }
    out.sort();
    out
}

#[test]
fn okta_documents_get_the_okta_profile_and_the_others_the_generic_one() {
    let documents = shared_documents();
    let shared = workspace().join("../shared");
    for (file, expected) in &documents {
        let doc = okgen::load::load(&shared.join(file)).unwrap_or_else(|e| panic!("{file}: {e}"));
        // One operation is enough: the profile is the document's.
        let first = doc.api.paths.paths.keys().next().expect("a path").clone();
        let selection = okgen::Selection {
            paths: vec![first],
            ..Default::default()
        };
        let api = okgen::lower_document(&doc, &selection).unwrap_or_else(|e| panic!("{file}: {e}"));
        assert_eq!(api.profile, *expected, "{file}");
        assert!(
            api.profile == Profile::Generic || api.auth.is_empty(),
            "{file}: Okta's runtime has its own constructors"
        );
    }
    // All of them: Okta's seven kinds of document, GitHub, Stripe and Oxide.
    if !documents.is_empty() {
        assert_eq!(documents.len(), 12, "{documents:?}");
    }
}

#[test]
fn our_spec_is_okta_by_default_and_generic_when_configured() {
    let (api, _) = okgen::lower(&spec_config()).expect("spec/ lowers");
    assert_eq!(api.profile, Profile::Okta);
    assert!(api.auth.is_empty());

    let mut config = spec_config();
    config.profile(Profile::Generic);
    let generated = okgen::generate_source(&config).expect("spec/ generates as generic");
    assert_eq!(generated.api.profile, Profile::Generic);
    // spec/ declares `apiToken` (an API key in `Authorization`) and `oauth2`.
    let constructors: Vec<(&str, &AuthKind)> = generated
        .api
        .auth
        .iter()
        .map(|a| (a.constructor.as_str(), &a.kind))
        .collect();
    assert_eq!(
        constructors,
        [
            ("access_token", &AuthKind::AccessToken),
            (
                "api_key",
                &AuthKind::ApiKeyHeader("Authorization".to_owned())
            ),
        ]
    );
    let source = &generated.source;
    assert!(source.ends_with(okgen::runtime_source(Profile::Generic).unwrap()));
    assert!(source.contains("pub fn api_key("));
    for okta_only in ["pub mod config {", "pub mod private_key {", "\"SSWS\""] {
        assert!(!source.contains(okta_only), "{okta_only}");
    }
    // The same document's generated part is the same in both profiles: only the runtime and
    // the constructors differ.
    let okta = okgen::generate_source(&spec_config()).expect("spec/ generates");
    let okta_part = okgen_tests::generated_part(&okta.source);
    let generic_part = okgen_tests::generated_part(source);
    assert!(
        generic_part.starts_with(okta_part.trim_end()),
        "{generic_part}"
    );
}

#[test]
fn the_profile_is_read_from_the_configuration_file() {
    let dir = workspace().join(format!(
        "target/okgen-fixtures/profile-config-{}",
        std::process::id()
    ));
    std::fs::create_dir_all(&dir).unwrap();
    let spec = workspace().join("spec/okta-authenticator-enrollments.yaml");
    let write = |name: &str, profile: &str| {
        let path = dir.join(name);
        std::fs::write(&path, format!("spec: {}\n{profile}", spec.display())).unwrap();
        path
    };
    let generic = okgen::Config::from_file(write("generic.yaml", "profile: generic\n")).unwrap();
    assert_eq!(generic.profile_setting(), Some(Profile::Generic));
    assert_eq!(okgen::lower(&generic).unwrap().0.profile, Profile::Generic);
    let okta = okgen::Config::from_file(write("okta.yaml", "profile: okta\n")).unwrap();
    assert_eq!(okta.profile_setting(), Some(Profile::Okta));
    let unset = okgen::Config::from_file(write("unset.yaml", "")).unwrap();
    assert_eq!(unset.profile_setting(), None);
    let bad = okgen::Config::from_file(write("bad.yaml", "profile: azure\n"));
    let message = bad.unwrap_err().to_string();
    std::fs::remove_dir_all(&dir).ok();
    assert!(
        message.contains("bad.yaml") && message.contains("okta") && message.contains("generic"),
        "{message}"
    );
}

#[test]
fn generic_constructors_follow_the_documents_schemes() {
    let api = okgen_tests::lower_fixture("auth_schemes");
    assert_eq!(api.profile, Profile::Generic);
    let shown: Vec<(String, AuthKind, Vec<String>)> = api
        .auth
        .iter()
        .map(|a| (a.constructor.clone(), a.kind.clone(), a.schemes.clone()))
        .collect();
    let owned = |names: &[&str]| names.iter().map(|n| n.to_string()).collect::<Vec<_>>();
    assert_eq!(
        shown,
        [
            (
                "access_token".to_owned(),
                AuthKind::AccessToken,
                owned(&["oauth"])
            ),
            ("basic".to_owned(), AuthKind::Basic, owned(&["basicAuth"])),
            (
                "bearer".to_owned(),
                AuthKind::Bearer,
                owned(&["bearerAuth", "jwtBearer"])
            ),
            (
                "header_key".to_owned(),
                AuthKind::ApiKeyHeader("X-API-Key".into()),
                owned(&["headerKey"])
            ),
            (
                "query_key".to_owned(),
                AuthKind::ApiKeyQuery("api_key".into()),
                owned(&["queryKey"])
            ),
        ]
    );
}

#[test]
fn schemes_the_runtime_cannot_send_get_no_constructor_and_a_warning() {
    let text = okgen_tests::fixture(
        "  /a:\n    get:\n      operationId: getA\n      responses:\n        '204': {description: none}",
        "  securitySchemes:\n    cookie: {type: apiKey, in: cookie, name: session}\n    digest: {type: http, scheme: digest}\n    key: {type: apiKey, in: header, name: X-Key}",
    );
    let api = okgen_tests::lower_yaml_lenient(&text).expect("lenient lowers");
    let names: Vec<&str> = api.auth.iter().map(|a| a.constructor.as_str()).collect();
    // One API key left: it is `api_key`.
    assert_eq!(names, ["api_key"]);
    let warnings: Vec<String> = api.warnings.iter().map(|w| w.to_string()).collect();
    assert_eq!(warnings.len(), 2, "{warnings:?}");
    assert!(
        warnings[0].contains("/components/securitySchemes/cookie")
            && warnings[0].contains("cookie")
    );
    assert!(
        warnings[1].contains("/components/securitySchemes/digest")
            && warnings[1].contains("\"digest\"")
    );
    // Strict mode refuses the document instead.
    let strict = okgen_tests::lower_yaml(&text);
    assert!(strict.is_err_and(|e| e.to_string().contains("cookie")));
}

// ---------------------------------------------------------------------------------------------
// A generic client on the wire.

const KEY: &str = "kSECRETapiKEY42";

/// Records the waits it is asked for and returns at once.
#[derive(Clone, Default)]
struct RecordingSleeper(Arc<Mutex<Vec<Duration>>>);

impl Sleeper for RecordingSleeper {
    fn sleep(&self, duration: Duration) -> Pin<Box<dyn std::future::Future<Output = ()> + Send>> {
        self.0.lock().unwrap().push(duration);
        Box::pin(async {})
    }
}

fn generic_client(server: &MockServer, auth: Auth) -> (Client, RecordingSleeper) {
    let sleeper = RecordingSleeper::default();
    let client = Client::new(&server.uri(), auth)
        .unwrap()
        .with_sleeper(sleeper.clone());
    (client, sleeper)
}

async fn requests(server: &MockServer) -> Vec<Request> {
    server.received_requests().await.unwrap()
}

fn header<'a>(request: &'a Request, name: &str) -> Option<&'a str> {
    request.headers.get(name).and_then(|v| v.to_str().ok())
}

/// Nothing of Okta's on a request: no `X-Okta-*` header, no `SSWS` anywhere, not Okta's user
/// agent.
fn assert_nothing_of_oktas(request: &Request) {
    for (name, value) in &request.headers {
        assert!(
            !name.as_str().starts_with("x-okta"),
            "{name} sent: {:?}",
            request.headers
        );
        assert!(
            !value.as_bytes().windows(4).any(|w| w == b"SSWS"),
            "{name}: {value:?}"
        );
    }
    let agent = header(request, "user-agent").unwrap_or_default();
    assert!(
        agent.starts_with(&format!("okgen-tests/{} ", env!("CARGO_PKG_VERSION"))),
        "{agent}"
    );
    assert!(!agent.contains("okta"), "{agent}");
}

#[test]
fn the_fixture_client_is_generic() {
    assert_eq!(
        PROFILE,
        okgen_tests::fixtures::auth_schemes::Profile::Generic
    );
    assert_eq!(
        okgen_tests::fixtures::pages::PROFILE,
        okgen_tests::fixtures::pages::Profile::Generic
    );
}

#[tokio::test]
async fn each_credential_is_sent_exactly_as_its_scheme_declares() {
    let basic = format!(
        "Basic {}",
        base64::engine::general_purpose::STANDARD.encode("acct_1:pa ss")
    );
    // (credentials, the header expected with its value, or the query parameter expected)
    type Case = (
        Auth,
        Option<(&'static str, String)>,
        Option<(&'static str, &'static str)>,
    );
    let cases: Vec<Case> = vec![
        (
            Auth::header_key(KEY),
            Some(("x-api-key", KEY.to_owned())),
            None,
        ),
        (Auth::query_key(KEY), None, Some(("api_key", KEY))),
        (
            Auth::bearer("tBEARER"),
            Some(("authorization", "Bearer tBEARER".to_owned())),
            None,
        ),
        (
            Auth::access_token("tOAUTH"),
            Some(("authorization", "Bearer tOAUTH".to_owned())),
            None,
        ),
        (
            Auth::basic("acct_1", "pa ss"),
            Some(("authorization", basic.clone())),
            None,
        ),
        (Auth::None, None, None),
    ];
    for (auth, expected_header, expected_query) in cases {
        let shown = format!("{auth:?}");
        assert!(
            !shown.contains(KEY) && !shown.contains("tBEARER"),
            "{shown}"
        );
        let server = MockServer::start().await;
        Mock::given(method("GET"))
            .and(path("/things"))
            .respond_with(ResponseTemplate::new(200).set_body_json(json!([{"id": "t1"}])))
            .mount(&server)
            .await;
        let (client, _) = generic_client(&server, auth);
        let things = client.list_things().color("red").await.expect("a list");
        assert_eq!(things.len(), 1, "{shown}");

        let sent = requests(&server).await;
        assert_eq!(sent.len(), 1, "{shown}");
        let request = &sent[0];
        assert_nothing_of_oktas(request);
        let credential_headers: Vec<&str> = ["authorization", "x-api-key"]
            .into_iter()
            .filter(|name| request.headers.contains_key(*name))
            .collect();
        match &expected_header {
            Some((name, value)) => {
                assert_eq!(credential_headers, [*name], "{shown}");
                assert_eq!(header(request, name), Some(value.as_str()), "{shown}");
            }
            None => assert!(
                credential_headers.is_empty(),
                "{shown}: {credential_headers:?}"
            ),
        }
        let query: Vec<(String, String)> = request.url.query_pairs().into_owned().collect();
        let mut expected = vec![("color".to_owned(), "red".to_owned())];
        if let Some((name, value)) = expected_query {
            expected.push((name.to_owned(), value.to_owned()));
        }
        assert_eq!(query, expected, "{shown}");
    }
}

#[tokio::test]
async fn an_operation_that_needs_no_credentials_is_sent_without_any() {
    let api = okgen_tests::lower_fixture("auth_schemes");
    let anonymous: Vec<&str> = api
        .operations
        .iter()
        .filter(|o| o.anonymous)
        .map(|o| o.operation_id.as_str())
        .collect();
    // `security: []` on the operation; the others inherit the document's requirements.
    assert_eq!(anonymous, ["getHealth"]);
    for auth in [
        Auth::header_key(KEY),
        Auth::query_key(KEY),
        Auth::bearer("tBEARER"),
        Auth::basic("acct_1", "pa ss"),
    ] {
        let shown = format!("{auth:?}");
        let server = MockServer::start().await;
        Mock::given(any())
            .respond_with(ResponseTemplate::new(204))
            .mount(&server)
            .await;
        let (client, _) = generic_client(&server, auth);
        client.get_health().await.expect("no content");
        // The same client still sends its credential where the document asks for it.
        client
            .get_thing("t1")
            .await
            .expect_err("an empty body is not a thing");
        let sent = requests(&server).await;
        assert_eq!(sent.len(), 2, "{shown}");
        let carries = |request: &Request| {
            request.headers.contains_key("authorization")
                || request.headers.contains_key("x-api-key")
                || request.url.query_pairs().any(|(name, _)| name == "api_key")
        };
        assert_eq!(sent[0].url.path(), "/health");
        assert!(!carries(&sent[0]), "{shown}: {:?}", sent[0]);
        assert!(carries(&sent[1]), "{shown}: {:?}", sent[1]);
    }
}

#[tokio::test]
async fn a_generic_client_is_built_from_settings_too() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/things"))
        .respond_with(ResponseTemplate::new(503))
        .mount(&server)
        .await;
    let builder = Client::builder()
        .base_url(server.uri())
        .auth(Auth::header_key(KEY))
        .max_retries(0)
        .user_agent_suffix("helpdesk/2");
    assert!(!format!("{builder:?}").contains(KEY));
    let client = builder.build().expect("a client");
    let err = client.list_things().await.expect_err("a 503");
    assert!(matches!(err, Error::Api(_)), "{err:?}");
    let sent = requests(&server).await;
    assert_eq!(sent.len(), 1, "max_retries(0): not retried");
    assert_eq!(header(&sent[0], "x-api-key"), Some(KEY));
    assert!(header(&sent[0], "user-agent").is_some_and(|a| a.ends_with(" helpdesk/2")));

    let missing = Client::builder().base_url(server.uri()).build();
    assert!(
        matches!(&missing, Err(e) if e.to_string().contains("no credentials")),
        "{missing:?}"
    );
}

#[tokio::test]
async fn a_document_without_security_schemes_offers_a_bearer_token() {
    let api = okgen_tests::lower_fixture("pages");
    assert_eq!(api.profile, Profile::Generic);
    let shown: Vec<(&str, &AuthKind, usize)> = api
        .auth
        .iter()
        .map(|a| (a.constructor.as_str(), &a.kind, a.schemes.len()))
        .collect();
    assert_eq!(shown, [("bearer", &AuthKind::Bearer, 0)]);

    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/widgets/w1"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"id": "w1"})))
        .mount(&server)
        .await;
    let auth = okgen_tests::fixtures::pages::Auth::bearer("tGITHUB");
    assert!(!format!("{auth:?}").contains("tGITHUB"));
    let client = okgen_tests::fixtures::pages::Client::new(&server.uri(), auth).unwrap();
    client.get_widget("w1").await.expect("a widget");
    let sent = requests(&server).await;
    assert_eq!(
        header(&sent[0], "authorization"),
        Some("Bearer tGITHUB"),
        "{:?}",
        sent[0].headers
    );
}

#[tokio::test]
async fn a_query_key_is_percent_encoded_after_the_operations_parameters() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"id": "a b"})))
        .mount(&server)
        .await;
    let (client, _) = generic_client(&server, Auth::query_key("k/+ &="));
    client.get_thing("a b").await.expect("a thing");
    let sent = requests(&server).await;
    assert_eq!(sent[0].url.path(), "/things/a%20b");
    assert_eq!(sent[0].url.query(), Some("api_key=k%2F%2B%20%26%3D"));
}

#[tokio::test]
async fn retry_after_is_obeyed_on_429_and_on_503_for_idempotent_calls() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(
            ResponseTemplate::new(429)
                .insert_header("retry-after", "3")
                // Okta's header means nothing here.
                .insert_header("x-rate-limit-reset", "99999999999"),
        )
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(503).insert_header("retry-after", "2"))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!([])))
        .mount(&server)
        .await;
    let (client, sleeper) = generic_client(&server, Auth::bearer("t"));
    client
        .list_things()
        .await
        .expect("the third attempt succeeds");
    assert_eq!(
        *sleeper.0.lock().unwrap(),
        [Duration::from_secs(3), Duration::from_secs(2)]
    );
    let sent = requests(&server).await;
    assert_eq!(sent.len(), 3);
    for request in &sent {
        // No X-Okta-Retry-Count or X-Okta-Retry-For on the retries.
        assert_nothing_of_oktas(request);
    }

    // A POST: a 429 is retried (the request was not processed), a 503 is not.
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(429).insert_header("retry-after", "1"))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(503).insert_header("retry-after", "1"))
        .mount(&server)
        .await;
    let (client, sleeper) = generic_client(&server, Auth::bearer("t"));
    let err = client.create_thing(Thing::new("t1")).await.unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(503));
    assert_eq!(*sleeper.0.lock().unwrap(), [Duration::from_secs(1)]);
    assert_eq!(requests(&server).await.len(), 2);

    // A Retry-After past the longest wait (5 minutes) is not waited for: the 429 is the error.
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(429).insert_header("retry-after", "86400"))
        .mount(&server)
        .await;
    let (client, sleeper) = generic_client(&server, Auth::None);
    let err = client.list_things().await.unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(429));
    assert!(sleeper.0.lock().unwrap().is_empty());
    assert_eq!(requests(&server).await.len(), 1);
}

#[tokio::test]
async fn request_ids_come_from_x_request_id_or_request_id() {
    let server = MockServer::start().await;
    Mock::given(path("/things"))
        .respond_with(
            ResponseTemplate::new(200)
                .insert_header("x-okta-request-id", "okta-id")
                .insert_header("request-id", "req_stripe")
                .set_body_json(json!([])),
        )
        .mount(&server)
        .await;
    Mock::given(path("/things/t1"))
        .respond_with(
            ResponseTemplate::new(404)
                .insert_header("x-request-id", "x-id-404")
                .set_body_json(json!({"message": "no such thing"})),
        )
        .mount(&server)
        .await;
    let (client, _) = generic_client(&server, Auth::None);
    let response = client.list_things().send_with_metadata().await.unwrap();
    assert_eq!(response.request_id.as_deref(), Some("req_stripe"));
    let err = client.get_thing("t1").await.unwrap_err();
    assert_eq!(err.request_id(), Some("x-id-404"));
    let Error::Api(api) = &err else {
        panic!("an API error: {err}")
    };
    assert_eq!(api.body, Some(json!({"message": "no such thing"})));
}

#[tokio::test]
async fn a_query_key_never_appears_in_error_text() {
    // An API error.
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(500).set_body_string("boom"))
        .mount(&server)
        .await;
    let (client, _) = generic_client(&server, Auth::query_key(KEY));
    let api_error = client.create_thing(Thing::new("t1")).await.unwrap_err();
    // A refused connection, retried, then reported.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let refused = Client::new(&format!("http://127.0.0.1:{port}"), Auth::query_key(KEY))
        .unwrap()
        .with_sleeper(RecordingSleeper::default());
    let transport = refused.list_things().await.unwrap_err();
    assert!(matches!(transport, Error::Transport { .. }), "{transport}");
    // A redirect to another origin, not followed.
    let redirecting = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(307).insert_header(
            "location",
            format!("http://127.0.0.1:{port}/x?api_key={KEY}").as_str(),
        ))
        .mount(&redirecting)
        .await;
    let (client, _) = generic_client(&redirecting, Auth::query_key(KEY));
    let redirect = client.list_things().await.unwrap_err();
    assert!(matches!(redirect, Error::Redirect { .. }), "{redirect}");
    for err in [api_error, transport, redirect] {
        for text in [err.to_string(), format!("{err:?}")] {
            assert!(!text.contains(KEY), "{text}");
        }
    }
    assert!(!format!("{client:?}").contains(KEY));
}

#[test]
fn base_urls_are_checked_without_oktas_rules() {
    assert!(Client::new("https://dev-1-admin.okta.com", Auth::None).is_ok());
    assert!(Client::new("https://api.example.com/v1", Auth::None).is_ok());
    for bad in [
        "http://api.example.com",
        "https://{region}.example.com",
        "https://api.example.com/?x=1",
        "ftp://api.example.com",
    ] {
        let err = Client::new(bad, Auth::None).unwrap_err().to_string();
        assert!(!err.contains("org URL"), "{bad}: {err}");
    }
    let options = ClientOptions::default();
    assert_eq!(options.max_retries, 2);
}
