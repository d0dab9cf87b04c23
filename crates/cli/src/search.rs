//! `hirebridge search` and list commands served from the local cache.

use clap::Args;
use hirebridge_core::accounts::AccountStore;
use hirebridge_core::cache::rows::SimpleTable;
use hirebridge_core::cache::{self, CandidateListQuery, SearchQuery, SqlitePool};
use hirebridge_core::connectors::Resource;
use hirebridge_core::sync::{SyncResource, last_synced};
use hirebridge_core::{Error, Result};

use crate::args::{Format, ListArgs, ResponseFormatArg};
use crate::table;

#[derive(Debug, Args)]
pub struct SearchArgs {
    /// Words to look for in names, emails, phones, company, title, tags and resume text; each
    /// word matches as a prefix ("ani ra" finds Anita Rao).
    pub query: String,
    /// Only this account (id or label).
    #[arg(long)]
    pub account: Option<String>,
    #[arg(long, default_value_t = 20)]
    pub limit: u32,
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
}

fn print_json<T: serde::Serialize + ?Sized>(value: &T) -> Result<()> {
    let text = serde_json::to_string_pretty(value)
        .map_err(|e| Error::internal(format!("Could not print JSON: {e}")))?;
    println!("{text}");
    Ok(())
}

pub async fn search(pool: &SqlitePool, store: &AccountStore, args: SearchArgs) -> Result<()> {
    let account_id = match &args.account {
        Some(a) => Some(store.get_by_id_or_label(a).await?.id),
        None => None,
    };
    let hits = cache::search_candidates(
        pool,
        &SearchQuery {
            text: args.query,
            account_id,
            limit: Some(args.limit),
        },
    )
    .await?;
    match args.format {
        Format::Json => print_json(&hits),
        Format::Table => {
            let rows: Vec<Vec<String>> = hits
                .iter()
                .map(|h| {
                    let c = &h.candidate;
                    vec![
                        c.vendor.as_str().to_owned(),
                        c.remote_id.clone(),
                        c.name.clone(),
                        c.email.clone().unwrap_or_default(),
                        c.title.clone().or(c.company.clone()).unwrap_or_default(),
                    ]
                })
                .collect();
            table::print(&["VENDOR", "ID", "NAME", "EMAIL", "TITLE"], &rows);
            Ok(())
        }
    }
}

/// Serves `candidates list` / `jobs list` from the cache when it can: the account has synced
/// that resource, `--live` is off, and no option only the vendor understands is used. Returns
/// false when the caller should ask the vendor.
pub async fn cached_list(
    pool: &SqlitePool,
    store: &AccountStore,
    resource: Resource,
    a: &ListArgs,
    live: bool,
) -> Result<bool> {
    let synced = match resource {
        Resource::Candidates => SyncResource::Candidates,
        Resource::Jobs => SyncResource::Jobs,
        Resource::Users => SyncResource::Users,
        Resource::Roles => SyncResource::Roles,
        Resource::Groups => SyncResource::Groups,
        _ => return Ok(false),
    };
    let vendor_only = a.search.is_some()
        || a.candidate.is_some()
        || !a.remote_query.is_empty()
        || !a.exclude_fields.is_empty()
        || a.ignore_remote_data
        || a.response_format != ResponseFormatArg::Unified;
    if live || vendor_only {
        return Ok(false);
    }
    let account = store.get_by_id_or_label(&a.account).await?;
    let Some(at) = last_synced(pool, &account.id, synced).await? else {
        return Ok(false);
    };
    eprintln!(
        "(from the local cache, synced {}; --live asks {})",
        at.format("%Y-%m-%d %H:%M:%S UTC"),
        account.vendor
    );
    let (records, next_cursor) = match resource {
        Resource::Jobs => (cache::jobs::job_records(pool, &account.id).await?, None),
        Resource::Users | Resource::Roles | Resource::Groups => {
            let table = match resource {
                Resource::Users => SimpleTable::Users,
                Resource::Roles => SimpleTable::Roles,
                _ => SimpleTable::Groups,
            };
            (
                cache::directory::directory_records(pool, table, &account.id).await?,
                None,
            )
        }
        _ => {
            let updated_since = a
                .updated_after
                .as_deref()
                .map(|t| {
                    chrono::DateTime::parse_from_rfc3339(t)
                        .map(|d| d.to_utc())
                        .map_err(|e| {
                            Error::validation(format!(
                                "--updated-after \"{t}\" is not an RFC 3339 time: {e}"
                            ))
                        })
                })
                .transpose()?;
            let mut query = CandidateListQuery {
                account_id: Some(account.id.clone()),
                job_id: a.job.clone(),
                stage_id: a.stage.clone(),
                updated_since,
                cursor: a.cursor.clone(),
                limit: a.limit,
                ..CandidateListQuery::default()
            };
            let mut all = Vec::new();
            loop {
                let (records, next) =
                    cache::candidates::list_candidate_records(pool, &query).await?;
                all.extend(records);
                match next {
                    Some(n) if a.all => query.cursor = Some(n),
                    other => break (all, other),
                }
            }
        }
    };
    match a.format {
        Format::Json if a.all => print_json(&records)?,
        Format::Json => {
            print_json(&serde_json::json!({ "result": records, "next_cursor": next_cursor }))?
        }
        Format::Table => {
            table::records(resource, &records);
            if let Some(next) = &next_cursor {
                println!("\nMore: --cursor {next}");
            }
        }
    }
    Ok(true)
}
