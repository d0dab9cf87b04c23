//! Account linking through the real commands and events on Tauri's mock runtime, against an
//! in-process fake-ats, with an in-memory secret store in place of the OS keychain.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::time::Duration;

mod common;

use hirebridge_app_lib::demo::Demo;
use hirebridge_app_lib::services::Services;
use hirebridge_app_lib::state::AppState;
use hirebridge_app_lib::{builder, deep_links, mount_events};
use hirebridge_core::auth::{BrowserOpener, Url};
use hirebridge_core::secrets::{MemorySecretStore, SecretStore, StoredSecret};
use hirebridge_core::{Error, ErrorKind, Vendor};
use serde_json::{Value, json};
use tauri::Listener;
use tauri::Manager;
use tauri::test::{MockRuntime, mock_builder, mock_context, noop_assets};

/// Plays the user's browser on its own thread: follows the authorization URL's redirects (the
/// fake auto-consents) to the loopback listener.
struct FollowingBrowser {
    opened: Arc<Mutex<Vec<String>>>,
}

fn get(url: &str) -> (u16, Option<String>) {
    let url = Url::parse(url).expect("url");
    let host = url.host_str().expect("host").to_owned();
    let mut stream =
        TcpStream::connect((host.as_str(), url.port().expect("port"))).expect("connects");
    stream
        .set_read_timeout(Some(Duration::from_secs(20)))
        .expect("timeout");
    let target = match url.query() {
        Some(q) => format!("{}?{q}", url.path()),
        None => url.path().to_owned(),
    };
    write!(
        stream,
        "GET {target} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"
    )
    .expect("writes");
    let mut answer = String::new();
    let _ = stream.read_to_string(&mut answer);
    let status = answer.get(9..12).and_then(|s| s.parse().ok()).unwrap_or(0);
    let location = answer.lines().find_map(|l| {
        let (name, value) = l.split_once(':')?;
        name.eq_ignore_ascii_case("location")
            .then(|| value.trim().to_owned())
    });
    (status, location)
}

impl BrowserOpener for FollowingBrowser {
    fn open(&self, url: &Url) -> Result<(), String> {
        self.opened.lock().expect("lock").push(url.to_string());
        let url = url.to_string();
        std::thread::spawn(move || {
            let mut next = url;
            for _ in 0..5 {
                let (status, location) = get(&next);
                match location {
                    Some(to) if (300..400).contains(&status) => next = to,
                    _ => break,
                }
            }
        });
        Ok(())
    }
}

/// A browser that opens nothing: the flow waits until cancelled or completed by a link.
struct IdleBrowser {
    opened: Arc<Mutex<Vec<String>>>,
}

impl BrowserOpener for IdleBrowser {
    fn open(&self, url: &Url) -> Result<(), String> {
        self.opened.lock().expect("lock").push(url.to_string());
        Ok(())
    }
}

struct Harness {
    app: tauri::App<MockRuntime>,
    window: tauri::WebviewWindow<MockRuntime>,
    secrets: Arc<MemorySecretStore>,
    data_dir: PathBuf,
    opened: Arc<Mutex<Vec<String>>>,
    /// Every IPC answer and event payload, as the webview would receive it.
    traffic: Arc<Mutex<Vec<String>>>,
    link_events: mpsc::Receiver<Value>,
}

fn data_dir(name: &str) -> PathBuf {
    let dir =
        std::env::temp_dir().join(format!("hirebridge-linking-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    dir
}

fn harness(name: &str, follow: bool, keychain_ok: bool) -> Harness {
    let dir = data_dir(name);
    let secrets = Arc::new(MemorySecretStore::new());
    let keychain: Result<Arc<dyn SecretStore>, Error> = if keychain_ok {
        Ok(secrets.clone())
    } else {
        Err(Error::new(
            ErrorKind::Keychain,
            "The keychain is locked. Unlock your keyring and try again.",
        ))
    };
    let services = tauri::async_runtime::block_on(async {
        let demo = Demo::start(true).await.expect("demo servers start");
        Services::open(&dir, keychain, Some(demo)).await
    })
    .expect("services open");

    let state = AppState::new(true);
    state.set_data_dir(dir.clone());
    state.set_services(Ok(services));
    let opened = Arc::new(Mutex::new(Vec::new()));
    let browser: Arc<dyn BrowserOpener> = if follow {
        Arc::new(FollowingBrowser {
            opened: opened.clone(),
        })
    } else {
        Arc::new(IdleBrowser {
            opened: opened.clone(),
        })
    };
    state.set_browser(browser);

    let app = builder(mock_builder(), state)
        .build(mock_context(noop_assets()))
        .expect("mock app builds");
    mount_events(&app);
    let window = tauri::WebviewWindowBuilder::new(&app, "main", Default::default())
        .build()
        .expect("mock window");

    let traffic = Arc::new(Mutex::new(Vec::new()));
    let (tx, link_events) = mpsc::channel();
    let seen = traffic.clone();
    app.listen_any("link-event", move |event| {
        seen.lock().expect("lock").push(event.payload().to_owned());
        let _ = tx.send(serde_json::from_str(event.payload()).expect("event json"));
    });
    let seen = traffic.clone();
    app.listen_any("deep-link-event", move |event| {
        seen.lock().expect("lock").push(event.payload().to_owned());
    });
    Harness {
        app,
        window,
        secrets,
        data_dir: dir,
        opened,
        traffic,
        link_events,
    }
}

impl Harness {
    fn invoke(&self, cmd: &str, args: Value) -> Result<Value, Value> {
        let result = common::invoke(&self.window, cmd, args);
        let text = match &result {
            Ok(v) | Err(v) => v.to_string(),
        };
        self.traffic.lock().expect("lock").push(text);
        result
    }

    fn next_link_event(&self) -> Value {
        self.link_events
            .recv_timeout(Duration::from_secs(30))
            .expect("a link event within 30 s")
    }

    fn state(&self) -> tauri::State<'_, AppState> {
        self.app.state::<AppState>()
    }

    fn demo_api_key(&self, vendor: Vendor) -> String {
        let services = self.state().services().expect("services");
        services
            .demo
            .as_ref()
            .expect("demo")
            .api_key(vendor)
            .expose()
            .to_owned()
    }

    fn demo_base_url(&self, vendor: Vendor) -> String {
        self.state()
            .services()
            .expect("services")
            .demo
            .as_ref()
            .expect("demo")
            .base_url(vendor)
    }
}

#[test]
fn lists_no_accounts_and_names_the_keychain() {
    let h = harness("empty", false, true);
    let overview = h.invoke("list_accounts", json!({})).expect("answers");
    assert_eq!(overview["accounts"], json!([]));
    assert_eq!(overview["keychain_backend"], "in-memory (tests only)");
    assert_eq!(overview["keychain_error"], Value::Null);
    assert_eq!(
        h.invoke("keychain_backend", json!({})).expect("answers"),
        "in-memory (tests only)"
    );
    let demo = h.invoke("demo_accounts", json!({})).expect("answers");
    let methods: Vec<(&str, &str)> = demo
        .as_array()
        .expect("list")
        .iter()
        .map(|d| {
            (
                d["vendor"].as_str().expect("vendor"),
                d["method"].as_str().expect("method"),
            )
        })
        .collect();
    assert_eq!(
        methods,
        vec![
            ("smartrecruiters", "oauth"),
            ("lever", "oauth"),
            ("unberry", "api_key")
        ]
    );
}

#[test]
fn links_an_api_key_then_unlinks_it_with_its_secret() {
    let h = harness("api-key", false, true);
    let key = h.demo_api_key(Vendor::Unberry);
    let account = h
        .invoke(
            "link_api_key",
            json!({"vendor": "unberry", "label": "Acme Unberry", "baseUrl": h.demo_base_url(Vendor::Unberry), "apiKey": key}),
        )
        .expect("linked");
    let id = account["id"].as_str().expect("id").to_owned();
    assert_eq!(account["auth_kind"], "api_key");
    assert!(matches!(
        h.secrets.get(&id).expect("read"),
        Some(StoredSecret::ApiKey { key: k }) if k.expose() == key
    ));
    let overview = h.invoke("list_accounts", json!({})).expect("answers");
    assert_eq!(overview["accounts"][0]["label"], "Acme Unberry");
    assert_eq!(overview["accounts"][0]["status"], "active");

    h.invoke("unlink_account", json!({"id": id}))
        .expect("unlinked");
    assert_eq!(
        h.secrets.get(&id).expect("read"),
        None,
        "keychain entry gone"
    );
    let overview = h.invoke("list_accounts", json!({})).expect("answers");
    assert_eq!(overview["accounts"], json!([]));
    assert_no_secret_in(&h, &[key.as_str()]);
}

#[test]
fn errors_cross_ipc_as_kind_and_message() {
    let h = harness("errors", false, true);
    let refused = h
        .invoke(
            "link_api_key",
            json!({"vendor": "unberry", "label": "Wrong", "baseUrl": h.demo_base_url(Vendor::Unberry), "apiKey": "not-the-key"}),
        )
        .expect_err("a wrong key is refused");
    assert_eq!(refused["kind"], "auth", "{refused}");
    assert!(
        refused["message"].as_str().expect("message").len() > 10,
        "{refused}"
    );
    let missing = h
        .invoke("unlink_account", json!({"id": "nope"}))
        .expect_err("unknown account");
    assert_eq!(missing["kind"], "not_found");
    assert_eq!(
        h.invoke("list_accounts", json!({})).expect("answers")["accounts"],
        json!([])
    );
    assert!(
        !h.traffic
            .lock()
            .expect("lock")
            .iter()
            .any(|t| t.contains("not-the-key")),
        "a refused key is not echoed back"
    );
}

#[test]
fn a_locked_keychain_is_reported_and_nothing_falls_back_to_disk() {
    let h = harness("keychain", false, false);
    let overview = h.invoke("list_accounts", json!({})).expect("answers");
    assert_eq!(overview["keychain_backend"], Value::Null);
    assert_eq!(overview["keychain_error"]["kind"], "keychain");
    let err = h
        .invoke(
            "link_api_key",
            json!({"vendor": "unberry", "label": "U", "baseUrl": null, "apiKey": "k"}),
        )
        .expect_err("no keychain, no linking");
    assert_eq!(err["kind"], "keychain");
    let err = h
        .invoke(
            "link_demo_account",
            json!({"vendor": "lever", "label": "L"}),
        )
        .expect_err("no keychain, no OAuth flow either");
    assert_eq!(err["kind"], "keychain");
    assert!(
        h.opened.lock().expect("lock").is_empty(),
        "no browser opened"
    );
}

#[test]
fn demo_oauth_links_lever_through_the_loopback_and_no_secret_leaks() {
    let h = harness("oauth", true, true);
    let started = h
        .invoke(
            "link_demo_account",
            json!({"vendor": "lever", "label": "Demo Lever"}),
        )
        .expect("flow starts");
    assert_eq!(started["type"], "started");
    let flow_id = started["flow_id"].as_str().expect("flow id").to_owned();

    let first = h.next_link_event();
    assert_eq!(first["type"], "started");
    assert_eq!(first["flow_id"], flow_id);
    assert_eq!(first["authorize_url_host"], "127.0.0.1");
    let done = h.next_link_event();
    assert_eq!(done["type"], "completed", "{done}");
    assert_eq!(done["account"]["label"], "Demo Lever");
    assert_eq!(done["account"]["auth_kind"], "oauth");
    let id = done["account"]["id"].as_str().expect("id").to_owned();
    assert!(h.state().flows.is_empty(), "the finished flow is forgotten");

    // The Unberry demo card links with the demo key, also kept in Rust.
    let unberry = h
        .invoke(
            "link_demo_account",
            json!({"vendor": "unberry", "label": "Demo Unberry"}),
        )
        .expect("linked");
    assert_eq!(unberry["type"], "linked");

    let Some(StoredSecret::OAuth {
        access_token,
        refresh_token,
        client_secret,
        ..
    }) = h.secrets.get(&id).expect("read")
    else {
        panic!("OAuth tokens are in the keychain");
    };
    let refresh = refresh_token.expect("Lever sends a refresh token with offline_access");
    let client_secret = client_secret.expect("the demo's client secret is kept for refreshes");
    let unberry_key = h.demo_api_key(Vendor::Unberry);
    let overview = h.invoke("list_accounts", json!({})).expect("answers");
    assert_eq!(overview["accounts"].as_array().expect("list").len(), 2);

    // The authorization URL went to the browser, never to the webview.
    let url = h.opened.lock().expect("lock")[0].clone();
    let state_param = Url::parse(&url)
        .expect("url")
        .query_pairs()
        .find(|(k, _)| k == "state")
        .map(|(_, v)| v.into_owned())
        .expect("state");
    assert_no_secret_in(
        &h,
        &[
            access_token.expose(),
            refresh.expose(),
            client_secret.expose(),
            unberry_key.as_str(),
            state_param.as_str(),
        ],
    );
}

#[test]
fn cancelling_ends_the_flow_and_late_links_are_refused() {
    let h = harness("cancel", false, true);
    let refused = deep_links_event(&h, "hirebridge://oauth/callback?code=abc&state=xyz");
    assert_eq!(refused["type"], "refused", "no flow is pending: {refused}");

    let flow_id = h
        .invoke(
            "start_oauth_link",
            json!({"vendor": "lever", "label": "Lever", "overrides": {
                "base_url": h.demo_base_url(Vendor::Lever),
                "authorize_url": null, "token_url": null, "client_id": null,
            }}),
        )
        .expect("flow starts")
        .as_str()
        .expect("id")
        .to_owned();
    assert_eq!(h.next_link_event()["type"], "started");

    // A forged callback whose state does not match is refused; the flow keeps waiting.
    let forged = deep_links_event(&h, "hirebridge://oauth/callback?code=abc&state=forged");
    assert_eq!(forged["type"], "refused", "{forged}");
    assert_eq!(h.state().flows.len(), 1);

    h.invoke("cancel_oauth_link", json!({"flowId": flow_id}))
        .expect("cancelled");
    let failed = h.next_link_event();
    assert_eq!(failed["type"], "failed");
    assert_eq!(failed["error"]["kind"], "cancelled");
    assert!(h.state().flows.is_empty());
    let again = h
        .invoke("cancel_oauth_link", json!({"flowId": flow_id}))
        .expect_err("already finished");
    assert_eq!(again["kind"], "not_found");

    let taken = h.invoke(
        "link_api_key",
        json!({"vendor": "unberry", "label": "Taken", "baseUrl": h.demo_base_url(Vendor::Unberry), "apiKey": h.demo_api_key(Vendor::Unberry)}),
    );
    assert!(taken.is_ok());
    let conflict = h
        .invoke(
            "start_oauth_link",
            json!({"vendor": "lever", "label": "Taken", "overrides": null}),
        )
        .expect_err("label taken before the browser opens");
    assert_eq!(conflict["kind"], "conflict");
}

/// Delivers a raw link and returns the deep-link event the UI receives.
fn deep_links_event(h: &Harness, raw: &str) -> Value {
    let (tx, rx) = mpsc::channel();
    let tx = Mutex::new(tx);
    let id = h.app.listen_any("deep-link-event", move |event| {
        let _ = tx
            .lock()
            .expect("lock")
            .send(serde_json::from_str::<Value>(event.payload()).expect("json"));
    });
    h.state().deep_links().ui_listening = true;
    deep_links::handle_url(h.app.handle(), raw);
    let event = rx
        .recv_timeout(Duration::from_secs(10))
        .expect("a deep link event");
    h.app.unlisten(id);
    event
}

/// No secret may appear in the data directory's files (SQLite with its WAL) or in anything
/// that crossed IPC to the webview.
fn assert_no_secret_in(h: &Harness, secrets: &[&str]) {
    let mut files = Vec::new();
    collect_files(&h.data_dir, &mut files);
    assert!(
        files.iter().any(|f| f.to_string_lossy().ends_with("-wal")),
        "the WAL file is checked too: {files:?}"
    );
    for secret in secrets {
        assert!(secret.len() >= 8, "a real secret to look for");
        for file in &files {
            let bytes = std::fs::read(file).expect("read file");
            assert!(
                !contains(&bytes, secret.as_bytes()),
                "a secret was found in {}",
                file.display()
            );
        }
        for message in h.traffic.lock().expect("lock").iter() {
            assert!(!message.contains(secret), "a secret crossed IPC: {message}");
        }
    }
}

fn collect_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("read dir").flatten() {
        let path = entry.path();
        if path.is_dir() {
            collect_files(&path, out);
        } else {
            out.push(path);
        }
    }
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

#[test]
fn a_callback_link_with_the_right_state_completes_the_flow() {
    let h = harness("callback-link", false, true);
    let flow_id = h
        .invoke(
            "link_demo_account",
            json!({"vendor": "smartrecruiters", "label": "Demo SR"}),
        )
        .expect("flow starts")["flow_id"]
        .as_str()
        .expect("id")
        .to_owned();
    assert_eq!(h.next_link_event()["type"], "started");
    // The browser consents (the fake auto-consents) but the redirect comes back as a link.
    let url = h.opened.lock().expect("lock")[0].clone();
    let (status, location) = get(&url);
    assert_eq!(status, 302);
    let redirect = Url::parse(&location.expect("redirect")).expect("url");
    let link = format!(
        "hirebridge://oauth/callback?{}",
        redirect.query().expect("query")
    );

    let accepted = deep_links_event(&h, &link);
    assert_eq!(accepted["type"], "oauth_callback", "{accepted}");
    let done = h.next_link_event();
    assert_eq!(done["type"], "completed", "{done}");
    assert_eq!(done["flow_id"], flow_id);
    assert!(h.state().flows.is_empty());

    // The same code again finds no flow waiting.
    let replay = deep_links_event(&h, &link);
    assert_eq!(replay["type"], "refused", "{replay}");
}

#[test]
fn an_account_needing_relink_signs_in_again_and_is_active() {
    let h = harness("relink", true, true);
    h.invoke(
        "link_demo_account",
        json!({"vendor": "lever", "label": "Demo Lever"}),
    )
    .expect("flow starts");
    assert_eq!(h.next_link_event()["type"], "started");
    let done = h.next_link_event();
    let id = done["account"]["id"].as_str().expect("id").to_owned();
    let services = h.state().services().expect("services");
    tauri::async_runtime::block_on(
        services
            .accounts
            .set_status(&id, hirebridge_core::accounts::AccountStatus::NeedsRelink),
    )
    .expect("marked");
    let overview = h.invoke("list_accounts", json!({})).expect("answers");
    assert_eq!(overview["accounts"][0]["status"], "needs_relink");

    h.invoke("relink_account", json!({"id": id}))
        .expect("re-link starts");
    assert_eq!(h.next_link_event()["type"], "started");
    let done = h.next_link_event();
    assert_eq!(done["type"], "completed", "{done}");
    assert_eq!(done["account"]["id"], id, "the same account, not a new one");
    let overview = h.invoke("list_accounts", json!({})).expect("answers");
    assert_eq!(overview["accounts"].as_array().expect("list").len(), 1);
    assert_eq!(overview["accounts"][0]["status"], "active");
}
