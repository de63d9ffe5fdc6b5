//! The background worker of `pairs serve`: every few seconds, and a few milliseconds after a
//! job is enqueued in its own process, it runs the due jobs of each registered kind (mails,
//! search-index updates) from the `jobs` outbox; once an hour it
//! runs the upkeep (the digests of followers whose period began, stale sign-ups, old journal
//! addresses, expired admin filters, the mail dir's retention); once a minute it expires the shared limits and flashes. `spawn` returns a handle: the server stops the worker and waits for
//! the pass in progress at shutdown, so no job is left half-settled.

use std::sync::Arc;
use std::time::{Duration, Instant};

use sea_orm::DatabaseConnection;
use tokio::sync::watch;
use tokio::task::JoinHandle;

use crate::mail::outbox::{self, MailContext};
use crate::search::{SearchIndex, sync};

/// The running worker.
pub struct WorkerHandle {
    stop: watch::Sender<bool>,
    task: JoinHandle<()>,
}

impl WorkerHandle {
    /// Asks the worker to stop after the pass in progress, and waits for it.
    pub async fn shutdown(self) {
        let _ = self.stop.send(true);
        if let Err(err) = self.task.await {
            tracing::error!(error = %err, "the background worker ended badly");
        }
    }
}

const UPKEEP_EVERY: Duration = Duration::from_secs(3600);
/// How long after a job is enqueued in this process the worker runs it.
const WAKE_DELAY: Duration = Duration::from_millis(30);
/// Limits and flashes live minutes: their rows are expired more often.
const SWEEP_EVERY: Duration = Duration::from_secs(60);

/// Runs passes every `interval` until stopped. Errors are logged, never fatal.
pub fn spawn(
    db: DatabaseConnection,
    mail: MailContext,
    index: Arc<dyn SearchIndex>,
    interval: Duration,
    public_url: String,
) -> WorkerHandle {
    let (stop, mut stopped) = watch::channel(false);
    let task = tokio::spawn(async move {
        let mut last_upkeep: Option<Instant> = None;
        let mut last_sweep: Option<Instant> = None;
        loop {
            if last_upkeep.is_none_or(|t| t.elapsed() >= UPKEEP_EVERY) {
                upkeep(&db, &mail, &public_url).await;
                last_upkeep = Some(Instant::now());
            }
            if last_sweep.is_none_or(|t| t.elapsed() >= SWEEP_EVERY) {
                sweep_shared_state(&db).await;
                last_sweep = Some(Instant::now());
            }
            // Each kind of job, in turn.
            if let Err(err) = outbox::run_mail_pass(&db, &mail).await {
                tracing::error!(error = %err, "mail worker pass failed");
            }
            if let Err(err) = sync::run_index_pass(&db, index.as_ref()).await {
                tracing::error!(error = %err, "search index worker pass failed");
            }
            tokio::select! {
                _ = tokio::time::sleep(interval) => {}
                _ = crate::jobs::woken() => {
                    // Let the enqueuing transaction commit, and a burst gather.
                    tokio::time::sleep(WAKE_DELAY).await;
                }
                _ = stopped.changed() => break,
            }
        }
        tracing::info!("background worker stopped");
    });
    WorkerHandle { stop, task }
}

/// Expires the rows of the limits and flashes shared between processes.
async fn sweep_shared_state(db: &DatabaseConnection) {
    let now = std::time::SystemTime::now();
    if let Err(err) =
        crate::security::limits::sweep_table(db, crate::security::limits::millis(now)).await
    {
        tracing::error!(error = %err, "sweep of the shared limits failed");
    }
    if let Err(err) = crate::security::flash::sweep_table(db, chrono::Utc::now()).await {
        tracing::error!(error = %err, "sweep of the shared flashes failed");
    }
}

/// The hourly housekeeping (and once at start).
async fn upkeep(db: &DatabaseConnection, mail: &MailContext, public_url: &str) {
    let now = chrono::Utc::now();
    // Digests go within the hour their period begins (Monday, the 1st).
    match crate::watch::digest::run_due(db, public_url, now).await {
        Ok(run) if run.sent > 0 => tracing::info!(digests = run.sent, "digests queued"),
        Ok(_) => {}
        Err(err) => tracing::error!(error = %err, "digest run failed"),
    }
    match crate::watch::reminders::run_due(db, public_url, now).await {
        Ok(run) if run.sent > 0 => tracing::info!(reminders = run.sent, "reminders queued"),
        Ok(_) => {}
        Err(err) => tracing::error!(error = %err, "reminder run failed"),
    }
    match crate::accounts::purge::purge_stale(db, now).await {
        Ok(0) => {}
        Ok(n) => tracing::info!(accounts = n, "stale sign-ups purged"),
        Err(err) => tracing::error!(error = %err, "purge of stale sign-ups failed"),
    }
    match crate::audit::truncate_old_ips(db, now).await {
        Ok(0) => {}
        Ok(n) => tracing::info!(lines = n, "journal addresses truncated"),
        Err(err) => tracing::error!(error = %err, "journal address truncation failed"),
    }
    match crate::accounts::saved_filters::purge_expired(db, now).await {
        Ok(0) => {}
        Ok(n) => tracing::info!(filters = n, "expired admin filters removed"),
        Err(err) => tracing::error!(error = %err, "admin filter purge failed"),
    }
    match mail.mailer.prune() {
        Ok(0) => {}
        Ok(n) => tracing::info!(files = n, "old messages removed from the mail dir"),
        Err(err) => tracing::error!(error = %err, "mail dir retention failed"),
    }
}
