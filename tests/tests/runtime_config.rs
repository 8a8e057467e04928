//! Client configuration: builder calls, the environment (`OKTA_CLIENT_*`) and `okta.yaml` files,
//! their precedence, value parsing and errors, org URL checks, and redaction. Sources are
//! injected (a map for the environment, temporary files): the process environment is never
//! changed.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

use okta_management::{AuthorizationMode, Client, ClientBuilder};
use serde_json::json;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const USER: &str = "00u9kZr2WmTx4HqB71d5";

/// A fresh directory under the system temp dir for one test.
fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("okgen-config-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path
}

fn env(vars: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> {
    let map: HashMap<String, String> = vars
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect();
    move |name| map.get(name).cloned()
}

fn no_env() -> impl Fn(&str) -> Option<String> {
    |_| None
}

fn key_file(name: &str) -> String {
    std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("fixtures/keys")
            .join(name),
    )
    .unwrap()
}

fn http() -> reqwest::Client {
    okta_management::Client::http_client_builder()
        .build()
        .expect("http client")
}

/// A server answering the list operation with `[]` and the token endpoint with `at-config`.
async fn server() -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(format!(
            "/api/v1/users/{USER}/authenticator-enrollments"
        )))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!([])))
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/oauth2/v1/token"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "token_type": "Bearer", "expires_in": 3600, "access_token": "at-config"
        })))
        .mount(&server)
        .await;
    server
}

/// Calls the API once and returns the `Authorization` header the server received.
async fn authorization_sent(server: &MockServer, client: &Client) -> String {
    client.list_authenticator_enrollments(USER).await.unwrap();
    let requests = server.received_requests().await.unwrap();
    let api = requests
        .iter()
        .rfind(|r| r.url.path().starts_with("/api/"))
        .unwrap();
    api.headers
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .unwrap()
        .to_owned()
}

fn error_of(result: Result<ClientBuilder, okta_management::ConfigError>) -> String {
    result.map(|_| ()).unwrap_err().to_string()
}

#[tokio::test]
async fn precedence_is_defaults_then_home_file_then_local_file_then_environment_then_builder() {
    let server = server().await;
    let dir = temp_dir("precedence");
    let home = write(
        &dir,
        "home.yaml",
        "okta:\n  client:\n    orgUrl: https://home.okta.com\n    token: home-token\n    clientId: home-client\n    requestTimeout: 10\n    rateLimit:\n      maxRetries: 1\n",
    );
    let local = write(
        &dir,
        "local.yaml",
        "okta:\n  client:\n    orgUrl: https://local.okta.com\n    token: local-token\n    requestTimeout: 20\n",
    );
    let files = [home, local];
    let env_vars = [
        ("OKTA_CLIENT_ORGURL", server.uri()),
        ("OKTA_CLIENT_TOKEN", "env-token".to_owned()),
    ];
    let env_vars: Vec<(&str, &str)> = env_vars.iter().map(|(k, v)| (*k, v.as_str())).collect();

    // Defaults only: no org URL, the default options.
    let defaults = ClientBuilder::from_sources(no_env(), &[]).unwrap();
    assert!(defaults
        .clone()
        .build()
        .unwrap_err()
        .to_string()
        .contains("no org URL"));
    let client = defaults
        .org_url("https://x.okta.com")
        .api_token("t")
        .build()
        .unwrap();
    assert_eq!(client.options().max_retries, 2);
    assert_eq!(
        client.options().request_timeout,
        Some(Duration::from_secs(120)),
        "a finite deadline by default"
    );
    assert_eq!(client.options().max_response_bytes, 16 * 1024 * 1024);

    // The home file alone.
    let client = ClientBuilder::from_sources(no_env(), &files[..1])
        .unwrap()
        .build()
        .unwrap();
    assert_eq!(client.base_url().as_str(), "https://home.okta.com/");
    assert_eq!(
        client.options().request_timeout,
        Some(Duration::from_secs(10))
    );
    assert_eq!(client.options().max_retries, 1);

    // The local file overrides what it sets; the rest stays from the home file.
    let builder = ClientBuilder::from_sources(no_env(), &files).unwrap();
    assert!(format!("{builder:?}").contains("home-client"));
    let client = builder.build().unwrap();
    assert_eq!(client.base_url().as_str(), "https://local.okta.com/");
    assert_eq!(
        client.options().request_timeout,
        Some(Duration::from_secs(20))
    );
    assert_eq!(client.options().max_retries, 1);

    // The environment overrides both files.
    let client = ClientBuilder::from_sources(env(&env_vars), &files)
        .unwrap()
        .build()
        .unwrap();
    assert_eq!(client.base_url().as_str(), format!("{}/", server.uri()));
    assert_eq!(
        client.options().request_timeout,
        Some(Duration::from_secs(20))
    );
    assert_eq!(authorization_sent(&server, &client).await, "SSWS env-token");

    // Builder calls override everything.
    let client = ClientBuilder::from_sources(env(&env_vars), &files)
        .unwrap()
        .access_token("builder-token")
        .max_retries(7)
        .request_timeout(Duration::from_secs(3))
        .build()
        .unwrap();
    assert_eq!(client.options().max_retries, 7);
    assert_eq!(
        client.options().request_timeout,
        Some(Duration::from_secs(3))
    );
    assert_eq!(
        authorization_sent(&server, &client).await,
        "Bearer builder-token"
    );
    let _ = std::fs::remove_dir_all(dir);
}

#[tokio::test]
async fn every_environment_variable_is_read() {
    let server = server().await;
    let uri = server.uri();
    let key = key_file("ec-pkcs8.pem");
    let vars = [
        ("OKTA_CLIENT_ORGURL", uri.as_str()),
        ("OKTA_CLIENT_AUTHORIZATIONMODE", "PrivateKey"),
        ("OKTA_CLIENT_CLIENTID", "0oaENVclient"),
        ("OKTA_CLIENT_SCOPES", "okta.users.read okta.users.manage"),
        ("OKTA_CLIENT_PRIVATEKEY", key.as_str()),
        ("OKTA_CLIENT_PRIVATEKEYID", "kid-env"),
        ("OKTA_CLIENT_REQUESTTIMEOUT", "30"),
        ("OKTA_CLIENT_CONNECTIONTIMEOUT", "7"),
        ("OKTA_CLIENT_RATELIMIT_MAXRETRIES", "4"),
    ];
    assert_eq!(
        vars.len(),
        okta_management::config::ENVIRONMENT_VARIABLES.len() - 1,
        "all but the token"
    );
    let builder = ClientBuilder::from_sources(env(&vars), &[]).unwrap();
    assert!(
        format!("{builder:?}").contains("connection_timeout: Some(7s)"),
        "{builder:?}"
    );
    let client = builder.build().unwrap();
    assert_eq!(
        client.options().request_timeout,
        Some(Duration::from_secs(30))
    );
    assert_eq!(client.options().max_retries, 4);
    assert_eq!(
        authorization_sent(&server, &client).await,
        "Bearer at-config"
    );
    let requests = server.received_requests().await.unwrap();
    let token_request = requests
        .iter()
        .find(|r| r.url.path() == "/oauth2/v1/token")
        .unwrap();
    let form: HashMap<String, String> = url::form_urlencoded::parse(&token_request.body)
        .into_owned()
        .collect();
    assert_eq!(form["scope"], "okta.users.read okta.users.manage");
    let header = jsonwebtoken::decode_header(&form["client_assertion"]).unwrap();
    assert_eq!(header.kid.as_deref(), Some("kid-env"));
    assert_eq!(header.alg, jsonwebtoken::Algorithm::ES256);
    let claims: serde_json::Value = serde_json::from_slice(
        &base64::Engine::decode(
            &base64::engine::general_purpose::URL_SAFE_NO_PAD,
            form["client_assertion"].split('.').nth(1).unwrap(),
        )
        .unwrap(),
    )
    .unwrap();
    assert_eq!(claims["iss"], "0oaENVclient");

    // The token and the other two modes (any case).
    for (mode, expected) in [("ssws", "SSWS env-tok"), ("BEARER", "Bearer env-tok")] {
        let vars = [
            ("OKTA_CLIENT_ORGURL", uri.as_str()),
            ("OKTA_CLIENT_TOKEN", "env-tok"),
            ("OKTA_CLIENT_AUTHORIZATIONMODE", mode),
        ];
        let client = ClientBuilder::from_sources(env(&vars), &[])
            .unwrap()
            .build()
            .unwrap();
        assert_eq!(authorization_sent(&server, &client).await, expected);
    }
    // An empty variable counts as unset.
    let vars = [("OKTA_CLIENT_REQUESTTIMEOUT", "")];
    assert!(ClientBuilder::from_sources(env(&vars), &[]).is_ok());
}

#[test]
fn bad_environment_values_name_the_variable() {
    for (name, value, expected) in [
        ("OKTA_CLIENT_REQUESTTIMEOUT", "soon", "\"soon\""),
        ("OKTA_CLIENT_REQUESTTIMEOUT", "-1", "whole number"),
        ("OKTA_CLIENT_CONNECTIONTIMEOUT", "30s", "\"30s\""),
        ("OKTA_CLIENT_RATELIMIT_MAXRETRIES", "two", "whole number"),
        (
            "OKTA_CLIENT_RATELIMIT_MAXRETRIES",
            "99999999999",
            "too large",
        ),
        (
            "OKTA_CLIENT_AUTHORIZATIONMODE",
            "Basic",
            "SSWS, Bearer or PrivateKey",
        ),
    ] {
        let err = error_of(ClientBuilder::from_sources(env(&[(name, value)]), &[]));
        assert!(
            err.contains(name) && err.contains(expected),
            "{name}={value}: {err}"
        );
    }
}

#[test]
fn bad_file_values_name_the_file_and_the_key() {
    let dir = temp_dir("bad-file");
    for (yaml, key) in [
        ("requestTimeout: ten", "okta.client.requestTimeout"),
        ("requestTimeout: -5", "okta.client.requestTimeout"),
        ("connectionTimeout: soon", "okta.client.connectionTimeout"),
        ("connectionTimeout: [1]", "okta.client.connectionTimeout"),
        (
            "rateLimit:\n      maxRetries: 1.5",
            "okta.client.rateLimit.maxRetries",
        ),
        ("authorizationMode: Basic", "okta.client.authorizationMode"),
        ("scopes: 5", "okta.client.scopes"),
        ("scopes: [a, 5]", "okta.client.scopes[1]"),
        ("orgUrl: [a]", "okta.client.orgUrl"),
    ] {
        let file = write(
            &dir,
            "okta.yaml",
            &format!("okta:\n  client:\n    {yaml}\n"),
        );
        let err = error_of(ClientBuilder::from_sources(
            no_env(),
            std::slice::from_ref(&file),
        ));
        assert!(
            err.contains(&file.display().to_string()) && err.contains(key),
            "{yaml}: {err}"
        );
    }
    let file = write(&dir, "broken.yaml", "okta: [unclosed");
    let err = error_of(ClientBuilder::from_sources(
        no_env(),
        std::slice::from_ref(&file),
    ));
    assert!(
        err.contains("broken.yaml") && err.contains("not valid YAML"),
        "{err}"
    );
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn files_are_optional_and_scopes_are_a_list_or_a_string() {
    let dir = temp_dir("scopes");
    let missing = dir.join("missing.yaml");
    assert!(ClientBuilder::from_sources(no_env(), &[missing]).is_ok());
    let other = write(&dir, "other.yaml", "something: else\n");
    assert!(ClientBuilder::from_sources(no_env(), &[other]).is_ok());
    for yaml in ["scopes: [okta.a, okta.b]", "scopes: okta.a okta.b"] {
        let file = write(
            &dir,
            "okta.yaml",
            &format!("okta:\n  client:\n    {yaml}\n"),
        );
        let builder = ClientBuilder::from_sources(no_env(), &[file]).unwrap();
        assert!(
            format!("{builder:?}").contains("[\"okta.a\", \"okta.b\"]"),
            "{yaml}: {builder:?}"
        );
    }
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn missing_or_invalid_credentials_are_clear_errors() {
    let base = || Client::builder().org_url("https://dev-1.okta.com");
    let err = base().build().unwrap_err().to_string();
    assert!(err.contains("needs a token"), "{err}");
    let err = base()
        .authorization_mode(AuthorizationMode::PrivateKey)
        .private_key(key_file("rsa-pkcs1.pem"))
        .build()
        .unwrap_err()
        .to_string();
    assert!(err.contains("client id"), "{err}");
    let err = base()
        .client_id("0oa1")
        .private_key("not a key")
        .build()
        .unwrap_err()
        .to_string();
    assert!(err.contains("private key"), "{err}");
}

#[test]
fn org_urls_must_be_https_real_and_not_admin() {
    let build = |url: &str| Client::builder().org_url(url).api_token("t").build();
    for good in [
        "https://dev-123456.okta.com",
        "https://example.oktapreview.com/",
        "http://127.0.0.1:8080",
        "http://127.1.2.3",
        "http://localhost:3000",
        "http://[::1]:8080",
    ] {
        assert!(build(good).is_ok(), "{good}: {:?}", build(good).err());
    }
    for (bad, expected) in [
        ("http://dev-123456.okta.com", "https://"),
        ("ftp://dev-123456.okta.com", "https://"),
        ("https://{yourOktaDomain}", "placeholder"),
        ("https://yourOktaDomain.okta.com", "placeholder"),
        ("https://dev-123456-admin.okta.com", "-admin"),
        ("not a url", "not a URL"),
        ("http://10.0.0.1", "https://"),
    ] {
        let err = build(bad).map(|_| ()).unwrap_err().to_string();
        assert!(err.contains(expected), "{bad}: {err}");
    }
}

#[test]
fn debug_never_shows_a_secret() {
    let key = key_file("rsa-pkcs1.pem");
    let builder = Client::builder()
        .org_url("https://dev-1.okta.com")
        .api_token("00SECRETtoken")
        .client_id("0oa1")
        .private_key(key.clone());
    let shown = format!("{builder:?}");
    assert!(
        !shown.contains("SECRET") && !shown.contains("BEGIN"),
        "{shown}"
    );
    assert!(
        shown.contains("<redacted>") && shown.contains("0oa1"),
        "{shown}"
    );
    let env_builder = ClientBuilder::from_sources(
        env(&[
            ("OKTA_CLIENT_TOKEN", "00SECRETenv"),
            ("OKTA_CLIENT_PRIVATEKEY", key.as_str()),
        ]),
        &[],
    )
    .unwrap();
    let shown = format!("{env_builder:?}");
    assert!(
        !shown.contains("SECRET") && !shown.contains("BEGIN"),
        "{shown}"
    );
    let client = builder.build().unwrap();
    let shown = format!("{client:?}");
    assert!(
        !shown.contains("SECRET") && !shown.contains("BEGIN"),
        "{shown}"
    );
}

#[tokio::test]
async fn a_built_client_calls_the_server_with_its_auth() {
    let server = server().await;
    let client = Client::builder()
        .org_url(server.uri())
        .client_id("0oaBUILDER")
        .scopes(["okta.users.read"])
        .private_key(key_file("rsa.jwk.json"))
        .key_id("kid-builder")
        .user_agent_suffix("config-test")
        .http_client(http())
        .build()
        .unwrap();
    assert_eq!(
        client.options().user_agent_suffix.as_deref(),
        Some("config-test")
    );
    assert_eq!(
        authorization_sent(&server, &client).await,
        "Bearer at-config"
    );
    assert_eq!(
        authorization_sent(&server, &client).await,
        "Bearer at-config"
    );
    let token_requests = server
        .received_requests()
        .await
        .unwrap()
        .iter()
        .filter(|r| r.url.path() == "/oauth2/v1/token")
        .count();
    assert_eq!(token_requests, 1, "the token is cached");
}

#[test]
fn the_connection_timeout_comes_from_the_file_the_environment_or_the_builder() {
    let dir = temp_dir("connection-timeout");
    let file = write(
        &dir,
        "okta.yaml",
        "okta:\n  client:\n    orgUrl: https://dev-1.okta.com\n    token: t\n    connectionTimeout: 12\n",
    );
    let files = [file];
    let shown = |builder: &ClientBuilder| format!("{builder:?}");
    let from_file = ClientBuilder::from_sources(no_env(), &files).unwrap();
    assert!(
        shown(&from_file).contains("connection_timeout: Some(12s)"),
        "{from_file:?}"
    );
    let from_env =
        ClientBuilder::from_sources(env(&[("OKTA_CLIENT_CONNECTIONTIMEOUT", "3")]), &files)
            .unwrap();
    assert!(
        shown(&from_env).contains("connection_timeout: Some(3s)"),
        "{from_env:?}"
    );
    let from_builder = from_env.connection_timeout(Duration::from_secs(1));
    assert!(
        shown(&from_builder).contains("connection_timeout: Some(1s)"),
        "{from_builder:?}"
    );
    // The builder makes the HTTP client with it; `0` turns it off.
    assert!(from_builder.clone().build().is_ok());
    assert!(from_builder
        .clone()
        .connection_timeout(Duration::ZERO)
        .build()
        .is_ok());
    // A given reqwest::Client has its own: the setting would be silently lost, so it is refused.
    let err = from_builder
        .http_client(http())
        .build()
        .map(|_| ())
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("connection timeout") && err.contains("http_client_builder"),
        "{err}"
    );
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn timeouts_and_the_size_cap_are_off_only_when_asked() {
    let base = || {
        Client::builder()
            .org_url("https://dev-1.okta.com")
            .api_token("t")
    };
    let client = base().build().unwrap();
    assert_eq!(
        client.options().request_timeout,
        Some(Duration::from_secs(120))
    );
    let client = base().request_timeout(Duration::ZERO).build().unwrap();
    assert_eq!(client.options().request_timeout, None, "0 = no deadline");
    let client = base().max_response_bytes(1024).build().unwrap();
    assert_eq!(client.options().max_response_bytes, 1024);
    let client = ClientBuilder::from_sources(
        env(&[
            ("OKTA_CLIENT_ORGURL", "https://dev-1.okta.com"),
            ("OKTA_CLIENT_TOKEN", "t"),
            ("OKTA_CLIENT_REQUESTTIMEOUT", "0"),
        ]),
        &[],
    )
    .unwrap()
    .build()
    .unwrap();
    assert_eq!(client.options().request_timeout, None);
    assert_eq!(
        okta_management::ClientOptions::default().request_timeout,
        Some(Duration::from_secs(120))
    );
}

#[test]
fn client_new_checks_the_org_url_as_the_builder_does() {
    use okta_management::Auth;
    let new = |url: &str| Client::new(url, Auth::api_token("t")).map(|_| ());
    let with_options = |url: &str| {
        Client::with_options(
            url,
            Auth::api_token("t"),
            http(),
            okta_management::ClientOptions::default(),
        )
        .map(|_| ())
    };
    for good in [
        "https://dev-123456.okta.com",
        "http://127.0.0.1:8080",
        "http://localhost:3000",
        "http://[::1]:8080",
    ] {
        assert!(new(good).is_ok(), "{good}: {:?}", new(good));
        assert!(with_options(good).is_ok(), "{good}");
    }
    for (bad, expected) in [
        ("http://dev-123456.okta.com", "https://"),
        ("http://10.0.0.1", "https://"),
        ("https://{yourOktaDomain}", "placeholder"),
        ("https://yourOktaDomain.okta.com", "placeholder"),
        ("https://dev-123456-admin.okta.com", "-admin"),
        ("not a url", "not a URL"),
    ] {
        let from_new = new(bad).unwrap_err().to_string();
        let from_builder = Client::builder()
            .org_url(bad)
            .api_token("t")
            .build()
            .map(|_| ())
            .unwrap_err()
            .to_string();
        assert!(from_new.contains(expected), "{bad}: {from_new}");
        assert_eq!(from_new, from_builder, "{bad}: the same check");
        assert!(with_options(bad).is_err(), "{bad}");
    }
}
