//! The background worker of `pairs serve`: every few seconds it delivers queued mails and
//! applies queued search-index updates (both from the `jobs` outbox); once an hour it purges
//! stale sign-ups and cuts old client addresses in the journal to their network.

use chrono::Utc;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ConnectionTrait, DatabaseConnection, IntoActiveModel,
};

use super::{MAX_ATTEMPTS, backoff, claim_next};
use crate::contact::delivery::Outcome;
use crate::entities::job::JobStatus;
use crate::error::DomainResult;
use crate::mail::{Mailer, SendError, outbox};
use crate::search::{SearchIndex, sync};

/// What one pass did, for logs and tests.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Pass {
    pub delivered: usize,
    pub retried: usize,
    pub failed: usize,
}

/// Why a job did not succeed: `retry` for a transient failure.
struct Failure {
    retry: bool,
    message: String,
}

/// Records a job's outcome: done, pending again after a backoff, or failed for good.
async fn settle(
    db: &impl ConnectionTrait,
    job: crate::entities::job::Model,
    outcome: Result<(), Failure>,
    pass: &mut Pass,
) -> DomainResult<Outcome> {
    let attempts = job.attempts;
    let kind = job.kind.clone();
    let now = Utc::now();
    let mut active = job.into_active_model();
    active.locked_until = Set(None);
    active.updated_at = Set(now);
    let outcome_label = match &outcome {
        Ok(()) => "done",
        Err(Failure { retry: true, .. }) if attempts < MAX_ATTEMPTS => "retry",
        Err(_) => "failed",
    };
    metrics::counter!("pairs_jobs_total", "kind" => kind.clone(), "outcome" => outcome_label)
        .increment(1);
    // A mail's payload (addresses, names, message, link tokens) is kept only while it
    // may still be sent: the jobs table must not become a copy of everyone's mail.
    let is_mail = kind == crate::mail::outbox::JOB_KIND;
    let settled = match outcome {
        Ok(()) => {
            active.status = Set(JobStatus::Done);
            active.last_error = Set(None);
            if is_mail {
                active.payload = Set("{}".into());
            }
            pass.delivered += 1;
            Outcome::Delivered
        }
        Err(Failure {
            retry: true,
            message,
        }) if attempts < MAX_ATTEMPTS => {
            let message = if is_mail {
                crate::mail::redact_addresses(&message)
            } else {
                message
            };
            tracing::warn!(error = %message, attempts, kind, "job failed, will retry");
            active.status = Set(JobStatus::Pending);
            active.run_at = Set(now + backoff(attempts));
            active.last_error = Set(Some(message));
            pass.retried += 1;
            Outcome::Retrying
        }
        Err(Failure { message, .. }) => {
            // The reason recorded for the sender is built from the raw reply (its code);
            // logs and the jobs table get it without addresses.
            let shown = if is_mail {
                crate::mail::redact_addresses(&message)
            } else {
                message.clone()
            };
            tracing::error!(error = %shown, attempts, kind, "job failed permanently");
            active.status = Set(JobStatus::Failed);
            active.last_error = Set(Some(shown));
            if is_mail {
                active.payload = Set("{}".into());
            }
            pass.failed += 1;
            Outcome::GaveUp(message)
        }
    };
    active.update(db).await?;
    Ok(settled)
}

/// Delivers every due mail job once; returns what happened. A transient failure means
/// the server is unreachable: the pass stops there.
pub async fn run_mail_pass(
    db: &DatabaseConnection,
    mailer: &Mailer,
    from: &str,
) -> DomainResult<Pass> {
    let mut pass = Pass::default();
    while let Some(job) = claim_next(db, outbox::JOB_KIND).await? {
        let queued = serde_json::from_str::<outbox::Queued>(&job.payload);
        let contact_request = queued.as_ref().ok().and_then(|q| q.contact_request);
        let outcome = match queued {
            Ok(queued) => mailer.send(from, &queued.email).await.map_err(|e| match e {
                SendError::Transient(message) => Failure {
                    retry: true,
                    message,
                },
                SendError::Permanent(message) => Failure {
                    retry: false,
                    message,
                },
            }),
            Err(e) => Err(Failure {
                retry: false,
                message: format!("unreadable payload: {e}"),
            }),
        };
        // The job and its contact request change together.
        let txn = crate::db::begin_write(db).await?;
        let settled = settle(&txn, job, outcome, &mut pass).await?;
        if let Some(id) = contact_request {
            crate::contact::delivery::record(&txn, id, &settled).await?;
        }
        txn.commit().await?;
        if pass.retried > 0 {
            break;
        }
    }
    Ok(pass)
}

/// The PostgreSQL advisory lock that serializes index passes across processes ("PAIRS_IX").
pub const INDEX_LOCK: i64 = 0x5041_4952_535f_4958;

/// Applies every due search index job once. Engine errors are retried with backoff.
/// On PostgreSQL, several app processes share one queue: only the one holding the index
/// lock applies index jobs at a time, in order, so a full rebuild and an update never
/// interleave (the others find the lock taken and skip this pass). SQLite has one process.
pub async fn run_index_pass(
    db: &DatabaseConnection,
    index: &dyn SearchIndex,
) -> DomainResult<Pass> {
    use sea_orm::TransactionTrait;
    let lock = if db.get_database_backend() == sea_orm::DbBackend::Postgres {
        // Held by this transaction until it ends (commit, or rollback on any error).
        let txn = db.begin().await?;
        let row = txn
            .query_one_raw(sea_orm::Statement::from_sql_and_values(
                sea_orm::DbBackend::Postgres,
                "SELECT pg_try_advisory_xact_lock($1) AS taken",
                [INDEX_LOCK.into()],
            ))
            .await?;
        let taken = row
            .map(|r| r.try_get::<bool>("", "taken"))
            .transpose()?
            .unwrap_or(false);
        if !taken {
            return Ok(Pass::default());
        }
        Some(txn)
    } else {
        None
    };
    let pass = index_jobs(db, index).await;
    if let Some(txn) = lock {
        txn.commit().await?;
    }
    pass
}

async fn index_jobs(db: &DatabaseConnection, index: &dyn SearchIndex) -> DomainResult<Pass> {
    let mut pass = Pass::default();
    while let Some(job) = claim_next(db, sync::JOB_KIND).await? {
        let outcome = match serde_json::from_str::<sync::IndexJob>(&job.payload) {
            Ok(task) => sync::apply(db, index, &task).await.map_err(|e| Failure {
                retry: true,
                message: e.to_string(),
            }),
            Err(e) => Err(Failure {
                retry: false,
                message: format!("unreadable payload: {e}"),
            }),
        };
        settle(db, job, outcome, &mut pass).await?;
        if pass.retried > 0 {
            break;
        }
    }
    Ok(pass)
}

/// Runs passes forever, every `interval`. Errors are logged, never fatal.
pub fn spawn(
    db: DatabaseConnection,
    mailer: Mailer,
    from: String,
    index: std::sync::Arc<dyn SearchIndex>,
    interval: std::time::Duration,
) {
    tokio::spawn(async move {
        let mut last_purge: Option<std::time::Instant> = None;
        loop {
            // Stale sign-ups go once an hour (and at start).
            if last_purge.is_none_or(|t| t.elapsed() >= std::time::Duration::from_secs(3600)) {
                match crate::accounts::purge::purge_stale(&db, chrono::Utc::now()).await {
                    Ok(0) => {}
                    Ok(n) => tracing::info!(accounts = n, "stale sign-ups purged"),
                    Err(err) => tracing::error!(error = %err, "purge of stale sign-ups failed"),
                }
                match crate::audit::truncate_old_ips(&db, chrono::Utc::now()).await {
                    Ok(0) => {}
                    Ok(n) => tracing::info!(lines = n, "journal addresses truncated"),
                    Err(err) => tracing::error!(error = %err, "journal address truncation failed"),
                }
                match crate::accounts::saved_filters::purge_expired(&db, chrono::Utc::now()).await {
                    Ok(0) => {}
                    Ok(n) => tracing::info!(filters = n, "expired admin filters removed"),
                    Err(err) => tracing::error!(error = %err, "admin filter purge failed"),
                }
                match mailer.prune() {
                    Ok(0) => {}
                    Ok(n) => tracing::info!(files = n, "old messages removed from the mail dir"),
                    Err(err) => tracing::error!(error = %err, "mail dir retention failed"),
                }
                last_purge = Some(std::time::Instant::now());
            }
            if let Err(err) = run_mail_pass(&db, &mailer, &from).await {
                tracing::error!(error = %err, "mail worker pass failed");
            }
            if let Err(err) = run_index_pass(&db, index.as_ref()).await {
                tracing::error!(error = %err, "search index worker pass failed");
            }
            tokio::time::sleep(interval).await;
        }
    });
}
