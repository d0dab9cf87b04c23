//! One scenario's world: a fake ATS, a file cache in a temporary data dir, three accounts linked
//! through the real OAuth flow, and the product's own HTTP client, token manager and sync engine.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use anyhow::{Context, Result, anyhow};
use fake_ats::{Config, RunningFake, VendorId, VendorInfo};
use hirebridge_core::accounts::{Account, AccountStore};
use hirebridge_core::auth::{
    BrowserOpener, OAuthClientConfig, OAuthLinkRequest, OAuthOverrides, Url, credentials_for,
    link_oauth_account,
};
use hirebridge_core::connectors::{self, Connector};
use hirebridge_core::http::{HttpClient, HttpConfig};
use hirebridge_core::secrets::{MemorySecretStore, Secret, SecretStore};
use hirebridge_core::sync::{EventSink, SyncConfig, SyncEngine, SyncOptions, SyncReport};
use hirebridge_core::{Vendor, auth::AccountStatusSink};
use sqlx::SqlitePool;

pub const VENDORS: [Vendor; 3] = [Vendor::SmartRecruiters, Vendor::Lever, Vendor::Unberry];

pub fn vendor_id(v: Vendor) -> VendorId {
    match v {
        Vendor::SmartRecruiters => VendorId::SmartRecruiters,
        Vendor::Lever => VendorId::Lever,
        Vendor::Unberry => VendorId::Unberry,
    }
}

pub fn vendor_info(fake: &RunningFake, v: Vendor) -> VendorInfo {
    let info = fake.info();
    match v {
        Vendor::SmartRecruiters => info.smartrecruiters.clone(),
        Vendor::Lever => info.lever.clone(),
        Vendor::Unberry => info.unberry.clone(),
    }
}

pub async fn spawn_fake(seed: u64, candidates: usize) -> Result<RunningFake> {
    fake_ats::spawn(Config {
        seed,
        candidates,
        jobs: 5,
        users: 4,
        rate_limits: true,
        auto_consent: true,
        ..Config::default()
    })
    .await
}

/// The vendor's OAuth client pointed at the fake, as a user would configure it.
pub fn oauth_config(fake: &RunningFake, vendor: Vendor) -> Result<OAuthClientConfig> {
    let info = vendor_info(fake, vendor);
    OAuthClientConfig::for_vendor(
        vendor,
        OAuthOverrides {
            base_url: Some(info.base_url.clone()),
            authorize_url: Some(info.oauth.authorize_url.clone()),
            token_url: Some(info.oauth.token_url.clone()),
            client_id: Some(info.oauth.client_id.clone()),
            client_secret: Some(Secret::new(info.oauth.client_secret.clone())),
            ..Default::default()
        },
    )
    .map_err(|e| anyhow!("OAuth config for {vendor}: {e}"))
}

/// Plays the user's browser on an auto-consenting fake: follows the authorization URL to the
/// loopback redirect and delivers it, in the background.
pub struct AutoBrowser;

impl BrowserOpener for AutoBrowser {
    fn open(&self, url: &Url) -> Result<(), String> {
        let url = url.clone();
        let handle = tokio::runtime::Handle::try_current().map_err(|e| e.to_string())?;
        handle.spawn(async move {
            if let Err(e) = follow(url).await {
                eprintln!("chaos browser: {e:#}");
            }
        });
        Ok(())
    }
}

pub async fn follow(start: Url) -> Result<()> {
    let http = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()?;
    let mut url = start;
    for _ in 0..10 {
        let response = http.get(url.clone()).send().await?;
        let Some(location) = response.headers().get("location") else {
            return Ok(()); // the loopback listener's answer page
        };
        url = url.join(location.to_str()?)?;
    }
    Err(anyhow!("too many redirects"))
}

/// Links `vendor` through the product's OAuth flow (loopback listener, PKCE, token exchange).
pub async fn link(
    fake: &RunningFake,
    store: &AccountStore,
    secrets: &dyn SecretStore,
    vendor: Vendor,
    label: &str,
) -> hirebridge_core::Result<Account> {
    let config =
        oauth_config(fake, vendor).map_err(|e| hirebridge_core::Error::internal(e.to_string()))?;
    link_oauth_account(
        store,
        secrets,
        OAuthLinkRequest {
            config,
            label: label.to_owned(),
            base_url: Some(vendor_info(fake, vendor).base_url),
            timeout: Duration::from_secs(30),
        },
        &AutoBrowser,
    )
    .await
}

/// Links an account again after its sign-in was refused (the user's "Re-link" button).
pub async fn relink(
    fake: &RunningFake,
    store: &AccountStore,
    secrets: &dyn SecretStore,
    account: &Account,
) -> Result<()> {
    let config = oauth_config(fake, account.vendor)?;
    let (_url, pending) = hirebridge_core::auth::OAuthFlow::start(
        config.clone(),
        hirebridge_core::auth::RedirectMode::Loopback,
        &AutoBrowser,
    )
    .await?;
    let tokens = pending.wait(Duration::from_secs(30)).await?;
    hirebridge_core::auth::relink_oauth_account(store, secrets, &account.id, &config, tokens)
        .await?;
    Ok(())
}

/// The in-memory secret store, counting live entries (to catch one left behind).
#[derive(Default)]
pub struct Vault {
    inner: MemorySecretStore,
    live: std::sync::Mutex<std::collections::HashSet<String>>,
    writes: std::sync::Mutex<std::collections::HashMap<String, usize>>,
}

impl Vault {
    pub fn live(&self) -> usize {
        self.live.lock().map(|l| l.len()).unwrap_or(0)
    }

    /// How many times the account's entry was written.
    pub fn writes(&self, account_id: &str) -> usize {
        self.writes
            .lock()
            .map(|w| w.get(account_id).copied().unwrap_or(0))
            .unwrap_or(0)
    }
}

impl SecretStore for Vault {
    fn get(
        &self,
        account_id: &str,
    ) -> hirebridge_core::Result<Option<hirebridge_core::secrets::StoredSecret>> {
        self.inner.get(account_id)
    }

    fn set(
        &self,
        account_id: &str,
        secret: &hirebridge_core::secrets::StoredSecret,
    ) -> hirebridge_core::Result<()> {
        self.inner.set(account_id, secret)?;
        if let Ok(mut live) = self.live.lock() {
            live.insert(account_id.to_owned());
        }
        if let Ok(mut writes) = self.writes.lock() {
            *writes.entry(account_id.to_owned()).or_default() += 1;
        }
        Ok(())
    }

    fn delete(&self, account_id: &str) -> hirebridge_core::Result<()> {
        self.inner.delete(account_id)?;
        if let Ok(mut live) = self.live.lock() {
            live.remove(account_id);
        }
        Ok(())
    }

    fn backend_name(&self) -> String {
        self.inner.backend_name()
    }
}

pub fn http_client() -> Result<HttpClient> {
    Ok(HttpClient::new(HttpConfig::default())?)
}

pub struct World {
    pub fake: RunningFake,
    pub dir: tempfile::TempDir,
    pub pool: SqlitePool,
    pub store: AccountStore,
    pub secrets: Arc<dyn SecretStore>,
    pub vault: Arc<Vault>,
    pub http: HttpClient,
    pub accounts: Vec<Account>,
}

impl World {
    /// A fake with `candidates` per vendor and a cache in a fresh data dir; with `linked`, one
    /// OAuth account per vendor already linked.
    pub async fn new(seed: u64, candidates: usize, linked: bool) -> Result<Self> {
        let dir = tempfile::tempdir()?;
        Self::in_dir(seed, candidates, linked, dir).await
    }

    pub async fn in_dir(
        seed: u64,
        candidates: usize,
        linked: bool,
        dir: tempfile::TempDir,
    ) -> Result<Self> {
        let fake = spawn_fake(seed, candidates).await?;
        let pool = hirebridge_core::db::open(dir.path()).await?;
        let store = AccountStore::new(pool.clone());
        let vault = Arc::new(Vault::default());
        let secrets: Arc<dyn SecretStore> = vault.clone();
        let mut world = Self {
            fake,
            dir,
            pool,
            store,
            secrets,
            vault,
            http: http_client()?,
            accounts: Vec::new(),
        };
        if linked {
            for v in VENDORS {
                let a = link(
                    &world.fake,
                    &world.store,
                    world.secrets.as_ref(),
                    v,
                    &label(v),
                )
                .await
                .with_context(|| format!("linking {v}"))?;
                world.accounts.push(a);
            }
        }
        Ok(world)
    }

    pub fn data_dir(&self) -> PathBuf {
        self.dir.path().to_path_buf()
    }

    pub fn connector(&self, account: &Account) -> hirebridge_core::Result<Arc<dyn Connector>> {
        let sink: Arc<dyn AccountStatusSink> = Arc::new(self.store.clone());
        let creds = credentials_for(account, self.secrets.clone(), sink)?;
        connectors::for_account(account, creds, &self.http)
    }

    /// Syncs every account at once (as the app's scheduler does) into `pool`.
    pub async fn sync_all(
        &self,
        pool: &SqlitePool,
        full: bool,
        events: Option<EventSink>,
    ) -> Vec<(Account, hirebridge_core::Result<SyncReport>)> {
        let mut engine = SyncEngine::new(pool.clone(), SyncConfig::default());
        if let Some(sink) = events {
            engine = engine.with_events(sink);
        }
        let engine = Arc::new(engine);
        let runs = self.accounts.iter().map(|a| {
            let engine = engine.clone();
            let connector = self.connector(a);
            async move {
                let result = match connector {
                    Ok(c) => {
                        engine
                            .sync_account(
                                c,
                                &SyncOptions {
                                    full,
                                    ..SyncOptions::default()
                                },
                            )
                            .await
                    }
                    Err(e) => Err(e),
                };
                (a.clone(), result)
            }
        });
        futures::future::join_all(runs).await
    }

    /// What a clean full sync of the vendors' current data gives, in a fresh cache.
    pub async fn reference(&self) -> Result<Snapshot> {
        let fresh = hirebridge_core::db::open_in_memory().await?;
        let store = AccountStore::new(fresh.clone());
        for a in &self.accounts {
            store.insert(a).await?;
        }
        for (a, r) in self.sync_all(&fresh, true, None).await {
            r.with_context(|| format!("reference sync of {}", a.label))?;
        }
        snapshot(&fresh).await
    }

    /// Live candidate records per vendor, from the fake's own state.
    pub fn vendor_records(&self) -> usize {
        VENDORS
            .iter()
            .map(|v| self.fake.admin().candidate_ids(vendor_id(*v)).len())
            .sum()
    }
}

pub fn label(v: Vendor) -> String {
    format!("{} chaos", v.as_str())
}

/// Everything cached, bookkeeping columns (row ids, run ids, fetch times) left out:
/// (table, account, remote id) → row as JSON.
pub type Snapshot = BTreeMap<(String, String, String), String>;

pub async fn snapshot(pool: &SqlitePool) -> Result<Snapshot> {
    let queries = [
        (
            "candidates",
            "SELECT account_id, remote_id, json_array(first_name, last_name, name, emails, phones, company, \
             title, tags, identities, created_at, updated_at, record, remote_data) FROM cached_candidates",
        ),
        (
            "applications",
            "SELECT account_id, remote_id, json_array(candidate_remote_id, job_remote_id, stage_id, stage_name, \
             stage_category, applied_at, rejected_at, created_at, updated_at, record, remote_data) \
             FROM cached_applications",
        ),
        (
            "jobs",
            "SELECT account_id, remote_id, json_array(name, status, created_at, updated_at, record, remote_data) \
             FROM cached_jobs",
        ),
        (
            "users",
            "SELECT account_id, remote_id, json_array(name, updated_at, record, remote_data) FROM cached_users",
        ),
        (
            "attachments",
            // Attachments of candidates the chaos run pushed are left out: the push caches the
            // resume it uploaded, while a sync fetches attachments only when a candidate is opened.
            "SELECT account_id, remote_id, json_array(candidate_remote_id, file_name, record) FROM cached_attachments \
             WHERE candidate_remote_id IS NULL OR candidate_remote_id NOT IN \
             (SELECT remote_id FROM cached_candidates WHERE emails LIKE '%chaos.%')",
        ),
    ];
    let mut out = BTreeMap::new();
    for (table, sql) in queries {
        let rows: Vec<(String, String, String)> = sqlx::query_as(sql).fetch_all(pool).await?;
        for (account, id, row) in rows {
            out.insert((table.to_owned(), account, id), row);
        }
    }
    Ok(out)
}

/// How a cache differs from the reference: records missing or different (lost), and records
/// the reference does not have (stale).
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Diff {
    pub lost: usize,
    pub stale: usize,
    /// Which tables differ, and by how many records: "applications 3, candidates 1".
    pub tables: String,
}

pub fn diff(cache: &Snapshot, reference: &Snapshot) -> Diff {
    let mut tables: BTreeMap<&str, usize> = BTreeMap::new();
    let mut lost = 0;
    for (k, v) in reference {
        if cache.get(k) != Some(v) {
            lost += 1;
            *tables.entry(k.0.as_str()).or_default() += 1;
        }
    }
    let mut stale = 0;
    for k in cache.keys().filter(|k| !reference.contains_key(*k)) {
        stale += 1;
        *tables.entry(k.0.as_str()).or_default() += 1;
        if std::env::var_os("CHAOS_SHOW_DIFF").is_some() {
            eprintln!("  not in the reference: {} {}", k.0, k.2);
        }
    }
    let tables = tables
        .iter()
        .map(|(t, n)| format!("{t} {n}"))
        .collect::<Vec<_>>()
        .join(", ");
    Diff {
        lost,
        stale,
        tables,
    }
}

/// A copy of the cache as it is now, in `dir`/`name` (for a fault-free run of the same sync).
pub async fn copy_cache(pool: &SqlitePool, dir: &Path, name: &str) -> Result<SqlitePool> {
    let copy_dir = dir.join(name);
    std::fs::create_dir_all(&copy_dir)?;
    let target = db_file(&copy_dir);
    sqlx::query("VACUUM INTO ?")
        .bind(target.to_string_lossy().into_owned())
        .execute(pool)
        .await?;
    Ok(hirebridge_core::db::open(&copy_dir).await?)
}

/// Judges a cache against a clean full sync and, for incremental runs, against the same
/// incremental run without the fault. SmartRecruiters and Unberry have no deletion feed, so an
/// incremental run leaves deleted records until the periodic full run: by design, not a loss.
pub fn judge_cache(
    cache: &Snapshot,
    full: &Snapshot,
    incremental: Option<&Snapshot>,
) -> (Diff, Option<String>) {
    let against_full = diff(cache, full);
    match incremental {
        None => (against_full, None),
        Some(clean) => {
            let against_clean = diff(cache, clean);
            let d = Diff {
                lost: against_full.lost.max(against_clean.lost),
                stale: against_clean.stale,
                tables: against_clean.tables,
            };
            let note = (against_full.stale > 0).then(|| {
                format!(
                    "{} vendor deletion(s) wait for the next full run (no deletion feed), as in a fault-free incremental run",
                    against_full.stale
                )
            });
            (d, note)
        }
    }
}

pub fn db_file(dir: &Path) -> PathBuf {
    dir.join(hirebridge_core::db::DB_FILE)
}
