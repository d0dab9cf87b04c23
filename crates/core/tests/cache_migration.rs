//! Migration 0006 (cheaper candidate writes) on caches written before it, and the write path
//! that replaced the identities trigger.

use std::path::Path;

use hirebridge_core::Vendor;
use hirebridge_core::cache::rows::CandidateRow;
use hirebridge_core::cache::write;
use hirebridge_core::cache::{self, DuplicateQuery, IdentityKind, MatchKind, SearchQuery};
use sqlx::SqlitePool;
use sqlx::sqlite::{SqliteConnectOptions, SqlitePoolOptions};

const MIGRATIONS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/migrations");

/// A database file with the schema as it was before migration `version`.
async fn cache_before(dir: &Path, version: i64) -> SqlitePool {
    let old = dir.join("old-migrations");
    std::fs::create_dir_all(&old).expect("dir");
    for entry in std::fs::read_dir(MIGRATIONS).expect("migrations") {
        let path = entry.expect("entry").path();
        let name = path
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default();
        let number: i64 = name
            .split('_')
            .next()
            .and_then(|n| n.parse().ok())
            .expect("numbered migration");
        if number < version {
            std::fs::copy(&path, old.join(name)).expect("copy");
        }
    }
    let pool = SqlitePoolOptions::new()
        .max_connections(1)
        .connect_with(
            SqliteConnectOptions::new()
                .filename(dir.join(hirebridge_core::db::DB_FILE))
                .create_if_missing(true)
                .foreign_keys(true),
        )
        .await
        .expect("open");
    sqlx::migrate::Migrator::new(old.as_path())
        .await
        .expect("old migrations")
        .run(&pool)
        .await
        .expect("migrate to the old schema");
    pool
}

async fn add_account(pool: &SqlitePool, id: &str) {
    sqlx::query(
        "INSERT INTO accounts (id, vendor, label, base_url, auth_kind, created_at, updated_at) \
         VALUES (?, 'lever', ?, 'http://localhost', 'api_key', '2026-01-01', '2026-01-01')",
    )
    .bind(id)
    .bind(id)
    .execute(pool)
    .await
    .expect("account");
}

/// A candidate row as the code before 0006 wrote it (its triggers did the rest).
async fn old_candidate(pool: &SqlitePool, id: &str, name: (&str, &str), email: &str, phone: &str) {
    let digits: String = phone.chars().filter(char::is_ascii_digit).collect();
    let full = format!("{} {}", name.0, name.1);
    sqlx::query(
        "INSERT INTO cached_candidates (account_id, remote_id, vendor, first_name, last_name, name, \
         emails, phones, company, title, tags, name_key, last_name_key, primary_email, identities, \
         created_at, updated_at, record, seen_run) \
         VALUES ('a1', ?1, 'lever', ?2, ?3, ?4, ?5, ?6, 'Initech', 'Kubernetes Wrangler', 'rust', \
                 lower(?4), lower(?3 || ' ' || ?2), ?5, ?7, 1, 2, '{}', 'r')",
    )
    .bind(id)
    .bind(name.0)
    .bind(name.1)
    .bind(&full)
    .bind(email)
    .bind(format!("{phone} {} {digits}", &digits[digits.len() - 10..]))
    .bind(serde_json::json!([["email", email], ["phone", digits]]).to_string())
    .execute(pool)
    .await
    .expect("old row");
}

async fn search(pool: &SqlitePool, text: &str) -> Vec<String> {
    cache::search_candidates(
        pool,
        &SearchQuery {
            text: text.into(),
            ..Default::default()
        },
    )
    .await
    .expect("search")
    .into_iter()
    .map(|h| h.candidate.remote_id)
    .collect()
}

async fn duplicates_of(pool: &SqlitePool, email: &str, phone: &str) -> Vec<(String, usize)> {
    cache::find_duplicates(
        pool,
        &DuplicateQuery {
            emails: vec![email.into()],
            phones: vec![phone.into()],
            linkedin_urls: vec![],
        },
    )
    .await
    .expect("duplicates")
    .into_iter()
    .map(|d| (d.candidate.remote_id, d.matched_on.len()))
    .collect()
}

fn person(id: &str, first: &str, email: &str) -> CandidateRow {
    CandidateRow {
        remote_id: id.into(),
        first_name: first.into(),
        last_name: "Doe".into(),
        emails: vec![email.into()],
        updated_at: Some(1_700_000_000_000),
        record: "{}".into(),
        ..Default::default()
    }
}

async fn put(pool: &SqlitePool, rows: &[CandidateRow]) {
    let mut tx = pool.begin().await.expect("tx");
    write::upsert_candidates(&mut tx, "a1", Vendor::Lever, Some("run"), 1, rows)
        .await
        .expect("upsert");
    tx.commit().await.expect("commit");
}

async fn identities(pool: &SqlitePool) -> Vec<(String, String, String)> {
    sqlx::query_as(
        "SELECT c.remote_id, i.kind, i.value FROM candidate_identities i \
         JOIN cached_candidates c ON c.id = i.candidate_id ORDER BY 1, 2, 3",
    )
    .fetch_all(pool)
    .await
    .expect("identities")
}

#[tokio::test]
async fn a_cache_written_before_0006_migrates_and_still_searches_and_finds_duplicates() {
    let dir = tempfile::tempdir().expect("tempdir");
    let old = cache_before(dir.path(), 6).await;
    add_account(&old, "a1").await;
    old_candidate(
        &old,
        "c1",
        ("Anita", "Rao"),
        "anita@example.com",
        "+1 555 123 4567",
    )
    .await;
    old_candidate(
        &old,
        "c2",
        ("Bo", "Ray"),
        "bo@example.com",
        "+44 20 7946 0958",
    )
    .await;
    old.close().await;

    let pool = hirebridge_core::db::open(dir.path())
        .await
        .expect("migrates");
    let version: i64 = sqlx::query_scalar("SELECT max(version) FROM _sqlx_migrations")
        .fetch_one(&pool)
        .await
        .expect("version");
    assert!(version >= 6);
    // The rebuilt full-text index: names, emails, companies, titles and phone digits.
    assert_eq!(search(&pool, "anita rao").await, vec!["c1"]);
    assert_eq!(search(&pool, "initech ray").await, vec!["c2"]);
    assert_eq!(search(&pool, "kuber anita").await, vec!["c1"]);
    assert_eq!(search(&pool, "2079460958").await, vec!["c2"]);
    sqlx::query("INSERT INTO candidates_fts (candidates_fts, rank) VALUES ('integrity-check', 1)")
        .execute(&pool)
        .await
        .expect("the index matches its content");
    assert_eq!(
        duplicates_of(&pool, "Anita@Example.com", "15551234567").await,
        vec![("c1".to_owned(), 2)]
    );

    // Written after the migration: identities come from the write path, not a trigger.
    put(&pool, &[person("c3", "Cleo", "cleo@example.com")]).await;
    assert_eq!(
        duplicates_of(&pool, "cleo@example.com", "").await,
        vec![("c3".to_owned(), 1)]
    );
    // An old row rewritten with a new email: the old identity goes, the new one is found.
    let mut anita = person("c1", "Anita", "anita.rao@example.org");
    anita.last_name = "Rao".into();
    put(&pool, &[anita]).await;
    assert!(
        duplicates_of(&pool, "anita@example.com", "")
            .await
            .is_empty()
    );
    assert_eq!(
        duplicates_of(&pool, "anita.rao@example.org", "").await,
        vec![("c1".to_owned(), 1)]
    );
}

#[tokio::test]
async fn identities_follow_new_changed_and_kept_candidates() {
    let pool = hirebridge_core::db::open_in_memory().await.expect("db");
    add_account(&pool, "a1").await;
    let mut full = person("c1", "Ann", "ann@x.io");
    full.complete = true;
    full.phones = vec!["+1 (555) 123-4567".into()];
    full.urls = vec!["https://www.linkedin.com/in/ann-doe/".into()];
    let mut twin = person("c2", "Ann", "ANN@x.io");
    twin.phones = vec!["555 123 4567 ".into()];
    put(&pool, &[full, twin]).await;
    let expected = |rows: &[(&str, &str, &str)]| -> Vec<(String, String, String)> {
        rows.iter()
            .map(|(a, b, c)| ((*a).to_owned(), (*b).to_owned(), (*c).to_owned()))
            .collect()
    };
    assert_eq!(
        identities(&pool).await,
        expected(&[
            ("c1", "email", "ann@x.io"),
            ("c1", "linkedin", "linkedin.com/in/ann-doe"),
            ("c1", "phone", "15551234567"),
            ("c2", "email", "ann@x.io"),
            ("c2", "phone", "5551234567"),
        ])
    );
    let dups = cache::find_duplicates(
        &pool,
        &DuplicateQuery {
            emails: vec!["ann@x.io".into()],
            ..Default::default()
        },
    )
    .await
    .expect("dups");
    assert_eq!(dups.len(), 2);
    assert!(
        dups.iter()
            .all(|d| d.matched_on == vec![IdentityKind::Email])
    );

    // A partial list object of the unchanged full record keeps the record, and its identities.
    let partial = person("c1", "Ann", "other@x.io");
    put(&pool, std::slice::from_ref(&partial)).await;
    assert_eq!(identities(&pool).await.len(), 5);
    // Changed at the vendor: the new values win and the old identities go.
    let mut changed = partial;
    changed.updated_at = Some(1_800_000_000_000);
    put(&pool, &[changed]).await;
    assert_eq!(
        identities(&pool).await,
        expected(&[
            ("c1", "email", "other@x.io"),
            ("c2", "email", "ann@x.io"),
            ("c2", "phone", "5551234567"),
        ])
    );
    // Writing the same rows again adds nothing.
    put(
        &pool,
        &[person("c3", "Cy", "cy@x.io"), person("c3", "Cy", "cy@x.io")],
    )
    .await;
    assert_eq!(identities(&pool).await.len(), 4);
}

#[tokio::test]
async fn a_long_word_matching_many_rows_is_served_from_its_whole_word_matches() {
    let pool = hirebridge_core::db::open_in_memory().await.expect("db");
    add_account(&pool, "a1").await;
    let many = cache::search::RANK_CAP as usize + 20;
    let rows: Vec<CandidateRow> = (0..many + 5)
        .map(|i| {
            let mut c = person(&format!("c{i:04}"), &format!("P{i}"), "p@x.io");
            // A few rows hold only a longer word that the prefix also starts.
            c.tags = vec![if i < 5 { "kubernetesops" } else { "kubernetes" }.into()];
            c
        })
        .collect();
    put(&pool, &rows).await;
    let hits = cache::search_candidates(
        &pool,
        &SearchQuery {
            text: "kubernetes".into(),
            limit: Some(40),
            ..Default::default()
        },
    )
    .await
    .expect("search");
    assert_eq!(hits.len(), 40);
    assert!(hits.iter().all(|h| h.matched_by == MatchKind::FullText));
    let first: Vec<&str> = hits
        .iter()
        .map(|h| h.candidate.remote_id.as_str())
        .collect();
    assert!(
        !first.contains(&"c0000"),
        "served from the whole word's matches: {first:?}"
    );
    // Few whole-word matches: the prefix query runs as before and finds the longer word too.
    assert_eq!(search(&pool, "kubernetesop").await.len(), 5);
}
