//! Syncing, the cache queries and stage moves through the real commands and events on Tauri's
//! mock runtime, against the in-process demo servers, with an in-memory keychain.

use std::path::PathBuf;
use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::time::Duration;

mod common;

use hirebridge_app_lib::services::Services;
use hirebridge_app_lib::state::AppState;
use serde_json::{Value, json};
use tauri::test::MockRuntime;
use tauri::{Listener, Manager};

struct Harness {
    app: tauri::App<MockRuntime>,
    window: tauri::WebviewWindow<MockRuntime>,
    sync_events: mpsc::Receiver<Value>,
    connectivity: Arc<Mutex<Vec<bool>>>,
    dir: PathBuf,
}

impl Drop for Harness {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

fn harness(name: &str) -> Harness {
    let dir = std::env::temp_dir().join(format!("hirebridge-data-{name}-{}", std::process::id()));
    let (app, window) = common::demo_app(&dir);
    let (tx, sync_events) = mpsc::channel();
    app.listen_any("sync-update-event", move |event| {
        let _ = tx.send(serde_json::from_str(event.payload()).expect("event json"));
    });
    let connectivity = Arc::new(Mutex::new(Vec::new()));
    let seen = connectivity.clone();
    app.listen_any("connectivity-event", move |event| {
        let v: Value = serde_json::from_str(event.payload()).expect("event json");
        seen.lock()
            .expect("lock")
            .push(v["online"].as_bool().expect("online"));
    });
    Harness {
        app,
        window,
        sync_events,
        connectivity,
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

    fn demo(&self) -> hirebridge_core::Result<Arc<Services>> {
        self.app.state::<AppState>().services()
    }

    /// Links the Unberry demo account (API key) and returns its id.
    fn link_unberry(&self) -> String {
        let linked = self.ok(
            "link_demo_account",
            json!({"vendor": "unberry", "label": "Demo Unberry"}),
        );
        linked["account"]["id"]
            .as_str()
            .expect("account id")
            .to_owned()
    }

    /// Waits until no sync task is left (the task outlives its `finished` event briefly).
    fn wait_until_idle(&self) {
        for _ in 0..500 {
            if self.ok("sync_overview", json!({}))["running"] == json!([]) {
                return;
            }
            std::thread::sleep(Duration::from_millis(10));
        }
        panic!("the sync task did not end");
    }

    /// Syncs `account` and returns every event up to its `finished` (panics on `failed`).
    fn sync(&self, account: &str, full: bool) -> Vec<Value> {
        let started = self.ok("sync_now", json!({"accountId": account, "full": full}));
        assert_eq!(started, json!([account]), "the account's sync starts");
        let mut events = Vec::new();
        loop {
            let event = self
                .sync_events
                .recv_timeout(Duration::from_secs(60))
                .expect("sync events within 60 s");
            events.push(event.clone());
            match event["type"].as_str() {
                Some("finished") => {
                    self.wait_until_idle();
                    return events;
                }
                Some("failed") => panic!("sync failed: {event}"),
                _ => {}
            }
        }
    }
}

#[test]
fn sync_now_fills_the_cache_with_progress_and_every_query_reads_it() {
    let h = harness("queries");
    let account = h.link_unberry();
    let events = h.sync(&account, false);
    let progress: Vec<&Value> = events.iter().filter(|e| e["type"] == "progress").collect();
    assert!(!progress.is_empty(), "progress events while syncing");
    assert!(progress.iter().all(|p| p["account_id"] == account.as_str()));

    let overview = h.ok("sync_overview", json!({}));
    let counts = &overview["accounts"][0];
    assert_eq!(counts["account_id"], account.as_str());
    assert_eq!(
        counts["candidates"], 300,
        "the demo seeds 300 candidates per vendor"
    );
    assert!(counts["jobs"].as_u64().expect("jobs") > 0);
    assert!(counts["last_synced_at"].is_string());
    assert_eq!(overview["online"], true);

    let page = h.ok(
        "list_candidates",
        json!({"query": {"account_id": account, "limit": 50}}),
    );
    let items = page["items"].as_array().expect("items");
    assert_eq!(items.len(), 50);
    let next = h.ok(
        "list_candidates",
        json!({"query": {"account_id": account, "limit": 50, "cursor": page["next_cursor"]}}),
    );
    assert_ne!(next["items"][0], items[0], "the cursor moves on");

    let first = &items[0];
    let name = first["name"].as_str().expect("name");
    let prefix: String = name.chars().take(3).collect();
    let hits = h.ok("search_candidates", json!({"query": {"text": prefix}}));
    assert!(
        hits.as_array()
            .expect("hits")
            .iter()
            .any(|hit| hit["candidate"]["remote_id"] == first["remote_id"]),
        "searching `{prefix}` finds {name}"
    );

    let detail = h.ok(
        "candidate_detail",
        json!({"accountId": account, "candidateId": first["remote_id"]}),
    );
    assert_eq!(detail["candidate"]["name"], name);
    assert!(detail["record"].is_object());

    let jobs = h.ok("list_jobs", json!({"accountId": account}));
    let jobs = jobs.as_array().expect("jobs");
    assert!(!jobs.is_empty());
    let total: u64 = jobs
        .iter()
        .map(|j| j["total"].as_u64().expect("total"))
        .sum();
    assert!(total > 0, "jobs count their candidates");

    let history = h.ok("sync_history", json!({"accountId": account, "limit": 10}));
    assert!(
        history
            .as_array()
            .expect("runs")
            .iter()
            .all(|r| r["status"] == "succeeded"),
        "{history}"
    );
    assert_eq!(
        h.ok(
            "candidate_web_page",
            json!({"accountId": account, "candidateId": first["remote_id"]})
        ),
        Value::Null,
        "no web page is guessed for a demo server"
    );
}

#[test]
fn a_stage_move_reaches_the_vendor_the_cache_and_activity_once() {
    let h = harness("move");
    let account = h.link_unberry();
    h.sync(&account, false);

    // An application with a job, and another stage of that job.
    let page = h.ok(
        "list_candidates",
        json!({"query": {"account_id": account, "limit": 200}}),
    );
    let (candidate, application, job, current) = page["items"]
        .as_array()
        .expect("items")
        .iter()
        .find_map(|c| {
            let d = h.ok(
                "candidate_detail",
                json!({"accountId": account, "candidateId": c["remote_id"]}),
            );
            let app = d["applications"]
                .as_array()?
                .iter()
                .find(|a| a["job_remote_id"].is_string() && a["rejected_at"].is_null())?
                .clone();
            Some((
                c["remote_id"].as_str()?.to_owned(),
                app["remote_id"].as_str()?.to_owned(),
                app["job_remote_id"].as_str()?.to_owned(),
                app["stage_id"].as_str().map(str::to_owned),
            ))
        })
        .expect("a candidate with an open application");
    let stages = h.ok("job_stages", json!({"accountId": account, "jobId": job}));
    let target = stages
        .as_array()
        .expect("stages")
        .iter()
        .find(|s| s["id"].as_str() != current.as_deref())
        .expect("another stage")["id"]
        .as_str()
        .expect("stage id")
        .to_owned();

    let before = h.ok("unread_activity_count", json!({}));
    let moved = h.ok(
        "move_stage",
        json!({"accountId": account, "input": {"application_id": application, "stage_id": target, "perform_as": null, "remote_data": null}}),
    );
    assert_eq!(moved["current_stage"]["id"], target.as_str(), "{moved}");

    // The cache shows it at once, and Activity has one new item for it.
    let detail = h.ok(
        "candidate_detail",
        json!({"accountId": account, "candidateId": candidate}),
    );
    let app = detail["applications"]
        .as_array()
        .expect("applications")
        .iter()
        .find(|a| a["remote_id"] == application.as_str())
        .expect("the application");
    assert_eq!(app["stage_id"], target.as_str());
    let after = h.ok("unread_activity_count", json!({}));
    assert_eq!(after.as_u64(), before.as_u64().map(|n| n + 1));
    let live = h
        .sync_events
        .recv_timeout(Duration::from_secs(5))
        .expect("the window hears of the move");
    assert_eq!(live["type"], "stage_changed");
    assert_eq!(
        live["change"]["application_remote_id"],
        application.as_str()
    );
    assert_eq!(
        live["notify"], false,
        "no notification for the recruiter's own move"
    );

    // The vendor has it: a sync finds nothing new, so no second alert.
    let events = h.sync(&account, false);
    assert!(
        !events.iter().any(|e| e["type"] == "stage_changed"),
        "the move is not announced twice: {events:?} after {moved}"
    );
    assert_eq!(h.ok("unread_activity_count", json!({})), after);
    let feed = h.ok("activity_feed", json!({"query": {"unread_only": true}}));
    assert_eq!(feed[0]["application_remote_id"], application.as_str());
}

#[test]
fn stage_changes_found_by_a_sync_are_announced_once_per_the_notify_setting() {
    let h = harness("notify");
    let account = h.link_unberry();
    h.sync(&account, false);
    h.ok("set_notify_scope", json!({"scope": "all"}));
    assert_eq!(h.ok("notify_scope", json!({})), "all");

    let services = h.demo().expect("services");
    let admin = services.demo.as_ref().expect("demo").admin();
    let mut moved = 0;
    for _ in 0..5 {
        moved += admin
            .mutate(Some(fake_ats::VendorId::Unberry), 20)
            .unberry
            .moved
            .len();
        if moved > 0 {
            break;
        }
    }
    assert!(moved > 0, "the fake moved some applications");

    let events = h.sync(&account, false);
    let announced: Vec<&Value> = events
        .iter()
        .filter(|e| e["type"] == "stage_changed" && e["notify"] == true)
        .collect();
    assert!(
        announced.len() >= moved,
        "{} announced for {moved} moves",
        announced.len()
    );
    let again = h.sync(&account, false);
    assert!(
        !again.iter().any(|e| e["type"] == "stage_changed"),
        "announced once only"
    );

    h.ok("set_notify_scope", json!({"scope": "none"}));
    admin.mutate(Some(fake_ats::VendorId::Unberry), 20);
    let quiet = h.sync(&account, false);
    assert!(
        !quiet.iter().any(|e| e["notify"] == true),
        "scope none notifies nothing"
    );
}

#[test]
fn offline_the_cache_stays_browsable_and_writes_are_refused_plainly() {
    let h = harness("offline");
    let account = h.link_unberry();
    h.sync(&account, false);
    let page = h.ok(
        "list_candidates",
        json!({"query": {"account_id": account, "limit": 5}}),
    );
    let candidate = page["items"][0]["remote_id"].clone();

    // The vendor becomes unreachable: point the account at a port nobody listens on.
    let dead = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
        format!(
            "http://127.0.0.1:{}/unberry",
            l.local_addr().expect("addr").port()
        )
    };
    let services = h.demo().expect("services");
    tauri::async_runtime::block_on(sqlx_update(&services, &account, &dead));

    let err = h
        .invoke(
            "move_stage",
            json!({"accountId": account, "input": {"application_id": "x", "stage_id": "y", "perform_as": null, "remote_data": null}}),
        )
        .expect_err("refused offline");
    assert_eq!(err["kind"], "offline");
    assert!(
        err["message"]
            .as_str()
            .expect("message")
            .contains("offline")
    );
    assert_eq!(
        *h.connectivity.lock().expect("lock"),
        vec![false],
        "the window is told once"
    );

    // Reads still work from the cache.
    let again = h.ok(
        "list_candidates",
        json!({"query": {"account_id": account, "limit": 5}}),
    );
    assert_eq!(again["items"], page["items"]);
    let detail = h.ok(
        "candidate_detail",
        json!({"accountId": account, "candidateId": candidate}),
    );
    assert_eq!(detail["candidate"]["remote_id"], candidate);
    assert_eq!(h.ok("sync_overview", json!({}))["online"], false);
}

async fn sqlx_update(services: &Services, account: &str, base_url: &str) {
    services.forget_credentials(account);
    sqlx::query("UPDATE accounts SET base_url = ? WHERE id = ?")
        .bind(base_url)
        .bind(account)
        .execute(&services.pool)
        .await
        .expect("base url updated");
}
