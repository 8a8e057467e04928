//! The runtime's transport against a local HTTP mock (wiremock): rate-limit waits and retries,
//! backoff on 503/504 and connection failures (idempotent methods only), the overall deadline,
//! response metadata on successes and errors, the User-Agent, and the retry after a 401.
//! Waits are recorded by a test sleeper, never slept. What `tracing` records is tested in
//! `runtime_tracing.rs` (its own process: tracing caches per-callsite interest globally).

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::time::{Duration, UNIX_EPOCH};

use okta_management::models::{AuthenticatorEnrollmentCreateRequest, AuthenticatorProfile};
use okta_management::{Auth, Client, ClientOptions, Error, RateLimit, Sleeper};
use serde_json::json;
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

const TOKEN: &str = "00aTRANSPORTtokenSECRET";
const USER: &str = "00u9kZr2WmTx4HqB71d5";
/// The server's clock in these tests.
const DATE: &str = "Sun, 29 Nov 2026 00:00:00 GMT";

/// Records the waits it is asked for and returns at once.
#[derive(Clone, Default)]
struct RecordingSleeper(Arc<Mutex<Vec<Duration>>>);

impl RecordingSleeper {
    fn waits(&self) -> Vec<Duration> {
        self.0.lock().unwrap().clone()
    }
}

impl Sleeper for RecordingSleeper {
    fn sleep(&self, duration: Duration) -> Pin<Box<dyn std::future::Future<Output = ()> + Send>> {
        self.0.lock().unwrap().push(duration);
        Box::pin(async {})
    }
}

fn date_epoch() -> u64 {
    httpdate::parse_http_date(DATE)
        .unwrap()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs()
}

fn client_with(
    uri: &str,
    configure: impl FnOnce(&mut ClientOptions),
) -> (Client, RecordingSleeper) {
    // `Client::new` installs the TLS provider and builds the default reqwest client.
    let http = Client::new(uri, Auth::api_token(TOKEN))
        .unwrap()
        .http_client()
        .clone();
    let mut options = ClientOptions::default();
    configure(&mut options);
    let sleeper = RecordingSleeper::default();
    let client = Client::with_options(uri, Auth::api_token(TOKEN), http, options)
        .unwrap()
        .with_sleeper(sleeper.clone());
    (client, sleeper)
}

/// A 429 from Okta: the rate-limit triple, the server's `Date` and a request id.
fn rate_limited(request_id: &str, reset_in: u64) -> ResponseTemplate {
    ResponseTemplate::new(429)
        .insert_header("x-okta-request-id", request_id)
        .insert_header("date", DATE)
        .insert_header("x-rate-limit-limit", "600")
        .insert_header("x-rate-limit-remaining", "0")
        .insert_header(
            "x-rate-limit-reset",
            (date_epoch() + reset_in).to_string().as_str(),
        )
        .set_body_json(json!({
            "errorCode": "E0000047",
            "errorSummary": "API call exceeded rate limit due to too many requests.",
            "errorId": request_id,
            "errorCauses": []
        }))
}

fn ok_list(request_id: &str) -> ResponseTemplate {
    ResponseTemplate::new(200)
        .insert_header("x-okta-request-id", request_id)
        .insert_header("x-rate-limit-limit", "600")
        .insert_header("x-rate-limit-remaining", "598")
        .insert_header("x-rate-limit-reset", "1795910460")
        .set_body_json(json!([]))
}

/// Mounts `template` for the next request only (mocks match in mounting order).
async fn once(server: &MockServer, template: ResponseTemplate) {
    Mock::given(any())
        .respond_with(template)
        .up_to_n_times(1)
        .mount(server)
        .await;
}

async fn requests(server: &MockServer) -> Vec<Request> {
    server.received_requests().await.expect("recording is on")
}

fn header<'a>(request: &'a Request, name: &str) -> Option<&'a str> {
    request.headers.get(name).and_then(|v| v.to_str().ok())
}

fn create_request() -> AuthenticatorEnrollmentCreateRequest {
    AuthenticatorEnrollmentCreateRequest::new(
        "aut1phoneAuthenticator",
        AuthenticatorProfile::new("+15415550142"),
    )
}

#[tokio::test]
async fn a_429_waits_reset_minus_date_plus_one_second_then_retries_with_the_retry_headers() {
    let server = MockServer::start().await;
    once(&server, rate_limited("req429first", 5)).await;
    once(&server, ok_list("reqOK")).await;
    let (client, sleeper) = client_with(&server.uri(), |_| {});

    let enrollments = client.list_authenticator_enrollments(USER).await.unwrap();

    assert!(enrollments.is_empty());
    assert_eq!(
        sleeper.waits(),
        [Duration::from_secs(6)],
        "reset − Date + 1 s"
    );
    let sent = requests(&server).await;
    assert_eq!(sent.len(), 2);
    assert_eq!(header(&sent[0], "x-okta-retry-for"), None);
    assert_eq!(header(&sent[0], "x-okta-retry-count"), None);
    assert_eq!(header(&sent[1], "x-okta-retry-for"), Some("req429first"));
    assert_eq!(header(&sent[1], "x-okta-retry-count"), Some("1"));
    assert_eq!(
        sent[1].headers.get_all("x-okta-retry-count").iter().count(),
        1
    );
}

#[tokio::test]
async fn a_429_on_post_is_retried_too_since_okta_did_not_process_it() {
    let server = MockServer::start().await;
    once(&server, rate_limited("req429post", 0)).await;
    once(
        &server,
        ResponseTemplate::new(200).set_body_json(json!({"type": "phone", "id": "paeNEW"})),
    )
    .await;
    let (client, sleeper) = client_with(&server.uri(), |_| {});

    let created = client
        .create_authenticator_enrollment(USER, create_request())
        .await
        .unwrap();

    assert_eq!(created.id.as_deref(), Some("paeNEW"));
    assert_eq!(
        sleeper.waits(),
        [Duration::from_secs(1)],
        "a reset already passed waits 1 s"
    );
    let sent = requests(&server).await;
    assert_eq!(sent.len(), 2);
    assert_eq!(sent[0].body, sent[1].body, "the retry sends the same body");
}

#[tokio::test]
async fn when_retries_run_out_the_error_is_the_last_429_with_its_status_body_id_and_headers() {
    let server = MockServer::start().await;
    for id in ["req429a", "req429b", "req429c"] {
        once(&server, rate_limited(id, 2)).await;
    }
    let (client, sleeper) = client_with(&server.uri(), |o| o.max_retries = 2);

    let err = client
        .list_authenticator_enrollments(USER)
        .await
        .unwrap_err();

    let sent = requests(&server).await;
    assert_eq!(sent.len(), 3, "one request and two retries");
    assert_eq!(header(&sent[1], "x-okta-retry-for"), Some("req429a"));
    assert_eq!(header(&sent[1], "x-okta-retry-count"), Some("1"));
    assert_eq!(header(&sent[2], "x-okta-retry-for"), Some("req429b"));
    assert_eq!(header(&sent[2], "x-okta-retry-count"), Some("2"));
    assert_eq!(sleeper.waits(), [Duration::from_secs(3); 2]);
    assert_eq!(err.status().map(|s| s.as_u16()), Some(429));
    assert_eq!(err.request_id(), Some("req429c"));
    let body = err.api_body().expect("Okta's error body decodes");
    assert_eq!(body.error_code.as_deref(), Some("E0000047"));
    assert_eq!(body.error_id.as_deref(), Some("req429c"));
    assert_eq!(
        err.headers()
            .and_then(|h| h.get("date"))
            .and_then(|v| v.to_str().ok()),
        Some(DATE)
    );
    assert_eq!(
        err.rate_limit(),
        Some(RateLimit {
            limit: 600,
            remaining: 0,
            reset: date_epoch() + 2
        })
    );
}

#[tokio::test]
async fn a_wait_that_would_pass_the_deadline_is_not_started() {
    let server = MockServer::start().await;
    once(&server, rate_limited("req429late", 30)).await;
    once(&server, ok_list("reqOK")).await;
    let (client, sleeper) = client_with(&server.uri(), |o| {
        o.request_timeout = Some(Duration::from_secs(10))
    });

    let err = client
        .list_authenticator_enrollments(USER)
        .await
        .unwrap_err();

    assert_eq!(requests(&server).await.len(), 1, "no retry");
    assert!(sleeper.waits().is_empty(), "no wait started");
    assert_eq!(err.status().map(|s| s.as_u16()), Some(429));
    assert_eq!(err.request_id(), Some("req429late"));
}

#[tokio::test]
async fn the_deadline_bounds_a_slow_attempt() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ok_list("reqSLOW").set_delay(Duration::from_secs(5)))
        .mount(&server)
        .await;
    let (client, _) = client_with(&server.uri(), |o| {
        o.request_timeout = Some(Duration::from_millis(200))
    });

    let started = std::time::Instant::now();
    let err = client
        .list_authenticator_enrollments(USER)
        .await
        .unwrap_err();

    assert!(
        started.elapsed() < Duration::from_secs(3),
        "{:?}",
        started.elapsed()
    );
    assert!(
        matches!(&err, Error::Transport { source, .. } if source.is_timeout()),
        "{err:?}"
    );
}

#[tokio::test]
async fn a_503_on_get_is_retried_with_capped_jittered_exponential_backoff() {
    let server = MockServer::start().await;
    once(&server, ResponseTemplate::new(503)).await;
    once(&server, ResponseTemplate::new(504)).await;
    once(&server, ok_list("reqOK")).await;
    let (client, sleeper) = client_with(&server.uri(), |_| {});

    client.list_authenticator_enrollments(USER).await.unwrap();

    assert_eq!(requests(&server).await.len(), 3);
    let waits = sleeper.waits();
    assert_eq!(waits.len(), 2, "{waits:?}");
    // Between half and all of 500 ms × 2^n.
    assert!(
        waits[0] >= Duration::from_millis(250) && waits[0] <= Duration::from_millis(500),
        "{waits:?}"
    );
    assert!(
        waits[1] >= Duration::from_millis(500) && waits[1] <= Duration::from_millis(1000),
        "{waits:?}"
    );
    let sent = requests(&server).await;
    assert_eq!(header(&sent[2], "x-okta-retry-count"), Some("2"));
    assert_eq!(
        header(&sent[2], "x-okta-retry-for"),
        None,
        "not after a 429"
    );
}

#[tokio::test]
async fn a_503_on_post_is_not_retried() {
    let server = MockServer::start().await;
    once(&server, ResponseTemplate::new(503).set_body_string("busy")).await;
    let (client, sleeper) = client_with(&server.uri(), |_| {});

    let err = client
        .create_authenticator_enrollment(USER, create_request())
        .await
        .unwrap_err();

    assert_eq!(requests(&server).await.len(), 1);
    assert!(sleeper.waits().is_empty());
    assert_eq!(err.status().map(|s| s.as_u16()), Some(503));
    assert!(
        matches!(&err, Error::Api(e) if e.raw_body == "busy"),
        "{err:?}"
    );
}

#[tokio::test]
async fn a_refused_connection_on_get_is_retried_then_reported() {
    // A port nothing listens on.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let uri = format!("http://127.0.0.1:{port}");
    let (client, sleeper) = client_with(&uri, |_| {});

    let err = client
        .list_authenticator_enrollments(USER)
        .await
        .unwrap_err();

    assert_eq!(sleeper.waits().len(), 2, "two retries");
    assert!(
        matches!(&err, Error::Transport { source, .. } if source.is_connect()),
        "{err:?}"
    );
}

#[tokio::test]
async fn a_refused_connection_on_post_is_not_retried() {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let (client, sleeper) = client_with(&format!("http://127.0.0.1:{port}"), |_| {});

    let err = client
        .create_authenticator_enrollment(USER, create_request())
        .await
        .unwrap_err();

    assert!(sleeper.waits().is_empty());
    assert!(matches!(&err, Error::Transport { .. }), "{err:?}");
}

#[tokio::test]
async fn max_retries_zero_turns_retries_off() {
    let server = MockServer::start().await;
    once(&server, rate_limited("req429", 1)).await;
    once(&server, ok_list("reqOK")).await;
    let (client, sleeper) = client_with(&server.uri(), |o| o.max_retries = 0);

    let err = client
        .list_authenticator_enrollments(USER)
        .await
        .unwrap_err();

    assert_eq!(requests(&server).await.len(), 1);
    assert!(sleeper.waits().is_empty());
    assert_eq!(err.status().map(|s| s.as_u16()), Some(429));
}

#[tokio::test]
async fn a_401_with_an_api_token_is_not_retried() {
    // `Auth::invalidate` is false for fixed tokens: fresh credentials would not help.
    let server = MockServer::start().await;
    once(&server, ResponseTemplate::new(401)).await;
    once(&server, ok_list("reqOK")).await;
    let (client, sleeper) = client_with(&server.uri(), |_| {});

    let err = client
        .list_authenticator_enrollments(USER)
        .await
        .unwrap_err();

    assert_eq!(requests(&server).await.len(), 1);
    assert!(sleeper.waits().is_empty());
    assert_eq!(err.status().map(|s| s.as_u16()), Some(401));
}

#[tokio::test]
async fn send_with_metadata_returns_the_status_request_id_rate_limit_and_headers() {
    let server = MockServer::start().await;
    once(&server, ok_list("reqMETA").insert_header("x-extra", "1")).await;
    let (client, _) = client_with(&server.uri(), |_| {});

    let response = client
        .list_authenticator_enrollments(USER)
        .send_with_metadata()
        .await
        .unwrap();

    assert!(response.value.is_empty());
    assert_eq!(response.status.as_u16(), 200);
    assert_eq!(response.request_id.as_deref(), Some("reqMETA"));
    let rate_limit = response.rate_limit.expect("all three headers");
    assert_eq!(
        rate_limit,
        RateLimit {
            limit: 600,
            remaining: 598,
            reset: 1_795_910_460
        }
    );
    assert_eq!(
        rate_limit.reset_at(),
        Some(UNIX_EPOCH + Duration::from_secs(1_795_910_460))
    );
    assert_eq!(
        response
            .headers
            .get("x-extra")
            .and_then(|v| v.to_str().ok()),
        Some("1")
    );
}

#[tokio::test]
async fn metadata_of_an_empty_success_and_of_an_error() {
    let server = MockServer::start().await;
    once(
        &server,
        ResponseTemplate::new(204).insert_header("x-okta-request-id", "reqDEL"),
    )
    .await;
    once(
        &server,
        ResponseTemplate::new(404)
            .insert_header("x-okta-request-id", "req404")
            .insert_header("x-rate-limit-limit", "100")
            .insert_header("x-rate-limit-remaining", "99")
            .insert_header("x-rate-limit-reset", "1795910460")
            .set_body_json(json!({"errorCode": "E0000007", "errorSummary": "Not found"})),
    )
    .await;
    let (client, _) = client_with(&server.uri(), |_| {});

    let deleted = client
        .delete_authenticator_enrollment(USER, "paeENROLL")
        .send_with_metadata()
        .await
        .unwrap();
    assert_eq!(deleted.status.as_u16(), 204);
    assert_eq!(deleted.request_id.as_deref(), Some("reqDEL"));
    assert_eq!(deleted.rate_limit, None, "not all three headers");

    let err = client
        .delete_authenticator_enrollment(USER, "paeENROLL")
        .send_with_metadata()
        .await
        .unwrap_err();
    assert_eq!(err.request_id(), Some("req404"));
    assert_eq!(
        err.rate_limit(),
        Some(RateLimit {
            limit: 100,
            remaining: 99,
            reset: 1_795_910_460
        })
    );
    let Error::Api(api) = &err else {
        panic!("{err:?}")
    };
    assert_eq!(api.rate_limit(), err.rate_limit());
    assert_eq!(api.status.as_u16(), 404);
}

#[tokio::test]
async fn the_user_agent_names_the_sdk_rust_os_and_arch_then_the_suffix() {
    let server = MockServer::start().await;
    once(&server, ok_list("reqUA")).await;
    let (client, _) = client_with(&server.uri(), |o| {
        o.user_agent_suffix = Some("my-app/2.1".into())
    });

    client.list_authenticator_enrollments(USER).await.unwrap();

    let sent = requests(&server).await;
    let agent = header(&sent[0], "user-agent").expect("a User-Agent");
    assert_eq!(agent, client.user_agent());
    let parts: Vec<&str> = agent.split(' ').collect();
    assert_eq!(parts.len(), 4, "{agent}");
    assert_eq!(
        parts[0],
        format!("okta-sdk-rust/{}", env!("CARGO_PKG_VERSION"))
    );
    let rustc = parts[1].strip_prefix("rust/").expect("rust/<version>");
    assert!(
        rustc.split('.').count() >= 3 && rustc.starts_with("1."),
        "a real rustc version: {agent}"
    );
    assert_eq!(
        parts[2],
        format!("{}/{}", std::env::consts::OS, std::env::consts::ARCH)
    );
    assert_eq!(parts[3], "my-app/2.1");
}

#[tokio::test]
async fn a_401_with_a_token_obtaining_auth_fetches_a_new_token_and_retries_once() {
    use okta_management::{PrivateKey, PrivateKeyConfig};
    use wiremock::matchers::{method, path};

    let server = MockServer::start().await;
    let token = |access_token: &str| {
        ResponseTemplate::new(200).set_body_json(json!({
            "token_type": "Bearer",
            "expires_in": 3600,
            "access_token": access_token,
        }))
    };
    for access_token in ["at-old", "at-new", "at-newer"] {
        Mock::given(method("POST"))
            .and(path("/oauth2/v1/token"))
            .respond_with(token(access_token))
            .up_to_n_times(1)
            .mount(&server)
            .await;
    }
    let api = format!("/api/v1/users/{USER}/authenticator-enrollments");
    Mock::given(method("GET"))
        .and(path(api.as_str()))
        .respond_with(ResponseTemplate::new(401).insert_header("x-okta-request-id", "req401"))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(api.as_str()))
        .respond_with(ok_list("reqOK"))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(api.as_str()))
        .respond_with(ResponseTemplate::new(401))
        .mount(&server)
        .await;
    let key = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/keys/rsa-pkcs8.pem"),
    )
    .unwrap();
    let auth = Auth::private_key(PrivateKeyConfig::new(
        "0oaTESTclientID",
        PrivateKey::parse(&key).unwrap(),
    ));
    let http = Client::new(&server.uri(), Auth::None)
        .unwrap()
        .http_client()
        .clone();
    let sleeper = RecordingSleeper::default();
    let client = Client::with_options(&server.uri(), auth, http, ClientOptions::default())
        .unwrap()
        .with_sleeper(sleeper.clone());

    // 401, then a new token and a retry that succeeds.
    client.list_authenticator_enrollments(USER).await.unwrap();
    // 401 twice in a row: one retry only, then the 401 is the error.
    let err = client
        .list_authenticator_enrollments(USER)
        .await
        .unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(401));

    let sent = requests(&server).await;
    let api_calls: Vec<&Request> = sent.iter().filter(|r| r.url.path() == api).collect();
    let authorizations: Vec<Option<&str>> = api_calls
        .iter()
        .map(|r| header(r, "authorization"))
        .collect();
    assert_eq!(
        authorizations,
        [
            Some("Bearer at-old"),
            Some("Bearer at-new"),
            Some("Bearer at-new"),
            Some("Bearer at-newer"),
        ]
    );
    assert_eq!(header(api_calls[1], "x-okta-retry-count"), Some("1"));
    assert!(sleeper.waits().is_empty(), "a 401 retry does not wait");
}

#[tokio::test]
async fn a_success_body_that_does_not_decode_still_carries_the_headers_and_rate_limit() {
    let server = MockServer::start().await;
    once(
        &server,
        ok_list("reqBAD").set_body_json(json!({"not": "an array"})),
    )
    .await;
    let (client, _) = client_with(&server.uri(), |_| {});

    let err = client
        .list_authenticator_enrollments(USER)
        .await
        .unwrap_err();

    assert!(matches!(&err, Error::Decode(_)), "{err:?}");
    assert_eq!(err.request_id(), Some("reqBAD"));
    assert_eq!(err.rate_limit().map(|r| r.remaining), Some(598));
    assert!(err
        .headers()
        .is_some_and(|h| h.contains_key("x-rate-limit-limit")));
}
