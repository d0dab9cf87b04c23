//! The cache's writes and UI queries on a real (in-memory) SQLite with the full schema.

use chrono::{TimeZone, Utc};
use hirebridge_core::Vendor;
use hirebridge_core::cache::rows::{ApplicationRow, AttachmentRow, CandidateRow, JobRow};
use hirebridge_core::cache::write::{self, CachedTable};
use hirebridge_core::cache::{
    self, ActivityQuery, CandidateListQuery, CandidateSort, DuplicateQuery, IdentityKind,
    MatchKind, NotifyScope, PipelineGroup, SearchQuery,
};
use sqlx::SqlitePool;

async fn db() -> SqlitePool {
    hirebridge_core::db::open_in_memory()
        .await
        .expect("in-memory db")
}

async fn add_account(pool: &SqlitePool, id: &str, vendor: Vendor) {
    sqlx::query(
        "INSERT INTO accounts (id, vendor, label, base_url, auth_kind, created_at, updated_at) \
         VALUES (?, ?, ?, 'http://localhost', 'api_key', '2026-01-01', '2026-01-01')",
    )
    .bind(id)
    .bind(vendor.as_str())
    .bind(format!("label-{id}"))
    .execute(pool)
    .await
    .expect("insert account");
}

fn person(id: &str, first: &str, last: &str, email: &str) -> CandidateRow {
    CandidateRow {
        remote_id: id.into(),
        first_name: first.into(),
        last_name: last.into(),
        emails: vec![email.into()],
        updated_at: Some(1_700_000_000_000),
        record: format!("{{\"id\":\"{id}\"}}"),
        ..Default::default()
    }
}

async fn put_candidates(pool: &SqlitePool, account: &str, vendor: Vendor, rows: &[CandidateRow]) {
    let mut tx = pool.begin().await.expect("tx");
    write::upsert_candidates(&mut tx, account, vendor, Some("run-1"), 1, rows)
        .await
        .expect("upsert");
    tx.commit().await.expect("commit");
}

async fn put_applications(
    pool: &SqlitePool,
    account: &str,
    rows: &[ApplicationRow],
) -> Vec<cache::StageChange> {
    let mut tx = pool.begin().await.expect("tx");
    let changes =
        write::upsert_applications(&mut tx, account, Vendor::Lever, Some("run-1"), 5, rows)
            .await
            .expect("upsert");
    tx.commit().await.expect("commit");
    changes
}

/// Job `j1`, "Backend", in its own transaction.
async fn put_backend_job(pool: &SqlitePool, account: &str) {
    put_job(pool, account, "j1", "Backend", None).await;
}

async fn put_job(pool: &SqlitePool, account: &str, id: &str, name: &str, status: Option<&str>) {
    let mut tx = pool.begin().await.expect("tx");
    write::upsert_jobs(
        &mut tx,
        account,
        Vendor::Lever,
        Some("r"),
        &[JobRow {
            remote_id: id.into(),
            name: name.into(),
            status: status.map(str::to_owned),
            record: "{}".into(),
            ..Default::default()
        }],
    )
    .await
    .expect("jobs");
    tx.commit().await.expect("commit");
}

fn app(id: &str, candidate: &str, job: &str, stage: &str) -> ApplicationRow {
    ApplicationRow {
        remote_id: id.into(),
        candidate_remote_id: Some(candidate.into()),
        job_remote_id: Some(job.into()),
        stage_id: Some(stage.into()),
        stage_name: Some(format!("Stage {stage}")),
        stage_category: Some(
            if stage == "offer" {
                "offer"
            } else {
                "interview"
            }
            .into(),
        ),
        record: "{}".into(),
        ..Default::default()
    }
}

async fn search(pool: &SqlitePool, text: &str) -> Vec<cache::SearchHit> {
    cache::search_candidates(
        pool,
        &SearchQuery {
            text: text.into(),
            ..Default::default()
        },
    )
    .await
    .expect("search")
}

fn ids(hits: &[cache::SearchHit]) -> Vec<String> {
    hits.iter().map(|h| h.candidate.remote_id.clone()).collect()
}

#[tokio::test]
async fn search_folds_diacritics_and_case_and_matches_prefixes() {
    let pool = db().await;
    add_account(&pool, "a1", Vendor::Lever).await;
    let mut zoe = person("c1", "Zoë", "Saldaña", "zoe@example.com");
    zoe.phones = vec!["+1 (555) 123-4567".into()];
    zoe.company = Some("Ærø Shipping".into());
    put_candidates(
        &pool,
        "a1",
        Vendor::Lever,
        &[zoe, person("c2", "Bob", "Stone", "bob@other.org")],
    )
    .await;

    for q in [
        "zoe",
        "ZOË",
        "saldana",
        "sald",
        "zo",
        "zoe sal",
        "5551234567",
        "zoe@exa",
        "ærø",
    ] {
        assert_eq!(ids(&search(&pool, q).await), vec!["c1"], "query {q:?}");
    }
    // Typing the first letter finds names starting with it, through the name index.
    let hits = search(&pool, "s").await;
    assert_eq!(ids(&hits), vec!["c1", "c2"], "last names starting with s");
    assert!(hits.iter().all(|h| h.matched_by == MatchKind::NamePrefix));
    assert!(search(&pool, "zzz").await.is_empty());
    assert!(
        search(&pool, "  \"*( ").await.is_empty(),
        "FTS syntax is inert"
    );
    assert_eq!(
        ids(&search(&pool, "bob\" OR \"zoe").await),
        Vec::<String>::new()
    );
}

#[tokio::test]
async fn search_ranks_name_prefixes_first_then_by_relevance() {
    let pool = db().await;
    add_account(&pool, "a1", Vendor::Lever).await;
    let mut resume_only = person("c1", "Alice", "Martin", "alice@example.com");
    resume_only.resume_text = Some("Worked with Rao on kernels".into());
    let mut title = person("c2", "Chen", "Li", "chen@example.com");
    title.title = Some("Rao Lab lead".into());
    let named = person("c3", "Anita", "Rao", "anita@example.com");
    put_candidates(&pool, "a1", Vendor::Lever, &[resume_only, title, named]).await;

    let hits = search(&pool, "rao").await;
    assert_eq!(ids(&hits), vec!["c3", "c2", "c1"]);
    assert_eq!(hits[0].matched_by, MatchKind::NamePrefix);
    assert_eq!(hits[1].matched_by, MatchKind::FullText);
    let (s2, s1) = (
        hits[1].score.expect("ranked"),
        hits[2].score.expect("ranked"),
    );
    assert!(s2 < s1, "title weighs more than resume: {s2} vs {s1}");
}

#[tokio::test]
async fn search_can_be_limited_to_an_account() {
    let pool = db().await;
    add_account(&pool, "a1", Vendor::Lever).await;
    add_account(&pool, "a2", Vendor::SmartRecruiters).await;
    put_candidates(
        &pool,
        "a1",
        Vendor::Lever,
        &[person("x", "Dana", "Kim", "d@a.com")],
    )
    .await;
    put_candidates(
        &pool,
        "a2",
        Vendor::SmartRecruiters,
        &[person("x", "Dana", "Kim", "d@b.com")],
    )
    .await;
    assert_eq!(search(&pool, "dana").await.len(), 2);
    let only = cache::search_candidates(
        &pool,
        &SearchQuery {
            text: "kim".into(),
            account_id: Some("a2".into()),
            limit: None,
        },
    )
    .await
    .expect("search");
    assert_eq!(only.len(), 1);
    assert_eq!(only[0].candidate.account_id, "a2");
    assert_eq!(only[0].candidate.vendor, Vendor::SmartRecruiters);
}

#[tokio::test]
async fn keyset_pages_visit_every_filtered_candidate_once_in_order() {
    let pool = db().await;
    add_account(&pool, "a1", Vendor::Lever).await;
    add_account(&pool, "a2", Vendor::Lever).await;
    let rows: Vec<CandidateRow> = (0..57)
        .map(|i| {
            let mut c = person(
                &format!("c{i:02}"),
                &format!("N{}", i % 7),
                "Same",
                "e@x.io",
            );
            c.updated_at = Some(1_000 + (i % 5) as i64);
            c
        })
        .collect();
    put_candidates(&pool, "a1", Vendor::Lever, &rows).await;
    put_candidates(&pool, "a2", Vendor::Lever, &rows[..3]).await;

    for sort in [CandidateSort::NameAsc, CandidateSort::UpdatedDesc] {
        let mut seen = Vec::new();
        let mut cursor = None;
        loop {
            let page = cache::list_candidates(
                &pool,
                &CandidateListQuery {
                    account_id: Some("a1".into()),
                    sort,
                    cursor,
                    limit: Some(10),
                    ..Default::default()
                },
            )
            .await
            .expect("page");
            seen.extend(page.items);
            match page.next_cursor {
                Some(c) => cursor = Some(c),
                None => break,
            }
        }
        assert_eq!(seen.len(), 57, "{sort:?}");
        let mut unique: Vec<_> = seen.iter().map(|c| c.remote_id.clone()).collect();
        unique.sort();
        unique.dedup();
        assert_eq!(unique.len(), 57, "no candidate twice ({sort:?})");
        let keys: Vec<_> = match sort {
            CandidateSort::NameAsc => seen.iter().map(|c| (c.name.clone(), 0)).collect(),
            CandidateSort::UpdatedDesc => seen
                .iter()
                .map(|c| {
                    (
                        String::new(),
                        -c.updated_at.map(|t| t.timestamp_millis()).unwrap_or(0),
                    )
                })
                .collect(),
        };
        assert!(keys.windows(2).all(|w| w[0] <= w[1]), "sorted ({sort:?})");
    }
    let bad = cache::list_candidates(
        &pool,
        &CandidateListQuery {
            cursor: Some("not a cursor".into()),
            ..Default::default()
        },
    )
    .await;
    assert!(bad.is_err());
}

#[tokio::test]
async fn list_filters_by_job_stage_category_and_update_time() {
    let pool = db().await;
    add_account(&pool, "a1", Vendor::Lever).await;
    let mut old = person("c1", "Old", "One", "o@x.io");
    old.updated_at = Some(
        Utc.with_ymd_and_hms(2024, 1, 1, 0, 0, 0)
            .unwrap()
            .timestamp_millis(),
    );
    let mut new = person("c2", "New", "Two", "n@x.io");
    new.updated_at = Some(
        Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0)
            .unwrap()
            .timestamp_millis(),
    );
    put_candidates(&pool, "a1", Vendor::Lever, &[old, new]).await;
    put_applications(
        &pool,
        "a1",
        &[
            app("p1", "c1", "j1", "screen"),
            app("p2", "c2", "j2", "offer"),
        ],
    )
    .await;

    let list = |q: CandidateListQuery| {
        let pool = pool.clone();
        async move {
            cache::list_candidates(&pool, &q)
                .await
                .expect("list")
                .items
                .into_iter()
                .map(|c| c.remote_id)
                .collect::<Vec<_>>()
        }
    };
    let by_job = list(CandidateListQuery {
        job_id: Some("j1".into()),
        ..Default::default()
    })
    .await;
    assert_eq!(by_job, vec!["c1"]);
    let by_stage = list(CandidateListQuery {
        stage_id: Some("offer".into()),
        ..Default::default()
    })
    .await;
    assert_eq!(by_stage, vec!["c2"]);
    let by_cat = list(CandidateListQuery {
        stage_category: Some("interview".into()),
        ..Default::default()
    })
    .await;
    assert_eq!(by_cat, vec!["c1"]);
    let since = list(CandidateListQuery {
        updated_since: Some(Utc.with_ymd_and_hms(2025, 1, 1, 0, 0, 0).unwrap()),
        ..Default::default()
    })
    .await;
    assert_eq!(since, vec!["c2"]);
    let none = list(CandidateListQuery {
        job_id: Some("j1".into()),
        stage_id: Some("offer".into()),
        ..Default::default()
    })
    .await;
    assert!(none.is_empty());
}

#[tokio::test]
async fn each_stage_change_raises_exactly_one_alert_and_extends_history() {
    let pool = db().await;
    add_account(&pool, "a1", Vendor::Lever).await;
    put_candidates(
        &pool,
        "a1",
        Vendor::Lever,
        &[person("c1", "Ann", "Lee", "a@x.io")],
    )
    .await;

    assert!(
        put_applications(&pool, "a1", &[app("p1", "c1", "j1", "screen")])
            .await
            .is_empty()
    );
    assert!(
        put_applications(&pool, "a1", &[app("p1", "c1", "j1", "screen")])
            .await
            .is_empty()
    );
    let changes = put_applications(&pool, "a1", &[app("p1", "c1", "j1", "offer")]).await;
    assert_eq!(changes.len(), 1);
    assert_eq!(changes[0].from_stage_id.as_deref(), Some("screen"));
    assert_eq!(changes[0].to_stage_id.as_deref(), Some("offer"));
    // The same page again (a resumed sync) is not a new change.
    assert!(
        put_applications(&pool, "a1", &[app("p1", "c1", "j1", "offer")])
            .await
            .is_empty()
    );

    let feed = cache::activity_feed(&pool, &ActivityQuery::default())
        .await
        .expect("feed");
    assert_eq!(feed.len(), 1);
    assert_eq!(feed[0].candidate_name.as_deref(), Some("Ann Lee"));
    assert!(!feed[0].read);
    assert_eq!(
        cache::activity::unread_count(&pool).await.expect("count"),
        1
    );
    cache::activity::mark_read(&pool, Some(&[feed[0].id]))
        .await
        .expect("mark");
    assert_eq!(
        cache::activity::unread_count(&pool).await.expect("count"),
        0
    );

    let detail = cache::candidate_detail(&pool, "a1", "c1")
        .await
        .expect("detail")
        .expect("cached");
    let history = &detail.applications[0].history;
    assert_eq!(history.len(), 2, "first sighting, then the move");
    assert_eq!(history[1].from_stage_id.as_deref(), Some("screen"));
    assert_eq!(history[1].to_stage_id.as_deref(), Some("offer"));
}

#[tokio::test]
async fn notifications_follow_the_setting() {
    let pool = db().await;
    add_account(&pool, "a1", Vendor::Lever).await;
    put_applications(
        &pool,
        "a1",
        &[app("p1", "c1", "j1", "a"), app("p2", "c2", "j1", "a")],
    )
    .await;
    let changes = put_applications(
        &pool,
        "a1",
        &[app("p1", "c1", "j1", "b"), app("p2", "c2", "j1", "b")],
    )
    .await;
    assert_eq!(changes.len(), 2);

    assert_eq!(
        cache::activity::notify_scope(&pool).await.expect("scope"),
        NotifyScope::Followed
    );
    assert!(
        cache::changes_to_notify(&pool, &changes)
            .await
            .expect("n")
            .is_empty()
    );
    cache::activity::follow(&pool, "a1", "c2")
        .await
        .expect("follow");
    let n = cache::changes_to_notify(&pool, &changes).await.expect("n");
    assert_eq!(n.len(), 1);
    assert_eq!(n[0].candidate_remote_id.as_deref(), Some("c2"));
    cache::activity::set_notify_scope(&pool, NotifyScope::All)
        .await
        .expect("set");
    assert_eq!(
        cache::changes_to_notify(&pool, &changes)
            .await
            .expect("n")
            .len(),
        2
    );
    cache::activity::set_notify_scope(&pool, NotifyScope::None)
        .await
        .expect("set");
    assert!(
        cache::changes_to_notify(&pool, &changes)
            .await
            .expect("n")
            .is_empty()
    );
}

#[tokio::test]
async fn detail_joins_applications_jobs_and_attachments() {
    let pool = db().await;
    add_account(&pool, "a1", Vendor::Lever).await;
    put_candidates(
        &pool,
        "a1",
        Vendor::Lever,
        &[person("c1", "Ann", "Lee", "a@x.io")],
    )
    .await;
    put_applications(
        &pool,
        "a1",
        &[
            app("p1", "c1", "j1", "screen"),
            app("p2", "c1", "j2", "offer"),
        ],
    )
    .await;
    put_backend_job(&pool, "a1").await;
    let mut tx = pool.begin().await.expect("tx");
    write::upsert_attachments(
        &mut tx,
        "a1",
        Some("r"),
        &[AttachmentRow {
            remote_id: "f1".into(),
            candidate_remote_id: Some("c1".into()),
            file_name: "cv.pdf".into(),
            attachment_type: Some("RESUME".into()),
            record: "{}".into(),
            ..Default::default()
        }],
    )
    .await
    .expect("attachments");
    tx.commit().await.expect("commit");

    let d = cache::candidate_detail(&pool, "a1", "c1")
        .await
        .expect("detail")
        .expect("cached");
    assert_eq!(d.applications.len(), 2);
    let p1 = d
        .applications
        .iter()
        .find(|a| a.remote_id == "p1")
        .expect("p1");
    assert_eq!(p1.job_name.as_deref(), Some("Backend"));
    assert_eq!(d.attachments.len(), 1);
    assert_eq!(d.attachments[0].file_name, "cv.pdf");
    assert_eq!(d.record["id"], "c1");
    assert!(!d.complete);
    assert!(
        cache::candidate_detail(&pool, "a1", "nope")
            .await
            .expect("ok")
            .is_none()
    );

    let jobs = cache::jobs_with_counts(&pool, Some("a1"))
        .await
        .expect("jobs");
    assert_eq!(jobs.len(), 1, "only cached jobs are listed");
    assert_eq!(jobs[0].total, 1);
    assert_eq!(
        jobs[0].stages[0].group,
        PipelineGroup::Stage("screen".into())
    );
}

#[tokio::test]
async fn job_choices_list_an_accounts_jobs_or_all_of_them_by_name() {
    let pool = db().await;
    add_account(&pool, "a1", Vendor::Lever).await;
    add_account(&pool, "a2", Vendor::SmartRecruiters).await;
    put_job(&pool, "a1", "j2", "Zebra keeper", Some("open")).await;
    put_job(&pool, "a2", "j9", "Analyst", Some("open")).await;
    put_backend_job(&pool, "a1").await;

    let names = |choices: Vec<cache::JobChoice>| {
        choices
            .into_iter()
            .map(|j| format!("{}/{} {}", j.account_id, j.remote_id, j.name))
            .collect::<Vec<_>>()
    };
    let all = cache::job_choices(&pool, None).await.expect("all");
    assert_eq!(
        names(all.clone()),
        ["a2/j9 Analyst", "a1/j1 Backend", "a1/j2 Zebra keeper"]
    );
    assert_eq!(all[0].status.as_deref(), Some("open"));
    let one = cache::job_choices(&pool, Some("a1")).await.expect("a1");
    assert_eq!(names(one), ["a1/j1 Backend", "a1/j2 Zebra keeper"]);
    assert!(
        cache::job_choices(&pool, Some("nobody"))
            .await
            .expect("none")
            .is_empty()
    );
}

#[tokio::test]
async fn duplicates_are_found_across_accounts_after_normalization() {
    let pool = db().await;
    add_account(&pool, "a1", Vendor::Lever).await;
    add_account(&pool, "a2", Vendor::SmartRecruiters).await;
    let mut one = person("c1", "Ann", "Lee", "Ann.Lee@Example.com");
    one.phones = vec!["+1 (555) 123-4567".into()];
    one.urls = vec!["https://www.linkedin.com/in/ann-lee/".into()];
    let mut two = person("c9", "Ann", "L.", "other@example.com");
    two.phones = vec!["1-555-123-4567".into()];
    put_candidates(&pool, "a1", Vendor::Lever, &[one]).await;
    put_candidates(
        &pool,
        "a2",
        Vendor::SmartRecruiters,
        &[two, person("c3", "Zed", "Z", "z@z.z")],
    )
    .await;

    let found = cache::find_duplicates(
        &pool,
        &DuplicateQuery {
            emails: vec![" ann.lee@example.COM".into()],
            phones: vec!["15551234567".into()],
            linkedin_urls: vec!["http://linkedin.com/in/ANN-LEE?x=1".into()],
        },
    )
    .await
    .expect("dups");
    assert_eq!(found.len(), 2);
    assert_eq!(found[0].candidate.remote_id, "c1");
    assert_eq!(
        found[0].matched_on,
        vec![
            IdentityKind::Email,
            IdentityKind::Phone,
            IdentityKind::Linkedin
        ]
    );
    assert_eq!(found[1].candidate.account_id, "a2");
    assert_eq!(found[1].matched_on, vec![IdentityKind::Phone]);
    assert!(
        cache::find_duplicates(&pool, &DuplicateQuery::default())
            .await
            .expect("ok")
            .is_empty()
    );
}

#[tokio::test]
async fn a_partial_list_object_does_not_overwrite_an_unchanged_full_record() {
    let pool = db().await;
    add_account(&pool, "a1", Vendor::SmartRecruiters).await;
    let mut full = person("c1", "Ann", "Lee", "a@x.io");
    full.complete = true;
    full.phones = vec!["+44 20 7946 0958".into()];
    full.record = "{\"full\":true}".into();
    put_candidates(&pool, "a1", Vendor::SmartRecruiters, &[full]).await;
    let partial = person("c1", "Ann", "Lee", "a@x.io");
    put_candidates(
        &pool,
        "a1",
        Vendor::SmartRecruiters,
        std::slice::from_ref(&partial),
    )
    .await;
    let d = cache::candidate_detail(&pool, "a1", "c1")
        .await
        .expect("ok")
        .expect("cached");
    assert!(d.complete);
    assert_eq!(d.record["full"], true);
    assert_eq!(ids(&search(&pool, "2079460958").await), vec!["c1"]);

    let mut changed = partial;
    changed.updated_at = Some(1_800_000_000_000);
    put_candidates(&pool, "a1", Vendor::SmartRecruiters, &[changed]).await;
    let d = cache::candidate_detail(&pool, "a1", "c1")
        .await
        .expect("ok")
        .expect("cached");
    assert!(
        !d.complete,
        "a changed candidate is partial until opened again"
    );
    assert!(
        search(&pool, "2079460958").await.is_empty(),
        "index follows the row"
    );
}

#[tokio::test]
async fn deletes_sweeps_and_unlinking_remove_rows_and_their_index_entries() {
    let pool = db().await;
    add_account(&pool, "a1", Vendor::Lever).await;
    add_account(&pool, "a2", Vendor::Lever).await;
    put_candidates(
        &pool,
        "a1",
        Vendor::Lever,
        &[
            person("c1", "Ann", "Lee", "a@x.io"),
            person("c2", "Bo", "Ray", "b@x.io"),
        ],
    )
    .await;
    put_candidates(
        &pool,
        "a2",
        Vendor::Lever,
        &[person("c3", "Cy", "Moe", "c@x.io")],
    )
    .await;

    let mut tx = pool.begin().await.expect("tx");
    let n = write::delete_remote_ids(&mut tx, CachedTable::Candidates, "a1", &["c1".into()])
        .await
        .expect("delete");
    assert_eq!(n, 1);
    write::upsert_candidates(
        &mut tx,
        "a1",
        Vendor::Lever,
        Some("run-2"),
        1,
        &[person("c9", "Di", "X", "d@x.io")],
    )
    .await
    .expect("upsert");
    // c2 was not seen by run-2: a full run's sweep removes it.
    let swept = write::sweep_unseen(&mut tx, CachedTable::Candidates, "a1", "run-2")
        .await
        .expect("sweep");
    assert_eq!(swept, 1);
    tx.commit().await.expect("commit");
    assert!(search(&pool, "ann").await.is_empty());
    assert!(search(&pool, "ray").await.is_empty());
    assert_eq!(ids(&search(&pool, "di").await), vec!["c9"]);

    sqlx::query("DELETE FROM accounts WHERE id = 'a2'")
        .execute(&pool)
        .await
        .expect("unlink");
    assert!(search(&pool, "moe").await.is_empty());
    let left: i64 = sqlx::query_scalar("SELECT count(*) FROM candidate_identities")
        .fetch_one(&pool)
        .await
        .expect("count");
    assert_eq!(left, 1, "only c9's email remains");
    // FTS5 compares its index with the content table: fails if a delete left entries behind.
    sqlx::query("INSERT INTO candidates_fts (candidates_fts, rank) VALUES ('integrity-check', 1)")
        .execute(&pool)
        .await
        .expect("index matches content");
}

#[tokio::test]
async fn a_large_match_set_is_served_unranked_and_capped_at_the_limit() {
    let pool = db().await;
    add_account(&pool, "a1", Vendor::Lever).await;
    let rows: Vec<CandidateRow> = (0..(cache::search::RANK_CAP as usize + 50))
        .map(|i| {
            let mut c = person(&format!("c{i:04}"), "Pat", &format!("N{i}"), "p@x.io");
            c.title = Some("Staff Engineer".into());
            c
        })
        .collect();
    put_candidates(&pool, "a1", Vendor::Lever, &rows).await;
    let hits = cache::search_candidates(
        &pool,
        &SearchQuery {
            text: "engin".into(),
            limit: Some(30),
            ..Default::default()
        },
    )
    .await
    .expect("search");
    assert_eq!(hits.len(), 30);
    assert!(
        hits.iter()
            .all(|h| h.matched_by == MatchKind::FullText && h.score.is_none())
    );
    let few = search(&pool, "c0001").await;
    assert!(few.is_empty(), "ids are not searchable text");
}

#[tokio::test]
async fn resume_text_set_later_is_searchable_and_survives_a_resync() {
    let pool = db().await;
    add_account(&pool, "a1", Vendor::Lever).await;
    let anita = person("c1", "Anita", "Rao", "anita@example.com");
    put_candidates(&pool, "a1", Vendor::Lever, std::slice::from_ref(&anita)).await;
    assert!(search(&pool, "kubernetes").await.is_empty());

    let set = cache::set_resume_text(&pool, "a1", "c1", "Ran Kubernetes clusters at scale")
        .await
        .expect("set");
    assert!(set, "the candidate is cached");
    assert_eq!(ids(&search(&pool, "kubern").await), vec!["c1"]);
    let unknown = cache::set_resume_text(&pool, "a1", "nobody", "text")
        .await
        .expect("set");
    assert!(!unknown, "nothing cached to attach it to");

    // A sync writes the list object again (no resume text in it): the text stays indexed.
    put_candidates(&pool, "a1", Vendor::Lever, &[anita]).await;
    assert_eq!(ids(&search(&pool, "clusters").await), vec!["c1"]);

    // Cleared: no longer found, and the index is consistent.
    cache::set_resume_text(&pool, "a1", "c1", "")
        .await
        .expect("clear");
    assert!(search(&pool, "clusters").await.is_empty());
    sqlx::query("INSERT INTO candidates_fts (candidates_fts, rank) VALUES ('integrity-check', 1)")
        .execute(&pool)
        .await
        .expect("FTS index matches the table");
}

#[tokio::test]
async fn a_jobs_pipeline_runs_in_funnel_order_and_each_group_lists_its_own_candidates() {
    let pool = db().await;
    add_account(&pool, "a1", Vendor::Lever).await;
    let people: Vec<CandidateRow> = (1..=7)
        .map(|i| {
            person(
                &format!("c{i}"),
                "P",
                &format!("{i}"),
                &format!("p{i}@x.io"),
            )
        })
        .collect();
    put_candidates(&pool, "a1", Vendor::Lever, &people).await;
    let with = |id: &str, candidate: &str, stage: Option<&str>, category: &str| ApplicationRow {
        remote_id: id.into(),
        candidate_remote_id: Some(candidate.into()),
        job_remote_id: Some("j1".into()),
        stage_id: stage.map(Into::into),
        stage_name: stage.map(|s| format!("Stage {s}")),
        stage_category: Some(category.into()),
        record: "{}".into(),
        ..Default::default()
    };
    put_applications(
        &pool,
        "a1",
        &[
            // Rejected while in the phone screen: counts as rejected, not as a live screen.
            with("p1", "c1", Some("phone"), "rejected"),
            with("p2", "c2", Some("phone"), "active"),
            with("p3", "c3", Some("offer"), "offer"),
            with("p4", "c4", Some("onsite"), "rejected"),
            with("p5", "c5", None, "other"),
            with("p6", "c6", Some("lead-new"), "lead"),
            with("p7", "c7", Some("onsite"), "active"),
        ],
    )
    .await;
    put_backend_job(&pool, "a1").await;

    let jobs = cache::jobs_with_counts(&pool, Some("a1"))
        .await
        .expect("jobs");
    let groups: Vec<(PipelineGroup, u32)> = jobs[0]
        .stages
        .iter()
        .map(|s| (s.group.clone(), s.count))
        .collect();
    assert_eq!(
        groups,
        vec![
            (PipelineGroup::Stage("lead-new".into()), 1),
            (PipelineGroup::Stage("onsite".into()), 1),
            (PipelineGroup::Stage("phone".into()), 1),
            (PipelineGroup::Stage("offer".into()), 1),
            (PipelineGroup::Closed("rejected".into()), 2),
            (PipelineGroup::NoStage, 1),
        ]
    );
    assert_eq!(jobs[0].total, 7);
    let rejected = &jobs[0].stages[4];
    assert_eq!(rejected.stage_name, None);
    assert_eq!(rejected.stage_category.as_deref(), Some("rejected"));

    let members = |group: PipelineGroup| {
        let pool = pool.clone();
        async move {
            let mut ids: Vec<String> = cache::list_candidates(
                &pool,
                &CandidateListQuery {
                    job_id: Some("j1".into()),
                    pipeline_group: Some(group),
                    ..Default::default()
                },
            )
            .await
            .expect("list")
            .items
            .into_iter()
            .map(|c| c.remote_id)
            .collect();
            ids.sort();
            ids
        }
    };
    assert_eq!(members(PipelineGroup::Stage("phone".into())).await, ["c2"]);
    assert_eq!(members(PipelineGroup::Stage("onsite".into())).await, ["c7"]);
    assert_eq!(
        members(PipelineGroup::Closed("rejected".into())).await,
        ["c1", "c4"]
    );
    assert_eq!(members(PipelineGroup::NoStage).await, ["c5"]);
}
