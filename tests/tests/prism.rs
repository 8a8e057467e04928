//! End-to-end against Prism (`@stoplight/prism-cli`, pinned in `tests/prism/package.json`), a
//! mock server we did not write: it serves the slice of Okta's official document that okgen
//! cuts (with our overlay), validates every request against it (security, path, query, body),
//! answers from the document's examples, and (with `--errors`) validates its own answers too.
//! The generated client must get every request through and decode every answer; requests that
//! break the document must be refused, so that the passes mean something.
//!
//! Prism is installed with `npm ci --prefix tests/prism` (`.ci/run` does it). Without it the test
//! skips loudly, unless `CI` is set: then it is a failure, never a skip.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::io::Write;
use std::net::{Ipv4Addr, SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use okgen::examples::{Example, ExampleKind};
use okgen_tests::{official_document, workspace};
use okta_management::models::{
    AuthenticatorEnrollment, AuthenticatorEnrollmentCreateRequest,
    AuthenticatorEnrollmentCreateRequestTac, AuthenticatorProfile, AuthenticatorProfileTacRequest,
    AuthenticatorType, DiscloseIdentifier,
};
use okta_management::{Auth, Client, DateTime, Error};
use serde_json::{json, Value};

const TOKEN: &str = "00abc";
const USER: &str = "00uPRISMtestUSER";
const ENROLLMENT: &str = "smsPRISMtestENROLLMENT";
/// How long Prism may take to load the document and listen.
const READY_WITHIN: Duration = Duration::from_secs(60);
/// How long one request may take.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(30);

/// Writes a skip where it shows: the test harness captures `eprintln!` of passing tests.
fn skip(reason: &str) {
    let _ = writeln!(
        std::io::stderr().lock(),
        "\n!!!!!!!!!!\n!!! SKIPPED prism: {reason}\n!!!!!!!!!!\n"
    );
}

/// `tests/prism/node_modules/.bin/prism`, when it is installed.
fn prism_binary() -> Option<PathBuf> {
    let path = workspace().join("tests/prism/node_modules/.bin/prism");
    if path.exists() {
        return Some(path);
    }
    let reason = format!(
        "{} is missing: install Prism with `npm ci --prefix tests/prism` (needs Node.js and npm)",
        path.display()
    );
    if std::env::var_os("CI").is_some() {
        panic!("{reason}; CI is set, so this is a failure, not a skip");
    }
    skip(&reason);
    None
}

/// A Prism process serving one document on a free loopback port. Dropping it kills the process
/// (also when the test panics) and, on a panic, shows Prism's log.
struct Prism {
    name: &'static str,
    child: Child,
    addr: SocketAddr,
    document: PathBuf,
    log: PathBuf,
}

impl Prism {
    /// Writes `yaml` under `target/okgen-fixtures/prism/` and starts Prism on it. Call
    /// [`Prism::wait_until_listening`] before sending requests.
    fn start(binary: &Path, name: &'static str, yaml: &str) -> Prism {
        let dir = workspace().join("target/okgen-fixtures/prism");
        std::fs::create_dir_all(&dir)
            .unwrap_or_else(|e| panic!("cannot create {}: {e}", dir.display()));
        let stem = format!("{name}-{}", std::process::id());
        let document = dir.join(format!("{stem}.yaml"));
        std::fs::write(&document, yaml)
            .unwrap_or_else(|e| panic!("cannot write {}: {e}", document.display()));
        let log = dir.join(format!("{stem}.log"));
        let out = std::fs::File::create(&log)
            .unwrap_or_else(|e| panic!("cannot create {}: {e}", log.display()));
        let err = out
            .try_clone()
            .unwrap_or_else(|e| panic!("cannot share {}: {e}", log.display()));

        // A port nobody uses now: bind port 0 on the loopback address, note it, release it.
        let addr = TcpListener::bind((Ipv4Addr::LOCALHOST, 0))
            .and_then(|l| l.local_addr())
            .unwrap_or_else(|e| panic!("cannot find a free loopback port: {e}"));

        let child = Command::new(binary)
            .arg("mock")
            .arg(&document)
            .args(["--host", "127.0.0.1", "--port"])
            .arg(addr.port().to_string())
            // A response that contradicts its schema is an error (HTTP 500), not a warning.
            .args(["--errors", "true"])
            .args(["--multiprocess", "false"])
            .env("FORCE_COLOR", "0")
            .env("NO_COLOR", "1")
            .stdin(Stdio::null())
            .stdout(out)
            .stderr(err)
            .spawn()
            .unwrap_or_else(|e| {
                panic!(
                    "cannot start {} (is Node.js installed?): {e}",
                    binary.display()
                )
            });
        Prism {
            name,
            child,
            addr,
            document,
            log,
        }
    }

    /// Polls the port until Prism accepts connections, for at most [`READY_WITHIN`].
    fn wait_until_listening(&mut self) {
        let started = Instant::now();
        loop {
            match self.child.try_wait() {
                Ok(Some(status)) => panic!(
                    "Prism ({}) exited with {status} before listening on {}",
                    self.name, self.addr
                ),
                Ok(None) => {}
                Err(e) => panic!("cannot check on Prism ({}): {e}", self.name),
            }
            if TcpStream::connect_timeout(&self.addr, Duration::from_millis(500)).is_ok() {
                return;
            }
            assert!(
                started.elapsed() < READY_WITHIN,
                "Prism ({}) did not listen on {} within {READY_WITHIN:?}",
                self.name,
                self.addr
            );
            std::thread::sleep(Duration::from_millis(200));
        }
    }

    fn base_url(&self) -> String {
        format!("http://127.0.0.1:{}", self.addr.port())
    }

    fn enrollments_url(&self) -> String {
        format!(
            "{}/api/v1/users/{USER}/authenticator-enrollments",
            self.base_url()
        )
    }

    /// What Prism has logged so far.
    fn log(&self) -> String {
        std::fs::read_to_string(&self.log)
            .unwrap_or_else(|e| panic!("cannot read {}: {e}", self.log.display()))
    }

    /// Waits (bounded) until Prism's log contains `needle`, and returns the log. Prism logs a
    /// request's violations before it answers, and its log is written in order.
    fn log_until(&self, needle: &str) -> String {
        let started = Instant::now();
        loop {
            let log = self.log();
            if log.contains(needle) {
                return log;
            }
            assert!(
                started.elapsed() < Duration::from_secs(10),
                "Prism ({}) never logged {needle:?}",
                self.name
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

impl Drop for Prism {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        if std::thread::panicking() {
            let log = std::fs::read_to_string(&self.log).unwrap_or_default();
            let _ = writeln!(
                std::io::stderr().lock(),
                "--- Prism ({}) on {} served {}; its log ({}):\n{log}--- end of Prism's log",
                self.name,
                self.addr,
                self.document.display(),
                self.log.display()
            );
        } else {
            let _ = std::fs::remove_file(&self.document);
            let _ = std::fs::remove_file(&self.log);
        }
    }
}

/// The slice of a configuration's document, as YAML, and the examples of its operations.
fn slice(config: &okgen::Config) -> (String, Vec<Example>) {
    let doc = config
        .load()
        .unwrap_or_else(|e| panic!("the official document must load: {e}"));
    let yaml = okgen::slice::slice_yaml(&doc, config.selection())
        .unwrap_or_else(|e| panic!("the official document must slice: {e}"));
    let examples = okgen::examples::collect(&doc, config.selection())
        .unwrap_or_else(|e| panic!("the official document's examples must resolve: {e}"));
    (yaml, examples)
}

struct Examples(Vec<Example>);

impl Examples {
    fn request(&self, operation_id: &str) -> Value {
        let found: Vec<&Example> = self
            .0
            .iter()
            .filter(|e| e.operation_id == operation_id && e.kind == ExampleKind::Request)
            .collect();
        assert_eq!(
            found.len(),
            1,
            "{operation_id} has one request example: {found:?}"
        );
        found[0].value.clone()
    }

    /// The names and values of an operation's examples for `status`, in document order.
    fn responses(&self, operation_id: &str, status: &str) -> Vec<(String, Value)> {
        let found: Vec<(String, Value)> = self
            .0
            .iter()
            .filter(|e| {
                e.operation_id == operation_id && e.kind == ExampleKind::Response(status.into())
            })
            .map(|e| (e.name.clone(), e.value.clone()))
            .collect();
        assert!(
            !found.is_empty(),
            "{operation_id} has {status} examples in the document"
        );
        found
    }
}

/// A `reqwest` client with a request timeout and, when given, Prism's `Prefer: example=NAME`
/// header, which picks the response example Prism answers with.
fn http(prefer_example: Option<&str>) -> reqwest::Client {
    // reqwest is built without a default crypto provider (see `Client::new`).
    let _ = rustls::crypto::ring::default_provider().install_default();
    let mut headers = reqwest::header::HeaderMap::new();
    if let Some(name) = prefer_example {
        let value = reqwest::header::HeaderValue::from_str(&format!("example={name}"))
            .unwrap_or_else(|e| panic!("example name {name:?}: {e}"));
        headers.insert("prefer", value);
    }
    reqwest::Client::builder()
        .default_headers(headers)
        .timeout(REQUEST_TIMEOUT)
        .build()
        .unwrap_or_else(|e| panic!("cannot build the HTTP client: {e}"))
}

/// The generated client, against `prism`, answered with the example `prefer_example`.
fn client(prism: &Prism, prefer_example: Option<&str>) -> Client {
    Client::with_http_client(
        &prism.base_url(),
        Auth::api_token(TOKEN),
        http(prefer_example),
    )
    .unwrap_or_else(|e| panic!("the client must build: {e}"))
}

/// A JSON value with `null` members dropped and timestamps in one form (`.000Z` → `Z`), so that
/// a decoded and re-encoded value compares equal to the document's example when nothing is lost.
fn normalized(value: &Value) -> Value {
    match value {
        Value::Object(map) => Value::Object(
            map.iter()
                .filter(|(_, v)| !v.is_null())
                .map(|(k, v)| (k.clone(), normalized(v)))
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.iter().map(normalized).collect()),
        Value::String(s) => match DateTime::parse(s) {
            Ok(t) => Value::String(t.to_string()),
            Err(_) => value.clone(),
        },
        other => other.clone(),
    }
}

/// `decoded`, encoded again, carries exactly the example's content.
fn assert_round_trips<T: serde::Serialize>(what: &str, decoded: &T, example: &Value) {
    let encoded = serde_json::to_value(decoded)
        .unwrap_or_else(|e| panic!("{what}: the decoded value must encode: {e}"));
    assert_eq!(
        normalized(&encoded),
        normalized(example),
        "{what}: the decoded value differs from the document's example"
    );
}

/// The fields a reader of a phone enrollment looks at, against the example.
fn assert_phone_enrollment(what: &str, e: &AuthenticatorEnrollment, example: &Value) {
    assert_eq!(e.r#type, Some(AuthenticatorType::Phone), "{what}");
    assert_eq!(e.id.as_deref(), example["id"].as_str(), "{what}");
    assert!(e.id.as_deref().is_some_and(|id| !id.is_empty()), "{what}");
    assert_eq!(
        e.nickname.as_deref(),
        example["nickname"].as_str(),
        "{what}"
    );
    let phone = e.profile.as_ref().and_then(|p| p.phone_number.as_deref());
    assert_eq!(phone, example["profile"]["phoneNumber"].as_str(), "{what}");
    assert!(
        phone.is_some_and(|p| !p.is_empty()),
        "{what}: a phone number"
    );
    assert_eq!(
        e.created,
        example["created"]
            .as_str()
            .map(|s| DateTime::parse(s).expect("created")),
        "{what}"
    );
    assert_eq!(
        e.links
            .as_ref()
            .and_then(|l| l.self_.as_ref())
            .and_then(|l| l.href.as_deref()),
        example["_links"]["self"]["href"].as_str(),
        "{what}"
    );
    assert_round_trips(what, e, example);
}

/// The generated client against Prism serving Okta's document with our overlay: every operation
/// passes Prism's validation and its answer decodes to the document's example; then requests
/// that break the document are refused. Without the overlay, Prism refuses to serve the list
/// example: its own check agrees with the overlay's corrections.
#[test]
fn the_client_passes_prisms_validation_of_the_official_document() {
    let binary = prism_binary();
    let official = official_document("management-minimal.yaml");
    let (Some(binary), Some(_)) = (binary, official) else {
        return;
    };

    let config = okgen::Config::from_file(workspace().join("spec/codegen-official.yaml"))
        .unwrap_or_else(|e| panic!("spec/codegen-official.yaml must load: {e}"));
    let (yaml, examples) = slice(&config);
    let examples = Examples(examples);
    // The same operations, without our corrections.
    let mut uncorrected = okgen::Config::new(config.spec_path());
    uncorrected.select_tag("UserAuthenticatorEnrollments");
    let (uncorrected_yaml, _) = slice(&uncorrected);

    // Both start together; each is killed when dropped, whatever happens below.
    let mut prism = Prism::start(&binary, "okta-slice", &yaml);
    let mut prism_uncorrected =
        Prism::start(&binary, "okta-slice-without-overlay", &uncorrected_yaml);
    prism.wait_until_listening();
    prism_uncorrected.wait_until_listening();

    let runtime = tokio::runtime::Runtime::new().expect("a tokio runtime");
    runtime.block_on(async {
        let requests = valid_requests(&prism, &examples).await;
        assert_prism_validated_every_request(&prism, requests).await;
        invalid_requests_are_refused(&prism, &examples).await;
        responses_are_validated_too(&prism_uncorrected).await;
    });
}

/// Every operation through the generated client; returns how many requests were sent.
async fn valid_requests(prism: &Prism, examples: &Examples) -> usize {
    let mut sent = 0;

    // createAuthenticatorEnrollment: the request example, built with the typed model.
    let request = examples.request("createAuthenticatorEnrollment");
    let body = AuthenticatorEnrollmentCreateRequest::new(
        request["authenticatorId"]
            .as_str()
            .expect("authenticatorId"),
        AuthenticatorProfile::new(
            request["profile"]["phoneNumber"]
                .as_str()
                .expect("phoneNumber"),
        ),
    );
    assert_eq!(
        serde_json::to_value(&body).expect("encodes"),
        request,
        "the typed body is the request example"
    );
    for (name, example) in examples.responses("createAuthenticatorEnrollment", "200") {
        let enrollment = client(prism, Some(&name))
            .create_authenticator_enrollment(USER, body.clone())
            .await
            .unwrap_or_else(|e| panic!("createAuthenticatorEnrollment ({name}): {e:?}"));
        sent += 1;
        assert_phone_enrollment(
            &format!("createAuthenticatorEnrollment {name}"),
            &enrollment,
            &example,
        );
    }

    // createTacAuthenticatorEnrollment: the answer carries the code.
    let request = examples.request("createTacAuthenticatorEnrollment");
    let mut body = AuthenticatorEnrollmentCreateRequestTac::new(
        request["authenticatorId"]
            .as_str()
            .expect("authenticatorId"),
    );
    body.profile = Some(AuthenticatorProfileTacRequest {
        ttl: request["profile"]["ttl"].as_str().map(str::to_owned),
        multi_use: request["profile"]["multiUse"].as_bool(),
        ..Default::default()
    });
    assert_eq!(
        serde_json::to_value(&body).expect("encodes"),
        request,
        "the typed body is the request example"
    );
    for (name, example) in examples.responses("createTacAuthenticatorEnrollment", "200") {
        let tac = client(prism, Some(&name))
            .create_tac_authenticator_enrollment(USER, body.clone())
            .await
            .unwrap_or_else(|e| panic!("createTacAuthenticatorEnrollment ({name}): {e:?}"));
        sent += 1;
        assert_eq!(tac.r#type, Some(AuthenticatorType::Tac), "{name}");
        assert_eq!(tac.id.as_deref(), example["id"].as_str(), "{name}");
        let profile = tac
            .profile
            .as_ref()
            .expect("a TAC enrollment has a profile");
        let code = profile
            .tac
            .as_ref()
            .map(|t| t.expose())
            .expect("the answer carries the TAC");
        assert!(!code.is_empty(), "{name}: a TAC");
        assert_eq!(Some(code), example["profile"]["tac"].as_str(), "{name}");
        assert_eq!(
            profile.multi_use,
            example["profile"]["multiUse"].as_bool(),
            "{name}"
        );
        assert_eq!(
            profile.expires_at,
            Some(
                DateTime::parse(example["profile"]["expiresAt"].as_str().expect("expiresAt"))
                    .expect("expiresAt is a timestamp")
            ),
            "{name}"
        );
        assert_round_trips(
            &format!("createTacAuthenticatorEnrollment {name}"),
            &tac,
            &example,
        );
    }

    // getAuthenticatorEnrollment with discloseIdentifiers, answered with each example (one of
    // them, PhoneDisclosedEx, needed the overlay: its phone number is a string now).
    for (name, example) in examples.responses("getAuthenticatorEnrollment", "200") {
        let enrollment = client(prism, Some(&name))
            .get_authenticator_enrollment(USER, ENROLLMENT)
            .disclose_identifiers([DiscloseIdentifier::Phone])
            .await
            .unwrap_or_else(|e| panic!("getAuthenticatorEnrollment ({name}): {e:?}"));
        sent += 1;
        assert_phone_enrollment(
            &format!("getAuthenticatorEnrollment {name}"),
            &enrollment,
            &example,
        );
    }

    // listAuthenticatorEnrollments: an array (the overlay's first correction).
    let [(name, example)]: [(String, Value); 1] = examples
        .responses("listAuthenticatorEnrollments", "200")
        .try_into()
        .expect("one list example");
    // The plain constructor, as a user writes it.
    let plain = Client::new(&prism.base_url(), Auth::api_token(TOKEN))
        .unwrap_or_else(|e| panic!("the client must build: {e}"));
    let list = plain
        .list_authenticator_enrollments(USER)
        .disclose_identifiers([DiscloseIdentifier::Phone])
        .await
        .unwrap_or_else(|e| panic!("listAuthenticatorEnrollments: {e:?}"));
    sent += 1;
    assert_eq!(list.len(), 3, "{name}: three enrollments");
    let items = example.as_array().expect("the list example is an array");
    assert_eq!(
        list.iter().map(|e| e.id.as_deref()).collect::<Vec<_>>(),
        items.iter().map(|e| e["id"].as_str()).collect::<Vec<_>>(),
        "{name}: the example's ids, in order"
    );
    assert!(list.iter().all(|e| e.id.is_some()), "every item has an id");
    assert_eq!(
        list.iter().map(|e| e.r#type.clone()).collect::<Vec<_>>(),
        [
            Some(AuthenticatorType::Email),
            Some(AuthenticatorType::Password),
            Some(AuthenticatorType::Phone)
        ],
        "{name}"
    );
    assert!(
        list[0].nickname.is_null(),
        "a null nickname is kept as null"
    );
    assert_eq!(
        list[0].profile.as_ref().and_then(|p| p.email.as_deref()),
        items[0]["profile"]["email"].as_str()
    );
    assert!(
        list[1].profile.is_none(),
        "a password enrollment has no profile"
    );
    assert_phone_enrollment(&format!("{name}[2]"), &list[2], &items[2]);
    assert_round_trips(&name, &list, &example);

    // deleteAuthenticatorEnrollment: 204, no body.
    client(prism, None)
        .delete_authenticator_enrollment(USER, ENROLLMENT)
        .await
        .unwrap_or_else(|e| panic!("deleteAuthenticatorEnrollment: {e:?}"));
    sent += 1;
    let response = http(None)
        .delete(format!("{}/{ENROLLMENT}", prism.enrollments_url()))
        .header("authorization", format!("SSWS {TOKEN}"))
        .send()
        .await
        .expect("Prism answers");
    sent += 1;
    assert_eq!(response.status().as_u16(), 204);
    assert_eq!(response.headers().get("sl-violations"), None);
    assert!(response.bytes().await.expect("body").is_empty());

    sent
}

/// Prism lets a request with warnings through (and only says so in a header and its log): so
/// its log must show that each request passed validation, and that there was no violation.
async fn assert_prism_validated_every_request(prism: &Prism, sent: usize) {
    // A last valid request marks the end of the log to read.
    let marker = "END-OF-VALID-REQUESTS";
    let response = http(None)
        .delete(format!("{}/{marker}", prism.enrollments_url()))
        .header("authorization", format!("SSWS {TOKEN}"))
        .send()
        .await
        .expect("Prism answers");
    assert_eq!(response.status().as_u16(), 204);
    let log = prism.log_until(marker);
    let received = log.matches("Request received").count();
    let passed = log
        .matches("The request passed the validation rules")
        .count();
    assert_eq!(received, sent + 1, "Prism received every request:\n{log}");
    assert_eq!(passed, sent + 1, "every request passed validation:\n{log}");
    assert!(
        !log.contains("Violation"),
        "no request or response violated the document:\n{log}"
    );
}

/// Requests that break the document are refused: Prism really validates.
async fn invalid_requests_are_refused(prism: &Prism, examples: &Examples) {
    let phone_url = format!("{}/phone", prism.enrollments_url());
    let valid = examples.request("createAuthenticatorEnrollment");
    let http = http(None);

    // The same body as the passing one, without its required authenticatorId; then with a
    // number for it. The operation declares a 400 (Okta's E0000001), so Prism answers with that
    // and names the violation in its `sl-violations` header.
    let mut missing = valid.clone();
    missing
        .as_object_mut()
        .expect("an object")
        .remove("authenticatorId");
    let mut wrong_type = valid.clone();
    wrong_type["authenticatorId"] = json!(42);
    for (body, violation) in [
        (missing, "must have required property 'authenticatorId'"),
        (wrong_type, "authenticatorId must be string"),
    ] {
        let response = http
            .post(&phone_url)
            .header("authorization", format!("SSWS {TOKEN}"))
            .header("content-type", "application/json")
            .body(body.to_string())
            .send()
            .await
            .expect("Prism answers");
        let status = response.status().as_u16();
        let violations = response
            .headers()
            .get("sl-violations")
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned();
        let answer: Value =
            serde_json::from_slice(&response.bytes().await.expect("a body")).expect("JSON");
        assert_eq!(status, 400, "{body}: {answer}");
        assert!(violations.contains(violation), "{body}: {violations}");
        assert_eq!(answer["errorCode"], "E0000001", "{answer}");
    }

    // The valid body without the Authorization header: the security scheme is checked.
    let response = http
        .post(&phone_url)
        .header("content-type", "application/json")
        .body(valid.to_string())
        .send()
        .await
        .expect("Prism answers");
    assert_eq!(response.status().as_u16(), 401);

    // A discloseIdentifiers value the document does not list, sent by the generated client (its
    // enums keep values they do not know): the operation declares no 400, so Prism answers its
    // own 422, which the client reports as an API error with the status.
    let err = client(prism, None)
        .list_authenticator_enrollments(USER)
        .disclose_identifiers([DiscloseIdentifier::from("email")])
        .await
        .expect_err("Prism refuses a value the document does not list");
    assert_eq!(err.status().map(|s| s.as_u16()), Some(422), "{err:?}");
    let Error::Api(api) = &err else {
        panic!("an API error: {err:?}")
    };
    assert!(
        api.raw_body.contains("discloseIdentifiers")
            || api.raw_body.contains("discloseidentifiers"),
        "{}",
        api.raw_body
    );
}

/// Served from Okta's document without our overlay, the list example contradicts its schema
/// (one enrollment declared, an array given): Prism checks its own answer and refuses it, so the
/// 200s above were checked against the schema too.
async fn responses_are_validated_too(prism: &Prism) {
    let err = client(prism, None)
        .list_authenticator_enrollments(USER)
        .await
        .expect_err("the uncorrected list example violates its schema");
    assert_eq!(err.status().map(|s| s.as_u16()), Some(500), "{err:?}");
    let Error::Api(api) = &err else {
        panic!("an API error: {err:?}")
    };
    assert!(
        api.raw_body.contains("Response body must be object"),
        "{}",
        api.raw_body
    );
}
