//! Small cache reads the recruiter screens need beyond `data_commands`: the current stage of the
//! candidates a list shows, so each row can carry a stage chip.

use hirebridge_core::Error;
use hirebridge_core::cache::stages::{CandidateKey, CandidateStage, stages_of};
use tauri::State;

use crate::state::AppState;

/// The stage of each candidate that has an application; candidates without one are left out.
#[tauri::command]
#[specta::specta]
pub async fn candidate_stages(
    state: State<'_, AppState>,
    keys: Vec<CandidateKey>,
) -> Result<Vec<CandidateStage>, Error> {
    stages_of(&state.services()?.pool, &keys).await
}
