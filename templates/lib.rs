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

pub mod auth;
pub mod client;
pub mod config;
pub mod datetime;
pub mod de;
pub mod error;
pub mod form;
pub mod multipart;
pub mod nullable;
pub mod paging;

pub use auth::{Auth, AuthError, PrivateKey, PrivateKeyAuth, PrivateKeyConfig, Secret};
pub use client::{Client, ClientOptions, RateLimit, Response, Sleeper, TokioSleeper};
pub use config::{AuthorizationMode, ClientBuilder};
pub use datetime::{Date, DateTime};
pub use error::{ApiError, ConfigError, DecodeError};
pub use multipart::FilePart;
pub use nullable::Nullable;
pub use paging::Page;

/// The error of an API call ([`error::Error`]), its body type `E` defaulting to JSON. A generated
/// client defines this alias itself instead, defaulting `E` to its operations' error body (see
/// `generator/src/emit/runtime.rs`): the stamped runtime leaves this item out.
pub type Error<E = serde_json::Value> = error::Error<E>;
