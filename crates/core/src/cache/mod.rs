//! The local SQLite cache of unified records, its full-text index and the queries the UI runs.
