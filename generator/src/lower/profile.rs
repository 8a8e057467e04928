//! The runtime profile of a document (Okta's conventions or the generic ones), and, for the
//! generic profile, the credentials its `securitySchemes` declare.

use std::collections::BTreeMap;

use openapiv3::{APIKeyLocation, OpenAPI, SecurityScheme};

use super::Lowering;
use crate::error::{Result, Warning};
use crate::ir::{AuthKind, AuthScheme, Profile};
use crate::names::{reserved, snake, Scope};

/// The domains Okta serves orgs on.
const OKTA_DOMAINS: &[&str] = &[
    "okta.com",
    "oktapreview.com",
    "okta-emea.com",
    "okta-gov.com",
];

/// The profile a document calls for, and the signal that decided it: Okta's when any of these
/// holds, else the generic one.
///
/// - A security scheme of type `apiKey` in the `Authorization` header whose description names
///   `SSWS` (Okta's API tokens).
/// - A server on one of Okta's domains (`okta.com`, `oktapreview.com`, `okta-emea.com`,
///   `okta-gov.com`, variables replaced by their defaults), or whose URL has the
///   `{yourOktaDomain}` variable.
/// - A title whose first word is `Okta` (Okta Access Gateway's document has no other sign).
pub(crate) fn detect(api: &OpenAPI) -> (Profile, Option<String>) {
    let schemes = api
        .components
        .as_ref()
        .map(|c| &c.security_schemes)
        .into_iter()
        .flatten();
    for (name, scheme) in schemes {
        if let Some(SecurityScheme::APIKey {
            location: APIKeyLocation::Header,
            name: header,
            description: Some(description),
            ..
        }) = scheme.as_item()
        {
            if header.eq_ignore_ascii_case("authorization") && description.contains("SSWS") {
                return (
                    Profile::Okta,
                    Some(format!("security scheme `{name}` is an SSWS API token")),
                );
            }
        }
    }
    for server in &api.servers {
        if server.url.to_ascii_lowercase().contains("{youroktadomain}") {
            return (
                Profile::Okta,
                Some(format!("server `{}` is an Okta org", server.url)),
            );
        }
        let host = server_host(server);
        if OKTA_DOMAINS
            .iter()
            .any(|d| host == *d || host.ends_with(&format!(".{d}")))
        {
            return (
                Profile::Okta,
                Some(format!("server `{}` is on an Okta domain", server.url)),
            );
        }
    }
    if api.info.title.split_whitespace().next() == Some("Okta") {
        return (
            Profile::Okta,
            Some(format!("the title `{}` names Okta", api.info.title)),
        );
    }
    (Profile::Generic, None)
}

/// The lower-case host of a server's URL, its variables replaced by their defaults.
fn server_host(server: &openapiv3::Server) -> String {
    let mut url = server.url.clone();
    for (name, variable) in server.variables.iter().flatten() {
        url = url.replace(&format!("{{{name}}}"), &variable.default);
    }
    let rest = url.split_once("://").map_or(url.as_str(), |(_, rest)| rest);
    let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
    let host = authority.rsplit('@').next().unwrap_or_default();
    let host = host.split(':').next().unwrap_or_default();
    host.trim_end_matches('.').to_ascii_lowercase()
}

/// The `Auth` constructors of a generic client: one per credential the document's
/// `securitySchemes` declare (schemes that send the same credential share one), sorted by
/// name. `bearer` (HTTP bearer), `basic` (HTTP basic), `access_token` (OAuth 2.0 and OpenID
/// Connect, sent as a bearer token), and `api_key` for an API key, or, when the document
/// declares several, one named after each scheme; `bearer` for a document that declares no
/// scheme at all. A scheme the runtime cannot send (an API key
/// in a cookie, another HTTP scheme) gets none, with a warning. Okta's profile has its own
/// constructors: none are made.
pub(crate) fn auth_schemes(cx: &mut Lowering<'_>, profile: Profile) -> Result<Vec<AuthScheme>> {
    if profile == Profile::Okta {
        return Ok(Vec::new());
    }
    // Each credential, with the schemes that send it, in the order the document declares them.
    let mut kinds: Vec<(AuthKind, Vec<String>, Option<String>)> = Vec::new();
    let components = cx.components;
    for (name, item) in &components.security_schemes {
        let at = format!(
            "/components/securitySchemes/{}",
            crate::pointer::escape(name)
        );
        let resolved = cx.resolve(item, &at, "securitySchemes", &components.security_schemes);
        let Some((scheme, _)) = cx
            .diagnostics
            .recover(resolved, "the security scheme gets no `Auth` constructor")?
        else {
            continue;
        };
        let (kind, description) = match scheme {
            SecurityScheme::APIKey {
                location,
                name: key,
                description,
                ..
            } => match location {
                APIKeyLocation::Header if is_token(key) => {
                    (AuthKind::ApiKeyHeader(key.clone()), description)
                }
                APIKeyLocation::Header => {
                    unsupported(
                        cx,
                        &at,
                        &format!("the header name {key:?} is not a valid HTTP header name"),
                    )?;
                    continue;
                }
                APIKeyLocation::Query if !key.is_empty() => {
                    (AuthKind::ApiKeyQuery(key.clone()), description)
                }
                APIKeyLocation::Query => {
                    unsupported(cx, &at, "the query parameter has no name")?;
                    continue;
                }
                APIKeyLocation::Cookie => {
                    unsupported(cx, &at, "an API key in a cookie is not supported")?;
                    continue;
                }
            },
            SecurityScheme::HTTP {
                scheme: http,
                description,
                ..
            } => {
                if http.eq_ignore_ascii_case("bearer") {
                    (AuthKind::Bearer, description)
                } else if http.eq_ignore_ascii_case("basic") {
                    (AuthKind::Basic, description)
                } else {
                    unsupported(
                        cx,
                        &at,
                        &format!("the HTTP authentication scheme {http:?} is not supported (bearer and basic are)"),
                    )?;
                    continue;
                }
            }
            SecurityScheme::OAuth2 { description, .. }
            | SecurityScheme::OpenIDConnect { description, .. } => {
                (AuthKind::AccessToken, description)
            }
        };
        let description = description.clone().filter(|d| !d.trim().is_empty());
        match kinds.iter_mut().find(|(k, _, _)| *k == kind) {
            Some((_, schemes, first)) => {
                schemes.push(name.clone());
                if first.is_none() {
                    *first = description;
                }
            }
            None => kinds.push((kind, vec![name.clone()], description)),
        }
    }

    let api_keys = kinds
        .iter()
        .filter(|(k, _, _)| matches!(k, AuthKind::ApiKeyHeader(_) | AuthKind::ApiKeyQuery(_)))
        .count();
    let mut scope = Scope::with_taken(reserved::AUTH.iter().copied());
    let mut fixed = BTreeMap::new();
    for (kind, _, _) in &kinds {
        let name = match kind {
            AuthKind::Bearer => "bearer",
            AuthKind::Basic => "basic",
            AuthKind::AccessToken => "access_token",
            AuthKind::ApiKeyHeader(_) | AuthKind::ApiKeyQuery(_) if api_keys == 1 => "api_key",
            _ => continue,
        };
        fixed.insert(kind.clone(), scope.claim(name));
    }
    let mut out: Vec<AuthScheme> = kinds
        .into_iter()
        .map(|(kind, schemes, description)| {
            let constructor = match fixed.get(&kind) {
                Some(name) => name.clone(),
                None => scope.claim(&snake(schemes.first().map_or("api_key", String::as_str))),
            };
            AuthScheme {
                constructor,
                kind,
                schemes,
                description,
            }
        })
        .collect();
    // A document that declares no scheme at all (GitHub's) still takes a credential: most such
    // APIs read a bearer token, so the client offers that one constructor.
    if components.security_schemes.is_empty() {
        out.push(AuthScheme {
            constructor: scope.claim("bearer"),
            kind: AuthKind::Bearer,
            schemes: Vec::new(),
            description: None,
        });
    }
    out.sort_by(|a, b| a.constructor.cmp(&b.constructor));
    Ok(out)
}

/// Records that the scheme at `at` gets no constructor, and why.
fn unsupported(cx: &mut Lowering<'_>, at: &str, why: &str) -> Result<()> {
    cx.diagnostics.warn(Warning {
        location: cx.doc.at(at),
        message: format!("{why}; the security scheme gets no `Auth` constructor"),
        hint: Some(
            "send the credential with a header or query parameter of the operations, or build `Auth` by hand"
                .into(),
        ),
    })
}

/// Whether `name` is an HTTP header name (an RFC 9110 token).
fn is_token(name: &str) -> bool {
    !name.is_empty()
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::expect_used)]

    use super::*;

    fn api(text: &str) -> OpenAPI {
        serde_yaml::from_str(text).expect("a document")
    }

    #[test]
    fn okta_is_told_by_its_api_token_its_servers_or_its_title() {
        let ssws = api(
            "openapi: 3.0.3\ninfo: {title: T, version: '1'}\npaths: {}\ncomponents:\n  securitySchemes:\n    t: {type: apiKey, in: header, name: Authorization, description: 'Authorization: SSWS {token}'}\n",
        );
        assert_eq!(detect(&ssws).0, Profile::Okta);
        let placeholder = api(
            "openapi: 3.0.3\ninfo: {title: T, version: '1'}\nservers: [{url: 'https://{yourOktaDomain}'}]\npaths: {}\n",
        );
        assert_eq!(detect(&placeholder).0, Profile::Okta);
        let pam = api(
            "openapi: 3.0.3\ninfo: {title: T, version: '1'}\nservers: [{url: 'https://{org}.pam.okta.com/v1', variables: {org: {default: acme}}}]\npaths: {}\n",
        );
        assert_eq!(detect(&pam).0, Profile::Okta);
        let title =
            api("openapi: 3.0.3\ninfo: {title: Okta Access Gateway, version: '1'}\npaths: {}\n");
        assert_eq!(detect(&title).0, Profile::Okta);
    }

    #[test]
    fn anything_else_is_generic() {
        for text in [
            "openapi: 3.0.3\ninfo: {title: T, version: '1'}\npaths: {}\n",
            // An API key in Authorization that is not an SSWS token.
            "openapi: 3.0.3\ninfo: {title: T, version: '1'}\npaths: {}\ncomponents:\n  securitySchemes:\n    t: {type: apiKey, in: header, name: Authorization}\n",
            // Hosts that only look like Okta's.
            "openapi: 3.0.3\ninfo: {title: T, version: '1'}\nservers: [{url: 'https://notokta.com'}, {url: 'https://okta.com.example.org'}]\npaths: {}\n",
            "openapi: 3.0.3\ninfo: {title: Oktagon API, version: '1'}\npaths: {}\n",
            "openapi: 3.0.3\ninfo: {title: Login with Okta, version: '1'}\npaths: {}\n",
        ] {
            assert_eq!(detect(&api(text)), (Profile::Generic, None), "{text}");
        }
    }

    #[test]
    fn hosts_are_read_from_server_urls() {
        let server = |url: &str| openapiv3::Server {
            url: url.into(),
            ..Default::default()
        };
        assert_eq!(
            server_host(&server("https://a.okta.com:443/api")),
            "a.okta.com"
        );
        assert_eq!(
            server_host(&server("https://user@A.Okta.COM.")),
            "a.okta.com"
        );
        assert_eq!(server_host(&server("/relative")), "");
        assert!(is_token("X-API-Key") && !is_token("X API") && !is_token(""));
    }
}
