//! The core services the commands call: the database, the keychain, the one HTTP client, and
//! each linked account's credentials.

use std::collections::HashMap;
use std::path::Path;
use std::sync::{Arc, Mutex};

use hirebridge_core::accounts::{Account, AccountStore};
use hirebridge_core::auth::{AccountStatusSink, credentials_for};
use hirebridge_core::cache::SqlitePool;
use hirebridge_core::connectors::{self, Connector};
use hirebridge_core::http::{CredentialProvider, HttpClient, HttpConfig};
use hirebridge_core::secrets::SecretStore;
use hirebridge_core::{Error, Result};

use crate::demo::Demo;

pub struct Services {
    /// The cache and the account store's database.
    pub pool: SqlitePool,
    pub accounts: Arc<AccountStore>,
    /// The OS keychain, or why it cannot be used. There is no fallback: secrets never go to disk.
    keychain: Result<Arc<dyn SecretStore>>,
    pub http: HttpClient,
    credentials: Mutex<HashMap<String, Arc<dyn CredentialProvider>>>,
    /// The in-process fake ATS servers, in demo mode.
    pub demo: Option<Demo>,
}

impl Services {
    /// Opens the database in `data_dir`; `keychain` is `secrets::system_store_for(data_dir)` in the app.
    pub async fn open(
        data_dir: &Path,
        keychain: Result<Arc<dyn SecretStore>>,
        demo: Option<Demo>,
    ) -> Result<Self> {
        let pool = hirebridge_core::db::open(data_dir).await?;
        Ok(Self {
            accounts: Arc::new(AccountStore::new(pool.clone())),
            pool,
            keychain,
            http: HttpClient::new(HttpConfig::default())?,
            credentials: Mutex::new(HashMap::new()),
            demo,
        })
    }

    /// The keychain, or the `Keychain` error saying what to do.
    pub fn secrets(&self) -> Result<Arc<dyn SecretStore>> {
        self.keychain.clone()
    }

    /// The name of the keychain in use, or the error that keeps it from being used.
    pub fn keychain_backend(&self) -> Result<String> {
        self.keychain
            .as_ref()
            .map(|s| s.backend_name())
            .map_err(Error::clone)
    }

    /// The account's credential provider, made once and shared, so concurrent calls share one
    /// token refresh.
    pub fn credentials(&self, account: &Account) -> Result<Arc<dyn CredentialProvider>> {
        let mut cache = lock(&self.credentials);
        if let Some(existing) = cache.get(&account.id) {
            return Ok(Arc::clone(existing));
        }
        let sink: Arc<dyn AccountStatusSink> = self.accounts.clone();
        let provider = credentials_for(account, self.secrets()?, sink)?;
        cache.insert(account.id.clone(), Arc::clone(&provider));
        Ok(provider)
    }

    /// The account's connector, sharing its credential provider (one refresh at a time) and
    /// its rate limiter (the HTTP client keeps one per account) with every other caller.
    pub fn connector(&self, account: &Account) -> Result<Arc<dyn Connector>> {
        connectors::for_account(account, self.credentials(account)?, &self.http)
    }

    /// The account whose id is `account_id`, or a `not_found` error a person can read.
    pub async fn account(&self, account_id: &str) -> Result<Account> {
        self.accounts
            .get(account_id)
            .await?
            .ok_or_else(|| Error::not_found("That account is no longer linked."))
    }

    /// Drops a cached provider (after unlinking or re-linking the account).
    pub fn forget_credentials(&self, account_id: &str) {
        lock(&self.credentials).remove(account_id);
    }
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    // A map of providers has no invariant a panic could break.
    mutex
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}
