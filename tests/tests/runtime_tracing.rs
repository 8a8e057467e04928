//! What the runtime records with `tracing`: the operation, the spec's path template, the status,
//! the request id and the attempt, and never a secret. Its own test binary, with one test: tracing
//! caches whether a callsite is enabled process-wide, so tests without a subscriber running in
//! parallel could hide the spans from this test's scoped subscriber.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::io::Write;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use okta_management::models::{
    AuthenticatorEnrollmentCreateRequest, AuthenticatorProfile, DiscloseIdentifier,
};
use okta_management::{Auth, Client, ClientOptions, Sleeper};
use serde_json::json;
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, ResponseTemplate};

const TOKEN: &str = "00aTRACINGtokenSECRET";
const USER: &str = "00u9kZr2WmTx4HqB71d5";
const ENROLLMENT: &str = "paeTRACEenrollment42";
/// A query value that must not be recorded.
const QUERY_VALUE: &str = "qvTRACEqueryVALUE";

/// Returns at once.
struct NoSleep;

impl Sleeper for NoSleep {
    fn sleep(&self, _: Duration) -> Pin<Box<dyn std::future::Future<Output = ()> + Send>> {
        Box::pin(async {})
    }
}

async fn once(server: &MockServer, template: ResponseTemplate) {
    Mock::given(any())
        .respond_with(template)
        .up_to_n_times(1)
        .mount(server)
        .await;
}

fn create_request() -> AuthenticatorEnrollmentCreateRequest {
    AuthenticatorEnrollmentCreateRequest::new(
        "aut1phoneAuthenticator",
        AuthenticatorProfile::new("+15415550142"),
    )
}

/// A `tracing` writer into a shared buffer.
#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[tokio::test]
async fn tracing_records_the_operation_template_status_request_id_and_attempt_but_no_secret() {
    let captured = Captured::default();
    let writer = captured.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_writer(move || writer.clone())
        .with_max_level(tracing::Level::TRACE)
        .with_span_events(tracing_subscriber::fmt::format::FmtSpan::CLOSE)
        .with_ansi(false)
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);

    let server = MockServer::start().await;
    once(
        &server,
        ResponseTemplate::new(429)
            .insert_header("x-okta-request-id", "reqTRACE429")
            .insert_header("x-rate-limit-reset", "0"),
    )
    .await;
    once(
        &server,
        ResponseTemplate::new(200)
            .insert_header("x-okta-request-id", "reqTRACEcreated")
            .set_body_json(json!({"type": "phone", "id": "paeNEW"})),
    )
    .await;
    once(
        &server,
        ResponseTemplate::new(200)
            .insert_header("x-okta-request-id", "reqTRACE200")
            .set_body_json(json!([])),
    )
    .await;
    let http = Client::new(&server.uri(), Auth::None)
        .unwrap()
        .http_client()
        .clone();
    let client = Client::with_options(
        &server.uri(),
        Auth::api_token(TOKEN),
        http.clone(),
        ClientOptions::default(),
    )
    .unwrap()
    .with_sleeper(NoSleep);
    client
        .create_authenticator_enrollment(USER, create_request())
        .send()
        .await
        .unwrap();
    client.list_authenticator_enrollments(USER).await.unwrap();
    // A refused connection (retried) and a redirect to another origin: the filled-in path and
    // the query values are not recorded there either.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let refused = Client::with_options(
        &format!("http://127.0.0.1:{port}"),
        Auth::api_token(TOKEN),
        http,
        ClientOptions::default(),
    )
    .unwrap()
    .with_sleeper(NoSleep);
    refused
        .get_authenticator_enrollment(USER, ENROLLMENT)
        .disclose_identifiers([DiscloseIdentifier::Unknown(QUERY_VALUE.to_owned())])
        .await
        .unwrap_err();
    once(
        &server,
        ResponseTemplate::new(307).insert_header(
            "location",
            format!("http://127.0.0.1:{port}/{USER}?v={QUERY_VALUE}").as_str(),
        ),
    )
    .await;
    client
        .get_authenticator_enrollment(USER, ENROLLMENT)
        .disclose_identifiers([DiscloseIdentifier::Unknown(QUERY_VALUE.to_owned())])
        .await
        .unwrap_err();

    let output = String::from_utf8(captured.0.lock().unwrap().clone()).unwrap();
    for expected in [
        "listAuthenticatorEnrollments",
        "createAuthenticatorEnrollment",
        "/api/v1/users/{userId}/authenticator-enrollments",
        "method=GET",
        "reqTRACE429",
        "reqTRACEcreated",
        "reqTRACE200",
        "status=429",
        "status=200",
        "attempt=2",
        "retrying",
        "connection failed",
        "redirect to another origin not followed",
        "/api/v1/users/{userId}/authenticator-enrollments/{enrollmentId}",
    ] {
        assert!(
            output.contains(expected),
            "{expected:?} missing from:\n{output}"
        );
    }
    for secret in [
        TOKEN,
        "SSWS",
        "authorization",
        "Authorization",
        "+15415550142",
        USER,
        ENROLLMENT,
        QUERY_VALUE,
    ] {
        assert!(!output.contains(secret), "{secret:?} logged:\n{output}");
    }
}
