//! The background worker that delivers queued emails.

use chrono::Utc;
use sea_orm::{ActiveModelTrait, ActiveValue::Set, DatabaseConnection, IntoActiveModel};

use super::{DONE, FAILED, MAX_ATTEMPTS, PENDING, backoff, claim_next};
use crate::error::DomainResult;
use crate::mail::{Email, Mailer, SendError, outbox};
use crate::search::{SearchIndex, sync};

/// What one pass did, for logs and tests.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Pass {
    pub delivered: usize,
    pub retried: usize,
    pub failed: usize,
}

/// Delivers every due mail job once; returns what happened.
pub async fn run_mail_pass(
    db: &DatabaseConnection,
    mailer: &Mailer,
    from: &str,
) -> DomainResult<Pass> {
    let mut pass = Pass::default();
    while let Some(job) = claim_next(db, outbox::JOB_KIND).await? {
        let attempts = job.attempts;
        let outcome = match serde_json::from_str::<Email>(&job.payload) {
            Ok(email) => mailer.send(from, &email).await,
            Err(e) => Err(SendError::Permanent(format!("unreadable payload: {e}"))),
        };
        let now = Utc::now();
        let mut active = job.into_active_model();
        active.locked_until = Set(None);
        active.updated_at = Set(now);
        match outcome {
            Ok(()) => {
                active.status = Set(DONE.into());
                active.last_error = Set(None);
                pass.delivered += 1;
            }
            Err(SendError::Transient(e)) if attempts < MAX_ATTEMPTS => {
                tracing::warn!(error = %e, attempts, "mail delivery failed, will retry");
                active.status = Set(PENDING.into());
                active.run_at = Set(now + backoff(attempts));
                active.last_error = Set(Some(e));
                pass.retried += 1;
            }
            Err(err) => {
                tracing::error!(error = %err, attempts, "mail delivery failed permanently");
                active.status = Set(FAILED.into());
                active.last_error = Set(Some(err.to_string()));
                pass.failed += 1;
            }
        }
        active.update(db).await?;
        // A transient failure means the server is unreachable: stop this pass.
        if pass.retried > 0 {
            break;
        }
    }
    Ok(pass)
}

/// Applies every due search index job once. Engine errors are retried with backoff.
pub async fn run_index_pass(
    db: &DatabaseConnection,
    index: &dyn SearchIndex,
) -> DomainResult<Pass> {
    let mut pass = Pass::default();
    while let Some(job) = claim_next(db, sync::JOB_KIND).await? {
        let attempts = job.attempts;
        let outcome = match serde_json::from_str::<sync::IndexJob>(&job.payload) {
            Ok(task) => sync::apply(db, index, &task)
                .await
                .map_err(|e| (true, e.to_string())),
            Err(e) => Err((false, format!("unreadable payload: {e}"))),
        };
        let now = Utc::now();
        let mut active = job.into_active_model();
        active.locked_until = Set(None);
        active.updated_at = Set(now);
        match outcome {
            Ok(()) => {
                active.status = Set(DONE.into());
                active.last_error = Set(None);
                pass.delivered += 1;
            }
            Err((true, e)) if attempts < MAX_ATTEMPTS => {
                tracing::warn!(error = %e, attempts, "search index update failed, will retry");
                active.status = Set(PENDING.into());
                active.run_at = Set(now + backoff(attempts));
                active.last_error = Set(Some(e));
                pass.retried += 1;
            }
            Err((_, e)) => {
                tracing::error!(error = %e, attempts, "search index update failed permanently");
                active.status = Set(FAILED.into());
                active.last_error = Set(Some(e));
                pass.failed += 1;
            }
        }
        active.update(db).await?;
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
        loop {
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
