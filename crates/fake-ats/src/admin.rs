//! Admin control of a running fake, in process (`AdminHandle`) and over HTTP under `admin_url`:
//! simulated recruiter activity, faults, token revocation/expiry, and the request log.

use std::sync::atomic::Ordering;

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::{Deserialize, Serialize};
use serde_json::json;

use crate::util::write;
use crate::{AppState, FaultSpec, LogEntry, ServeInfo, VendorId, seeddata};

/// Ids touched by one mutation round, per kind. Lever ids are opportunity ids; Unberry `moved` holds
/// application ids and the other lists candidate ids; SmartRecruiters ids are candidate ids.
#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq)]
pub struct VendorChanges {
    pub moved: Vec<String>,
    pub edited: Vec<String>,
    pub deleted: Vec<String>,
    pub created: Vec<String>,
}

impl VendorChanges {
    pub fn total(&self) -> usize {
        self.moved.len() + self.edited.len() + self.deleted.len() + self.created.len()
    }
}

#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq)]
pub struct MutationReport {
    pub smartrecruiters: VendorChanges,
    pub lever: VendorChanges,
    pub unberry: VendorChanges,
}

/// The kind of change one simulated recruiter action makes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Change {
    Move,
    Edit,
    Delete,
    Create,
}

impl Change {
    /// 40% stage moves, 25% edits, 15% deletions, 20% new candidates.
    pub fn pick<R: rand::Rng>(rng: &mut R) -> Change {
        match rng.random_range(0..100) {
            0..40 => Change::Move,
            40..65 => Change::Edit,
            65..80 => Change::Delete,
            _ => Change::Create,
        }
    }
}

/// In-process control of a running fake.
#[derive(Clone)]
pub struct AdminHandle {
    state: AppState,
}

impl AdminHandle {
    pub(crate) fn new(state: AppState) -> Self {
        Self { state }
    }

    pub fn info(&self) -> &ServeInfo {
        &self.state.info
    }

    /// Apply `count` random changes to each selected vendor (all when `vendor` is `None`). Rounds are
    /// deterministic for a given seed: the n-th call of a run always makes the same choices.
    pub fn mutate(&self, vendor: Option<VendorId>, count: usize) -> MutationReport {
        let st = &self.state;
        let round = st.mutation_rounds.fetch_add(1, Ordering::SeqCst);
        let mut report = MutationReport::default();
        for v in VendorId::ALL
            .into_iter()
            .filter(|v| vendor.is_none_or(|x| x == *v))
        {
            let mut rng = seeddata::rng_for(st.config.seed ^ 0xAD31, 1000 + round * 3 + v as u64);
            match v {
                VendorId::SmartRecruiters => {
                    write(&st.sr).mutate(&mut rng, count, &st.clock, &mut report.smartrecruiters)
                }
                VendorId::Lever => {
                    write(&st.lever).mutate(&mut rng, count, &st.clock, &mut report.lever)
                }
                VendorId::Unberry => {
                    write(&st.unberry).mutate(&mut rng, count, &st.clock, &mut report.unberry)
                }
            }
        }
        report
    }

    pub fn set_faults(&self, spec: FaultSpec) {
        self.state.faults.set(spec);
    }
    pub fn faults(&self) -> FaultSpec {
        self.state.faults.current()
    }
    pub fn clear_faults(&self) {
        self.state.faults.set(FaultSpec::default());
    }

    /// Revoke every OAuth grant (access and refresh tokens) of a vendor, or of all. Returns how many.
    pub fn revoke_tokens(&self, vendor: Option<VendorId>) -> usize {
        self.state.oauth.revoke(vendor)
    }
    /// Expire every live access token now (refresh tokens keep working). Returns how many.
    pub fn expire_tokens(&self, vendor: Option<VendorId>) -> usize {
        self.state
            .oauth
            .expire_access_tokens(vendor, self.state.clock.now_ms())
    }
    /// Refresh-token grant requests of `vendor` that reached its token logic (see `oauth`).
    pub fn refresh_grants(&self, vendor: VendorId) -> u64 {
        self.state.oauth.refresh_grants(vendor)
    }
    /// Register one more OAuth redirect URI for every vendor's client.
    pub fn add_redirect_uri(&self, uri: &str) {
        self.state.oauth.add_redirect_uri(uri);
    }

    /// Ids of the live candidate records (SmartRecruiters candidates, Lever opportunities, Unberry
    /// candidates), in the order the list endpoints return them.
    pub fn candidate_ids(&self, vendor: VendorId) -> Vec<String> {
        match vendor {
            VendorId::SmartRecruiters => crate::sr::live_ids(&self.state),
            VendorId::Lever => crate::lever::live_ids(&self.state),
            VendorId::Unberry => crate::unberry::live_ids(&self.state),
        }
    }

    /// One live candidate record exactly as the vendor's single-record endpoint renders it.
    pub fn record(&self, vendor: VendorId, id: &str) -> Option<serde_json::Value> {
        match vendor {
            VendorId::SmartRecruiters => crate::sr::record_json(&self.state, id),
            VendorId::Lever => crate::lever::record_json(&self.state, id),
            VendorId::Unberry => crate::unberry::record_json(&self.state, id),
        }
    }

    pub fn request_log(&self) -> Vec<LogEntry> {
        self.state.log.entries()
    }
    pub fn clear_request_log(&self) {
        self.state.log.clear();
    }
}

#[derive(Deserialize, Default)]
struct VendorBody {
    #[serde(default)]
    vendor: Option<String>,
    #[serde(default)]
    count: Option<usize>,
}

fn vendor_of(b: &VendorBody) -> Result<Option<VendorId>, Response> {
    match b.vendor.as_deref() {
        None | Some("") | Some("all") => Ok(None),
        Some(v) => VendorId::from_name(v).map(Some).ok_or_else(|| {
            (
                StatusCode::BAD_REQUEST,
                Json(json!({"error": format!("unknown vendor {v}")})),
            )
                .into_response()
        }),
    }
}

fn handle(st: AppState) -> AdminHandle {
    AdminHandle::new(st)
}

async fn info(State(st): State<AppState>) -> Json<ServeInfo> {
    Json(st.info.clone())
}

async fn get_log(State(st): State<AppState>) -> Json<Vec<LogEntry>> {
    Json(handle(st).request_log())
}

async fn clear_log(State(st): State<AppState>) -> StatusCode {
    handle(st).clear_request_log();
    StatusCode::NO_CONTENT
}

async fn get_faults(State(st): State<AppState>) -> Response {
    let spec = handle(st).faults();
    Json(json!({"spec": spec.to_string(), "faults": spec})).into_response()
}

/// Body: `{"spec": "429burst=2,retry-after=1"}` or a `FaultSpec` object.
async fn put_faults(State(st): State<AppState>, body: String) -> Response {
    let parsed: Result<FaultSpec, String> = match serde_json::from_str::<serde_json::Value>(&body) {
        Ok(v) => match v.get("spec").and_then(|s| s.as_str()) {
            Some(s) => s.parse().map_err(|e: crate::FaultSpecError| e.to_string()),
            None => serde_json::from_value(v).map_err(|e| e.to_string()),
        },
        Err(_) => body
            .trim()
            .parse()
            .map_err(|e: crate::FaultSpecError| e.to_string()),
    };
    match parsed {
        Ok(spec) => {
            handle(st).set_faults(spec.clone());
            Json(json!({"spec": spec.to_string(), "faults": spec})).into_response()
        }
        Err(e) => (StatusCode::BAD_REQUEST, Json(json!({"error": e}))).into_response(),
    }
}

async fn clear_faults(State(st): State<AppState>) -> StatusCode {
    handle(st).clear_faults();
    StatusCode::NO_CONTENT
}

async fn mutate(State(st): State<AppState>, body: Option<Json<VendorBody>>) -> Response {
    let b = body.map(|Json(b)| b).unwrap_or_default();
    let vendor = match vendor_of(&b) {
        Ok(v) => v,
        Err(e) => return e,
    };
    Json(handle(st).mutate(vendor, b.count.unwrap_or(10))).into_response()
}

async fn revoke(State(st): State<AppState>, body: Option<Json<VendorBody>>) -> Response {
    let b = body.map(|Json(b)| b).unwrap_or_default();
    match vendor_of(&b) {
        Ok(v) => Json(json!({"revoked": handle(st).revoke_tokens(v)})).into_response(),
        Err(e) => e,
    }
}

async fn expire(State(st): State<AppState>, body: Option<Json<VendorBody>>) -> Response {
    let b = body.map(|Json(b)| b).unwrap_or_default();
    match vendor_of(&b) {
        Ok(v) => Json(json!({"expired": handle(st).expire_tokens(v)})).into_response(),
        Err(e) => e,
    }
}

async fn refresh_grants(State(st): State<AppState>) -> Json<serde_json::Value> {
    let h = handle(st);
    let mut out = serde_json::Map::new();
    for v in VendorId::ALL {
        out.insert(v.name().to_owned(), json!(h.refresh_grants(v)));
    }
    Json(serde_json::Value::Object(out))
}

#[derive(Deserialize)]
struct RedirectBody {
    uri: String,
}

async fn add_redirect(State(st): State<AppState>, Json(b): Json<RedirectBody>) -> StatusCode {
    handle(st).add_redirect_uri(&b.uri);
    StatusCode::NO_CONTENT
}

async fn record_ids(State(st): State<AppState>, Path(vendor): Path<String>) -> Response {
    match VendorId::from_name(&vendor) {
        Some(v) => Json(handle(st).candidate_ids(v)).into_response(),
        None => (
            StatusCode::NOT_FOUND,
            Json(json!({"error": format!("unknown vendor {vendor}")})),
        )
            .into_response(),
    }
}

async fn record(
    State(st): State<AppState>,
    Path((vendor, id)): Path<(String, String)>,
) -> Response {
    match VendorId::from_name(&vendor).and_then(|v| handle(st).record(v, &id)) {
        Some(r) => Json(r).into_response(),
        None => (
            StatusCode::NOT_FOUND,
            Json(json!({"error": "no such record"})),
        )
            .into_response(),
    }
}

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/records/{vendor}", get(record_ids))
        .route("/records/{vendor}/{id}", get(record))
        .route("/info", get(info))
        .route("/log", get(get_log).delete(clear_log))
        .route(
            "/faults",
            get(get_faults).put(put_faults).delete(clear_faults),
        )
        .route("/mutate", post(mutate))
        .route("/tokens/revoke", post(revoke))
        .route("/tokens/expire", post(expire))
        .route("/tokens/refreshes", get(refresh_grants))
        .route("/redirect-uris", post(add_redirect))
}
