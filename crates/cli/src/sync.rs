//! `hirebridge sync`: pull linked accounts into the local cache.

use std::io::Write;
use std::sync::Arc;

use clap::Args;
use hirebridge_core::Result;
use hirebridge_core::cache::SqlitePool;
use hirebridge_core::service::Service;
use hirebridge_core::sync::{SyncConfig, SyncEngine, SyncEvent, SyncOptions, SyncReport};

use crate::args::Format;
use crate::table;

#[derive(Debug, Args)]
pub struct SyncArgs {
    /// Only this account (id or label); every linked account when left out.
    #[arg(long)]
    pub account: Option<String>,
    /// Read everything again and drop what the vendor no longer has.
    #[arg(long)]
    pub full: bool,
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
}

pub async fn sync(pool: &SqlitePool, service: &Service, args: SyncArgs) -> Result<()> {
    let accounts = match &args.account {
        Some(a) => vec![service.accounts().get_by_id_or_label(a).await?],
        None => service.accounts().list().await?,
    };
    // Progress on stderr (stdout carries the report), one line per page.
    let engine = SyncEngine::new(pool.clone(), SyncConfig::default()).with_events(Arc::new(
        |e: &SyncEvent| {
            if let SyncEvent::Progress(p) = e {
                let mut err = std::io::stderr();
                let _ = writeln!(
                    err,
                    "  {} {}: {} records ({:.0}/s)",
                    p.account_id,
                    p.resource.as_str(),
                    p.done,
                    p.rate_per_s
                );
            }
        },
    ));
    let options = SyncOptions {
        full: args.full,
        ..SyncOptions::default()
    };
    let mut reports: Vec<(String, SyncReport)> = Vec::new();
    for account in accounts {
        let (account, connector) = service.connector(&account.id).await?;
        eprintln!("Syncing {} ({})…", account.label, account.vendor);
        let report = engine.sync_account(connector, &options).await?;
        reports.push((account.label, report));
    }
    match args.format {
        Format::Json => {
            let all: Vec<&SyncReport> = reports.iter().map(|(_, r)| r).collect();
            let text = serde_json::to_string_pretty(&all)
                .map_err(|e| hirebridge_core::Error::internal(e.to_string()))?;
            println!("{text}");
        }
        Format::Table => {
            let rows: Vec<Vec<String>> = reports
                .iter()
                .flat_map(|(label, r)| {
                    r.resources.iter().map(move |x| {
                        vec![
                            label.clone(),
                            x.resource.as_str().to_owned(),
                            match (x.full, x.resumed) {
                                (_, true) => "resumed".to_owned(),
                                (true, _) => "full".to_owned(),
                                (false, _) => "incremental".to_owned(),
                            },
                            x.records.to_string(),
                            x.deleted.to_string(),
                            x.stage_changes.to_string(),
                            x.requests.to_string(),
                        ]
                    })
                })
                .collect();
            table::print(
                &[
                    "ACCOUNT",
                    "RESOURCE",
                    "RUN",
                    "RECORDS",
                    "DELETED",
                    "STAGE CHANGES",
                    "REQUESTS",
                ],
                &rows,
            );
        }
    }
    Ok(())
}
