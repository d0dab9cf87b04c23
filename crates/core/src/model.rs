//! Unified ATS and User Directory model (after Truto's schemas). Filled in by the connectors issue.
