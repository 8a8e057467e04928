//! Private key authentication (OAuth 2.0 client credentials with a `private_key_jwt` client
//! assertion) against a mock token endpoint (wiremock). The assertion is decoded and its
//! signature verified with the public key; the keys are test-only (tests/fixtures/keys/).

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::HashMap;
use std::time::Duration;

use jsonwebtoken::{Algorithm, DecodingKey, Validation};
use okta_management::{Auth, Client, ClientOptions, Error, PrivateKey, PrivateKeyConfig};
use serde_json::{json, Value};
use url::Url;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

const CLIENT_ID: &str = "0oaTESTclientID";
const TOKEN_PATH: &str = "/oauth2/v1/token";
const USER: &str = "00u9kZr2WmTx4HqB71d5";

fn key_file(name: &str) -> String {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures/keys")
        .join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn token_response(token: &str, expires_in: u64) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(json!({
        "token_type": "Bearer",
        "expires_in": expires_in,
        "access_token": token,
        "scope": "okta.users.read okta.users.manage",
    }))
}

async fn mount_token(server: &MockServer, template: ResponseTemplate) {
    Mock::given(method("POST"))
        .and(path(TOKEN_PATH))
        .respond_with(template)
        .mount(server)
        .await;
}

fn config(key_text: &str) -> PrivateKeyConfig {
    PrivateKeyConfig::new(
        CLIENT_ID,
        PrivateKey::parse(key_text).expect("the test key loads"),
    )
    .scopes(["okta.users.read", "okta.users.manage"])
}

fn http() -> reqwest::Client {
    okta_management::Client::http_client_builder()
        .build()
        .expect("http client")
}

fn url(server: &MockServer) -> Url {
    Url::parse(&server.uri()).unwrap()
}

async fn header(auth: &Auth, server: &MockServer) -> String {
    let value = auth
        .authorization(&http(), &url(server))
        .await
        .expect("a token")
        .expect("a header");
    assert!(value.is_sensitive());
    value.to_str().unwrap().to_owned()
}

async fn token_requests(server: &MockServer) -> Vec<Request> {
    server
        .received_requests()
        .await
        .unwrap()
        .into_iter()
        .filter(|r| r.url.path() == TOKEN_PATH)
        .collect()
}

fn form(request: &Request) -> HashMap<String, String> {
    url::form_urlencoded::parse(&request.body)
        .into_owned()
        .collect()
}

/// Verifies the assertion's signature with `public_pem` and returns its header and claims.
fn verify(
    assertion: &str,
    public_pem: &str,
    algorithm: Algorithm,
    audience: &str,
) -> (jsonwebtoken::Header, Value) {
    let key = match algorithm {
        Algorithm::RS256 => DecodingKey::from_rsa_pem(public_pem.as_bytes()),
        _ => DecodingKey::from_ec_pem(public_pem.as_bytes()),
    }
    .unwrap();
    let mut validation = Validation::new(algorithm);
    validation.set_audience(&[audience]);
    validation.set_issuer(&[CLIENT_ID]);
    validation.set_required_spec_claims(&["exp", "iat", "iss", "sub", "aud"]);
    let data = jsonwebtoken::decode::<Value>(assertion, &key, &validation)
        .unwrap_or_else(|e| panic!("the assertion must verify: {e}"));
    (data.header, data.claims)
}

#[tokio::test]
async fn the_token_request_carries_a_signed_assertion_with_the_claims() {
    let server = MockServer::start().await;
    mount_token(&server, token_response("at-1", 3600)).await;
    let auth = Auth::private_key(config(&key_file("rsa-pkcs1.pem")).key_id("kid-rsa-1"));
    assert_eq!(header(&auth, &server).await, "Bearer at-1");

    let requests = token_requests(&server).await;
    assert_eq!(requests.len(), 1);
    let request = &requests[0];
    assert_eq!(
        request
            .headers
            .get("content-type")
            .and_then(|v| v.to_str().ok()),
        Some("application/x-www-form-urlencoded")
    );
    let form = form(request);
    assert_eq!(form["grant_type"], "client_credentials");
    assert_eq!(form["scope"], "okta.users.read okta.users.manage");
    assert_eq!(
        form["client_assertion_type"],
        "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"
    );
    let audience = format!("{}{TOKEN_PATH}", server.uri());
    let (jwt_header, claims) = verify(
        &form["client_assertion"],
        &key_file("rsa-public.pem"),
        Algorithm::RS256,
        &audience,
    );
    assert_eq!(jwt_header.kid.as_deref(), Some("kid-rsa-1"));
    assert_eq!(claims["iss"], CLIENT_ID);
    assert_eq!(claims["sub"], CLIENT_ID);
    assert_eq!(claims["aud"], audience.as_str());
    let lifetime = claims["exp"].as_u64().unwrap() - claims["iat"].as_u64().unwrap();
    assert!(lifetime > 0 && lifetime <= 3600, "exp − iat = {lifetime}");
    assert!(!claims["jti"].as_str().unwrap().is_empty());
}

#[tokio::test]
async fn every_key_format_signs_verifiable_assertions() {
    let cases = [
        ("rsa-pkcs1.pem", "rsa-public.pem", Algorithm::RS256),
        ("rsa-pkcs8.pem", "rsa-public.pem", Algorithm::RS256),
        ("rsa.jwk.json", "rsa-public.pem", Algorithm::RS256),
        ("ec-sec1.pem", "ec-public.pem", Algorithm::ES256),
        ("ec-pkcs8.pem", "ec-public.pem", Algorithm::ES256),
        ("ec.jwk.json", "ec-public.pem", Algorithm::ES256),
    ];
    for (private, public, algorithm) in cases {
        let server = MockServer::start().await;
        mount_token(&server, token_response("at", 3600)).await;
        let auth = Auth::private_key(config(&key_file(private)));
        assert_eq!(header(&auth, &server).await, "Bearer at", "{private}");
        let requests = token_requests(&server).await;
        let audience = format!("{}{TOKEN_PATH}", server.uri());
        let (jwt_header, claims) = verify(
            &form(&requests[0])["client_assertion"],
            &key_file(public),
            algorithm,
            &audience,
        );
        assert_eq!(jwt_header.alg, algorithm, "{private}");
        assert_eq!(jwt_header.kid, None, "{private}: no kid unless configured");
        assert_eq!(claims["sub"], CLIENT_ID, "{private}");
    }
}

#[test]
fn bad_keys_are_refused_with_a_reason() {
    for (text, expected) in [
        ("not a key", "not PEM"),
        ("{\"kty\":\"oct\",\"k\":\"AA\"}", "kty \"oct\""),
        (
            "{\"kty\":\"EC\",\"crv\":\"P-384\",\"d\":\"AA\"}",
            "curve Some(\"P-384\")",
        ),
        ("{\"kty\":\"RSA\",\"n\":\"AQAB\"}", "no `e`"),
        (
            "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n",
            "PEM",
        ),
    ] {
        let err = PrivateKey::parse(text).expect_err(text);
        assert!(err.message.contains(expected), "{text}: {err}");
    }
}

#[tokio::test]
async fn each_assertion_has_a_fresh_jti() {
    let server = MockServer::start().await;
    mount_token(&server, token_response("at", 3600)).await;
    let auth = Auth::private_key(config(&key_file("ec-pkcs8.pem")));
    header(&auth, &server).await;
    assert!(auth.invalidate());
    header(&auth, &server).await;
    let requests = token_requests(&server).await;
    assert_eq!(requests.len(), 2);
    let audience = format!("{}{TOKEN_PATH}", server.uri());
    let jtis: Vec<Value> = requests
        .iter()
        .map(|r| {
            let (_, claims) = verify(
                &form(r)["client_assertion"],
                &key_file("ec-public.pem"),
                Algorithm::ES256,
                &audience,
            );
            claims["jti"].clone()
        })
        .collect();
    assert_ne!(jtis[0], jtis[1]);
}

#[tokio::test]
async fn the_token_is_cached_across_api_calls() {
    let server = MockServer::start().await;
    mount_token(&server, token_response("at-cached", 3600)).await;
    Mock::given(method("GET"))
        .and(path(format!(
            "/api/v1/users/{USER}/authenticator-enrollments"
        )))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!([])))
        .mount(&server)
        .await;
    let auth = Auth::private_key(config(&key_file("rsa-pkcs8.pem")));
    let client =
        Client::with_options(&server.uri(), auth, http(), ClientOptions::default()).unwrap();
    for _ in 0..3 {
        let list = client.list_authenticator_enrollments(USER).await.unwrap();
        assert!(list.is_empty());
    }
    assert_eq!(token_requests(&server).await.len(), 1);
    let api: Vec<Request> = server
        .received_requests()
        .await
        .unwrap()
        .into_iter()
        .filter(|r| r.url.path() != TOKEN_PATH)
        .collect();
    assert_eq!(api.len(), 3);
    for request in api {
        assert_eq!(
            request
                .headers
                .get("authorization")
                .and_then(|v| v.to_str().ok()),
            Some("Bearer at-cached")
        );
    }
}

#[tokio::test]
async fn concurrent_callers_share_one_token_request() {
    let server = MockServer::start().await;
    mount_token(
        &server,
        token_response("at-once", 3600).set_delay(Duration::from_millis(300)),
    )
    .await;
    let auth = Auth::private_key(config(&key_file("ec-sec1.pem")));
    let org = url(&server);
    let http = http();
    let tasks: Vec<_> = (0..20)
        .map(|_| {
            let (auth, org, http) = (auth.clone(), org.clone(), http.clone());
            tokio::spawn(async move { auth.authorization(&http, &org).await })
        })
        .collect();
    for task in tasks {
        let value = task.await.unwrap().unwrap().unwrap();
        assert_eq!(value.to_str().unwrap(), "Bearer at-once");
    }
    assert_eq!(token_requests(&server).await.len(), 1);
}

#[tokio::test]
async fn a_token_within_the_refresh_skew_is_replaced() {
    let server = MockServer::start().await;
    // 60 s left is inside the 5-minute skew: every call needs a new token.
    mount_token(&server, token_response("at-short", 60)).await;
    let auth = Auth::private_key(config(&key_file("rsa-pkcs1.pem")));
    header(&auth, &server).await;
    header(&auth, &server).await;
    assert_eq!(token_requests(&server).await.len(), 2);
}

#[tokio::test]
async fn an_expired_token_is_refetched() {
    let server = MockServer::start().await;
    mount_token(&server, token_response("at-1s", 1)).await;
    let auth =
        Auth::private_key(config(&key_file("ec.jwk.json")).refresh_skew(Duration::from_secs(0)));
    header(&auth, &server).await;
    header(&auth, &server).await;
    assert_eq!(token_requests(&server).await.len(), 1, "still valid");
    tokio::time::sleep(Duration::from_millis(1100)).await;
    header(&auth, &server).await;
    assert_eq!(token_requests(&server).await.len(), 2, "expired: refetched");
}

#[tokio::test]
async fn invalidate_after_a_401_forces_one_new_token() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(TOKEN_PATH))
        .respond_with(token_response("at-old", 3600))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    mount_token(&server, token_response("at-new", 3600)).await;
    let auth = Auth::private_key(config(&key_file("rsa.jwk.json")));
    assert_eq!(header(&auth, &server).await, "Bearer at-old");
    assert_eq!(header(&auth, &server).await, "Bearer at-old");
    // The API answered 401: the transport asks the auth to forget its token.
    assert!(auth.invalidate(), "a fresh token may help");
    assert_eq!(header(&auth, &server).await, "Bearer at-new");
    assert_eq!(token_requests(&server).await.len(), 2);
    // Static credentials cannot be refreshed.
    assert!(!Auth::api_token("t").invalidate());
    assert!(!Auth::access_token("t").invalidate());
}

#[tokio::test]
async fn token_endpoint_errors_carry_error_and_description() {
    let server = MockServer::start().await;
    mount_token(
        &server,
        ResponseTemplate::new(400).set_body_json(json!({
            "error": "invalid_client",
            "error_description": "The client_assertion signature is invalid."
        })),
    )
    .await;
    let auth = Auth::private_key(config(&key_file("rsa-pkcs1.pem")));
    let err = auth
        .authorization(&http(), &url(&server))
        .await
        .expect_err("the endpoint refuses");
    assert_eq!(err.status, Some(400));
    assert_eq!(err.error.as_deref(), Some("invalid_client"));
    assert_eq!(
        err.error_description.as_deref(),
        Some("The client_assertion signature is invalid.")
    );
    assert!(err.to_string().contains("invalid_client"), "{err}");

    // Through the client: an `Error::Auth` with the same source, and no API request sent.
    let client =
        Client::with_options(&server.uri(), auth, http(), ClientOptions::default()).unwrap();
    match client.list_authenticator_enrollments(USER).await {
        Err(Error::Auth { source, .. }) => {
            assert_eq!(source.error.as_deref(), Some("invalid_client"))
        }
        other => panic!("expected Error::Auth, got {other:?}"),
    }
    let sent = server.received_requests().await.unwrap();
    assert!(sent.iter().all(|r| r.url.path() == TOKEN_PATH));
}

#[tokio::test]
async fn a_success_without_an_access_token_is_an_error() {
    let server = MockServer::start().await;
    mount_token(
        &server,
        ResponseTemplate::new(200).set_body_string("<html>"),
    )
    .await;
    let auth = Auth::private_key(config(&key_file("rsa-pkcs1.pem")));
    let err = auth
        .authorization(&http(), &url(&server))
        .await
        .expect_err("no token");
    assert!(err.message.contains("without an access_token"), "{err}");
    assert_eq!(err.status, Some(200));
}

#[tokio::test]
async fn debug_never_shows_the_key_the_token_or_the_assertion() {
    let server = MockServer::start().await;
    mount_token(&server, token_response("at-SECRET-token", 3600)).await;
    let key_text = key_file("rsa-pkcs1.pem");
    let key = PrivateKey::parse(&key_text).unwrap();
    let auth = Auth::private_key(config(&key_text).key_id("kid-1"));
    header(&auth, &server).await;
    let assertion = form(&token_requests(&server).await[0])["client_assertion"].clone();
    let client = Client::with_options(
        &server.uri(),
        auth.clone(),
        http(),
        ClientOptions::default(),
    )
    .unwrap();
    for shown in [
        format!("{auth:?}"),
        format!("{key:?}"),
        format!("{:?}", config(&key_text)),
        format!("{client:?}"),
    ] {
        assert!(!shown.contains("BEGIN"), "{shown}");
        assert!(!shown.contains("MII"), "{shown}");
        assert!(!shown.contains("SECRET"), "{shown}");
        assert!(!shown.contains(&assertion[..20]), "{shown}");
    }
    assert!(format!("{auth:?}").contains(CLIENT_ID));
}

#[tokio::test]
async fn without_scopes_no_scope_parameter_is_sent() {
    let server = MockServer::start().await;
    mount_token(&server, token_response("at", 3600)).await;
    let key = PrivateKey::parse(&key_file("ec-pkcs8.pem")).unwrap();
    let auth = Auth::private_key(PrivateKeyConfig::new(CLIENT_ID, key));
    header(&auth, &server).await;
    let form = form(&token_requests(&server).await[0]);
    assert!(!form.contains_key("scope"), "{form:?}");
    assert_eq!(form["grant_type"], "client_credentials");
}
