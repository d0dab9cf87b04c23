//! The sync engine against the fake vendors: full and incremental runs, deletions, stage-change
//! alerts, faults, lazy detail, history.

mod sync_support;

use std::collections::BTreeSet;
use std::sync::{Arc, Mutex};

use hirebridge_core::Vendor;
use hirebridge_core::cache::{self, ActivityQuery, SearchQuery};
use hirebridge_core::model::Operation;
use hirebridge_core::sync::{self, SyncConfig, SyncEngine, SyncEvent, SyncOptions, SyncResource};
use sync_support::*;

const VENDORS: [Vendor; 3] = [Vendor::SmartRecruiters, Vendor::Lever, Vendor::Unberry];

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_full_sync_fills_the_cache_for_every_vendor() {
    let fake = fake(7, 150, false).await;
    for vendor in VENDORS {
        let account = account(&fake, vendor);
        let pool = cache_with(&account).await;
        let connector = connector(&fake, &account);
        let report = sync(&pool, &connector, false).await;
        let candidates = count(&pool, "SELECT count(*) FROM cached_candidates").await;
        let apps = count(&pool, "SELECT count(*) FROM cached_applications").await;
        let staged = count(
            &pool,
            "SELECT count(*) FROM cached_applications WHERE stage_id IS NOT NULL",
        )
        .await;
        let jobs = count(&pool, "SELECT count(*) FROM cached_jobs").await;
        assert!(candidates >= 50, "{vendor:?}: {candidates} candidates");
        assert!(apps >= candidates / 2, "{vendor:?}: {apps} applications");
        assert!(staged > 0, "{vendor:?}: applications carry stages");
        assert!(jobs > 0, "{vendor:?}: jobs");
        // The User Directory: roles and groups where the vendor has an endpoint for them
        // (Lever has neither: its roles are fixed, made by the connector without a request).
        for (resource, table, operation) in [
            (SyncResource::Roles, "cached_roles", Operation::ListRoles),
            (SyncResource::Groups, "cached_groups", Operation::ListGroups),
        ] {
            let cached = count(&pool, &format!("SELECT count(*) FROM {table}")).await;
            let synced = report.resources.iter().any(|r| r.resource == resource);
            let endpoint = vendor != Vendor::Lever && connector.capabilities().supports(operation);
            assert_eq!(synced, endpoint, "{vendor:?}: {resource:?} synced");
            assert_eq!(cached > 0, endpoint, "{vendor:?}: {cached} rows in {table}");
        }
        assert!(report.resources.iter().all(|r| r.full && !r.resumed));
        // Candidates are searchable by name right away.
        let name: String = sqlx::query_scalar("SELECT first_name FROM cached_candidates LIMIT 1")
            .fetch_one(&pool)
            .await
            .expect("a name");
        let hits = cache::search_candidates(
            &pool,
            &SearchQuery {
                text: name.clone(),
                ..Default::default()
            },
        )
        .await
        .expect("search");
        assert!(!hits.is_empty(), "{vendor:?}: search for {name}");
        let history = sync::history(&pool, Some(&account.id), 10)
            .await
            .expect("history");
        assert_eq!(history.len(), report.resources.len());
        assert!(
            history
                .iter()
                .all(|r| r.status == sync::RunStatus::Succeeded)
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_no_change_resync_costs_one_request_per_resource() {
    let fake = fake(8, 250, false).await;
    for vendor in VENDORS {
        let account = account(&fake, vendor);
        let pool = cache_with(&account).await;
        let connector = connector(&fake, &account);
        sync(&pool, &connector, false).await;
        let before = snapshot(&pool).await;
        fake.admin().clear_request_log();
        let report = sync(&pool, &connector, false).await;
        let sent = fake.admin().request_log();
        for r in &report.resources {
            assert_eq!(
                r.full,
                !filters_by_update(&connector, r.resource),
                "{vendor:?} {:?} is incremental where the vendor can filter",
                r.resource
            );
            // Lever's deletion feed is one more request on the candidates resource.
            let expected = if vendor == Vendor::Lever && r.resource == SyncResource::Candidates {
                2
            } else {
                1
            };
            assert_eq!(r.requests, expected, "{vendor:?} {:?}", r.resource);
        }
        let total: u32 = report.resources.iter().map(|r| r.requests).sum();
        assert_eq!(
            sent.len() as u32,
            total,
            "{vendor:?}: requests the fake saw: {sent:#?}"
        );
        assert_eq!(snapshot(&pool).await, before, "{vendor:?}: nothing changed");
    }
}

/// Incremental equals full: after random recruiter activity at the vendor, an incremental sync
/// leaves the same cache as a fresh full sync. Vendors without a deletion feed (SmartRecruiters,
/// Unberry) keep deleted people until the periodic full run: the only differences allowed are
/// exactly those, and a reconcile removes them.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn incremental_equals_full_after_random_mutations() {
    for seed in 1..=6u64 {
        let fake = fake(seed * 101, 120, false).await;
        for vendor in VENDORS {
            let account = account(&fake, vendor);
            let connector = connector(&fake, &account);
            let incremental = cache_with(&account).await;
            sync(&incremental, &connector, false).await;
            let mut deleted_people = BTreeSet::new();
            for _round in 0..3 {
                let report = fake.admin().mutate(Some(vendor_id(vendor)), 12);
                let changes = match vendor {
                    Vendor::SmartRecruiters => report.smartrecruiters,
                    Vendor::Lever => report.lever,
                    Vendor::Unberry => report.unberry,
                };
                deleted_people.extend(changes.deleted);
                let r = sync(&incremental, &connector, false).await;
                assert!(
                    r.resources
                        .iter()
                        .all(|r| r.full != filters_by_update(&connector, r.resource)),
                    "seed {seed} {vendor:?}: {r:?}"
                );
            }
            let fresh = cache_with(&account).await;
            sync(&fresh, &connector, true).await;
            let (a, b) = (snapshot(&incremental).await, snapshot(&fresh).await);
            let diff = differences(&a, &b);
            if vendor == Vendor::Lever {
                assert!(diff.is_empty(), "seed {seed} Lever: {diff:?}");
            } else {
                // Only deleted people (and their applications, assessments and interviews) may
                // linger until a reconcile.
                for (table, id) in &diff {
                    let person = match table.as_str() {
                        "candidates" => id.clone(),
                        "applications" => {
                            sqlx::query_scalar::<_, String>(
                                "SELECT candidate_remote_id FROM cached_applications WHERE remote_id = ?",
                            )
                            .bind(id)
                            .fetch_one(&incremental)
                            .await
                            .unwrap_or_default()
                        }
                        "assessments" | "interviews" => {
                            sqlx::query_scalar::<_, String>(&format!(
                                "SELECT candidate_remote_id FROM cached_{table} WHERE remote_id = ?"
                            ))
                            .bind(id)
                            .fetch_one(&incremental)
                            .await
                            .unwrap_or_default()
                        }
                        _ => String::new(),
                    };
                    assert!(
                        deleted_people.contains(&person)
                            && !b.contains_key(&(table.clone(), id.clone())),
                        "seed {seed} {vendor:?}: {table} {id} differs and is not a deleted person"
                    );
                }
                sync(&incremental, &connector, true).await;
                let diff = differences(&snapshot(&incremental).await, &b);
                assert!(
                    diff.is_empty(),
                    "seed {seed} {vendor:?} after reconcile: {diff:?}"
                );
            }
        }
        fake.shutdown().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_stage_change_raises_exactly_one_alert() {
    let fake = fake(11, 150, false).await;
    for vendor in VENDORS {
        let account = account(&fake, vendor);
        let pool = cache_with(&account).await;
        let connector = connector(&fake, &account);
        sync(&pool, &connector, false).await;
        assert_eq!(
            count(&pool, "SELECT count(*) FROM activity").await,
            0,
            "first sync is quiet"
        );
        let stages_before: Vec<(String, Option<String>)> =
            sqlx::query_as("SELECT remote_id, stage_id FROM cached_applications")
                .fetch_all(&pool)
                .await
                .expect("stages");
        fake.admin().mutate(Some(vendor_id(vendor)), 30);

        let events = Arc::new(Mutex::new(Vec::new()));
        let sink = events.clone();
        let engine = SyncEngine::new(pool.clone(), SyncConfig::default()).with_events(Arc::new(
            move |e: &SyncEvent| {
                if let SyncEvent::StageChanged { change, .. } = e {
                    sink.lock().expect("events").push(change.clone());
                }
            },
        ));
        engine
            .sync_account(connector.clone(), &SyncOptions::default())
            .await
            .expect("sync");
        let mut moved = BTreeSet::new();
        for (id, before) in &stages_before {
            let now: Option<Option<String>> =
                sqlx::query_scalar("SELECT stage_id FROM cached_applications WHERE remote_id = ?")
                    .bind(id)
                    .fetch_optional(&pool)
                    .await
                    .expect("stage");
            if let Some(now) = now
                && now.is_some()
                && &now != before
            {
                moved.insert(id.clone());
            }
        }
        assert!(!moved.is_empty(), "{vendor:?}: 30 changes moved someone");
        let feed = cache::activity_feed(
            &pool,
            &ActivityQuery {
                limit: Some(1000),
                ..Default::default()
            },
        )
        .await
        .expect("feed");
        let alerted: Vec<String> = feed
            .iter()
            .map(|a| a.application_remote_id.clone())
            .collect();
        let alerted_set: BTreeSet<String> = alerted.iter().cloned().collect();
        assert_eq!(
            alerted.len(),
            alerted_set.len(),
            "{vendor:?}: one alert per application"
        );
        assert_eq!(
            alerted_set, moved,
            "{vendor:?}: an alert for every move, and only moves"
        );
        assert_eq!(
            events.lock().expect("events").len(),
            moved.len(),
            "{vendor:?}: one event each"
        );

        // Nothing new at the vendor: nothing new in the feed, even with the overlap re-reading.
        sync(&pool, &connector, false).await;
        let again = count(&pool, "SELECT count(*) FROM activity").await;
        assert_eq!(
            again as usize,
            moved.len(),
            "{vendor:?}: no repeated alerts"
        );
        let detail_history = count(&pool, "SELECT count(*) FROM stage_history").await;
        assert!(
            detail_history >= stages_before.len() as i64,
            "{vendor:?}: history kept"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn deleted_records_disappear() {
    let fake = fake(12, 150, false).await;
    for vendor in VENDORS {
        let account = account(&fake, vendor);
        let pool = cache_with(&account).await;
        let connector = connector(&fake, &account);
        sync(&pool, &connector, false).await;
        let mut deleted = Vec::new();
        while deleted.len() < 3 {
            let r = fake.admin().mutate(Some(vendor_id(vendor)), 10);
            deleted.extend(match vendor {
                Vendor::SmartRecruiters => r.smartrecruiters.deleted,
                Vendor::Lever => r.lever.deleted,
                Vendor::Unberry => r.unberry.deleted,
            });
        }
        // Lever's deletion feed is read by every run; the others need their periodic full run.
        sync(&pool, &connector, vendor != Vendor::Lever).await;
        for id in &deleted {
            let (table, column) = if vendor == Vendor::Lever {
                ("cached_applications", "remote_id")
            } else {
                ("cached_candidates", "remote_id")
            };
            let left: i64 =
                sqlx::query_scalar(&format!("SELECT count(*) FROM {table} WHERE {column} = ?"))
                    .bind(id)
                    .fetch_one(&pool)
                    .await
                    .expect("count");
            assert_eq!(left, 0, "{vendor:?}: {id} is gone");
        }
        let orphans = count(
            &pool,
            "SELECT count(*) FROM cached_applications a WHERE NOT EXISTS (SELECT 1 FROM \
             cached_candidates c WHERE c.account_id = a.account_id AND c.remote_id = a.candidate_remote_id)",
        )
        .await;
        assert_eq!(orphans, 0, "{vendor:?}: no application without its person");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bursts_of_429_5xx_and_resets_mid_sync_end_in_a_complete_cache() {
    let fake = fake(13, 400, false).await;
    for vendor in VENDORS {
        let account = account(&fake, vendor);
        let connector = connector(&fake, &account);
        let clean = cache_with(&account).await;
        sync(&clean, &connector, true).await;

        let faulty = cache_with(&account).await;
        fake.admin().set_faults(FaultSpec {
            too_many: 4,
            server_errors: 3,
            resets: 3,
            vendor: Some(vendor.as_str().to_owned()),
            ..FaultSpec::default()
        });
        let report = sync(&faulty, &connector, true).await;
        let statuses: Vec<u16> = fake
            .admin()
            .request_log()
            .iter()
            .map(|e| e.status)
            .collect();
        fake.admin().clear_faults();
        assert!(
            statuses.contains(&429),
            "{vendor:?}: the fake did send 429s: {statuses:?}"
        );
        assert!(statuses.iter().any(|s| *s >= 500), "{vendor:?}: and 5xx");
        assert!(report.resources.iter().all(|r| r.full));
        let diff = differences(&snapshot(&clean).await, &snapshot(&faulty).await);
        assert!(diff.is_empty(), "{vendor:?}: {diff:?}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn opening_a_candidate_fetches_its_detail_once() {
    let fake = fake(14, 60, false).await;
    let account = account(&fake, Vendor::SmartRecruiters);
    let pool = cache_with(&account).await;
    let connector = connector(&fake, &account);
    sync(&pool, &connector, false).await;
    let id: String =
        sqlx::query_scalar("SELECT remote_id FROM cached_candidates ORDER BY remote_id LIMIT 1")
            .fetch_one(&pool)
            .await
            .expect("a candidate");
    let listed = cache::candidate_detail(&pool, &account.id, &id)
        .await
        .expect("ok")
        .expect("cached");
    assert!(!listed.complete, "a SmartRecruiters list object is partial");

    fake.admin().clear_request_log();
    let detail = sync::ensure_candidate_detail(&pool, connector.as_ref(), &id)
        .await
        .expect("detail");
    assert!(detail.complete);
    let calls = fake.admin().request_log().len();
    assert!(calls >= 1, "the detail came from the vendor");
    assert!(
        detail
            .record
            .get("phones")
            .and_then(|p| p.as_array())
            .is_some_and(|p| !p.is_empty()),
        "the full record has the phone numbers the list object lacks"
    );
    let again = sync::ensure_candidate_detail(&pool, connector.as_ref(), &id)
        .await
        .expect("detail");
    assert_eq!(again, detail);
    assert_eq!(
        fake.admin().request_log().len(),
        calls,
        "served from the cache the second time"
    );

    // A later sync of the unchanged candidate keeps the full record.
    sync(&pool, &connector, false).await;
    let kept = cache::candidate_detail(&pool, &account.id, &id)
        .await
        .expect("ok")
        .expect("cached");
    assert!(kept.complete);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn progress_events_count_up_and_the_scheduler_runs_on_demand() {
    let fake = fake(15, 350, false).await;
    let account = account(&fake, Vendor::Lever);
    let pool = cache_with(&account).await;
    let connector = connector(&fake, &account);
    let progress = Arc::new(Mutex::new(Vec::new()));
    let sink = progress.clone();
    let engine = Arc::new(
        SyncEngine::new(
            pool.clone(),
            SyncConfig {
                page_size: 50,
                ..SyncConfig::default()
            },
        )
        .with_events(Arc::new(move |e: &SyncEvent| {
            if let SyncEvent::Progress(p) = e {
                sink.lock().expect("progress").push(p.clone());
            }
        })),
    );
    let scheduler = sync::Scheduler::start(
        engine.clone(),
        vec![sync::SyncTarget {
            connector: connector.clone(),
        }],
        std::time::Duration::from_secs(3600),
    );
    // The first round starts at once; wait for it, then ask for another.
    for _ in 0..200 {
        if sync::history(&pool, None, 50)
            .await
            .expect("history")
            .iter()
            .filter(|r| r.status == sync::RunStatus::Succeeded)
            .count()
            >= 3
        {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    scheduler.run_now();
    for _ in 0..200 {
        if sync::history(&pool, None, 50)
            .await
            .expect("history")
            .iter()
            .filter(|r| r.status == sync::RunStatus::Succeeded)
            .count()
            >= 6
        {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    scheduler.stop().await;
    let runs = sync::history(&pool, None, 50).await.expect("history");
    assert!(runs.len() >= 6, "two rounds of three resources: {runs:?}");
    let p = progress.lock().expect("progress");
    let candidates: Vec<u32> = p
        .iter()
        .filter(|p| p.resource == SyncResource::Candidates && p.account_id == account.id)
        .map(|p| p.done)
        .collect();
    assert!(candidates.len() >= 3, "one event per page: {candidates:?}");
    assert!(
        candidates[..3].windows(2).all(|w| w[0] < w[1]),
        "done grows page by page: {candidates:?}"
    );
    assert!(p.iter().all(|p| p.rate_per_s >= 0.0));
    assert!(
        p.iter().all(|p| p.total.is_none()),
        "Lever's lists do not say how many records they hold"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn progress_carries_the_total_the_vendor_reports() {
    let fake = fake(16, 260, false).await;
    let account = account(&fake, Vendor::SmartRecruiters);
    let pool = cache_with(&account).await;
    let connector = connector(&fake, &account);
    let progress = Arc::new(Mutex::new(Vec::new()));
    let sink = progress.clone();
    let engine = SyncEngine::new(
        pool.clone(),
        SyncConfig {
            page_size: 50,
            ..SyncConfig::default()
        },
    )
    .with_events(Arc::new(move |e: &SyncEvent| {
        if let SyncEvent::Progress(p) = e {
            sink.lock().expect("progress").push(p.clone());
        }
    }));
    let report = engine
        .sync_account(connector.clone(), &SyncOptions::default())
        .await
        .expect("sync");
    let listed = report
        .resources
        .iter()
        .find(|r| r.resource == SyncResource::Candidates)
        .expect("candidates synced")
        .records;
    let p = progress.lock().expect("progress");
    let candidates: Vec<(u32, Option<u32>)> = p
        .iter()
        .filter(|p| p.resource == SyncResource::Candidates)
        .map(|p| (p.done, p.total))
        .collect();
    assert!(!candidates.is_empty());
    // SmartRecruiters' candidate search says `totalFound`: every event carries it.
    assert!(
        candidates.iter().all(|(_, total)| *total == Some(listed)),
        "{listed} listed: {candidates:?}"
    );
    assert_eq!(candidates.last().map(|c| c.0), Some(listed));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unberry_assessments_and_interviews_reach_the_candidate_detail() {
    let fake = fake(12, 120, false).await;
    let account = account(&fake, Vendor::Unberry);
    let pool = cache_with(&account).await;
    let connector = connector(&fake, &account);
    let report = sync(&pool, &connector, false).await;
    for resource in [SyncResource::Assessments, SyncResource::Interviews] {
        assert!(
            report.resources.iter().any(|r| r.resource == resource),
            "{resource:?} synced"
        );
    }

    // Everything the vendor lists is cached.
    let mut listed = Vec::new();
    let mut opts = hirebridge_core::model::ListOptions {
        limit: Some(100),
        ..Default::default()
    };
    loop {
        let page = connector
            .list_assessments(&opts)
            .await
            .expect("assessments");
        listed.extend(page.result);
        match page.next_cursor {
            Some(c) => opts.cursor = Some(c),
            None => break,
        }
    }
    assert!(!listed.is_empty(), "the fake seeds assessments");
    assert_eq!(
        count(&pool, "SELECT count(*) FROM cached_assessments").await,
        listed.len() as i64
    );
    assert!(count(&pool, "SELECT count(*) FROM cached_interviews").await > 0);

    // The detail of an assessed candidate shows its scores.
    let scored = &listed[0];
    let detail = cache::candidate_detail(&pool, &account.id, &scored.candidate_id)
        .await
        .expect("detail")
        .expect("the candidate is cached");
    let shown = detail
        .assessments
        .iter()
        .find(|a| a.id == scored.id)
        .expect("its assessment is in the detail");
    assert_eq!(shown.score, scored.score);
    assert_eq!(shown.signals, scored.signals);

    // And an interviewed candidate's interviews.
    let candidate: String =
        sqlx::query_scalar("SELECT candidate_remote_id FROM cached_interviews LIMIT 1")
            .fetch_one(&pool)
            .await
            .expect("an interview");
    let detail = cache::candidate_detail(&pool, &account.id, &candidate)
        .await
        .expect("detail")
        .expect("cached");
    let cached = count(
        &pool,
        &format!(
            "SELECT count(*) FROM cached_interviews WHERE candidate_remote_id = '{candidate}'"
        ),
    )
    .await;
    assert_eq!(detail.interviews.len() as i64, cached);
    assert!(
        detail
            .interviews
            .iter()
            .all(|i| i.candidate_id == candidate)
    );
    fake.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_resumed_run_whose_cursor_is_refused_starts_over_from_the_watermark() {
    let fake = fake(31, 300, false).await;
    for vendor in [Vendor::Lever, Vendor::SmartRecruiters] {
        let account = account(&fake, vendor);
        let pool = cache_with(&account).await;
        let connector = connector(&fake, &account);
        sync(&pool, &connector, false).await;
        fake.admin().mutate(Some(vendor_id(vendor)), 10);

        // What a process killed mid-run leaves, with a cursor the vendor no longer accepts.
        let watermark: i64 = sqlx::query_scalar(
            "SELECT watermark FROM sync_state WHERE account_id = ? AND resource = 'candidates'",
        )
        .bind(&account.id)
        .fetch_one(&pool)
        .await
        .expect("watermark");
        sqlx::query(
            "INSERT INTO sync_runs (id, account_id, resource, full, status, started_at) \
             VALUES ('stale-run', ?, 'candidates', 0, 'running', ?)",
        )
        .bind(&account.id)
        .bind(watermark + 1)
        .execute(&pool)
        .await
        .expect("run row");
        sqlx::query(
            "UPDATE sync_state SET run_id = 'stale-run', run_full = 0, run_started_at = ?, \
             run_updated_after = ?, run_cursor = 'expired-cursor', run_done = 100, run_requests = 1 \
             WHERE account_id = ? AND resource = 'candidates'",
        )
        .bind(watermark + 1)
        .bind(watermark)
        .bind(&account.id)
        .execute(&pool)
        .await
        .expect("checkpoint");

        let report = sync(&pool, &connector, false).await;
        let candidates = report
            .resources
            .iter()
            .find(|r| r.resource == SyncResource::Candidates)
            .expect("candidates ran");
        assert!(!candidates.resumed, "{vendor:?}: started over");
        assert_ne!(candidates.run_id, "stale-run");
        let stale: String =
            sqlx::query_scalar("SELECT status FROM sync_runs WHERE id = 'stale-run'")
                .fetch_one(&pool)
                .await
                .expect("stale run");
        assert_eq!(
            stale, "failed",
            "{vendor:?}: the refused run is in the history"
        );

        // Nothing was lost: the same cache as a fresh full sync (SmartRecruiters may keep
        // deleted people until its reconcile, so compare after one).
        if vendor == Vendor::SmartRecruiters {
            sync(&pool, &connector, true).await;
        }
        let fresh = cache_with(&account).await;
        sync(&fresh, &connector, true).await;
        let diff = differences(&snapshot(&pool).await, &snapshot(&fresh).await);
        assert!(diff.is_empty(), "{vendor:?}: {diff:?}");
    }
    fake.shutdown().await;
}
