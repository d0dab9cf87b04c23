//! The cached User Directory (users, roles, groups) as unified records.

use sqlx::SqlitePool;

use super::rows::SimpleTable;
use crate::Result;

/// Every cached user, role or group of an account, by name.
pub async fn directory_records(
    pool: &SqlitePool,
    table: SimpleTable,
    account_id: &str,
) -> Result<Vec<serde_json::Value>> {
    records_by_name(pool, table.table(), account_id).await
}

/// The unified records of one account in a cache table with `name` and `record` columns.
pub(crate) async fn records_by_name(
    pool: &SqlitePool,
    table: &str,
    account_id: &str,
) -> Result<Vec<serde_json::Value>> {
    let sql = format!("SELECT record FROM {table} WHERE account_id = ? ORDER BY name, remote_id");
    let rows: Vec<String> = sqlx::query_scalar(&sql)
        .bind(account_id)
        .fetch_all(pool)
        .await?;
    Ok(rows
        .iter()
        .filter_map(|r| serde_json::from_str(r).ok())
        .collect())
}
