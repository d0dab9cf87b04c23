//! Opening the local SQLite database: WAL, foreign keys, migrations.

use std::collections::HashMap;
use std::ops::{Deref, DerefMut};
use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::sync::{Arc, Mutex, OnceLock, PoisonError};
use std::time::{Duration, Instant};

use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous,
    SqliteTransactionManager,
};
use sqlx::{Connection, Sqlite, SqliteConnection, SqlitePool, Transaction, TransactionManager};
use tokio::sync::{Mutex as AsyncMutex, OwnedMutexGuard};

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
        // New caches only (an existing file keeps its page size): a candidate row with its JSON
        // is a few KiB, and larger pages mean fewer overflow pages and B-tree splits per write.
        .page_size(16384)
        .busy_timeout(Duration::from_secs(10))
        // A sync rewrites index pages all over the cache: with the default 2 MiB page cache,
        // copying pages back from the OS was the largest cost of a sync in profiles. 32 MiB
        // per connection (an upper bound, used as needed); sorts' temp b-trees stay in memory.
        .pragma("cache_size", "-32768")
        .pragma("temp_store", "memory")
        // Checkpoint every 2,048 pages (32 MiB at the 16 KiB pages of new caches) rather than
        // SQLite's 1,000: an index page a sync rewrites in many transactions is copied back
        // once per checkpoint. Below WAL_LIMIT_BYTES, which bounds the file.
        .pragma("wal_autocheckpoint", "2048")
        // After a checkpoint resets the WAL, truncate the file back to this size.
        .pragma("journal_size_limit", WAL_LIMIT_BYTES.to_string());
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

/// Once the WAL file passes this size, the writer that just committed checkpoints it and
/// truncates it. SQLite's own auto-checkpoint (PASSIVE) cannot reset the WAL while readers keep
/// starting, so with searches running every few milliseconds during a long sync it grew to 4 GB
/// in the 1M load run.
const WAL_LIMIT_BYTES: u64 = 64 * 1024 * 1024;

/// How long to leave the WAL alone after a checkpoint could not reset it (a long reader).
const CHECKPOINT_RETRY_AFTER: Duration = Duration::from_secs(5);

/// A write transaction on the cache. Writers in this process take turns (first come, first
/// served) before `BEGIN IMMEDIATE`: several accounts syncing at once, a push and a stage move
/// then wait for each other for as long as it takes, instead of racing for SQLite's lock and
/// failing with SQLITE_BUSY once the busy timeout runs out behind a long page group (seen in the
/// 1M load run). The busy timeout still covers other processes (the CLI beside the app).
pub struct WriteTransaction {
    tx: Transaction<'static, Sqlite>,
    pool: SqlitePool,
    turn: OwnedMutexGuard<WriterTurn>,
}

/// What the writers of one database share besides their queue.
#[derive(Default)]
struct WriterTurn {
    checkpoint_blocked_at: Option<Instant>,
}

impl WriteTransaction {
    pub async fn commit(mut self) -> Result<()> {
        self.tx.commit().await?;
        // Still this writer's turn: no other writer of this process appends to the WAL meanwhile.
        bound_wal(&self.pool, &mut self.turn, WAL_LIMIT_BYTES).await;
        Ok(())
    }
}

/// Checkpoints and truncates the WAL when it has grown past `limit`. Best effort: a failure here
/// loses nothing (the committed frames stay in the WAL) and is retried after a pause.
async fn bound_wal(pool: &SqlitePool, turn: &mut WriterTurn, limit: u64) {
    let Some(wal) = wal_path(pool) else { return };
    let size = std::fs::metadata(&wal).map(|m| m.len()).unwrap_or(0);
    if size <= limit
        || turn
            .checkpoint_blocked_at
            .is_some_and(|at| at.elapsed() < CHECKPOINT_RETRY_AFTER)
    {
        return;
    }
    // TRUNCATE waits (busy timeout) for readers still on old WAL frames; readers that start
    // after the copy read the database file, so a stream of short searches cannot starve it.
    let busy: std::result::Result<(i64, i64, i64), _> =
        sqlx::query_as("PRAGMA wal_checkpoint(TRUNCATE)")
            .fetch_one(pool)
            .await;
    turn.checkpoint_blocked_at = match busy {
        Ok((0, _, _)) => None,
        _ => Some(Instant::now()),
    };
}

/// The database file behind `pool`; none for an in-memory database.
fn database_file(pool: &SqlitePool) -> Option<PathBuf> {
    let file = pool.connect_options().get_filename().to_owned();
    (!file.as_os_str().is_empty() && file != Path::new(":memory:")).then_some(file)
}

fn wal_path(pool: &SqlitePool) -> Option<PathBuf> {
    let mut wal = database_file(pool)?.into_os_string();
    wal.push("-wal");
    Some(PathBuf::from(wal))
}

impl Deref for WriteTransaction {
    type Target = SqliteConnection;
    fn deref(&self) -> &SqliteConnection {
        &self.tx
    }
}

impl DerefMut for WriteTransaction {
    fn deref_mut(&mut self) -> &mut SqliteConnection {
        &mut self.tx
    }
}

/// Waits for this process's turn to write to `pool`'s database, then begins the transaction
/// (`BEGIN IMMEDIATE`: the write lock is taken up front, so reading first cannot make a later
/// write fail with SQLITE_BUSY).
pub async fn begin_write(pool: &SqlitePool) -> Result<WriteTransaction> {
    let turn = writer_queue(pool).lock_owned().await;
    let tx = pool.begin_with("BEGIN IMMEDIATE").await?;
    Ok(WriteTransaction {
        tx,
        pool: pool.clone(),
        turn,
    })
}

/// One queue per database file. An in-memory database has one connection, which already
/// serializes its writers, so it gets a queue of its own.
fn writer_queue(pool: &SqlitePool) -> Arc<AsyncMutex<WriterTurn>> {
    static QUEUES: OnceLock<Mutex<HashMap<PathBuf, Arc<AsyncMutex<WriterTurn>>>>> = OnceLock::new();
    let Some(file) = database_file(pool) else {
        return Arc::default();
    };
    let mut queues = QUEUES
        .get_or_init(Default::default)
        .lock()
        .unwrap_or_else(PoisonError::into_inner);
    queues.entry(file).or_default().clone()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn writers_take_turns_without_holding_a_connection_while_they_wait() {
        let tmp = tempfile::tempdir().expect("tempdir");
        let pool = open(tmp.path()).await.expect("opens");
        let mut first = begin_write(&pool).await.expect("first writer");
        sqlx::query("CREATE TABLE turns (n INTEGER)")
            .execute(&mut *first)
            .await
            .expect("create");

        let second_pool = pool.clone();
        let second = tokio::spawn(async move {
            let mut tx = begin_write(&second_pool).await?;
            sqlx::query("INSERT INTO turns VALUES (2)")
                .execute(&mut *tx)
                .await?;
            tx.commit().await
        });
        tokio::time::sleep(Duration::from_millis(300)).await;
        assert!(
            !second.is_finished(),
            "the second writer waits for its turn"
        );
        // Counting idle connections races with sqlx returning one to the pool (its
        // `after_release` ping runs in the background); taking every connection the first
        // writer leaves does not.
        let mut readers = Vec::new();
        for _ in 1..pool.options().get_max_connections() {
            let reader = tokio::time::timeout(Duration::from_secs(5), pool.acquire())
                .await
                .expect("a waiting writer leaves the pool's connections to readers")
                .expect("reader connection");
            readers.push(reader);
        }
        drop(readers);

        sqlx::query("INSERT INTO turns VALUES (1)")
            .execute(&mut *first)
            .await
            .expect("insert");
        first.commit().await.expect("commit");
        second.await.expect("joins").expect("second writer commits");
        let order: Vec<i64> = sqlx::query_scalar("SELECT n FROM turns ORDER BY rowid")
            .fetch_all(&pool)
            .await
            .expect("rows");
        assert_eq!(order, vec![1, 2]);
    }

    #[tokio::test]
    async fn a_wal_past_its_limit_is_truncated_while_searches_keep_reading() {
        let tmp = tempfile::tempdir().expect("tempdir");
        let pool = open(tmp.path()).await.expect("opens");
        let wal = wal_path(&pool).expect("file database has a WAL");
        let mut tx = begin_write(&pool).await.expect("writer");
        sqlx::query("CREATE TABLE blobs (b BLOB)")
            .execute(&mut *tx)
            .await
            .expect("create");
        for _ in 0..32 {
            sqlx::query("INSERT INTO blobs VALUES (randomblob(65536))")
                .execute(&mut *tx)
                .await
                .expect("insert");
        }
        tx.commit()
            .await
            .expect("commit (below the 64 MiB limit: WAL kept)");
        let grown = std::fs::metadata(&wal).expect("wal").len();
        assert!(grown > 1 << 20, "2 MiB written to the WAL, found {grown}");

        let reader_pool = pool.clone();
        let stop = Arc::new(std::sync::atomic::AtomicBool::new(false));
        let reading = stop.clone();
        let reader = tokio::spawn(async move {
            while !reading.load(std::sync::atomic::Ordering::Relaxed) {
                let _: i64 = sqlx::query_scalar("SELECT count(*) FROM blobs")
                    .fetch_one(&reader_pool)
                    .await
                    .expect("search");
            }
        });
        let mut turn = WriterTurn::default();
        bound_wal(&pool, &mut turn, 1 << 20).await;
        stop.store(true, std::sync::atomic::Ordering::Relaxed);
        reader.await.expect("reader");
        assert_eq!(std::fs::metadata(&wal).expect("wal").len(), 0);
        assert!(turn.checkpoint_blocked_at.is_none());
        let rows: i64 = sqlx::query_scalar("SELECT count(*) FROM blobs")
            .fetch_one(&pool)
            .await
            .expect("rows");
        assert_eq!(rows, 32, "nothing lost by the checkpoint");
    }

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
