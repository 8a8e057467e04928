//! Safe by default: finite timeouts, redirects kept within the org's origin, a cap on the bytes
//! read per response, and error text without the call's identifiers. Against wiremock servers
//! and raw loopback sockets (for servers that never answer or never stop answering); no test
//! waits longer than a short configured timeout.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use okta_management::models::{
    AuthenticatorEnrollmentCreateRequest, AuthenticatorProfile, DiscloseIdentifier,
};
use okta_management::{Auth, Client, ClientOptions, Error, Sleeper};
use serde_json::json;
use wiremock::matchers::{any, method, path};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

const TOKEN: &str = "00aSAFETYtokenSECRET";
const USER: &str = "00uSAFEuserID4711";
const ENROLLMENT: &str = "paeSAFEenrollment0815";
/// A query value that must not appear in error text.
const QUERY_VALUE: &str = "qvSAFEqueryVALUE";

/// Records the waits it is asked for and returns at once.
#[derive(Clone, Default)]
struct RecordingSleeper(Arc<Mutex<Vec<Duration>>>);

impl Sleeper for RecordingSleeper {
    fn sleep(&self, duration: Duration) -> Pin<Box<dyn std::future::Future<Output = ()> + Send>> {
        self.0.lock().unwrap().push(duration);
        Box::pin(async {})
    }
}

/// A client with the default HTTP client (`Client::http_client_builder`), options as given.
fn client_with(uri: &str, configure: impl FnOnce(&mut ClientOptions)) -> Client {
    let http = Client::http_client_builder().build().unwrap();
    client_over(uri, http, configure)
}

fn client_over(
    uri: &str,
    http: reqwest::Client,
    configure: impl FnOnce(&mut ClientOptions),
) -> Client {
    let mut options = ClientOptions::default();
    configure(&mut options);
    Client::with_options(uri, Auth::api_token(TOKEN), http, options)
        .unwrap()
        .with_sleeper(RecordingSleeper::default())
}

fn create_request() -> AuthenticatorEnrollmentCreateRequest {
    AuthenticatorEnrollmentCreateRequest::new(
        "aut1phoneAuthenticator",
        AuthenticatorProfile::new("+15415550142"),
    )
}

/// Where `create_authenticator_enrollment` posts.
fn create_path() -> String {
    format!("/api/v1/users/{USER}/authenticator-enrollments/phone")
}

async fn requests(server: &MockServer) -> Vec<Request> {
    server.received_requests().await.expect("recording is on")
}

/// A loopback server that runs `serve` on each connection, in its own thread (the connection
/// is dropped when `serve` returns). The thread ends with the test process.
fn raw_server(serve: fn(TcpStream)) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let uri = format!("http://{}", listener.local_addr().unwrap());
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            std::thread::spawn(move || serve(stream));
        }
    });
    uri
}

/// Reads a request's head (up to the blank line).
fn read_head(stream: &mut TcpStream) {
    let mut head = Vec::new();
    let mut byte = [0u8; 1];
    while !head.ends_with(b"\r\n\r\n") {
        match stream.read(&mut byte) {
            Ok(1) => head.push(byte[0]),
            _ => return,
        }
    }
}

// ----- Timeouts -----

#[tokio::test]
async fn a_server_that_accepts_and_never_answers_times_out_at_the_configured_deadline() {
    // Holds each connection open and says nothing.
    let uri = raw_server(|stream| {
        std::thread::sleep(Duration::from_secs(30));
        drop(stream);
    });
    let client = client_with(&uri, |o| {
        o.request_timeout = Some(Duration::from_millis(300))
    });

    let started = Instant::now();
    let err = client
        .list_authenticator_enrollments(USER)
        .await
        .unwrap_err();
    let elapsed = started.elapsed();

    assert!(
        elapsed >= Duration::from_millis(280) && elapsed < Duration::from_secs(2),
        "{elapsed:?}"
    );
    assert!(
        matches!(&err, Error::Transport { source, .. } if source.is_timeout()),
        "{err:?}"
    );
    assert!(err.to_string().contains("timed out"), "{err}");
}

#[tokio::test]
async fn a_body_that_stalls_halfway_times_out_too() {
    let uri = raw_server(|mut stream| {
        read_head(&mut stream);
        let _ = stream.write_all(
            b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 100\r\n\r\n[",
        );
        let _ = stream.flush();
        std::thread::sleep(Duration::from_secs(30));
    });
    let client = client_with(&uri, |o| {
        o.request_timeout = Some(Duration::from_millis(300))
    });

    let started = Instant::now();
    let err = client
        .list_authenticator_enrollments(USER)
        .await
        .unwrap_err();

    assert!(started.elapsed() < Duration::from_secs(2), "{err:?}");
    assert!(
        matches!(&err, Error::Transport { source, .. } if source.is_timeout()),
        "{err:?}"
    );
}

#[test]
fn the_defaults_are_finite() {
    let options = ClientOptions::default();
    assert_eq!(options.request_timeout, Some(Duration::from_secs(120)));
    assert_eq!(options.max_response_bytes, 16 * 1024 * 1024);
    let client = Client::new("https://dev-1.okta.com", Auth::None).unwrap();
    assert_eq!(client.options(), &options);
}

// ----- Redirects -----

/// Mounts a 307 for every request on `server` to `location`.
async fn redirect_all(server: &MockServer, location: &str) {
    Mock::given(any())
        .respond_with(ResponseTemplate::new(307).insert_header("location", location))
        .mount(server)
        .await;
}

#[tokio::test]
async fn a_redirect_to_another_origin_is_not_followed_and_names_the_location_without_its_query() {
    let org = MockServer::start().await;
    let elsewhere = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"id": "paeELSEWHERE"})))
        .mount(&elsewhere)
        .await;
    let location = format!("{}/collect?token=leakedVALUE#frag", elsewhere.uri());
    redirect_all(&org, &location).await;
    let client = client_with(&org.uri(), |_| {});

    // A POST: a followed 307 would re-send the body (and the enrollment) there.
    let err = client
        .create_authenticator_enrollment(USER, create_request())
        .await
        .unwrap_err();

    assert!(requests(&elsewhere).await.is_empty(), "nothing reaches it");
    assert_eq!(requests(&org).await.len(), 1, "not retried");
    let Error::Redirect {
        operation,
        path_template,
        status,
        location: shown,
    } = &err
    else {
        panic!("{err:?}")
    };
    assert_eq!(*operation, "createAuthenticatorEnrollment");
    assert_eq!(
        *path_template,
        "/api/v1/users/{userId}/authenticator-enrollments/phone"
    );
    assert_eq!(status.as_u16(), 307);
    assert_eq!(shown, &format!("{}/collect", elsewhere.uri()));
    assert_eq!(err.status().map(|s| s.as_u16()), Some(307));
    let text = format!("{err} {err:?}");
    assert!(
        text.contains(&format!("{}/collect", elsewhere.uri())),
        "{text}"
    );
    for hidden in ["leakedVALUE", "frag", USER, TOKEN] {
        assert!(!text.contains(hidden), "{hidden} in {text}");
    }

    // A GET too; and another scheme on the same host and port is another origin.
    let err = client
        .list_authenticator_enrollments(USER)
        .await
        .unwrap_err();
    assert!(matches!(&err, Error::Redirect { .. }), "{err:?}");
    let downgrade = MockServer::start().await;
    let https = downgrade.uri().replace("http://", "https://");
    redirect_all(&downgrade, &format!("{https}/x")).await;
    let err = client_with(&downgrade.uri(), |_| {})
        .list_authenticator_enrollments(USER)
        .await
        .unwrap_err();
    assert!(matches!(&err, Error::Redirect { .. }), "{err:?}");
    assert!(requests(&elsewhere).await.is_empty());
}

#[tokio::test]
async fn a_same_origin_redirect_is_followed_with_the_body_and_without_a_referer() {
    let org = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(create_path()))
        .respond_with(ResponseTemplate::new(307).insert_header("location", "/moved/enrollments"))
        .mount(&org)
        .await;
    Mock::given(method("POST"))
        .and(path("/moved/enrollments"))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(json!({"type": "phone", "id": "paeMOVED"})),
        )
        .mount(&org)
        .await;
    let client = client_with(&org.uri(), |_| {});

    let created = client
        .create_authenticator_enrollment(USER, create_request())
        .await
        .unwrap();

    assert_eq!(created.id.as_deref(), Some("paeMOVED"));
    let sent = requests(&org).await;
    assert_eq!(sent.len(), 2);
    assert_eq!(sent[1].url.path(), "/moved/enrollments");
    assert_eq!(sent[0].body, sent[1].body, "a 307 keeps the body");
    assert!(sent[1].headers.get("referer").is_none(), "no Referer");
    assert_eq!(
        sent[1]
            .headers
            .get("authorization")
            .and_then(|v| v.to_str().ok()),
        Some(format!("SSWS {TOKEN}").as_str()),
        "the same origin keeps the credentials"
    );
}

#[tokio::test]
async fn same_origin_redirects_are_bounded() {
    let org = MockServer::start().await;
    redirect_all(&org, "/again").await;
    let client = client_with(&org.uri(), |o| o.max_retries = 0);

    let err = client
        .list_authenticator_enrollments(USER)
        .await
        .unwrap_err();

    assert_eq!(requests(&org).await.len(), 6, "the request and 5 redirects");
    assert!(
        matches!(&err, Error::Transport { source, .. } if source.is_redirect()),
        "{err:?}"
    );
    assert!(err.to_string().contains("more than 5 redirects"), "{err}");
}

#[tokio::test]
async fn a_response_that_a_client_built_elsewhere_fetched_from_another_origin_is_refused() {
    let org = MockServer::start().await;
    let elsewhere = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(200).set_body_json(json!([])))
        .mount(&elsewhere)
        .await;
    redirect_all(&org, &format!("{}/list?x=1", elsewhere.uri())).await;
    // reqwest's own policy: up to 10 redirects, to any host. The runtime cannot stop it.
    let http = Client::http_client_builder()
        .redirect(reqwest::redirect::Policy::default())
        .build()
        .unwrap();
    let client = client_over(&org.uri(), http, |_| {});

    let err = client
        .list_authenticator_enrollments(USER)
        .await
        .unwrap_err();

    assert_eq!(requests(&elsewhere).await.len(), 1, "that client followed");
    assert!(
        matches!(&err, Error::Redirect { location, status, .. }
            if location == &format!("{}/list", elsewhere.uri()) && status.as_u16() == 200),
        "{err:?}"
    );

    // A client that follows no redirect: a redirect to another origin is refused just the same.
    let http = Client::http_client_builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let err = client_over(&org.uri(), http, |_| {})
        .list_authenticator_enrollments(USER)
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::Redirect { status, .. } if status.as_u16() == 307),
        "{err:?}"
    );
    assert_eq!(requests(&elsewhere).await.len(), 1);
}

// ----- Response size -----

#[tokio::test]
async fn a_success_body_over_the_cap_is_a_typed_error() {
    let server = MockServer::start().await;
    let big: Vec<serde_json::Value> = (0..100)
        .map(|i| json!({"id": format!("pae{i:04}"), "type": "phone"}))
        .collect();
    Mock::given(any())
        .respond_with(
            ResponseTemplate::new(200)
                .insert_header("x-okta-request-id", "reqBIG")
                .set_body_json(json!(big)),
        )
        .mount(&server)
        .await;
    let client = client_with(&server.uri(), |o| o.max_response_bytes = 1024);

    let err = client
        .list_authenticator_enrollments(USER)
        .await
        .unwrap_err();

    assert!(
        matches!(
            &err,
            Error::ResponseTooLarge {
                operation: "listAuthenticatorEnrollments",
                limit: 1024,
                ..
            }
        ),
        "{err:?}"
    );
    assert_eq!(err.status().map(|s| s.as_u16()), Some(200));
    assert_eq!(err.request_id(), Some("reqBIG"));
    let text = err.to_string();
    assert!(
        text.contains("listAuthenticatorEnrollments") && text.contains("1024 bytes"),
        "{text}"
    );

    // The same body fits the default cap.
    let client = client_with(&server.uri(), |_| {});
    assert_eq!(
        client
            .list_authenticator_enrollments(USER)
            .await
            .unwrap()
            .len(),
        100
    );
}

#[tokio::test]
async fn an_endless_body_is_read_only_up_to_the_cap() {
    // Chunked, no Content-Length, and never ending: buffering it all would never finish.
    let uri = raw_server(|mut stream| {
        read_head(&mut stream);
        let head = b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\n\r\n";
        if stream.write_all(head).is_err() {
            return;
        }
        let mut chunk = b"400\r\n".to_vec();
        chunk.extend_from_slice(&[b' '; 0x400]);
        chunk.extend_from_slice(b"\r\n");
        // Until the client hangs up (or 1 GiB, should it not).
        for _ in 0..(1 << 20) {
            if stream.write_all(&chunk).is_err() {
                return;
            }
        }
    });
    let client = client_with(&uri, |o| {
        o.max_response_bytes = 64 * 1024;
        o.request_timeout = Some(Duration::from_secs(10));
    });

    let started = Instant::now();
    let err = client
        .list_authenticator_enrollments(USER)
        .await
        .unwrap_err();

    assert!(started.elapsed() < Duration::from_secs(5), "{err:?}");
    assert!(
        matches!(
            &err,
            Error::ResponseTooLarge {
                limit: 65536,
                request_id: None,
                ..
            }
        ),
        "{err:?}"
    );
}

fn okta_error(summary: &str) -> serde_json::Value {
    json!({
        "errorCode": "E0000001",
        "errorSummary": summary,
        "errorId": "oaeSAFE",
        "errorCauses": []
    })
}

#[tokio::test]
async fn an_error_body_keeps_a_4_kib_prefix_and_is_decoded_when_it_fits() {
    let server = MockServer::start().await;
    // Small: whole, decoded.
    Mock::given(any())
        .respond_with(ResponseTemplate::new(400).set_body_json(okta_error("short")))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    // 10 KB: the raw body is cut to 4 KiB (on a character boundary), the typed body decoded.
    let long = "é".repeat(5_000);
    Mock::given(any())
        .respond_with(ResponseTemplate::new(400).set_body_json(okta_error(&long)))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    // Over what is read of an error body (64 KiB): not decoded, still the API error.
    let huge = "x".repeat(200_000);
    Mock::given(any())
        .respond_with(ResponseTemplate::new(400).set_body_json(okta_error(&huge)))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    let client = client_with(&server.uri(), |o| o.max_retries = 0);
    let call = || client.list_authenticator_enrollments(USER);

    let err = call().await.unwrap_err();
    let Error::Api(api) = &err else {
        panic!("{err:?}")
    };
    assert!(!api.raw_body_truncated);
    assert_eq!(
        serde_json::from_str::<serde_json::Value>(&api.raw_body).unwrap(),
        okta_error("short")
    );
    assert_eq!(
        api.body.as_ref().and_then(|b| b.error_summary.as_deref()),
        Some("short")
    );

    let err = call().await.unwrap_err();
    let Error::Api(api) = &err else {
        panic!("{err:?}")
    };
    assert!(api.raw_body_truncated);
    assert!(
        api.raw_body.len() <= 4096 && api.raw_body.len() > 4090,
        "{}",
        api.raw_body.len()
    );
    assert!(api.raw_body.starts_with("{\"error"), "{}", api.raw_body);
    assert_eq!(
        api.body.as_ref().and_then(|b| b.error_summary.as_deref()),
        Some(long.as_str()),
        "decoded from the whole body"
    );

    let err = call().await.unwrap_err();
    let Error::Api(api) = &err else {
        panic!("{err:?}")
    };
    assert_eq!(api.status.as_u16(), 400);
    assert!(api.raw_body_truncated);
    assert_eq!(api.raw_body.len(), 4096);
    assert!(api.body.is_none(), "a cut body is not decoded");
}

// ----- No identifiers in error text -----

#[tokio::test]
async fn a_transport_error_shows_the_operation_and_template_never_the_ids_or_query_values() {
    // A loopback port nothing listens on.
    let port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let client = client_with(&format!("http://127.0.0.1:{port}"), |o| o.max_retries = 0);

    let err = client
        .get_authenticator_enrollment(USER, ENROLLMENT)
        .disclose_identifiers([DiscloseIdentifier::Unknown(QUERY_VALUE.to_owned())])
        .await
        .unwrap_err();

    let Error::Transport { source, .. } = &err else {
        panic!("{err:?}")
    };
    assert!(source.is_connect());
    assert!(source.url().is_none(), "the URL is dropped");
    assert_eq!(
        err.path_template(),
        Some("/api/v1/users/{userId}/authenticator-enrollments/{enrollmentId}")
    );
    let display = err.to_string();
    let debug = format!("{err:?}");
    for text in [&display, &debug] {
        for hidden in [USER, ENROLLMENT, QUERY_VALUE, "discloseIdentifiers", TOKEN] {
            assert!(!text.contains(hidden), "{hidden} in {text}");
        }
        assert!(text.contains("getAuthenticatorEnrollment"), "{text}");
        assert!(
            text.contains("/api/v1/users/{userId}/authenticator-enrollments/{enrollmentId}"),
            "{text}"
        );
    }
    // What happened is still said.
    assert!(display.contains("connect"), "{display}");
}
