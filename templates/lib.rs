//! okgen's runtime: the client, authentication, configuration, errors, timestamps, paging and
//! body encodings every generated client carries.
//!
//! okgen stamps this crate into each client it generates, so that the client stands alone: the
//! items below, with each `mod name;` replaced by `pub mod name { … }` holding that file's
//! contents less its `#[cfg(test)]` items (`generator/src/emit/runtime.rs`). The generated part
//! sits beside these modules and reaches them as `super::client::…`, as the modules reach each
//! other here. This crate is where the runtime is compiled and unit-tested once
//! (`cargo test -p okgen-runtime`); its `Cargo.toml` is the one list of the runtime's dependencies.
//!
//! Only the items of this file are stamped, not its inner attributes (this documentation): a
//! lint setting here would not reach a generated client.
//!
//! Two profiles share this crate (see [`profile`]); their behaviour differs by the value of
//! [`PROFILE`], and what only one profile has (Okta's API tokens, private keys and `okta.yaml`
//! settings; the generic profile's API keys and basic credentials) is marked with a `cfg` naming
//! the *other* profile: `#[cfg(not(okgen_profile = "generic"))]` on Okta's,
//! `#[cfg(not(okgen_profile = "okta"))]` on the generic one's. `okgen_profile` is never set when
//! this crate compiles, so it has, and tests, both; okgen evaluates the attributes and removes
//! them when it stamps a client of one profile.

pub mod auth;
pub mod builder;
pub mod client;
#[cfg(not(okgen_profile = "generic"))]
pub mod config;
pub mod datetime;
pub mod de;
pub mod error;
pub mod form;
pub mod model;
pub mod multipart;
pub mod nullable;
pub mod operation;
pub mod paging;
#[cfg(not(okgen_profile = "generic"))]
pub mod private_key;
pub mod profile;
pub mod ser;

/// The conventions this client follows (see [`Profile`]).
#[cfg(not(okgen_profile = "generic"))]
pub const PROFILE: Profile = Profile::Okta;
/// The conventions this client follows (see [`Profile`]).
#[cfg(okgen_profile = "generic")]
pub const PROFILE: Profile = Profile::Generic;

#[cfg(not(okgen_profile = "okta"))]
pub use auth::{ApiKey, ApiKeyLocation};
pub use auth::{Auth, AuthError, Secret};
#[cfg(not(okgen_profile = "generic"))]
pub use auth::{PrivateKey, PrivateKeyAuth, PrivateKeyConfig};
#[cfg(okgen_profile = "generic")]
pub use builder::ClientBuilder;
pub use client::{Client, ClientOptions, RateLimit, Response, Sleeper, TokioSleeper};
#[cfg(not(okgen_profile = "generic"))]
pub use config::{AuthorizationMode, ClientBuilder};
pub use datetime::{Date, DateTime};
pub use error::{ApiError, ConfigError, DecodeError};
pub use multipart::FilePart;
pub use nullable::Nullable;
pub use paging::Page;
pub use profile::Profile;

/// The error of an API call ([`error::Error`]), its body type `E` defaulting to JSON. A generated
/// client defines this alias itself instead, defaulting `E` to its operations' error body (see
/// `generator/src/emit/runtime.rs`): the stamped runtime leaves this item out.
pub type Error<E = serde_json::Value> = error::Error<E>;
