//! Candidate push: validate, find duplicates, create, apply, attach, confirm.
