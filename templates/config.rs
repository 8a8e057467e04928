//! Building a client from settings: explicit builder calls, the environment and `okta.yaml`
//! files (Okta's profile only).
//!
//! Precedence, lowest first: defaults < `~/.okta/okta.yaml` < `./okta.yaml` < environment
//! (`OKTA_CLIENT_*`) < explicit builder calls. A later layer replaces a setting only when it
//! sets it. `Debug` never shows a token or a private key.

use std::fmt;
use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::time::Duration;

use super::auth::{Auth, PrivateKey, PrivateKeyConfig, Secret};
use super::builder::{settings_setters, Settings};
use super::client::Client;
use super::error::ConfigError;
use super::profile::Profile;

/// Which credentials the client sends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum AuthorizationMode {
    /// An API token: `Authorization: SSWS <token>`.
    Ssws,
    /// An OAuth 2.0 access token: `Authorization: Bearer <token>`.
    Bearer,
    /// OAuth 2.0 client credentials with a private key (`private_key_jwt`).
    PrivateKey,
}

impl FromStr for AuthorizationMode {
    type Err = String;

    /// `SSWS`, `Bearer` or `PrivateKey`, in any case.
    fn from_str(s: &str) -> Result<Self, String> {
        match s.trim().to_ascii_lowercase().as_str() {
            "ssws" => Ok(AuthorizationMode::Ssws),
            "bearer" => Ok(AuthorizationMode::Bearer),
            "privatekey" => Ok(AuthorizationMode::PrivateKey),
            _ => Err(format!(
                "{s:?} is not an authorization mode (SSWS, Bearer or PrivateKey)"
            )),
        }
    }
}

/// Settings for a [`Client`], from builder calls, the environment and `okta.yaml` files.
#[derive(Clone, Default)]
pub struct ClientBuilder {
    org_url: Option<String>,
    token: Option<Secret>,
    authorization_mode: Option<AuthorizationMode>,
    client_id: Option<String>,
    scopes: Option<Vec<String>>,
    private_key: Option<Secret>,
    key_id: Option<String>,
    settings: Settings,
}

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let redacted = |set: bool| if set { Some("<redacted>") } else { None };
        let mut d = f.debug_struct("ClientBuilder");
        d.field("org_url", &self.org_url)
            .field("token", &redacted(self.token.is_some()))
            .field("authorization_mode", &self.authorization_mode)
            .field("client_id", &self.client_id)
            .field("scopes", &self.scopes)
            .field("private_key", &redacted(self.private_key.is_some()))
            .field("key_id", &self.key_id);
        self.settings.debug_fields(&mut d);
        d.finish()
    }
}

impl Client {
    /// A builder with no settings; see [`ClientBuilder::from_environment`] to start from the
    /// environment and `okta.yaml` files.
    pub fn builder() -> ClientBuilder {
        ClientBuilder::new()
    }
}

/// The environment variables read, in the order they are applied.
pub const ENVIRONMENT_VARIABLES: &[&str] = &[
    "OKTA_CLIENT_ORGURL",
    "OKTA_CLIENT_TOKEN",
    "OKTA_CLIENT_AUTHORIZATIONMODE",
    "OKTA_CLIENT_CLIENTID",
    "OKTA_CLIENT_SCOPES",
    "OKTA_CLIENT_PRIVATEKEY",
    "OKTA_CLIENT_PRIVATEKEYID",
    "OKTA_CLIENT_REQUESTTIMEOUT",
    "OKTA_CLIENT_CONNECTIONTIMEOUT",
    "OKTA_CLIENT_RATELIMIT_MAXRETRIES",
];

impl ClientBuilder {
    /// A builder with no settings.
    pub fn new() -> Self {
        ClientBuilder::default()
    }

    /// Settings from `~/.okta/okta.yaml`, then `./okta.yaml`, then the process environment
    /// (`OKTA_CLIENT_*`), each overriding the one before. Builder calls made afterwards
    /// override all of them. Files that do not exist are skipped.
    pub fn from_environment() -> Result<Self, ConfigError> {
        let mut files = Vec::new();
        if let Some(home) = std::env::var_os("HOME").or_else(|| std::env::var_os("USERPROFILE")) {
            files.push(PathBuf::from(home).join(".okta").join("okta.yaml"));
        }
        files.push(PathBuf::from("okta.yaml"));
        Self::from_sources(|name| std::env::var(name).ok(), &files)
    }

    /// Settings from the given `okta.yaml` files (in order, later ones overriding; missing
    /// files are skipped), then from `env` (a variable lookup, e.g. over a map in tests).
    pub fn from_sources(
        env: impl Fn(&str) -> Option<String>,
        files: &[PathBuf],
    ) -> Result<Self, ConfigError> {
        let mut builder = ClientBuilder::new();
        for file in files {
            builder.apply_file(file)?;
        }
        builder.apply_env(env)?;
        Ok(builder)
    }

    fn apply_env(&mut self, env: impl Fn(&str) -> Option<String>) -> Result<(), ConfigError> {
        let get = |name: &str| env(name).filter(|v| !v.trim().is_empty());
        let bad = |name: &str, message: String| ConfigError::new(format!("{name}: {message}"));
        if let Some(v) = get("OKTA_CLIENT_ORGURL") {
            self.org_url = Some(v.trim().to_owned());
        }
        if let Some(v) = get("OKTA_CLIENT_TOKEN") {
            self.token = Some(Secret::new(v.trim()));
        }
        if let Some(v) = get("OKTA_CLIENT_AUTHORIZATIONMODE") {
            let mode = v
                .parse()
                .map_err(|e| bad("OKTA_CLIENT_AUTHORIZATIONMODE", e))?;
            self.authorization_mode = Some(mode);
        }
        if let Some(v) = get("OKTA_CLIENT_CLIENTID") {
            self.client_id = Some(v.trim().to_owned());
        }
        if let Some(v) = get("OKTA_CLIENT_SCOPES") {
            self.scopes = Some(split_scopes(&v));
        }
        if let Some(v) = get("OKTA_CLIENT_PRIVATEKEY") {
            self.private_key = Some(Secret::new(v));
        }
        if let Some(v) = get("OKTA_CLIENT_PRIVATEKEYID") {
            self.key_id = Some(v.trim().to_owned());
        }
        if let Some(v) = get("OKTA_CLIENT_REQUESTTIMEOUT") {
            let seconds = parse_u64(&v).map_err(|e| bad("OKTA_CLIENT_REQUESTTIMEOUT", e))?;
            self.settings.request_timeout = Some(Duration::from_secs(seconds));
        }
        if let Some(v) = get("OKTA_CLIENT_CONNECTIONTIMEOUT") {
            let seconds = parse_u64(&v).map_err(|e| bad("OKTA_CLIENT_CONNECTIONTIMEOUT", e))?;
            self.settings.connection_timeout = Some(Duration::from_secs(seconds));
        }
        if let Some(v) = get("OKTA_CLIENT_RATELIMIT_MAXRETRIES") {
            let retries = parse_u64(&v)
                .and_then(|n| u32::try_from(n).map_err(|_| format!("{n} is too large")))
                .map_err(|e| bad("OKTA_CLIENT_RATELIMIT_MAXRETRIES", e))?;
            self.settings.max_retries = Some(retries);
        }
        Ok(())
    }

    /// Reads `okta.client.*` from an `okta.yaml` file, when it exists.
    fn apply_file(&mut self, path: &Path) -> Result<(), ConfigError> {
        let text = match std::fs::read_to_string(path) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
            Err(e) => {
                return Err(ConfigError::new(format!(
                    "cannot read {}: {e}",
                    path.display()
                )))
            }
        };
        let shown = path.display();
        let doc: serde_yaml::Value = serde_yaml::from_str(&text)
            .map_err(|e| ConfigError::new(format!("{shown}: not valid YAML: {e}")))?;
        let Some(client) = doc.get("okta").and_then(|o| o.get("client")) else {
            return Ok(());
        };
        let bad = |key: &str, message: String| {
            ConfigError::new(format!("{shown}: okta.client.{key}: {message}"))
        };
        let string = |key: &str| -> Result<Option<String>, ConfigError> {
            match client.get(key) {
                None | Some(serde_yaml::Value::Null) => Ok(None),
                Some(serde_yaml::Value::String(s)) => Ok(Some(s.clone())),
                Some(other) => Err(bad(key, format!("expected a string, got {}", kind(other)))),
            }
        };
        let number = |key: &str, value: Option<&serde_yaml::Value>| match value {
            None | Some(serde_yaml::Value::Null) => Ok(None),
            Some(serde_yaml::Value::Number(n)) => n
                .as_u64()
                .map(Some)
                .ok_or_else(|| bad(key, format!("expected a whole number ≥ 0, got {n}"))),
            Some(serde_yaml::Value::String(s)) => parse_u64(s).map(Some).map_err(|e| bad(key, e)),
            Some(other) => Err(bad(
                key,
                format!("expected a whole number, got {}", kind(other)),
            )),
        };
        if let Some(v) = string("orgUrl")? {
            self.org_url = Some(v.trim().to_owned());
        }
        if let Some(v) = string("token")? {
            self.token = Some(Secret::new(v.trim()));
        }
        if let Some(v) = string("authorizationMode")? {
            self.authorization_mode = Some(v.parse().map_err(|e| bad("authorizationMode", e))?);
        }
        if let Some(v) = string("clientId")? {
            self.client_id = Some(v.trim().to_owned());
        }
        match client.get("scopes") {
            None | Some(serde_yaml::Value::Null) => {}
            Some(serde_yaml::Value::String(s)) => self.scopes = Some(split_scopes(s)),
            Some(serde_yaml::Value::Sequence(items)) => {
                let mut scopes = Vec::with_capacity(items.len());
                for (i, item) in items.iter().enumerate() {
                    match item {
                        serde_yaml::Value::String(s) => scopes.push(s.trim().to_owned()),
                        other => {
                            return Err(bad(
                                &format!("scopes[{i}]"),
                                format!("expected a string, got {}", kind(other)),
                            ))
                        }
                    }
                }
                self.scopes = Some(scopes);
            }
            Some(other) => {
                return Err(bad(
                    "scopes",
                    format!(
                        "expected a list or a space-separated string, got {}",
                        kind(other)
                    ),
                ))
            }
        }
        if let Some(v) = string("privateKey")? {
            self.private_key = Some(Secret::new(v));
        }
        if let Some(v) = string("kid")? {
            self.key_id = Some(v.trim().to_owned());
        }
        if let Some(seconds) = number("requestTimeout", client.get("requestTimeout"))? {
            self.settings.request_timeout = Some(Duration::from_secs(seconds));
        }
        if let Some(seconds) = number("connectionTimeout", client.get("connectionTimeout"))? {
            self.settings.connection_timeout = Some(Duration::from_secs(seconds));
        }
        let retries = client.get("rateLimit").and_then(|r| r.get("maxRetries"));
        if let Some(n) = number("rateLimit.maxRetries", retries)? {
            let n = u32::try_from(n)
                .map_err(|_| bad("rateLimit.maxRetries", format!("{n} is too large")))?;
            self.settings.max_retries = Some(n);
        }
        Ok(())
    }

    /// The org's URL, e.g. `https://example.okta.com`.
    pub fn org_url(mut self, url: impl Into<String>) -> Self {
        self.org_url = Some(url.into());
        self
    }

    /// An API token; sets the mode to SSWS.
    pub fn api_token(mut self, token: impl Into<String>) -> Self {
        self.token = Some(Secret::new(token));
        self.authorization_mode = Some(AuthorizationMode::Ssws);
        self
    }

    /// An OAuth 2.0 access token; sets the mode to Bearer.
    pub fn access_token(mut self, token: impl Into<String>) -> Self {
        self.token = Some(Secret::new(token));
        self.authorization_mode = Some(AuthorizationMode::Bearer);
        self
    }

    /// The authorization mode. Without one: PrivateKey when a private key is set, else SSWS.
    pub fn authorization_mode(mut self, mode: AuthorizationMode) -> Self {
        self.authorization_mode = Some(mode);
        self
    }

    /// The OAuth service app's client id (private key mode).
    pub fn client_id(mut self, client_id: impl Into<String>) -> Self {
        self.client_id = Some(client_id.into());
        self
    }

    /// The scopes to request (private key mode).
    pub fn scopes<S: Into<String>>(mut self, scopes: impl IntoIterator<Item = S>) -> Self {
        self.scopes = Some(scopes.into_iter().map(Into::into).collect());
        self
    }

    /// The private key as PEM or JWK text (private key mode).
    pub fn private_key(mut self, key: impl Into<String>) -> Self {
        self.private_key = Some(Secret::new(key));
        self
    }

    /// The private key's id (`kid`), sent in the assertion's header.
    pub fn key_id(mut self, kid: impl Into<String>) -> Self {
        self.key_id = Some(kid.into());
        self
    }

    settings_setters!();

    /// The credentials these settings describe.
    pub fn auth(&self) -> Result<Auth, ConfigError> {
        let mode = self
            .authorization_mode
            .unwrap_or(if self.private_key.is_some() {
                AuthorizationMode::PrivateKey
            } else {
                AuthorizationMode::Ssws
            });
        let token = || {
            self.token.clone().ok_or_else(|| {
                ConfigError::new(format!(
                    "authorization mode {mode:?} needs a token (OKTA_CLIENT_TOKEN or okta.client.token)"
                ))
            })
        };
        Ok(match mode {
            AuthorizationMode::Ssws => Auth::ApiToken(token()?),
            AuthorizationMode::Bearer => Auth::AccessToken(token()?),
            AuthorizationMode::PrivateKey => {
                let client_id = self.client_id.as_deref().filter(|c| !c.is_empty()).ok_or_else(|| {
                    ConfigError::new(
                        "private key mode needs a client id (OKTA_CLIENT_CLIENTID or okta.client.clientId)",
                    )
                })?;
                let key_text = self.private_key.as_ref().ok_or_else(|| {
                    ConfigError::new(
                        "private key mode needs a private key (OKTA_CLIENT_PRIVATEKEY or okta.client.privateKey)",
                    )
                })?;
                let key = PrivateKey::parse(key_text.expose())
                    .map_err(|e| ConfigError::new(format!("private key: {e}")))?;
                let mut config = PrivateKeyConfig::new(client_id, key)
                    .scopes(self.scopes.clone().unwrap_or_default());
                if let Some(kid) = &self.key_id {
                    config = config.key_id(kid.clone());
                }
                Auth::private_key(config)
            }
        })
    }

    /// Checks the settings and builds the client.
    pub fn build(self) -> Result<Client, ConfigError> {
        let org_url = self.org_url.as_deref().ok_or_else(|| {
            ConfigError::new("no org URL (OKTA_CLIENT_ORGURL or okta.client.orgUrl)")
        })?;
        validate_org_url(org_url)?;
        let auth = self.auth()?;
        self.settings.build(
            org_url,
            auth,
            "OKTA_CLIENT_CONNECTIONTIMEOUT or okta.client.connectionTimeout",
        )
    }
}

/// Checks an org URL: `https://` (plain `http://` only for loopback hosts, for tests), not a
/// placeholder, not the `-admin` host.
pub fn validate_org_url(org_url: &str) -> Result<(), ConfigError> {
    Profile::Okta.validate_base_url(org_url)
}

/// Scopes separated by spaces or commas.
fn split_scopes(text: &str) -> Vec<String> {
    text.split(|c: char| c.is_whitespace() || c == ',')
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .collect()
}

fn parse_u64(text: &str) -> Result<u64, String> {
    text.trim()
        .parse()
        .map_err(|_| format!("expected a whole number ≥ 0, got {text:?}"))
}

fn kind(value: &serde_yaml::Value) -> &'static str {
    match value {
        serde_yaml::Value::Null => "null",
        serde_yaml::Value::Bool(_) => "a boolean",
        serde_yaml::Value::Number(_) => "a number",
        serde_yaml::Value::String(_) => "a string",
        serde_yaml::Value::Sequence(_) => "a list",
        serde_yaml::Value::Mapping(_) => "a mapping",
        serde_yaml::Value::Tagged(_) => "a tagged value",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn org_urls_are_checked() {
        assert!(validate_org_url("https://dev-1.okta.com").is_ok());
        assert!(validate_org_url("http://127.0.0.1:8080").is_ok());
        assert!(validate_org_url("http://dev-1.okta.com").is_err());
        assert!(validate_org_url("https://{yourOktaDomain}").is_err());
        assert!(validate_org_url("https://dev-1-admin.okta.com").is_err());
    }
}
