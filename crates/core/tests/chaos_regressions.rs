//! Regressions found by `cargo xtask chaos`: the fault matrix and the fuzz targets. Each test
//! names the cell or the fuzz input that found the bug.

use std::time::Duration;

use hirebridge_core::{Error, ErrorKind};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode};
use sqlx::{ConnectOptions, Connection};

/// Matrix cells "disk full × sync": SQLite's "database or disk is full" reached the user as
/// "Local cache error: error returned from database: (code: 13) …", which does not say what to do.
#[tokio::test]
async fn a_full_disk_tells_the_user_to_free_space() {
    let mut conn = SqliteConnectOptions::new()
        .in_memory(true)
        .pragma("max_page_count", "8")
        .connect()
        .await
        .expect("in-memory db");
    sqlx::query("CREATE TABLE t(b BLOB)")
        .execute(&mut conn)
        .await
        .expect("table");
    let err = loop {
        if let Err(e) = sqlx::query("INSERT INTO t VALUES (zeroblob(4000))")
            .execute(&mut conn)
            .await
        {
            break Error::from(e);
        }
    };
    assert_eq!(err.kind, ErrorKind::Storage);
    assert!(
        err.message.contains("Free some disk space"),
        "{}",
        err.message
    );
}

/// Matrix cells "SQLite locked by another process": the raw "(code: 5) database is locked".
#[tokio::test]
async fn a_cache_locked_by_another_program_says_so() {
    let dir = tempfile::tempdir().expect("tempdir");
    let options = SqliteConnectOptions::new()
        .filename(dir.path().join("db.sqlite3"))
        .create_if_missing(true)
        .journal_mode(SqliteJournalMode::Wal)
        .busy_timeout(Duration::ZERO);
    let mut holder = options.clone().connect().await.expect("holder");
    sqlx::query("CREATE TABLE t(x)")
        .execute(&mut holder)
        .await
        .expect("table");
    sqlx::query("BEGIN EXCLUSIVE")
        .execute(&mut holder)
        .await
        .expect("lock");
    let mut writer = options.connect().await.expect("writer");
    let err = Error::from(
        sqlx::query("INSERT INTO t VALUES (1)")
            .execute(&mut writer)
            .await
            .expect_err("the lock is held"),
    );
    assert_eq!(err.kind, ErrorKind::Storage);
    assert!(
        err.message.contains("locked by another program"),
        "{}",
        err.message
    );
    holder.close().await.expect("close");
}
