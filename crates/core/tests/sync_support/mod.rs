//! Shared setup for the sync tests: a fake ATS, an account on it, a cache, snapshots.
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use hirebridge_core::Vendor;
use hirebridge_core::accounts::{Account, AccountStore, api_key_header};
use hirebridge_core::connectors::{self, Connector};
use hirebridge_core::http::{HttpClient, HttpConfig, RetryPolicy, StaticCredentials};
use hirebridge_core::secrets::Secret;
use hirebridge_core::sync::{SyncConfig, SyncEngine, SyncOptions, SyncReport};
use sqlx::SqlitePool;

pub use fake_ats::{Config, FaultSpec, RunningFake, VendorId};

pub fn http() -> HttpClient {
    HttpClient::new(HttpConfig {
        retry: RetryPolicy {
            max_attempts: 12,
            base_delay: Duration::from_millis(20),
            max_delay: Duration::from_millis(400),
            max_retry_after: Duration::from_secs(2),
            rate_limit_budget: Duration::from_secs(20),
        },
        ..HttpConfig::default()
    })
    .expect("client")
}

pub async fn fake(seed: u64, candidates: usize, rate_limits: bool) -> RunningFake {
    fake_ats::spawn(Config {
        seed,
        candidates,
        jobs: 6,
        users: 5,
        rate_limits,
        ..Config::default()
    })
    .await
    .expect("fake ATS starts")
}

pub fn vendor_id(v: Vendor) -> VendorId {
    match v {
        Vendor::SmartRecruiters => VendorId::SmartRecruiters,
        Vendor::Lever => VendorId::Lever,
        Vendor::Unberry => VendorId::Unberry,
    }
}

pub fn base_url_and_key(fake: &RunningFake, vendor: Vendor) -> (String, String) {
    let i = fake.info();
    let v = match vendor {
        Vendor::SmartRecruiters => &i.smartrecruiters,
        Vendor::Lever => &i.lever,
        Vendor::Unberry => &i.unberry,
    };
    (v.base_url.clone(), v.api_key.clone())
}

/// One account on the fake (the same id in every cache it is added to).
pub fn account(fake: &RunningFake, vendor: Vendor) -> Account {
    let (base, _) = base_url_and_key(fake, vendor);
    Account::new_api_key(
        vendor,
        &format!("{} sync test", vendor.as_str()),
        Some(&base),
    )
    .expect("account")
}

pub fn connector_for(account: &Account, key: &str, http: &HttpClient) -> Arc<dyn Connector> {
    let creds = Arc::new(StaticCredentials(api_key_header(
        account.vendor,
        Secret::new(key.to_owned()),
    )));
    connectors::for_account(account, creds, http).expect("connector")
}

pub fn connector(fake: &RunningFake, account: &Account) -> Arc<dyn Connector> {
    let (_, key) = base_url_and_key(fake, account.vendor);
    connector_for(account, &key, &http())
}

pub async fn cache_with(account: &Account) -> SqlitePool {
    let pool = hirebridge_core::db::open_in_memory().await.expect("cache");
    AccountStore::new(pool.clone())
        .insert(account)
        .await
        .expect("account row");
    pool
}

pub async fn file_cache_with(dir: &Path, account: &Account) -> SqlitePool {
    let pool = hirebridge_core::db::open(dir).await.expect("cache");
    if AccountStore::new(pool.clone())
        .get(&account.id)
        .await
        .expect("read accounts")
        .is_none()
    {
        AccountStore::new(pool.clone())
            .insert(account)
            .await
            .expect("account row");
    }
    pool
}

pub async fn sync(pool: &SqlitePool, connector: &Arc<dyn Connector>, full: bool) -> SyncReport {
    SyncEngine::new(pool.clone(), SyncConfig::default())
        .sync_account(
            connector.clone(),
            &SyncOptions {
                full,
                ..SyncOptions::default()
            },
        )
        .await
        .expect("sync succeeds")
}

/// Everything cached for an account, bookkeeping columns (row ids, run ids, fetch times) left
/// out: (table, remote id) → row as JSON.
pub async fn snapshot(pool: &SqlitePool) -> BTreeMap<(String, String), String> {
    let queries = [
        (
            "candidates",
            "SELECT remote_id, json_array(first_name, last_name, name, emails, phones, company, title, \
             tags, identities, created_at, updated_at, record, remote_data) FROM cached_candidates",
        ),
        (
            "applications",
            "SELECT remote_id, json_array(candidate_remote_id, job_remote_id, stage_id, stage_name, \
             stage_category, applied_at, rejected_at, created_at, updated_at, record, remote_data) \
             FROM cached_applications",
        ),
        (
            "jobs",
            "SELECT remote_id, json_array(name, status, created_at, updated_at, record, remote_data) \
             FROM cached_jobs",
        ),
        (
            "users",
            "SELECT remote_id, json_array(name, updated_at, record, remote_data) FROM cached_users",
        ),
        (
            "roles",
            "SELECT remote_id, json_array(name, record, remote_data) FROM cached_roles",
        ),
        (
            "groups",
            "SELECT remote_id, json_array(name, record, remote_data) FROM cached_groups",
        ),
        (
            "assessments",
            "SELECT remote_id, json_array(name, parent_remote_id, candidate_remote_id, updated_at, \
             record, remote_data) FROM cached_assessments",
        ),
        (
            "interviews",
            "SELECT remote_id, json_array(name, parent_remote_id, candidate_remote_id, updated_at, \
             record, remote_data) FROM cached_interviews",
        ),
        (
            "attachments",
            "SELECT remote_id, json_array(candidate_remote_id, file_name, record) FROM cached_attachments",
        ),
    ];
    let mut out = BTreeMap::new();
    for (table, sql) in queries {
        let rows: Vec<(String, String)> = sqlx::query_as(sql)
            .fetch_all(pool)
            .await
            .expect("snapshot query");
        for (id, row) in rows {
            out.insert((table.to_owned(), id), row);
        }
    }
    out
}

/// Keys present or different in one snapshot and not the other.
pub fn differences(
    a: &BTreeMap<(String, String), String>,
    b: &BTreeMap<(String, String), String>,
) -> Vec<(String, String)> {
    let mut keys: Vec<_> = a
        .keys()
        .chain(b.keys())
        .filter(|k| a.get(*k) != b.get(*k))
        .cloned()
        .collect();
    keys.sort();
    keys.dedup();
    keys
}

pub async fn count(pool: &SqlitePool, sql: &str) -> i64 {
    sqlx::query_scalar(sql)
        .fetch_one(pool)
        .await
        .expect("count")
}

/// Whether the vendor filters this resource by update time (else every run is a full one).
pub fn filters_by_update(
    connector: &Arc<dyn Connector>,
    resource: hirebridge_core::sync::SyncResource,
) -> bool {
    connector
        .capabilities()
        .get(resource.list_operation())
        .is_some_and(|o| o.supported_fields.iter().any(|f| f == "updated_after"))
}
