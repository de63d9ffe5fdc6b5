//! Queuing an email: a `jobs` row written in the caller's transaction, so the mail exists
//! exactly when the change that causes it is committed.

use sea_orm::ConnectionTrait;

use super::Email;
use crate::error::DomainResult;
use crate::jobs;

pub const JOB_KIND: &str = "mail";

pub async fn enqueue(db: &impl ConnectionTrait, email: &Email) -> DomainResult<()> {
    let payload = serde_json::to_string(email)
        .map_err(|e| crate::DomainError::Invalid(format!("mail payload: {e}")))?;
    jobs::enqueue(db, JOB_KIND, payload, None).await
}

/// Mails waiting in the outbox (pending or being sent) and mails given up on.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
pub struct QueueCounts {
    pub pending: u64,
    pub failed: u64,
}

pub async fn queue_counts(db: &impl ConnectionTrait) -> DomainResult<QueueCounts> {
    use crate::entities::job;
    use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
    let count = |statuses: &'static [&'static str]| {
        job::Entity::find()
            .filter(job::Column::Kind.eq(JOB_KIND))
            .filter(job::Column::Status.is_in(statuses.iter().copied()))
            .count(db)
    };
    Ok(QueueCounts {
        pending: count(&[jobs::PENDING, jobs::RUNNING]).await?,
        failed: count(&[jobs::FAILED]).await?,
    })
}
