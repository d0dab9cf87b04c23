//! The client against a scripted server: auth, retries, limits, redirects, logs.

use std::io::Write;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use async_trait::async_trait;

use super::test_server::{ScriptedServer, response};
use super::*;
use crate::secrets::Secret;
use crate::{ErrorKind, Vendor};

fn fast_client() -> HttpClient {
    HttpClient::new(HttpConfig {
        retry: RetryPolicy {
            max_attempts: 4,
            base_delay: Duration::from_millis(5),
            max_delay: Duration::from_millis(20),
            max_retry_after: Duration::from_millis(300),
            rate_limit_budget: Duration::from_millis(500),
        },
        max_body_bytes: 1024,
        ..HttpConfig::default()
    })
    .expect("client")
}

fn key(value: &str) -> Arc<dyn CredentialProvider> {
    Arc::new(StaticCredentials(AuthHeader::SmartToken(Secret::new(
        value,
    ))))
}

/// Hands out `old-token`, then `new-token` after the first 401.
struct Rotating {
    refreshed: AtomicUsize,
}

#[async_trait]
impl CredentialProvider for Rotating {
    async fn current(&self) -> crate::Result<AuthHeader> {
        Ok(AuthHeader::Bearer(Secret::new("old-token")))
    }
    async fn after_unauthorized(&self, _: &AuthHeader) -> crate::Result<Option<AuthHeader>> {
        self.refreshed.fetch_add(1, Ordering::SeqCst);
        Ok(Some(AuthHeader::Bearer(Secret::new("new-token"))))
    }
}

#[tokio::test]
async fn sends_the_key_and_reads_json() {
    let server = ScriptedServer::start(vec![response(200, &[], r#"{"ok":true}"#)]).await;
    let client = fast_client()
        .for_account(
            "a1",
            Vendor::SmartRecruiters,
            &server.base_url,
            key("k-123"),
        )
        .expect("account");
    let v: serde_json::Value = client
        .send_json(&VendorRequest::get("/candidates").query("limit", "5"))
        .await
        .expect("ok");
    assert_eq!(v["ok"], true);
    let head = &server.recorded()[0].head;
    assert!(head.starts_with("GET /candidates?limit=5 "), "{head}");
    assert!(
        head.to_ascii_lowercase().contains("x-smarttoken: k-123"),
        "{head}"
    );
}

#[tokio::test]
async fn retries_once_with_a_fresh_credential_after_401() {
    let server = ScriptedServer::start(vec![
        response(401, &[], r#"{"code":"Unauthorized","message":"expired"}"#),
        response(200, &[], "{}"),
    ])
    .await;
    let creds = Arc::new(Rotating {
        refreshed: AtomicUsize::new(0),
    });
    let client = fast_client()
        .for_account("a2", Vendor::Lever, &server.base_url, creds.clone())
        .expect("account");
    client
        .send(&VendorRequest::get("/users"))
        .await
        .expect("retried");
    let recorded = server.recorded();
    assert_eq!(recorded.len(), 2);
    assert!(
        recorded[1].head.contains("Bearer new-token"),
        "{}",
        recorded[1].head
    );
    assert_eq!(creds.refreshed.load(Ordering::SeqCst), 1);
}

#[tokio::test]
async fn an_api_key_refused_with_401_is_an_auth_error_after_one_try() {
    let server = ScriptedServer::start(vec![response(401, &[], r#"{"message":"bad key"}"#)]).await;
    let client = fast_client()
        .for_account("a3", Vendor::SmartRecruiters, &server.base_url, key("k"))
        .expect("account");
    let err: crate::Error = client
        .send(&VendorRequest::get("/x"))
        .await
        .expect_err("401")
        .into();
    assert_eq!(err.kind, ErrorKind::Auth);
    assert_eq!(err.status, Some(401));
    assert_eq!(server.recorded().len(), 1);
}

#[tokio::test]
async fn absorbs_429_and_5xx_honouring_retry_after() {
    let server = ScriptedServer::start(vec![
        response(
            429,
            &[("retry-after", "0.2")],
            r#"{"code":"TooManyRequests"}"#,
        ),
        response(502, &[], "bad gateway"),
        response(200, &[], r#"{"n":1}"#),
    ])
    .await;
    let client = fast_client()
        .for_account("a4", Vendor::Lever, &server.base_url, key("k"))
        .expect("account");
    let started = std::time::Instant::now();
    let v: serde_json::Value = client
        .send_json(&VendorRequest::get("/x"))
        .await
        .expect("absorbed");
    assert_eq!(v["n"], 1);
    assert!(
        started.elapsed() >= Duration::from_millis(200),
        "waited for Retry-After"
    );
    assert_eq!(server.recorded().len(), 3);
}

#[tokio::test]
async fn gives_up_with_rate_limited_when_the_429_budget_is_spent() {
    let started = std::time::Instant::now();
    let server =
        ScriptedServer::start(vec![response(429, &[], r#"{"message":"slow down"}"#)]).await;
    let client = fast_client()
        .for_account("a5", Vendor::Unberry, &server.base_url, key("k"))
        .expect("account");
    let err: crate::Error = client
        .send(&VendorRequest::get("/x"))
        .await
        .expect_err("429")
        .into();
    assert_eq!(err.kind, ErrorKind::RateLimited);
    // 429s are ridden out for the whole budget (each one also pauses the account's limiter).
    assert!(
        started.elapsed() >= Duration::from_millis(400),
        "{:?}",
        started.elapsed()
    );
    assert!(server.recorded().len() >= 3, "{}", server.recorded().len());
}

#[tokio::test]
async fn does_not_retry_a_post_on_500() {
    let server =
        ScriptedServer::start(vec![response(500, &[], "{}"), response(201, &[], "{}")]).await;
    let client = fast_client()
        .for_account("a6", Vendor::Lever, &server.base_url, key("k"))
        .expect("account");
    let req =
        VendorRequest::new(reqwest::Method::POST, "/opportunities").json(serde_json::json!({}));
    let err: crate::Error = client.send(&req).await.expect_err("500").into();
    assert_eq!(err.kind, ErrorKind::Vendor);
    assert_eq!(server.recorded().len(), 1);
}

#[tokio::test]
async fn refuses_oversized_bodies_and_off_host_urls() {
    let big = "x".repeat(2048);
    let server = ScriptedServer::start(vec![response(200, &[], &big)]).await;
    let client = fast_client()
        .for_account("a7", Vendor::Lever, &server.base_url, key("k"))
        .expect("account");
    let err = client
        .send(&VendorRequest::get("/big"))
        .await
        .expect_err("too big");
    assert!(matches!(err, HttpError::BodyTooLarge { .. }), "{err}");

    let off = VendorRequest::absolute(reqwest::Method::GET, "https://evil.example/steal");
    let err = client.send(&off).await.expect_err("off host");
    assert!(matches!(err, HttpError::OffHost { .. }), "{err}");
    let traversal = VendorRequest::get("/../admin");
    assert!(matches!(
        client.send(&traversal).await,
        Err(HttpError::Invalid(_))
    ));
    assert_eq!(server.recorded().len(), 1, "nothing sent for refused URLs");
}

#[tokio::test]
async fn does_not_follow_a_redirect_to_another_host() {
    let server = ScriptedServer::start(vec![response(
        302,
        &[("location", "http://localhost:1/elsewhere")],
        "",
    )])
    .await;
    let client = fast_client()
        .for_account("a8", Vendor::Lever, &server.base_url, key("k"))
        .expect("account");
    let err = client
        .send(&VendorRequest::get("/moved"))
        .await
        .expect_err("not followed");
    assert!(
        matches!(err, HttpError::Status { status: 302, .. }),
        "{err}"
    );
    assert_eq!(server.recorded().len(), 1);
}

#[tokio::test]
async fn uploads_stream_a_file_as_multipart() {
    let server = ScriptedServer::start(vec![response(201, &[], "{}")]).await;
    let client = fast_client()
        .for_account("a9", Vendor::SmartRecruiters, &server.base_url, key("k"))
        .expect("account");
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("cv.pdf");
    std::fs::write(&path, b"%PDF-1.4 hello").expect("write");
    let file = check_upload(&path, 1000).await.expect("checked");
    let spec = MultipartSpec::default()
        .field("attachmentType", "RESUME")
        .file("file", file);
    let req =
        VendorRequest::new(reqwest::Method::POST, "/candidates/1/attachments").multipart(spec);
    client.send(&req).await.expect("uploaded");
    let rec = &server.recorded()[0];
    let body = String::from_utf8_lossy(&rec.body);
    assert!(
        rec.head
            .to_ascii_lowercase()
            .contains("multipart/form-data; boundary=")
    );
    assert!(body.contains("filename=\"cv.pdf\""), "{body}");
    assert!(body.contains("%PDF-1.4 hello"), "{body}");
    assert!(body.contains("RESUME"));
}

#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().expect("lock").extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[tokio::test]
async fn logs_request_ids_but_never_a_secret() {
    let captured = Captured::default();
    let writer = captured.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_writer(move || writer.clone())
        .with_ansi(false)
        .finish();
    // Global, not scoped: tests run in parallel threads and tracing caches per-callsite interest,
    // so a scoped subscriber can miss events whose callsite another thread registered first.
    tracing::subscriber::set_global_default(subscriber).expect("only this test sets it");

    let secrets = [
        "SR-KEY-0123456789",
        "lever-key-abcdef",
        "old-token",
        "new-token",
        "unberry-key-xyz",
    ];
    let server = ScriptedServer::start(vec![
        response(401, &[], r#"{"message":"expired"}"#),
        response(200, &[], "{}"),
        response(429, &[("retry-after", "0")], "{}"),
        response(200, &[], "{}"),
        response(404, &[], r#"{"message":"nope"}"#),
        response(200, &[], "{}"),
    ])
    .await;
    let http = fast_client();
    let rotating = http
        .for_account(
            "l1",
            Vendor::Lever,
            &server.base_url,
            Arc::new(Rotating {
                refreshed: AtomicUsize::new(0),
            }),
        )
        .expect("account");
    rotating
        .send(&VendorRequest::get("/a").query("state", "s"))
        .await
        .expect("ok");
    let sr = http
        .for_account(
            "s1",
            Vendor::SmartRecruiters,
            &server.base_url,
            key(secrets[0]),
        )
        .expect("account");
    sr.send(&VendorRequest::get("/b"))
        .await
        .expect("ok after 429");
    let lever = http
        .for_account(
            "l2",
            Vendor::Lever,
            &server.base_url,
            Arc::new(StaticCredentials(AuthHeader::BasicUser(Secret::new(
                secrets[1],
            )))),
        )
        .expect("account");
    let _ = lever.send(&VendorRequest::get("/c")).await;
    let ub = http
        .for_account(
            "u1",
            Vendor::Unberry,
            &server.base_url,
            Arc::new(StaticCredentials(AuthHeader::ApiKey(Secret::new(
                secrets[4],
            )))),
        )
        .expect("account");
    ub.send(&VendorRequest::get("/d")).await.expect("ok");

    let logs = String::from_utf8(captured.0.lock().expect("lock").clone()).expect("utf8");
    assert!(
        logs.contains("request_id="),
        "request ids are logged: {logs}"
    );
    assert!(logs.contains("status=429"), "retries are logged");
    let basic = base64::Engine::encode(
        &base64::engine::general_purpose::STANDARD,
        format!("{}:", secrets[1]),
    );
    for secret in secrets.iter().copied().chain([basic.as_str()]) {
        assert!(
            !logs.contains(secret),
            "secret {secret} leaked into logs:\n{logs}"
        );
    }
}

#[tokio::test]
async fn a_vendor_that_never_answers_times_out_as_a_network_error() {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let base = format!("http://{}", listener.local_addr().expect("addr"));
    // Accepts connections and holds them open without a byte of answer.
    let holder = tokio::spawn(async move {
        let mut held = Vec::new();
        while let Ok((sock, _)) = listener.accept().await {
            held.push(sock);
        }
    });
    let http = HttpClient::new(HttpConfig {
        request_timeout: Duration::from_millis(200),
        retry: RetryPolicy {
            max_attempts: 2,
            base_delay: Duration::from_millis(5),
            max_delay: Duration::from_millis(5),
            max_retry_after: Duration::from_millis(5),
            rate_limit_budget: Duration::from_millis(5),
        },
        ..HttpConfig::default()
    })
    .expect("client");
    let client = http
        .for_account("t1", Vendor::Lever, &base, key("k"))
        .expect("account");
    let started = std::time::Instant::now();
    let err: crate::Error = client
        .send(&VendorRequest::get("/slow"))
        .await
        .expect_err("timed out")
        .into();
    assert_eq!(err.kind, ErrorKind::Network);
    assert!(err.message.contains("timed out"), "{}", err.message);
    assert!(started.elapsed() < Duration::from_secs(5));
    holder.abort();
}

#[tokio::test]
async fn downloads_stream_to_a_file_and_refuse_oversized_ones() {
    let body = "%PDF-1.4 ".repeat(50);
    let server = ScriptedServer::start(vec![response(
        200,
        &[("content-type", "application/pdf")],
        &body,
    )])
    .await;
    let dir = tempfile::tempdir().expect("tempdir");
    let http = HttpClient::new(HttpConfig {
        max_download_bytes: 1000,
        ..HttpConfig::default()
    })
    .expect("client");
    let client = http
        .for_account("d1", Vendor::Lever, &server.base_url, key("k"))
        .expect("account");
    let dest = dir.path().join("cv.pdf");
    let n = client
        .download(&VendorRequest::get("/f"), &dest)
        .await
        .expect("downloaded");
    assert_eq!(n as usize, body.len());
    assert_eq!(std::fs::read_to_string(&dest).expect("read"), body);

    let small = HttpClient::new(HttpConfig {
        max_download_bytes: 100,
        ..HttpConfig::default()
    })
    .expect("client")
    .for_account("d2", Vendor::Lever, &server.base_url, key("k"))
    .expect("account");
    let dest2 = dir.path().join("big.pdf");
    let err = small
        .download(&VendorRequest::get("/f"), &dest2)
        .await
        .expect_err("too big");
    assert!(matches!(err, HttpError::BodyTooLarge { .. }), "{err}");
    assert!(!dest2.exists(), "no partial file left");
    assert!(!dir.path().join("big.pdf.part").exists());
}
