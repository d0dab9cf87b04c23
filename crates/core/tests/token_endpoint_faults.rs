//! The token manager refreshing while the vendor's token endpoint misbehaves (fake-ats token
//! faults): a busy or failing endpoint is ridden out with one refresh for every concurrent
//! caller, the rotated pair is stored once, and a failed refresh never touches the stored pair.

mod auth_support;

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use auth_support::{Browser, CountingSink};
use fake_ats::{Config, RunningFake, VendorId, VendorInfo};
use hirebridge_core::auth::{
    NoBrowser, OAuthClientConfig, OAuthFlow, OAuthOverrides, OAuthTokenManager, RedirectMode,
    TokenEndpoint,
};
use hirebridge_core::http::{AuthHeader, CredentialProvider, RetryPolicy};
use hirebridge_core::secrets::{MemorySecretStore, Secret, SecretStore, StoredSecret};
use hirebridge_core::{ErrorKind, Vendor};

/// A keychain that counts writes.
#[derive(Default)]
struct CountingStore {
    inner: MemorySecretStore,
    writes: AtomicUsize,
}

impl SecretStore for CountingStore {
    fn get(&self, id: &str) -> hirebridge_core::Result<Option<StoredSecret>> {
        self.inner.get(id)
    }
    fn set(&self, id: &str, secret: &StoredSecret) -> hirebridge_core::Result<()> {
        self.writes.fetch_add(1, Ordering::SeqCst);
        self.inner.set(id, secret)
    }
    fn delete(&self, id: &str) -> hirebridge_core::Result<()> {
        self.inner.delete(id)
    }
    fn backend_name(&self) -> String {
        self.inner.backend_name()
    }
}

struct Linked {
    fake: RunningFake,
    vendor: Vendor,
    store: Arc<CountingStore>,
    sink: Arc<CountingSink>,
    endpoint: TokenEndpoint,
}

const ACCOUNT: &str = "acct-token-faults";

fn info(fake: &RunningFake, vendor: Vendor) -> VendorInfo {
    let i = fake.info();
    match vendor {
        Vendor::SmartRecruiters => i.smartrecruiters.clone(),
        Vendor::Lever => i.lever.clone(),
        Vendor::Unberry => i.unberry.clone(),
    }
}

fn vendor_id(vendor: Vendor) -> VendorId {
    match vendor {
        Vendor::SmartRecruiters => VendorId::SmartRecruiters,
        Vendor::Lever => VendorId::Lever,
        Vendor::Unberry => VendorId::Unberry,
    }
}

/// Links `vendor` on a fresh fake through the real flow and stores the pair, with its access
/// token already dead at the vendor and expired locally: the next call must refresh.
async fn linked(vendor: Vendor) -> Linked {
    let fake = fake_ats::spawn(Config {
        auto_consent: true,
        candidates: 10,
        rate_limits: false,
        ..Default::default()
    })
    .await
    .expect("fake-ats starts");
    let i = info(&fake, vendor);
    let config = OAuthClientConfig::for_vendor(
        vendor,
        OAuthOverrides {
            base_url: Some(i.base_url.clone()),
            authorize_url: Some(i.oauth.authorize_url.clone()),
            token_url: Some(i.oauth.token_url.clone()),
            client_id: Some(i.oauth.client_id.clone()),
            client_secret: Some(Secret::new(i.oauth.client_secret.clone())),
            ..Default::default()
        },
    )
    .expect("config");
    let (url, pending) = OAuthFlow::start(config.clone(), RedirectMode::Loopback, &NoBrowser)
        .await
        .expect("flow starts");
    let pending = Arc::new(pending);
    let waiter = {
        let pending = pending.clone();
        tokio::spawn(async move { pending.wait(Duration::from_secs(20)).await })
    };
    let browser = Browser::new();
    let callback = browser.follow_to(&url, pending.redirect_uri()).await;
    browser.deliver(&callback).await.expect("answers");
    let mut tokens = waiter.await.expect("joins").expect("linked");
    tokens.expires_at = Some(chrono::Utc::now().timestamp() - 1);
    let store = Arc::new(CountingStore::default());
    store
        .inner
        .set(
            ACCOUNT,
            &tokens.into_stored(Some(Secret::new(i.oauth.client_secret.clone()))),
        )
        .expect("stored");
    fake.admin().expire_tokens(None);
    Linked {
        endpoint: TokenEndpoint {
            vendor,
            token_url: url::Url::parse(&i.oauth.token_url).expect("url"),
            client_id: i.oauth.client_id.clone(),
        },
        fake,
        vendor,
        store,
        sink: Arc::new(CountingSink::default()),
    }
}

impl Linked {
    fn manager(&self, retry: RetryPolicy) -> Arc<OAuthTokenManager> {
        Arc::new(
            OAuthTokenManager::new(
                ACCOUNT,
                self.endpoint.clone(),
                self.store.clone(),
                self.sink.clone(),
            )
            .expect("manager")
            .with_retry(retry),
        )
    }

    fn stored(&self) -> StoredSecret {
        self.store.get(ACCOUNT).expect("read").expect("entry")
    }

    fn refresh_grants(&self) -> u64 {
        self.fake.admin().refresh_grants(vendor_id(self.vendor))
    }

    fn fault(&self, spec: &str) {
        self.fake
            .admin()
            .set_faults(spec.parse().expect("valid fault spec"));
    }

    /// Whether the API takes `token` (a `GET` of one candidate page).
    async fn accepted(&self, token: &Secret) -> bool {
        let url = format!(
            "{}/{}",
            info(&self.fake, self.vendor).base_url,
            match self.vendor {
                Vendor::Lever => "opportunities?limit=1",
                _ => "candidates?limit=1",
            }
        );
        reqwest::Client::new()
            .get(url)
            .bearer_auth(token.expose())
            .send()
            .await
            .expect("answers")
            .status()
            .is_success()
    }
}

fn refresh_of(s: &StoredSecret) -> Option<Secret> {
    match s {
        StoredSecret::OAuth { refresh_token, .. } => refresh_token.clone(),
        StoredSecret::ApiKey { .. } => None,
    }
}

/// Eight callers at once, all needing the refresh.
async fn concurrent(manager: &Arc<OAuthTokenManager>) -> Vec<hirebridge_core::Result<AuthHeader>> {
    let calls: Vec<_> = (0..8)
        .map(|_| {
            let m = manager.clone();
            tokio::spawn(async move { m.current().await })
        })
        .collect();
    let mut out = Vec::new();
    for c in calls {
        out.push(c.await.expect("joins"));
    }
    out
}

#[tokio::test]
async fn a_busy_or_failing_token_endpoint_is_ridden_out_with_one_refresh() {
    for spec in [
        "token-429=3,token-retry-after=1",
        "token-429=3",
        "token-5xx=3",
        "token-reset=2",
        "token-latency=1500ms",
    ] {
        let linked = linked(Vendor::Lever).await;
        let before = refresh_of(&linked.stored()).expect("a refresh token");
        let manager = linked.manager(RetryPolicy::default());
        linked.fault(spec);
        let results = concurrent(&manager).await;
        let headers: Vec<AuthHeader> = results
            .into_iter()
            .map(|r| r.unwrap_or_else(|e| panic!("{spec}: the call failed: {e:?}")))
            .collect();
        assert!(headers.iter().all(|h| h == &headers[0]), "{spec}");
        assert_eq!(
            linked.refresh_grants(),
            1,
            "{spec}: one refresh reached Lever"
        );
        assert_eq!(
            linked.store.writes.load(Ordering::SeqCst),
            1,
            "{spec}: the rotated pair is stored once"
        );
        let after = refresh_of(&linked.stored()).expect("a refresh token");
        assert_ne!(
            after, before,
            "{spec}: the rotated refresh token was stored"
        );
        let AuthHeader::Bearer(token) = &headers[0] else {
            panic!("a bearer")
        };
        assert!(linked.accepted(token).await, "{spec}: the new token works");
        assert_eq!(linked.sink.count.load(Ordering::SeqCst), 0, "{spec}");
    }
}

#[tokio::test]
async fn a_token_endpoint_that_stays_down_fails_plainly_and_keeps_the_stored_pair() {
    let linked = linked(Vendor::Unberry).await;
    let before = linked.stored();
    let quick = RetryPolicy {
        max_attempts: 3,
        base_delay: Duration::from_millis(10),
        max_delay: Duration::from_millis(20),
        max_retry_after: Duration::from_millis(20),
        rate_limit_budget: Duration::from_millis(200),
    };
    let manager = linked.manager(quick);
    linked.fault("token-5xx=1000");
    let err = manager.current().await.expect_err("the endpoint is down");
    assert_eq!(err.kind, ErrorKind::Vendor, "{err:?}");
    assert_eq!(err.status, Some(503));
    assert!(
        err.message.contains("Unberry") && err.message.contains("try again"),
        "{}",
        err.message
    );
    assert!(!err.message.contains("OAuth settings"), "{}", err.message);
    linked.fault("token-429=1000");
    let err = manager.current().await.expect_err("still busy");
    assert_eq!(err.kind, ErrorKind::RateLimited, "{err:?}");
    assert_eq!(linked.stored(), before, "a failed refresh wrote nothing");
    assert_eq!(linked.store.writes.load(Ordering::SeqCst), 0);
    assert_eq!(
        linked.sink.count.load(Ordering::SeqCst),
        0,
        "no re-link asked"
    );

    linked.fake.admin().clear_faults();
    let AuthHeader::Bearer(token) = manager.current().await.expect("works once it is back") else {
        panic!("a bearer")
    };
    assert!(linked.accepted(&token).await);
}

#[tokio::test]
async fn a_cut_refresh_answer_is_retried_where_the_token_was_not_rotated() {
    // SmartRecruiters keeps its refresh token: asking again with it works.
    let linked = linked(Vendor::SmartRecruiters).await;
    let before = refresh_of(&linked.stored());
    let manager = linked.manager(RetryPolicy::default());
    linked.fault("token-truncate=1");
    let results = concurrent(&manager).await;
    assert!(results.iter().all(Result::is_ok), "{results:?}");
    assert_eq!(linked.refresh_grants(), 2, "the cut one and its retry");
    assert_eq!(linked.store.writes.load(Ordering::SeqCst), 1);
    assert_eq!(refresh_of(&linked.stored()), before);
}

#[tokio::test]
async fn a_cut_answer_after_rotation_asks_for_a_relink_without_touching_the_stored_pair() {
    // Lever rotated the refresh token in the answer that was cut: the retired one is refused
    // (a replay, so Lever revokes the grant). Nothing can save the grant; the user is told to
    // link again, and the stored pair is left as it was.
    let linked = linked(Vendor::Lever).await;
    let before = linked.stored();
    let manager = linked.manager(RetryPolicy::default());
    linked.fault("token-truncate=1");
    let results = concurrent(&manager).await;
    for r in &results {
        let err = r.as_ref().expect_err("needs relink");
        assert_eq!(err.kind, ErrorKind::NeedsRelink);
        assert!(
            err.message.contains("Link the account again"),
            "{}",
            err.message
        );
    }
    assert_eq!(
        linked.refresh_grants(),
        2,
        "the cut one and one retry, no more"
    );
    assert_eq!(linked.stored(), before);
    assert_eq!(linked.store.writes.load(Ordering::SeqCst), 0);
    assert_eq!(linked.sink.count.load(Ordering::SeqCst), 1);
}
