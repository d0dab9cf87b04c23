//! "Token refresh" cells: every account's access token is dead at the vendor, so the product
//! must refresh while the vendor's OAuth token endpoint misbehaves (429 bursts, 5xx, resets,
//! truncated answers, latency). Each account runs a full sync and seven other calls at once
//! through one token manager, as the app shares one per account.
//!
//! A cell passes when, once the fault stops, every operation has completed (after a re-link
//! where the product asked for one, in plain words), the cache equals a clean full sync, exactly
//! one refresh per account reached the vendor's token logic (plus one per answer the fault cut
//! after that logic ran), a rotated pair was written to the keychain exactly once and a failed
//! refresh wrote nothing, and the stored refresh token still works afterwards.

use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::Result;
use fake_ats::FaultSpec;
use hirebridge_core::accounts::Account;
use hirebridge_core::auth::{AccountStatusSink, credentials_for};
use hirebridge_core::connectors::{self, Connector};
use hirebridge_core::sync::{SyncConfig, SyncEngine, SyncOptions};
use hirebridge_core::{Error, ErrorKind};

use crate::matrix::{Cell, Fault};
use crate::network::RELINK_HINT;
use crate::world::{self, World, snapshot, vendor_id};

const CANDIDATES: usize = 250;
const LATENCY_WINDOW: Duration = Duration::from_secs(12);
/// Callers besides the sync that need the token at the same moment.
const OTHER_CALLERS: usize = 7;

fn spec(fault: Fault) -> FaultSpec {
    let base = FaultSpec::default();
    match fault {
        Fault::TokenTooManyWithRetryAfter => FaultSpec {
            token_too_many: 3,
            token_retry_after_secs: Some(1),
            ..base
        },
        Fault::TokenTooManyWithoutRetryAfter => FaultSpec {
            token_too_many: 3,
            ..base
        },
        Fault::TokenServerErrors => FaultSpec {
            token_server_errors: 3,
            ..base
        },
        Fault::TokenResets => FaultSpec {
            token_resets: 2,
            ..base
        },
        Fault::TokenTruncated => FaultSpec {
            token_truncates: 1,
            ..base
        },
        Fault::TokenLatency => FaultSpec {
            token_latency_ms: 10_000,
            ..base
        },
        _ => base,
    }
}

fn counted(f: &FaultSpec) -> u32 {
    f.token_too_many + f.token_server_errors + f.token_resets + f.token_truncates
}

/// The account's connector with its own token manager, shared by every caller of the cell.
fn shared_connector(
    world: &World,
    account: &Account,
) -> hirebridge_core::Result<Arc<dyn Connector>> {
    let sink: Arc<dyn AccountStatusSink> = Arc::new(world.store.clone());
    let credentials = credentials_for(account, world.secrets.clone(), sink)?;
    connectors::for_account(account, credentials, &world.http)
}

/// A full sync and `OTHER_CALLERS` calls at once: the first error, if any.
async fn operation(world: &World, account: &Account) -> hirebridge_core::Result<()> {
    let connector = shared_connector(world, account)?;
    let engine = SyncEngine::new(world.pool.clone(), SyncConfig::default());
    let full = SyncOptions {
        full: true,
        ..SyncOptions::default()
    };
    let sync = engine.sync_account(connector.clone(), &full);
    let others =
        futures::future::join_all((0..OTHER_CALLERS).map(|_| connector.verify_credentials()));
    let (synced, others) = futures::join!(sync, others);
    synced?;
    for r in others {
        r?;
    }
    Ok(())
}

/// What one account went through.
struct Run {
    account: Account,
    result: hirebridge_core::Result<()>,
    refreshes: u64,
    writes: usize,
}

pub async fn cell(fault: Fault, seed: u64) -> Result<Cell> {
    let world = World::new(seed, CANDIDATES, true).await?;
    let admin = world.fake.admin();
    let before = world.vendor_records();
    let base = spec(fault);
    let latency = base.token_latency_ms > 0;
    // Counted faults go to one vendor at a time, so each vendor meets all of them; latency
    // is on every token request, so all three refresh under it at once.
    let groups: Vec<Vec<Account>> = if latency {
        vec![world.accounts.clone()]
    } else {
        world.accounts.iter().map(|a| vec![a.clone()]).collect()
    };
    let started = Instant::now();
    let mut outcome = Vec::new();
    let mut problems = Vec::new();
    let mut relinked = Vec::new();
    for group in groups {
        let mut spec = base.clone();
        if let [only] = group.as_slice() {
            spec.vendor = Some(only.vendor.as_str().to_owned());
        }
        let marks: Vec<(u64, usize)> = group
            .iter()
            .map(|a| {
                admin.expire_tokens(Some(vendor_id(a.vendor)));
                (
                    admin.refresh_grants(vendor_id(a.vendor)),
                    world.vault.writes(&a.id),
                )
            })
            .collect();
        let fault_on = Instant::now();
        admin.set_faults(spec.clone());
        let results = futures::future::join_all(group.iter().map(|a| operation(&world, a))).await;
        if latency {
            tokio::time::sleep_until((fault_on + LATENCY_WINDOW).into()).await;
        }
        let left = admin.faults();
        admin.clear_faults();
        let hit = counted(&spec) - counted(&left).min(counted(&spec));
        let truncated_hits = spec.token_truncates - left.token_truncates.min(spec.token_truncates);
        for ((account, result), (grants, writes)) in group.iter().zip(results).zip(marks) {
            let run = Run {
                account: account.clone(),
                result,
                refreshes: admin.refresh_grants(vendor_id(account.vendor)) - grants,
                writes: world.vault.writes(&account.id) - writes,
            };
            let (said, p) = judge(&run, truncated_hits, callers_note(latency, hit, &spec));
            outcome.push(said);
            problems.extend(p);
            if let Err(e) = &run.result
                && e.kind == ErrorKind::NeedsRelink
            {
                relinked.push(run.account.clone());
            }
        }
    }
    // Where the product asked for a re-link: the user does it, and runs the operation again.
    for account in &relinked {
        world::relink(&world.fake, &world.store, world.secrets.as_ref(), account).await?;
        if let Err(e) = operation(&world, account).await {
            problems.push(format!(
                "{}: still fails after the re-link: {}",
                account.vendor, e.message
            ));
        }
    }
    let recovered = started.elapsed();
    problems.extend(stored_refresh_still_works(&world).await);

    let reference = world.reference().await?;
    let (d, _) = world::judge_cache(&snapshot(&world.pool).await?, &reference, None);
    let duplicates = world.vendor_records().saturating_sub(before);
    Ok(Cell::judged(
        outcome.join("; "),
        &d,
        duplicates,
        recovered,
        problems,
    ))
}

fn callers_note(latency: bool, hit: u32, spec: &FaultSpec) -> String {
    if latency {
        "10 s on every token request for 12 s".to_owned()
    } else {
        format!("{hit}/{} faults hit", counted(spec))
    }
}

/// The outcome for one account, and what is wrong with it.
fn judge(run: &Run, truncated_hits: u32, hits: String) -> (String, Vec<String>) {
    let vendor = run.account.vendor;
    let mut problems = Vec::new();
    if !hits.starts_with("10 s") && hits.starts_with("0/") {
        problems.push(format!("{vendor}: the fault never hit the refresh"));
    }
    let expected_refreshes = 1 + u64::from(truncated_hits);
    if run.refreshes != expected_refreshes {
        problems.push(format!(
            "{vendor}: {} refresh requests reached the token logic for {} callers, expected {expected_refreshes}",
            run.refreshes,
            OTHER_CALLERS + 1
        ));
    }
    let said = match &run.result {
        Ok(()) => {
            if run.writes != 1 {
                problems.push(format!(
                    "{vendor}: the refreshed pair was written to the keychain {} times, expected once",
                    run.writes
                ));
            }
            format!(
                "{vendor} {hits}: rode it out, {} callers shared {} refresh(es), new pair stored once",
                OTHER_CALLERS + 1,
                run.refreshes
            )
        }
        Err(e) => {
            if run.writes != 0 {
                problems.push(format!(
                    "{vendor}: a failed refresh wrote the keychain {} times",
                    run.writes
                ));
            }
            judge_error(vendor, truncated_hits, &hits, e, &mut problems)
        }
    };
    (said, problems)
}

fn judge_error(
    vendor: hirebridge_core::Vendor,
    truncated_hits: u32,
    hits: &str,
    e: &Error,
    problems: &mut Vec<String>,
) -> String {
    // Only a cut answer can lose a rotated refresh token: the vendor retired the one we keep.
    let rotated_and_lost = truncated_hits > 0 && vendor != hirebridge_core::Vendor::SmartRecruiters;
    if e.kind == ErrorKind::NeedsRelink && rotated_and_lost {
        if !e.message.contains(RELINK_HINT) {
            problems.push(format!(
                "{vendor}: needs a re-link but does not say so: \"{}\"",
                e.message
            ));
        }
        return format!(
            "{vendor} {hits}: the cut answer had rotated the refresh token, so {vendor} refused the one kept (a replay); told the user \"{}\", re-linked",
            e.message
        );
    }
    problems.push(format!(
        "{vendor}: should have ridden out the fault, failed ({:?}): {}",
        e.kind, e.message
    ));
    format!("{vendor} {hits}: failed")
}

/// The refresh token in the keychain is the live one: with every access token dead again, a
/// fresh token manager (read from the keychain, as after a restart) refreshes once and works.
async fn stored_refresh_still_works(world: &World) -> Vec<String> {
    let admin = world.fake.admin();
    let mut problems = Vec::new();
    admin.expire_tokens(None);
    for account in &world.accounts {
        let before = admin.refresh_grants(vendor_id(account.vendor));
        let checked = match shared_connector(world, account) {
            Ok(c) => c.verify_credentials().await,
            Err(e) => Err(e),
        };
        if let Err(e) = checked {
            problems.push(format!(
                "{}: the stored refresh token no longer works: {}",
                account.vendor, e.message
            ));
        } else if admin.refresh_grants(vendor_id(account.vendor)) - before != 1 {
            problems.push(format!(
                "{}: checking the stored refresh token did not refresh exactly once",
                account.vendor
            ));
        }
    }
    problems
}
