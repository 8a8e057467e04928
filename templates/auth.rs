//! How the client authenticates. Secrets never appear in `Debug` output.

use std::fmt;

#[cfg(not(okgen_profile = "okta"))]
use base64::Engine as _;
use reqwest::header::{HeaderName, HeaderValue, AUTHORIZATION};
use url::Url;

#[cfg(not(okgen_profile = "generic"))]
pub use super::private_key::{PrivateKey, PrivateKeyAuth, PrivateKeyConfig};

/// A secret string: a token, or a model field the spec marks `format: password` (such as a
/// temporary access code). Its `Debug` never shows the value; it serializes as the plain string.
#[derive(Clone, PartialEq, Eq, Hash)]
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

impl serde::Serialize for Secret {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.0)
    }
}

impl<'de> serde::Deserialize<'de> for Secret {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        String::deserialize(deserializer).map(Secret)
    }
}

/// The credentials sent with every request. Okta's profile has API tokens, access tokens and
/// private keys; the generic profile has access (bearer) tokens, HTTP basic credentials and API
/// keys, with a constructor for each security scheme the document declares.
#[derive(Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Auth {
    /// An Okta API token: `Authorization: SSWS <token>`.
    #[cfg(not(okgen_profile = "generic"))]
    ApiToken(Secret),
    /// An OAuth 2.0 access token, or any bearer token: `Authorization: Bearer <token>`.
    AccessToken(Secret),
    /// OAuth 2.0 client credentials with a `private_key_jwt` client assertion: access tokens are
    /// obtained from `{orgUrl}/oauth2/v1/token`, cached and refreshed before they expire.
    #[cfg(not(okgen_profile = "generic"))]
    PrivateKey(PrivateKeyAuth),
    /// HTTP basic authentication: `Authorization: Basic <base64 of username:password>`.
    #[cfg(not(okgen_profile = "okta"))]
    Basic {
        /// The user name (for some APIs, the key itself: redacted too).
        username: Secret,
        /// The password (may be empty).
        password: Secret,
    },
    /// An API key, in a header or a query parameter.
    #[cfg(not(okgen_profile = "okta"))]
    ApiKey(ApiKey),
    /// No credentials (for tests and proxies that add them).
    None,
}

impl Auth {
    /// API-token (SSWS) authentication.
    #[cfg(not(okgen_profile = "generic"))]
    pub fn api_token(token: impl Into<String>) -> Self {
        Auth::ApiToken(Secret::new(token))
    }

    /// Bearer access-token authentication.
    #[cfg(not(okgen_profile = "generic"))]
    pub fn access_token(token: impl Into<String>) -> Self {
        Auth::AccessToken(Secret::new(token))
    }

    /// Private key (OAuth 2.0 client credentials, `private_key_jwt`) authentication.
    #[cfg(not(okgen_profile = "generic"))]
    pub fn private_key(config: PrivateKeyConfig) -> Self {
        Auth::PrivateKey(PrivateKeyAuth::new(config))
    }

    /// The `Authorization` header value, marked sensitive so that `reqwest` and `http` never
    /// print it. `Err` when the token cannot be a header value (a control character in it).
    pub(crate) fn header_value(&self) -> Result<Option<HeaderValue>, String> {
        let (scheme, secret) = match self {
            #[cfg(not(okgen_profile = "generic"))]
            Auth::ApiToken(s) => ("SSWS", s),
            Auth::AccessToken(s) => ("Bearer", s),
            #[cfg(not(okgen_profile = "okta"))]
            Auth::Basic { username, password } => {
                let pair = format!("{}:{}", username.expose(), password.expose());
                let encoded = base64::engine::general_purpose::STANDARD.encode(pair);
                return authorization_header("Basic", &Secret::new(encoded)).map(Some);
            }
            _ => return Ok(None),
        };
        authorization_header(scheme, secret).map(Some)
    }
}

/// Where an API key goes.
#[cfg(not(okgen_profile = "okta"))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ApiKeyLocation {
    /// A request header.
    Header,
    /// A query parameter (never shown in errors or traces, like the rest of the query).
    Query,
}

/// An API key and the header or query parameter it is sent as. Its `Debug` shows where it goes,
/// never the key.
#[cfg(not(okgen_profile = "okta"))]
#[derive(Clone, PartialEq, Eq)]
pub struct ApiKey {
    name: String,
    location: ApiKeyLocation,
    value: Secret,
}

#[cfg(not(okgen_profile = "okta"))]
impl ApiKey {
    /// A key sent as the value of the header `name` (marked sensitive).
    pub fn header(name: impl Into<String>, value: impl Into<String>) -> Self {
        ApiKey {
            name: name.into(),
            location: ApiKeyLocation::Header,
            value: Secret::new(value),
        }
    }

    /// A key sent as the query parameter `name`, after the operation's own parameters.
    pub fn query(name: impl Into<String>, value: impl Into<String>) -> Self {
        ApiKey {
            name: name.into(),
            location: ApiKeyLocation::Query,
            value: Secret::new(value),
        }
    }

    /// The header's or the query parameter's name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Where the key goes.
    pub fn location(&self) -> ApiKeyLocation {
        self.location
    }

    fn credentials(&self) -> Result<Credentials, AuthError> {
        match self.location {
            ApiKeyLocation::Header => {
                let name = HeaderName::from_bytes(self.name.as_bytes()).map_err(|_| {
                    AuthError::new(format!(
                        "the API key's header name {:?} is not a valid HTTP header name",
                        self.name
                    ))
                })?;
                let mut value = HeaderValue::from_str(self.value.expose()).map_err(|_| {
                    AuthError::new("the API key contains characters not allowed in an HTTP header")
                })?;
                value.set_sensitive(true);
                Ok(Credentials {
                    header: Some((name, value)),
                    query: None,
                })
            }
            ApiKeyLocation::Query => Ok(Credentials {
                header: None,
                query: Some((self.name.clone(), self.value.clone())),
            }),
        }
    }
}

#[cfg(not(okgen_profile = "okta"))]
impl fmt::Debug for ApiKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ApiKey")
            .field("name", &self.name)
            .field("location", &self.location)
            .field("value", &self.value)
            .finish()
    }
}

/// What a request carries to authenticate: a header, and (generic profile) a query parameter.
/// The default carries nothing.
#[derive(Default)]
pub(crate) struct Credentials {
    /// A header and its value, marked sensitive.
    pub(crate) header: Option<(HeaderName, HeaderValue)>,
    /// A query parameter's name and value, not yet encoded.
    #[cfg(not(okgen_profile = "okta"))]
    pub(crate) query: Option<(String, Secret)>,
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

impl AuthError {
    pub(crate) fn new(message: impl Into<String>) -> Self {
        AuthError {
            message: message.into(),
            error: None,
            error_description: None,
            status: None,
        }
    }
}

/// `<scheme> <token>` as a sensitive header value.
pub(crate) fn authorization_header(scheme: &str, secret: &Secret) -> Result<HeaderValue, String> {
    let mut value =
        HeaderValue::from_str(&format!("{scheme} {}", secret.expose())).map_err(|_| {
            format!("the {scheme} token contains characters not allowed in an HTTP header")
        })?;
    value.set_sensitive(true);
    Ok(value)
}

impl Auth {
    /// The `Authorization` header for the next request to the org at `org_url`, for the
    /// credentials that go there (an API key goes in its own header or the query: `None`).
    /// Modes that obtain tokens (private key) fetch or refresh them here, through `http`.
    pub async fn authorization(
        &self,
        http: &reqwest::Client,
        org_url: &Url,
    ) -> Result<Option<HeaderValue>, AuthError> {
        #[cfg(not(okgen_profile = "generic"))]
        if let Auth::PrivateKey(auth) = self {
            return auth.authorization(http, org_url).await.map(Some);
        }
        #[cfg(okgen_profile = "generic")]
        let _ = (http, org_url);
        self.header_value().map_err(AuthError::new)
    }

    /// What the next request to `base_url` carries: [`authorization`](Self::authorization), or
    /// an API key's header or query parameter.
    pub(crate) async fn credentials(
        &self,
        http: &reqwest::Client,
        base_url: &Url,
    ) -> Result<Credentials, AuthError> {
        #[cfg(not(okgen_profile = "okta"))]
        if let Auth::ApiKey(key) = self {
            return key.credentials();
        }
        let header = self.authorization(http, base_url).await?;
        Ok(Credentials {
            header: header.map(|value| (AUTHORIZATION, value)),
            #[cfg(not(okgen_profile = "okta"))]
            query: None,
        })
    }

    /// Called after a 401: forgets cached credentials. Returns whether a retry with fresh
    /// credentials may succeed (only for modes that obtain tokens).
    pub fn invalidate(&self) -> bool {
        #[cfg(not(okgen_profile = "generic"))]
        if let Auth::PrivateKey(auth) = self {
            return auth.invalidate();
        }
        false
    }
}

impl fmt::Debug for Auth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            #[cfg(not(okgen_profile = "generic"))]
            Auth::ApiToken(_) => f.write_str("ApiToken(<redacted>)"),
            Auth::AccessToken(_) => f.write_str("AccessToken(<redacted>)"),
            #[cfg(not(okgen_profile = "generic"))]
            Auth::PrivateKey(auth) => f.debug_tuple("PrivateKey").field(auth).finish(),
            #[cfg(not(okgen_profile = "okta"))]
            Auth::Basic { .. } => f.write_str("Basic(<redacted>)"),
            #[cfg(not(okgen_profile = "okta"))]
            Auth::ApiKey(key) => f.debug_tuple("ApiKey").field(key).finish(),
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
        let basic = Auth::Basic {
            username: Secret::new("sk_live_USER"),
            password: Secret::new("PASS"),
        };
        assert_eq!(format!("{basic:?}"), "Basic(<redacted>)");
        let key = Auth::ApiKey(ApiKey::query("api_key", "KEY123"));
        let shown = format!("{key:?}");
        assert!(
            shown.contains("\"api_key\"") && shown.contains("Query"),
            "{shown}"
        );
        assert!(!shown.contains("KEY123"), "{shown}");
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

    #[test]
    fn basic_credentials_are_base64_of_user_colon_password() {
        let basic = Auth::Basic {
            username: Secret::new("Aladdin"),
            password: Secret::new("open sesame"),
        };
        let value = basic.header_value().ok().flatten();
        // RFC 7617's example.
        assert_eq!(
            value.as_ref().map(|v| v.as_bytes()),
            Some(&b"Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ=="[..])
        );
        assert!(value.is_some_and(|v| v.is_sensitive()));
    }

    #[test]
    fn api_keys_go_in_their_header_or_the_query() {
        let header = ApiKey::header("X-API-Key", "k1").credentials();
        let Ok(Credentials {
            header: Some((name, value)),
            query: None,
        }) = header
        else {
            panic!("a header");
        };
        assert_eq!(name.as_str(), "x-api-key");
        assert_eq!(value.as_bytes(), b"k1");
        assert!(value.is_sensitive());
        let query = ApiKey::query("api_key", "k 2").credentials();
        assert!(matches!(
            query,
            Ok(Credentials { header: None, query: Some((name, value)) })
                if name == "api_key" && value.expose() == "k 2"
        ));
        assert!(ApiKey::header("Bad Name", "k").credentials().is_err());
        assert!(ApiKey::header("X-Key", "bad\nkey").credentials().is_err());
        // An API key is no Authorization header.
        assert_eq!(
            Auth::ApiKey(ApiKey::header("Authorization", "k")).header_value(),
            Ok(None)
        );
    }
}
