//! The HTTP client: base URL, authentication, and the request/response cycle every generated
//! operation goes through.

use std::fmt;

use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
use reqwest::header::{HeaderMap, HeaderName, HeaderValue, ACCEPT, AUTHORIZATION, CONTENT_TYPE};
use reqwest::{Method, StatusCode};
use url::Url;

use super::auth::Auth;
use super::error::{body_start, ApiError, ConfigError, DecodeError, Error};

/// Characters left as they are in a path segment: RFC 3986 "unreserved". Everything else,
/// `/` included, is percent-encoded, so a value is always exactly one segment.
const PATH_SEGMENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// The header Okta puts its request id in.
const REQUEST_ID: &str = "x-okta-request-id";

/// How the client retries, times out and identifies itself.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct ClientOptions {
    /// Retries after a 429 (rate limit) or a transient failure; `0` turns retries off.
    pub max_retries: u32,
    /// One deadline for a whole call, all attempts and waits included.
    pub request_timeout: Option<std::time::Duration>,
    /// Appended to the `User-Agent`.
    pub user_agent_suffix: Option<String>,
}

impl Default for ClientOptions {
    fn default() -> Self {
        ClientOptions {
            max_retries: 2,
            request_timeout: None,
            user_agent_suffix: None,
        }
    }
}

/// A client for the API. Cheap to clone (the connection pool is shared).
#[derive(Clone)]
pub struct Client {
    base_url: Url,
    http: reqwest::Client,
    auth: Auth,
    // Read by the transport (retries, deadline, user agent).
    #[allow(dead_code)]
    options: ClientOptions,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("base_url", &self.base_url.as_str())
            .field("auth", &self.auth)
            .finish_non_exhaustive()
    }
}

impl Client {
    /// A client for the org at `base_url` (e.g. `https://example.okta.com`), with a new
    /// `reqwest` client using rustls.
    pub fn new(base_url: &str, auth: Auth) -> Result<Self, ConfigError> {
        // reqwest is built without a default crypto provider; use ring unless the application
        // installed another one already (then this is a no-op).
        let _ = rustls::crypto::ring::default_provider().install_default();
        let http = reqwest::Client::builder()
            .build()
            .map_err(|e| ConfigError::new(format!("cannot build the HTTP client: {e}")))?;
        Self::with_http_client(base_url, auth, http)
    }

    /// A client that sends through an existing `reqwest::Client` (timeouts, proxies and TLS
    /// settings are then yours).
    pub fn with_http_client(
        base_url: &str,
        auth: Auth,
        http: reqwest::Client,
    ) -> Result<Self, ConfigError> {
        Self::with_options(base_url, auth, http, ClientOptions::default())
    }

    /// A client with explicit retry, timeout and user-agent options.
    pub fn with_options(
        base_url: &str,
        auth: Auth,
        http: reqwest::Client,
        options: ClientOptions,
    ) -> Result<Self, ConfigError> {
        let base_url = Url::parse(base_url)
            .map_err(|e| ConfigError::new(format!("base URL {base_url:?}: {e}")))?;
        if !matches!(base_url.scheme(), "https" | "http") {
            return Err(ConfigError::new(format!(
                "base URL {:?} must be http(s)",
                base_url.as_str()
            )));
        }
        if base_url.query().is_some() || base_url.fragment().is_some() {
            return Err(ConfigError::new(format!(
                "base URL {:?} must not have a query or fragment",
                base_url.as_str()
            )));
        }
        Ok(Client {
            base_url,
            http,
            auth,
            options,
        })
    }

    /// The base URL requests are sent to.
    pub fn base_url(&self) -> &Url {
        &self.base_url
    }

    /// The underlying HTTP client.
    pub fn http_client(&self) -> &reqwest::Client {
        &self.http
    }

    /// The retry, timeout and user-agent options.
    pub fn options(&self) -> &ClientOptions {
        &self.options
    }

    /// Sends a request and returns the response of any status.
    async fn send<E>(&self, request: Request) -> Result<Received, Error<E>> {
        let operation = request.operation;
        let fail = |message: String| Error::Request { operation, message };
        let base = self.base_url.as_str().trim_end_matches('/');
        let mut url = Url::parse(&format!("{base}{}", request.path))
            .map_err(|e| fail(format!("invalid URL: {e}")))?;
        if !request.query.is_empty() {
            let mut pairs = url.query_pairs_mut();
            for (name, value) in &request.query {
                pairs.append_pair(name, value);
            }
        }
        let mut builder = self
            .http
            .request(request.method, url)
            .header(ACCEPT, HeaderValue::from_static(request.accept));
        let authorization = self
            .auth
            .authorization(&self.http, &self.base_url)
            .await
            .map_err(|source| Error::Auth { operation, source })?;
        if let Some(value) = authorization {
            builder = builder.header(AUTHORIZATION, value);
        }
        for (name, value) in request.headers {
            let name = HeaderName::from_static(name);
            let value = HeaderValue::from_str(&value)
                .map_err(|_| fail(format!("header {name} has a value not allowed in HTTP")))?;
            builder = builder.header(name, value);
        }
        if let Some((body, content_type)) = request.body {
            let content_type = HeaderValue::from_str(&content_type)
                .map_err(|_| fail(format!("invalid Content-Type {content_type:?}")))?;
            builder = builder.header(CONTENT_TYPE, content_type).body(body);
        }
        let response = builder
            .send()
            .await
            .map_err(|source| Error::Transport { operation, source })?;
        let status = response.status();
        let headers = response.headers().clone();
        let body = response
            .bytes()
            .await
            .map_err(|source| Error::Transport { operation, source })?;
        Ok(Received {
            operation,
            status,
            headers,
            body: body.to_vec(),
        })
    }

    /// Sends a request whose success response has a JSON body of type `T`.
    // Which helpers a client calls depends on its spec.
    #[allow(dead_code)]
    pub(crate) async fn execute_json<T, E>(&self, request: Request) -> Result<T, Error<E>>
    where
        T: serde::de::DeserializeOwned,
        E: serde::de::DeserializeOwned,
    {
        let received = self.send(request).await?;
        if !received.status.is_success() {
            return Err(received.into_api_error());
        }
        received.decode()
    }

    /// Sends a request whose success response is not JSON: returns its bytes.
    // Only clients whose spec has a non-JSON success response call this.
    #[allow(dead_code)]
    pub(crate) async fn execute_bytes<E>(&self, request: Request) -> Result<Vec<u8>, Error<E>>
    where
        E: serde::de::DeserializeOwned,
    {
        let received = self.send(request).await?;
        if !received.status.is_success() {
            return Err(received.into_api_error());
        }
        Ok(received.body)
    }

    /// Sends a request whose success response has no body of interest.
    // Which helpers a client calls depends on its spec.
    #[allow(dead_code)]
    pub(crate) async fn execute_empty<E>(&self, request: Request) -> Result<(), Error<E>>
    where
        E: serde::de::DeserializeOwned,
    {
        let received = self.send(request).await?;
        if !received.status.is_success() {
            return Err(received.into_api_error());
        }
        Ok(())
    }
}

/// What a generated operation asks the client to send.
pub(crate) struct Request {
    pub(crate) operation: &'static str,
    pub(crate) method: Method,
    /// The path, with parameters already encoded by [`path_segment`].
    pub(crate) path: String,
    pub(crate) query: Vec<(&'static str, String)>,
    pub(crate) headers: Vec<(&'static str, String)>,
    /// The body and its `Content-Type`.
    pub(crate) body: Option<(Vec<u8>, String)>,
    /// The `Accept` header.
    pub(crate) accept: &'static str,
}

impl Request {
    pub(crate) fn new(operation: &'static str, method: Method, path: String) -> Self {
        Request {
            operation,
            method,
            path,
            query: Vec::new(),
            headers: Vec::new(),
            body: None,
            accept: "application/json",
        }
    }

    /// Sets a JSON body, sent with `content_type` (`application/json` or a `+json` type).
    // Which helpers a client calls depends on its spec.
    #[allow(dead_code)]
    pub(crate) fn json<B: serde::Serialize, E>(
        mut self,
        body: &B,
        content_type: &str,
    ) -> Result<Self, Error<E>> {
        let bytes = serde_json::to_vec(body).map_err(|e| Error::Request {
            operation: self.operation,
            message: format!("cannot serialize the body: {e}"),
        })?;
        self.body = Some((bytes, content_type.to_owned()));
        Ok(self)
    }

    /// Sets a body sent as is.
    // Only clients whose spec has a non-JSON request body call this.
    #[allow(dead_code)]
    pub(crate) fn raw(mut self, body: Vec<u8>, content_type: String) -> Self {
        self.body = Some((body, content_type));
        self
    }
}

/// A response as received.
struct Received {
    operation: &'static str,
    status: StatusCode,
    headers: HeaderMap,
    body: Vec<u8>,
}

impl Received {
    fn request_id(&self) -> Option<String> {
        self.headers
            .get(REQUEST_ID)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned)
    }

    fn decode<T: serde::de::DeserializeOwned, E>(self) -> Result<T, Error<E>> {
        let mut de = serde_json::Deserializer::from_slice(&self.body);
        let (path, message) = match serde_path_to_error::deserialize::<_, T>(&mut de) {
            Ok(value) => match de.end() {
                Ok(()) => return Ok(value),
                Err(e) => (".".to_owned(), e.to_string()),
            },
            Err(e) => (e.path().to_string(), e.inner().to_string()),
        };
        Err(Error::Decode(Box::new(DecodeError {
            operation: self.operation,
            status: self.status,
            request_id: self.request_id(),
            path,
            message,
            body_start: body_start(&String::from_utf8_lossy(&self.body)),
        })))
    }

    fn into_api_error<E: serde::de::DeserializeOwned>(self) -> Error<E> {
        let body = serde_json::from_slice(&self.body).ok();
        Error::Api(Box::new(ApiError {
            operation: self.operation,
            status: self.status,
            body,
            request_id: self.request_id(),
            raw_body: String::from_utf8_lossy(&self.body).into_owned(),
            headers: self.headers,
        }))
    }
}

/// The text of a parameter value as sent: a string as is, anything else (numbers, booleans,
/// enums, unions) as its JSON text without quotes.
// Which helpers a client calls depends on its spec.
#[allow(dead_code)]
pub(crate) fn param_value<T: serde::Serialize + ?Sized, E>(
    operation: &'static str,
    name: &str,
    value: &T,
) -> Result<String, Error<E>> {
    match serde_json::to_value(value) {
        Ok(serde_json::Value::String(s)) => Ok(s),
        Ok(other) => Ok(other.to_string()),
        Err(e) => Err(Error::Request {
            operation,
            message: format!("parameter `{name}` cannot be encoded: {e}"),
        }),
    }
}

/// Percent-encodes a path parameter so that it is exactly one path segment. Empty values and
/// the dot segments `.` and `..` are refused: URL normalization would drop or climb them, and
/// the request would reach another endpoint.
// Which helpers a client calls depends on its spec.
#[allow(dead_code)]
pub(crate) fn path_segment<T: serde::Serialize + ?Sized, E>(
    operation: &'static str,
    name: &str,
    value: &T,
) -> Result<String, Error<E>> {
    let value = param_value(operation, name, value)?;
    if value.is_empty() || value == "." || value == ".." {
        return Err(Error::Request {
            operation,
            message: format!(
                "path parameter `{name}` must not be empty, `.` or `..` (got {value:?})"
            ),
        });
    }
    Ok(utf8_percent_encode(&value, PATH_SEGMENT).to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn segment(value: &str) -> Result<String, String> {
        path_segment::<_, ()>("op", "id", value).map_err(|e| e.to_string())
    }

    #[test]
    fn path_segments_encode_everything_but_unreserved() {
        assert_eq!(segment("00u1-a_b.c~d"), Ok("00u1-a_b.c~d".to_owned()));
        assert_eq!(segment("a/b c?d#e%"), Ok("a%2Fb%20c%3Fd%23e%25".to_owned()));
        assert_eq!(segment("é"), Ok("%C3%A9".to_owned()));
        assert_eq!(segment("..."), Ok("...".to_owned()));
    }

    #[test]
    fn non_string_values_are_sent_as_their_json_text() {
        assert_eq!(
            param_value::<_, ()>("op", "n", &42).ok(),
            Some("42".to_owned())
        );
        assert_eq!(
            param_value::<_, ()>("op", "b", &true).ok(),
            Some("true".to_owned())
        );
        assert_eq!(
            param_value::<_, ()>("op", "s", "a b").ok(),
            Some("a b".to_owned())
        );
    }

    #[test]
    fn dot_and_empty_segments_are_refused() {
        for bad in ["", ".", ".."] {
            let err = segment(bad);
            assert!(
                err.as_ref()
                    .is_err_and(|e| e.contains("`id` must not be empty")),
                "{bad:?}: {err:?}"
            );
        }
    }

    #[test]
    fn base_urls_are_validated() {
        assert!(Client::new("ftp://x", Auth::None).is_err());
        assert!(Client::new("not a url", Auth::None).is_err());
        assert!(Client::new("https://x.okta.com/?a=b", Auth::None).is_err());
        let client = Client::new("https://x.okta.com/", Auth::None);
        assert_eq!(
            client.map(|c| c.base_url().as_str().to_owned()),
            Ok("https://x.okta.com/".to_owned())
        );
    }

    #[test]
    fn debug_shows_no_secret() {
        let client = Client::new("https://x.okta.com", Auth::api_token("SECRET"));
        assert!(client.is_ok_and(|c| !format!("{c:?}").contains("SECRET")));
    }
}
