//! What a generic client (`tests/fixtures/constructs/auth_schemes.yaml`) records with `tracing`:
//! its own span names, the request id from `X-Request-Id`, and never a credential, a query API
//! key included. Its own test binary, with one test: tracing caches whether a callsite is enabled
//! process-wide (see `runtime_tracing.rs`).

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::io::Write;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use okgen_tests::fixtures::auth_schemes::{Auth, Client, Sleeper};
use serde_json::json;
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, ResponseTemplate};

const KEY: &str = "kTRACEqueryKEY";
const TOKEN: &str = "tTRACEbearerTOKEN";

struct NoSleep;

impl Sleeper for NoSleep {
    fn sleep(&self, _: Duration) -> Pin<Box<dyn std::future::Future<Output = ()> + Send>> {
        Box::pin(async {})
    }
}

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
async fn a_generic_client_traces_its_calls_without_credentials() {
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
    Mock::given(any())
        .respond_with(
            ResponseTemplate::new(429)
                .insert_header("retry-after", "0")
                .insert_header("x-request-id", "reqGENERIC429"),
        )
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(any())
        .respond_with(
            ResponseTemplate::new(200)
                .insert_header("x-request-id", "reqGENERIC200")
                .set_body_json(json!([])),
        )
        .mount(&server)
        .await;
    let client = Client::new(&server.uri(), Auth::query_key(KEY))
        .unwrap()
        .with_sleeper(NoSleep);
    client.list_things().color("red").await.unwrap();
    let client = Client::new(&server.uri(), Auth::bearer(TOKEN))
        .unwrap()
        .with_sleeper(NoSleep);
    client.list_things().await.unwrap();
    // A refused connection, retried: its error names the URL, which is not recorded.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let refused = Client::new(&format!("http://127.0.0.1:{port}"), Auth::query_key(KEY))
        .unwrap()
        .with_sleeper(NoSleep);
    refused.list_things().await.unwrap_err();

    let output = String::from_utf8(captured.0.lock().unwrap().clone()).unwrap();
    for expected in [
        "okgen.request",
        "okgen.attempt",
        "listThings",
        "reqGENERIC429",
        "reqGENERIC200",
        "status=429",
        "retrying",
        "connection failed",
    ] {
        assert!(
            output.contains(expected),
            "{expected:?} missing from:\n{output}"
        );
    }
    for secret in [KEY, TOKEN, "api_key", "Bearer", "red", "okta."] {
        assert!(!output.contains(secret), "{secret:?} logged:\n{output}");
    }
}
