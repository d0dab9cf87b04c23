//! One run of one resource: fetch pages ahead, write each with its checkpoint, then finish.

use std::collections::{BTreeSet, HashMap};
use std::sync::Arc;
use std::time::Instant;

use chrono::{TimeZone, Utc};
use sqlx::SqliteConnection;
use tokio::sync::mpsc;

use super::records::{
    application_row, application_row_keeping_raw, assessment_row, attachment_row, candidate_row,
    group_row, interview_row, job_row, role_row, user_row,
};
use super::state::{self, RunState};
use super::{
    ResourceReport, SyncEngine, SyncEvent, SyncProgress, SyncResource, applications_embedded,
    deletions, incremental_supported, lever_people, needs_reconcile,
};
use crate::cache::rows::{
    ApplicationRow, AttachmentRow, CandidateRow, JobRow, SimpleRow, SimpleTable,
};
use crate::cache::write::{self, CachedTable};
use crate::cache::{StageChange, changes_to_notify};
use crate::connectors::Connector;
use crate::model::{Application, Candidate, ListOptions, Page};
use crate::{ErrorKind, Result, Vendor};

/// Records written in one transaction at most, when several fetched pages are waiting. A
/// commit writes every page it dirtied to the WAL, and a sync's inserts dirty index pages all
/// over the cache, so small groups wrote the same pages again and again (commits were ~27 % of
/// a first sync's write time). 10,000 rather than 2,000: unthrottled ingest +22 % for
/// SmartRecruiters, +10 % for Lever and Unberry (A/B, `cargo bench --bench sync -- --ingest-only`).
/// A killed sync redoes at most one group: it resumes after the last committed checkpoint.
const GROUP_RECORDS: usize = 10_000;

pub(crate) fn supported(connector: &dyn Connector, resource: SyncResource) -> bool {
    // Where candidates carry them, listing applications again would double the requests
    // (SmartRecruiters' list even makes one call per assignment without a status).
    if resource == SyncResource::Applications && applications_embedded(connector.vendor()) {
        return false;
    }
    // Lever's roles are its fixed built-in access roles, made by the connector without a
    // request: there is nothing to sync (and the connector lists them offline too).
    if resource == SyncResource::Roles && connector.vendor() == Vendor::Lever {
        return false;
    }
    connector.capabilities().supports(resource.list_operation())
}

/// One fetched page, already mapped to the cache's rows (in the fetching task, so mapping
/// overlaps the writing of the pages before it).
enum Batch {
    Candidates(CandidatePage),
    Applications(Vec<ApplicationRow>),
    Jobs(Vec<JobRow>),
    Simple(SimpleTable, Vec<SimpleRow>),
}

struct CandidatePage {
    /// Candidates the vendor listed (the page's record count).
    listed: usize,
    /// Ready rows, except for Lever (see `contacts`).
    people: Vec<CandidateRow>,
    /// Lever: the contacts whose people are rebuilt from all their cached opportunities.
    contacts: Vec<String>,
    /// Lever: this page's raw opportunities by id (not parsed back from the cache).
    fresh: HashMap<String, serde_json::Value>,
    applications: Vec<ApplicationRow>,
    attachments: Vec<AttachmentRow>,
}

impl CandidatePage {
    fn extend(&mut self, other: CandidatePage) {
        self.listed += other.listed;
        self.people.extend(other.people);
        self.contacts.extend(other.contacts);
        self.fresh.extend(other.fresh);
        self.applications.extend(other.applications);
        self.attachments.extend(other.attachments);
    }

    fn map(vendor: Vendor, mut candidates: Vec<Candidate>) -> Self {
        let embedded: Vec<Application> = candidates
            .iter_mut()
            .flat_map(|c| std::mem::take(&mut c.applications))
            .collect();
        let attachments = candidates
            .iter_mut()
            .flat_map(|c| std::mem::take(&mut c.attachments))
            .map(attachment_row)
            .collect();
        let mut fresh = HashMap::new();
        let mut applications = Vec::with_capacity(embedded.len());
        for a in embedded {
            let (row, raw) = application_row_keeping_raw(a);
            if vendor == Vendor::Lever
                && let Some(raw) = raw
            {
                fresh.insert(row.remote_id.clone(), raw);
            }
            applications.push(row);
        }
        let listed = candidates.len();
        let (people, contacts) = if vendor == Vendor::Lever {
            let contacts: BTreeSet<String> = candidates.into_iter().map(|c| c.id).collect();
            (Vec::new(), contacts.into_iter().collect())
        } else {
            let people = candidates
                .into_iter()
                .map(|c| candidate_row(c, false))
                .collect();
            (people, Vec::new())
        };
        Self {
            listed,
            people,
            contacts,
            fresh,
            applications,
            attachments,
        }
    }
}

impl Batch {
    /// Pages of one resource, in the order fetched, as one batch. A record listed twice (it
    /// changed while the list was read) keeps its last version, as writing them in turn would.
    fn merge(first: Batch, rest: impl IntoIterator<Item = Batch>) -> Batch {
        let mut merged = first;
        for next in rest {
            match (&mut merged, next) {
                (Batch::Candidates(a), Batch::Candidates(b)) => a.extend(b),
                (Batch::Applications(a), Batch::Applications(b)) => a.extend(b),
                (Batch::Jobs(a), Batch::Jobs(b)) => a.extend(b),
                (Batch::Simple(_, a), Batch::Simple(_, b)) => a.extend(b),
                // One run lists one resource: its pages are all of one kind.
                _ => debug_assert!(false, "pages of different resources in one run"),
            }
        }
        merged.keep_last_versions();
        merged
    }

    fn keep_last_versions(&mut self) {
        match self {
            Batch::Candidates(p) => {
                keep_last(&mut p.people, |r| &r.remote_id);
                keep_last(&mut p.applications, |r| &r.remote_id);
                keep_last(&mut p.attachments, |r| &r.remote_id);
                p.contacts.sort();
                p.contacts.dedup();
            }
            Batch::Applications(v) => keep_last(v, |r| &r.remote_id),
            Batch::Jobs(v) => keep_last(v, |r| &r.remote_id),
            Batch::Simple(_, v) => keep_last(v, |r| &r.remote_id),
        }
    }

    fn len(&self) -> usize {
        match self {
            Batch::Candidates(p) => p.listed,
            Batch::Applications(v) => v.len(),
            Batch::Jobs(v) => v.len(),
            Batch::Simple(_, v) => v.len(),
        }
    }
}

/// Drops earlier copies of a record listed more than once, keeping the order of the rest.
fn keep_last<T>(rows: &mut Vec<T>, id: impl Fn(&T) -> &String) {
    let mut last: HashMap<&str, usize> = HashMap::with_capacity(rows.len());
    for (i, row) in rows.iter().enumerate() {
        last.insert(id(row).as_str(), i);
    }
    if last.len() == rows.len() {
        return;
    }
    let keep: Vec<bool> = rows
        .iter()
        .enumerate()
        .map(|(i, row)| last.get(id(row).as_str()) == Some(&i))
        .collect();
    let mut flags = keep.into_iter();
    rows.retain(|_| flags.next().unwrap_or(true));
}

struct Fetched {
    batch: Batch,
    next: Option<String>,
    /// Records the whole list holds, when the vendor says.
    total: Option<u32>,
}

/// A page of one of the small resources, as rows of its table.
fn simple<T>(table: SimpleTable, page: Page<T>, row: fn(T) -> SimpleRow) -> Fetched {
    Fetched {
        batch: Batch::Simple(table, page.result.into_iter().map(row).collect()),
        next: page.next_cursor,
        total: page.total,
    }
}

async fn fetch(
    connector: &dyn Connector,
    resource: SyncResource,
    opts: &ListOptions,
) -> Result<Fetched> {
    Ok(match resource {
        SyncResource::Candidates => {
            let p = connector.list_candidates(opts).await?;
            Fetched {
                batch: Batch::Candidates(CandidatePage::map(connector.vendor(), p.result)),
                next: p.next_cursor,
                total: p.total,
            }
        }
        SyncResource::Applications => {
            let p = connector.list_applications(opts).await?;
            Fetched {
                batch: Batch::Applications(p.result.into_iter().map(application_row).collect()),
                next: p.next_cursor,
                total: p.total,
            }
        }
        SyncResource::Jobs => {
            let p = connector.list_jobs(opts).await?;
            Fetched {
                batch: Batch::Jobs(p.result.into_iter().map(job_row).collect()),
                next: p.next_cursor,
                total: p.total,
            }
        }
        SyncResource::Users => simple(
            SimpleTable::Users,
            connector.list_users(opts).await?,
            user_row,
        ),
        SyncResource::Roles => simple(
            SimpleTable::Roles,
            connector.list_roles(opts).await?,
            role_row,
        ),
        SyncResource::Groups => simple(
            SimpleTable::Groups,
            connector.list_groups(opts).await?,
            group_row,
        ),
        SyncResource::Assessments => simple(
            SimpleTable::Assessments,
            connector.list_assessments(opts).await?,
            assessment_row,
        ),
        SyncResource::Interviews => simple(
            SimpleTable::Interviews,
            connector.list_interviews(opts).await?,
            interview_row,
        ),
    })
}

fn now_ms() -> i64 {
    Utc::now().timestamp_millis()
}

/// Picks up an interrupted run, or starts a new one (full or incremental).
async fn start_or_resume(
    engine: &SyncEngine,
    connector: &dyn Connector,
    resource: SyncResource,
    force_full: bool,
) -> Result<(RunState, bool)> {
    let account_id = connector.account_id();
    let st = state::load(engine.pool(), account_id, resource).await?;
    if let Some(run) = st.run {
        // A full request upgrades an interrupted incremental run; anything else resumes it.
        if run.full || !force_full {
            state::mark_running(engine.pool(), &run.run_id).await?;
            return Ok((run, true));
        }
    }
    Ok((
        new_run(engine, connector, resource, force_full).await?,
        false,
    ))
}

/// Starts a run from the watermark (full when asked, due or the only kind the vendor has).
async fn new_run(
    engine: &SyncEngine,
    connector: &dyn Connector,
    resource: SyncResource,
    force_full: bool,
) -> Result<RunState> {
    let account_id = connector.account_id();
    let st = state::load(engine.pool(), account_id, resource).await?;
    let started_at = now_ms();
    let overdue = st.last_full_at.is_none_or(|t| {
        needs_reconcile(connector.vendor(), resource)
            && started_at - t >= engine.config().reconcile_every.as_millis() as i64
    });
    let full = force_full
        || st.watermark.is_none()
        || overdue
        || !incremental_supported(connector, resource);
    let run = RunState {
        run_id: uuid::Uuid::new_v4().to_string(),
        full,
        started_at,
        updated_after: if full {
            None
        } else {
            st.watermark
                .map(|w| w - engine.config().overlap.as_millis() as i64)
        },
        cursor: None,
        done: 0,
        requests: 0,
    };
    state::begin(engine.pool(), account_id, resource, &run).await?;
    Ok(run)
}

pub(crate) async fn run_resource(
    engine: &SyncEngine,
    connector: Arc<dyn Connector>,
    resource: SyncResource,
    force_full: bool,
) -> Result<ResourceReport> {
    let (run, resumed) = start_or_resume(engine, connector.as_ref(), resource, force_full).await?;
    let outcome = pull(engine, connector.clone(), resource, run.clone(), resumed).await;
    let outcome = match outcome {
        Err(e) if resumed && cursor_rejected(engine, &connector, resource, &run, &e).await? => {
            // Vendor cursors expire (or a vendor forgets them): the saved one cannot be
            // continued, so this resource starts over from its watermark. Pages already
            // written stay; upserts make reading them again harmless.
            tracing::warn!(
                resource = resource.as_str(),
                error = %e,
                "the saved cursor was refused; starting the resource again from its watermark"
            );
            record_failure(engine, &run, &e).await;
            let fresh = new_run(engine, connector.as_ref(), resource, run.full).await?;
            return match pull(engine, connector.clone(), resource, fresh.clone(), false).await {
                Ok(report) => Ok(report),
                Err(e) => {
                    record_failure(engine, &fresh, &e).await;
                    Err(e)
                }
            };
        }
        other => other,
    };
    if let Err(e) = &outcome {
        record_failure(engine, &run, e).await;
    }
    outcome
}

async fn record_failure(engine: &SyncEngine, run: &RunState, e: &crate::Error) {
    let cancelled = e.kind == ErrorKind::Cancelled;
    // Best effort: the run's checkpoint is what matters, and it is already committed.
    if let Err(log) = state::fail(engine.pool(), &run.run_id, &e.message, cancelled).await {
        tracing::warn!(error = %log, "could not record the failed sync run");
    }
}

/// Whether a resumed run failed because the vendor refused the cursor it was saved with: a
/// 400/404/410-type answer while the checkpoint still holds that cursor (nothing got further).
async fn cursor_rejected(
    engine: &SyncEngine,
    connector: &Arc<dyn Connector>,
    resource: SyncResource,
    run: &RunState,
    e: &crate::Error,
) -> Result<bool> {
    let refused = matches!(e.kind, ErrorKind::Validation | ErrorKind::NotFound)
        || matches!(e.status, Some(400 | 404 | 410));
    if !refused || run.cursor.is_none() {
        return Ok(false);
    }
    let now = state::load(engine.pool(), connector.account_id(), resource).await?;
    Ok(now
        .run
        .is_some_and(|r| r.run_id == run.run_id && r.cursor == run.cursor))
}

async fn pull(
    engine: &SyncEngine,
    connector: Arc<dyn Connector>,
    resource: SyncResource,
    run: RunState,
    resumed: bool,
) -> Result<ResourceReport> {
    let account_id = connector.account_id().to_owned();
    let vendor = connector.vendor();
    let opts = ListOptions {
        limit: Some(engine.config().page_size),
        updated_after: run
            .updated_after
            .and_then(|ms| Utc.timestamp_millis_opt(ms).single()),
        background: true,
        cursor: run.cursor.clone(),
        ..ListOptions::default()
    };
    // Fetching runs ahead of writing (bounded), so the vendor's rate, not the disk, sets the pace.
    // A resumed run with no cursor but pages done had reached its last page before it stopped.
    let finished_before = resumed && run.cursor.is_none() && run.requests > 0;
    let (tx, mut rx) = mpsc::channel::<Result<Fetched>>(engine.config().prefetch_pages.max(1));
    let producer = {
        let connector = connector.clone();
        let mut opts = opts.clone();
        tokio::spawn(async move {
            if finished_before {
                return;
            }
            loop {
                let page = fetch(connector.as_ref(), resource, &opts).await;
                let next = page.as_ref().ok().and_then(|p| p.next.clone());
                let stop = page.is_err() || next.is_none();
                if tx.send(page).await.is_err() || stop {
                    return;
                }
                opts.cursor = next;
            }
        })
    };
    // Dropping the producer's handle would not stop it: abort it on every way out.
    struct AbortOnDrop(tokio::task::JoinHandle<()>);
    impl Drop for AbortOnDrop {
        fn drop(&mut self) {
            self.0.abort();
        }
    }
    let _producer = AbortOnDrop(producer);

    let started = Instant::now();
    let mut done = run.done;
    let mut records_this_process: i64 = 0;
    let mut requests = run.requests;
    let mut stage_changes = 0i64;
    let mut total = None;
    while let Some(first) = rx.recv().await {
        // Pages already fetched go into one transaction with this one: fewer commits (each
        // rewrites the B-tree pages and adds an FTS5 segment), while every page is still
        // written whole together with its own checkpoint.
        let mut pages = vec![first?];
        let mut pending_error = None;
        let mut in_group = pages[0].batch.len();
        while in_group < GROUP_RECORDS {
            match rx.try_recv() {
                Ok(Ok(p)) => {
                    in_group += p.batch.len();
                    pages.push(p);
                }
                Ok(Err(e)) => {
                    pending_error = Some(e);
                    break;
                }
                Err(_) => break,
            }
        }
        // The pages go in as one batch: SQLite copies each page of the tables and indexes a
        // statement touches into its statement journal once per statement, so a few large
        // statements cost far less than one set per page (profile of a first sync).
        let n_group: i64 = pages.iter().map(|p| p.batch.len() as i64).sum();
        let n_pages = pages.len() as i64;
        let mut cursor = None;
        let mut batches = Vec::with_capacity(pages.len());
        for page in pages {
            total = page.total.or(total);
            cursor = page.next;
            batches.push(page.batch);
        }
        let mut batches = batches.into_iter();
        let Some(first) = batches.next() else {
            continue;
        };
        let mut tx = crate::db::begin_write(engine.pool()).await?;
        let changes = write_page(
            &mut tx,
            &account_id,
            vendor,
            &run,
            Batch::merge(first, batches),
        )
        .await?;
        state::checkpoint(
            &mut tx,
            &account_id,
            resource,
            &run.run_id,
            &state::PagesWritten {
                cursor: cursor.as_deref(),
                records: n_group,
                pages: n_pages,
                stage_changes: changes.len() as i64,
            },
        )
        .await?;
        tx.commit().await?;
        requests += n_pages;
        done += n_group;
        records_this_process += n_group;
        stage_changes += changes.len() as i64;
        if !changes.is_empty() {
            let notify = changes_to_notify(engine.pool(), &changes).await?;
            for change in changes {
                let notify = notify.iter().any(|c| c.activity_id == change.activity_id);
                engine.emit(SyncEvent::StageChanged { change, notify });
            }
        }
        engine.emit(SyncEvent::Progress(SyncProgress {
            account_id: account_id.clone(),
            resource,
            done: u32::try_from(done).unwrap_or(u32::MAX),
            total,
            rate_per_s: records_this_process as f64 / started.elapsed().as_secs_f64().max(1e-3),
        }));
        if let Some(e) = pending_error {
            return Err(e);
        }
    }

    // Every page is in: deletions, then the watermark, in one transaction.
    let mut deleted = 0i64;
    let mut extra_requests = 0i64;
    let mut tx = crate::db::begin_write(engine.pool()).await?;
    if run.full {
        deleted += sweep(&mut tx, &account_id, vendor, resource, &run.run_id).await?;
    } else if vendor == crate::Vendor::Lever && resource == SyncResource::Candidates {
        let since = run.updated_after.unwrap_or(run.started_at);
        let (gone, calls) =
            deletions::lever_deleted_opportunities(connector.as_ref(), since).await?;
        extra_requests += calls;
        deleted += delete_lever_opportunities(&mut tx, &account_id, &run.run_id, &gone).await?;
    }
    state::add_requests(&mut tx, &run.run_id, extra_requests).await?;
    state::finish(&mut tx, &account_id, resource, &run, deleted, now_ms()).await?;
    tx.commit().await?;

    Ok(ResourceReport {
        resource,
        run_id: run.run_id.clone(),
        full: run.full,
        resumed,
        records: u32::try_from(done).unwrap_or(u32::MAX),
        deleted: u32::try_from(deleted).unwrap_or(u32::MAX),
        requests: u32::try_from(requests + extra_requests).unwrap_or(u32::MAX),
        stage_changes: u32::try_from(stage_changes).unwrap_or(u32::MAX),
    })
}

/// Writes one page; returns the stage changes it revealed.
async fn write_page(
    conn: &mut SqliteConnection,
    account_id: &str,
    vendor: Vendor,
    run: &RunState,
    batch: Batch,
) -> Result<Vec<StageChange>> {
    let now = now_ms();
    match batch {
        Batch::Jobs(rows) => {
            write::upsert_jobs(conn, account_id, vendor, Some(&run.run_id), &rows).await?;
            Ok(Vec::new())
        }
        Batch::Simple(table, rows) => {
            write::upsert_simple(conn, table, account_id, Some(&run.run_id), &rows).await?;
            Ok(Vec::new())
        }
        Batch::Applications(rows) => {
            write::upsert_applications(conn, account_id, vendor, Some(&run.run_id), now, &rows)
                .await
        }
        Batch::Candidates(page) => {
            let changes = write::upsert_applications(
                conn,
                account_id,
                vendor,
                Some(&run.run_id),
                now,
                &page.applications,
            )
            .await?;
            let people = if vendor == Vendor::Lever {
                lever_people::rebuild(conn, account_id, &page.contacts, page.fresh)
                    .await?
                    .0
            } else {
                page.people
            };
            write::upsert_candidates(conn, account_id, vendor, Some(&run.run_id), now, &people)
                .await?;
            write::upsert_attachments(conn, account_id, Some(&run.run_id), &page.attachments)
                .await?;
            Ok(changes)
        }
    }
}

/// After a full run: removes what the run did not see, and what hung off it.
async fn sweep(
    conn: &mut SqliteConnection,
    account_id: &str,
    vendor: Vendor,
    resource: SyncResource,
    run_id: &str,
) -> Result<i64> {
    let n = match resource {
        SyncResource::Applications => {
            let apps =
                write::sweep_unseen(conn, CachedTable::Applications, account_id, run_id).await?;
            remove_orphans(conn, account_id).await?;
            apps
        }
        SyncResource::Jobs => {
            write::sweep_unseen(conn, CachedTable::Jobs, account_id, run_id).await?
        }
        SyncResource::Users => simple_sweep(conn, SimpleTable::Users, account_id, run_id).await?,
        SyncResource::Roles => simple_sweep(conn, SimpleTable::Roles, account_id, run_id).await?,
        SyncResource::Groups => simple_sweep(conn, SimpleTable::Groups, account_id, run_id).await?,
        SyncResource::Assessments => {
            simple_sweep(conn, SimpleTable::Assessments, account_id, run_id).await?
        }
        SyncResource::Interviews => {
            simple_sweep(conn, SimpleTable::Interviews, account_id, run_id).await?
        }
        SyncResource::Candidates => {
            let apps = if applications_embedded(vendor) {
                write::sweep_unseen(conn, CachedTable::Applications, account_id, run_id).await?
            } else {
                0
            };
            let people =
                write::sweep_unseen(conn, CachedTable::Candidates, account_id, run_id).await?;
            remove_orphans(conn, account_id).await?;
            apps + people
        }
    };
    Ok(i64::try_from(n).unwrap_or(i64::MAX))
}

async fn simple_sweep(
    conn: &mut SqliteConnection,
    table: SimpleTable,
    account_id: &str,
    run_id: &str,
) -> Result<u64> {
    write::sweep_unseen(conn, CachedTable::Simple(table), account_id, run_id).await
}

/// Lever opportunities deleted since the run's filter: their applications go, and their people
/// are rebuilt from what remains (or removed when nothing does).
async fn delete_lever_opportunities(
    conn: &mut SqliteConnection,
    account_id: &str,
    run_id: &str,
    opportunities: &[String],
) -> Result<i64> {
    if opportunities.is_empty() {
        return Ok(0);
    }
    let mut contacts = BTreeSet::new();
    for chunk in opportunities.chunks(200) {
        let sql = format!(
            "SELECT DISTINCT candidate_remote_id FROM cached_applications \
             WHERE account_id = ? AND remote_id IN ({}) AND candidate_remote_id IS NOT NULL",
            vec!["?"; chunk.len()].join(",")
        );
        let mut q = sqlx::query_scalar::<_, String>(&sql).bind(account_id);
        for id in chunk {
            q = q.bind(id);
        }
        contacts.extend(q.fetch_all(&mut *conn).await?);
    }
    let mut deleted =
        write::delete_remote_ids(conn, CachedTable::Applications, account_id, opportunities)
            .await?;
    let contacts: Vec<String> = contacts.into_iter().collect();
    let (people, gone) = lever_people::rebuild(conn, account_id, &contacts, HashMap::new()).await?;
    write::upsert_candidates(
        conn,
        account_id,
        Vendor::Lever,
        Some(run_id),
        now_ms(),
        &people,
    )
    .await?;
    deleted += write::delete_remote_ids(conn, CachedTable::Candidates, account_id, &gone).await?;
    remove_orphans(conn, account_id).await?;
    Ok(i64::try_from(deleted).unwrap_or(i64::MAX))
}

/// Attachments and stage history whose candidate or application is gone.
async fn remove_orphans(conn: &mut SqliteConnection, account_id: &str) -> Result<()> {
    sqlx::query(
        "DELETE FROM cached_attachments WHERE account_id = ?1 AND candidate_remote_id IS NOT NULL \
         AND NOT EXISTS (SELECT 1 FROM cached_candidates c WHERE c.account_id = ?1 \
                         AND c.remote_id = cached_attachments.candidate_remote_id)",
    )
    .bind(account_id)
    .execute(&mut *conn)
    .await?;
    sqlx::query(
        "DELETE FROM stage_history WHERE account_id = ?1 AND NOT EXISTS (SELECT 1 FROM \
         cached_applications a WHERE a.account_id = ?1 AND a.remote_id = stage_history.application_remote_id)",
    )
    .bind(account_id)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn application(id: &str, stage: &str) -> ApplicationRow {
        ApplicationRow {
            remote_id: id.into(),
            stage_id: Some(stage.into()),
            ..ApplicationRow::default()
        }
    }

    #[test]
    fn merged_pages_keep_the_last_version_of_a_record_listed_twice_in_order() {
        let merged = Batch::merge(
            Batch::Applications(vec![application("a", "new"), application("b", "new")]),
            [Batch::Applications(vec![
                application("c", "new"),
                application("a", "interview"),
            ])],
        );
        let Batch::Applications(rows) = merged else {
            panic!("applications stay applications");
        };
        let got: Vec<(&str, &str)> = rows
            .iter()
            .map(|r| {
                (
                    r.remote_id.as_str(),
                    r.stage_id.as_deref().unwrap_or_default(),
                )
            })
            .collect();
        assert_eq!(got, [("b", "new"), ("c", "new"), ("a", "interview")]);
    }

    #[test]
    fn merged_candidate_pages_add_up_and_name_each_lever_contact_once() {
        let page = |listed: usize, contacts: &[&str], apps: Vec<ApplicationRow>| {
            Batch::Candidates(CandidatePage {
                listed,
                people: Vec::new(),
                contacts: contacts.iter().map(|c| (*c).to_owned()).collect(),
                fresh: HashMap::new(),
                applications: apps,
                attachments: Vec::new(),
            })
        };
        let merged = Batch::merge(
            page(
                2,
                &["p1", "p2"],
                vec![application("o1", "s"), application("o2", "s")],
            ),
            [page(1, &["p2"], vec![application("o3", "s")])],
        );
        assert_eq!(merged.len(), 3);
        let Batch::Candidates(p) = merged else {
            panic!("candidates stay candidates");
        };
        assert_eq!(p.contacts, ["p1", "p2"]);
        assert_eq!(p.applications.len(), 3);
    }
}
