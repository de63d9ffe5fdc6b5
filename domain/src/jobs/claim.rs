//! Claiming one due job atomically. On PostgreSQL, `FOR UPDATE SKIP LOCKED` lets several
//! instances share the queue; on SQLite the single writer makes the UPDATE atomic.
//! A job left `running` past its lock (a crashed worker) becomes claimable again.

use chrono::{Duration, Utc};
use sea_orm::{ConnectionTrait, DbBackend, FromQueryResult, Statement};

use crate::entities::job;

use crate::error::DomainResult;
use model::job::JobStatus;

/// How long a claimed job stays locked before another worker may take it over.
const LOCK: i64 = 120;

pub async fn claim_next(db: &impl ConnectionTrait, kind: &str) -> DomainResult<Option<job::Model>> {
    let now = Utc::now();
    let until = now + Duration::seconds(LOCK);
    let backend = db.get_database_backend();
    let sql = match backend {
        DbBackend::Postgres => {
            "UPDATE jobs SET status = $6, attempts = attempts + 1, locked_until = $1, updated_at = $2 \
             WHERE id = (SELECT id FROM jobs WHERE kind = $3 AND \
               ((status = $7 AND run_at <= $4) OR (status = $8 AND locked_until < $5)) \
               ORDER BY run_at, id LIMIT 1 FOR UPDATE SKIP LOCKED) \
             RETURNING *"
        }
        _ => {
            "UPDATE jobs SET status = ?6, attempts = attempts + 1, locked_until = ?1, updated_at = ?2 \
             WHERE id = (SELECT id FROM jobs WHERE kind = ?3 AND \
               ((status = ?7 AND run_at <= ?4) OR (status = ?8 AND locked_until < ?5)) \
               ORDER BY run_at, id LIMIT 1) \
             RETURNING *"
        }
    };
    let stmt = Statement::from_sql_and_values(
        backend,
        sql,
        [
            until.into(),
            now.into(),
            kind.into(),
            now.into(),
            now.into(),
            JobStatus::Running.as_str().into(),
            JobStatus::Pending.as_str().into(),
            JobStatus::Running.as_str().into(),
        ],
    );
    let row = db.query_one_raw(stmt).await?;
    Ok(match row {
        Some(row) => Some(job::Model::from_query_result(&row, "")?),
        None => None,
    })
}
