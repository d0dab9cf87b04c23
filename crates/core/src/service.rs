//! The facade callers (CLI, Tauri shell) use to reach a linked account's connector: the account
//! store, the keychain and the one HTTP client, wired together once.

use std::path::Path;
use std::sync::Arc;

use crate::accounts::{self, Account, AccountStore};
use crate::auth::token_manager::AccountStatusSink;
use crate::connectors::{self, Connector};
use crate::http::{HttpClient, HttpConfig};
use crate::secrets::{Secret, SecretStore};
use crate::{Result, Vendor};

#[derive(Clone)]
pub struct Service {
    accounts: AccountStore,
    secrets: Arc<dyn SecretStore>,
    http: HttpClient,
}

impl Service {
    pub fn new(accounts: AccountStore, secrets: Arc<dyn SecretStore>, http: HttpClient) -> Self {
        Self {
            accounts,
            secrets,
            http,
        }
    }

    /// Opens the database in `data_dir` and uses `secrets` with a default HTTP client.
    pub async fn open(data_dir: &Path, secrets: Arc<dyn SecretStore>) -> Result<Self> {
        let pool = crate::db::open(data_dir).await?;
        Ok(Self::new(
            AccountStore::new(pool),
            secrets,
            HttpClient::new(HttpConfig::default())?,
        ))
    }

    pub fn accounts(&self) -> &AccountStore {
        &self.accounts
    }

    pub fn secrets(&self) -> &Arc<dyn SecretStore> {
        &self.secrets
    }

    pub fn http(&self) -> &HttpClient {
        &self.http
    }

    /// The connector of the account whose id or label is `account`, with refreshing credentials
    /// for OAuth accounts (a refused refresh marks the account "needs re-link").
    pub async fn connector(&self, account: &str) -> Result<(Account, Arc<dyn Connector>)> {
        let account = self.accounts.get_by_id_or_label(account).await?;
        let sink: Arc<dyn AccountStatusSink> = Arc::new(self.accounts.clone());
        let credentials = crate::auth::credentials_for(&account, self.secrets.clone(), sink)?;
        let connector = connectors::for_account(&account, credentials, &self.http)?;
        Ok((account, connector))
    }

    /// Links an API-key account after checking the key with the vendor.
    pub async fn link_api_key(
        &self,
        vendor: Vendor,
        label: &str,
        base_url: Option<&str>,
        key: Secret,
    ) -> Result<Account> {
        accounts::link_api_key(
            &self.accounts,
            self.secrets.as_ref(),
            &self.http,
            vendor,
            label,
            base_url,
            key,
        )
        .await
    }

    /// Unlinks an account: its keychain entry, then its row.
    pub async fn remove_account(&self, account: &str) -> Result<Account> {
        self.accounts.remove(account, self.secrets.as_ref()).await
    }
}
