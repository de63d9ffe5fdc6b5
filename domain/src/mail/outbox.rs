//! Queuing an email: a `jobs` row written in the caller's transaction, so the mail exists
//! exactly when the change that causes it is committed.

use sea_orm::{ConnectionTrait, DatabaseConnection, DatabaseTransaction};
use serde::{Deserialize, Serialize};

use super::{Email, Mailer, SendError};
use crate::error::DomainResult;
use crate::jobs::{self, Failure, Job, Outcome, Pass};

/// The `kind` of mail jobs.
pub const JOB_KIND: &str = <Queued as Job>::KIND;

/// A queued mail: the message, and the contact request it delivers if it is one (whose
/// state the worker then updates in the same transaction).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Queued {
    #[serde(flatten)]
    pub email: Email,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contact_request: Option<i64>,
    /// A mail that must go once only (a member's digest of one period): its key.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub delivery_key: Option<String>,
}

/// What sending needs: the transport and the platform's sender address.
pub struct MailContext {
    pub mailer: Mailer,
    pub from: String,
}

impl Job for Queued {
    const KIND: &'static str = "mail";
    const PERSONAL: bool = true;
    type Context = MailContext;

    /// One job per contact request, or per key: its delivery key is unique.
    fn dedup_key(&self) -> Option<String> {
        self.contact_request
            .map(delivery_key)
            .or_else(|| self.delivery_key.clone())
    }

    async fn run(&self, _db: &DatabaseConnection, ctx: &MailContext) -> Result<(), Failure> {
        ctx.mailer
            .send(&ctx.from, &self.email)
            .await
            .map_err(|e| match e {
                SendError::Transient(message) => Failure::transient(message),
                SendError::Permanent(message) => Failure::permanent(message),
            })
    }

    async fn settled(&self, txn: &DatabaseTransaction, outcome: &Outcome) -> DomainResult<()> {
        match self.contact_request {
            Some(id) => crate::contact::delivery::record(txn, id, outcome).await,
            None => Ok(()),
        }
    }

    fn redact(message: &str) -> String {
        super::redact_addresses(message)
    }
}

pub async fn enqueue(db: &impl ConnectionTrait, email: &Email) -> DomainResult<()> {
    let queued = Queued {
        email: email.clone(),
        contact_request: None,
        delivery_key: None,
    };
    jobs::enqueue(db, &queued).await
}

/// Queues the mail of one contact request. Its delivery key (the job's `dedup_key`, unique
/// per request) makes a second job for the same request impossible.
pub async fn enqueue_contact(
    db: &impl ConnectionTrait,
    email: &Email,
    request_id: i64,
) -> DomainResult<()> {
    let queued = Queued {
        email: email.clone(),
        contact_request: Some(request_id),
        delivery_key: None,
    };
    jobs::enqueue(db, &queued).await
}

pub fn delivery_key(request_id: i64) -> String {
    format!("contact:{request_id}")
}

/// Delivers every due mail once; returns what happened. A transient failure means the
/// server is unreachable: the pass stops there.
pub async fn run_mail_pass(db: &DatabaseConnection, ctx: &MailContext) -> DomainResult<Pass> {
    jobs::run_pass::<Queued>(db, ctx).await
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
    let count = |statuses: &'static [model::job::JobStatus]| {
        job::Entity::find()
            .filter(job::Column::Kind.eq(JOB_KIND))
            .filter(job::Column::Status.is_in(statuses.iter().copied()))
            .count(db)
    };
    Ok(QueueCounts {
        pending: count(&[
            model::job::JobStatus::Pending,
            model::job::JobStatus::Running,
        ])
        .await?,
        failed: count(&[model::job::JobStatus::Failed]).await?,
    })
}
