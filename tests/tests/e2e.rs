//! End-to-end: the generated client against a local HTTP mock (wiremock), for every operation.
//! Checks what is sent (method, path, headers, query, body) and how every response example of
//! the spec decodes, successes and errors alike.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use okgen_tests::{request_example, response_example};
use okta_management::models::{
    AuthenticatorEnrollmentCreateRequest, AuthenticatorEnrollmentCreateRequestTac,
    AuthenticatorProfile, AuthenticatorProfileTacRequest, AuthenticatorType, DiscloseIdentifier,
};
use okta_management::{Auth, Client, Error};
use serde_json::{json, Value};
use wiremock::matchers::{any, method, path};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

const TOKEN: &str = "00aTESTtokenVALUE";
const USER: &str = "00u9kZr2WmTx4HqB71d5";

async fn server_and_client() -> (MockServer, Client) {
    let server = MockServer::start().await;
    let client = Client::new(&server.uri(), Auth::api_token(TOKEN)).expect("client");
    (server, client)
}

/// A client that does not retry: for tests of how one error response decodes (429s are
/// otherwise retried, see `runtime_transport.rs`).
async fn server_and_client_without_retries() -> (MockServer, Client) {
    let server = MockServer::start().await;
    let http = Client::new(&server.uri(), Auth::None)
        .expect("client")
        .http_client()
        .clone();
    let mut options = okta_management::ClientOptions::default();
    options.max_retries = 0;
    let client =
        Client::with_options(&server.uri(), Auth::api_token(TOKEN), http, options).expect("client");
    (server, client)
}

/// Serves `body` with `status` for any request, with a request id.
async fn respond(server: &MockServer, status: u16, body: Option<Value>) {
    let mut template =
        ResponseTemplate::new(status).insert_header("x-okta-request-id", "reqTEST123");
    if let Some(body) = body {
        template = template.set_body_json(body);
    }
    Mock::given(any())
        .respond_with(template)
        .mount(server)
        .await;
}

/// The one request the server received.
async fn only_request(server: &MockServer) -> Request {
    let mut requests = server.received_requests().await.expect("recording is on");
    assert_eq!(requests.len(), 1, "exactly one request is sent");
    requests.remove(0)
}

fn header<'a>(request: &'a Request, name: &str) -> Option<&'a str> {
    request.headers.get(name).and_then(|v| v.to_str().ok())
}

/// Headers every request carries.
fn assert_common_headers(request: &Request) {
    assert_eq!(
        header(request, "authorization"),
        Some(&*format!("SSWS {TOKEN}"))
    );
    assert_eq!(header(request, "accept"), Some("application/json"));
}

fn assert_json_body(request: &Request, expected: &Value) {
    assert_eq!(header(request, "content-type"), Some("application/json"));
    let sent: Value = serde_json::from_slice(&request.body).expect("the body is JSON");
    assert_eq!(&sent, expected);
}

fn assert_no_body(request: &Request) {
    assert!(request.body.is_empty(), "no body is sent");
    assert_eq!(header(request, "content-type"), None);
}

#[tokio::test]
async fn create_phone_enrollment_sends_the_request_example_and_decodes_each_response_example() {
    let body_json = request_example("createAuthenticatorEnrollment", "PhoneSmsEx");
    for example in ["PhoneSmsEx", "PhoneCallEx"] {
        let (server, client) = server_and_client().await;
        let expected = response_example("createAuthenticatorEnrollment", "200", example);
        Mock::given(method("POST"))
            .and(path(format!(
                "/api/v1/users/{USER}/authenticator-enrollments/phone"
            )))
            .respond_with(ResponseTemplate::new(200).set_body_json(&expected))
            .expect(1)
            .mount(&server)
            .await;
        let body = AuthenticatorEnrollmentCreateRequest::new(
            "autq1Hn8xVb3ZeWc20h7",
            AuthenticatorProfile::new("+15415550142"),
        );
        let enrollment = client
            .create_authenticator_enrollment(USER, body)
            .await
            .expect(example);

        let request = only_request(&server).await;
        assert_common_headers(&request);
        assert_eq!(request.url.query(), None);
        assert_json_body(&request, &body_json);

        assert_eq!(enrollment.r#type, Some(AuthenticatorType::Phone));
        assert_eq!(enrollment.id.as_deref(), expected["id"].as_str());
        assert_eq!(
            enrollment.nickname.as_deref(),
            expected["nickname"].as_str()
        );
        let profile = enrollment.profile.expect("profile");
        assert_eq!(
            profile.phone_number.as_deref(),
            expected["profile"]["phoneNumber"].as_str()
        );
        let links = enrollment.links.expect("links");
        assert_eq!(
            links.self_.and_then(|l| l.href),
            expected["_links"]["self"]["href"]
                .as_str()
                .map(str::to_owned)
        );
        assert_eq!(
            enrollment.created.map(|t| t.to_string()),
            expected["created"].as_str().map(str::to_owned),
            "the timestamp's text as received"
        );
    }
}

#[tokio::test]
async fn create_tac_enrollment_sends_the_request_example_and_decodes_the_code() {
    let (server, client) = server_and_client().await;
    let expected = response_example("createTacAuthenticatorEnrollment", "200", "TacEx");
    Mock::given(method("POST"))
        .and(path(format!(
            "/api/v1/users/{USER}/authenticator-enrollments/tac"
        )))
        .respond_with(ResponseTemplate::new(200).set_body_json(&expected))
        .expect(1)
        .mount(&server)
        .await;
    let mut body = AuthenticatorEnrollmentCreateRequestTac::new("autr7Yp2LkQs9DfM40h7");
    body.profile = Some(AuthenticatorProfileTacRequest {
        ttl: Some("120".into()),
        multi_use: Some(false),
        ..Default::default()
    });
    let enrollment = client
        .create_tac_authenticator_enrollment(USER, body)
        .await
        .expect("TAC");

    let request = only_request(&server).await;
    assert_common_headers(&request);
    assert_json_body(
        &request,
        &request_example("createTacAuthenticatorEnrollment", "TacEx"),
    );

    assert_eq!(enrollment.r#type, Some(AuthenticatorType::Tac));
    let profile = enrollment.profile.expect("profile");
    assert_eq!(profile.tac.as_ref().map(|t| t.expose()), Some("r4T#w9Kz"));
    assert!(
        !format!("{profile:?}").contains("r4T#w9Kz"),
        "the TAC never shows in Debug output"
    );
    assert_eq!(profile.multi_use, Some(false));
    let expires = profile.expires_at.expect("expiresAt");
    assert_eq!(
        expires.to_string(),
        "2026-02-17T16:05:41.000Z",
        "the text as received"
    );
    assert_eq!(
        expires,
        okta_management::DateTime::parse("2026-02-17T16:05:41Z").expect("timestamp"),
        "the same instant"
    );
}

#[tokio::test]
async fn get_enrollment_encodes_path_and_query_and_decodes_each_response_example() {
    for example in ["PhoneSmsEx", "PhoneCallEx", "PhoneDisclosedEx"] {
        let (server, client) = server_and_client().await;
        let expected = response_example("getAuthenticatorEnrollment", "200", example);
        respond(&server, 200, Some(expected.clone())).await;
        let enrollment = client
            .get_authenticator_enrollment(USER, "smsq3w8RtYv2KdLp50h7")
            .disclose_identifiers([DiscloseIdentifier::Phone])
            .await
            .expect(example);

        let request = only_request(&server).await;
        assert_eq!(request.method.as_str(), "GET");
        assert_eq!(
            request.url.path(),
            format!("/api/v1/users/{USER}/authenticator-enrollments/smsq3w8RtYv2KdLp50h7")
        );
        assert_eq!(request.url.query(), Some("discloseIdentifiers=phone"));
        assert_common_headers(&request);
        assert_no_body(&request);
        assert_eq!(enrollment.id.as_deref(), expected["id"].as_str());
        assert_eq!(
            enrollment.profile.and_then(|p| p.phone_number),
            expected["profile"]["phoneNumber"]
                .as_str()
                .map(str::to_owned)
        );
    }
}

#[tokio::test]
async fn get_without_optional_parameters_sends_no_query() {
    let (server, client) = server_and_client().await;
    respond(
        &server,
        200,
        Some(response_example(
            "getAuthenticatorEnrollment",
            "200",
            "PhoneSmsEx",
        )),
    )
    .await;
    client
        .get_authenticator_enrollment(USER, "smsq3w8RtYv2KdLp50h7")
        .send()
        .await
        .expect("get");
    assert_eq!(only_request(&server).await.url.query(), None);
}

#[tokio::test]
async fn list_enrollments_returns_every_item_of_the_array() {
    let (server, client) = server_and_client().await;
    let expected = response_example(
        "listAuthenticatorEnrollments",
        "200",
        "AuthenticatorEnrollmentsListAllEx",
    );
    respond(&server, 200, Some(expected.clone())).await;
    let list = client
        .list_authenticator_enrollments(USER)
        .disclose_identifiers(vec![
            DiscloseIdentifier::Phone,
            DiscloseIdentifier::from("email"),
        ])
        .await
        .expect("list");

    let request = only_request(&server).await;
    assert_eq!(request.method.as_str(), "GET");
    assert_eq!(
        request.url.path(),
        format!("/api/v1/users/{USER}/authenticator-enrollments")
    );
    // Arrays in the query repeat the key (form style, explode), as Okta expects.
    assert_eq!(
        request.url.query(),
        Some("discloseIdentifiers=phone&discloseIdentifiers=email")
    );
    assert_common_headers(&request);
    assert_no_body(&request);

    let types: Vec<_> = list.iter().map(|e| e.r#type.clone()).collect();
    assert_eq!(
        types,
        [
            Some(AuthenticatorType::Email),
            Some(AuthenticatorType::Password),
            Some(AuthenticatorType::Phone)
        ]
    );
    assert!(
        list[0].nickname.is_null(),
        "a null nickname is kept as null"
    );
    assert_eq!(
        list[0].profile.as_ref().and_then(|p| p.email.as_deref()),
        Some("dana.whitfield@example.com")
    );
    assert!(
        list[1].profile.is_none(),
        "a password enrollment has no profile"
    );
    assert_eq!(list[2].nickname.as_deref(), Some("Dana's mobile"));
}

#[tokio::test]
async fn delete_handles_204_without_a_body() {
    let (server, client) = server_and_client().await;
    respond(&server, 204, None).await;
    let result: () = client
        .delete_authenticator_enrollment(USER, "smsq3w8RtYv2KdLp50h7")
        .await
        .expect("delete");
    assert_eq!(result, ());
    let request = only_request(&server).await;
    assert_eq!(request.method.as_str(), "DELETE");
    assert_eq!(
        request.url.path(),
        format!("/api/v1/users/{USER}/authenticator-enrollments/smsq3w8RtYv2KdLp50h7")
    );
    assert_common_headers(&request);
    assert_no_body(&request);
}

#[tokio::test]
async fn path_parameters_are_encoded_as_one_segment() {
    let (server, client) = server_and_client().await;
    respond(&server, 204, None).await;
    client
        .delete_authenticator_enrollment("a/b c?#", "x%y")
        .await
        .expect("delete");
    let request = only_request(&server).await;
    assert_eq!(
        request.url.path(),
        "/api/v1/users/a%2Fb%20c%3F%23/authenticator-enrollments/x%25y"
    );
}

#[tokio::test]
async fn dot_segments_are_refused_before_sending() {
    let (server, client) = server_and_client().await;
    respond(&server, 204, None).await;
    let err = client
        .delete_authenticator_enrollment(USER, "..")
        .await
        .expect_err("refused");
    assert!(
        matches!(
            err,
            Error::Request {
                operation: "deleteAuthenticatorEnrollment",
                ..
            }
        ),
        "{err:?}"
    );
    assert!(server
        .received_requests()
        .await
        .expect("recording")
        .is_empty());
}

#[tokio::test]
async fn bearer_tokens_are_sent_as_bearer() {
    let server = MockServer::start().await;
    let client =
        Client::new(&server.uri(), Auth::access_token("eyJ.access.token")).expect("client");
    respond(&server, 204, None).await;
    client
        .delete_authenticator_enrollment(USER, "e1")
        .await
        .expect("delete");
    assert_eq!(
        header(&only_request(&server).await, "authorization"),
        Some("Bearer eyJ.access.token")
    );
}

/// Every error response the spec declares, with its example body, for every operation.
#[tokio::test]
async fn error_responses_decode_okta_error_bodies_with_the_request_id() {
    let cases: &[(&str, &str, &str)] = &[
        (
            "createAuthenticatorEnrollment",
            "400",
            "APIValidationFailed",
        ),
        ("createAuthenticatorEnrollment", "403", "AccessDenied"),
        ("createAuthenticatorEnrollment", "429", "TooManyRequests"),
        (
            "createTacAuthenticatorEnrollment",
            "400",
            "APIValidationFailed",
        ),
        ("createTacAuthenticatorEnrollment", "403", "AccessDenied"),
        ("createTacAuthenticatorEnrollment", "429", "TooManyRequests"),
        ("getAuthenticatorEnrollment", "403", "AccessDenied"),
        ("getAuthenticatorEnrollment", "404", "ResourceNotFound"),
        ("getAuthenticatorEnrollment", "429", "TooManyRequests"),
        ("listAuthenticatorEnrollments", "403", "AccessDenied"),
        ("listAuthenticatorEnrollments", "404", "ResourceNotFound"),
        ("listAuthenticatorEnrollments", "429", "TooManyRequests"),
        ("deleteAuthenticatorEnrollment", "403", "AccessDenied"),
        ("deleteAuthenticatorEnrollment", "404", "ResourceNotFound"),
        ("deleteAuthenticatorEnrollment", "429", "TooManyRequests"),
    ];
    for &(operation, status, example) in cases {
        let (server, client) = server_and_client_without_retries().await;
        let body = response_example(operation, status, example);
        respond(
            &server,
            status.parse().expect("numeric status"),
            Some(body.clone()),
        )
        .await;
        let err = call(&client, operation)
            .await
            .expect_err("an error status is an error");

        assert_eq!(err.operation(), operation);
        assert_eq!(
            err.status().map(|s| s.as_u16().to_string()).as_deref(),
            Some(status)
        );
        assert_eq!(err.request_id(), Some("reqTEST123"), "{operation} {status}");
        let Error::Api(api) = &err else {
            panic!("{operation} {status}: {err:?}")
        };
        let decoded = api.body.as_ref().expect("Okta's error body decodes");
        assert_eq!(decoded.error_code.as_deref(), body["errorCode"].as_str());
        assert_eq!(
            decoded.error_summary.as_deref(),
            body["errorSummary"].as_str()
        );
        assert_eq!(decoded.error_id.as_deref(), body["errorId"].as_str());
        assert_eq!(decoded.error_causes.as_ref().map(Vec::len), Some(0));
        assert_eq!(
            serde_json::from_str::<Value>(&api.raw_body).ok(),
            Some(body)
        );
        assert!(err.to_string().contains("request id reqTEST123"), "{err}");
    }
}

/// Calls an operation by id with fixed arguments, discarding the success value.
async fn call(client: &Client, operation: &str) -> Result<(), Error> {
    let phone = || {
        AuthenticatorEnrollmentCreateRequest::new("aut1", AuthenticatorProfile::new("+15415550142"))
    };
    match operation {
        "createAuthenticatorEnrollment" => client
            .create_authenticator_enrollment(USER, phone())
            .await
            .map(drop),
        "createTacAuthenticatorEnrollment" => client
            .create_tac_authenticator_enrollment(
                USER,
                AuthenticatorEnrollmentCreateRequestTac::new("aut2"),
            )
            .await
            .map(drop),
        "getAuthenticatorEnrollment" => client
            .get_authenticator_enrollment(USER, "e1")
            .await
            .map(drop),
        "listAuthenticatorEnrollments" => {
            client.list_authenticator_enrollments(USER).await.map(drop)
        }
        "deleteAuthenticatorEnrollment" => client.delete_authenticator_enrollment(USER, "e1").await,
        other => panic!("unknown operation {other}"),
    }
}

#[tokio::test]
async fn an_error_body_that_is_not_okta_json_is_kept_raw() {
    let (server, client) = server_and_client().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(502).set_body_string("<html>Bad gateway</html>"))
        .mount(&server)
        .await;
    let err = client
        .list_authenticator_enrollments(USER)
        .await
        .expect_err("502");
    let Error::Api(api) = &err else {
        panic!("{err:?}")
    };
    assert_eq!(api.status.as_u16(), 502);
    assert!(api.body.is_none());
    assert_eq!(api.raw_body, "<html>Bad gateway</html>");
    assert_eq!(err.request_id(), None);
}

#[tokio::test]
async fn a_success_body_that_does_not_match_names_the_field_and_shows_the_body() {
    let (server, client) = server_and_client().await;
    let body = json!([{"id": "ok1"}, {"id": "ok2", "created": "not a date"}]);
    respond(&server, 200, Some(body)).await;
    let err = client
        .list_authenticator_enrollments(USER)
        .await
        .expect_err("bad date");
    let Error::Decode(decode) = &err else {
        panic!("{err:?}")
    };
    assert_eq!(decode.path, "[1].created");
    assert!(decode.message.contains("not a date"), "{}", decode.message);
    assert!(
        decode.body_start.starts_with("[{\"id\":\"ok1\"}"),
        "{}",
        decode.body_start
    );
    assert_eq!(decode.request_id.as_deref(), Some("reqTEST123"));
    assert_eq!(err.status().map(|s| s.as_u16()), Some(200));
}

#[tokio::test]
async fn unknown_enum_values_and_unnamed_fields_survive() {
    let (server, client) = server_and_client().await;
    let body = json!({
        "id": "pfd1", "type": "passkey_v9", "futureField": {"a": [1, 2]},
        "profile": {"phoneNumber": "+1 XXX", "carrier": "ACME"}
    });
    respond(&server, 200, Some(body.clone())).await;
    let enrollment = client
        .get_authenticator_enrollment(USER, "pfd1")
        .await
        .expect("decodes");
    assert_eq!(
        enrollment.r#type,
        Some(AuthenticatorType::Unknown("passkey_v9".into()))
    );
    assert_eq!(
        enrollment.additional_properties.get("futureField"),
        Some(&body["futureField"])
    );
    assert_eq!(
        serde_json::to_value(&enrollment).expect("serializes"),
        body,
        "nothing is lost"
    );
}

#[tokio::test]
async fn transport_failures_are_their_own_variant() {
    // Bind and drop a listener to get a loopback port that refuses connections.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .expect("bind")
        .local_addr()
        .expect("addr")
        .port();
    let client =
        Client::new(&format!("http://127.0.0.1:{port}"), Auth::api_token(TOKEN)).expect("client");
    let err = client
        .list_authenticator_enrollments(USER)
        .await
        .expect_err("refused");
    assert!(
        matches!(
            err,
            Error::Transport {
                operation: "listAuthenticatorEnrollments",
                ..
            }
        ),
        "{err:?}"
    );
    assert_eq!(err.status(), None);
}
