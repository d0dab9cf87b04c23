//! Demo mode (`--demo`): fake-ats runs in-process on loopback with seeded data, and the Accounts
//! screen offers one demo account per vendor, linked through the same flows as real accounts.
//!
//! `HIREBRIDGE_DEMO_AUTO_CONSENT=1` makes the fake approve consent at once (end-to-end tests);
//! by default a person sees the fake's real consent page in their browser.
//!
//! `HIREBRIDGE_DEMO_OFFLINE_SWITCH=<file>` puts an unpluggable relay in front of the demo
//! servers: while that file exists they cannot be reached, so tests see the app offline.

mod network;

use hirebridge_core::Vendor;
use hirebridge_core::auth::OAuthOverrides;
use hirebridge_core::secrets::Secret;
use serde::Serialize;

/// Environment variable that turns on the fake's automatic OAuth consent.
pub const AUTO_CONSENT_ENV: &str = "HIREBRIDGE_DEMO_AUTO_CONSENT";

/// Environment variable: candidates per vendor in the demo servers (default 300), e.g. 34000
/// for a cache of about 100k candidates across the three demo accounts.
pub const CANDIDATES_ENV: &str = "HIREBRIDGE_DEMO_CANDIDATES";

/// Environment variable naming a file: while it exists, the demo servers refuse connections.
pub const OFFLINE_SWITCH_ENV: &str = "HIREBRIDGE_DEMO_OFFLINE_SWITCH";

/// Fixed, so every demo run shows the same candidates.
const SEED: u64 = 20_261_122;
const CANDIDATES_PER_VENDOR: usize = 300;
const MAX_CANDIDATES_PER_VENDOR: usize = 500_000;

/// How a demo account is linked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, specta::Type)]
pub enum LinkMethod {
    #[serde(rename = "oauth")]
    OAuth,
    #[serde(rename = "api_key")]
    ApiKey,
}

/// One demo account the Accounts screen offers. It carries no secret: the demo key and client
/// secrets stay in Rust.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
pub struct DemoAccount {
    pub vendor: Vendor,
    pub label: String,
    pub method: LinkMethod,
    pub base_url: String,
}

/// The running fake and what it told us about itself.
pub struct Demo {
    fake: fake_ats::RunningFake,
    /// With the offline switch: the fake's origin and the relay's origin that replaces it in
    /// every address the app is given.
    relayed: Option<(String, String)>,
}

impl Demo {
    /// Starts fake-ats on 127.0.0.1 (an ephemeral port) on the current tokio runtime.
    pub async fn start(auto_consent: bool) -> Result<Self, hirebridge_core::Error> {
        let fake = fake_ats::spawn(fake_ats::Config {
            seed: SEED,
            candidates: candidates_from_env(),
            rate_limits: true,
            auto_consent,
            ..Default::default()
        })
        .await
        .map_err(|e| {
            hirebridge_core::Error::internal(format!("The demo servers could not start: {e}"))
        })?;
        let relayed = match std::env::var_os(OFFLINE_SWITCH_ENV).filter(|v| !v.is_empty()) {
            Some(switch) => {
                let relay = network::start_relay(fake.addr(), switch.into())
                    .await
                    .map_err(|e| {
                        hirebridge_core::Error::internal(format!(
                            "The demo network relay could not start: {e}"
                        ))
                    })?;
                Some((format!("http://{}", fake.addr()), format!("http://{relay}")))
            }
            None => None,
        };
        Ok(Self { fake, relayed })
    }

    /// `url` as the app reaches it: through the relay when there is one.
    fn reachable(&self, url: &str) -> String {
        let relayed = self.relayed.as_ref().and_then(|(fake, relay)| {
            url.strip_prefix(fake.as_str())
                .map(|rest| format!("{relay}{rest}"))
        });
        relayed.unwrap_or_else(|| url.to_owned())
    }

    /// Demo accounts of earlier runs point at demo servers that are gone (each run gets a new
    /// port and fresh tokens): they are unlinked, with their keychain entries and cache, so
    /// the Accounts screen never shows an account that cannot work.
    pub async fn forget_earlier_demo_accounts(
        &self,
        accounts: &hirebridge_core::accounts::AccountStore,
        secrets: Option<&dyn hirebridge_core::secrets::SecretStore>,
    ) -> Result<usize, hirebridge_core::Error> {
        let current: Vec<String> = Vendor::ALL.iter().map(|&v| self.base_url(v)).collect();
        let mut forgotten = 0;
        for account in accounts.list().await? {
            if is_loopback(&account.base_url) && !current.contains(&account.base_url) {
                match secrets {
                    Some(secrets) => {
                        accounts.remove(&account.id, secrets).await?;
                    }
                    None => continue,
                }
                forgotten += 1;
            }
        }
        Ok(forgotten)
    }

    /// True when `HIREBRIDGE_DEMO_AUTO_CONSENT` is `1` or `true`.
    pub fn auto_consent_from_env() -> bool {
        std::env::var(AUTO_CONSENT_ENV).is_ok_and(|v| v == "1" || v.eq_ignore_ascii_case("true"))
    }

    fn info(&self, vendor: Vendor) -> &fake_ats::VendorInfo {
        let info = self.fake.info();
        match vendor {
            Vendor::SmartRecruiters => &info.smartrecruiters,
            Vendor::Lever => &info.lever,
            Vendor::Unberry => &info.unberry,
        }
    }

    /// SmartRecruiters and Lever by OAuth, Unberry by API key: between them, every flow.
    pub fn accounts(&self) -> Vec<DemoAccount> {
        Vendor::ALL
            .iter()
            .map(|&vendor| DemoAccount {
                vendor,
                label: format!("Demo {}", vendor.display_name()),
                method: Self::method(vendor),
                base_url: self.base_url(vendor),
            })
            .collect()
    }

    pub fn method(vendor: Vendor) -> LinkMethod {
        match vendor {
            Vendor::SmartRecruiters | Vendor::Lever => LinkMethod::OAuth,
            Vendor::Unberry => LinkMethod::ApiKey,
        }
    }

    /// The vendor's OAuth settings pointed at the fake.
    pub fn oauth_overrides(&self, vendor: Vendor) -> OAuthOverrides {
        let info = self.info(vendor);
        OAuthOverrides {
            // Lever's `audience` derives from this: it names the API, not the route to it, so
            // it stays the fake's own address even when requests go through the relay.
            base_url: Some(info.base_url.clone()),
            authorize_url: Some(self.reachable(&info.oauth.authorize_url)),
            token_url: Some(self.reachable(&info.oauth.token_url)),
            client_id: Some(info.oauth.client_id.clone()),
            client_secret: Some(Secret::new(info.oauth.client_secret.clone())),
            ..Default::default()
        }
    }

    pub fn base_url(&self, vendor: Vendor) -> String {
        self.reachable(&self.info(vendor).base_url)
    }

    /// The fake's admin handle: tests mutate the demo data and read what the vendor holds.
    pub fn admin(&self) -> fake_ats::AdminHandle {
        self.fake.admin()
    }

    /// The fake's API key for `vendor` (the "demo key").
    pub fn api_key(&self, vendor: Vendor) -> Secret {
        Secret::new(self.info(vendor).api_key.clone())
    }
}

/// `HIREBRIDGE_DEMO_CANDIDATES` when it is a number from 1 to 500,000, else 300.
fn candidates_from_env() -> usize {
    std::env::var(CANDIDATES_ENV)
        .ok()
        .and_then(|v| v.trim().parse::<usize>().ok())
        .filter(|n| (1..=MAX_CANDIDATES_PER_VENDOR).contains(n))
        .unwrap_or(CANDIDATES_PER_VENDOR)
}

fn is_loopback(base_url: &str) -> bool {
    hirebridge_core::auth::Url::parse(base_url)
        .ok()
        .and_then(|u| u.host_str().map(str::to_owned))
        .is_some_and(|h| h == "127.0.0.1" || h == "localhost" || h == "[::1]")
}
