//! The push commands and events on Tauri's mock runtime, against the in-process demo servers:
//! `open_resume` (the drop's code path) reads and announces a draft, `push_candidate` creates
//! the candidate with its resume at the vendor and in the cache, with progress events.

use std::path::PathBuf;
use std::sync::mpsc;
use std::time::Duration;

mod common;

use hirebridge_app_lib::state::AppState;
use serde_json::{Value, json};
use tauri::test::MockRuntime;
use tauri::{Listener, Manager};

struct Harness {
    app: tauri::App<MockRuntime>,
    window: tauri::WebviewWindow<MockRuntime>,
    dropped: mpsc::Receiver<Value>,
    progress: mpsc::Receiver<Value>,
    dir: PathBuf,
}

fn harness(name: &str) -> Harness {
    let dir = std::env::temp_dir().join(format!("hirebridge-push-{name}-{}", std::process::id()));
    let (app, window) = common::demo_app(&dir);
    let listen = |name: &str| {
        let (tx, rx) = mpsc::channel();
        app.listen_any(name, move |event| {
            let _ = tx.send(serde_json::from_str::<Value>(event.payload()).expect("event json"));
        });
        rx
    };
    let dropped = listen("resume-dropped-event");
    let progress = listen("push-progress-event");
    Harness {
        app,
        window,
        dropped,
        progress,
        dir,
    }
}

impl Harness {
    fn invoke(&self, cmd: &str, args: Value) -> Result<Value, Value> {
        common::invoke(&self.window, cmd, args)
    }

    fn ok(&self, cmd: &str, args: Value) -> Value {
        self.invoke(cmd, args)
            .unwrap_or_else(|e| panic!("{cmd} failed: {e}"))
    }

    fn link(&self, vendor: &str) -> String {
        let linked = self.ok(
            "link_demo_account",
            json!({"vendor": vendor, "label": format!("Demo {vendor}")}),
        );
        linked["account"]["id"]
            .as_str()
            .expect("account id (API-key demo account)")
            .to_owned()
    }

    fn admin(&self) -> fake_ats::AdminHandle {
        self.app
            .state::<AppState>()
            .services()
            .expect("services")
            .demo
            .as_ref()
            .expect("demo")
            .admin()
    }

    fn resume(&self, name: &str, lines: &[&str]) -> PathBuf {
        let path = self.dir.join(name);
        let lines: Vec<String> = lines.iter().map(|l| l.to_string()).collect();
        std::fs::write(&path, fake_ats::pdf::one_page(&lines)).expect("write pdf");
        path
    }
}

#[test]
fn open_resume_answers_and_announces_the_draft_or_the_refusal() {
    let h = harness("open");
    let pdf = h.resume(
        "grace.pdf",
        &[
            "Grace Hopper",
            "grace@navy.example | +1 415 555 0100",
            "linkedin.com/in/grace",
        ],
    );
    let draft = h.ok("open_resume", json!({"path": pdf}));
    assert_eq!(draft["kind"], "pdf");
    assert_eq!(draft["prefill"]["first_name"], "Grace");
    assert_eq!(draft["prefill"]["emails"][0]["email"], "grace@navy.example");
    let event = h
        .dropped
        .recv_timeout(Duration::from_secs(10))
        .expect("dropped event");
    assert_eq!(event["draft"], draft, "the window gets the same draft");
    assert_eq!(event["error"], Value::Null);

    let txt = h.dir.join("notes.txt");
    std::fs::write(&txt, "just text").expect("write");
    let err = h
        .invoke("open_resume", json!({"path": txt}))
        .expect_err("refused");
    assert_eq!(err["kind"], "validation");
    let event = h
        .dropped
        .recv_timeout(Duration::from_secs(10))
        .expect("refusal event");
    assert!(
        event["error"]["message"]
            .as_str()
            .is_some_and(|m| m.contains("not a PDF or DOCX")),
        "{event}"
    );
    let err = h
        .invoke("open_resume", json!({"path": "relative.pdf"}))
        .expect_err("relative path");
    assert_eq!(err["kind"], "validation");
    let event = h
        .dropped
        .recv_timeout(Duration::from_secs(10))
        .expect("a refused path is announced too");
    assert_eq!(event["path"], "relative.pdf");

    // read_resume reads without announcing.
    h.ok("read_resume", json!({"path": pdf}));
    assert!(h.dropped.recv_timeout(Duration::from_millis(300)).is_err());
}

#[test]
fn push_candidate_creates_with_the_resume_reports_progress_and_caches() {
    let h = harness("push");
    let account = h.link("unberry");
    let caps = h.ok("push_capabilities", json!({"accountId": account}));
    let create = caps["operations"]
        .as_array()
        .expect("operations")
        .iter()
        .find(|o| o["operation"] == "create_candidate")
        .expect("create listed");
    assert_eq!(
        create["required_fields"],
        json!(["first_name", "last_name", "emails"])
    );

    let pdf = h.resume("ada.pdf", &["Ada Lovelace", "ada.ipc@example.org"]);
    let draft = h.ok("open_resume", json!({"path": pdf}));
    let request = json!({
        "push_id": "ipc-push-1",
        "account_id": account,
        "candidate": {
            "first_name": draft["prefill"]["first_name"],
            "last_name": draft["prefill"]["last_name"],
            "emails": draft["prefill"]["emails"],
        },
        "resume_path": pdf,
        "confirm_duplicates": false,
    });
    let answer = h.ok("push_candidate", json!({"request": request}));
    assert_eq!(answer["status"], "pushed", "{answer}");
    let outcome = &answer["outcome"];
    let id = outcome["candidate"]["id"].as_str().expect("id");
    assert_eq!(outcome["resume"]["type"], "resume");
    let record = h
        .admin()
        .record(fake_ats::VendorId::Unberry, id)
        .expect("at the vendor");
    assert_eq!(record["email"], "ada.ipc@example.org");

    let mut steps = Vec::new();
    while let Ok(p) = h.progress.recv_timeout(Duration::from_millis(500)) {
        steps.push(p["step"].as_str().unwrap_or_default().to_owned());
    }
    assert_eq!(steps.first().map(String::as_str), Some("validating"));
    assert_eq!(steps.last().map(String::as_str), Some("done"));
    assert!(steps.iter().any(|s| s == "sending"), "{steps:?}");

    // In the cache at once: search finds the new person.
    let hits = h.ok(
        "search_candidates",
        json!({"query": {"text": "ada.ipc@example.org", "limit": 5}}),
    );
    assert!(hits.to_string().contains(id), "{hits}");

    // The same person again: the duplicate comes back first, nothing is sent.
    let again = json!({"request": {
        "push_id": "ipc-push-2",
        "account_id": account,
        "candidate": request["candidate"],
        "resume_path": null,
        "confirm_duplicates": false,
    }});
    let answer = h.ok("push_candidate", again);
    assert_eq!(answer["status"], "needs_confirmation", "{answer}");
    assert_eq!(answer["duplicates"][0]["candidate"]["remote_id"], id);
}

#[test]
fn a_push_to_an_unreachable_vendor_is_refused_as_offline() {
    let h = harness("offline");
    let account = h.link("unberry");
    h.admin().set_faults(fake_ats::FaultSpec {
        resets: 1000,
        ..Default::default()
    });
    let request = json!({"request": {
        "push_id": "ipc-offline",
        "account_id": account,
        "candidate": {"first_name": "No", "last_name": "Network", "emails": [{"email": "no@net.example"}]},
        "resume_path": null,
        "confirm_duplicates": false,
    }});
    let err = h.invoke("push_candidate", request).expect_err("offline");
    assert_eq!(err["kind"], "offline", "{err}");
    h.admin().clear_faults();
}
