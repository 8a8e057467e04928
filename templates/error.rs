//! Errors of API calls. Every error says which operation failed; errors with a response carry
//! its status, the request id (`X-Okta-Request-Id` from Okta, `X-Request-Id` or `Request-Id` from
//! other APIs) and the body.

use std::fmt;

use reqwest::header::HeaderMap;

use super::auth::AuthError;
use super::client::RateLimit;
use reqwest::StatusCode;

/// How much of a body a decode error quotes.
const BODY_START_CHARS: usize = 200;
/// How much of an error body [`ApiError::raw_body`] keeps (bytes, cut on a character boundary).
pub(crate) const RAW_BODY_LIMIT: usize = 4 * 1024;

/// An error from an API call. `E` is the operation's error body type (Okta's `Error` model for
/// Okta's APIs).
#[derive(Debug)]
#[non_exhaustive]
pub enum Error<E = serde_json::Value> {
    /// The server answered with a non-success status.
    Api(Box<ApiError<E>>),
    /// A success response whose body does not match the expected type.
    Decode(Box<DecodeError>),
    /// The request could not be sent, or the response could not be read (including a timeout:
    /// `source.is_timeout()`). Neither its `Display` nor its `Debug` shows the URL, whose path
    /// and query hold the call's identifiers and values: the operation and the path template
    /// name the call.
    Transport {
        /// The operation (`operationId`).
        operation: &'static str,
        /// The spec's path template (`/api/v1/users/{userId}`), never the filled-in path.
        path_template: &'static str,
        /// The underlying error, without its URL (`reqwest::Error::without_url`).
        source: reqwest::Error,
    },
    /// The server redirected the call to another origin (scheme, host or port), which the client
    /// does not follow: the request, its body and its `Authorization` would go to a host that is
    /// not the org.
    Redirect {
        /// The operation (`operationId`).
        operation: &'static str,
        /// The spec's path template.
        path_template: &'static str,
        /// The status of the redirect (or, when a `reqwest::Client` built elsewhere followed
        /// it, of the response from the other origin).
        status: StatusCode,
        /// Where it pointed: scheme, host, port and path, without query, fragment or user info.
        location: String,
    },
    /// The response body is larger than [`ClientOptions::max_response_bytes`](super::client::ClientOptions::max_response_bytes);
    /// reading stopped at the limit.
    ResponseTooLarge {
        /// The operation (`operationId`).
        operation: &'static str,
        /// The spec's path template.
        path_template: &'static str,
        /// The HTTP status.
        status: StatusCode,
        /// The limit in bytes.
        limit: u64,
        /// The request id (see [`Error::request_id`]).
        request_id: Option<String>,
    },
    /// Credentials could not be obtained (for example the token endpoint refused the client).
    Auth {
        /// The operation (`operationId`).
        operation: &'static str,
        /// Why.
        source: AuthError,
    },
    /// The request could not be built (for example a body that cannot be serialized).
    Request {
        /// The operation (`operationId`).
        operation: &'static str,
        /// What went wrong.
        message: String,
    },
}

/// A non-success response.
#[derive(Debug, Clone)]
pub struct ApiError<E> {
    /// The operation (`operationId`).
    pub operation: &'static str,
    /// The HTTP status.
    pub status: StatusCode,
    /// The error body decoded as the operation's error type, when it decodes.
    pub body: Option<E>,
    /// The request id, for support and log correlation (see [`Error::request_id`]).
    pub request_id: Option<String>,
    /// The response headers.
    pub headers: HeaderMap,
    /// The start of the body as received (lossily decoded as UTF-8): at most 4 KiB.
    pub raw_body: String,
    /// Whether the body was longer than [`raw_body`](Self::raw_body). An error body is read up to
    /// 64 KiB (or `max_response_bytes`, when smaller) and decoded into
    /// [`body`](Self::body) only when it was read whole.
    pub raw_body_truncated: bool,
}

/// A success response whose body does not decode.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecodeError {
    /// The operation (`operationId`).
    pub operation: &'static str,
    /// The HTTP status.
    pub status: StatusCode,
    /// The request id (see [`Error::request_id`]).
    pub request_id: Option<String>,
    /// Where in the body decoding failed (`[2].profile.phoneNumber`; `.` for the top level).
    pub path: String,
    /// What was wrong there.
    pub message: String,
    /// The first characters of the body.
    pub body_start: String,
    /// The response headers.
    pub headers: HeaderMap,
}

impl DecodeError {
    /// The rate-limit headers of the response, when it has all three.
    pub fn rate_limit(&self) -> Option<RateLimit> {
        RateLimit::from_headers(&self.headers)
    }
}

impl<E> ApiError<E> {
    /// The rate-limit headers of the response (`X-Rate-Limit-Limit`, `-Remaining`, `-Reset`),
    /// when it has all three.
    pub fn rate_limit(&self) -> Option<RateLimit> {
        RateLimit::from_headers(&self.headers)
    }
}

impl<E> Error<E> {
    /// The operation that failed.
    pub fn operation(&self) -> &'static str {
        match self {
            Error::Api(e) => e.operation,
            Error::Decode(e) => e.operation,
            Error::Transport { operation, .. }
            | Error::Redirect { operation, .. }
            | Error::ResponseTooLarge { operation, .. }
            | Error::Request { operation, .. }
            | Error::Auth { operation, .. } => operation,
        }
    }

    /// The spec's path template of the call (`/api/v1/users/{userId}`), for the errors of the
    /// wire: transport failures, redirects and oversized responses.
    pub fn path_template(&self) -> Option<&'static str> {
        match self {
            Error::Transport { path_template, .. }
            | Error::Redirect { path_template, .. }
            | Error::ResponseTooLarge { path_template, .. } => Some(path_template),
            _ => None,
        }
    }

    /// The HTTP status, when a response was received.
    pub fn status(&self) -> Option<StatusCode> {
        match self {
            Error::Api(e) => Some(e.status),
            Error::Decode(e) => Some(e.status),
            Error::Transport { source, .. } => source.status(),
            Error::Redirect { status, .. } | Error::ResponseTooLarge { status, .. } => {
                Some(*status)
            }
            Error::Request { .. } => None,
            Error::Auth { source, .. } => source.status.and_then(|s| StatusCode::from_u16(s).ok()),
        }
    }

    /// The request id, when a response was received: `X-Okta-Request-Id` (Okta's profile),
    /// `X-Request-Id` or `Request-Id` (the generic one).
    pub fn request_id(&self) -> Option<&str> {
        match self {
            Error::Api(e) => e.request_id.as_deref(),
            Error::Decode(e) => e.request_id.as_deref(),
            Error::ResponseTooLarge { request_id, .. } => request_id.as_deref(),
            _ => None,
        }
    }

    /// The response headers, when a response was received.
    pub fn headers(&self) -> Option<&HeaderMap> {
        match self {
            Error::Api(e) => Some(&e.headers),
            Error::Decode(e) => Some(&e.headers),
            _ => None,
        }
    }

    /// The rate-limit headers of the response (`X-Rate-Limit-Limit`, `-Remaining`, `-Reset`),
    /// when a response with all three was received (for example the last 429 once the retries
    /// ran out).
    pub fn rate_limit(&self) -> Option<RateLimit> {
        self.headers().and_then(RateLimit::from_headers)
    }

    /// The decoded error body, for [`Error::Api`].
    pub fn api_body(&self) -> Option<&E> {
        match self {
            Error::Api(e) => e.body.as_ref(),
            _ => None,
        }
    }
}

impl<E> fmt::Display for Error<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Api(e) => {
                write!(f, "{} failed with HTTP {}", e.operation, e.status)?;
                if let Some(id) = &e.request_id {
                    write!(f, " (request id {id})")?;
                }
                if !e.raw_body.is_empty() {
                    write!(f, ": {}", body_start(&e.raw_body))?;
                }
                Ok(())
            }
            Error::Decode(e) => {
                write!(
                    f,
                    "{}: cannot decode the HTTP {} response at `{}`: {}",
                    e.operation, e.status, e.path, e.message
                )?;
                if let Some(id) = &e.request_id {
                    write!(f, " (request id {id})")?;
                }
                write!(f, "; body starts: {}", e.body_start)
            }
            Error::Transport {
                operation,
                path_template,
                source,
            } => {
                // `source` has no URL; its causes (`connection refused`, `operation timed out`)
                // say what happened, so they are shown too.
                write!(f, "{operation} ({path_template}): request failed: {source}")?;
                let mut cause = std::error::Error::source(source);
                while let Some(e) = cause {
                    write!(f, ": {e}")?;
                    cause = e.source();
                }
                Ok(())
            }
            Error::Redirect {
                operation,
                path_template,
                status,
                location,
            } => write!(
                f,
                "{operation} ({path_template}): HTTP {status} redirect to another origin not followed: {location}"
            ),
            Error::ResponseTooLarge {
                operation,
                path_template,
                status,
                limit,
                request_id,
            } => {
                write!(
                    f,
                    "{operation} ({path_template}): the HTTP {status} response body is larger than the limit of {limit} bytes (max_response_bytes)"
                )?;
                if let Some(id) = request_id {
                    write!(f, " (request id {id})")?;
                }
                Ok(())
            }
            Error::Request { operation, message } => {
                write!(f, "{operation}: cannot build the request: {message}")
            }
            Error::Auth { operation, source } => {
                write!(f, "{operation}: cannot authenticate: {source}")
            }
        }
    }
}

impl<E: fmt::Debug> std::error::Error for Error<E> {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Transport { source, .. } => Some(source),
            Error::Auth { source, .. } => Some(source),
            _ => None,
        }
    }
}

/// An invalid client configuration.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigError {
    message: String,
}

impl ConfigError {
    pub(crate) fn new(message: impl Into<String>) -> Self {
        ConfigError {
            message: message.into(),
        }
    }
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "invalid client configuration: {}", self.message)
    }
}

impl std::error::Error for ConfigError {}

/// At most `limit` bytes of `text`, cut on a character boundary.
pub(crate) fn truncate_to(text: &mut String, limit: usize) {
    if text.len() > limit {
        let mut end = limit;
        while !text.is_char_boundary(end) {
            end -= 1;
        }
        text.truncate(end);
    }
}

/// The first characters of a body, for messages.
pub(crate) fn body_start(body: &str) -> String {
    let mut chars = body.chars();
    let start: String = chars.by_ref().take(BODY_START_CHARS).collect();
    if chars.next().is_some() {
        format!("{start}…")
    } else {
        start
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn body_start_cuts_long_bodies_on_char_boundaries() {
        let long = "é".repeat(300);
        let start = body_start(&long);
        assert_eq!(start.chars().count(), BODY_START_CHARS + 1);
        assert!(start.ends_with('…'));
        assert_eq!(body_start("short"), "short");
    }

    #[test]
    fn truncation_keeps_whole_characters() {
        let mut text = "aé".repeat(10);
        truncate_to(&mut text, 4);
        assert_eq!(text, "aéa");
        let mut short = "abc".to_owned();
        truncate_to(&mut short, 10);
        assert_eq!(short, "abc");
    }
}
