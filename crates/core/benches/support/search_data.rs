//! Synthetic candidates for the search benchmark, written straight into the cache.

use hirebridge_core::Vendor;
use hirebridge_core::cache::rows::CandidateRow;
use hirebridge_core::cache::write;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use sqlx::SqlitePool;

const FIRST: &[&str] = &[
    "Anita",
    "Aarav",
    "Zoë",
    "José",
    "María",
    "Chen",
    "Wei",
    "Olga",
    "Ivan",
    "Fatima",
    "Omar",
    "Léa",
    "Noé",
    "Sofía",
    "Lucas",
    "Emma",
    "Liam",
    "Mia",
    "Noah",
    "Ava",
    "Ethan",
    "Isla",
    "Hiro",
    "Yuki",
    "Sven",
    "Ingrid",
    "Björn",
    "Åsa",
    "Priya",
    "Rahul",
    "Ananya",
    "Kwame",
    "Amara",
    "Chloé",
    "Mateo",
    "Valentina",
    "Diego",
    "Camila",
    "Jakub",
    "Zuzana",
    "Ömer",
    "Elif",
    "Dmitri",
    "Katya",
    "Giulia",
    "Marco",
    "Hannah",
    "Jonas",
    "Leila",
    "Tariq",
    "Grace",
    "Oliver",
    "Amelia",
    "Jack",
    "Charlotte",
    "Harry",
    "Sophie",
    "George",
    "Ella",
    "Nora",
    "Felix",
    "Clara",
    "Hugo",
    "Alice",
    "Louis",
    "Jeanne",
    "Pablo",
    "Lucía",
    "Andrés",
];
const LAST: &[&str] = &[
    "Rao",
    "Sharma",
    "Saldaña",
    "García",
    "Müller",
    "Schmidt",
    "Dubois",
    "Lefèvre",
    "Rossi",
    "Bianchi",
    "Nowak",
    "Kowalski",
    "Novák",
    "Svoboda",
    "Yılmaz",
    "Kaya",
    "Ivanov",
    "Petrov",
    "Smith",
    "Johnson",
    "Williams",
    "Brown",
    "Jones",
    "Miller",
    "Davis",
    "Wilson",
    "Anderson",
    "Taylor",
    "Thomas",
    "Moore",
    "Martin",
    "Jackson",
    "Lee",
    "Kim",
    "Park",
    "Nguyen",
    "Tran",
    "Wang",
    "Li",
    "Zhang",
    "Liu",
    "Chen",
    "Yang",
    "Huang",
    "Zhao",
    "Tanaka",
    "Suzuki",
    "Sato",
    "Watanabe",
    "Andersson",
    "Johansson",
    "Karlsson",
    "Nielsen",
    "Hansen",
    "Jensen",
    "O'Brien",
    "Murphy",
    "Kelly",
    "Walsh",
    "Okafor",
    "Mensah",
    "Boateng",
    "Haddad",
    "Khalil",
    "Cohen",
    "Levi",
    "Fernández",
    "López",
    "Martínez",
    "Sánchez",
    "Pérez",
    "Gómez",
    "Díaz",
];
const COMPANY: &[&str] = &[
    "Acme",
    "Globex",
    "Initech",
    "Umbrella",
    "Hooli",
    "Stark Industries",
    "Wayne Enterprises",
    "Ærø Shipping",
    "Zenith Labs",
    "Nimbus Cloud",
    "Orbital Systems",
    "Quantum Works",
    "Blue Harbor",
    "Redwood Analytics",
    "Sunrise Health",
    "Polar Foods",
    "Vertex Finance",
    "Helix Bio",
    "Cobalt Security",
    "Lumen Energy",
    "Pinnacle Retail",
    "Cascade Logistics",
];
const TITLE: &[&str] = &[
    "Software Engineer",
    "Senior Backend Engineer",
    "Data Scientist",
    "Product Manager",
    "UX Designer",
    "DevOps Engineer",
    "Recruiter",
    "Sales Manager",
    "Account Executive",
    "Marketing Lead",
    "QA Analyst",
    "Engineering Manager",
    "CTO",
    "Financial Analyst",
];
const TAGS: &[&str] = &[
    "java",
    "rust",
    "python",
    "go",
    "react",
    "referral",
    "remote",
    "senior",
    "junior",
    "sql",
    "kubernetes",
    "aws",
    "design",
    "sales",
    "leadership",
    "relocation",
];

pub fn candidate(rng: &mut StdRng, n: u64) -> CandidateRow {
    let first = FIRST[rng.random_range(0..FIRST.len())];
    let last = LAST[rng.random_range(0..LAST.len())];
    let company = COMPANY[rng.random_range(0..COMPANY.len())];
    let email = format!(
        "{}.{}{}@{}.example",
        first.to_lowercase(),
        last.to_lowercase().replace('\'', ""),
        n % 1000,
        company.split(' ').next().unwrap_or("mail").to_lowercase()
    );
    let phone = format!(
        "+1 ({:03}) {:03}-{:04}",
        rng.random_range(200..999),
        rng.random_range(100..999),
        rng.random_range(0..9999)
    );
    let tags = (0..rng.random_range(0..3))
        .map(|_| TAGS[rng.random_range(0..TAGS.len())].to_string())
        .collect();
    CandidateRow {
        remote_id: format!("cand-{n:08}"),
        first_name: first.into(),
        last_name: last.into(),
        emails: vec![email],
        phones: vec![phone],
        company: Some(company.into()),
        title: Some(TITLE[rng.random_range(0..TITLE.len())].into()),
        tags,
        urls: Vec::new(),
        resume_text: None,
        created_at: Some(1_700_000_000_000 + n as i64),
        updated_at: Some(1_700_000_000_000 + n as i64 * 7),
        complete: false,
        record: format!(
            "{{\"id\":\"cand-{n:08}\",\"first_name\":\"{first}\",\"last_name\":\"{last}\"}}"
        ),
        remote_data: None,
    }
}

/// Adds `count` candidates numbered from `from`, 1,000 per transaction.
pub async fn fill(pool: &SqlitePool, account_id: &str, from: u64, count: u64) {
    let mut rng = StdRng::seed_from_u64(from);
    let mut n = from;
    while n < from + count {
        let batch: Vec<CandidateRow> = (n..(n + 1_000).min(from + count))
            .map(|i| candidate(&mut rng, i))
            .collect();
        let mut tx = pool.begin().await.expect("begin");
        write::upsert_candidates(&mut tx, account_id, Vendor::Lever, Some("bench"), 0, &batch)
            .await
            .expect("upsert");
        tx.commit().await.expect("commit");
        n += batch.len() as u64;
    }
}

/// What a recruiter types: first keystrokes of names, whole names, emails, companies, tags.
pub fn queries(count: usize) -> Vec<String> {
    let mut rng = StdRng::seed_from_u64(42);
    (0..count)
        .map(|i| {
            let first = FIRST[rng.random_range(0..FIRST.len())];
            let last = LAST[rng.random_range(0..LAST.len())];
            let prefix = |s: &str, k: usize| s.chars().take(k).collect::<String>();
            match i % 10 {
                0 => prefix(first, 1),
                1 => prefix(last, 2),
                2 => prefix(first, 3),
                3 => prefix(last, 4),
                4 => first.to_string(),
                5 => format!("{first} {}", prefix(last, 2)),
                6 => format!(
                    "{}.{}",
                    first.to_lowercase(),
                    prefix(&last.to_lowercase(), 3)
                ),
                7 => prefix(COMPANY[rng.random_range(0..COMPANY.len())], 4),
                8 => TAGS[rng.random_range(0..TAGS.len())].to_string(),
                _ => format!(
                    "{} {}",
                    prefix(TITLE[rng.random_range(0..TITLE.len())], 5),
                    prefix(last, 2)
                ),
            }
        })
        .collect()
}

fn json_list(items: &[&str], f: impl Fn(&str) -> String) -> String {
    serde_json::to_string(&items.iter().map(|s| f(s)).collect::<Vec<_>>()).expect("json")
}

/// Adds `count` candidates numbered from `from` in one `INSERT … SELECT` inside SQLite, with
/// the full-text index rebuilt in bulk afterwards: for the 1M case, where going through the
/// sync's upserts would take minutes without measuring anything the 100k case does not.
pub async fn fill_in_sqlite(pool: &SqlitePool, account_id: &str, from: u64, count: u64) {
    use hirebridge_core::cache::normalize::fold;
    let trigger: String = sqlx::query_scalar(
        "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = 'cached_candidates_fts_insert'",
    )
    .fetch_one(pool)
    .await
    .expect("trigger");
    let mut tx = pool.begin().await.expect("begin");
    sqlx::query("DROP TRIGGER cached_candidates_fts_insert")
        .execute(&mut *tx)
        .await
        .expect("drop trigger");
    let domain = |c: &str| c.split(' ').next().unwrap_or("mail").to_lowercase();
    sqlx::query(
        "INSERT INTO cached_candidates (account_id, remote_id, vendor, first_name, last_name, name, \
         emails, phones, company, title, tags, name_key, last_name_key, primary_email, created_at, \
         updated_at, record, seen_run) \
         SELECT ?1, printf('cand-%08d', i), 'lever', f, l, f || ' ' || l, e, p, c, t, g, \
                ff || ' ' || fl, fl || ' ' || ff, e, 1700000000000 + i, 1700000000000 + i * 7, \
                json_object('id', printf('cand-%08d', i), 'first_name', f, 'last_name', l), 'bench' \
         FROM (SELECT i, \
                 json_extract(?4, '$[' || (i * 7919 % ?5) || ']') AS f, \
                 json_extract(?6, '$[' || (i * 7919 % ?5) || ']') AS ff, \
                 json_extract(?7, '$[' || (i * 104729 % ?8) || ']') AS l, \
                 json_extract(?9, '$[' || (i * 104729 % ?8) || ']') AS fl, \
                 json_extract(?10, '$[' || (i * 31 % ?11) || ']') AS c, \
                 json_extract(?12, '$[' || (i * 17 % ?13) || ']') AS t, \
                 json_extract(?14, '$[' || (i % ?15) || ']') AS g, \
                 json_extract(?6, '$[' || (i * 7919 % ?5) || ']') || '.' || \
                   json_extract(?9, '$[' || (i * 104729 % ?8) || ']') || (i % 1000) || '@' || \
                   json_extract(?16, '$[' || (i * 31 % ?11) || ']') || '.example' AS e, \
                 printf('+1 (%03d) %03d-%04d', 200 + i % 799, 100 + (i / 7) % 899, i % 9999) AS p \
               FROM (WITH RECURSIVE n(i) AS (SELECT ?2 UNION ALL SELECT i + 1 FROM n WHERE i < ?3) \
                     SELECT i FROM n))",
    )
    .bind(account_id)
    .bind(from as i64)
    .bind((from + count - 1) as i64)
    .bind(json_list(FIRST, str::to_owned))
    .bind(FIRST.len() as i64)
    .bind(json_list(FIRST, fold))
    .bind(json_list(LAST, str::to_owned))
    .bind(LAST.len() as i64)
    .bind(json_list(LAST, |l| fold(l).replace('\'', "")))
    .bind(json_list(COMPANY, str::to_owned))
    .bind(COMPANY.len() as i64)
    .bind(json_list(TITLE, str::to_owned))
    .bind(TITLE.len() as i64)
    .bind(json_list(TAGS, str::to_owned))
    .bind(TAGS.len() as i64)
    .bind(json_list(COMPANY, domain))
    .execute(&mut *tx)
    .await
    .expect("bulk insert");
    sqlx::query(&trigger)
        .execute(&mut *tx)
        .await
        .expect("trigger back");
    sqlx::query("INSERT INTO candidates_fts (candidates_fts) VALUES ('rebuild')")
        .execute(&mut *tx)
        .await
        .expect("rebuild index");
    tx.commit().await.expect("commit");
}

/// Jobs `job-0000`.. and about 1.14 applications per candidate `cand-%08d` in `0..candidates`
/// (the demo SmartRecruiters ratio), spread over `jobs` jobs and nine stages of five
/// categories, one in eleven without a stage; generated inside SQLite.
pub async fn fill_jobs_in_sqlite(pool: &SqlitePool, account_id: &str, candidates: u64, jobs: u64) {
    let mut tx = pool.begin().await.expect("begin");
    sqlx::query(
        "INSERT INTO cached_jobs (account_id, remote_id, vendor, name, status, updated_at, record) \
         SELECT ?1, printf('job-%04d', i), 'lever', 'Job ' || i, 'open', 1700000000000 + i, '{}' \
         FROM (WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < ?2 - 1) \
               SELECT i FROM n)",
    )
    .bind(account_id)
    .bind(jobs as i64)
    .execute(&mut *tx)
    .await
    .expect("jobs");
    // Candidate i applies to job (i * 7) % jobs; one in seven also to the next job.
    sqlx::query(
        "INSERT INTO cached_applications (account_id, remote_id, vendor, candidate_remote_id, \
         job_remote_id, stage_id, stage_name, stage_category, updated_at, record) \
         SELECT ?1, printf('app-%08d-%d', i, k), 'lever', printf('cand-%08d', i), \
                printf('job-%04d', (i * 7 + k) % ?3), \
                CASE WHEN (i + k) % 11 = 0 THEN NULL ELSE 'stage-' || ((i + k) % 9) END, \
                CASE WHEN (i + k) % 11 = 0 THEN NULL ELSE 'Stage ' || ((i + k) % 9) END, \
                CASE WHEN (i + k) % 11 = 0 THEN 'other' ELSE \
                  CASE (i + k) % 9 WHEN 0 THEN 'lead' WHEN 6 THEN 'offer' WHEN 7 THEN 'hired' \
                    WHEN 8 THEN 'rejected' ELSE 'active' END END, \
                1700000000000 + i, '{}' \
         FROM (WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < ?2 - 1) \
               SELECT i FROM n), (SELECT 0 AS k UNION ALL SELECT 1) \
         WHERE k = 0 OR i % 7 = 0",
    )
    .bind(account_id)
    .bind(candidates as i64)
    .bind(jobs as i64)
    .execute(&mut *tx)
    .await
    .expect("applications");
    tx.commit().await.expect("commit");
}
