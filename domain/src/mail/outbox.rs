//! Queuing an email: a `jobs` row written in the caller's transaction, so the mail exists
//! exactly when the change that causes it is committed.

use sea_orm::ConnectionTrait;

use serde::{Deserialize, Serialize};

use super::Email;
use crate::error::DomainResult;
use crate::jobs;

pub const JOB_KIND: &str = "mail";

/// A queued mail: the message, and the contact request it delivers if it is one (whose
/// state the worker then updates in the same transaction).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Queued {
    #[serde(flatten)]
    pub email: Email,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contact_request: Option<i64>,
}

pub async fn enqueue(db: &impl ConnectionTrait, email: &Email) -> DomainResult<()> {
    push(db, email, None, None).await
}

/// Queues the mail of one contact request. Its delivery key (the job's `dedup_key`, unique
/// per request) makes a second job for the same request impossible.
pub async fn enqueue_contact(
    db: &impl ConnectionTrait,
    email: &Email,
    request_id: i64,
) -> DomainResult<()> {
    push(db, email, Some(request_id), Some(delivery_key(request_id))).await
}

pub fn delivery_key(request_id: i64) -> String {
    format!("contact:{request_id}")
}

async fn push(
    db: &impl ConnectionTrait,
    email: &Email,
    contact_request: Option<i64>,
    key: Option<String>,
) -> DomainResult<()> {
    let queued = Queued {
        email: email.clone(),
        contact_request,
    };
    let payload = serde_json::to_string(&queued)?;
    jobs::enqueue(db, JOB_KIND, payload, key).await
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
    let count = |statuses: &'static [crate::entities::job::JobStatus]| {
        job::Entity::find()
            .filter(job::Column::Kind.eq(JOB_KIND))
            .filter(job::Column::Status.is_in(statuses.iter().copied()))
            .count(db)
    };
    Ok(QueueCounts {
        pending: count(&[
            crate::entities::job::JobStatus::Pending,
            crate::entities::job::JobStatus::Running,
        ])
        .await?,
        failed: count(&[crate::entities::job::JobStatus::Failed]).await?,
    })
}
