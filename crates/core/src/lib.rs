//! Hirebridge core: everything that matters, usable without a window.
//!
//! Data flows one way: a caller (the Tauri shell, the CLI, a test) calls a service here, the
//! service talks to a vendor through a [`connectors::Connector`], and unified records come back
//! into the [`cache`]. The UI only ever reads the cache.

pub mod accounts;
pub mod auth;
pub mod cache;
pub mod connectors;
pub mod db;
pub mod deeplink;
pub mod error;
#[doc(hidden)]
pub mod fuzzing;
pub mod http;
pub mod model;
pub mod paths;
pub mod push;
pub mod secrets;
pub mod service;
pub mod sync;
pub mod vendor;

pub use error::{Error, ErrorKind, Result};
pub use vendor::Vendor;
