//! The HTTP client: base URL, authentication, and the request/response cycle every generated
//! operation goes through.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
use reqwest::header::{
    HeaderMap, HeaderName, HeaderValue, ACCEPT, CONTENT_TYPE, LOCATION, USER_AGENT,
};
use reqwest::{Method, StatusCode};
use tracing::Instrument;
use url::Url;

use super::auth::{Auth, Credentials};
use super::error::{
    body_start, truncate_to, ApiError, ConfigError, DecodeError, Error, RAW_BODY_LIMIT,
};

/// Characters left as they are in a path segment: RFC 3986 "unreserved". Everything else,
/// `/` included, is percent-encoded, so a value is always exactly one segment.
const PATH_SEGMENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// The rate-limit headers.
const RATE_LIMIT_LIMIT: &str = "x-rate-limit-limit";
const RATE_LIMIT_REMAINING: &str = "x-rate-limit-remaining";
const RATE_LIMIT_RESET: &str = "x-rate-limit-reset";

/// The `tracing` span of a call, and of each attempt.
const REQUEST_SPAN: &str = super::PROFILE.request_span();
const ATTEMPT_SPAN: &str = super::PROFILE.attempt_span();

/// The first backoff wait after a 503/504 or a connection failure; it doubles per retry.
const BACKOFF_BASE: Duration = Duration::from_millis(500);
/// The longest backoff wait.
const BACKOFF_CAP: Duration = Duration::from_secs(8);
/// A 429 asking for a longer wait than this is not retried (the error is returned): Okta's
/// limits reset every minute, so a longer wait means something is wrong with the response.
const MAX_RATE_LIMIT_WAIT: Duration = Duration::from_secs(300);

/// The default [`ClientOptions::request_timeout`]: two minutes, room for one rate-limit wait
/// (Okta's limits reset every minute) and the attempts around it.
pub(crate) const DEFAULT_REQUEST_TIMEOUT: Duration = Duration::from_secs(120);
/// The default connect timeout of the HTTP clients [`Client::http_client_builder`] makes: 30 s,
/// as in Okta's SDKs (`okta.client.connectionTimeout`).
pub(crate) const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(30);
/// The default [`ClientOptions::max_response_bytes`]: 16 MiB. A page of 200 Okta users is
/// around 1 MB, a page of 1 000 System Log events a few MB.
pub(crate) const DEFAULT_MAX_RESPONSE_BYTES: u64 = 16 * 1024 * 1024;
/// Same-origin redirects followed in a row before the call fails.
const MAX_REDIRECTS: usize = 5;
/// How much of an error (non-2xx) body is read, to decode it; the rest is not read.
const ERROR_BODY_READ_LIMIT: usize = 64 * 1024;
/// The most memory reserved up front from a response's `Content-Length`.
const PREALLOCATE_LIMIT: usize = 1024 * 1024;

/// How the client retries, times out, bounds responses and identifies itself.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct ClientOptions {
    /// Retries after a 429 (rate limit) or a transient failure; `0` turns retries off.
    /// Default 2.
    pub max_retries: u32,
    /// One deadline for a whole call, all attempts and waits included. Default 120 s; `None`
    /// (no deadline) only when set so.
    pub request_timeout: Option<std::time::Duration>,
    /// The most bytes of a success response body read; a longer body is
    /// [`Error::ResponseTooLarge`], and is never buffered past the limit. Default 16 MiB.
    /// Error bodies are read up to 64 KiB (or this limit, when smaller).
    pub max_response_bytes: u64,
    /// Appended to the `User-Agent`.
    pub user_agent_suffix: Option<String>,
}

impl Default for ClientOptions {
    fn default() -> Self {
        ClientOptions {
            max_retries: 2,
            request_timeout: Some(DEFAULT_REQUEST_TIMEOUT),
            max_response_bytes: DEFAULT_MAX_RESPONSE_BYTES,
            user_agent_suffix: None,
        }
    }
}

/// Waits between retries. The default, [`TokioSleeper`], uses `tokio::time::sleep`; tests
/// replace it (see [`Client::with_sleeper`]) to record the waits instead of sleeping.
pub trait Sleeper: Send + Sync {
    /// A future that completes after `duration`.
    fn sleep(&self, duration: Duration) -> Pin<Box<dyn Future<Output = ()> + Send>>;
}

/// The default [`Sleeper`]: `tokio::time::sleep`.
#[derive(Debug, Clone, Copy, Default)]
pub struct TokioSleeper;

impl Sleeper for TokioSleeper {
    fn sleep(&self, duration: Duration) -> Pin<Box<dyn Future<Output = ()> + Send>> {
        Box::pin(tokio::time::sleep(duration))
    }
}

/// Okta's rate-limit headers of a response: `X-Rate-Limit-Limit`, `X-Rate-Limit-Remaining`
/// and `X-Rate-Limit-Reset`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct RateLimit {
    /// Requests allowed in the current window.
    pub limit: u64,
    /// Requests left in the current window.
    pub remaining: u64,
    /// When the window resets, in seconds since the Unix epoch (server clock).
    pub reset: u64,
}

impl RateLimit {
    /// The three headers, when all are present and are numbers.
    pub fn from_headers(headers: &HeaderMap) -> Option<Self> {
        Some(RateLimit {
            limit: header_u64(headers, RATE_LIMIT_LIMIT)?,
            remaining: header_u64(headers, RATE_LIMIT_REMAINING)?,
            reset: header_u64(headers, RATE_LIMIT_RESET)?,
        })
    }

    /// [`reset`](Self::reset) as a time; `None` if it is out of the platform's range.
    pub fn reset_at(&self) -> Option<SystemTime> {
        UNIX_EPOCH.checked_add(Duration::from_secs(self.reset))
    }
}

/// A decoded response with its metadata, from `send_with_metadata()`.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct Response<T> {
    /// The decoded body.
    pub value: T,
    /// The HTTP status.
    pub status: StatusCode,
    /// The request id, for support and log correlation: `X-Okta-Request-Id` (Okta's profile),
    /// `X-Request-Id` or `Request-Id` (the generic one).
    pub request_id: Option<String>,
    /// The rate-limit headers, when the response has all three.
    pub rate_limit: Option<RateLimit>,
    /// The response headers.
    pub headers: HeaderMap,
}

impl<T> Response<T> {
    /// The decoded body, without the metadata.
    pub fn into_value(self) -> T {
        self.value
    }
}

/// A client for the API: a handle to one shared configuration and connection pool, so cloning it
/// is cheap (one reference count) and every clone sends the same way. `Send + Sync + 'static`: a
/// request builder owns a clone, so a call can be moved to another task
/// (`tokio::spawn(client.op(…).send())`).
#[derive(Clone)]
pub struct Client {
    inner: Arc<ClientInner>,
}

/// What every clone of a [`Client`] shares.
#[derive(Clone)]
struct ClientInner {
    base_url: Url,
    http: reqwest::Client,
    auth: Auth,
    options: ClientOptions,
    user_agent: HeaderValue,
    sleeper: Arc<dyn Sleeper>,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("base_url", &self.inner.base_url.as_str())
            .field("auth", &self.inner.auth)
            .field("options", &self.inner.options)
            .finish_non_exhaustive()
    }
}

impl Client {
    /// A client for the API at `base_url` (e.g. `https://example.okta.com`), with a new
    /// `reqwest` client from [`Client::http_client_builder`] (rustls, a 30 s connect timeout,
    /// same-origin redirects only) and the default [`ClientOptions`]. The URL must be `https://`
    /// (`http://` only for a loopback host), with no query, fragment or `{…}` template
    /// variable; for Okta, not the `-admin` host either (see [`Profile`](super::Profile)).
    pub fn new(base_url: &str, auth: Auth) -> Result<Self, ConfigError> {
        let http = Self::http_client_builder()
            .build()
            .map_err(|e| ConfigError::new(format!("cannot build the HTTP client: {e}")))?;
        Self::with_http_client(base_url, auth, http)
    }

    /// A `reqwest` client builder for the HTTP client given to [`Client::with_http_client`] or
    /// [`Client::with_options`] (set proxies and TLS on it). It starts safe: a 30 s connect
    /// timeout, redirects followed only within the origin of the request (at most 5 in a row;
    /// a redirect to another scheme, host or port is not followed and the call fails with
    /// [`Error::Redirect`]), and no `Referer`. Setting `.redirect(…)` on it replaces that
    /// policy. Use it rather than `reqwest::Client::builder()`: this crate's reqwest has no TLS
    /// crypto provider of its own, and this installs rustls's ring provider first (a no-op when
    /// the application installed one); a `reqwest::Client` built with no provider installed
    /// panics.
    pub fn http_client_builder() -> reqwest::ClientBuilder {
        base_http_client_builder().connect_timeout(DEFAULT_CONNECT_TIMEOUT)
    }

    /// A client that sends through an existing `reqwest::Client`: its connect timeout, proxies,
    /// TLS settings and redirect policy are then the ones it was built with. Build it from
    /// [`Client::http_client_builder`] to keep the safe defaults. The runtime cannot change the
    /// redirect policy of a client built elsewhere; it refuses, as [`Error::Redirect`], a
    /// response that such a client fetched from another origin than the request's, and a
    /// redirect to another origin that it did not follow.
    pub fn with_http_client(
        base_url: &str,
        auth: Auth,
        http: reqwest::Client,
    ) -> Result<Self, ConfigError> {
        Self::with_options(base_url, auth, http, ClientOptions::default())
    }

    /// A client with explicit retry, timeout, size and user-agent options (see
    /// [`Client::with_http_client`] for what comes from `http`).
    pub fn with_options(
        base_url: &str,
        auth: Auth,
        http: reqwest::Client,
        options: ClientOptions,
    ) -> Result<Self, ConfigError> {
        super::PROFILE.validate_base_url(base_url)?;
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
        let user_agent = HeaderValue::from_str(&user_agent(options.user_agent_suffix.as_deref()))
            .ok()
            .filter(|v| v.to_str().is_ok())
            .ok_or_else(|| {
            ConfigError::new("the user-agent suffix must be visible ASCII (characters allowed in an HTTP header)")
        })?;
        Ok(Client {
            inner: Arc::new(ClientInner {
                base_url,
                http,
                auth,
                options,
                user_agent,
                sleeper: Arc::new(TokioSleeper),
            }),
        })
    }

    /// Waits between retries with `sleeper` instead of `tokio::time::sleep` (for tests, or
    /// another async runtime).
    pub fn with_sleeper(mut self, sleeper: impl Sleeper + 'static) -> Self {
        // Only this client: clones made before keep the sleeper they had.
        Arc::make_mut(&mut self.inner).sleeper = Arc::new(sleeper);
        self
    }

    /// The base URL requests are sent to.
    pub fn base_url(&self) -> &Url {
        &self.inner.base_url
    }

    /// The underlying HTTP client.
    pub fn http_client(&self) -> &reqwest::Client {
        &self.inner.http
    }

    /// The retry, timeout, size and user-agent options.
    pub fn options(&self) -> &ClientOptions {
        &self.inner.options
    }

    /// The `User-Agent` sent with every request.
    pub fn user_agent(&self) -> &str {
        self.inner.user_agent.to_str().unwrap_or_default()
    }

    /// Sends a request, retrying as [`ClientOptions`] allow, and returns the last response of
    /// any status. Recorded in a `tracing` span: never a header value or a body.
    async fn send<E>(&self, request: Request) -> Result<Received, Error<E>> {
        let span = tracing::debug_span!(
            REQUEST_SPAN,
            operation = request.operation,
            method = %request.method,
            path_template = request.path_template,
            status = tracing::field::Empty,
            request_id = tracing::field::Empty,
            attempts = tracing::field::Empty,
        );
        let (outcome, attempts) = self
            .send_with_retries(request)
            .instrument(span.clone())
            .await;
        // Recorded only when the span is, so that a client without a subscriber does not copy
        // the request id out of the headers.
        if !span.is_disabled() {
            span.record("attempts", attempts);
            if let Ok(received) = &outcome {
                span.record("status", received.status.as_u16());
                if let Some(id) = received.request_id() {
                    span.record("request_id", id.as_str());
                }
            }
        }
        outcome
    }

    /// The retry loop; returns the last outcome and how many attempts were made.
    async fn send_with_retries<E>(&self, request: Request) -> (Result<Received, Error<E>>, u32) {
        let started = Instant::now();
        let deadline = self
            .inner
            .options
            .request_timeout
            .and_then(|t| started.checked_add(t));
        let url = match self.url(&request) {
            Ok(url) => url,
            Err(e) => return (Err(e), 0),
        };
        let idempotent = matches!(
            request.method,
            Method::GET | Method::HEAD | Method::PUT | Method::DELETE | Method::OPTIONS
        );
        let mut retries: u32 = 0;
        let mut retry_for: Option<String> = None;
        let mut auth_retried = false;
        loop {
            let attempt = retries + 1;
            let attempt_span = tracing::debug_span!(
                ATTEMPT_SPAN,
                attempt,
                status = tracing::field::Empty,
                request_id = tracing::field::Empty,
            );
            let outcome = self
                .attempt(&request, &url, deadline, retries, retry_for.as_deref())
                .instrument(attempt_span.clone())
                .await;
            let (wait, reason) = match &outcome {
                Ok(received) => {
                    let status = received.status.as_u16();
                    if !attempt_span.is_disabled() {
                        attempt_span.record("status", status);
                        if let Some(id) = received.request_id() {
                            attempt_span.record("request_id", id.as_str());
                        }
                    }
                    tracing::debug!(
                        parent: &attempt_span,
                        status,
                        request_id = received.request_id().as_deref(),
                        "response"
                    );
                    match received.status {
                        StatusCode::TOO_MANY_REQUESTS => {
                            retry_for = received.request_id();
                            let wait = super::PROFILE
                                .rate_limit_wait(&received.headers, SystemTime::now())
                                .unwrap_or_else(|| backoff(retries));
                            (Some(wait), "rate limited")
                        }
                        StatusCode::SERVICE_UNAVAILABLE | StatusCode::GATEWAY_TIMEOUT
                            if idempotent =>
                        {
                            let wait = super::PROFILE
                                .unavailable_wait(&received.headers, SystemTime::now())
                                .filter(|_| received.status == StatusCode::SERVICE_UNAVAILABLE)
                                .unwrap_or_else(|| backoff(retries));
                            (Some(wait), "unavailable")
                        }
                        StatusCode::UNAUTHORIZED => {
                            // Forget cached credentials whatever happens next.
                            let fresh = self.inner.auth.invalidate();
                            if fresh && !auth_retried {
                                auth_retried = true;
                                (Some(Duration::ZERO), "unauthorized")
                            } else {
                                (None, "")
                            }
                        }
                        _ => (None, ""),
                    }
                }
                Err(Error::Transport { source, .. }) if source.is_connect() && idempotent => {
                    // Not the error's text: it names the URL, with the filled path and query.
                    tracing::debug!(parent: &attempt_span, "connection failed");
                    (Some(backoff(retries)), "connection failed")
                }
                Err(_) => (None, ""),
            };
            let Some(wait) = wait else {
                return (outcome, attempt);
            };
            if retries >= self.inner.options.max_retries {
                tracing::debug!(retries, "not retried: no retries left");
                return (outcome, attempt);
            }
            if wait > MAX_RATE_LIMIT_WAIT {
                tracing::debug!(wait_ms = millis(wait), "not retried: the wait is too long");
                return (outcome, attempt);
            }
            if let Some(deadline) = deadline {
                let passes = Instant::now()
                    .checked_add(wait)
                    .is_none_or(|resume| resume >= deadline);
                if passes {
                    tracing::debug!(
                        wait_ms = millis(wait),
                        "not retried: the wait would pass the deadline"
                    );
                    return (outcome, attempt);
                }
            }
            tracing::info!(
                reason,
                wait_ms = millis(wait),
                retry = retries + 1,
                "retrying"
            );
            if !wait.is_zero() {
                self.inner.sleeper.sleep(wait).await;
            }
            retries += 1;
        }
    }

    /// The URL of `request`.
    fn url<E>(&self, request: &Request) -> Result<Url, Error<E>> {
        let base = self.inner.base_url.as_str().trim_end_matches('/');
        let mut url =
            Url::parse(&format!("{base}{}", request.path)).map_err(|e| Error::Request {
                operation: request.operation,
                message: format!("invalid URL: {e}"),
            })?;
        if !request.query.is_empty() {
            // Already encoded, in each parameter's style (see `form`).
            url.set_query(Some(&super::form::join(&request.query)));
        }
        Ok(url)
    }

    /// One attempt: sends the request and reads the whole response.
    async fn attempt<E>(
        &self,
        request: &Request,
        url: &Url,
        deadline: Option<Instant>,
        retries: u32,
        retry_for: Option<&str>,
    ) -> Result<Received, Error<E>> {
        let operation = request.operation;
        let path_template = request.path_template;
        let fail = |message: String| Error::Request { operation, message };
        // Never with the URL: its path and query hold the call's identifiers and values.
        let transport = |source: reqwest::Error| Error::Transport {
            operation,
            path_template,
            source: source.without_url(),
        };
        let credentials = if request.credentials {
            self.inner
                .auth
                .credentials(&self.inner.http, &self.inner.base_url)
                .await
                .map_err(|source| Error::Auth { operation, source })?
        } else {
            Credentials::default()
        };
        #[cfg(not(okgen_profile = "okta"))]
        let url = &with_query_credential(url, credentials.query.as_ref());
        // The headers go straight into the request's own map (one built beside it would be
        // copied into it). Every header is set (`insert`), never appended.
        let mut outgoing = reqwest::Request::new(request.method.clone(), url.clone());
        let headers = outgoing.headers_mut();
        let accept = static_header_value(request.accept)
            .ok_or_else(|| fail(format!("invalid Accept {:?}", request.accept)))?;
        headers.insert(ACCEPT, accept);
        headers.insert(USER_AGENT, self.inner.user_agent.clone());
        if let Some((name, value)) = credentials.header {
            headers.insert(name, value);
        }
        for (name, value) in &request.headers {
            let name = HeaderName::from_static(name);
            let value = HeaderValue::from_str(value)
                .map_err(|_| fail(format!("header {name} has a value not allowed in HTTP")))?;
            headers.insert(name, value);
        }
        super::PROFILE.retry_headers(headers, retries, retry_for);
        if let Some((body, content_type)) = &request.body {
            let content_type = HeaderValue::from_str(content_type)
                .map_err(|_| fail(format!("invalid Content-Type {content_type:?}")))?;
            headers.insert(CONTENT_TYPE, content_type);
            *outgoing.body_mut() = Some(body.clone().into());
        }
        if let Some(deadline) = deadline {
            // The rest of the overall deadline bounds this attempt, body included.
            *outgoing.timeout_mut() = Some(deadline.saturating_duration_since(Instant::now()));
        }
        let mut response = self.inner.http.execute(outgoing).await.map_err(transport)?;
        let status = response.status();
        // Taken, not cloned: reading the body needs none of them.
        let headers = std::mem::take(response.headers_mut());
        // A `reqwest::Client` built elsewhere may have followed a redirect to another origin;
        // one built by `http_client_builder` stops there and returns the redirect.
        let other_origin = if !same_origin(response.url(), url) {
            Some(response.url().clone())
        } else if status.is_redirection() {
            headers
                .get(LOCATION)
                .and_then(|v| v.to_str().ok())
                .and_then(|location| response.url().join(location).ok())
                .filter(|target| !same_origin(target, url))
        } else {
            None
        };
        if let Some(target) = other_origin {
            tracing::debug!(
                status = status.as_u16(),
                "redirect to another origin not followed"
            );
            return Err(Error::Redirect {
                operation,
                path_template,
                status,
                location: shown_location(&target),
            });
        }
        let max = self.inner.options.max_response_bytes;
        let too_large = || Error::ResponseTooLarge {
            operation,
            path_template,
            status,
            limit: max,
            request_id: super::PROFILE.request_id(&headers),
        };
        let max_read = usize::try_from(max).unwrap_or(usize::MAX);
        let success = status.is_success();
        let limit = if success {
            if response.content_length().is_some_and(|n| n > max) {
                return Err(too_large());
            }
            max_read
        } else {
            max_read.min(ERROR_BODY_READ_LIMIT)
        };
        let (body, complete) = read_body(&mut response, limit).await.map_err(transport)?;
        if success && !complete {
            return Err(too_large());
        }
        Ok(Received {
            operation,
            status,
            headers,
            body,
            complete,
        })
    }
}

/// How the success response of a call is read into the value it returns: [`Json`], [`Bytes`] or
/// [`Empty`].
// Only generated operations use this (none in the runtime crate itself).
#[allow(dead_code)]
pub(crate) trait Output: Send + 'static {
    /// What the call returns.
    type Value: Send + 'static;

    /// Reads the value from a success response.
    fn read<E>(received: &mut Received) -> Result<Self::Value, Error<E>>;
}

/// A JSON body of type `T`.
// Which outputs a client has depends on its spec.
#[allow(dead_code)]
pub(crate) struct Json<T>(std::marker::PhantomData<fn() -> T>);

impl<T: serde::de::DeserializeOwned + Send + 'static> Output for Json<T> {
    type Value = T;

    fn read<E>(received: &mut Received) -> Result<T, Error<E>> {
        received.decode()
    }
}

/// A body that is not JSON: its bytes.
// Which outputs a client has depends on its spec.
#[allow(dead_code)]
pub(crate) struct Bytes;

impl Output for Bytes {
    type Value = Vec<u8>;

    fn read<E>(received: &mut Received) -> Result<Vec<u8>, Error<E>> {
        Ok(std::mem::take(&mut received.body))
    }
}

/// No body of interest.
// Which outputs a client has depends on its spec.
#[allow(dead_code)]
pub(crate) struct Empty;

impl Output for Empty {
    type Value = ();

    fn read<E>(_: &mut Received) -> Result<(), Error<E>> {
        Ok(())
    }
}

/// A request builder of a generated operation: the client it sends with, the request it
/// builds, how its response is read and the body type of its errors. Every operation is sent by
/// the same generic code ([`send`], [`send_with_metadata`]); an operation only builds its
/// request.
// Only generated operations use this (none in the runtime crate itself).
#[allow(dead_code)]
pub(crate) trait Call: Send + Sized + 'static {
    /// How the success response is read.
    type Output: Output;
    /// The error body type.
    type Error: serde::de::DeserializeOwned + Send + 'static;

    /// The client the request is sent with.
    fn client(&self) -> &Client;

    /// The request: path, query, headers, body and `Accept`.
    fn build_request(&self) -> Result<Request, Error<Self::Error>>;
}

/// The value a call returns.
// Only generated operations use this (none in the runtime crate itself).
#[allow(dead_code)]
pub(crate) type Value<C> = <<C as Call>::Output as Output>::Value;

/// The future of a call (`send()`, `send_with_metadata()`, `send_page()`, `.await`), `Send +
/// 'static`: it may be given to `tokio::spawn`. Boxed by the runtime's generic send functions,
/// for every operation, so that the compiler proves it `Send` once, where an
/// `impl Future + Send` would have it look into the generic `async fn` behind it for each
/// operation.
pub type Pending<T, E> = Pin<Box<dyn Future<Output = Result<T, Error<E>>> + Send + 'static>>;

/// Sends the request `call` builds and returns its value, as a [`Pending`] future.
///
/// The boxing is done here, once for every operation: the compiler proves the future `Send`
/// for any `C: Call`, where boxing in each operation's `send` would have it prove that of the
/// `async fn` with each operation's type (a crate with hundreds of operations checked seconds
/// slower).
// Only clients with an operation call this.
#[allow(dead_code)]
pub(crate) fn send_boxed<C: Call>(call: C) -> Pending<Value<C>, C::Error> {
    Box::pin(send(call))
}

/// [`send_with_metadata`] as a [`Pending`] future, boxed here as [`send_boxed`] is.
// Only clients with an operation call this.
#[allow(dead_code)]
pub(crate) fn send_with_metadata_boxed<C: Call>(call: C) -> Pending<Response<Value<C>>, C::Error> {
    Box::pin(send_with_metadata(call))
}

/// Sends the request `call` builds and returns its value with the response's metadata.
// Only clients with an operation call this.
#[allow(dead_code)]
pub(crate) async fn send_with_metadata<C: Call>(
    call: C,
) -> Result<Response<Value<C>>, Error<C::Error>> {
    let request = call.build_request()?;
    let mut received = call.client().send(request).await?;
    if !received.status.is_success() {
        return Err(received.into_api_error());
    }
    let value = C::Output::read(&mut received)?;
    Ok(received.into_response(value))
}

/// Sends the request `call` builds and returns its value.
// Only clients with an operation call this.
#[allow(dead_code)]
pub(crate) async fn send<C: Call>(call: C) -> Result<Value<C>, Error<C::Error>> {
    // As `send_with_metadata`, without reading the metadata only to drop it.
    let request = call.build_request()?;
    let mut received = call.client().send(request).await?;
    if !received.status.is_success() {
        return Err(received.into_api_error());
    }
    C::Output::read(&mut received)
}

/// A `reqwest` client builder with the TLS provider installed, the redirect policy and no
/// `Referer`, without a connect timeout (see [`Client::http_client_builder`]).
pub(crate) fn base_http_client_builder() -> reqwest::ClientBuilder {
    let _ = rustls::crypto::ring::default_provider().install_default();
    reqwest::Client::builder()
        .redirect(redirect_policy())
        .referer(false)
}

/// Follows a redirect only to the origin (scheme, host and port) of the request, at most
/// [`MAX_REDIRECTS`] in a row. A redirect to another origin is not followed: the client
/// returns it and the runtime reports it as [`Error::Redirect`].
fn redirect_policy() -> reqwest::redirect::Policy {
    reqwest::redirect::Policy::custom(|attempt| {
        let same_origin = attempt
            .previous()
            .first()
            .is_some_and(|first| same_origin(first, attempt.url()));
        if !same_origin {
            attempt.stop()
        } else if attempt.previous().len() > MAX_REDIRECTS {
            attempt.error(TooManyRedirects)
        } else {
            attempt.follow()
        }
    })
}

/// More than [`MAX_REDIRECTS`] redirects in a row.
#[derive(Debug)]
struct TooManyRedirects;

impl fmt::Display for TooManyRedirects {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "more than {MAX_REDIRECTS} redirects")
    }
}

impl std::error::Error for TooManyRedirects {}

/// The header value of a `'static` text, without copying it; `None` when HTTP does not allow it
/// in a header (checked here as `HeaderValue::from_static` checks, so that it never panics).
fn static_header_value(text: &'static str) -> Option<HeaderValue> {
    text.bytes()
        .all(|b| b == b'\t' || (0x20..0x7f).contains(&b))
        .then(|| HeaderValue::from_static(text))
}

/// Whether `a` and `b` have the same origin, as `a.origin() == b.origin()` says for the URLs
/// a request can go to, without the strings each `origin()` allocates (checked once per call):
/// the same scheme, host and port (the scheme's default when none is given). The origin of a
/// URL of any other scheme is opaque, the same as no other.
fn same_origin(a: &Url, b: &Url) -> bool {
    matches!(a.scheme(), "http" | "https" | "ws" | "wss" | "ftp")
        && a.scheme() == b.scheme()
        && a.host() == b.host()
        && a.port_or_known_default() == b.port_or_known_default()
}

/// A URL for an error message: scheme, host, port and path; no user info, query or fragment.
fn shown_location(url: &Url) -> String {
    let mut shown = url.clone();
    shown.set_query(None);
    shown.set_fragment(None);
    let _ = shown.set_username("");
    let _ = shown.set_password(None);
    shown.to_string()
}

/// Reads at most `limit` bytes of a body, chunk by chunk; `false` when the body is longer (the
/// rest is not read, and the connection is not reused).
pub(crate) async fn read_body(
    response: &mut reqwest::Response,
    limit: usize,
) -> Result<(Vec<u8>, bool), reqwest::Error> {
    let expected = response
        .content_length()
        .map_or(0, |n| usize::try_from(n).unwrap_or(usize::MAX));
    let mut body = Vec::with_capacity(expected.min(limit).min(PREALLOCATE_LIMIT));
    while let Some(chunk) = response.chunk().await? {
        let room = limit.saturating_sub(body.len());
        if chunk.len() > room {
            body.extend_from_slice(chunk.get(..room).unwrap_or_default());
            return Ok((body, false));
        }
        body.extend_from_slice(&chunk);
    }
    Ok((body, true))
}

/// `okta-sdk-rust/<crate version>` (Okta's profile) or `<crate name>/<crate version>` (the
/// generic one), then `rust/<rustc version> <os>/<arch>` and the suffix. The rustc version is
/// `OKGEN_RUSTC_VERSION`, set at build time by okgen's build-script support; without it the
/// `rust/…` part is left out rather than guessed.
fn user_agent(suffix: Option<&str>) -> String {
    let mut agent = super::PROFILE.user_agent_product();
    if let Some(rustc) = option_env!("OKGEN_RUSTC_VERSION") {
        agent.push_str(" rust/");
        agent.push_str(rustc);
    }
    agent.push_str(&format!(
        " {}/{}",
        std::env::consts::OS,
        std::env::consts::ARCH
    ));
    if let Some(suffix) = suffix.map(str::trim).filter(|s| !s.is_empty()) {
        agent.push(' ');
        agent.push_str(suffix);
    }
    agent
}

fn header_u64(headers: &HeaderMap, name: &str) -> Option<u64> {
    headers.get(name)?.to_str().ok()?.trim().parse().ok()
}

/// The wait Okta asks for after a 429: `X-Rate-Limit-Reset − Date + 1 s`, on the server's
/// clock (`Date`; the local clock `now` when it is missing or invalid). `None` without a
/// valid `X-Rate-Limit-Reset`.
pub(crate) fn rate_limit_wait(headers: &HeaderMap, now: SystemTime) -> Option<Duration> {
    let reset = header_u64(headers, RATE_LIMIT_RESET)?;
    let date = headers
        .get(reqwest::header::DATE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| httpdate::parse_http_date(v).ok())
        .unwrap_or(now);
    let date = date.duration_since(UNIX_EPOCH).ok()?.as_secs();
    Some(Duration::from_secs(
        reset.saturating_sub(date).saturating_add(1),
    ))
}

/// `url` with an API key appended to its query (percent-encoded as the operation's own
/// parameters are), or `url` itself when the credentials have no query parameter.
#[cfg(not(okgen_profile = "okta"))]
fn with_query_credential(url: &Url, credential: Option<&(String, super::auth::Secret)>) -> Url {
    let mut url = url.clone();
    if let Some((name, value)) = credential {
        let pair = format!(
            "{}={}",
            utf8_percent_encode(name, PATH_SEGMENT),
            utf8_percent_encode(value.expose(), PATH_SEGMENT)
        );
        let query = match url.query() {
            Some(query) if !query.is_empty() => format!("{query}&{pair}"),
            _ => pair,
        };
        url.set_query(Some(&query));
    }
    url
}

/// Capped exponential backoff with jitter for retry `retries + 1`: a wait between half and
/// all of `min(BACKOFF_BASE × 2^retries, BACKOFF_CAP)`.
fn backoff(retries: u32) -> Duration {
    let full = BACKOFF_BASE
        .checked_mul(2u32.saturating_pow(retries))
        .map_or(BACKOFF_CAP, |d| d.min(BACKOFF_CAP));
    let half = full / 2;
    half + half.mul_f64(jitter())
}

/// A number in `[0, 1)`, different on each call (no RNG dependency: `RandomState` is seeded
/// randomly per process and per instance).
fn jitter() -> f64 {
    use std::hash::BuildHasher;
    let bits = std::collections::hash_map::RandomState::new().hash_one(Instant::now()) >> 11;
    bits as f64 / (1u64 << 53) as f64
}

fn millis(d: Duration) -> u64 {
    u64::try_from(d.as_millis()).unwrap_or(u64::MAX)
}

/// What a generated operation asks the client to send.
pub(crate) struct Request {
    pub(crate) operation: &'static str,
    pub(crate) method: Method,
    /// The spec's path template (`/api/v1/users/{userId}`), for logs.
    pub(crate) path_template: &'static str,
    /// The path, with parameters already encoded by [`path_segment`].
    pub(crate) path: String,
    /// Query pairs, name and value already percent-encoded by [`form::query`](super::form::query).
    pub(crate) query: Vec<(String, String)>,
    pub(crate) headers: Vec<(&'static str, String)>,
    /// The body and its `Content-Type`.
    pub(crate) body: Option<(Vec<u8>, String)>,
    /// The `Accept` header.
    pub(crate) accept: &'static str,
    /// Whether the client's credentials go with it: not for an operation that declares it
    /// needs none (`security: []`).
    pub(crate) credentials: bool,
}

impl Request {
    // Only generated operations call this (none in the runtime crate itself).
    #[allow(dead_code)]
    pub(crate) fn new(
        operation: &'static str,
        method: Method,
        path_template: &'static str,
        path: String,
    ) -> Self {
        Request {
            operation,
            method,
            path_template,
            path,
            query: Vec::new(),
            headers: Vec::new(),
            body: None,
            accept: "application/json",
            credentials: true,
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

    /// Sets an `application/x-www-form-urlencoded` body: the properties of `body`, each in
    /// its style (see [`form::body`](super::form::body)).
    // Only clients whose spec has a form body call this.
    #[allow(dead_code)]
    pub(crate) fn form<B: serde::Serialize, E>(
        mut self,
        body: &B,
        content_type: &str,
        encodings: &[(&str, super::form::Style, bool)],
    ) -> Result<Self, Error<E>> {
        let text = super::form::body(self.operation, body, encodings)?;
        self.body = Some((text.into_bytes(), content_type.to_owned()));
        Ok(self)
    }

    /// Sets a `multipart/form-data` body.
    // Only clients whose spec has a multipart form call this.
    #[allow(dead_code)]
    pub(crate) fn multipart(mut self, form: super::multipart::Multipart) -> Self {
        self.body = Some(form.finish());
        self
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
pub(crate) struct Received {
    operation: &'static str,
    status: StatusCode,
    headers: HeaderMap,
    /// The body, or its first bytes when `complete` is false (error responses only).
    body: Vec<u8>,
    complete: bool,
}

impl Received {
    fn request_id(&self) -> Option<String> {
        super::PROFILE.request_id(&self.headers)
    }

    fn into_response<T>(self, value: T) -> Response<T> {
        Response {
            value,
            status: self.status,
            request_id: self.request_id(),
            rate_limit: RateLimit::from_headers(&self.headers),
            headers: self.headers,
        }
    }

    fn decode<T: serde::de::DeserializeOwned, E>(&self) -> Result<T, Error<E>> {
        // Plain serde_json first: tracking the path costs allocations on every value, and is
        // only needed to say where a body that does not decode went wrong, so a failure decodes
        // once more with `serde_path_to_error` to find it.
        if let Ok(value) = serde_json::from_slice::<T>(&self.body) {
            return Ok(value);
        }
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
            headers: self.headers.clone(),
        })))
    }

    fn into_api_error<E: serde::de::DeserializeOwned>(self) -> Error<E> {
        // A cut body would not decode, or would decode to something it does not say.
        let body = if self.complete {
            serde_json::from_slice(&self.body).ok()
        } else {
            None
        };
        let mut raw_body = String::from_utf8_lossy(&self.body).into_owned();
        let raw_body_truncated = !self.complete || raw_body.len() > RAW_BODY_LIMIT;
        truncate_to(&mut raw_body, RAW_BODY_LIMIT);
        Error::Api(Box::new(ApiError {
            operation: self.operation,
            status: self.status,
            body,
            request_id: self.request_id(),
            raw_body,
            raw_body_truncated,
            headers: self.headers,
        }))
    }
}

/// The `Debug` of a request builder: its operation, method and path template, and the names of
/// the parameters (and the body) that are set, never their values (which hold identifiers, phone
/// numbers and the like: errors and tracing show only the operation and path template too).
/// `set` lists every name with whether it is set.
// Only clients with an operation call this.
#[allow(dead_code)]
pub(crate) fn debug_request(
    f: &mut fmt::Formatter<'_>,
    builder: &str,
    operation: &str,
    method: &str,
    path_template: &str,
    set: &[(&str, bool)],
) -> fmt::Result {
    /// The names that are set, as a list.
    struct Names<'a>(&'a [(&'a str, bool)]);

    impl fmt::Debug for Names<'_> {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.debug_list()
                .entries(self.0.iter().filter(|(_, set)| *set).map(|(name, _)| name))
                .finish()
        }
    }

    f.debug_struct(builder)
        .field("operation", &operation)
        .field("method", &method)
        .field("path_template", &path_template)
        .field("set", &Names(set))
        .finish()
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

/// A header map of `pairs` (values that are not header values are left out), for the unit
/// tests of this module and of `profile`.
#[cfg(test)]
pub(crate) fn test_headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
    let mut map = HeaderMap::new();
    for (name, value) in pairs {
        if let Ok(value) = HeaderValue::from_str(value) {
            map.insert(*name, value);
        }
    }
    map
}

#[cfg(test)]
mod tests {
    use super::*;

    use super::test_headers as headers;

    #[test]
    fn static_header_values_are_checked_before_they_are_made() {
        assert_eq!(
            static_header_value("application/json; charset=utf-8").map(|v| v.as_bytes().to_vec()),
            Some(b"application/json; charset=utf-8".to_vec())
        );
        assert!(static_header_value("a\tb").is_some());
        // What `HeaderValue::from_static` would panic on is refused instead.
        for bad in ["a\nb", "a\rb", "\u{7f}", "caf\u{e9}", "\0"] {
            assert!(static_header_value(bad).is_none(), "{bad:?}");
        }
    }

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
    fn origins_compare_as_url_compares_them() {
        let urls = [
            "https://example.okta.com/api/v1/users",
            "https://EXAMPLE.okta.com:443/other?q=1",
            "https://example.okta.com:8443/",
            "http://example.okta.com/",
            "http://example.okta.com:80/a",
            "https://user:secret@example.okta.com/",
            "https://other.okta.com/",
            "https://[::1]/",
            "https://[0:0:0:0:0:0:0:1]:443/",
            "https://127.0.0.1/",
            "wss://example.okta.com/",
            "file:///etc/hosts",
            "data:text/plain,hello",
        ];
        let parsed: Vec<Url> = urls
            .iter()
            .map(|u| Url::parse(u).unwrap_or_else(|e| panic!("{u}: {e}")))
            .collect();
        let mut same = 0;
        for a in &parsed {
            for b in &parsed {
                let expected = a.origin() == b.origin();
                assert_eq!(same_origin(a, b), expected, "{a} and {b}");
                same += usize::from(expected);
            }
        }
        // Each of the 11 tuple origins with itself (an opaque one equals none, not even
        // itself), and, both ways, the URLs that spell one origin differently: three for
        // `https://example.okta.com` (a port, a case, user info), two for `http://…:80`, two
        // for `[::1]`.
        assert_eq!(same, 11 + 3 * 2 + 2 + 2, "{same}");
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
    fn rate_limit_waits_use_the_server_clock_and_fall_back_to_the_local_one() {
        let now = UNIX_EPOCH + Duration::from_secs(1_000);
        let date = "Thu, 01 Jan 1970 00:16:40 GMT"; // 1 000 s
        let wait = |pairs: &[(&'static str, &str)]| rate_limit_wait(&headers(pairs), now);
        assert_eq!(
            wait(&[
                ("date", "Thu, 01 Jan 1970 00:16:30 GMT"),
                (RATE_LIMIT_RESET, "1005")
            ]),
            Some(Duration::from_secs(16)),
            "the server's Date, not the local clock"
        );
        assert_eq!(
            wait(&[(RATE_LIMIT_RESET, "1005")]),
            Some(Duration::from_secs(6)),
            "no Date: the local clock"
        );
        assert_eq!(
            wait(&[("date", "not a date"), (RATE_LIMIT_RESET, "1005")]),
            Some(Duration::from_secs(6))
        );
        assert_eq!(
            wait(&[("date", date), (RATE_LIMIT_RESET, "10")]),
            Some(Duration::from_secs(1)),
            "a reset in the past"
        );
        assert_eq!(wait(&[("date", date)]), None);
        assert_eq!(wait(&[(RATE_LIMIT_RESET, "-3")]), None);
        assert_eq!(
            wait(&[(RATE_LIMIT_RESET, "18446744073709551615")]),
            Some(Duration::from_secs(u64::MAX - 1_000 + 1))
        );
    }

    #[test]
    fn backoff_doubles_with_jitter_and_is_capped() {
        for retries in 0..40 {
            let full = (BACKOFF_BASE * 2u32.saturating_pow(retries.min(20))).min(BACKOFF_CAP);
            let wait = backoff(retries);
            assert!(wait >= full / 2 && wait <= full, "{retries}: {wait:?}");
        }
    }

    #[test]
    fn rate_limits_need_all_three_numeric_headers() {
        let full = headers(&[
            (RATE_LIMIT_LIMIT, "600"),
            (RATE_LIMIT_REMAINING, "12"),
            (RATE_LIMIT_RESET, "1700000000"),
        ]);
        assert_eq!(
            RateLimit::from_headers(&full),
            Some(RateLimit {
                limit: 600,
                remaining: 12,
                reset: 1_700_000_000
            })
        );
        let partial = headers(&[(RATE_LIMIT_LIMIT, "600"), (RATE_LIMIT_RESET, "1")]);
        assert_eq!(RateLimit::from_headers(&partial), None);
        let bad = headers(&[
            (RATE_LIMIT_LIMIT, "600"),
            (RATE_LIMIT_REMAINING, "many"),
            (RATE_LIMIT_RESET, "1"),
        ]);
        assert_eq!(RateLimit::from_headers(&bad), None);
    }

    #[test]
    fn user_agents_refuse_suffixes_that_are_not_header_values() {
        for bad in ["bad\nsuffix", "café/1"] {
            let options = ClientOptions {
                user_agent_suffix: Some(bad.into()),
                ..ClientOptions::default()
            };
            let http = Client::new("https://x.okta.com", Auth::None).map(|c| c.inner.http.clone());
            assert!(
                http.is_ok_and(|http| {
                    Client::with_options("https://x.okta.com", Auth::None, http, options).is_err()
                }),
                "{bad:?}"
            );
        }
        assert!(user_agent(Some("  ")).ends_with(std::env::consts::ARCH));
    }

    #[test]
    fn clients_are_shared_handles_that_move_between_tasks() {
        fn assert_handle<T: Clone + Send + Sync + 'static>(_: &T) {}
        let client = Client::new("https://x.okta.com", Auth::None);
        assert!(client.is_ok_and(|c| {
            assert_handle(&c);
            let clone = c.clone();
            let replaced = c.clone().with_sleeper(TokioSleeper);
            Arc::ptr_eq(&c.inner, &clone.inner) && !Arc::ptr_eq(&c.inner, &replaced.inner)
        }));
    }

    struct Builder(&'static [(&'static str, bool)]);

    impl fmt::Debug for Builder {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            debug_request(
                f,
                "GetUser",
                "getUser",
                "GET",
                "/api/v1/users/{userId}",
                self.0,
            )
        }
    }

    #[test]
    fn builders_debug_as_their_operation_and_the_names_that_are_set() {
        assert_eq!(
            format!(
                "{:?}",
                Builder(&[("userId", true), ("expand", false), ("body", true)])
            ),
            r#"GetUser { operation: "getUser", method: "GET", path_template: "/api/v1/users/{userId}", set: ["userId", "body"] }"#
        );
        assert_eq!(
            format!("{:?}", Builder(&[])),
            r#"GetUser { operation: "getUser", method: "GET", path_template: "/api/v1/users/{userId}", set: [] }"#
        );
    }

    #[test]
    fn debug_shows_no_secret() {
        let client = Client::new("https://x.okta.com", Auth::api_token("SECRET"));
        assert!(client.is_ok_and(|c| !format!("{c:?}").contains("SECRET")));
    }
}
