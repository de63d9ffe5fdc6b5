//! The jobs table as a transactional outbox: a job is written inside the transaction of
//! the change that causes it, claimed and run by the worker (`crate::worker`), retried with
//! exponential backoff when it fails transiently.
//!
//! Each kind of job is one type implementing [`Job`], in the module of its feature (a mail
//! in `mail::outbox`, an index update in `search::sync`): its kind name, its payload (the
//! type itself, serialized), how it runs and what it records once settled. This module
//! knows nothing of mail or search: it is the generic queue.

mod claim;

use std::future::Future;

use chrono::{Duration, Utc};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ConnectionTrait, DatabaseConnection, DatabaseTransaction,
    IntoActiveModel, NotSet,
};
use serde::{Serialize, de::DeserializeOwned};

use crate::entities::job;

use crate::error::DomainResult;
use model::job::JobStatus;

pub use claim::claim_next;

/// After this many attempts a job that keeps failing transiently is marked failed.
pub const MAX_ATTEMPTS: i32 = 12;

/// Why a run did not succeed: `retry` for a transient failure (a server unreachable).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Failure {
    pub retry: bool,
    pub message: String,
}

impl Failure {
    pub fn transient(message: impl Into<String>) -> Self {
        Self {
            retry: true,
            message: message.into(),
        }
    }

    pub fn permanent(message: impl Into<String>) -> Self {
        Self {
            retry: false,
            message: message.into(),
        }
    }
}

/// How a job ended this time, as its `settled` hook sees it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Outcome {
    Delivered,
    /// Tried again later.
    Retrying,
    /// Given up, with the raw reason (which may name an address: never shown as is).
    GaveUp(String),
}

/// One kind of background job. The value is the payload.
pub trait Job: Serialize + DeserializeOwned + Send + Sync {
    /// The `kind` column: which jobs a pass of this type claims.
    const KIND: &'static str;
    /// The payload holds personal data (a mail's addresses and text): it is cleared once
    /// the job is done or given up, and failure messages are redacted with `redact`.
    const PERSONAL: bool = false;
    /// What the run needs besides the database (a mailer, a search engine).
    type Context: Sync + ?Sized;

    /// A delivery key: a second job with the same key cannot be queued.
    fn dedup_key(&self) -> Option<String> {
        None
    }

    /// Runs the job once.
    fn run(
        &self,
        db: &DatabaseConnection,
        ctx: &Self::Context,
    ) -> impl Future<Output = Result<(), Failure>> + Send;

    /// Records the outcome elsewhere, in the transaction that settles the job (a contact
    /// request's state).
    fn settled(
        &self,
        _txn: &DatabaseTransaction,
        _outcome: &Outcome,
    ) -> impl Future<Output = DomainResult<()>> + Send {
        async { Ok(()) }
    }

    /// A failure message as the logs and the jobs table may keep it.
    fn redact(message: &str) -> String {
        message.to_string()
    }
}

/// Queues `job` in the caller's transaction (or connection).
pub async fn enqueue<J: Job>(db: &impl ConnectionTrait, job: &J) -> DomainResult<()> {
    let now = Utc::now();
    job::ActiveModel {
        id: NotSet,
        kind: Set(J::KIND.to_string()),
        payload: Set(serde_json::to_string(job)?),
        dedup_key: Set(job.dedup_key()),
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
    wake_worker();
    Ok(())
}

/// Wakes this process's worker so a job enqueued here runs within milliseconds instead
/// of at the next poll (other processes' workers still find it at their poll).
static WAKE: tokio::sync::Notify = tokio::sync::Notify::const_new();

/// Tells the worker a job is waiting. Enqueues usually happen inside a transaction, so the
/// worker waits a moment after being woken (`woken`) for it to commit.
pub fn wake_worker() {
    WAKE.notify_one();
}

/// Resolves when a job was enqueued in this process since the last call.
pub async fn woken() {
    WAKE.notified().await;
}

/// Delay before retry number `attempts` (1-based): 2 s, 4 s, 8 s… capped at one hour.
pub fn backoff(attempts: i32) -> Duration {
    let exp = attempts.clamp(1, 12) as u32 - 1;
    Duration::seconds((2i64 << exp).min(3600))
}

/// What one pass did, for logs and tests.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Pass {
    pub delivered: usize,
    pub retried: usize,
    pub failed: usize,
}

/// Runs every due job of kind `J` once. A transient failure means what it needs is
/// unreachable: the pass stops there and the next one tries again after the backoff.
pub async fn run_pass<J: Job>(db: &DatabaseConnection, ctx: &J::Context) -> DomainResult<Pass> {
    let mut pass = Pass::default();
    while let Some(row) = claim_next(db, J::KIND).await? {
        let (payload, outcome) = match serde_json::from_str::<J>(&row.payload) {
            Ok(payload) => {
                let outcome = payload.run(db, ctx).await;
                (Some(payload), outcome)
            }
            Err(e) => (
                None,
                Err(Failure::permanent(format!("unreadable payload: {e}"))),
            ),
        };
        // The job and what its hook records change together.
        let txn = crate::db::begin_write(db).await?;
        let settled = settle::<J>(&txn, row, outcome, &mut pass).await?;
        if let Some(payload) = &payload {
            payload.settled(&txn, &settled).await?;
        }
        txn.commit().await?;
        if pass.retried > 0 {
            break;
        }
    }
    Ok(pass)
}

/// Records a job's outcome: done, pending again after a backoff, or failed for good.
async fn settle<J: Job>(
    db: &impl ConnectionTrait,
    row: job::Model,
    outcome: Result<(), Failure>,
    pass: &mut Pass,
) -> DomainResult<Outcome> {
    let attempts = row.attempts;
    let kind = J::KIND;
    let now = Utc::now();
    let mut active = row.into_active_model();
    active.locked_until = Set(None);
    active.updated_at = Set(now);
    let label = match &outcome {
        Ok(()) => "done",
        Err(Failure { retry: true, .. }) if attempts < MAX_ATTEMPTS => "retry",
        Err(_) => "failed",
    };
    metrics::counter!("pairs_jobs_total", "kind" => kind, "outcome" => label).increment(1);
    // A personal payload is kept only while the job may still run: the jobs table must
    // not become a copy of everyone's mail.
    let settled = match outcome {
        Ok(()) => {
            active.status = Set(JobStatus::Done);
            active.last_error = Set(None);
            if J::PERSONAL {
                active.payload = Set("{}".into());
            }
            pass.delivered += 1;
            Outcome::Delivered
        }
        Err(Failure {
            retry: true,
            message,
        }) if attempts < MAX_ATTEMPTS => {
            let message = J::redact(&message);
            tracing::warn!(error = %message, attempts, kind, "job failed, will retry");
            active.status = Set(JobStatus::Pending);
            active.run_at = Set(now + backoff(attempts));
            active.last_error = Set(Some(message));
            pass.retried += 1;
            Outcome::Retrying
        }
        Err(Failure { message, .. }) => {
            // The hook gets the raw reason (a contact request keeps its reply code); logs
            // and the jobs table get it redacted.
            let shown = J::redact(&message);
            tracing::error!(error = %shown, attempts, kind, "job failed permanently");
            active.status = Set(JobStatus::Failed);
            active.last_error = Set(Some(shown));
            if J::PERSONAL {
                active.payload = Set("{}".into());
            }
            pass.failed += 1;
            Outcome::GaveUp(message)
        }
    };
    active.update(db).await?;
    Ok(settled)
}

/// How many jobs of each kind are in each state (for `/metrics`).
pub async fn counts(db: &impl ConnectionTrait) -> DomainResult<Vec<(String, JobStatus, i64)>> {
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
