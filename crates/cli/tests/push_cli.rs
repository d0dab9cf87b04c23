//! `hirebridge push` end to end against fake-ats: the resume prefills the candidate, flags
//! override it, duplicates stop the push until --yes, bad files fail with a clear message.
//!
//! Runs inside one `keyctl session -` shell so the CLI invocations share a keyring.

use std::path::Path;
use std::process::Command;

use hirebridge_core::Vendor;
use hirebridge_core::accounts::{Account, api_key_header};
use hirebridge_core::connectors;
use hirebridge_core::http::{HttpClient, HttpConfig, StaticCredentials};
use hirebridge_core::model::{JobStatus, ListOptions};
use hirebridge_core::secrets::Secret;

const BIN: &str = env!("CARGO_BIN_EXE_hirebridge");

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).expect("output file")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pushes_from_a_resume_warns_on_duplicates_and_refuses_bad_files() {
    let fake = fake_ats::spawn(fake_ats::Config {
        candidates: 30,
        ..Default::default()
    })
    .await
    .expect("fake");
    let sr = fake.info().smartrecruiters.clone();
    let dir = tempfile::tempdir().expect("tempdir");
    let account = Account::new_api_key(Vendor::SmartRecruiters, "probe", Some(&sr.base_url))
        .expect("account");
    let creds = std::sync::Arc::new(StaticCredentials(api_key_header(
        Vendor::SmartRecruiters,
        Secret::new(sr.api_key.clone()),
    )));
    let http = HttpClient::new(HttpConfig::default()).expect("http");
    let core = connectors::for_account(&account, creds, &http).expect("connector");
    let job_id = core
        .list_jobs(&ListOptions::default())
        .await
        .expect("jobs")
        .result
        .into_iter()
        .find(|j| j.status == JobStatus::Open)
        .expect("an open job")
        .id;
    let pdf = dir.path().join("cv.pdf");
    std::fs::write(
        &pdf,
        fake_ats::pdf::one_page(&[
            "Ada Lovelace".to_owned(),
            "ada.cli@analytical.example | +44 20 7946 0000".to_owned(),
        ]),
    )
    .expect("pdf");
    std::fs::write(dir.path().join("empty.pdf"), b"").expect("empty");

    let script = r#"
set -e
printf '%s' "$KEY" | "$HB" --data-dir "$DIR" accounts add --vendor smartrecruiters --api-key-stdin --base-url "$BASE" --label Acme
"$HB" --data-dir "$DIR" push --account Acme --resume "$PDF" --job "$JOB" --first-name Augusta > "$DIR/first.json" 2> "$DIR/first.txt"
"$HB" --data-dir "$DIR" push --account Acme --resume "$PDF" --job "$JOB" > "$DIR/dup.json" 2> "$DIR/dup.txt" && exit 41
"$HB" --data-dir "$DIR" push --account Acme --resume "$PDF" --job "$JOB" --yes > "$DIR/yes.json" 2> "$DIR/yes.txt"
"$HB" --data-dir "$DIR" push --account Acme --resume "$DIR/empty.pdf" --job "$JOB" 2> "$DIR/empty.txt" && exit 42
"$HB" --data-dir "$DIR" push --account Acme --resume "$PDF" --job "$JOB" --email not-an-email --yes 2> "$DIR/bad.txt" && exit 43
exit 0
"#;
    let out = Command::new("keyctl")
        .args(["session", "-", "sh", "-c", script])
        .env("HB", BIN)
        .env("DIR", dir.path())
        .env("KEY", &sr.api_key)
        .env("BASE", &sr.base_url)
        .env("JOB", &job_id)
        .env("PDF", &pdf)
        .env_remove("HIREBRIDGE_DATA_DIR")
        .output()
        .expect("keyctl runs (install the keyutils package)");
    if !out.status.success() {
        // Each step's messages went to a file: show them all, to say which step failed and why.
        let logs: String = ["first", "dup", "yes", "empty", "bad"]
            .iter()
            .map(|step| {
                let text = std::fs::read_to_string(dir.path().join(format!("{step}.txt")))
                    .unwrap_or_else(|_| "(not run)".to_owned());
                format!("--- {step}:\n{text}\n")
            })
            .collect();
        panic!(
            "script failed: {}\nstderr:\n{}\n{logs}",
            out.status,
            String::from_utf8_lossy(&out.stderr)
        );
    }

    let first: serde_json::Value =
        serde_json::from_str(&read(&dir.path().join("first.json"))).expect("json outcome");
    assert_eq!(first["candidate"]["first_name"], "Augusta", "flag wins");
    assert_eq!(
        first["candidate"]["last_name"], "Lovelace",
        "from the resume"
    );
    assert_eq!(
        first["candidate"]["emails"][0]["email"],
        "ada.cli@analytical.example"
    );
    assert_eq!(first["application"]["job"]["id"], job_id.as_str());
    assert_eq!(first["resume"]["type"], "resume");
    let log = read(&dir.path().join("first.txt"));
    assert!(log.contains("Read cv.pdf (PDF"), "{log}");
    assert!(log.contains("Created Augusta Lovelace"), "{log}");
    let cand = first["candidate"]["id"].as_str().expect("id");
    let record = fake
        .admin()
        .record(fake_ats::VendorId::SmartRecruiters, cand)
        .expect("at the vendor");
    assert_eq!(record["firstName"], "Augusta");

    let dup = read(&dir.path().join("dup.txt"));
    assert!(dup.contains("Possible duplicates"), "{dup}");
    assert!(dup.contains("Augusta Lovelace"), "{dup}");
    assert!(dup.contains("--yes"), "{dup}");
    assert!(
        read(&dir.path().join("dup.json")).is_empty(),
        "nothing printed"
    );

    let yes: serde_json::Value =
        serde_json::from_str(&read(&dir.path().join("yes.json"))).expect("json outcome");
    assert_ne!(yes["candidate"]["id"], first["candidate"]["id"]);

    let empty = read(&dir.path().join("empty.txt"));
    assert!(empty.contains("empty (0 bytes)"), "{empty}");
    let bad = read(&dir.path().join("bad.txt"));
    assert!(
        bad.contains("not-an-email is not an email address"),
        "{bad}"
    );
    fake.shutdown().await;
}
