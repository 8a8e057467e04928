//! What goes on the wire for form bodies, multipart forms, query parameters in every style and
//! alternative response media types: the clients generated from `tests/fixtures/constructs/`
//! (`form_bodies`, `multipart_forms`, `query_styles`, `media_types`) are run against a local mock
//! server (wiremock) and the bytes they send are checked.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use okgen_tests::fixtures::{form_bodies, media_types, multipart_forms as multipart, query_styles};
use serde_json::json;
use wiremock::matchers::{any, header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

/// A mock server answering every request with `status` (and a JSON `{}` for a 200).
async fn serve(status: u16) -> MockServer {
    let server = MockServer::start().await;
    let mut template = ResponseTemplate::new(status);
    if status == 200 {
        template = template.set_body_json(json!({}));
    }
    Mock::given(any())
        .respond_with(template)
        .mount(&server)
        .await;
    server
}

/// The one request `server` received.
async fn only_request(server: &MockServer) -> wiremock::Request {
    let mut requests = server.received_requests().await.expect("recording is on");
    assert_eq!(requests.len(), 1, "exactly one request is sent");
    requests.remove(0)
}

fn header_of(request: &wiremock::Request, name: &str) -> String {
    request
        .headers
        .get(name)
        .map(|v| v.to_str().expect("visible ASCII").to_owned())
        .unwrap_or_default()
}

// ---------------------------------------------------------------------------------------------
// application/x-www-form-urlencoded

#[tokio::test]
async fn a_flat_form_sends_scalars_as_text_and_leaves_out_what_is_unset() {
    use form_bodies::models::{TokenRequest, TokenRequestGrantType};
    let server = serve(200).await;
    let client = form_bodies::Client::new(&server.uri(), form_bodies::Auth::None).expect("client");
    let mut body = TokenRequest::new(TokenRequestGrantType::ClientCredentials);
    body.scope = Some("okta.users.read okta.apps.read".into());
    body.max_age = Some(30);
    // A form has no null: a nullable field set to null is left out, like an absent one.
    body.nonce = form_bodies::Nullable::Null;
    body.additional_properties
        .insert("client_assertion_type".into(), json!("urn:x:jwt-bearer"));
    client.token(body).await.expect("200");

    let request = only_request(&server).await;
    assert_eq!(request.method.as_str(), "POST");
    assert_eq!(
        header_of(&request, "content-type"),
        "application/x-www-form-urlencoded"
    );
    assert_eq!(
        String::from_utf8_lossy(&request.body),
        "grant_type=client_credentials&scope=okta.users.read%20okta.apps.read&max_age=30\
         &client_assertion_type=urn%3Ax%3Ajwt-bearer",
        "fields in declaration order, then the extra properties; the unset ones left out"
    );
    let decoded: Vec<(String, String)> = url::form_urlencoded::parse(&request.body)
        .into_owned()
        .collect();
    assert_eq!(
        decoded[1],
        ("scope".into(), "okta.users.read okta.apps.read".into())
    );
}

#[tokio::test]
async fn a_nested_form_uses_brackets_as_stripe_does_and_each_property_its_encoding() {
    use form_bodies::models::{
        CreateChargeRequest, CreateChargeRequestItem, CreateChargeRequestShipping,
        CreateChargeRequestShippingAddress,
    };
    let server = serve(200).await;
    let client = form_bodies::Client::new(&server.uri(), form_bodies::Auth::None).expect("client");
    let mut body = CreateChargeRequest::new(2000);
    body.capture = Some(false);
    body.description = Some("Tea & cake".into());
    body.expand = Some(vec!["customer".into(), "invoice".into()]);
    body.metadata = Some([("order_id".to_owned(), "6735".to_owned())].into());
    body.items = Some(vec![
        CreateChargeRequestItem {
            price: Some("price_1".into()),
            quantity: Some(2),
        },
        CreateChargeRequestItem {
            price: Some("price_2".into()),
            quantity: None,
        },
    ]);
    body.tags = Some(vec!["a,b".into(), "c".into()]);
    body.codes = Some(vec!["x".into(), "y".into()]);
    body.scopes = Some(vec!["read".into(), "write".into()]);
    body.shipping = Some(CreateChargeRequestShipping {
        name: Some("Jo".into()),
        address: Some(CreateChargeRequestShippingAddress {
            city: Some("Paris".into()),
        }),
    });
    client.create_charge(body).await.expect("200");

    let request = only_request(&server).await;
    let expected = [
        "amount=2000",
        "capture=false",
        "description=Tea%20%26%20cake",
        "expand[]=customer",
        "expand[]=invoice",
        "metadata[order_id]=6735",
        "items[0][price]=price_1",
        "items[0][quantity]=2",
        "items[1][price]=price_2",
        // `style: form, explode: false`: one value, a literal comma between items (and an
        // encoded one inside an item).
        "tags=a%2Cb,c",
        "codes=x|y",
        // No encoding: OpenAPI's default (form, exploded) for an array...
        "scopes=read",
        "scopes=write",
        // ...and brackets for an object.
        "shipping[name]=Jo",
        "shipping[address][city]=Paris",
    ];
    assert_eq!(String::from_utf8_lossy(&request.body), expected.join("&"));
    // What a server's form decoder reads.
    let decoded: Vec<(String, String)> = url::form_urlencoded::parse(&request.body)
        .into_owned()
        .collect();
    assert!(decoded.contains(&("description".into(), "Tea & cake".into())));
    assert!(decoded.contains(&("items[1][price]".into(), "price_2".into())));
}

#[tokio::test]
async fn a_form_without_a_schema_is_still_the_callers_bytes() {
    let server = serve(204).await;
    let client = form_bodies::Client::new(&server.uri(), form_bodies::Auth::None).expect("client");
    client
        .post_note()
        .body(b"a=1&b=2".to_vec())
        .await
        .expect("204");
    let request = only_request(&server).await;
    assert_eq!(request.body, b"a=1&b=2");
    assert_eq!(
        header_of(&request, "content-type"),
        "application/x-www-form-urlencoded"
    );
}

// ---------------------------------------------------------------------------------------------
// multipart/form-data

/// One part of a multipart body: its headers (lower-case names) and its bytes.
#[derive(Debug)]
struct ReceivedPart {
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl ReceivedPart {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// Splits a `multipart/form-data` body at its boundary (RFC 7578), strictly: every part must
/// be framed by `--boundary\r\n`, headers, an empty line, the bytes and `\r\n`.
fn parse_multipart(content_type: &str, body: &[u8]) -> Vec<ReceivedPart> {
    let boundary = content_type
        .strip_prefix("multipart/form-data; boundary=")
        .unwrap_or_else(|| panic!("a multipart content type: {content_type}"));
    let delimiter = format!("--{boundary}");
    let closing = format!("{delimiter}--\r\n");
    assert!(
        body.ends_with(closing.as_bytes()),
        "the body ends with the closing delimiter"
    );
    let mut rest = body
        .strip_prefix(format!("{delimiter}\r\n").as_bytes())
        .expect("the body starts with the delimiter");
    let mut parts = Vec::new();
    loop {
        let head_end = find(rest, b"\r\n\r\n").expect("headers end with an empty line");
        let headers = String::from_utf8(rest[..head_end].to_vec())
            .expect("headers are text")
            .split("\r\n")
            .map(|line| {
                let (name, value) = line.split_once(": ").expect("a header line");
                (name.to_ascii_lowercase(), value.to_owned())
            })
            .collect();
        rest = &rest[head_end + 4..];
        let next = format!("\r\n{delimiter}");
        let end = find(rest, next.as_bytes()).expect("the part ends at the next delimiter");
        parts.push(ReceivedPart {
            headers,
            body: rest[..end].to_vec(),
        });
        rest = &rest[end + next.len()..];
        if rest == b"--\r\n" {
            return parts;
        }
        rest = rest
            .strip_prefix(b"\r\n")
            .expect("a line break after the delimiter");
    }
}

#[tokio::test]
async fn multipart_parts_arrive_as_sent() {
    use multipart::models::{UploadAvatarForm, UploadAvatarFormMeta};
    use multipart::FilePart;
    let server = serve(204).await;
    let client = multipart::Client::new(&server.uri(), multipart::Auth::None).expect("client");
    // Not UTF-8, with a CR LF inside: sent byte for byte.
    let png = vec![0x89, b'P', b'N', b'G', b'\r', b'\n', 0x00, 0xff];
    let mut form = UploadAvatarForm::new(FilePart::new(png.clone()).file_name("me.png"), "Me");
    form.size = Some(8);
    form.public = Some(true);
    form.attachments = vec![
        FilePart::new(b"one".to_vec())
            .file_name("a \"quoted\".txt")
            .content_type("text/plain"),
        FilePart::new(b"two".to_vec()),
    ];
    form.labels = vec!["x".into(), "y z".into()];
    form.meta = Some(UploadAvatarFormMeta {
        source: Some("camera".into()),
        width: Some(640),
    });
    client.upload_avatar("u1", form).await.expect("204");

    let request = only_request(&server).await;
    assert_eq!(request.url.path(), "/avatars/u1");
    let content_type = header_of(&request, "content-type");
    let parts = parse_multipart(&content_type, &request.body);
    let summary: Vec<(Option<&str>, Option<&str>, &[u8])> = parts
        .iter()
        .map(|p| {
            (
                p.header("content-disposition"),
                p.header("content-type"),
                p.body.as_slice(),
            )
        })
        .collect();
    assert_eq!(
        summary,
        vec![
            (
                Some("form-data; name=\"file\"; filename=\"me.png\""),
                // The spec's `encoding.contentType` when the caller gives none.
                Some("image/png"),
                png.as_slice()
            ),
            (Some("form-data; name=\"title\""), None, b"Me".as_slice()),
            (Some("form-data; name=\"size\""), None, b"8".as_slice()),
            (Some("form-data; name=\"public\""), None, b"true".as_slice()),
            (
                Some("form-data; name=\"attachments\"; filename=\"a %22quoted%22.txt\""),
                Some("text/plain"),
                b"one".as_slice()
            ),
            (
                Some("form-data; name=\"attachments\""),
                // `image/*` names no one type: the default.
                Some("application/octet-stream"),
                b"two".as_slice()
            ),
            (Some("form-data; name=\"labels\""), None, b"x".as_slice()),
            (Some("form-data; name=\"labels\""), None, b"y z".as_slice()),
            (
                Some("form-data; name=\"meta\""),
                Some("application/json"),
                br#"{"source":"camera","width":640}"#.as_slice()
            ),
        ]
    );
}

#[tokio::test]
async fn deep_object_properties_are_one_part_per_leaf_named_in_brackets() {
    use multipart::models::{UploadAvatarForm, UploadAvatarFormLink};
    let server = serve(204).await;
    let client = multipart::Client::new(&server.uri(), multipart::Auth::None).expect("client");
    let mut form = UploadAvatarForm::new(multipart::FilePart::new(b"x".to_vec()), "T");
    form.expand = vec!["file".into(), "link".into()];
    form.link = Some(UploadAvatarFormLink {
        create: Some(true),
        metadata: Some([("k".to_owned(), "v w".to_owned())].into()),
    });
    client.upload_avatar("u1", form).await.expect("204");
    let request = only_request(&server).await;
    let parts = parse_multipart(&header_of(&request, "content-type"), &request.body);
    let named: Vec<(&str, &[u8])> = parts
        .iter()
        .skip(2)
        .map(|p| {
            (
                p.header("content-disposition").unwrap_or_default(),
                p.body.as_slice(),
            )
        })
        .collect();
    assert_eq!(
        named,
        vec![
            ("form-data; name=\"expand[]\"", b"file".as_slice()),
            ("form-data; name=\"expand[]\"", b"link".as_slice()),
            ("form-data; name=\"link[create]\"", b"true".as_slice()),
            ("form-data; name=\"link[metadata][k]\"", b"v w".as_slice()),
        ]
    );
}

#[tokio::test]
async fn optional_parts_left_unset_are_not_sent() {
    use multipart::models::UploadAvatarForm;
    let server = serve(204).await;
    let client = multipart::Client::new(&server.uri(), multipart::Auth::None).expect("client");
    let form = UploadAvatarForm::new(multipart::FilePart::new(b"x".to_vec()), "T");
    client.upload_avatar("u1", form).await.expect("204");
    let request = only_request(&server).await;
    let parts = parse_multipart(&header_of(&request, "content-type"), &request.body);
    let names: Vec<_> = parts
        .iter()
        .map(|p| p.header("content-disposition").unwrap_or_default())
        .collect();
    assert_eq!(
        names,
        ["form-data; name=\"file\"", "form-data; name=\"title\""]
    );
}

#[tokio::test]
async fn a_multipart_body_without_a_schema_is_the_callers_bytes() {
    let server = serve(204).await;
    let client = multipart::Client::new(&server.uri(), multipart::Auth::None).expect("client");
    client
        .upload_blob(b"--b\r\n\r\nraw\r\n--b--\r\n".to_vec())
        .content_type("multipart/form-data; boundary=b")
        .await
        .expect("204");
    let request = only_request(&server).await;
    assert_eq!(request.body, b"--b\r\n\r\nraw\r\n--b--\r\n");
    assert_eq!(
        header_of(&request, "content-type"),
        "multipart/form-data; boundary=b"
    );
}

// ---------------------------------------------------------------------------------------------
// Query parameters: the OpenAPI 3.0 "Style Examples".

/// The query string one call of `paint`, set up by `set`, sends.
async fn query_of(
    set: impl FnOnce(query_styles::operations::Paint) -> query_styles::operations::Paint,
) -> Option<String> {
    let server = serve(204).await;
    let client =
        query_styles::Client::new(&server.uri(), query_styles::Auth::None).expect("client");
    set(client.paint()).await.expect("204");
    only_request(&server).await.url.query().map(str::to_owned)
}

fn blue_black_brown() -> Vec<String> {
    vec!["blue".into(), "black".into(), "brown".into()]
}

fn rgb() -> query_styles::models::Color {
    query_styles::models::Color::new(100, 200, 150)
}

#[tokio::test]
async fn query_arrays_follow_the_style_table() {
    assert_eq!(
        query_of(|p| p.exploded(blue_black_brown()))
            .await
            .as_deref(),
        Some("exploded=blue&exploded=black&exploded=brown")
    );
    assert_eq!(
        query_of(|p| p.commas(blue_black_brown())).await.as_deref(),
        Some("commas=blue,black,brown")
    );
    assert_eq!(
        query_of(|p| p.spaced(blue_black_brown())).await.as_deref(),
        Some("spaced=blue%20black%20brown")
    );
    assert_eq!(
        query_of(|p| p.piped(blue_black_brown())).await.as_deref(),
        Some("piped=blue|black|brown")
    );
    // Stripe's `expand`: an array in `deepObject` style.
    assert_eq!(
        query_of(|p| p.expand(["customer".to_owned(), "invoice".to_owned()]))
            .await
            .as_deref(),
        Some("expand[]=customer&expand[]=invoice")
    );
}

#[tokio::test]
async fn query_objects_follow_the_style_table() {
    assert_eq!(
        query_of(|p| p.point(rgb())).await.as_deref(),
        Some("R=100&G=200&B=150"),
        "form, explode"
    );
    assert_eq!(
        query_of(|p| p.flat(rgb())).await.as_deref(),
        Some("flat=R,100,G,200,B,150"),
        "form, no explode"
    );
    assert_eq!(
        query_of(|p| p.deep(rgb())).await.as_deref(),
        Some("deep[R]=100&deep[G]=200&deep[B]=150"),
        "deepObject"
    );
}

#[tokio::test]
async fn query_maps_follow_the_same_rule_as_objects() {
    assert_eq!(
        query_of(|p| p.metadata(
            [
                ("order id".to_owned(), "6735".to_owned()),
                ("a".to_owned(), "x&y".to_owned())
            ]
            .into()
        ))
        .await
        .as_deref(),
        Some("metadata[a]=x%26y&metadata[order%20id]=6735")
    );
    assert_eq!(
        query_of(|p| p.weights([("b".to_owned(), 2), ("a".to_owned(), 1)].into()))
            .await
            .as_deref(),
        Some("weights=a,1,b,2")
    );
}

#[tokio::test]
async fn query_values_are_percent_encoded_and_parameters_keep_their_order() {
    assert_eq!(
        query_of(|p| p.search("status eq \"ACTIVE\"").commas(["a,b".to_owned()]))
            .await
            .as_deref(),
        Some("commas=a%2Cb&search=status%20eq%20%22ACTIVE%22")
    );
    assert_eq!(query_of(|p| p).await, None, "nothing set, no query");
}

// ---------------------------------------------------------------------------------------------
// Alternative response media types

#[tokio::test]
async fn each_response_media_type_has_its_type_and_its_accept() {
    use media_types::models::{Repository, StarredRepository};
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/user/starred"))
        .and(header("accept", "application/json"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!([{"name": "okgen"}])))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/user/starred"))
        .and(header("accept", "application/vnd.github.v3.star+json"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!([
            {"starred_at": "2025-01-02T03:04:05Z", "repo": {"name": "okgen"}}
        ])))
        .mount(&server)
        .await;
    let client = media_types::Client::new(&server.uri(), media_types::Auth::None).expect("client");

    let plain: Vec<Repository> = client.list_starred().per_page(1).await.expect("default");
    assert_eq!(plain, vec![Repository::new("okgen")]);
    let starred: Vec<StarredRepository> = client
        .list_starred()
        .per_page(1)
        .accept_star_json()
        .await
        .expect("the star media type");
    assert_eq!(starred[0].starred_at, "2025-01-02T03:04:05Z");
    assert_eq!(starred[0].repo.name, "okgen");
    let requests = server.received_requests().await.expect("recorded");
    assert_eq!(requests.len(), 2);
    assert!(
        requests.iter().all(|r| r.url.query() == Some("per_page=1")),
        "the parameters set before asking for another media type are sent"
    );
}

#[tokio::test]
async fn the_default_accept_is_the_first_json_media_type_and_others_are_bytes() {
    let server = MockServer::start().await;
    Mock::given(header("accept", "application/vnd.example.report+json"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"title": "Q1"})))
        .mount(&server)
        .await;
    Mock::given(header("accept", "text/csv"))
        .respond_with(ResponseTemplate::new(200).set_body_string("a,b\n1,2\n"))
        .mount(&server)
        .await;
    Mock::given(header("accept", "application/pdf"))
        .respond_with(ResponseTemplate::new(200).set_body_bytes(b"%PDF-1.7".to_vec()))
        .mount(&server)
        .await;
    let client = media_types::Client::new(&server.uri(), media_types::Auth::None).expect("client");
    let report = client.get_report("r1").await.expect("JSON");
    assert_eq!(report.title, "Q1");
    let csv = client.get_report("r1").accept_csv().await.expect("CSV");
    assert_eq!(csv, b"a,b\n1,2\n");
    let pdf = client
        .get_report("r1")
        .accept_pdf()
        .send_with_metadata()
        .await
        .expect("PDF");
    assert_eq!(pdf.status.as_u16(), 200);
    assert_eq!(pdf.value, b"%PDF-1.7");
}

// ---------------------------------------------------------------------------------------------
// What lowering still refuses.

#[test]
fn header_maps_are_still_refused_with_a_pointer() {
    let doc = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    get:\n      operationId: a\n      parameters:\n        - name: X-Tags\n          in: header\n          required: true\n          schema: {type: object, additionalProperties: {type: string}}\n      responses:\n        '204': {description: none}\n";
    let err = okgen_tests::lower_yaml(doc).expect_err("a map header has no rule");
    let text = err.to_string();
    assert!(
        text.contains("object-valued parameter `X-Tags` is not supported")
            && text.contains("/paths/~1a/get/parameters/0/schema"),
        "{text}"
    );
}

#[test]
fn an_alternative_media_type_that_cannot_be_generated_is_left_out_with_a_warning() {
    let doc = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    get:\n      operationId: a\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema: {type: string}\n            application/vnd.x+json:\n              schema: {$ref: '#/components/schemas/Nope'}\n";
    let api = okgen_tests::lower_yaml_lenient(doc).expect("lenient lowering succeeds");
    let op = &api.operations[0];
    assert_eq!(
        op.success,
        okgen::ir::Success::Json(okgen::ir::TypeRef::String)
    );
    assert!(op.alternatives.is_empty());
    let warning = api
        .warnings
        .iter()
        .map(ToString::to_string)
        .find(|w| w.contains("application/vnd.x+json"))
        .expect("a warning names the media type");
    assert!(
        warning.contains("the response media type `application/vnd.x+json` was left out"),
        "{warning}"
    );
    let err = okgen_tests::lower_yaml(doc).expect_err("strict: an error");
    assert!(
        err.to_string()
            .contains("/paths/~1a/get/responses/200/content/application~1vnd.x+json/schema"),
        "{err}"
    );
}
