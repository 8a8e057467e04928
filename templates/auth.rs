//! How the client authenticates. Secrets never appear in `Debug` output.

use std::fmt;

use reqwest::header::HeaderValue;
use url::Url;

/// A secret string (a token). Its `Debug` and `Display` never show the value.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    /// Wraps a secret value.
    pub fn new(value: impl Into<String>) -> Self {
        Secret(value.into())
    }

    /// The secret itself. Call this only where the value must be sent.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(<redacted>)")
    }
}

impl From<String> for Secret {
    fn from(value: String) -> Self {
        Secret(value)
    }
}

impl From<&str> for Secret {
    fn from(value: &str) -> Self {
        Secret(value.to_owned())
    }
}

/// The credentials sent with every request.
#[derive(Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Auth {
    /// An Okta API token: `Authorization: SSWS <token>`.
    ApiToken(Secret),
    /// An OAuth 2.0 access token: `Authorization: Bearer <token>`.
    AccessToken(Secret),
    /// No `Authorization` header (for tests and proxies that add it).
    None,
}

impl Auth {
    /// API-token (SSWS) authentication.
    pub fn api_token(token: impl Into<String>) -> Self {
        Auth::ApiToken(Secret::new(token))
    }

    /// Bearer access-token authentication.
    pub fn access_token(token: impl Into<String>) -> Self {
        Auth::AccessToken(Secret::new(token))
    }

    /// The `Authorization` header value, marked sensitive so that `reqwest` and `http` never
    /// print it. `Err` when the token cannot be a header value (a control character in it).
    pub(crate) fn header_value(&self) -> Result<Option<HeaderValue>, String> {
        let (scheme, secret) = match self {
            Auth::ApiToken(s) => ("SSWS", s),
            Auth::AccessToken(s) => ("Bearer", s),
            Auth::None => return Ok(None),
        };
        let mut value =
            HeaderValue::from_str(&format!("{scheme} {}", secret.expose())).map_err(|_| {
                format!("the {scheme} token contains characters not allowed in an HTTP header")
            })?;
        value.set_sensitive(true);
        Ok(Some(value))
    }
}

/// Why credentials could not be obtained (for example, the token endpoint refused the client).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuthError {
    /// What went wrong.
    pub message: String,
    /// The token endpoint's `error`, when it answered with one.
    pub error: Option<String>,
    /// The token endpoint's `error_description`.
    pub error_description: Option<String>,
    /// The token endpoint's HTTP status.
    pub status: Option<u16>,
}

impl fmt::Display for AuthError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)?;
        if let Some(error) = &self.error {
            write!(f, " ({error}")?;
            if let Some(description) = &self.error_description {
                write!(f, ": {description}")?;
            }
            f.write_str(")")?;
        }
        Ok(())
    }
}

impl std::error::Error for AuthError {}

impl Auth {
    /// The `Authorization` header for the next request to the org at `org_url`. Modes that
    /// obtain tokens (private key) fetch or refresh them here, through `http`.
    pub(crate) async fn authorization(
        &self,
        http: &reqwest::Client,
        org_url: &Url,
    ) -> Result<Option<HeaderValue>, AuthError> {
        let _ = (http, org_url);
        self.header_value().map_err(|message| AuthError {
            message,
            error: None,
            error_description: None,
            status: None,
        })
    }

    /// Called after a 401: forgets cached credentials. Returns whether a retry with fresh
    /// credentials may succeed (only for modes that obtain tokens).
    // Not called yet: the retry on 401 comes with the transport work.
    #[allow(dead_code)]
    pub(crate) fn invalidate(&self) -> bool {
        false
    }
}

impl fmt::Debug for Auth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Auth::ApiToken(_) => f.write_str("ApiToken(<redacted>)"),
            Auth::AccessToken(_) => f.write_str("AccessToken(<redacted>)"),
            Auth::None => f.write_str("None"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_never_shows_the_token() {
        let auth = Auth::api_token("00abcSECRETtoken");
        assert_eq!(format!("{auth:?}"), "ApiToken(<redacted>)");
        assert!(!format!("{:?}", Secret::new("s3cr3t")).contains("s3cr3t"));
    }

    #[test]
    fn header_values_use_the_okta_schemes_and_are_sensitive() {
        let value = Auth::api_token("tok").header_value().ok().flatten();
        assert_eq!(value.as_ref().map(|v| v.as_bytes()), Some(&b"SSWS tok"[..]));
        assert!(value.is_some_and(|v| v.is_sensitive()));
        let bearer = Auth::access_token("at").header_value().ok().flatten();
        assert_eq!(
            bearer.map(|v| v.as_bytes().to_vec()),
            Some(b"Bearer at".to_vec())
        );
        assert_eq!(Auth::None.header_value(), Ok(None));
        assert!(Auth::api_token("bad\ntoken").header_value().is_err());
    }
}
