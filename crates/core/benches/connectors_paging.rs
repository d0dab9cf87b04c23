//! Figures for the connectors: reading 10,000 records of each vendor from fake-ats through the
//! real client (its rate limiter paces every vendor as in production), and the cost of the
//! mapping alone. Prints figures; asserts nothing about time.
//!
//! `cargo bench -p hirebridge-core --bench connectors_paging`

use std::sync::Arc;
use std::time::Instant;

use hirebridge_core::Vendor;
use hirebridge_core::accounts::{Account, api_key_header};
use hirebridge_core::connectors::{self, Resource};
use hirebridge_core::http::{HttpClient, HttpConfig, StaticCredentials};
use hirebridge_core::model::ListOptions;
use hirebridge_core::secrets::Secret;

const RECORDS: usize = 10_000;

#[tokio::main]
async fn main() -> anyhow_free::Result {
    let fake = fake_ats::spawn(fake_ats::Config {
        candidates: RECORDS,
        ..Default::default()
    })
    .await
    .map_err(|e| e.to_string())?;
    let http = HttpClient::new(HttpConfig::default()).map_err(|e| e.message)?;
    println!(
        "connectors_paging: {RECORDS} records per vendor from fake-ats on loopback, 100 per page"
    );
    for (vendor, resource) in [
        (Vendor::SmartRecruiters, Resource::Candidates),
        (Vendor::Lever, Resource::Applications),
        (Vendor::Unberry, Resource::Candidates),
    ] {
        let info = match vendor {
            Vendor::SmartRecruiters => fake.info().smartrecruiters.clone(),
            Vendor::Lever => fake.info().lever.clone(),
            Vendor::Unberry => fake.info().unberry.clone(),
        };
        let account =
            Account::new_api_key(vendor, "bench", Some(&info.base_url)).map_err(|e| e.message)?;
        let creds = Arc::new(StaticCredentials(api_key_header(
            vendor,
            Secret::new(info.api_key),
        )));
        let connector = connectors::for_account(&account, creds, &http).map_err(|e| e.message)?;
        for keep_raw in [false, true] {
            let opts = ListOptions {
                limit: Some(100),
                ignore_remote_data: !keep_raw,
                background: true,
                ..Default::default()
            };
            let started = Instant::now();
            let all = connectors::list_all_json(connector.as_ref(), resource, &opts)
                .await
                .map_err(|e| e.message)?;
            let secs = started.elapsed().as_secs_f64();
            println!(
                "  {:<16} {:<13} remote_data={:<5} {:>6} records in {:>6.2} s = {:>7.0} records/s",
                vendor.display_name(),
                format!("{resource:?}"),
                keep_raw,
                all.len(),
                secs,
                all.len() as f64 / secs
            );
        }
    }
    fake.shutdown().await;
    Ok(())
}

/// A tiny result alias so the bench needs no extra crate.
mod anyhow_free {
    pub type Result = std::result::Result<(), String>;
}
