//! The conventions a client follows: Okta's, or the generic ones of any other API. okgen decides
//! from the document (or the configuration's `profile:`) and writes the choice as
//! [`PROFILE`](super::PROFILE); the client reads it here.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use reqwest::header::{HeaderMap, HeaderValue, RETRY_AFTER};
use url::{Host, Url};

use super::error::ConfigError;

/// Okta's request id header.
const OKTA_REQUEST_ID: &str = "x-okta-request-id";
/// The request id headers of other APIs, in the order they are looked for.
const REQUEST_IDS: &[&str] = &["x-request-id", "request-id"];
/// Sent to Okta on a retry after a 429: the request id of the rate-limited response.
const RETRY_FOR: &str = "x-okta-retry-for";
/// Sent to Okta on every retry: how many retries this one is (1, 2, …).
const RETRY_COUNT: &str = "x-okta-retry-count";

/// Which conventions a client follows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Profile {
    /// Okta's: `Authorization: SSWS` API tokens, access tokens, private-key tokens from
    /// `{orgUrl}/oauth2/v1/token`; `okta.yaml` and `OKTA_CLIENT_*` settings; the request id in
    /// `X-Okta-Request-Id`; retries sent with `X-Okta-Retry-For` and `X-Okta-Retry-Count`, a 429
    /// waited out until `X-Rate-Limit-Reset`; the user agent `okta-sdk-rust/…`; an org URL that
    /// is not the `-admin` host.
    Okta,
    /// Any other API's: the credentials of the document's security schemes; the request id in
    /// `X-Request-Id` or `Request-Id`; a 429 or 503 waited out as its `Retry-After` says; the
    /// user agent `<crate>/<version>`; no settings files or environment variables.
    Generic,
}

impl Profile {
    /// `okta` or `generic`.
    pub const fn as_str(self) -> &'static str {
        match self {
            Profile::Okta => "okta",
            Profile::Generic => "generic",
        }
    }

    /// The name of the `tracing` span of a call.
    pub(crate) const fn request_span(self) -> &'static str {
        match self {
            Profile::Okta => "okta.request",
            Profile::Generic => "okgen.request",
        }
    }

    /// The name of the `tracing` span of one attempt.
    pub(crate) const fn attempt_span(self) -> &'static str {
        match self {
            Profile::Okta => "okta.attempt",
            Profile::Generic => "okgen.attempt",
        }
    }

    /// The request id of a response: `X-Okta-Request-Id` for Okta, else `X-Request-Id` or
    /// `Request-Id`.
    pub(crate) fn request_id(self, headers: &HeaderMap) -> Option<String> {
        let names = match self {
            Profile::Okta => &[OKTA_REQUEST_ID][..],
            Profile::Generic => REQUEST_IDS,
        };
        names.iter().find_map(|name| {
            headers
                .get(*name)
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned)
        })
    }

    /// The headers a retry carries: for Okta, `X-Okta-Retry-Count: <retries>` and, after a 429,
    /// `X-Okta-Retry-For: <its request id>` (set, never appended); none for other APIs.
    pub(crate) fn retry_headers(
        self,
        headers: &mut HeaderMap,
        retries: u32,
        retry_for: Option<&str>,
    ) {
        if self != Profile::Okta || retries == 0 {
            return;
        }
        headers.insert(RETRY_COUNT, HeaderValue::from(retries));
        if let Some(id) = retry_for.and_then(|id| HeaderValue::from_str(id).ok()) {
            headers.insert(RETRY_FOR, id);
        }
    }

    /// How long to wait before retrying a 429: for Okta, until `X-Rate-Limit-Reset` (on the
    /// server's clock); for other APIs, what `Retry-After` says. `None` without the header (the
    /// client then backs off).
    pub(crate) fn rate_limit_wait(self, headers: &HeaderMap, now: SystemTime) -> Option<Duration> {
        match self {
            Profile::Okta => super::client::rate_limit_wait(headers, now),
            Profile::Generic => retry_after(headers, now),
        }
    }

    /// How long to wait before retrying a 503: what `Retry-After` says, for other APIs than
    /// Okta (Okta's 503s are backed off from).
    pub(crate) fn unavailable_wait(self, headers: &HeaderMap, now: SystemTime) -> Option<Duration> {
        match self {
            Profile::Okta => None,
            Profile::Generic => retry_after(headers, now),
        }
    }

    /// The start of the `User-Agent`: `okta-sdk-rust/<version>` for Okta, else
    /// `<crate name>/<version>` of the crate the client is compiled in.
    pub(crate) fn user_agent_product(self) -> String {
        let product = match self {
            Profile::Okta => "okta-sdk-rust",
            Profile::Generic => env!("CARGO_PKG_NAME"),
        };
        format!("{product}/{}", env!("CARGO_PKG_VERSION"))
    }

    /// Checks a base URL: `https://` (plain `http://` only for loopback hosts, for tests) and not
    /// a template (`https://{region}.example.com`); for Okta, not the `yourOktaDomain`
    /// placeholder nor the `-admin` host either.
    pub(crate) fn validate_base_url(self, base_url: &str) -> Result<(), ConfigError> {
        let what = match self {
            Profile::Okta => "org URL",
            Profile::Generic => "base URL",
        };
        let bad = |why: &str| ConfigError::new(format!("{what} {base_url:?} {why}"));
        let okta = self == Profile::Okta;
        if okta && (base_url.contains('{') || base_url.to_ascii_lowercase().contains("yourokta")) {
            return Err(bad(
                "is a placeholder: use your org's URL, e.g. https://dev-123456.okta.com",
            ));
        }
        if base_url.contains('{') {
            return Err(bad(
                "is a template: fill in its variables (`{…}`) with the server's values",
            ));
        }
        let url = Url::parse(base_url).map_err(|e| bad(&format!("is not a URL: {e}")))?;
        let loopback = match url.host() {
            Some(Host::Domain(d)) => d.eq_ignore_ascii_case("localhost"),
            Some(Host::Ipv4(ip)) => ip.is_loopback(),
            Some(Host::Ipv6(ip)) => ip.is_loopback(),
            None => false,
        };
        match url.scheme() {
            "https" => {}
            "http" if loopback => {}
            _ => return Err(bad("must start with https://")),
        }
        if let (true, Some(Host::Domain(host))) = (okta, url.host()) {
            let first = host.split('.').next().unwrap_or_default();
            if first.to_ascii_lowercase().ends_with("-admin") {
                return Err(bad(
                    "is the admin console's host: drop `-admin` (https://dev-123456.okta.com)",
                ));
            }
        }
        Ok(())
    }
}

/// The wait a `Retry-After` header asks for (RFC 9110): a number of seconds, or an HTTP date
/// taken on the server's clock (`Date`; the local clock `now` without it), a date already passed
/// being no wait. `None` without a valid header.
fn retry_after(headers: &HeaderMap, now: SystemTime) -> Option<Duration> {
    let value = headers.get(RETRY_AFTER)?.to_str().ok()?.trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let at = httpdate::parse_http_date(value).ok()?;
    let date = headers
        .get(reqwest::header::DATE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| httpdate::parse_http_date(v).ok())
        .unwrap_or(now);
    let at = at.duration_since(UNIX_EPOCH).ok()?;
    let date = date.duration_since(UNIX_EPOCH).ok()?;
    Some(at.saturating_sub(date))
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::client::test_headers as headers;

    #[test]
    fn request_ids_come_from_each_profiles_headers() {
        let okta = headers(&[("x-okta-request-id", "okta1"), ("x-request-id", "x1")]);
        assert_eq!(Profile::Okta.request_id(&okta).as_deref(), Some("okta1"));
        assert_eq!(Profile::Generic.request_id(&okta).as_deref(), Some("x1"));
        let stripe = headers(&[("request-id", "req_1")]);
        assert_eq!(Profile::Okta.request_id(&stripe), None);
        assert_eq!(
            Profile::Generic.request_id(&stripe).as_deref(),
            Some("req_1")
        );
        assert_eq!(Profile::Generic.request_id(&HeaderMap::new()), None);
    }

    #[test]
    fn only_okta_retries_carry_okta_headers() {
        let mut okta = HeaderMap::new();
        Profile::Okta.retry_headers(&mut okta, 2, Some("req9"));
        assert_eq!(okta.get(RETRY_COUNT).map(|v| v.as_bytes()), Some(&b"2"[..]));
        assert_eq!(
            okta.get(RETRY_FOR).map(|v| v.as_bytes()),
            Some(&b"req9"[..])
        );
        let mut first = HeaderMap::new();
        Profile::Okta.retry_headers(&mut first, 0, Some("req9"));
        assert!(first.is_empty(), "a first attempt is no retry");
        let mut generic = HeaderMap::new();
        Profile::Generic.retry_headers(&mut generic, 2, Some("req9"));
        assert!(generic.is_empty());
    }

    #[test]
    fn retry_after_is_seconds_or_a_date_on_the_servers_clock() {
        let now = UNIX_EPOCH + Duration::from_secs(1_000);
        let wait = |pairs: &[(&'static str, &str)]| retry_after(&headers(pairs), now);
        assert_eq!(wait(&[("retry-after", "7")]), Some(Duration::from_secs(7)));
        assert_eq!(wait(&[("retry-after", " 0 ")]), Some(Duration::ZERO));
        // 00:16:50 is 1 010 s; the server's Date says 1 000 s, whatever the local clock.
        assert_eq!(
            wait(&[
                ("retry-after", "Thu, 01 Jan 1970 00:16:50 GMT"),
                ("date", "Thu, 01 Jan 1970 00:16:40 GMT")
            ]),
            Some(Duration::from_secs(10))
        );
        assert_eq!(
            wait(&[("retry-after", "Thu, 01 Jan 1970 00:16:50 GMT")]),
            Some(Duration::from_secs(10)),
            "no Date: the local clock"
        );
        assert_eq!(
            wait(&[("retry-after", "Thu, 01 Jan 1970 00:00:01 GMT")]),
            Some(Duration::ZERO),
            "a date passed"
        );
        assert_eq!(wait(&[("retry-after", "soon")]), None);
        assert_eq!(wait(&[("retry-after", "-3")]), None);
        assert_eq!(wait(&[]), None);
    }

    #[test]
    fn each_profile_reads_its_own_rate_limit_headers() {
        let now = UNIX_EPOCH + Duration::from_secs(1_000);
        let both = headers(&[("x-rate-limit-reset", "1005"), ("retry-after", "30")]);
        assert_eq!(
            Profile::Okta.rate_limit_wait(&both, now),
            Some(Duration::from_secs(6))
        );
        assert_eq!(
            Profile::Generic.rate_limit_wait(&both, now),
            Some(Duration::from_secs(30))
        );
        assert_eq!(Profile::Okta.unavailable_wait(&both, now), None);
        assert_eq!(
            Profile::Generic.unavailable_wait(&both, now),
            Some(Duration::from_secs(30))
        );
    }

    #[test]
    fn user_agents_name_okta_or_the_crate() {
        let version = env!("CARGO_PKG_VERSION");
        assert_eq!(
            Profile::Okta.user_agent_product(),
            format!("okta-sdk-rust/{version}")
        );
        assert_eq!(
            Profile::Generic.user_agent_product(),
            format!("{}/{version}", env!("CARGO_PKG_NAME"))
        );
    }

    #[test]
    fn base_urls_follow_the_profiles_rules() {
        for profile in [Profile::Okta, Profile::Generic] {
            assert!(profile
                .validate_base_url("https://api.example.com/v1")
                .is_ok());
            assert!(profile.validate_base_url("http://127.0.0.1:8080").is_ok());
            assert!(profile.validate_base_url("http://[::1]:8080").is_ok());
            assert!(profile.validate_base_url("http://api.example.com").is_err());
            assert!(profile
                .validate_base_url("https://{region}.example.com")
                .is_err());
            assert!(profile.validate_base_url("not a url").is_err());
        }
        // Okta's own rules.
        assert!(Profile::Okta
            .validate_base_url("https://dev-1-admin.okta.com")
            .is_err());
        assert!(Profile::Generic
            .validate_base_url("https://dev-1-admin.okta.com")
            .is_ok());
        assert!(Profile::Okta
            .validate_base_url("https://yourOktaDomain.example")
            .is_err());
        let okta = Profile::Okta.validate_base_url("https://{yourOktaDomain}");
        assert!(okta.is_err_and(
            |e| e.to_string().contains("org URL") && e.to_string().contains("placeholder")
        ));
        let generic = Profile::Generic.validate_base_url("https://{region}.example.com");
        assert!(generic.is_err_and(
            |e| e.to_string().contains("base URL") && e.to_string().contains("template")
        ));
    }
}
