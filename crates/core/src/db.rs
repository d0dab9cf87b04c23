//! Opening the local SQLite database: WAL, foreign keys, migrations.

use std::path::Path;
use std::str::FromStr;
use std::time::Duration;

use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous,
    SqliteTransactionManager,
};
use sqlx::{Connection, SqlitePool, TransactionManager};

use crate::Result;

/// File name of the database inside the data directory.
pub const DB_FILE: &str = "hirebridge.sqlite3";

/// Opens (creating if needed) the database in `data_dir` and brings its schema up to date.
pub async fn open(data_dir: &Path) -> Result<SqlitePool> {
    crate::paths::ensure_private_dir(data_dir)?;
    let options = SqliteConnectOptions::new()
        .filename(data_dir.join(DB_FILE))
        .create_if_missing(true);
    open_with(options, 4).await
}

/// An in-memory database with the full schema, for tests and benchmarks.
pub async fn open_in_memory() -> Result<SqlitePool> {
    let options = SqliteConnectOptions::from_str("sqlite::memory:")?;
    // Each pooled connection to `:memory:` would get its own database: keep exactly one.
    open_with(options, 1).await
}

async fn open_with(options: SqliteConnectOptions, max_connections: u32) -> Result<SqlitePool> {
    let options = options
        .journal_mode(SqliteJournalMode::Wal)
        .synchronous(SqliteSynchronous::Normal)
        .foreign_keys(true)
        .busy_timeout(Duration::from_secs(10));
    let pool = SqlitePoolOptions::new()
        .max_connections(max_connections)
        // When a write fails with SQLITE_FULL (or IOERR), SQLite rolls the transaction back by
        // itself; sqlx's own ROLLBACK then fails and the connection stays marked "in a
        // transaction", so every later `BEGIN` on it fails. Close such a connection instead of
        // pooling it (found by the chaos matrix's disk-full cells). The ping lets the rollback
        // queued on drop finish first.
        .after_release(|conn, _| {
            Box::pin(async move {
                conn.ping().await?;
                Ok(SqliteTransactionManager::get_transaction_depth(conn) == 0)
            })
        })
        .connect_with(options)
        .await?;
    sqlx::migrate!("./migrations").run(&pool).await?;
    Ok(pool)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn opens_a_file_database_in_wal_mode_with_migrations_applied() {
        let tmp = tempfile::tempdir().expect("tempdir");
        let pool = open(tmp.path()).await.expect("opens");
        let mode: String = sqlx::query_scalar("PRAGMA journal_mode")
            .fetch_one(&pool)
            .await
            .expect("pragma");
        assert_eq!(mode, "wal");
        let n: i64 = sqlx::query_scalar("SELECT count(*) FROM accounts")
            .fetch_one(&pool)
            .await
            .expect("accounts table exists");
        assert_eq!(n, 0);
    }
}
