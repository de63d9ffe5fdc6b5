//! The jobs table as a transactional outbox: enqueue inside a transaction, claim and run in
//! a background worker, retry transient failures with exponential backoff.

mod claim;
pub mod worker;

use chrono::{Duration, Utc};
use sea_orm::{ActiveModelTrait, ActiveValue::Set, ConnectionTrait, NotSet};

use crate::entities::job;
use crate::error::DomainResult;

use crate::entities::job::JobStatus;

/// After this many attempts a job that keeps failing transiently is marked failed.
pub const MAX_ATTEMPTS: i32 = 12;

pub async fn enqueue(
    db: &impl ConnectionTrait,
    kind: &str,
    payload: String,
    dedup_key: Option<String>,
) -> DomainResult<()> {
    let now = Utc::now();
    job::ActiveModel {
        id: NotSet,
        kind: Set(kind.to_string()),
        payload: Set(payload),
        dedup_key: Set(dedup_key),
        status: Set(JobStatus::Pending),
        attempts: Set(0),
        run_at: Set(now),
        locked_until: Set(None),
        last_error: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(db)
    .await?;
    Ok(())
}

/// Delay before retry number `attempts` (1-based): 2 s, 4 s, 8 s… capped at one hour.
pub fn backoff(attempts: i32) -> Duration {
    let exp = attempts.clamp(1, 12) as u32 - 1;
    Duration::seconds((2i64 << exp).min(3600))
}

pub use claim::claim_next;

/// How many jobs of each kind are in each state (for `/metrics`).
pub async fn counts(
    db: &impl sea_orm::ConnectionTrait,
) -> DomainResult<Vec<(String, JobStatus, i64)>> {
    use sea_orm::{
        EntityTrait, QuerySelect,
        sea_query::{Expr, ExprTrait},
    };
    Ok(job::Entity::find()
        .select_only()
        .column(job::Column::Kind)
        .column(job::Column::Status)
        .column_as(Expr::col(job::Column::Id).count(), "n")
        .group_by(job::Column::Kind)
        .group_by(job::Column::Status)
        .into_tuple::<(String, JobStatus, i64)>()
        .all(db)
        .await?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_grows_and_is_capped() {
        assert_eq!(backoff(1), Duration::seconds(2));
        assert_eq!(backoff(2), Duration::seconds(4));
        assert_eq!(backoff(5), Duration::seconds(32));
        assert_eq!(backoff(12), Duration::seconds(3600));
        assert_eq!(backoff(40), Duration::seconds(3600));
    }
}
