//! Okta's private key authentication: OAuth 2.0 client credentials with a `private_key_jwt`
//! client assertion, exchanged at `{orgUrl}/oauth2/v1/token` for access tokens that are cached
//! and refreshed before they expire. Secrets never appear in `Debug` output. (Okta's profile
//! only: a generic client has no such module.)

use std::fmt;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use base64::Engine as _;
use reqwest::header::HeaderValue;
use url::Url;

use super::auth::{authorization_header, AuthError, Secret};

/// The client assertion type of `private_key_jwt` (RFC 7523).
const ASSERTION_TYPE: &str = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

/// How long a token request may take: a token endpoint that hangs must not hang every call.
const TOKEN_REQUEST_TIMEOUT: Duration = Duration::from_secs(30);

/// The most bytes of a token response read: a token is a few KB.
const TOKEN_RESPONSE_LIMIT: usize = 64 * 1024;

/// The longest client assertion lifetime Okta accepts.
const MAX_ASSERTION_LIFETIME: Duration = Duration::from_secs(60 * 60);

/// A private key that signs client assertions: RSA (RS256) or EC P-256 (ES256). Its `Debug`
/// never shows the key.
#[derive(Clone)]
pub struct PrivateKey {
    algorithm: jsonwebtoken::Algorithm,
    key: jsonwebtoken::EncodingKey,
}

impl fmt::Debug for PrivateKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "PrivateKey({:?}, <redacted>)", self.algorithm)
    }
}

impl PrivateKey {
    /// Reads a key given as text: a JWK (JSON, `kty` `RSA` or `EC`) or PEM (`RSA PRIVATE KEY`
    /// (PKCS#1), `EC PRIVATE KEY` (SEC1) or `PRIVATE KEY` (PKCS#8)).
    pub fn parse(text: &str) -> Result<Self, AuthError> {
        if text.trim_start().starts_with('{') {
            Self::from_jwk(text)
        } else {
            Self::from_pem(text)
        }
    }

    /// Reads a PEM private key (PKCS#1 or PKCS#8 RSA; SEC1 or PKCS#8 EC P-256).
    pub fn from_pem(pem: &str) -> Result<Self, AuthError> {
        let bad = |e: jsonwebtoken::errors::Error| {
            AuthError::new(format!("the private key is not a usable PEM key: {e}"))
        };
        let key = if pem.contains("-----BEGIN RSA PRIVATE KEY-----") {
            PrivateKey::rsa(jsonwebtoken::EncodingKey::from_rsa_pem(pem.as_bytes()).map_err(bad)?)
        } else if pem.contains("-----BEGIN EC PRIVATE KEY-----") {
            let sec1 = pem_body(pem, "EC PRIVATE KEY")?;
            PrivateKey::ec(jsonwebtoken::EncodingKey::from_ec_der(&sec1_to_pkcs8(
                &sec1,
            )))
        } else if pem.contains("-----BEGIN PRIVATE KEY-----") {
            match jsonwebtoken::EncodingKey::from_rsa_pem(pem.as_bytes()) {
                Ok(key) => PrivateKey::rsa(key),
                Err(_) => PrivateKey::ec(
                    jsonwebtoken::EncodingKey::from_ec_pem(pem.as_bytes()).map_err(bad)?,
                ),
            }
        } else {
            return Err(AuthError::new(
                "the private key is not PEM (`-----BEGIN RSA PRIVATE KEY-----`, `-----BEGIN EC PRIVATE KEY-----` or `-----BEGIN PRIVATE KEY-----`) nor a JWK",
            ));
        };
        key.check()
    }

    /// Reads a private JWK: `kty` `RSA` (`n`, `e`, `d`, `p`, `q`, `dp`, `dq`, `qi`) or `EC`
    /// with `crv` `P-256` (`d`).
    pub fn from_jwk(json: &str) -> Result<Self, AuthError> {
        let jwk: Jwk = serde_json::from_str(json)
            .map_err(|e| AuthError::new(format!("the private key is not a valid JWK: {e}")))?;
        let key = match jwk.kty.as_str() {
            "RSA" => {
                let mut fields = Vec::with_capacity(9);
                fields.push(vec![0]);
                for (name, value) in [
                    ("n", &jwk.n),
                    ("e", &jwk.e),
                    ("d", &jwk.d),
                    ("p", &jwk.p),
                    ("q", &jwk.q),
                    ("dp", &jwk.dp),
                    ("dq", &jwk.dq),
                    ("qi", &jwk.qi),
                ] {
                    fields.push(jwk_bytes(name, value)?);
                }
                let body: Vec<u8> = fields.iter().flat_map(|f| der_integer(f)).collect();
                PrivateKey::rsa(jsonwebtoken::EncodingKey::from_rsa_der(&der(0x30, &body)))
            }
            "EC" => {
                if jwk.crv.as_deref() != Some("P-256") {
                    return Err(AuthError::new(format!(
                        "the JWK's curve {:?} is not supported (only P-256, for ES256)",
                        jwk.crv
                    )));
                }
                let d = jwk_bytes("d", &jwk.d)?;
                if d.len() != 32 {
                    return Err(AuthError::new("the JWK's `d` is not a P-256 private key"));
                }
                // SEC1 ECPrivateKey { version 1, privateKey d }, then PKCS#8 around it.
                let mut sec1 = der_integer(&[1]);
                sec1.extend(der(0x04, &d));
                PrivateKey::ec(jsonwebtoken::EncodingKey::from_ec_der(&sec1_to_pkcs8(
                    &der(0x30, &sec1),
                )))
            }
            other => {
                return Err(AuthError::new(format!(
                    "the JWK's kty {other:?} is not supported (RSA or EC)"
                )))
            }
        };
        key.check()
    }

    fn rsa(key: jsonwebtoken::EncodingKey) -> Self {
        PrivateKey {
            algorithm: jsonwebtoken::Algorithm::RS256,
            key,
        }
    }

    fn ec(key: jsonwebtoken::EncodingKey) -> Self {
        PrivateKey {
            algorithm: jsonwebtoken::Algorithm::ES256,
            key,
        }
    }

    /// The algorithm assertions are signed with (`RS256` or `ES256`).
    pub fn algorithm(&self) -> &'static str {
        match self.algorithm {
            jsonwebtoken::Algorithm::ES256 => "ES256",
            _ => "RS256",
        }
    }

    /// Signs a test message, so that a key that cannot sign is refused when it is configured.
    fn check(self) -> Result<Self, AuthError> {
        let header = jsonwebtoken::Header::new(self.algorithm);
        jsonwebtoken::encode(&header, &serde_json::json!({}), &self.key).map_err(|e| {
            AuthError::new(format!(
                "the private key cannot sign {}: {e}",
                self.algorithm()
            ))
        })?;
        Ok(self)
    }
}

/// The fields of a private JWK that are read.
#[derive(serde::Deserialize)]
struct Jwk {
    kty: String,
    crv: Option<String>,
    n: Option<String>,
    e: Option<String>,
    d: Option<String>,
    p: Option<String>,
    q: Option<String>,
    dp: Option<String>,
    dq: Option<String>,
    qi: Option<String>,
}

fn jwk_bytes(name: &str, value: &Option<String>) -> Result<Vec<u8>, AuthError> {
    let value = value
        .as_deref()
        .ok_or_else(|| AuthError::new(format!("the JWK has no `{name}`")))?;
    base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(value.trim_end_matches('='))
        .map_err(|e| AuthError::new(format!("the JWK's `{name}` is not base64url: {e}")))
}

/// The DER bytes between `-----BEGIN {label}-----` and `-----END {label}-----`.
fn pem_body(pem: &str, label: &str) -> Result<Vec<u8>, AuthError> {
    let begin = format!("-----BEGIN {label}-----");
    let end = format!("-----END {label}-----");
    let body = pem
        .split_once(&begin)
        .and_then(|(_, rest)| rest.split_once(&end))
        .map(|(body, _)| body)
        .ok_or_else(|| AuthError::new(format!("the PEM key has no {end} line")))?;
    let text: String = body.chars().filter(|c| !c.is_whitespace()).collect();
    base64::engine::general_purpose::STANDARD
        .decode(text)
        .map_err(|e| AuthError::new(format!("the PEM key is not valid base64: {e}")))
}

/// A DER element: tag, length, content.
fn der(tag: u8, content: &[u8]) -> Vec<u8> {
    let mut out = vec![tag];
    let len = content.len();
    if len < 0x80 {
        out.push(len as u8);
    } else {
        let bytes: Vec<u8> = len
            .to_be_bytes()
            .iter()
            .copied()
            .skip_while(|b| *b == 0)
            .collect();
        out.push(0x80 | bytes.len() as u8);
        out.extend(bytes);
    }
    out.extend_from_slice(content);
    out
}

/// A DER INTEGER of an unsigned big-endian number.
fn der_integer(unsigned: &[u8]) -> Vec<u8> {
    let trimmed: Vec<u8> = unsigned.iter().copied().skip_while(|b| *b == 0).collect();
    let mut content = Vec::with_capacity(trimmed.len() + 1);
    if trimmed.first().is_none_or(|b| b & 0x80 != 0) {
        content.push(0);
    }
    content.extend(trimmed);
    der(0x02, &content)
}

/// Wraps a SEC1 `ECPrivateKey` in PKCS#8 for the P-256 curve.
fn sec1_to_pkcs8(sec1: &[u8]) -> Vec<u8> {
    // AlgorithmIdentifier { id-ecPublicKey, prime256v1 }
    const ALGORITHM: &[u8] = &[
        0x30, 0x13, 0x06, 0x07, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01, 0x06, 0x08, 0x2a, 0x86,
        0x48, 0xce, 0x3d, 0x03, 0x01, 0x07,
    ];
    let mut body = der_integer(&[0]);
    body.extend_from_slice(ALGORITHM);
    body.extend(der(0x04, sec1));
    der(0x30, &body)
}

/// What private key authentication needs: the OAuth client id, its key, the scopes to ask for.
#[derive(Clone)]
pub struct PrivateKeyConfig {
    client_id: String,
    key: PrivateKey,
    key_id: Option<String>,
    scopes: Vec<String>,
    refresh_skew: Duration,
    assertion_lifetime: Duration,
}

impl fmt::Debug for PrivateKeyConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PrivateKeyConfig")
            .field("client_id", &self.client_id)
            .field("key", &self.key)
            .field("key_id", &self.key_id)
            .field("scopes", &self.scopes)
            .field("refresh_skew", &self.refresh_skew)
            .field("assertion_lifetime", &self.assertion_lifetime)
            .finish()
    }
}

impl PrivateKeyConfig {
    /// The OAuth service app's client id and its private key. Defaults: no scopes, no `kid`,
    /// tokens refreshed 5 minutes before they expire, assertions valid for 5 minutes.
    pub fn new(client_id: impl Into<String>, key: PrivateKey) -> Self {
        PrivateKeyConfig {
            client_id: client_id.into(),
            key,
            key_id: None,
            scopes: Vec::new(),
            refresh_skew: Duration::from_secs(5 * 60),
            assertion_lifetime: Duration::from_secs(5 * 60),
        }
    }

    /// The scopes to request (`okta.users.read`, …), sent space-separated.
    pub fn scopes<S: Into<String>>(mut self, scopes: impl IntoIterator<Item = S>) -> Self {
        self.scopes = scopes.into_iter().map(Into::into).collect();
        self
    }

    /// The key id (`kid`) put in the assertion's header.
    pub fn key_id(mut self, kid: impl Into<String>) -> Self {
        self.key_id = Some(kid.into());
        self
    }

    /// How long before its expiry a cached token is replaced.
    pub fn refresh_skew(mut self, skew: Duration) -> Self {
        self.refresh_skew = skew;
        self
    }

    /// How long a client assertion is valid (at most 60 minutes; longer is cut to 60).
    pub fn assertion_lifetime(mut self, lifetime: Duration) -> Self {
        self.assertion_lifetime = lifetime.min(MAX_ASSERTION_LIFETIME);
        self
    }

    /// The client id.
    pub fn client_id(&self) -> &str {
        &self.client_id
    }
}

/// Private key authentication with its token cache. Clones share the cache.
#[derive(Clone)]
pub struct PrivateKeyAuth {
    inner: Arc<PrivateKeyState>,
}

struct PrivateKeyState {
    config: PrivateKeyConfig,
    /// The cached token. Read without waiting; replaced only under `refresh`.
    cached: Mutex<Option<CachedToken>>,
    /// Held while a token is fetched, so that concurrent callers wait for one request.
    refresh: tokio::sync::Mutex<()>,
}

#[derive(Clone)]
struct CachedToken {
    header: HeaderValue,
    /// When to stop using it (its expiry less the skew).
    refresh_at: Instant,
}

impl PartialEq for PrivateKeyAuth {
    fn eq(&self, other: &Self) -> bool {
        Arc::ptr_eq(&self.inner, &other.inner)
    }
}

impl Eq for PrivateKeyAuth {}

impl fmt::Debug for PrivateKeyAuth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.inner.config.fmt(f)
    }
}

/// The claims of a client assertion.
#[derive(serde::Serialize)]
struct Claims<'a> {
    iss: &'a str,
    sub: &'a str,
    aud: &'a str,
    iat: u64,
    exp: u64,
    jti: String,
}

/// A token endpoint response, success or error.
#[derive(serde::Deserialize)]
struct TokenResponse {
    access_token: Option<String>,
    token_type: Option<String>,
    expires_in: Option<u64>,
    error: Option<String>,
    error_description: Option<String>,
}

impl PrivateKeyAuth {
    /// Private key authentication with an empty token cache.
    pub fn new(config: PrivateKeyConfig) -> Self {
        PrivateKeyAuth {
            inner: Arc::new(PrivateKeyState {
                config,
                cached: Mutex::new(None),
                refresh: tokio::sync::Mutex::new(()),
            }),
        }
    }

    fn cached(&self) -> Option<HeaderValue> {
        let cached = self
            .inner
            .cached
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        cached
            .as_ref()
            .filter(|t| Instant::now() < t.refresh_at)
            .map(|t| t.header.clone())
    }

    /// The `Authorization` header: the cached token, or a new one (one request at a time).
    pub(crate) async fn authorization(
        &self,
        http: &reqwest::Client,
        org_url: &Url,
    ) -> Result<HeaderValue, AuthError> {
        if let Some(header) = self.cached() {
            return Ok(header);
        }
        let _refreshing = self.inner.refresh.lock().await;
        // Another caller may have fetched one while this one waited.
        if let Some(header) = self.cached() {
            return Ok(header);
        }
        let token = self.fetch(http, org_url).await?;
        let header = token.header.clone();
        *self
            .inner
            .cached
            .lock()
            .unwrap_or_else(PoisonError::into_inner) = Some(token);
        Ok(header)
    }

    /// Forgets the cached token; the next call fetches a new one.
    pub(crate) fn invalidate(&self) -> bool {
        *self
            .inner
            .cached
            .lock()
            .unwrap_or_else(PoisonError::into_inner) = None;
        true
    }

    /// A signed client assertion for the token endpoint `audience`.
    fn assertion(&self, audience: &str) -> Result<String, AuthError> {
        let config = &self.inner.config;
        let now = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_err(|_| AuthError::new("the system clock is before 1970"))?
            .as_secs();
        let claims = Claims {
            iss: &config.client_id,
            sub: &config.client_id,
            aud: audience,
            iat: now,
            exp: now + config.assertion_lifetime.as_secs(),
            jti: random_id()?,
        };
        let mut header = jsonwebtoken::Header::new(config.key.algorithm);
        header.kid.clone_from(&config.key_id);
        jsonwebtoken::encode(&header, &claims, &config.key.key)
            .map_err(|e| AuthError::new(format!("cannot sign the client assertion: {e}")))
    }

    /// Requests a token from `{org_url}/oauth2/v1/token`.
    async fn fetch(&self, http: &reqwest::Client, org_url: &Url) -> Result<CachedToken, AuthError> {
        let config = &self.inner.config;
        let endpoint = format!("{}/oauth2/v1/token", org_url.as_str().trim_end_matches('/'));
        let assertion = self.assertion(&endpoint)?;
        // The serializer is not `Send`: it must not live across an `.await`.
        let body = {
            let mut form = url::form_urlencoded::Serializer::new(String::new());
            form.append_pair("grant_type", "client_credentials");
            if !config.scopes.is_empty() {
                form.append_pair("scope", &config.scopes.join(" "));
            }
            form.append_pair("client_assertion_type", ASSERTION_TYPE)
                .append_pair("client_assertion", &assertion)
                .finish()
        };
        let started = Instant::now();
        let response = http
            .post(&endpoint)
            .timeout(TOKEN_REQUEST_TIMEOUT)
            .header(reqwest::header::ACCEPT, "application/json")
            .header(
                reqwest::header::CONTENT_TYPE,
                "application/x-www-form-urlencoded",
            )
            .body(body)
            .send()
            .await
            .map_err(|e| {
                AuthError::new(format!(
                    "token request to {endpoint} failed: {}",
                    e.without_url()
                ))
            })?;
        let mut response = response;
        let status = response.status();
        if response.url().origin() != org_url.origin() {
            // A `reqwest::Client` built elsewhere followed a redirect away from the org.
            return Err(AuthError {
                status: Some(status.as_u16()),
                ..AuthError::new(format!(
                    "the token endpoint {endpoint} redirected to another origin"
                ))
            });
        }
        let (bytes, complete) = super::client::read_body(&mut response, TOKEN_RESPONSE_LIMIT)
            .await
            .map_err(|e| AuthError {
                status: Some(status.as_u16()),
                ..AuthError::new(format!("cannot read the token response: {e}"))
            })?;
        if !complete {
            return Err(AuthError {
                status: Some(status.as_u16()),
                ..AuthError::new(format!(
                    "the token response is larger than {TOKEN_RESPONSE_LIMIT} bytes"
                ))
            });
        }
        let parsed: Option<TokenResponse> = serde_json::from_slice(&bytes).ok();
        let fail = |message: String| AuthError {
            message,
            error: parsed.as_ref().and_then(|p| p.error.clone()),
            error_description: parsed.as_ref().and_then(|p| p.error_description.clone()),
            status: Some(status.as_u16()),
        };
        if !status.is_success() {
            return Err(fail(format!(
                "the token endpoint {endpoint} answered HTTP {status}"
            )));
        }
        let Some(TokenResponse {
            access_token: Some(token),
            token_type,
            expires_in,
            ..
        }) = parsed.as_ref()
        else {
            return Err(fail(format!(
                "the token endpoint {endpoint} answered without an access_token"
            )));
        };
        let scheme = match token_type.as_deref() {
            Some(t) if t.eq_ignore_ascii_case("dpop") => {
                return Err(fail(
                    "the token endpoint issued a DPoP-bound token, which this client does not support (turn off DPoP for the app)".to_owned(),
                ))
            }
            _ => "Bearer",
        };
        let header = authorization_header(scheme, &Secret::new(token.as_str())).map_err(fail)?;
        let lifetime = Duration::from_secs(expires_in.unwrap_or(3600));
        let refresh_at = started + lifetime.saturating_sub(config.refresh_skew);
        Ok(CachedToken { header, refresh_at })
    }
}

/// A random id (128 bits, hex) for `jti`.
fn random_id() -> Result<String, AuthError> {
    let mut bytes = [0u8; 16];
    rustls::crypto::ring::default_provider()
        .secure_random
        .fill(&mut bytes)
        .map_err(|_| AuthError::new("no random numbers for the assertion's jti"))?;
    Ok(bytes.iter().map(|b| format!("{b:02x}")).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn der_integers_are_minimal_and_non_negative() {
        assert_eq!(der_integer(&[0, 0, 5]), vec![2, 1, 5]);
        assert_eq!(der_integer(&[0x80]), vec![2, 2, 0, 0x80]);
        assert_eq!(der_integer(&[0]), vec![2, 1, 0]);
        assert_eq!(der(0x04, &[0; 200])[..3], [0x04, 0x81, 200]);
        assert_eq!(der(0x30, &[0; 300])[..4], [0x30, 0x82, 1, 44]);
    }

    #[test]
    fn private_key_debug_is_redacted() {
        let err = PrivateKey::parse(
            "-----BEGIN RSA PRIVATE KEY-----\nAAAA\n-----END RSA PRIVATE KEY-----",
        );
        assert!(err.is_err_and(|e| !e.message.contains("AAAA")));
    }
}
