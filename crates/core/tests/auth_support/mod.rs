//! Shared by the auth tests: a scripted browser, and the third-party OAuth server from npm.
#![allow(dead_code)]

use std::collections::HashMap;
use std::path::PathBuf;
use std::process::Stdio;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use async_trait::async_trait;
use hirebridge_core::auth::AccountStatusSink;
use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::{Child, Command};
use url::Url;

/// Plays the user's browser: follows redirects by hand, keeping cookies per host, and stops at
/// the first redirect to the loopback listener (or a hirebridge:// link), returning it unfetched.
pub struct Browser {
    http: reqwest::Client,
    cookies: Mutex<HashMap<String, HashMap<String, String>>>,
}

impl Browser {
    pub fn new() -> Self {
        let http = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .expect("browser client builds");
        Self {
            http,
            cookies: Mutex::new(HashMap::new()),
        }
    }

    /// Follows `start` until a redirect leaves for `stop_prefix`; returns that target.
    pub async fn follow_to(&self, start: &Url, stop_prefix: &str) -> Url {
        let mut url = start.clone();
        for _ in 0..20 {
            let host = url.host_str().unwrap_or_default().to_owned();
            let jar = self
                .cookies
                .lock()
                .expect("jar")
                .get(&host)
                .cloned()
                .unwrap_or_default();
            let mut request = self.http.get(url.clone());
            if !jar.is_empty() {
                let header: Vec<String> = jar.iter().map(|(k, v)| format!("{k}={v}")).collect();
                request = request.header("Cookie", header.join("; "));
            }
            let response = request.send().await.expect("authorization server answers");
            for value in response.headers().get_all("set-cookie") {
                let raw = value.to_str().expect("ascii cookie");
                let pair = raw.split(';').next().unwrap_or_default();
                if let Some((name, value)) = pair.split_once('=') {
                    let mut jars = self.cookies.lock().expect("jar");
                    jars.entry(host.clone())
                        .or_default()
                        .insert(name.trim().into(), value.into());
                }
            }
            let status = response.status();
            let Some(location) = response.headers().get("location") else {
                let body = response.text().await.unwrap_or_default();
                panic!("no redirect from {url} ({status}): {body}");
            };
            let next = url
                .join(location.to_str().expect("ascii location"))
                .expect("valid location");
            if next.as_str().starts_with(stop_prefix) {
                return next;
            }
            url = next;
        }
        panic!("too many redirects");
    }

    /// Opens a consent page (a form posting back to the same URL), clicks `decision`
    /// ("approve" or "deny"), and returns where the server redirects to, unfetched.
    pub async fn consent(&self, authorize: &Url, decision: &str) -> Url {
        let page = self
            .http
            .get(authorize.clone())
            .send()
            .await
            .expect("consent page");
        assert_eq!(page.status(), 200, "a consent form, not a redirect");
        let html = page.text().await.expect("html");
        let marker = "name=\"txn\" value=\"";
        let start = html.find(marker).expect("the form carries a txn") + marker.len();
        let txn = &html[start..start + html[start..].find('"').expect("closing quote")];
        let response = self
            .http
            .post(authorize.clone())
            .form(&[("txn", txn), ("decision", decision)])
            .send()
            .await
            .expect("decision posted");
        let location = response.headers().get("location").expect("a redirect");
        authorize
            .join(location.to_str().expect("ascii"))
            .expect("valid location")
    }

    /// Delivers a callback URL to the loopback listener, as the browser would: status and page.
    pub async fn deliver(&self, callback: &Url) -> Result<(u16, String), reqwest::Error> {
        let response = self.http.get(callback.clone()).send().await?;
        let status = response.status().as_u16();
        Ok((status, response.text().await?))
    }
}

/// A `hirebridge` query parameter from a URL.
pub fn query_param(url: &Url, name: &str) -> Option<String> {
    url.query_pairs()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.into_owned())
}

/// panva/oidc-provider run by node from `tests/oauth-server`, with a count of the tokens it
/// issued per grant type, read from its stdout.
pub struct OidcServer {
    pub issuer: String,
    child: Child,
    grants: Arc<Mutex<Vec<String>>>,
}

impl OidcServer {
    /// `None` (after printing why) when `npm ci` has not been run in tests/oauth-server.
    pub async fn start() -> Option<Self> {
        let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/oauth-server");
        if !dir.join("node_modules/oidc-provider").is_dir() {
            eprintln!(
                "SKIPPED: {}/node_modules is missing; run `npm ci` there to test against oidc-provider",
                dir.display()
            );
            return None;
        }
        let mut child = Command::new("node")
            .arg("server.mjs")
            .current_dir(&dir)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .kill_on_drop(true)
            .spawn()
            .expect("node starts (is node installed?)");
        let mut lines = BufReader::new(child.stdout.take().expect("stdout piped")).lines();
        let issuer = loop {
            let line = lines
                .next_line()
                .await
                .expect("read stdout")
                .expect("server prints ISSUER");
            if let Some(issuer) = line.strip_prefix("ISSUER ") {
                break issuer.to_owned();
            }
        };
        let grants = Arc::new(Mutex::new(Vec::new()));
        let log = Arc::clone(&grants);
        tokio::spawn(async move {
            while let Ok(Some(line)) = lines.next_line().await {
                if line.starts_with("GRANT") {
                    log.lock().expect("log").push(line);
                }
            }
        });
        Some(Self {
            issuer,
            child,
            grants,
        })
    }

    pub fn authorize_url(&self) -> String {
        format!("{}/auth", self.issuer)
    }

    pub fn token_url(&self) -> String {
        format!("{}/token", self.issuer)
    }

    /// Lines such as `GRANT refresh_token` or `GRANT_ERROR refresh_token invalid_grant`.
    pub async fn grant_lines(&self) -> Vec<String> {
        // The log line may trail the HTTP response by a moment.
        tokio::time::sleep(std::time::Duration::from_millis(150)).await;
        self.grants.lock().expect("log").clone()
    }

    pub async fn count(&self, line: &str) -> usize {
        self.grant_lines()
            .await
            .iter()
            .filter(|l| *l == line)
            .count()
    }

    /// Revokes a refresh token through the server's RFC 7009 endpoint.
    pub async fn revoke(&self, token: &str, client_id: &str, client_secret: Option<&str>) {
        let mut form = vec![
            ("token", token),
            ("token_type_hint", "refresh_token"),
            ("client_id", client_id),
        ];
        if let Some(secret) = client_secret {
            form.push(("client_secret", secret));
        }
        let response = reqwest::Client::new()
            .post(format!("{}/token/revocation", self.issuer))
            .form(&form)
            .send()
            .await
            .expect("revocation answers");
        assert!(
            response.status().is_success(),
            "revocation: {}",
            response.status()
        );
    }
}

impl Drop for OidcServer {
    fn drop(&mut self) {
        let _ = self.child.start_kill();
    }
}

/// Counts `needs_relink` calls per account.
#[derive(Default)]
pub struct CountingSink {
    pub calls: Mutex<Vec<String>>,
    pub count: AtomicUsize,
}

#[async_trait]
impl AccountStatusSink for CountingSink {
    async fn needs_relink(&self, account_id: &str) {
        self.count.fetch_add(1, Ordering::SeqCst);
        self.calls
            .lock()
            .expect("calls")
            .push(account_id.to_owned());
    }
}
