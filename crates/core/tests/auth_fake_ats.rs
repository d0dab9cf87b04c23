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
        candidates: 5,
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
        .log()
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
    for entry in fake.admin().log() {
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
