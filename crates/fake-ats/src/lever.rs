//! The fake Lever data API (ats-specs §2). Filled in below the SmartRecruiters milestone.
use crate::{AppState, Config};
use axum::Router;
use axum::http::Method;
pub const SCOPES: &[&str] = &["offline_access"];
#[derive(Debug, Default)]
pub struct Store;
impl Store {
    pub fn generate(_cfg: &Config) -> Store {
        Store
    }
}
pub fn required_scope(_m: &Method, _r: &str) -> Option<&'static str> {
    None
}
pub fn router(_s: AppState) -> Router<AppState> {
    Router::new()
}
