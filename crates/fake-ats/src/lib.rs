//! Faithful fake SmartRecruiters, Lever and Unberry servers (and their OAuth servers), built from
//! `shared/ats-specs`. One axum server, one route prefix per vendor, deterministic seeded data.
//!
//! ```no_run
//! # async fn demo() -> anyhow::Result<()> {
//! let fake = fake_ats::spawn(fake_ats::Config { candidates: 1000, ..Default::default() }).await?;
//! println!("{}", fake.info().smartrecruiters.base_url);
//! fake.shutdown().await;
//! # Ok(()) }
//! ```

// Handlers return an axum `Response` as the error of small helpers so they can `return` it as is;
// boxing it everywhere would only add noise to a test server.
#![allow(clippy::result_large_err)]

pub mod admin;
mod conn;
pub mod faults;
mod gate;
pub mod lever;
pub mod oauth;
pub mod pdf;
mod ratelimit;
pub mod reqlog;
pub mod seeddata;
pub mod sr;
pub mod unberry;
pub mod util;

use std::net::SocketAddr;
use std::sync::{Arc, RwLock};

use axum::Router;
use axum::middleware::from_fn_with_state;
use serde::{Deserialize, Serialize};
use tokio::sync::oneshot;

pub use admin::{AdminHandle, MutationReport};
pub use faults::{FaultSpec, FaultSpecError};
pub use reqlog::LogEntry;

/// Everything a run of the fake is built from.
#[derive(Clone, Debug)]
pub struct Config {
    pub addr: SocketAddr,
    pub seed: u64,
    /// Candidates per vendor (SmartRecruiters candidates, Lever opportunities, Unberry candidates).
    pub candidates: usize,
    pub jobs: usize,
    pub users: usize,
    /// Enforce the vendors' rate limits (SmartRecruiters still sends its `X-RateLimit-*` headers when off).
    pub rate_limits: bool,
    pub faults: FaultSpec,
    /// Approve every OAuth authorize request at once instead of showing the consent form.
    pub auto_consent: bool,
}

impl Default for Config {
    fn default() -> Self {
        Self {
            addr: SocketAddr::from(([127, 0, 0, 1], 0)),
            seed: 42,
            candidates: 200,
            jobs: 12,
            users: 15,
            rate_limits: true,
            faults: FaultSpec::default(),
            auto_consent: false,
        }
    }
}

#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct ServeInfo {
    pub smartrecruiters: VendorInfo,
    pub lever: VendorInfo,
    pub unberry: VendorInfo,
    pub admin_url: String,
}

#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct VendorInfo {
    pub base_url: String,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub users_base_url: Option<String>,
    pub api_key: String,
    pub oauth: OAuthInfo,
}

#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct OAuthInfo {
    pub authorize_url: String,
    pub token_url: String,
    pub client_id: String,
    pub client_secret: String,
}

/// The three vendors the fake plays.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum VendorId {
    SmartRecruiters,
    Lever,
    Unberry,
}

impl VendorId {
    pub const ALL: [VendorId; 3] = [
        VendorId::SmartRecruiters,
        VendorId::Lever,
        VendorId::Unberry,
    ];

    pub fn name(self) -> &'static str {
        match self {
            VendorId::SmartRecruiters => "smartrecruiters",
            VendorId::Lever => "lever",
            VendorId::Unberry => "unberry",
        }
    }
    pub fn display_name(self) -> &'static str {
        match self {
            VendorId::SmartRecruiters => "SmartRecruiters",
            VendorId::Lever => "Lever",
            VendorId::Unberry => "Unberry",
        }
    }
    pub fn from_name(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|v| v.name() == s)
    }
}

/// Shared server state (opaque outside the crate).
pub struct Inner {
    pub(crate) config: Config,
    pub(crate) info: ServeInfo,
    pub(crate) sr: RwLock<sr::Store>,
    pub(crate) lever: RwLock<lever::Store>,
    pub(crate) unberry: RwLock<unberry::Store>,
    pub(crate) oauth: oauth::OAuth,
    pub(crate) faults: faults::Faults,
    pub(crate) log: reqlog::RequestLog,
    pub(crate) limits: ratelimit::Limits,
    pub(crate) clock: util::Clock,
    pub(crate) mutation_rounds: std::sync::atomic::AtomicU64,
}

#[derive(Clone)]
pub struct AppState(pub(crate) Arc<Inner>);

impl std::ops::Deref for AppState {
    type Target = Inner;
    fn deref(&self) -> &Inner {
        &self.0
    }
}

impl Inner {
    pub(crate) fn info_of(&self, v: VendorId) -> &VendorInfo {
        match v {
            VendorId::SmartRecruiters => &self.info.smartrecruiters,
            VendorId::Lever => &self.info.lever,
            VendorId::Unberry => &self.info.unberry,
        }
    }
}

/// Credentials are derived from the seed, so a demo can be restarted with the same keys.
fn serve_info(seed: u64, root: &str) -> ServeInfo {
    use rand::Rng;
    let mut rng = seeddata::rng_for(seed, 0xC0FFEE);
    let mut hex = |n| util::hex_id(&mut rng, n);
    let sr_key = format!("DCRA1-{}", hex(16));
    let lever_key = hex(24);
    let unberry_key = format!("ub_live_{}", hex(16));
    let mut rng2 = seeddata::rng_for(seed, 0xC11E17);
    let mut client = |prefix: &str| OAuthInfo {
        authorize_url: String::new(),
        token_url: String::new(),
        client_id: format!("{prefix}-{:016x}", rng2.random::<u64>()),
        client_secret: util::hex_id(&mut rng2, 24),
    };
    let sr_base = format!("{root}/smartrecruiters");
    let lever_root = format!("{root}/lever");
    let ub_root = format!("{root}/unberry");
    ServeInfo {
        smartrecruiters: VendorInfo {
            users_base_url: Some(format!("{sr_base}/user-api/v201804")),
            api_key: sr_key,
            oauth: OAuthInfo {
                authorize_url: format!("{sr_base}/identity/oauth/allow"),
                token_url: format!("{sr_base}/identity/oauth/token"),
                ..client("sr")
            },
            base_url: sr_base,
        },
        lever: VendorInfo {
            base_url: format!("{lever_root}/v1"),
            users_base_url: None,
            api_key: lever_key,
            oauth: OAuthInfo {
                authorize_url: format!("{lever_root}/authorize"),
                token_url: format!("{lever_root}/oauth/token"),
                ..client("lever")
            },
        },
        unberry: VendorInfo {
            base_url: format!("{ub_root}/v1"),
            users_base_url: None,
            api_key: unberry_key,
            oauth: OAuthInfo {
                authorize_url: format!("{ub_root}/oauth/authorize"),
                token_url: format!("{ub_root}/oauth/token"),
                ..client("ub")
            },
        },
        admin_url: format!("{root}/admin"),
    }
}

/// A fake server running on the current tokio runtime.
pub struct RunningFake {
    state: AppState,
    shutdown: Option<oneshot::Sender<()>>,
    task: tokio::task::JoinHandle<()>,
}

impl RunningFake {
    pub fn info(&self) -> &ServeInfo {
        &self.state.info
    }
    pub fn admin(&self) -> AdminHandle {
        AdminHandle::new(self.state.clone())
    }
    pub fn addr(&self) -> SocketAddr {
        self.state.config.addr
    }
    pub async fn shutdown(mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        self.task.abort();
        let _ = (&mut self.task).await;
    }
}

impl Drop for RunningFake {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// Generate the data, bind `config.addr`, and serve on the current tokio runtime.
pub async fn spawn(mut config: Config) -> anyhow::Result<RunningFake> {
    let listener = tokio::net::TcpListener::bind(config.addr).await?;
    let addr = listener.local_addr()?;
    config.addr = addr;
    let root = format!("http://{addr}");
    let info = serve_info(config.seed, &root);

    let cfg = config.clone();
    let (sr_store, lever_store, ub_store) = tokio::task::spawn_blocking(move || {
        std::thread::scope(|s| {
            let a = s.spawn(|| sr::Store::generate(&cfg));
            let b = s.spawn(|| lever::Store::generate(&cfg));
            let c = unberry::Store::generate(&cfg);
            let a = a
                .join()
                .map_err(|_| anyhow::anyhow!("SmartRecruiters data generation panicked"))?;
            let b = b
                .join()
                .map_err(|_| anyhow::anyhow!("Lever data generation panicked"))?;
            anyhow::Ok((a, b, c))
        })
    })
    .await??;

    let state = AppState(Arc::new(Inner {
        faults: faults::Faults::new(config.faults.clone()),
        config,
        info,
        sr: RwLock::new(sr_store),
        lever: RwLock::new(lever_store),
        unberry: RwLock::new(ub_store),
        oauth: oauth::OAuth::default(),
        log: reqlog::RequestLog::default(),
        limits: ratelimit::Limits::default(),
        clock: util::Clock::default(),
        mutation_rounds: std::sync::atomic::AtomicU64::new(0),
    }));

    let app = router(state.clone());
    let (tx, rx) = oneshot::channel::<()>();
    let listener = conn::FaultListener::new(listener);
    let task = tokio::spawn(async move {
        let service = app.into_make_service_with_connect_info::<conn::ConnCtl>();
        let served = axum::serve(listener, service)
            .with_graceful_shutdown(async move {
                let _ = rx.await;
            })
            .await;
        if let Err(e) = served {
            tracing::error!("fake-ats server stopped: {e}");
        }
    });
    tracing::info!(%addr, "fake-ats listening");
    Ok(RunningFake {
        state,
        shutdown: Some(tx),
        task,
    })
}

fn router(state: AppState) -> Router {
    Router::new()
        .nest("/smartrecruiters", sr::router(state.clone()))
        .nest("/lever", lever::router(state.clone()))
        .nest("/unberry", unberry::router(state.clone()))
        .nest("/admin", admin::router())
        // Lever allows 30 MB files; leave room for multipart framing.
        .layer(axum::extract::DefaultBodyLimit::max(
            lever::MAX_UPLOAD_BYTES + 1024 * 1024,
        ))
        .fallback(not_found)
        .layer(from_fn_with_state(state.clone(), reqlog::record))
        .with_state(state)
}

/// Unknown paths get a 404 in the vendor's own error shape.
async fn not_found(uri: axum::http::Uri) -> axum::response::Response {
    use axum::response::IntoResponse;
    let path = uri.path();
    let vendor = VendorId::ALL
        .into_iter()
        .find(|v| path.starts_with(&format!("/{}/", v.name())));
    match vendor {
        Some(v) => {
            let code = match v {
                VendorId::SmartRecruiters => "NOT_FOUND",
                VendorId::Lever => "ResourceNotFound",
                VendorId::Unberry => "not_found",
            };
            gate::vendor_error(
                v,
                axum::http::StatusCode::NOT_FOUND,
                code,
                &format!("No route for {path}"),
            )
        }
        None => axum::http::StatusCode::NOT_FOUND.into_response(),
    }
}
