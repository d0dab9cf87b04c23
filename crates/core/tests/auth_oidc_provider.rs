//! The OAuth flow and the token manager against panva/oidc-provider, an OAuth 2.0 / OpenID
//! server no one here wrote: PKCE S256 required, loopback redirects on any port, refresh tokens
//! rotated on every use and revocable. Needs `npm ci` in tests/oauth-server (skips otherwise).

mod auth_support;

use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::Duration;

use auth_support::{Browser, CountingSink, OidcServer, query_param};
use hirebridge_core::auth::{
    NoBrowser, OAuthClientConfig, OAuthError, OAuthFlow, OAuthOverrides, OAuthTokenManager,
    PendingFlow, RedirectMode, TokenEndpoint, TokenSet,
};
use hirebridge_core::http::{AuthHeader, CredentialProvider};
use hirebridge_core::secrets::{MemorySecretStore, Secret, SecretStore, StoredSecret};
use hirebridge_core::{ErrorKind, Vendor};
use url::Url;

const PUBLIC_CLIENT: &str = "hirebridge-desktop";

fn config(server: &OidcServer, extra: &[(&str, &str)]) -> OAuthClientConfig {
    let mut extra_params = vec![("prompt".to_owned(), "consent".to_owned())];
    extra_params.extend(
        extra
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned())),
    );
    // Unberry: the one vendor without extra authorize parameters of its own.
    OAuthClientConfig::for_vendor(
        Vendor::Unberry,
        OAuthOverrides {
            authorize_url: Some(server.authorize_url()),
            token_url: Some(server.token_url()),
            client_id: Some(PUBLIC_CLIENT.into()),
            scopes: Some(vec!["openid".into(), "offline_access".into()]),
            extra_authorize_params: extra_params,
            ..Default::default()
        },
    )
    .expect("valid config")
}

async fn start(config: OAuthClientConfig) -> (Url, Arc<PendingFlow>) {
    let (url, pending) = OAuthFlow::start(config, RedirectMode::Loopback, &NoBrowser)
        .await
        .expect("flow starts");
    (url, Arc::new(pending))
}

fn waiting(pending: &Arc<PendingFlow>) -> tokio::task::JoinHandle<Result<TokenSet, OAuthError>> {
    let pending = Arc::clone(pending);
    tokio::spawn(async move { pending.wait(Duration::from_secs(20)).await })
}

/// The browser's whole journey: authorize, auto-consent, redirect to the listener.
async fn link(config: OAuthClientConfig) -> TokenSet {
    let (url, pending) = start(config).await;
    let result = waiting(&pending);
    let browser = Browser::new();
    let callback = browser.follow_to(&url, pending.redirect_uri()).await;
    let (status, page) = browser.deliver(&callback).await.expect("listener answers");
    assert_eq!(status, 200, "{page}");
    assert!(page.contains("return to Hirebridge"), "{page}");
    result.await.expect("joins").expect("linked")
}

#[tokio::test]
async fn links_through_the_loopback_listener_with_pkce_and_state() {
    let Some(server) = OidcServer::start().await else {
        return;
    };
    let (url, pending) = start(config(&server, &[])).await;
    assert_eq!(
        query_param(&url, "code_challenge_method").as_deref(),
        Some("S256")
    );
    assert!(query_param(&url, "code_challenge").is_some_and(|c| c.len() >= 43));
    assert!(query_param(&url, "state").is_some_and(|s| s.len() >= 16));
    let redirect = Url::parse(pending.redirect_uri()).expect("redirect uri");
    assert_eq!(redirect.host_str(), Some("127.0.0.1"));
    assert_ne!(redirect.port(), Some(0));
    assert_eq!(
        query_param(&url, "redirect_uri").as_deref(),
        Some(pending.redirect_uri())
    );

    let result = waiting(&pending);
    let browser = Browser::new();
    let callback = browser.follow_to(&url, pending.redirect_uri()).await;
    let (status, page) = browser.deliver(&callback).await.expect("listener answers");
    assert_eq!(status, 200);
    assert!(
        page.contains("You can close this tab and return to Hirebridge."),
        "{page}"
    );
    let tokens = result.await.expect("joins").expect("linked");
    assert!(!tokens.access_token.expose().is_empty());
    let shown = format!("{tokens:?} {pending:?}");
    let refresh = tokens.refresh_token.as_ref().expect("refresh");
    for secret in [tokens.access_token.expose(), refresh.expose()] {
        assert!(
            !shown.contains(secret),
            "Debug output leaks a token: {shown}"
        );
    }
    let code = query_param(&callback, "code").expect("code");
    assert!(!shown.contains(&code));
    assert!(
        tokens.refresh_token.is_some(),
        "offline_access yields a refresh token"
    );
    let now = chrono::Utc::now().timestamp();
    assert!(
        tokens
            .expires_at
            .is_some_and(|at| at > now && at <= now + 61)
    );
    assert_eq!(server.count("GRANT authorization_code").await, 1);
}

#[tokio::test]
async fn a_confidential_client_sends_its_secret_and_a_wrong_one_is_refused() {
    let Some(server) = OidcServer::start().await else {
        return;
    };
    let mut good = config(&server, &[]);
    good.client_id = "hirebridge-confidential".into();
    good.client_secret = Some(Secret::new("oidc-test-client-secret"));
    assert!(link(good.clone()).await.refresh_token.is_some());

    let mut bad = good;
    bad.client_secret = Some(Secret::new("not-the-secret"));
    let (url, pending) = start(bad).await;
    let result = waiting(&pending);
    let browser = Browser::new();
    let callback = browser.follow_to(&url, pending.redirect_uri()).await;
    let (status, page) = browser.deliver(&callback).await.expect("listener answers");
    assert_eq!(status, 400);
    assert!(page.contains("Linking failed"), "{page}");
    let err = result.await.expect("joins").expect_err("wrong secret");
    assert!(
        matches!(&err, OAuthError::TokenEndpoint { error, .. } if error == "invalid_client"),
        "{err:?}"
    );
    let err = hirebridge_core::Error::from(err);
    assert_eq!(err.kind, ErrorKind::OAuth);
    assert!(!err.message.contains("not-the-secret"));
}

#[tokio::test]
async fn a_wrong_state_is_refused_and_no_code_is_exchanged() {
    let Some(server) = OidcServer::start().await else {
        return;
    };
    let (url, pending) = start(config(&server, &[])).await;
    let result = waiting(&pending);
    let browser = Browser::new();
    let mut callback = browser.follow_to(&url, pending.redirect_uri()).await;
    let code = query_param(&callback, "code").expect("a code");
    callback.set_query(Some(&format!("code={code}&state=forged-state")));
    let (status, page) = browser.deliver(&callback).await.expect("listener answers");
    assert_eq!(status, 400);
    assert!(page.contains("state did not match"), "{page}");
    let err = result.await.expect("joins").expect_err("refused");
    assert_eq!(err, OAuthError::WrongState);
    assert_eq!(hirebridge_core::Error::from(err).kind, ErrorKind::OAuth);
    assert_eq!(server.count("GRANT authorization_code").await, 0);
}

#[tokio::test]
async fn a_callback_without_a_code_is_refused() {
    let Some(server) = OidcServer::start().await else {
        return;
    };
    let (url, pending) = start(config(&server, &[])).await;
    let result = waiting(&pending);
    let state = query_param(&url, "state").expect("state");
    let mut callback = Url::parse(pending.redirect_uri()).expect("uri");
    callback.set_query(Some(&format!("state={state}")));
    let (status, page) = Browser::new().deliver(&callback).await.expect("answers");
    assert_eq!(status, 400);
    assert!(page.contains("no authorization code"), "{page}");
    let err = result.await.expect("joins").expect_err("refused");
    assert!(matches!(err, OAuthError::BadCallback(_)), "{err:?}");
    assert_eq!(hirebridge_core::Error::from(err).kind, ErrorKind::OAuth);
}

#[tokio::test]
async fn access_denied_is_reported_with_the_servers_description() {
    let Some(server) = OidcServer::start().await else {
        return;
    };
    let (url, pending) = start(config(&server, &[("hb_deny", "1")])).await;
    let result = waiting(&pending);
    let browser = Browser::new();
    let callback = browser.follow_to(&url, pending.redirect_uri()).await;
    assert_eq!(
        query_param(&callback, "error").as_deref(),
        Some("access_denied")
    );
    let (status, page) = browser.deliver(&callback).await.expect("answers");
    assert_eq!(status, 400);
    assert!(page.contains("refused access"), "{page}");
    let err = hirebridge_core::Error::from(result.await.expect("joins").expect_err("denied"));
    assert_eq!(err.kind, ErrorKind::OAuth);
    assert_eq!(err.vendor_code.as_deref(), Some("access_denied"));
    assert!(
        err.message.contains("The user refused to grant access"),
        "{}",
        err.message
    );
}

#[tokio::test]
async fn a_reused_code_is_refused_by_the_server() {
    let Some(server) = OidcServer::start().await else {
        return;
    };
    let browser = Browser::new();
    let (url_a, flow_a) = start(config(&server, &[])).await;
    let result_a = waiting(&flow_a);
    let callback_a = browser.follow_to(&url_a, flow_a.redirect_uri()).await;
    browser.deliver(&callback_a).await.expect("answers");
    result_a.await.expect("joins").expect("first use links");

    // The same code, replayed into a second flow (its own state, so only the server can object).
    let (url_b, flow_b) = start(config(&server, &[])).await;
    let result_b = waiting(&flow_b);
    let code = query_param(&callback_a, "code").expect("code");
    let state_b = query_param(&url_b, "state").expect("state");
    let mut replay = Url::parse(flow_b.redirect_uri()).expect("uri");
    replay.set_query(Some(&format!("code={code}&state={state_b}")));
    let (status, page) = browser.deliver(&replay).await.expect("answers");
    assert_eq!(status, 400);
    assert!(page.contains("already used"), "{page}");
    let err = result_b.await.expect("joins").expect_err("reuse refused");
    assert!(matches!(err, OAuthError::InvalidGrant { .. }), "{err:?}");
    let err = hirebridge_core::Error::from(err);
    assert_eq!(
        (err.kind, err.vendor_code.as_deref()),
        (ErrorKind::OAuth, Some("invalid_grant"))
    );
    // And a flow never exchanges twice by itself.
    let again = flow_a
        .complete(hirebridge_core::auth::CallbackParams::Code {
            code: Secret::new(code),
            state: query_param(&url_a, "state").map(Secret::new),
        })
        .await;
    assert_eq!(again, Err(OAuthError::AlreadyCompleted));
}

#[tokio::test]
async fn no_callback_times_out_and_closes_the_port() {
    let Some(server) = OidcServer::start().await else {
        return;
    };
    let (_url, pending) = start(config(&server, &[])).await;
    let err = pending
        .wait(Duration::from_millis(300))
        .await
        .expect_err("times out");
    assert_eq!(err, OAuthError::Timeout(Duration::from_millis(300)));
    let err = hirebridge_core::Error::from(err);
    assert_eq!(err.kind, ErrorKind::OAuth);
    assert!(
        err.message.contains("No sign-in response arrived"),
        "{}",
        err.message
    );
    let callback = Url::parse(pending.redirect_uri()).expect("uri");
    assert!(
        Browser::new().deliver(&callback).await.is_err(),
        "port must be closed"
    );
}

#[tokio::test]
async fn a_second_hit_on_the_listener_is_refused() {
    let Some(server) = OidcServer::start().await else {
        return;
    };
    let (url, pending) = start(config(&server, &[])).await;
    let result = waiting(&pending);
    let browser = Browser::new();
    let callback = browser.follow_to(&url, pending.redirect_uri()).await;
    // A stray request elsewhere on the port does not use up the one callback.
    let favicon = Url::parse(pending.redirect_uri())
        .expect("uri")
        .join("/favicon.ico")
        .expect("url");
    assert_eq!(browser.deliver(&favicon).await.expect("answers").0, 404);
    assert_eq!(browser.deliver(&callback).await.expect("answers").0, 200);
    result.await.expect("joins").expect("linked");
    let second = browser.deliver(&callback).await;
    assert!(
        second.is_err(),
        "second hit must be refused, got {second:?}"
    );
    assert_eq!(server.count("GRANT authorization_code").await, 1);
    assert_eq!(
        pending.wait(Duration::from_secs(1)).await,
        Err(OAuthError::AlreadyCompleted)
    );
}

#[tokio::test]
async fn a_forged_deep_link_changes_nothing() {
    let Some(server) = OidcServer::start().await else {
        return;
    };
    let (url, pending) = start(config(&server, &[])).await;
    for (forged, kind) in [
        (
            "hirebridge://oauth/callback?code=stolen&state=forged",
            ErrorKind::OAuth,
        ),
        ("hirebridge://oauth/callback?code=stolen", ErrorKind::OAuth),
        (
            "hirebridge://oauth/callback?code=a&state=b&redirect=evil",
            ErrorKind::Validation,
        ),
        ("hirebridge://link/lever", ErrorKind::Validation),
        (
            "evil://oauth/callback?code=a&state=b",
            ErrorKind::Validation,
        ),
    ] {
        let err = pending
            .complete_from_url(&Url::parse(forged).expect("url"))
            .await
            .expect_err(forged);
        assert_eq!(err.kind, kind, "{forged}: {}", err.message);
    }
    assert_eq!(server.count("GRANT authorization_code").await, 0);
    // The real sign-in still completes afterwards.
    let result = waiting(&pending);
    let browser = Browser::new();
    let callback = browser.follow_to(&url, pending.redirect_uri()).await;
    assert_eq!(browser.deliver(&callback).await.expect("answers").0, 200);
    result.await.expect("joins").expect("linked");
}

// ---- token manager ----

const ACCOUNT: &str = "acc-oidc";

/// Links, then stores the tokens as expired so the next call must refresh.
async fn expired_account(
    server: &OidcServer,
) -> (
    Arc<MemorySecretStore>,
    Arc<CountingSink>,
    Arc<OAuthTokenManager>,
    Secret,
) {
    let tokens = link(config(server, &[])).await;
    let old_access = tokens.access_token.clone();
    let store = Arc::new(MemorySecretStore::new());
    let mut stored = tokens.into_stored(None);
    if let StoredSecret::OAuth { expires_at, .. } = &mut stored {
        *expires_at = Some(chrono::Utc::now().timestamp() - 10);
    }
    store.set(ACCOUNT, &stored).expect("store");
    let sink = Arc::new(CountingSink::default());
    let endpoint = TokenEndpoint {
        vendor: Vendor::Unberry,
        token_url: Url::parse(&server.token_url()).expect("url"),
        client_id: PUBLIC_CLIENT.into(),
    };
    let manager =
        OAuthTokenManager::new(ACCOUNT, endpoint, store.clone(), sink.clone()).expect("manager");
    (store, sink, Arc::new(manager), old_access)
}

fn stored_refresh(store: &MemorySecretStore) -> Secret {
    match store.get(ACCOUNT).expect("read") {
        Some(StoredSecret::OAuth {
            refresh_token: Some(r),
            ..
        }) => r,
        other => panic!("unexpected entry {other:?}"),
    }
}

#[tokio::test]
async fn fifty_concurrent_calls_with_an_expired_token_refresh_once() {
    let Some(server) = OidcServer::start().await else {
        return;
    };
    let (store, _sink, manager, old_access) = expired_account(&server).await;
    let old_refresh = stored_refresh(&store);
    let calls: Vec<_> = (0..50)
        .map(|_| {
            let manager = Arc::clone(&manager);
            tokio::spawn(async move { manager.current().await })
        })
        .collect();
    let mut headers = Vec::new();
    for call in calls {
        headers.push(call.await.expect("joins").expect("a token"));
    }
    assert_eq!(server.count("GRANT refresh_token").await, 1);
    let AuthHeader::Bearer(new_access) = &headers[0] else {
        panic!("bearer")
    };
    assert_ne!(new_access, &old_access);
    assert!(
        headers.iter().all(|h| h == &headers[0]),
        "everyone gets the new token"
    );
    assert_ne!(
        stored_refresh(&store),
        old_refresh,
        "the rotated refresh token is stored"
    );
}

#[tokio::test]
async fn rotation_survives_a_refresh_racing_a_sync() {
    let Some(server) = OidcServer::start().await else {
        return;
    };
    let (store, sink, manager, old_access) = expired_account(&server).await;
    let rejected = AuthHeader::Bearer(old_access.clone());
    let calls: Vec<_> = (0..40)
        .map(|i| {
            let manager = Arc::clone(&manager);
            let rejected = rejected.clone();
            tokio::spawn(async move {
                if i % 2 == 0 {
                    manager.current().await
                } else {
                    manager
                        .after_unauthorized(&rejected)
                        .await
                        .map(|h| h.expect("a retry credential"))
                }
            })
        })
        .collect();
    let mut headers = Vec::new();
    for call in calls {
        headers.push(call.await.expect("joins").expect("a token"));
    }
    assert!(headers.iter().all(|h| h == &headers[0]));
    assert_eq!(
        server.count("GRANT refresh_token").await,
        1,
        "one refresh for everyone"
    );
    // The stored refresh token is the live one: a 401 on the new token refreshes again fine.
    let before = stored_refresh(&store);
    let next = manager
        .after_unauthorized(&headers[0])
        .await
        .expect("refreshes")
        .expect("some");
    assert_ne!(next, headers[0]);
    assert_ne!(stored_refresh(&store), before);
    assert_eq!(server.count("GRANT refresh_token").await, 2);
    assert_eq!(
        server
            .count("GRANT_ERROR refresh_token invalid_grant")
            .await,
        0
    );
    assert_eq!(sink.count.load(Ordering::SeqCst), 0);
}

#[tokio::test]
async fn a_revoked_refresh_token_needs_relink_without_retrying() {
    let Some(server) = OidcServer::start().await else {
        return;
    };
    let (store, sink, manager, _old) = expired_account(&server).await;
    server
        .revoke(stored_refresh(&store).expose(), PUBLIC_CLIENT, None)
        .await;
    for _ in 0..3 {
        let err = manager.current().await.expect_err("needs relink");
        assert_eq!(err.kind, ErrorKind::NeedsRelink);
        assert!(
            err.message.contains("Link the account again"),
            "{}",
            err.message
        );
    }
    assert_eq!(sink.count.load(Ordering::SeqCst), 1);
    assert_eq!(
        sink.calls.lock().expect("calls").as_slice(),
        [ACCOUNT.to_owned()]
    );
    assert_eq!(
        server
            .count("GRANT_ERROR refresh_token invalid_grant")
            .await,
        1,
        "no retry loop"
    );
}

/// A keychain that refuses writes while `failing` is set.
struct FlakyStore {
    inner: MemorySecretStore,
    failing: std::sync::atomic::AtomicBool,
}

impl SecretStore for FlakyStore {
    fn get(&self, id: &str) -> hirebridge_core::Result<Option<StoredSecret>> {
        self.inner.get(id)
    }
    fn set(&self, id: &str, secret: &StoredSecret) -> hirebridge_core::Result<()> {
        if self.failing.load(Ordering::SeqCst) {
            return Err(hirebridge_core::Error::new(
                ErrorKind::Keychain,
                "keychain locked",
            ));
        }
        self.inner.set(id, secret)
    }
    fn delete(&self, id: &str) -> hirebridge_core::Result<()> {
        self.inner.delete(id)
    }
    fn backend_name(&self) -> String {
        "flaky".into()
    }
}

#[tokio::test]
async fn a_failed_keychain_write_fails_the_call_and_loses_no_token() {
    let Some(server) = OidcServer::start().await else {
        return;
    };
    let (memory, _sink, _manager, old_access) = expired_account(&server).await;
    let old_entry = memory.get(ACCOUNT).expect("read").expect("entry");
    let store = Arc::new(FlakyStore {
        inner: MemorySecretStore::new(),
        failing: std::sync::atomic::AtomicBool::new(true),
    });
    store.inner.set(ACCOUNT, &old_entry).expect("seed");
    let sink = Arc::new(CountingSink::default());
    let endpoint = TokenEndpoint {
        vendor: Vendor::Unberry,
        token_url: Url::parse(&server.token_url()).expect("url"),
        client_id: PUBLIC_CLIENT.into(),
    };
    let manager =
        OAuthTokenManager::new(ACCOUNT, endpoint, store.clone(), sink.clone()).expect("manager");

    let err = manager.current().await.expect_err("the write failed");
    assert_eq!(err.kind, ErrorKind::Keychain);
    assert_eq!(
        store.inner.get(ACCOUNT).expect("read"),
        Some(old_entry.clone()),
        "old pair intact"
    );
    let err = manager
        .after_unauthorized(&AuthHeader::Bearer(old_access.clone()))
        .await;
    assert_eq!(err.expect_err("still failing").kind, ErrorKind::Keychain);
    assert_eq!(
        server.count("GRANT refresh_token").await,
        1,
        "no second refresh meanwhile"
    );

    // Once the keychain works, the new pair is stored first, then handed out, with no new refresh.
    store.failing.store(false, Ordering::SeqCst);
    let AuthHeader::Bearer(new_access) = manager.current().await.expect("a token") else {
        panic!("bearer")
    };
    assert_ne!(new_access, old_access);
    match store.inner.get(ACCOUNT).expect("read") {
        Some(StoredSecret::OAuth { access_token, .. }) => assert_eq!(access_token, new_access),
        other => panic!("unexpected {other:?}"),
    }
    assert_eq!(server.count("GRANT refresh_token").await, 1);
    assert_eq!(sink.count.load(Ordering::SeqCst), 0);
}

#[tokio::test]
async fn a_deep_link_redirect_completes_the_flow() {
    let Some(server) = OidcServer::start().await else {
        return;
    };
    let mut config = config(&server, &[]);
    config.client_id = "hirebridge-deeplink".into();
    let (url, pending) = OAuthFlow::start(config, RedirectMode::DeepLink, &NoBrowser)
        .await
        .expect("flow starts");
    assert_eq!(pending.redirect_uri(), "hirebridge://oauth/callback");
    assert_eq!(
        pending.wait(Duration::from_secs(1)).await,
        Err(OAuthError::NotLoopback)
    );
    let link = Browser::new()
        .follow_to(&url, "hirebridge://oauth/callback")
        .await;
    // What the OS hands the app: the whole URL as argv, parsed by the same validation path.
    let link = Url::parse(link.as_str()).expect("link");
    let tokens = pending.complete_from_url(&link).await.expect("linked");
    assert!(tokens.refresh_token.is_some());
    let again = pending
        .complete_from_url(&link)
        .await
        .expect_err("used once");
    assert_eq!(again.kind, ErrorKind::OAuth);
    assert_eq!(server.count("GRANT authorization_code").await, 1);
}

#[tokio::test]
async fn a_linked_account_keeps_secrets_out_of_sqlite_and_is_marked_when_revoked() {
    use hirebridge_core::accounts::{AccountStatus, AccountStore, AuthKind};
    use hirebridge_core::auth::{credentials_for, relink_oauth_account, save_oauth_account};

    let Some(server) = OidcServer::start().await else {
        return;
    };
    let dir = tempfile::tempdir().expect("tempdir");
    let pool = hirebridge_core::db::open(dir.path()).await.expect("db");
    let accounts = Arc::new(AccountStore::new(pool.clone()));
    let secrets: Arc<dyn SecretStore> = Arc::new(MemorySecretStore::new());
    let mut cfg = config(&server, &[]);
    cfg.client_id = "hirebridge-confidential".into();
    cfg.client_secret = Some(Secret::new("oidc-test-client-secret"));
    let tokens = link(cfg.clone()).await;
    let (access, refresh) = (
        tokens.access_token.clone(),
        tokens.refresh_token.clone().expect("rt"),
    );
    let account = save_oauth_account(&accounts, secrets.as_ref(), &cfg, "Acme OIDC", None, tokens)
        .await
        .expect("saved");
    assert_eq!(account.auth_kind, AuthKind::OAuth);
    assert_eq!(
        account.oauth_config.as_ref().expect("config").client_id,
        "hirebridge-confidential"
    );
    let duplicate = save_oauth_account(
        &accounts,
        secrets.as_ref(),
        &cfg,
        "Acme OIDC",
        None,
        link(cfg.clone()).await,
    )
    .await;
    assert_eq!(duplicate.expect_err("same label").kind, ErrorKind::Conflict);

    let credentials = credentials_for(&account, secrets.clone(), accounts.clone()).expect("creds");
    // oidc-provider's 60 s tokens are within the refresh margin already: this may refresh.
    let AuthHeader::Bearer(current) = credentials.current().await.expect("token") else {
        panic!("bearer")
    };
    // Force a refresh (a 401), so SQLite has seen the whole life of the account.
    let AuthHeader::Bearer(refreshed) = credentials
        .after_unauthorized(&AuthHeader::Bearer(current.clone()))
        .await
        .expect("refresh")
        .expect("some")
    else {
        panic!("bearer")
    };
    pool.close().await;
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir.path()).expect("data dir") {
        files.extend(std::fs::read(entry.expect("entry").path()).expect("read"));
    }
    let latest_refresh = match secrets.get(&account.id).expect("read") {
        Some(StoredSecret::OAuth {
            refresh_token: Some(r),
            ..
        }) => r,
        other => panic!("{other:?}"),
    };
    for secret in [
        access.expose(),
        refresh.expose(),
        current.expose(),
        refreshed.expose(),
        latest_refresh.expose(),
        "oidc-test-client-secret",
    ] {
        assert!(
            !files.windows(secret.len()).any(|w| w == secret.as_bytes()),
            "a secret reached the SQLite files"
        );
    }

    // Revoked at the server: the account is marked, and says so.
    let pool = hirebridge_core::db::open(dir.path()).await.expect("db");
    let accounts = Arc::new(AccountStore::new(pool));
    let credentials = credentials_for(&account, secrets.clone(), accounts.clone()).expect("creds");
    let stored = match secrets.get(&account.id).expect("read") {
        Some(StoredSecret::OAuth {
            refresh_token: Some(r),
            ..
        }) => r,
        other => panic!("{other:?}"),
    };
    server
        .revoke(
            stored.expose(),
            "hirebridge-confidential",
            Some("oidc-test-client-secret"),
        )
        .await;
    let err = credentials
        .after_unauthorized(&AuthHeader::Bearer(refreshed))
        .await
        .expect_err("revoked");
    assert_eq!(err.kind, ErrorKind::NeedsRelink);
    let marked = accounts.get(&account.id).await.expect("read").expect("row");
    assert_eq!(marked.status, AccountStatus::NeedsRelink);

    // Linking again restores it.
    let again = relink_oauth_account(
        &accounts,
        secrets.as_ref(),
        &account.id,
        &cfg,
        link(cfg.clone()).await,
    )
    .await
    .expect("relinked");
    assert_eq!(again.status, AccountStatus::Active);
    let credentials = credentials_for(&again, secrets.clone(), accounts.clone()).expect("creds");
    assert!(credentials.current().await.is_ok());
}
