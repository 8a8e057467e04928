//! What both profiles' client builders share: the transport settings (timeouts, retries, the
//! response size cap, the user agent, the `reqwest` client) and how they become a [`Client`];
//! and the generic profile's [`ClientBuilder`]. Okta's builder, which also reads `okta.yaml` and
//! `OKTA_CLIENT_*`, is in `config`.

use std::fmt;
use std::time::Duration;

use super::auth::Auth;
use super::client::{base_http_client_builder, Client, ClientOptions, DEFAULT_CONNECT_TIMEOUT};
use super::error::ConfigError;

/// Transport settings a builder collects; unset ones keep [`ClientOptions`]' defaults.
#[derive(Clone, Default)]
pub(crate) struct Settings {
    pub(crate) request_timeout: Option<Duration>,
    pub(crate) connection_timeout: Option<Duration>,
    pub(crate) max_retries: Option<u32>,
    pub(crate) max_response_bytes: Option<u64>,
    pub(crate) user_agent_suffix: Option<String>,
    pub(crate) http_client: Option<reqwest::Client>,
}

impl Settings {
    /// Adds the settings to a builder's `Debug` (the HTTP client only as whether it is set).
    pub(crate) fn debug_fields(&self, d: &mut fmt::DebugStruct<'_, '_>) {
        d.field("request_timeout", &self.request_timeout)
            .field("connection_timeout", &self.connection_timeout)
            .field("max_retries", &self.max_retries)
            .field("max_response_bytes", &self.max_response_bytes)
            .field("user_agent_suffix", &self.user_agent_suffix)
            .field("http_client", &self.http_client.is_some());
    }

    /// The client for `base_url` with `auth` and these settings. `connection_setting` names
    /// where a connection timeout can be set, for the error when it is combined with a given
    /// `reqwest::Client`.
    pub(crate) fn build(
        self,
        base_url: &str,
        auth: Auth,
        connection_setting: &str,
    ) -> Result<Client, ConfigError> {
        let mut options = ClientOptions::default();
        if let Some(retries) = self.max_retries {
            options.max_retries = retries;
        }
        if let Some(timeout) = self.request_timeout {
            options.request_timeout = Some(timeout).filter(|t| !t.is_zero());
        }
        if let Some(bytes) = self.max_response_bytes {
            options.max_response_bytes = bytes;
        }
        options.user_agent_suffix = self.user_agent_suffix;
        let http = match self.http_client {
            Some(_) if self.connection_timeout.is_some() => {
                // Silently dropping it would leave the timeout the caller thinks is set unset.
                return Err(ConfigError::new(format!(
                    "a connection timeout ({connection_setting}) cannot apply to a given reqwest::Client: set it with Client::http_client_builder().connect_timeout(…)"
                )));
            }
            Some(http) => http,
            None => {
                let connect = self.connection_timeout.unwrap_or(DEFAULT_CONNECT_TIMEOUT);
                let mut builder = base_http_client_builder();
                if !connect.is_zero() {
                    builder = builder.connect_timeout(connect);
                }
                builder
                    .build()
                    .map_err(|e| ConfigError::new(format!("cannot build the HTTP client: {e}")))?
            }
        };
        Client::with_options(base_url, auth, http, options)
    }
}

/// The setters of the transport settings, the same on both profiles' builders.
macro_rules! settings_setters {
    () => {
        /// One deadline for a whole call, retries and waits included. Default 120 s; `0`
        /// means none.
        pub fn request_timeout(mut self, timeout: std::time::Duration) -> Self {
            self.settings.request_timeout = Some(timeout);
            self
        }

        /// How long opening a connection may take. Default 30 s; `0` means no limit. It is a
        /// setting of the HTTP client the builder makes, so it cannot be combined with
        /// [`http_client`](Self::http_client) (set it on that client's builder instead).
        pub fn connection_timeout(mut self, timeout: std::time::Duration) -> Self {
            self.settings.connection_timeout = Some(timeout);
            self
        }

        /// The most bytes of a response body read (see
        /// [`ClientOptions::max_response_bytes`](super::client::ClientOptions::max_response_bytes)).
        /// Default 16 MiB.
        pub fn max_response_bytes(mut self, bytes: u64) -> Self {
            self.settings.max_response_bytes = Some(bytes);
            self
        }

        /// Retries after a 429 or a transient failure.
        pub fn max_retries(mut self, retries: u32) -> Self {
            self.settings.max_retries = Some(retries);
            self
        }

        /// Text appended to the `User-Agent`.
        pub fn user_agent_suffix(mut self, suffix: impl Into<String>) -> Self {
            self.settings.user_agent_suffix = Some(suffix.into());
            self
        }

        /// The `reqwest::Client` to send with (proxies, TLS); by default a new one from
        /// [`Client::http_client_builder`](super::client::Client::http_client_builder) (rustls,
        /// the connect timeout, same-origin redirects only). Its connect timeout and redirect
        /// policy are the ones it was built with.
        pub fn http_client(mut self, http: reqwest::Client) -> Self {
            self.settings.http_client = Some(http);
            self
        }
    };
}
// For Okta's builder in `config`.
#[cfg(not(okgen_profile = "generic"))]
pub(crate) use settings_setters;

/// Settings for a [`Client`] of the generic profile: the base URL, the credentials and the
/// transport settings. `Debug` never shows a credential.
#[cfg(not(okgen_profile = "okta"))]
#[derive(Clone, Default)]
pub struct ClientBuilder {
    base_url: Option<String>,
    auth: Option<Auth>,
    settings: Settings,
}

#[cfg(not(okgen_profile = "okta"))]
impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut d = f.debug_struct("ClientBuilder");
        d.field("base_url", &self.base_url)
            .field("auth", &self.auth);
        self.settings.debug_fields(&mut d);
        d.finish()
    }
}

#[cfg(okgen_profile = "generic")]
impl Client {
    /// A builder with no settings: set [`base_url`](ClientBuilder::base_url) and
    /// [`auth`](ClientBuilder::auth), then [`build`](ClientBuilder::build).
    pub fn builder() -> ClientBuilder {
        ClientBuilder::new()
    }
}

#[cfg(not(okgen_profile = "okta"))]
impl ClientBuilder {
    /// A builder with no settings.
    pub fn new() -> Self {
        ClientBuilder::default()
    }

    /// The API's base URL, e.g. `https://api.example.com/v1` (checked by
    /// [`build`](Self::build) as [`Client::new`] checks it).
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = Some(url.into());
        self
    }

    /// The credentials sent with each request that asks for them (see the `Auth`
    /// constructors); `Auth::None` for an API that needs none.
    pub fn auth(mut self, auth: Auth) -> Self {
        self.auth = Some(auth);
        self
    }

    settings_setters!();

    /// Checks the settings and builds the client. A base URL and credentials are required.
    pub fn build(self) -> Result<Client, ConfigError> {
        let base_url = self
            .base_url
            .ok_or_else(|| ConfigError::new("no base URL: call .base_url(…)"))?;
        let auth = self.auth.ok_or_else(|| {
            ConfigError::new(
                "no credentials: call .auth(…) (Auth::None for an API that needs none)",
            )
        })?;
        self.settings
            .build(&base_url, auth, "ClientBuilder::connection_timeout")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_generic_builder_needs_a_base_url_and_credentials() {
        let missing_url = ClientBuilder::new().auth(Auth::None).build();
        assert!(matches!(&missing_url, Err(e) if e.to_string().contains("base URL")));
        let missing_auth = ClientBuilder::new()
            .base_url("https://api.example.com")
            .build();
        assert!(matches!(&missing_auth, Err(e) if e.to_string().contains("credentials")));
        let plain_http = ClientBuilder::new()
            .base_url("http://api.example.com")
            .auth(Auth::None)
            .build();
        assert!(plain_http.is_err(), "the base URL is checked");
    }

    #[test]
    fn the_generic_builder_applies_its_settings_and_hides_credentials() {
        let builder = ClientBuilder::new()
            .base_url("https://api.example.com/v1")
            .auth(Auth::AccessToken(super::super::auth::Secret::new(
                "tSECRET",
            )))
            .max_retries(5)
            .request_timeout(Duration::ZERO)
            .max_response_bytes(1024)
            .user_agent_suffix("tool/1");
        let shown = format!("{builder:?}");
        assert!(!shown.contains("tSECRET"), "{shown}");
        assert!(shown.contains("max_retries: Some(5)"), "{shown}");
        let client = builder.build();
        assert!(client.is_ok(), "{client:?}");
        let Ok(client) = client else { return };
        assert_eq!(client.base_url().as_str(), "https://api.example.com/v1");
        assert_eq!(client.options().max_retries, 5);
        assert_eq!(
            client.options().request_timeout,
            None,
            "0 means no deadline"
        );
        assert_eq!(client.options().max_response_bytes, 1024);
        assert!(
            client.user_agent().ends_with(" tool/1"),
            "{}",
            client.user_agent()
        );
    }

    #[test]
    fn a_connection_timeout_cannot_apply_to_a_given_http_client() {
        let http = Client::http_client_builder().build();
        assert!(http.is_ok());
        let Ok(http) = http else { return };
        let err = ClientBuilder::new()
            .base_url("https://api.example.com")
            .auth(Auth::None)
            .http_client(http)
            .connection_timeout(Duration::from_secs(3))
            .build();
        assert!(matches!(&err, Err(e) if e.to_string().contains("connect_timeout")));
    }
}
