//! Pagination end to end: a list that pages like Okta's (`after` cursor, `Link: rel="next"`),
//! walked lazily as a stream, page by page, and resumed from a saved cursor.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use okgen_tests::fixtures::pages::paging::StreamExt;
use okgen_tests::fixtures::pages::{Auth, Client, Error};
use serde_json::json;
use wiremock::matchers::{method, path, query_param, query_param_is_missing};
use wiremock::{Mock, MockServer, ResponseTemplate};

async fn server() -> (MockServer, Client) {
    let server = MockServer::start().await;
    let client = Client::new(&server.uri(), Auth::None).expect("client");
    (server, client)
}

/// Page 1 (no cursor) links to page 2 (`after=c2`).
async fn first_page(server: &MockServer) {
    let next = format!("<{}/widgets?after=c2&limit=2>; rel=\"next\"", server.uri());
    let this = format!("<{}/widgets?limit=2>; rel=\"self\"", server.uri());
    Mock::given(method("GET"))
        .and(path("/widgets"))
        .and(query_param_is_missing("after"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!([{"id": "a"}, {"id": "b"}]))
                .append_header("link", this.as_str())
                .append_header("link", next.as_str()),
        )
        .mount(server)
        .await;
}

/// Page 2 (`after=c2`) answers `response`.
async fn second_page(server: &MockServer, response: ResponseTemplate) {
    Mock::given(method("GET"))
        .and(path("/widgets"))
        .and(query_param("after", "c2"))
        .respond_with(response)
        .mount(server)
        .await;
}

fn ids(items: Vec<Result<okgen_tests::fixtures::pages::models::Widget, Error>>) -> Vec<String> {
    items.into_iter().map(|w| w.expect("an item").id).collect()
}

#[tokio::test]
async fn the_stream_walks_every_page_lazily() {
    let (server, client) = server().await;
    first_page(&server).await;
    second_page(
        &server,
        ResponseTemplate::new(200).set_body_json(json!([{"id": "c"}])),
    )
    .await;

    let mut stream = std::pin::pin!(client.list_widgets().limit(2).into_stream());
    let first = stream.next().await.expect("an item").expect("ok");
    assert_eq!(first.id, "a");
    assert_eq!(
        server.received_requests().await.expect("recorded").len(),
        1,
        "lazy: one page so far"
    );
    let rest: Vec<_> = stream.collect().await;
    assert_eq!(ids(rest), ["b", "c"]);
    let requests = server.received_requests().await.expect("recorded");
    assert_eq!(requests.len(), 2);
    assert_eq!(
        requests[1].url.query(),
        Some("after=c2&limit=2"),
        "the cursor goes with the other parameters"
    );
}

#[tokio::test]
async fn one_page_at_a_time_and_resuming_from_a_saved_cursor() {
    let (server, client) = server().await;
    first_page(&server).await;
    second_page(
        &server,
        ResponseTemplate::new(200).set_body_json(json!([{"id": "c"}])),
    )
    .await;

    let page = client.list_widgets().send_page().await.expect("page 1");
    assert_eq!(page.items.len(), 2);
    let cursor = page.next_cursor.expect("a next page");
    assert_eq!(cursor, "c2");

    let resumed: Vec<_> = client
        .list_widgets()
        .after(cursor)
        .into_stream()
        .collect()
        .await;
    assert_eq!(ids(resumed), ["c"]);
    let last = client
        .list_widgets()
        .after("c2")
        .send_page()
        .await
        .expect("page 2");
    assert_eq!(last.next_cursor, None, "no rel=next: the last page");
}

#[tokio::test]
async fn an_error_ends_the_stream_after_the_items_before_it() {
    let server = MockServer::start().await;
    first_page(&server).await;
    second_page(&server, ResponseTemplate::new(500).set_body_string("boom")).await;
    let http = Client::http_client_builder().build().expect("http client");
    let client = Client::with_options(&server.uri(), Auth::None, http, {
        let mut options = okgen_tests::fixtures::pages::ClientOptions::default();
        options.max_retries = 0;
        options
    })
    .expect("client");
    let items: Vec<_> = client.list_widgets().into_stream().collect().await;
    assert_eq!(items.len(), 3);
    assert!(items[..2].iter().all(Result::is_ok));
    assert!(
        matches!(&items[2], Err(Error::Api(e)) if e.status.as_u16() == 500),
        "{:?}",
        items[2]
    );
}

#[tokio::test]
async fn a_server_that_repeats_its_cursor_does_not_loop_forever() {
    let (server, client) = server().await;
    first_page(&server).await;
    let same = format!("<{}/widgets?after=c2>; rel=\"next\"", server.uri());
    second_page(
        &server,
        ResponseTemplate::new(200)
            .set_body_json(json!([{"id": "c"}]))
            .append_header("link", same.as_str()),
    )
    .await;
    let items: Vec<_> = client.list_widgets().into_stream().collect().await;
    assert_eq!(ids(items), ["a", "b", "c"]);
    assert_eq!(server.received_requests().await.expect("recorded").len(), 2);
}
