//! Admin control, in process (`AdminHandle`) and over HTTP (`/admin`).
use crate::AppState;
use axum::Router;
use serde::{Deserialize, Serialize};
#[derive(Clone)]
pub struct AdminHandle {
    state: AppState,
}
impl AdminHandle {
    pub(crate) fn new(state: AppState) -> Self {
        Self { state }
    }
    pub fn log(&self) -> Vec<crate::LogEntry> {
        self.state.log.entries()
    }
}
#[derive(Serialize, Deserialize, Clone, Debug, Default)]
pub struct MutationReport {}
pub fn router() -> Router<AppState> {
    Router::new()
}
