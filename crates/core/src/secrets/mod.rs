//! Secrets live in the OS keychain and nowhere else: never SQLite, logs or the UI.
//!
//! One entry per account: service [`SERVICE`], user = the account id, value = a JSON
//! [`StoredSecret`]. [`MemorySecretStore`] stands in for the keychain in tests.

mod backend_pin;
mod keyring_store;

use std::collections::HashMap;
use std::fmt;
use std::sync::{Arc, Mutex};

use serde::{Deserialize, Serialize};

use crate::{Error, ErrorKind, Result};

/// Keychain service name for every Hirebridge entry.
pub const SERVICE: &str = "hirebridge";

/// A secret string whose `Debug` and `Display` never show the value.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Secret(String);

impl Secret {
    pub fn new(value: impl Into<String>) -> Self {
        Self(value.into())
    }

    /// The raw value, for the one place that must send it (an auth header, a token request).
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(***)")
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("***")
    }
}

/// What one account keeps in the keychain.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum StoredSecret {
    ApiKey {
        key: Secret,
    },
    OAuth {
        access_token: Secret,
        refresh_token: Option<Secret>,
        /// Unix seconds at which the access token expires, when the server said.
        expires_at: Option<i64>,
        client_secret: Option<Secret>,
    },
}

/// A place secrets are kept, keyed by account id.
pub trait SecretStore: Send + Sync {
    fn get(&self, account_id: &str) -> Result<Option<StoredSecret>>;
    fn set(&self, account_id: &str, secret: &StoredSecret) -> Result<()>;
    /// Removes the entry; removing a missing entry is not an error.
    fn delete(&self, account_id: &str) -> Result<()>;
    /// A short human name of the backend, shown in the app and the CLI.
    fn backend_name(&self) -> String;
    /// Called once no account keeps a secret: the next one may go to whichever keychain
    /// answers then (see [`KeyringSecretStore::for_data_dir`]).
    fn no_secret_left(&self) {}
}

pub use keyring_store::{KeychainBackend, KeyringSecretStore};

/// The OS keychain this machine offers, chosen as [`KeyringSecretStore::detect`] does. Fails with
/// `ErrorKind::Keychain`, saying what to do, when that keychain cannot be opened at all.
pub fn system_store() -> Result<Arc<dyn SecretStore>> {
    let store = KeyringSecretStore::detect();
    store.check_usable()?;
    Ok(Arc::new(store))
}

/// The OS keychain holding `data_dir`'s secrets ([`KeyringSecretStore::for_data_dir`]): the app
/// and the CLI open this one, so every run looks for a secret where it was stored.
pub fn system_store_for(data_dir: &std::path::Path) -> Result<Arc<dyn SecretStore>> {
    let store = KeyringSecretStore::for_data_dir(data_dir);
    store.check_usable()?;
    Ok(Arc::new(store))
}

/// In-memory store for tests: shared between every caller holding the same instance.
#[derive(Default)]
pub struct MemorySecretStore {
    entries: Mutex<HashMap<String, String>>,
}

impl MemorySecretStore {
    pub fn new() -> Self {
        Self::default()
    }
}

fn poisoned() -> Error {
    Error::new(ErrorKind::Internal, "The secret store lock was poisoned.")
}

impl SecretStore for MemorySecretStore {
    fn get(&self, account_id: &str) -> Result<Option<StoredSecret>> {
        let entries = self.entries.lock().map_err(|_| poisoned())?;
        entries.get(account_id).map(|raw| decode(raw)).transpose()
    }

    fn set(&self, account_id: &str, secret: &StoredSecret) -> Result<()> {
        let raw = encode(secret)?;
        self.entries
            .lock()
            .map_err(|_| poisoned())?
            .insert(account_id.to_owned(), raw);
        Ok(())
    }

    fn delete(&self, account_id: &str) -> Result<()> {
        self.entries
            .lock()
            .map_err(|_| poisoned())?
            .remove(account_id);
        Ok(())
    }

    fn backend_name(&self) -> String {
        "in-memory (tests only)".to_owned()
    }
}

pub(crate) fn encode(secret: &StoredSecret) -> Result<String> {
    serde_json::to_string(secret).map_err(|e| {
        Error::new(
            ErrorKind::Internal,
            format!("Could not encode a secret: {e}"),
        )
    })
}

pub(crate) fn decode(raw: &str) -> Result<StoredSecret> {
    serde_json::from_str(raw).map_err(|_| {
        Error::new(
            ErrorKind::Keychain,
            "The keychain entry for this account is unreadable; link the account again.",
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_never_shows_the_value() {
        let s = StoredSecret::ApiKey {
            key: Secret::new("super-secret-key"),
        };
        let shown = format!("{s:?}");
        assert!(!shown.contains("super-secret-key"), "{shown}");
    }

    #[test]
    fn memory_store_round_trips_and_deletes() {
        let store = MemorySecretStore::new();
        let s = StoredSecret::OAuth {
            access_token: Secret::new("a"),
            refresh_token: Some(Secret::new("r")),
            expires_at: Some(10),
            client_secret: None,
        };
        store.set("acc", &s).expect("set");
        assert_eq!(store.get("acc").expect("get"), Some(s));
        store.delete("acc").expect("delete");
        assert_eq!(store.get("acc").expect("get"), None);
        store.delete("acc").expect("deleting twice is fine");
    }
}
