//! A typed async client for Okta's user authenticator enrollment API.
//!
//! Generated at build time by `okgen` from `spec/okta-authenticator-enrollments.yaml` (see the
//! repository README). Every model keeps properties Okta adds later, every enum keeps values it
//! does not know yet, and errors carry the status, Okta's error body and `X-Okta-Request-Id`.
//!
//! ```no_run
//! # async fn run() -> Result<(), Box<dyn std::error::Error>> {
//! use okta_management::{Auth, Client};
//!
//! let client = Client::new("https://example.okta.com", Auth::api_token("00a…"))?;
//! for enrollment in client.list_authenticator_enrollments("00u1example").await? {
//!     println!("{:?} {:?}", enrollment.r#type, enrollment.nickname);
//! }
//! # Ok(())
//! # }
//! ```

include!(concat!(env!("OUT_DIR"), "/okta_management.rs"));
