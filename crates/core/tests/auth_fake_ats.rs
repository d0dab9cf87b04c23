//! Linking each vendor against fake-ats through the real loopback listener, a scripted browser
//! following the authorization URL, the consent and the redirect; then the token manager on the
//! vendors' own token endpoints.

mod auth_support;

use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::Duration;

use auth_support::{Browser, CountingSink, query_param};
use fake_ats::{Config, RunningFake, VendorInfo};
use hirebridge_core::auth::config::default_scopes;
use hirebridge_core::auth::{
    NoBrowser, OAuthClientConfig, OAuthError, OAuthFlow, OAuthOverrides, OAuthTokenManager,
    PendingFlow, RedirectMode, TokenEndpoint, TokenSet,
};
use hirebridge_core::http::{AuthHeader, CredentialProvider};
use hirebridge_core::secrets::{MemorySecretStore, Secret, SecretStore, StoredSecret};
use hirebridge_core::{ErrorKind, Vendor};
use url::Url;

async fn fake(auto_consent: bool) -> RunningFake {
    fake_ats::spawn(Config {
        auto_consent,
        candidates: 30,
        rate_limits: false,
        ..Default::default()
    })
    .await
    .expect("fake-ats starts")
}

fn vendor_info(fake: &RunningFake, vendor: Vendor) -> VendorInfo {
    let info = fake.info();
    match vendor {
        Vendor::SmartRecruiters => info.smartrecruiters.clone(),
        Vendor::Lever => info.lever.clone(),
        Vendor::Unberry => info.unberry.clone(),
    }
}

/// The vendor's settings pointed at fake-ats, as a user would configure them.
fn config(fake: &RunningFake, vendor: Vendor) -> OAuthClientConfig {
    let info = vendor_info(fake, vendor);
    OAuthClientConfig::for_vendor(
        vendor,
        OAuthOverrides {
            base_url: Some(info.base_url.clone()),
            authorize_url: Some(info.oauth.authorize_url.clone()),
            token_url: Some(info.oauth.token_url.clone()),
            client_id: Some(info.oauth.client_id.clone()),
            client_secret: Some(Secret::new(info.oauth.client_secret.clone())),
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

fn token_requests(fake: &RunningFake, token_url: &str) -> usize {
    let path = Url::parse(token_url).expect("url").path().to_owned();
    fake.admin()
        .request_log()
        .iter()
        .filter(|e| e.method == "POST" && e.path == path)
        .count()
}

/// Links `vendor` end to end and proves the access token works on its API.
async fn links(vendor: Vendor, probe_path: &str) -> TokenSet {
    let fake = fake(true).await;
    let config = config(&fake, vendor);
    let (url, pending) = start(config).await;
    let result = waiting(&pending);
    let browser = Browser::new();
    let callback = browser.follow_to(&url, pending.redirect_uri()).await;
    let (status, page) = browser.deliver(&callback).await.expect("listener answers");
    assert_eq!(status, 200, "{page}");
    assert!(page.contains("return to Hirebridge"), "{page}");
    let tokens = result.await.expect("joins").expect("linked");

    let info = vendor_info(&fake, vendor);
    let api = reqwest::Client::new()
        .get(format!("{}{probe_path}", info.base_url))
        .bearer_auth(tokens.access_token.expose())
        .send()
        .await
        .expect("api answers");
    assert_eq!(
        api.status(),
        200,
        "the linked token works on {vendor}'s API"
    );
    // The fake's request log masks secrets; the client secret never shows in a URL.
    for entry in fake.admin().request_log() {
        assert!(
            !entry.query.contains(&info.oauth.client_secret),
            "{entry:?}"
        );
    }
    tokens
}

#[tokio::test]
async fn smartrecruiters_links_with_space_separated_scopes_and_its_client_secret() {
    let fake = fake(true).await;
    let (url, _pending) = start(config(&fake, Vendor::SmartRecruiters)).await;
    assert!(url.path().ends_with("/identity/oauth/allow"), "{url}");
    let scope = query_param(&url, "scope").expect("scope");
    assert_eq!(scope, default_scopes(Vendor::SmartRecruiters).join(" "));
    drop(fake);
    let tokens = links(Vendor::SmartRecruiters, "/candidates?limit=1").await;
    assert!(tokens.refresh_token.is_some());
}

#[tokio::test]
async fn the_consent_form_deny_button_yields_access_denied() {
    let fake = fake(false).await;
    let (url, pending) = start(config(&fake, Vendor::SmartRecruiters)).await;
    let result = waiting(&pending);
    let browser = Browser::new();
    let callback = browser.consent(&url, "deny").await;
    assert!(
        callback.as_str().starts_with(pending.redirect_uri()),
        "{callback}"
    );
    let (status, page) = browser.deliver(&callback).await.expect("answers");
    assert_eq!(status, 400);
    assert!(page.contains("SmartRecruiters refused access"), "{page}");
    let err = hirebridge_core::Error::from(result.await.expect("joins").expect_err("denied"));
    assert_eq!(
        (err.kind, err.vendor_code.as_deref()),
        (ErrorKind::OAuth, Some("access_denied"))
    );
    assert_eq!(
        token_requests(
            &fake,
            &vendor_info(&fake, Vendor::SmartRecruiters).oauth.token_url
        ),
        0
    );
}

#[tokio::test]
async fn the_consent_form_approve_button_links() {
    let fake = fake(false).await;
    let (url, pending) = start(config(&fake, Vendor::SmartRecruiters)).await;
    let result = waiting(&pending);
    let browser = Browser::new();
    let callback = browser.consent(&url, "approve").await;
    assert_eq!(browser.deliver(&callback).await.expect("answers").0, 200);
    assert!(result.await.expect("joins").is_ok());
}

const ACCOUNT: &str = "acc-fake";

async fn expired_account(
    fake: &RunningFake,
    vendor: Vendor,
) -> (
    Arc<MemorySecretStore>,
    Arc<CountingSink>,
    Arc<OAuthTokenManager>,
    Secret,
) {
    let config = config(fake, vendor);
    let (url, pending) = start(config.clone()).await;
    let result = waiting(&pending);
    let browser = Browser::new();
    let callback = browser.follow_to(&url, pending.redirect_uri()).await;
    browser.deliver(&callback).await.expect("answers");
    let tokens = result.await.expect("joins").expect("linked");
    let old_access = tokens.access_token.clone();
    let mut stored = tokens.into_stored(config.client_secret.clone());
    if let StoredSecret::OAuth { expires_at, .. } = &mut stored {
        *expires_at = Some(chrono::Utc::now().timestamp() - 1);
    }
    let store = Arc::new(MemorySecretStore::new());
    store.set(ACCOUNT, &stored).expect("store");
    let sink = Arc::new(CountingSink::default());
    let endpoint = TokenEndpoint {
        vendor,
        token_url: config.token_url.clone(),
        client_id: config.client_id.clone(),
    };
    let manager =
        OAuthTokenManager::new(ACCOUNT, endpoint, store.clone(), sink.clone()).expect("manager");
    (store, sink, Arc::new(manager), old_access)
}

#[tokio::test]
async fn fifty_concurrent_calls_refresh_once_against_smartrecruiters() {
    let fake = fake(true).await;
    let (_store, _sink, manager, old) = expired_account(&fake, Vendor::SmartRecruiters).await;
    let token_url = vendor_info(&fake, Vendor::SmartRecruiters).oauth.token_url;
    let before = token_requests(&fake, &token_url);
    let calls: Vec<_> = (0..50)
        .map(|_| {
            let manager = Arc::clone(&manager);
            tokio::spawn(async move { manager.current().await })
        })
        .collect();
    let mut headers = Vec::new();
    for call in calls {
        headers.push(call.await.expect("joins").expect("token"));
    }
    assert_eq!(
        token_requests(&fake, &token_url) - before,
        1,
        "exactly one refresh"
    );
    assert!(headers.iter().all(|h| h == &headers[0]));
    assert_ne!(headers[0], AuthHeader::Bearer(old));
}

#[tokio::test]
async fn a_401_on_an_already_replaced_token_does_not_refresh_again() {
    let fake = fake(true).await;
    let (_store, sink, manager, old) = expired_account(&fake, Vendor::SmartRecruiters).await;
    let token_url = vendor_info(&fake, Vendor::SmartRecruiters).oauth.token_url;
    let fresh = manager.current().await.expect("refreshed");
    let before = token_requests(&fake, &token_url);
    let retry = manager
        .after_unauthorized(&AuthHeader::Bearer(old))
        .await
        .expect("ok")
        .expect("a credential");
    assert_eq!(retry, fresh);
    assert_eq!(token_requests(&fake, &token_url), before);
    assert_eq!(sink.count.load(Ordering::SeqCst), 0);
}

#[tokio::test]
async fn lever_links_with_audience_state_and_offline_access() {
    let fake = fake(true).await;
    let info = vendor_info(&fake, Vendor::Lever);
    let (url, _pending) = start(config(&fake, Vendor::Lever)).await;
    assert_eq!(
        query_param(&url, "audience"),
        Some(format!("{}/", info.base_url.trim_end_matches('/')))
    );
    assert!(query_param(&url, "state").is_some());
    let scope = query_param(&url, "scope").expect("scope");
    assert!(scope.split(' ').any(|s| s == "offline_access"), "{scope}");
    drop(fake);
    let tokens = links(Vendor::Lever, "/opportunities?limit=1").await;
    assert!(
        tokens.refresh_token.is_some(),
        "offline_access yields a refresh token"
    );
}

#[tokio::test]
async fn unberry_links() {
    let tokens = links(Vendor::Unberry, "/candidates?limit=1").await;
    assert!(!tokens.access_token.expose().is_empty());
}

#[tokio::test]
async fn lever_refuses_a_flow_without_its_audience() {
    let fake = fake(true).await;
    let mut config = config(&fake, Vendor::Lever);
    config.extra_authorize_params.clear();
    let (url, pending) = start(config).await;
    let result = waiting(&pending);
    let browser = Browser::new();
    let callback = browser.follow_to(&url, pending.redirect_uri()).await;
    browser.deliver(&callback).await.expect("answers");
    let err = result.await.expect("joins").expect_err("refused");
    assert!(
        matches!(&err, OAuthError::AuthorizationError { error, description: Some(d), .. }
            if error == "invalid_request" && d.contains("audience")),
        "{err:?}"
    );
}

#[tokio::test]
async fn a_deep_link_redirect_completes_a_fake_ats_flow() {
    let fake = fake(true).await;
    fake.admin().add_redirect_uri("hirebridge://oauth/callback");
    let (url, pending) = OAuthFlow::start(
        config(&fake, Vendor::SmartRecruiters),
        RedirectMode::DeepLink,
        &NoBrowser,
    )
    .await
    .expect("starts");
    let link = Browser::new().follow_to(&url, "hirebridge://").await;
    let tokens = pending.complete_from_url(&link).await.expect("linked");
    assert!(tokens.refresh_token.is_some());
}

/// Links `vendor`, saves it as an account, and builds the connector a sync would use.
struct Linked {
    fake: RunningFake,
    account: hirebridge_core::accounts::Account,
    accounts: Arc<hirebridge_core::accounts::AccountStore>,
    secrets: Arc<MemorySecretStore>,
    sink: Arc<CountingSink>,
}

async fn linked_account(vendor: Vendor) -> Linked {
    let fake = fake(true).await;
    let config = config(&fake, vendor);
    let (url, pending) = start(config.clone()).await;
    let result = waiting(&pending);
    let browser = Browser::new();
    let callback = browser.follow_to(&url, pending.redirect_uri()).await;
    browser.deliver(&callback).await.expect("answers");
    let tokens = result.await.expect("joins").expect("linked");
    let pool = hirebridge_core::db::open_in_memory().await.expect("db");
    let accounts = Arc::new(hirebridge_core::accounts::AccountStore::new(pool));
    let secrets = Arc::new(MemorySecretStore::new());
    let base_url = vendor_info(&fake, vendor).base_url;
    let account = hirebridge_core::auth::save_oauth_account(
        &accounts,
        secrets.as_ref(),
        &config,
        "Test account",
        Some(&base_url),
        tokens,
    )
    .await
    .expect("saved");
    Linked {
        fake,
        account,
        accounts,
        secrets,
        sink: Arc::new(CountingSink::default()),
    }
}

impl Linked {
    fn stored(&self) -> (Secret, Secret) {
        match self.secrets.get(&self.account.id).expect("read") {
            Some(StoredSecret::OAuth {
                access_token,
                refresh_token: Some(refresh),
                ..
            }) => (access_token, refresh),
            other => panic!("unexpected entry {other:?}"),
        }
    }

    fn expire_locally(&self) {
        let mut entry = self
            .secrets
            .get(&self.account.id)
            .expect("read")
            .expect("entry");
        if let StoredSecret::OAuth { expires_at, .. } = &mut entry {
            *expires_at = Some(chrono::Utc::now().timestamp() - 1);
        }
        self.secrets.set(&self.account.id, &entry).expect("write");
    }

    fn credentials(&self) -> Arc<dyn CredentialProvider> {
        hirebridge_core::auth::credentials_for(
            &self.account,
            self.secrets.clone(),
            self.sink.clone(),
        )
        .expect("credentials")
    }

    fn token_requests(&self) -> usize {
        token_requests(
            &self.fake,
            &vendor_info(&self.fake, self.account.vendor).oauth.token_url,
        )
    }

    /// Asks the vendor's token endpoint directly to use `refresh`; returns the OAuth error code.
    async fn refresh_error(&self, refresh: &Secret) -> Option<String> {
        let info = vendor_info(&self.fake, self.account.vendor);
        let response = reqwest::Client::new()
            .post(&info.oauth.token_url)
            .form(&[
                ("grant_type", "refresh_token"),
                ("refresh_token", refresh.expose()),
                ("client_id", &info.oauth.client_id),
                ("client_secret", &info.oauth.client_secret),
            ])
            .send()
            .await
            .expect("token endpoint answers");
        let body: serde_json::Value = response.json().await.expect("json");
        body["error"].as_str().map(str::to_owned)
    }
}

#[tokio::test]
async fn lever_rotation_survives_a_refresh_racing_a_sync() {
    use hirebridge_core::http::{HttpClient, HttpConfig, VendorRequest};

    let linked = linked_account(Vendor::Lever).await;
    let (old_access, old_refresh) = linked.stored();
    // The access token is dead at Lever and about to expire locally: everyone needs a new one.
    linked.fake.admin().expire_tokens(None);
    linked.expire_locally();
    let credentials = linked.credentials();
    let http = HttpClient::new(HttpConfig::default()).expect("http");
    // A sync as the connectors do it: the shared HTTP client paging `GET /opportunities`.
    let client = http
        .for_account(
            &linked.account.id,
            Vendor::Lever,
            &linked.account.base_url,
            credentials.clone(),
        )
        .expect("account client");
    let before = linked.token_requests();

    let sync = tokio::spawn(async move {
        let mut offset: Option<String> = None;
        let mut seen = 0;
        loop {
            let request = VendorRequest::get("/opportunities")
                .query("limit", "10")
                .query_opt("offset", offset.clone());
            let page: serde_json::Value = client
                .send_json(&request)
                .await
                .map_err(|e| format!("sync failed: {e}"))?;
            seen += page["data"].as_array().map_or(0, Vec::len);
            match page["next"].as_str() {
                Some(next) if page["hasNext"] == true => offset = Some(next.to_owned()),
                _ => return Ok::<usize, String>(seen),
            }
        }
    });
    let racers: Vec<_> = (0..30)
        .map(|i| {
            let credentials = credentials.clone();
            let old = AuthHeader::Bearer(old_access.clone());
            tokio::spawn(async move {
                if i % 3 == 0 {
                    credentials
                        .after_unauthorized(&old)
                        .await
                        .map(|h| h.expect("retry"))
                } else {
                    credentials.current().await
                }
            })
        })
        .collect();
    let mut headers = Vec::new();
    for racer in racers {
        headers.push(racer.await.expect("joins").expect("a token"));
    }
    let synced = sync.await.expect("joins").expect("the sync succeeds");
    assert!(synced >= 30, "the sync read every page ({synced})");
    assert_eq!(linked.token_requests() - before, 1, "exactly one refresh");
    assert!(headers.iter().all(|h| h == &headers[0]));

    let (new_access, new_refresh) = linked.stored();
    assert_eq!(headers[0], AuthHeader::Bearer(new_access));
    assert_ne!(
        new_refresh, old_refresh,
        "Lever rotated the refresh token and it was stored"
    );
    // The stored refresh token is the live one: the next refresh works.
    let next = credentials
        .after_unauthorized(&headers[0])
        .await
        .expect("refreshes")
        .expect("a token");
    assert_ne!(next, headers[0]);
    // And the retired one is refused (last: Lever then revokes the whole grant as a replay).
    assert_eq!(
        linked.refresh_error(&old_refresh).await.as_deref(),
        Some("invalid_grant")
    );
    assert_eq!(linked.sink.count.load(Ordering::SeqCst), 0);
}

#[tokio::test]
async fn a_401_from_the_api_refreshes_once_and_the_retry_works() {
    let linked = linked_account(Vendor::Unberry).await;
    let credentials = linked.credentials();
    let AuthHeader::Bearer(first) = credentials.current().await.expect("token") else {
        panic!("bearer")
    };
    linked.fake.admin().expire_tokens(None);
    let probe = |token: Secret| {
        let url = format!("{}/candidates?limit=1", linked.account.base_url);
        async move {
            reqwest::Client::new()
                .get(url)
                .bearer_auth(token.expose())
                .send()
                .await
                .expect("answers")
                .status()
                .as_u16()
        }
    };
    assert_eq!(probe(first.clone()).await, 401);
    let before = linked.token_requests();
    let Some(AuthHeader::Bearer(second)) = credentials
        .after_unauthorized(&AuthHeader::Bearer(first))
        .await
        .expect("refresh")
    else {
        panic!("a bearer to retry with")
    };
    assert_eq!(probe(second).await, 200);
    assert_eq!(linked.token_requests() - before, 1);
}

#[tokio::test]
async fn a_revoked_lever_refresh_token_marks_the_account_needs_relink_once() {
    use hirebridge_core::accounts::AccountStatus;

    let linked = linked_account(Vendor::Lever).await;
    linked.fake.admin().revoke_tokens(None);
    linked.expire_locally();
    // The real accounts table is the sink here.
    let credentials = hirebridge_core::auth::credentials_for(
        &linked.account,
        linked.secrets.clone(),
        linked.accounts.clone(),
    )
    .expect("credentials");
    let before = linked.token_requests();
    let calls: Vec<_> = (0..10)
        .map(|_| {
            let credentials = credentials.clone();
            tokio::spawn(async move { credentials.current().await })
        })
        .collect();
    for call in calls {
        let err = call.await.expect("joins").expect_err("needs relink");
        assert_eq!(err.kind, ErrorKind::NeedsRelink);
        assert!(err.message.contains("Lever"), "{}", err.message);
    }
    assert_eq!(
        linked.token_requests() - before,
        1,
        "one refused refresh, no retry loop"
    );
    let account = linked
        .accounts
        .get(&linked.account.id)
        .await
        .expect("read")
        .expect("row");
    assert_eq!(account.status, AccountStatus::NeedsRelink);

    // With a counting sink: called exactly once however many calls fail.
    let credentials = linked.credentials();
    for _ in 0..5 {
        assert_eq!(
            credentials.current().await.expect_err("relink").kind,
            ErrorKind::NeedsRelink
        );
    }
    assert_eq!(linked.sink.count.load(Ordering::SeqCst), 1);
}

/// A `BrowserOpener` that is the browser: it follows the URL it is handed, in the background.
struct ScriptedBrowser;

impl hirebridge_core::auth::BrowserOpener for ScriptedBrowser {
    fn open(&self, url: &Url) -> Result<(), String> {
        let url = url.clone();
        tokio::spawn(async move {
            let redirect = query_param(&url, "redirect_uri").expect("redirect_uri");
            let browser = Browser::new();
            let callback = browser.follow_to(&url, &redirect).await;
            browser.deliver(&callback).await.expect("listener answers");
        });
        Ok(())
    }
}

#[tokio::test]
async fn link_oauth_account_links_through_the_opener_and_refuses_a_taken_label() {
    use hirebridge_core::accounts::{AccountStore, AuthKind};
    use hirebridge_core::auth::{OAuthLinkRequest, link_oauth_account};

    let fake = fake(true).await;
    let accounts = AccountStore::new(hirebridge_core::db::open_in_memory().await.expect("db"));
    let secrets = MemorySecretStore::new();
    let request = OAuthLinkRequest {
        config: config(&fake, Vendor::Lever),
        label: "Acme Lever".into(),
        base_url: Some(vendor_info(&fake, Vendor::Lever).base_url),
        timeout: Duration::from_secs(20),
    };
    let account = link_oauth_account(&accounts, &secrets, request.clone(), &ScriptedBrowser)
        .await
        .expect("linked");
    assert_eq!(
        (account.vendor, account.auth_kind),
        (Vendor::Lever, AuthKind::OAuth)
    );
    assert!(matches!(
        secrets.get(&account.id).expect("read"),
        Some(StoredSecret::OAuth {
            refresh_token: Some(_),
            client_secret: Some(_),
            ..
        })
    ));
    let before = fake.admin().request_log().len();
    let err = link_oauth_account(&accounts, &secrets, request, &ScriptedBrowser)
        .await
        .expect_err("label taken");
    assert_eq!(err.kind, ErrorKind::Conflict);
    assert_eq!(
        fake.admin().request_log().len(),
        before,
        "refused before any sign-in"
    );
}
