//! The constructors of the generic runtime's `Auth`, one per credential the document's security
//! schemes declare ([`Api::auth`]).

use proc_macro2::TokenStream;
use quote::quote;

use super::{code, doc_attrs, ident, sanitize};
use crate::ir::{Api, AuthKind, AuthScheme};

/// `impl auth::Auth { … }` with the constructors, or nothing when there are none.
pub(crate) fn emit_auth(api: &Api) -> TokenStream {
    if api.auth.is_empty() {
        return TokenStream::new();
    }
    let constructors = api.auth.iter().map(constructor);
    quote! {
        /// Credentials for the security schemes the document declares.
        impl auth::Auth {
            #(#constructors)*
        }
    }
}

fn constructor(scheme: &AuthScheme) -> TokenStream {
    let name = ident(&scheme.constructor);
    let schemes: Vec<String> = scheme.schemes.iter().map(|s| code(s)).collect();
    let (sends, body) = match &scheme.kind {
        AuthKind::ApiKeyHeader(header) => (
            format!("The API key, sent as the header {}.", code(header)),
            quote! {
                pub fn #name(key: impl ::std::convert::Into<::std::string::String>) -> Self {
                    auth::Auth::ApiKey(auth::ApiKey::header(#header, key))
                }
            },
        ),
        AuthKind::ApiKeyQuery(parameter) => (
            format!(
                "The API key, sent as the query parameter {} (never shown in errors or traces).",
                code(parameter)
            ),
            quote! {
                pub fn #name(key: impl ::std::convert::Into<::std::string::String>) -> Self {
                    auth::Auth::ApiKey(auth::ApiKey::query(#parameter, key))
                }
            },
        ),
        AuthKind::Bearer => (
            "A bearer token: `Authorization: Bearer <token>`.".to_owned(),
            quote! {
                pub fn #name(token: impl ::std::convert::Into<::std::string::String>) -> Self {
                    auth::Auth::AccessToken(auth::Secret::new(token))
                }
            },
        ),
        AuthKind::AccessToken => (
            "An OAuth 2.0 (or OpenID Connect) access token, obtained elsewhere: `Authorization: Bearer <token>`.".to_owned(),
            quote! {
                pub fn #name(token: impl ::std::convert::Into<::std::string::String>) -> Self {
                    auth::Auth::AccessToken(auth::Secret::new(token))
                }
            },
        ),
        AuthKind::Basic => (
            "HTTP basic credentials: `Authorization: Basic <base64 of username:password>`.".to_owned(),
            quote! {
                pub fn #name(
                    username: impl ::std::convert::Into<::std::string::String>,
                    password: impl ::std::convert::Into<::std::string::String>,
                ) -> Self {
                    auth::Auth::Basic {
                        username: auth::Secret::new(username),
                        password: auth::Secret::new(password),
                    }
                }
            },
        ),
    };
    let plural = if schemes.len() == 1 { "" } else { "s" };
    let mut doc = if schemes.is_empty() {
        format!("{sends}\n\nThe document declares no security scheme; this is the credential such APIs most often take.\n")
    } else {
        format!(
            "{sends}\n\nFor the security scheme{plural} {}.\n",
            schemes.join(", ")
        )
    };
    if let Some(description) = &scheme.description {
        doc.push('\n');
        doc.push_str(sanitize(description.trim()).trim_end());
        doc.push('\n');
    }
    let doc = doc_attrs(Some(&doc));
    // A constructor named after a scheme may take a name clippy wants for a trait's method
    // (`from_str`, `from_iter`): it is the scheme's, not that trait's.
    let allow = crate::names::reserved::TRAIT_METHODS
        .contains(&scheme.constructor.as_str())
        .then(|| quote!(#[allow(clippy::should_implement_trait)]));
    quote! {
        #doc
        #allow
        #body
    }
}
