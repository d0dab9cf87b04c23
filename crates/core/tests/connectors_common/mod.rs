//! Shared setup for the connector contract tests: a fake ATS, an account on it, a connector.
#![allow(dead_code)]

use std::sync::Arc;
use std::time::Duration;

use hirebridge_core::Vendor;
use hirebridge_core::accounts::{Account, api_key_header};
use hirebridge_core::connectors::{self, Connector};
use hirebridge_core::http::{HttpClient, HttpConfig, RetryPolicy, StaticCredentials};
use hirebridge_core::secrets::Secret;

pub use fake_ats::{Config, FaultSpec, RunningFake, VendorInfo};

pub fn http() -> HttpClient {
    http_with_429_budget(Duration::from_secs(30))
}

pub fn http_with_429_budget(budget: Duration) -> HttpClient {
    HttpClient::new(HttpConfig {
        retry: RetryPolicy {
            max_attempts: 10,
            base_delay: Duration::from_millis(50),
            max_delay: Duration::from_secs(1),
            max_retry_after: Duration::from_secs(2),
            rate_limit_budget: budget,
        },
        ..HttpConfig::default()
    })
    .expect("client")
}

pub async fn fake(config: Config) -> RunningFake {
    fake_ats::spawn(config).await.expect("fake ATS starts")
}

pub fn info(fake: &RunningFake, vendor: Vendor) -> VendorInfo {
    let i = fake.info();
    match vendor {
        Vendor::SmartRecruiters => i.smartrecruiters.clone(),
        Vendor::Lever => i.lever.clone(),
        Vendor::Unberry => i.unberry.clone(),
    }
}

pub fn account(fake: &RunningFake, vendor: Vendor) -> Account {
    let info = info(fake, vendor);
    Account::new_api_key(
        vendor,
        &format!("{} test", vendor.as_str()),
        Some(&info.base_url),
    )
    .expect("account")
}

/// A connector on the fake with the vendor's real key, or with `key` when given.
pub fn connector_with(
    fake: &RunningFake,
    vendor: Vendor,
    key: Option<&str>,
    http: &HttpClient,
) -> Arc<dyn Connector> {
    let info = info(fake, vendor);
    let key = key.map(str::to_owned).unwrap_or(info.api_key);
    let creds = Arc::new(StaticCredentials(api_key_header(vendor, Secret::new(key))));
    connectors::for_account(&account(fake, vendor), creds, http).expect("connector")
}

pub fn connector(fake: &RunningFake, vendor: Vendor) -> Arc<dyn Connector> {
    connector_with(fake, vendor, None, &http())
}

/// A real one-page PDF on disk.
pub fn pdf(dir: &std::path::Path, name: &str, text: &str) -> (std::path::PathBuf, Vec<u8>) {
    let bytes = fake_ats::pdf::one_page(&[text.to_owned(), "Hirebridge contract test".to_owned()]);
    let path = dir.join(name);
    std::fs::write(&path, &bytes).expect("write pdf");
    (path, bytes)
}
