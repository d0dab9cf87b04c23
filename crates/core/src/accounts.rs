//! Linked accounts: the `accounts` table (no secrets) plus their keychain entries.

use std::sync::Arc;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use sqlx::SqlitePool;

use crate::http::{AuthHeader, CredentialProvider, HttpClient, StaticCredentials};
use crate::secrets::{Secret, SecretStore, StoredSecret};
use crate::{Error, ErrorKind, Result, Vendor};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, specta::Type)]
pub enum AuthKind {
    #[serde(rename = "api_key")]
    ApiKey,
    #[serde(rename = "oauth")]
    OAuth,
}

impl AuthKind {
    pub fn as_str(self) -> &'static str {
        match self {
            AuthKind::ApiKey => "api_key",
            AuthKind::OAuth => "oauth",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "snake_case")]
pub enum AccountStatus {
    Active,
    /// The credential was refused for good: the user must link the account again.
    NeedsRelink,
}

impl AccountStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            AccountStatus::Active => "active",
            AccountStatus::NeedsRelink => "needs_relink",
        }
    }
}

/// Where an OAuth account gets its tokens. The client secret is never here: it is in the keychain.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
pub struct OAuthConfig {
    pub authorize_url: String,
    pub token_url: String,
    pub client_id: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, specta::Type)]
pub struct Account {
    pub id: String,
    pub vendor: Vendor,
    /// Unique name the user picked ("Acme SR").
    pub label: String,
    pub base_url: String,
    pub auth_kind: AuthKind,
    pub scopes: Vec<String>,
    pub oauth_config: Option<OAuthConfig>,
    pub status: AccountStatus,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl Account {
    /// A new API-key account with a fresh id.
    pub fn new_api_key(vendor: Vendor, label: &str, base_url: Option<&str>) -> Result<Self> {
        let label = label.trim();
        if label.is_empty() {
            return Err(Error::validation("An account needs a label."));
        }
        let base_url = base_url
            .map(str::trim)
            .filter(|u| !u.is_empty())
            .unwrap_or(vendor.default_base_url())
            .trim_end_matches('/')
            .to_owned();
        let parsed = url::Url::parse(&base_url)
            .map_err(|e| Error::validation(format!("The base URL {base_url} is invalid: {e}")))?;
        if !matches!(parsed.scheme(), "http" | "https") {
            return Err(Error::validation(format!(
                "The base URL {base_url} must be http(s)."
            )));
        }
        let now = Utc::now();
        Ok(Self {
            id: uuid::Uuid::new_v4().to_string(),
            vendor,
            label: label.to_owned(),
            base_url,
            auth_kind: AuthKind::ApiKey,
            scopes: Vec::new(),
            oauth_config: None,
            status: AccountStatus::Active,
            created_at: now,
            updated_at: now,
        })
    }
}

/// The header a vendor's API key goes in.
pub fn api_key_header(vendor: Vendor, key: Secret) -> AuthHeader {
    match vendor {
        Vendor::SmartRecruiters => AuthHeader::SmartToken(key),
        Vendor::Lever => AuthHeader::BasicUser(key),
        Vendor::Unberry => AuthHeader::ApiKey(key),
    }
}

/// Credentials of an account from its keychain entry. OAuth accounts get their stored access
/// token as is; the token manager in `auth` replaces this with a refreshing provider.
pub fn stored_credentials(
    account: &Account,
    secrets: &dyn SecretStore,
) -> Result<Arc<dyn CredentialProvider>> {
    let secret = secrets.get(&account.id)?.ok_or_else(|| {
        Error::new(
            ErrorKind::NeedsRelink,
            // Name the store looked in: on Linux a stopped or locked Secret Service makes the
            // app fall back to the kernel keyring, where the credential is not (chaos matrix).
            format!(
                "No credential for \"{}\" in the keychain ({}). If your keyring service is \
                 stopped or locked, start or unlock it and try again; otherwise link the account again.",
                account.label,
                secrets.backend_name()
            ),
        )
    })?;
    let header = match secret {
        StoredSecret::ApiKey { key } => api_key_header(account.vendor, key),
        StoredSecret::OAuth { access_token, .. } => AuthHeader::Bearer(access_token),
    };
    Ok(Arc::new(StaticCredentials(header)))
}

#[derive(sqlx::FromRow)]
struct AccountRow {
    id: String,
    vendor: String,
    label: String,
    base_url: String,
    auth_kind: String,
    scopes: String,
    oauth_config: Option<String>,
    status: String,
    created_at: String,
    updated_at: String,
}

impl TryFrom<AccountRow> for Account {
    type Error = Error;

    fn try_from(row: AccountRow) -> Result<Self> {
        let corrupt = |what: &str| {
            Error::new(
                ErrorKind::Storage,
                format!("Account {} has an unreadable {what}.", row.id),
            )
        };
        let time = |s: &str| DateTime::parse_from_rfc3339(s).map(|d| d.to_utc());
        Ok(Account {
            vendor: row.vendor.parse()?,
            auth_kind: match row.auth_kind.as_str() {
                "api_key" => AuthKind::ApiKey,
                "oauth" => AuthKind::OAuth,
                _ => return Err(corrupt("auth kind")),
            },
            scopes: row.scopes.split_whitespace().map(str::to_owned).collect(),
            oauth_config: row
                .oauth_config
                .as_deref()
                .map(serde_json::from_str)
                .transpose()
                .map_err(|_| corrupt("OAuth configuration"))?,
            status: match row.status.as_str() {
                "active" => AccountStatus::Active,
                "needs_relink" => AccountStatus::NeedsRelink,
                _ => return Err(corrupt("status")),
            },
            created_at: time(&row.created_at).map_err(|_| corrupt("creation time"))?,
            updated_at: time(&row.updated_at).map_err(|_| corrupt("update time"))?,
            id: row.id,
            label: row.label,
            base_url: row.base_url,
        })
    }
}

const COLUMNS: &str =
    "id, vendor, label, base_url, auth_kind, scopes, oauth_config, status, created_at, updated_at";

/// The `accounts` table.
#[derive(Clone)]
pub struct AccountStore {
    pool: SqlitePool,
}

impl AccountStore {
    pub fn new(pool: SqlitePool) -> Self {
        Self { pool }
    }

    pub async fn insert(&self, account: &Account) -> Result<()> {
        let oauth = account
            .oauth_config
            .as_ref()
            .map(serde_json::to_string)
            .transpose()
            .map_err(|e| {
                Error::internal(format!("Could not encode the OAuth configuration: {e}"))
            })?;
        let result = sqlx::query(&format!(
            "INSERT INTO accounts ({COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
        ))
        .bind(&account.id)
        .bind(account.vendor.as_str())
        .bind(&account.label)
        .bind(&account.base_url)
        .bind(account.auth_kind.as_str())
        .bind(account.scopes.join(" "))
        .bind(oauth)
        .bind(account.status.as_str())
        .bind(account.created_at.to_rfc3339())
        .bind(account.updated_at.to_rfc3339())
        .execute(&self.pool)
        .await;
        match result {
            Err(sqlx::Error::Database(e)) if e.is_unique_violation() => Err(Error::new(
                ErrorKind::Conflict,
                format!("An account labelled \"{}\" already exists.", account.label),
            )),
            other => other.map(|_| ()).map_err(Error::from),
        }
    }

    pub async fn list(&self) -> Result<Vec<Account>> {
        let rows: Vec<AccountRow> = sqlx::query_as(&format!(
            "SELECT {COLUMNS} FROM accounts ORDER BY created_at, label"
        ))
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter().map(Account::try_from).collect()
    }

    pub async fn get(&self, id: &str) -> Result<Option<Account>> {
        let row: Option<AccountRow> =
            sqlx::query_as(&format!("SELECT {COLUMNS} FROM accounts WHERE id = ?"))
                .bind(id)
                .fetch_optional(&self.pool)
                .await?;
        row.map(Account::try_from).transpose()
    }

    /// The account whose id, or else label, is `key`.
    pub async fn get_by_id_or_label(&self, key: &str) -> Result<Account> {
        let row: Option<AccountRow> = sqlx::query_as(&format!(
            "SELECT {COLUMNS} FROM accounts WHERE id = ?1 OR label = ?1 ORDER BY id = ?1 DESC LIMIT 1"
        ))
        .bind(key.trim())
        .fetch_optional(&self.pool)
        .await?;
        row.map(Account::try_from).transpose()?.ok_or_else(|| {
            Error::not_found(format!(
                "No linked account has the id or label \"{}\".",
                key.trim()
            ))
        })
    }

    pub async fn set_status(&self, id: &str, status: AccountStatus) -> Result<()> {
        let done = sqlx::query("UPDATE accounts SET status = ?, updated_at = ? WHERE id = ?")
            .bind(status.as_str())
            .bind(Utc::now().to_rfc3339())
            .bind(id)
            .execute(&self.pool)
            .await?;
        if done.rows_affected() == 0 {
            return Err(Error::not_found(format!(
                "No linked account has the id \"{id}\"."
            )));
        }
        Ok(())
    }

    /// Removes the account and its keychain entry. The keychain goes first: if it fails, the
    /// account stays listed so the user can try again rather than leave an orphaned secret.
    pub async fn remove(&self, id_or_label: &str, secrets: &dyn SecretStore) -> Result<Account> {
        let account = self.get_by_id_or_label(id_or_label).await?;
        secrets.delete(&account.id)?;
        sqlx::query("DELETE FROM accounts WHERE id = ?")
            .bind(&account.id)
            .execute(&self.pool)
            .await?;
        let any_left: bool = sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM accounts)")
            .fetch_one(&self.pool)
            .await?;
        if !any_left {
            secrets.no_secret_left();
        }
        Ok(account)
    }
}

/// Links an API-key account: checks the key with one cheap vendor call, stores it in the
/// keychain, then the account row. Nothing is kept if any step fails.
pub async fn link_api_key(
    store: &AccountStore,
    secrets: &dyn SecretStore,
    http: &HttpClient,
    vendor: Vendor,
    label: &str,
    base_url: Option<&str>,
    key: Secret,
) -> Result<Account> {
    if key.expose().trim().is_empty() {
        return Err(Error::validation("The API key is empty."));
    }
    let account = Account::new_api_key(vendor, label, base_url)?;
    if store.get_by_id_or_label(&account.label).await.is_ok() {
        return Err(Error::new(
            ErrorKind::Conflict,
            format!("An account labelled \"{}\" already exists.", account.label),
        ));
    }
    let key = Secret::new(key.expose().trim());
    let credentials: Arc<dyn CredentialProvider> =
        Arc::new(StaticCredentials(api_key_header(vendor, key.clone())));
    let connector = crate::connectors::for_account(&account, credentials, http)?;
    connector.verify_credentials().await?;
    secrets.set(&account.id, &StoredSecret::ApiKey { key })?;
    if let Err(e) = store.insert(&account).await {
        let _ = secrets.delete(&account.id);
        return Err(e);
    }
    Ok(account)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::secrets::MemorySecretStore;

    #[tokio::test]
    async fn stores_finds_updates_and_removes_accounts_with_their_secret() {
        let store = AccountStore::new(crate::db::open_in_memory().await.expect("db"));
        let secrets = MemorySecretStore::new();
        let mut account = Account::new_api_key(
            Vendor::Lever,
            "Acme Lever",
            Some("http://127.0.0.1:9/lever/v1/"),
        )
        .expect("valid");
        account.scopes = vec!["opportunities:read:admin".into()];
        store.insert(&account).await.expect("insert");
        secrets
            .set(
                &account.id,
                &StoredSecret::ApiKey {
                    key: Secret::new("k"),
                },
            )
            .expect("secret");

        let by_label = store
            .get_by_id_or_label("Acme Lever")
            .await
            .expect("by label");
        assert_eq!(by_label.id, account.id);
        assert_eq!(by_label.base_url, "http://127.0.0.1:9/lever/v1");
        assert_eq!(by_label.scopes, account.scopes);
        assert_eq!(
            store
                .get_by_id_or_label(&account.id)
                .await
                .expect("by id")
                .label,
            "Acme Lever"
        );

        let dup = Account::new_api_key(Vendor::Lever, "Acme Lever", None).expect("valid");
        assert_eq!(
            store.insert(&dup).await.expect_err("same label").kind,
            ErrorKind::Conflict
        );

        store
            .set_status(&account.id, AccountStatus::NeedsRelink)
            .await
            .expect("status");
        assert_eq!(
            store.list().await.expect("list")[0].status,
            AccountStatus::NeedsRelink
        );

        store.remove("Acme Lever", &secrets).await.expect("removed");
        assert!(store.list().await.expect("list").is_empty());
        assert_eq!(
            secrets.get(&account.id).expect("get"),
            None,
            "keychain entry deleted too"
        );
        assert_eq!(
            store
                .get_by_id_or_label("Acme Lever")
                .await
                .expect_err("gone")
                .kind,
            ErrorKind::NotFound
        );
    }

    #[test]
    fn api_keys_go_in_each_vendors_header() {
        assert!(matches!(
            api_key_header(Vendor::SmartRecruiters, Secret::new("k")),
            AuthHeader::SmartToken(_)
        ));
        assert!(matches!(
            api_key_header(Vendor::Lever, Secret::new("k")),
            AuthHeader::BasicUser(_)
        ));
        assert!(matches!(
            api_key_header(Vendor::Unberry, Secret::new("k")),
            AuthHeader::ApiKey(_)
        ));
    }
}
