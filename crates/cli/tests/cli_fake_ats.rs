//! The `hirebridge` binary end to end against fake-ats, with API keys in the kernel keyring.
//!
//! Every CLI invocation of one scenario runs inside a single `keyctl session -` shell, so they
//! share a session keyring the way one login session does (keyutils package required).

use std::collections::{BTreeSet, HashSet};
use std::path::Path;
use std::process::Command;

use hirebridge_core::Vendor;
use hirebridge_core::accounts::{Account, api_key_header};
use hirebridge_core::connectors;
use hirebridge_core::http::{HttpClient, HttpConfig, StaticCredentials};
use hirebridge_core::model::ListOptions;
use hirebridge_core::secrets::Secret;

const BIN: &str = env!("CARGO_BIN_EXE_hirebridge");

/// Runs `script` under `keyctl session - sh -c`, with `$HB` the binary and `$DIR` the data dir.
fn in_keyring_session(script: &str, dir: &Path, env: &[(String, String)]) -> std::process::Output {
    let mut cmd = Command::new("keyctl");
    cmd.args(["session", "-", "sh", "-c", script])
        .env("HB", BIN)
        .env("DIR", dir)
        .env_remove("HIREBRIDGE_DATA_DIR");
    for (k, v) in env {
        cmd.env(k, v);
    }
    let out = cmd
        .output()
        .expect("keyctl runs (install the keyutils package)");
    assert!(
        out.status.success(),
        "script failed: {}\nstdout:\n{}\nstderr:\n{}",
        out.status,
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

fn read_json(path: &Path) -> serde_json::Value {
    serde_json::from_slice(&std::fs::read(path).expect("output file")).expect("valid JSON")
}

/// Nothing in the data directory contains the key.
fn assert_not_on_disk(dir: &Path, secret: &str) {
    for entry in std::fs::read_dir(dir).expect("data dir") {
        let path = entry.expect("entry").path();
        if path.is_file() && !path.extension().is_some_and(|e| e == "json" || e == "txt") {
            let bytes = std::fs::read(&path).expect("read");
            assert!(
                !bytes.windows(secret.len()).any(|w| w == secret.as_bytes()),
                "key found in {}",
                path.display()
            );
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn links_lists_every_candidate_once_pushes_moves_and_unlinks() {
    let fake = fake_ats::spawn(fake_ats::Config {
        candidates: 450,
        ..Default::default()
    })
    .await
    .expect("fake");
    let sr = fake.info().smartrecruiters.clone();
    let dir = tempfile::tempdir().expect("tempdir");

    // What the CLI should find, read directly through the core.
    let account = Account::new_api_key(Vendor::SmartRecruiters, "probe", Some(&sr.base_url))
        .expect("account");
    let creds = std::sync::Arc::new(StaticCredentials(api_key_header(
        Vendor::SmartRecruiters,
        Secret::new(sr.api_key.clone()),
    )));
    let core = connectors::for_account(
        &account,
        creds,
        &HttpClient::new(HttpConfig::default()).expect("http"),
    )
    .expect("connector");
    let job = core
        .list_jobs(&ListOptions::default())
        .await
        .expect("jobs")
        .result
        .remove(0);
    let application = core
        .list_applications(&ListOptions::default().with_limit(1))
        .await
        .expect("apps")
        .result
        .remove(0);
    // How many candidates the fake lists, before the push adds one.
    let total: serde_json::Value = reqwest::Client::new()
        .get(format!("{}/candidates?limit=1", sr.base_url))
        .header("X-SmartToken", &sr.api_key)
        .send()
        .await
        .expect("count call")
        .json()
        .await
        .expect("json");
    let pdf = dir.path().join("résumé.pdf");
    std::fs::write(&pdf, fake_ats::pdf::one_page(&["Zoë Ærø".to_owned()])).expect("pdf");

    let script = r#"
set -e
printf 'wrong-key' | "$HB" --data-dir "$DIR" accounts add --vendor smartrecruiters --api-key-stdin --base-url "$BASE" --label Acme 2> "$DIR/refused.txt" && exit 41
printf '%s' "$KEY" | "$HB" --data-dir "$DIR" accounts add --vendor smartrecruiters --api-key-stdin --base-url "$BASE" --label Acme
"$HB" --data-dir "$DIR" accounts list --format json > "$DIR/accounts.json"
"$HB" --data-dir "$DIR" accounts list > "$DIR/accounts.txt"
"$HB" --data-dir "$DIR" candidates list --account Acme --all --format json > "$DIR/all.json"
"$HB" --data-dir "$DIR" candidates list --account Acme --limit 7 --format json > "$DIR/page.json"
"$HB" --data-dir "$DIR" jobs list --account Acme > "$DIR/jobs.txt"
"$HB" --data-dir "$DIR" users list --account Acme --format json > "$DIR/users.json"
"$HB" --data-dir "$DIR" roles list --account Acme --format json > "$DIR/roles.json"
"$HB" --data-dir "$DIR" groups list --account Acme --format json > "$DIR/groups.json"
"$HB" --data-dir "$DIR" applications list --account Acme --limit 3 --format json > "$DIR/apps.json"
"$HB" --data-dir "$DIR" sync --account Acme > /dev/null
for r in users roles groups; do
  "$HB" --data-dir "$DIR" $r list --account Acme --format json > "$DIR/$r.cached.json" 2> "$DIR/$r.cached.err"
done
"$HB" --data-dir "$DIR" push --account Acme --first-name Zoë --last-name Ærø --email zoe.cli@example.com --job "$JOB" --resume "$PDF" > "$DIR/push.json"
"$HB" --data-dir "$DIR" stage --account Acme --application "$APP" --stage INTERVIEW > "$DIR/stage.json"
"$HB" --data-dir "$DIR" proxy --account Acme GET "/candidates/$CAND/jobs/$JOBOFAPP" > "$DIR/proxy.json"
"$HB" --data-dir "$DIR" accounts remove Acme
"$HB" --data-dir "$DIR" accounts list --format json > "$DIR/after.json"
"#;
    let (cand, job_of_app) = application.id.split_once(':').expect("SR application id");
    let env = [
        ("KEY", sr.api_key.as_str()),
        ("BASE", sr.base_url.as_str()),
        ("JOB", job.id.as_str()),
        ("APP", application.id.as_str()),
        ("CAND", cand),
        ("JOBOFAPP", job_of_app),
        ("PDF", pdf.to_str().expect("utf-8 path")),
    ];
    let env: Vec<(String, String)> = env
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect();
    let dirp = dir.path().to_owned();
    let out = tokio::task::spawn_blocking(move || in_keyring_session(script, &dirp, &env))
        .await
        .expect("script");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("Linked SmartRecruiters account \"Acme\""),
        "{stdout}"
    );
    let refused = std::fs::read_to_string(dir.path().join("refused.txt")).expect("stderr");
    assert!(refused.contains("error (auth)"), "{refused}");

    let accounts = read_json(&dir.path().join("accounts.json"));
    assert_eq!(
        accounts.as_array().map(Vec::len),
        Some(1),
        "the refused key left nothing behind"
    );
    assert_eq!(accounts[0]["label"], "Acme");
    assert!(
        std::fs::read_to_string(dir.path().join("accounts.txt"))
            .expect("table")
            .contains("smartrecruiters")
    );

    // Every seeded candidate (the fake lists those with an application), once.
    let all = read_json(&dir.path().join("all.json"));
    let all = all.as_array().expect("--all prints one array");
    let ids: HashSet<&str> = all.iter().map(|c| c["id"].as_str().expect("id")).collect();
    assert_eq!(ids.len(), all.len(), "no candidate twice");
    assert_eq!(
        all.len() as u64,
        total["totalFound"].as_u64().expect("totalFound")
    );
    assert!(all.len() > 400);

    let page = read_json(&dir.path().join("page.json"));
    assert_eq!(page["result"].as_array().map(Vec::len), Some(7));
    assert!(
        page["next_cursor"].is_string(),
        "one page object with its cursor"
    );
    assert!(
        std::fs::read_to_string(dir.path().join("jobs.txt"))
            .expect("jobs")
            .contains(&job.name)
    );
    assert_eq!(
        read_json(&dir.path().join("users.json"))["result"]
            .as_array()
            .map(Vec::len),
        Some(15)
    );
    assert!(
        !read_json(&dir.path().join("roles.json"))["result"]
            .as_array()
            .expect("roles")
            .is_empty()
    );
    assert!(
        !read_json(&dir.path().join("groups.json"))["result"]
            .as_array()
            .expect("groups")
            .is_empty()
    );
    // After a sync, the User Directory lists read the cache, with the same records.
    for r in ["users", "roles", "groups"] {
        let ids = |file: &str| -> BTreeSet<String> {
            read_json(&dir.path().join(file))["result"]
                .as_array()
                .expect("result")
                .iter()
                .map(|x| x["id"].as_str().expect("id").to_owned())
                .collect()
        };
        let cached = ids(&format!("{r}.cached.json"));
        assert_eq!(cached, ids(&format!("{r}.json")), "{r}: cache = vendor");
        let note =
            std::fs::read_to_string(dir.path().join(format!("{r}.cached.err"))).expect("stderr");
        assert!(note.contains("from the local cache"), "{r}: {note}");
    }
    assert_eq!(
        read_json(&dir.path().join("apps.json"))["result"]
            .as_array()
            .map(Vec::len)
            .map(|n| n >= 3),
        Some(true)
    );

    let push = read_json(&dir.path().join("push.json"));
    assert_eq!(push["candidate"]["first_name"], "Zoë");
    assert_eq!(push["application"]["job"]["id"], job.id.as_str());
    assert_eq!(push["resume"]["type"], "resume");

    assert_eq!(
        read_json(&dir.path().join("stage.json"))["current_stage"]["id"],
        "INTERVIEW"
    );
    assert_eq!(
        read_json(&dir.path().join("proxy.json"))["status"],
        "INTERVIEW",
        "the move shows on a raw re-read"
    );

    assert_eq!(
        read_json(&dir.path().join("after.json")),
        serde_json::json!([])
    );
    assert_not_on_disk(dir.path(), &sr.api_key);
    fake.shutdown().await;
}
