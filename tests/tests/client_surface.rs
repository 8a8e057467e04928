//! The generated client's surface: every call is a `Send + 'static` future that
//! `tokio::spawn` takes (request builders own a clone of the `Client`), request builders print
//! redacted in `Debug`, and the crate's `Error` alone is the error of every call.
//!
//! Run against wiremock on a multi-threaded runtime, so that the spawned calls really complete,
//! on other threads, after the `Client` they came from is dropped.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::future::IntoFuture;

use okgen_tests::fixtures::{media_types, pages};
use okgen_tests::response_example;
use okta_management::models::{
    AuthenticatorEnrollment, AuthenticatorEnrollmentCreateRequest,
    AuthenticatorEnrollmentCreateRequestTac, AuthenticatorProfile, DiscloseIdentifier,
};
use okta_management::{Auth, Client};
use serde_json::{json, Value};
use wiremock::matchers::{header, method, path, query_param, query_param_is_missing};
use wiremock::{Mock, MockServer, ResponseTemplate};

const TOKEN: &str = "00aTESTtokenVALUE";
const USER: &str = "00u9kZr2WmTx4HqB71d5";
const ENROLLMENT: &str = "smsq3w8RtYv2KdLp50h7";
const PHONE: &str = "+15415550142";

/// Compiles only for a value that can move to another task.
fn assert_send_static<T: Send + 'static>(_: &T) {}

/// Compiles only for a handle that can be shared and moved between tasks.
fn assert_handle<T: Clone + Send + Sync + 'static>(_: &T) {}

fn enrollments(suffix: &str) -> String {
    format!("/api/v1/users/{USER}/authenticator-enrollments{suffix}")
}

/// Answers `method path` with `status` and `body`, `times` times exactly.
async fn mount(
    server: &MockServer,
    http_method: &str,
    at: String,
    status: u16,
    body: Option<Value>,
    times: u64,
) {
    let mut template = ResponseTemplate::new(status);
    if let Some(body) = body {
        template = template.set_body_json(body);
    }
    Mock::given(method(http_method))
        .and(path(at))
        .respond_with(template)
        .expect(times)
        .mount(server)
        .await;
}

fn phone_request() -> AuthenticatorEnrollmentCreateRequest {
    AuthenticatorEnrollmentCreateRequest::new("aut1phone", AuthenticatorProfile::new(PHONE))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_operation_is_a_send_static_future_that_tokio_spawn_runs() {
    let server = MockServer::start().await;
    let created = response_example("createAuthenticatorEnrollment", "200", "PhoneSmsEx");
    let tac = response_example("createTacAuthenticatorEnrollment", "200", "TacEx");
    let got = response_example("getAuthenticatorEnrollment", "200", "PhoneSmsEx");
    let listed = response_example(
        "listAuthenticatorEnrollments",
        "200",
        "AuthenticatorEnrollmentsListAllEx",
    );
    mount(
        &server,
        "POST",
        enrollments("/phone"),
        200,
        Some(created.clone()),
        1,
    )
    .await;
    mount(
        &server,
        "POST",
        enrollments("/tac"),
        200,
        Some(tac.clone()),
        1,
    )
    .await;
    // `send`, `send_with_metadata` and `.await` (IntoFuture).
    let one = enrollments(&format!("/{ENROLLMENT}"));
    mount(&server, "GET", one.clone(), 200, Some(got.clone()), 3).await;
    mount(
        &server,
        "GET",
        enrollments(""),
        200,
        Some(listed.clone()),
        1,
    )
    .await;
    mount(&server, "DELETE", one, 204, None, 1).await;

    let client = Client::new(&server.uri(), Auth::api_token(TOKEN)).expect("client");
    assert_handle(&client);

    let create = client
        .create_authenticator_enrollment(USER, phone_request())
        .send();
    assert_send_static(&create);
    let create = tokio::spawn(create);

    let create_tac = client
        .create_tac_authenticator_enrollment(
            USER,
            AuthenticatorEnrollmentCreateRequestTac::new("aut2tac"),
        )
        .send();
    assert_send_static(&create_tac);
    let create_tac = tokio::spawn(create_tac);

    let get = client
        .get_authenticator_enrollment(USER, ENROLLMENT)
        .disclose_identifiers([DiscloseIdentifier::Phone])
        .send();
    assert_send_static(&get);
    let get = tokio::spawn(get);

    let get_with_metadata = client
        .get_authenticator_enrollment(USER, ENROLLMENT)
        .send_with_metadata();
    assert_send_static(&get_with_metadata);
    let get_with_metadata = tokio::spawn(get_with_metadata);

    let get_awaited = client
        .get_authenticator_enrollment(USER, ENROLLMENT)
        .into_future();
    assert_send_static(&get_awaited);
    let get_awaited = tokio::spawn(get_awaited);

    let list = client.list_authenticator_enrollments(USER).send();
    assert_send_static(&list);
    let list = tokio::spawn(list);

    let delete = client
        .delete_authenticator_enrollment(USER, ENROLLMENT)
        .send();
    assert_send_static(&delete);
    let delete = tokio::spawn(delete);

    // The builders hold clones: the calls outlive the client they came from.
    drop(client);

    let id = |v: &Value| v["id"].as_str().map(str::to_owned);
    let enrollment = create.await.expect("joins").expect("create");
    assert_eq!(enrollment.id, id(&created));
    let enrollment = create_tac.await.expect("joins").expect("create tac");
    assert_eq!(enrollment.id, id(&tac));
    let enrollment = get.await.expect("joins").expect("get");
    assert_eq!(enrollment.id, id(&got));
    let response = get_with_metadata.await.expect("joins").expect("get");
    assert_eq!(response.status.as_u16(), 200);
    assert_eq!(response.value.id, id(&got));
    let enrollment = get_awaited.await.expect("joins").expect("get");
    assert_eq!(enrollment.id, id(&got));
    let all = list.await.expect("joins").expect("list");
    assert_eq!(Some(all.len()), listed.as_array().map(Vec::len));
    delete.await.expect("joins").expect("delete");
    server.verify().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pages_streams_and_other_media_types_are_spawnable_too() {
    use pages::paging::StreamExt;

    let server = MockServer::start().await;
    let next = format!("<{}/widgets?after=c2>; rel=\"next\"", server.uri());
    Mock::given(method("GET"))
        .and(path("/widgets"))
        .and(query_param_is_missing("after"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!([{"id": "a"}, {"id": "b"}]))
                .append_header("link", next.as_str()),
        )
        .expect(2)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/widgets"))
        .and(query_param("after", "c2"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!([{"id": "c"}])))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/reports/r1"))
        .and(header("accept", "text/csv"))
        .respond_with(ResponseTemplate::new(200).set_body_string("title\nQ1\n"))
        .expect(2)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/user/starred"))
        .and(header("accept", "application/vnd.github.v3.star+json"))
        .respond_with(ResponseTemplate::new(200).set_body_json(
            json!([{"starred_at": "2025-01-01T00:00:00Z", "repo": {"name": "okgen"}}]),
        ))
        .expect(1)
        .mount(&server)
        .await;

    let paged = pages::Client::new(&server.uri(), pages::Auth::None).expect("client");
    assert_handle(&paged);
    let stream = paged.list_widgets().into_stream();
    assert_send_static(&stream);
    let stream = tokio::spawn(stream.collect::<Vec<_>>());
    let page = paged.list_widgets().send_page();
    assert_send_static(&page);
    let page = tokio::spawn(page);

    let media = media_types::Client::new(&server.uri(), media_types::Auth::None).expect("client");
    let csv = media.get_report("r1").accept_csv().send();
    assert_send_static(&csv);
    let csv = tokio::spawn(csv);
    let csv_awaited = media.get_report("r1").accept_csv().into_future();
    assert_send_static(&csv_awaited);
    let csv_awaited = tokio::spawn(csv_awaited);
    let starred = media.list_starred().accept_star_json().send_with_metadata();
    assert_send_static(&starred);
    let starred = tokio::spawn(starred);
    drop((paged, media));

    let ids: Vec<String> = stream
        .await
        .expect("joins")
        .into_iter()
        .map(|w| w.expect("an item").id)
        .collect();
    assert_eq!(ids, ["a", "b", "c"]);
    let page = page.await.expect("joins").expect("a page");
    assert_eq!(page.items.len(), 2);
    assert_eq!(page.next_cursor.as_deref(), Some("c2"));
    assert_eq!(csv.await.expect("joins").expect("csv"), b"title\nQ1\n");
    assert_eq!(
        csv_awaited.await.expect("joins").expect("csv"),
        b"title\nQ1\n"
    );
    let starred = starred.await.expect("joins").expect("starred");
    assert_eq!(starred.value.len(), 1);
    assert_eq!(starred.value[0].repo.name, "okgen");
    server.verify().await;
}

#[test]
fn request_builders_debug_as_their_operation_and_the_names_that_are_set() {
    let client =
        Client::new("https://dev-123456.okta.com", Auth::api_token(TOKEN)).expect("client");

    let get = client.get_authenticator_enrollment(USER, ENROLLMENT);
    assert_eq!(
        format!("{get:?}"),
        r#"GetAuthenticatorEnrollment { operation: "getAuthenticatorEnrollment", method: "GET", path_template: "/api/v1/users/{userId}/authenticator-enrollments/{enrollmentId}", set: ["userId", "enrollmentId"] }"#
    );
    let get = get.disclose_identifiers([DiscloseIdentifier::Phone]);
    let create = client.create_authenticator_enrollment(USER, phone_request());
    let list = client
        .list_authenticator_enrollments(USER)
        .disclose_identifiers([DiscloseIdentifier::from("email")]);
    for (shown, names) in [
        (
            format!("{get:?}"),
            &["\"userId\"", "\"enrollmentId\"", "\"discloseIdentifiers\""][..],
        ),
        (format!("{get:#?}"), &["\"discloseIdentifiers\""][..]),
        (
            format!("{create:?}"),
            &[
                "createAuthenticatorEnrollment",
                "\"POST\"",
                "/api/v1/users/{userId}/authenticator-enrollments/phone",
                "set: [\"userId\", \"body\"]",
            ][..],
        ),
        (
            format!("{list:?}"),
            &["set: [\"userId\", \"discloseIdentifiers\"]"][..],
        ),
    ] {
        for name in names {
            assert!(shown.contains(name), "{name} in {shown}");
        }
        // No value: not the ids, the phone number, the authenticator, the query values, the
        // token or the org.
        for value in [
            USER,
            ENROLLMENT,
            PHONE,
            "15415550142",
            "aut1phone",
            "Phone",
            "=phone",
            "\"phone\"",
            "email",
            TOKEN,
            "dev-123456",
        ] {
            assert!(!shown.contains(value), "{value} in {shown}");
        }
    }

    // Another media type's builder shows the operation's.
    let media =
        media_types::Client::new("https://example.com", media_types::Auth::None).expect("client");
    let csv = format!("{:?}", media.get_report("report-00u1secret").accept_csv());
    assert!(
        csv.starts_with("GetReportCsv(GetReport { operation: \"getReport\""),
        "{csv}"
    );
    assert!(
        csv.contains("set: [\"id\"]") && !csv.contains("00u1secret"),
        "{csv}"
    );
}

/// `okta_management::Error` alone is the error of a call: `?` converts nothing.
async fn enrollment(
    client: &Client,
    id: &str,
) -> Result<AuthenticatorEnrollment, okta_management::Error> {
    let enrollment = client.get_authenticator_enrollment(USER, id).await?;
    Ok(enrollment)
}

/// The default body type is Okta's error model (the same type, not a conversion).
fn with_okta_body(
    error: okta_management::Error,
) -> okta_management::Error<okta_management::models::Error> {
    error
}

/// A client whose operations declare no error body: `Error` defaults to JSON.
fn with_json_body(error: pages::Error) -> pages::error::Error<Value> {
    error
}

#[test]
fn a_function_returns_the_crates_error_alone() {
    fn f(fail: bool) -> Result<(), okta_management::Error> {
        if fail {
            return Err(okta_management::Error::Request {
                operation: "op",
                message: "m".into(),
            });
        }
        Ok(())
    }
    assert!(f(false).is_ok());
    let err = with_okta_body(f(true).expect_err("fails"));
    assert_eq!(err.operation(), "op");
    assert!(err.api_body().is_none());
    let err = with_json_body(pages::Error::Request {
        operation: "op",
        message: "m".into(),
    });
    assert!(err.api_body().is_none());
}

#[tokio::test]
async fn the_error_body_is_reachable_without_naming_its_model() {
    let server = MockServer::start().await;
    let body = response_example("getAuthenticatorEnrollment", "404", "ResourceNotFound");
    mount(
        &server,
        "GET",
        enrollments("/missing"),
        404,
        Some(body.clone()),
        1,
    )
    .await;
    let client = Client::new(&server.uri(), Auth::api_token(TOKEN)).expect("client");
    let err = enrollment(&client, "missing")
        .await
        .expect_err("a 404 is an error");
    assert_eq!(err.status().map(|s| s.as_u16()), Some(404));
    let decoded = err.api_body().expect("Okta's error body decodes");
    assert_eq!(decoded.error_code.as_deref(), body["errorCode"].as_str());
    assert!(decoded.error_code.is_some());
    assert_eq!(
        decoded.error_summary.as_deref(),
        body["errorSummary"].as_str()
    );
    assert_eq!(decoded.error_id.as_deref(), body["errorId"].as_str());
    server.verify().await;
}
