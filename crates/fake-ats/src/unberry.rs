//! The fake Unberry API. Filled in below the SmartRecruiters milestone.
use crate::{AppState, Config};
use axum::Router;
use axum::http::Method;
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
