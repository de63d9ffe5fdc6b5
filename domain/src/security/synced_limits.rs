//! The public API's rate limit when several processes share one database: decided from a
//! per-process copy of the arrival times, kept in step with the `limit_buckets` table in
//! the background, so a request pays no database round trip once its client is known.
//!
//! The login throttle keeps [`SharedLimits`](super::limits::SharedLimits) (one upsert per
//! attempt, exact: ten guesses are ten whichever process counts them). For the API, whose
//! limit guards against scraping, a millisecond per request is the larger cost; so:
//! - a client this process has not seen (or has swept) is admitted by the table itself, one
//!   upsert, exact across processes, and its arrival time copied here;
//! - a known client is decided here, and what was admitted is pushed to the table at most
//!   every [`PUSH_EVERY`] in one statement, whose answer (every process's admissions) moves
//!   the local copy on. Between two pushes another process's admissions are not seen yet:
//!   processes together may exceed the rate by what each admits in [`PUSH_EVERY`].

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, AtomicI64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

use sea_orm::DatabaseConnection;

use super::limits::{LimitStore, MemoryLimits, Rule, SharedLimits, millis, stored_keys};

/// How often admissions decided here reach the table, at most.
pub const PUSH_EVERY: Duration = Duration::from_millis(100);

/// See the module documentation.
#[derive(Debug, Clone)]
pub struct SyncedLimits {
    inner: Arc<Inner>,
}

#[derive(Debug)]
struct Inner {
    table: SharedLimits,
    local: MemoryLimits,
    /// Milliseconds admitted here per stored key since the last push.
    pending: Mutex<HashMap<String, i64>>,
    pushed_at: AtomicI64,
    /// A background push is under way or about to be.
    pushing: AtomicBool,
    /// One push at a time, so one that returns has nothing drained still in flight.
    push_lock: tokio::sync::Mutex<()>,
}

impl SyncedLimits {
    pub fn new(db: DatabaseConnection) -> Self {
        Self {
            inner: Arc::new(Inner {
                table: SharedLimits::new(db),
                local: MemoryLimits::default(),
                pending: Mutex::new(HashMap::new()),
                pushed_at: AtomicI64::new(0),
                pushing: AtomicBool::new(false),
                push_lock: tokio::sync::Mutex::new(()),
            }),
        }
    }

    /// Sends what was admitted here since the last push, now (the background push calls
    /// this; tests and shutdown may too).
    pub async fn push(&self, now: SystemTime) {
        self.inner.push(millis(now)).await;
    }
}

impl Inner {
    fn pending(&self) -> std::sync::MutexGuard<'_, HashMap<String, i64>> {
        self.pending.lock().unwrap_or_else(|p| p.into_inner())
    }

    async fn push(&self, now: i64) {
        let _one_at_a_time = self.push_lock.lock().await;
        let added: Vec<(String, i64)> = self.pending().drain().collect();
        self.pushed_at.store(now, Ordering::Relaxed);
        match self.table.push(&added, now).await {
            Ok(tats) => self.local.raise(&tats),
            Err(err) => {
                // Kept for the next push: nothing admitted here is lost to the table.
                tracing::error!(error = %err, "rate limit push failed; retried");
                let mut pending = self.pending();
                for (key, ms) in added {
                    *pending.entry(key).or_default() += ms;
                }
            }
        }
    }
}

#[async_trait::async_trait]
impl LimitStore for SyncedLimits {
    async fn admit(&self, keys: &[String], rule: Rule, now: SystemTime) -> Result<(), Duration> {
        let keys = stored_keys(keys);
        if keys.is_empty() {
            return Ok(());
        }
        let at = millis(now);
        let inner = &self.inner;
        match inner.local.admit_stored(&keys, rule, at, true) {
            Ok(true) => {
                let mut pending = inner.pending();
                for key in &keys {
                    *pending.entry(key.clone()).or_default() += rule.interval_ms();
                }
            }
            Ok(false) => {
                // Unknown here: the table decides, and its answer seeds the copy.
                match inner.table.try_admit(&keys, rule, at).await {
                    Ok(Ok(tats)) => inner.local.raise(&tats),
                    Ok(Err(wait)) => {
                        let tat = at + rule.tolerance_ms() + wait;
                        let tats: Vec<_> = keys.iter().map(|k| (k.clone(), tat)).collect();
                        inner.local.raise(&tats);
                        return Err(Duration::from_millis(wait.max(1) as u64));
                    }
                    Err(err) => {
                        tracing::error!(error = %err, "shared rate limit unavailable; admitted");
                    }
                }
            }
            Err(wait) => return Err(Duration::from_millis(wait as u64)),
        }
        let due = at - inner.pushed_at.load(Ordering::Relaxed) >= PUSH_EVERY.as_millis() as i64;
        if due && !inner.pushing.swap(true, Ordering::AcqRel) {
            let inner = self.inner.clone();
            let push = async move {
                inner.push(at).await;
                inner.pushing.store(false, Ordering::Release);
            };
            match tokio::runtime::Handle::try_current() {
                Ok(handle) => {
                    handle.spawn(push);
                }
                Err(_) => push.await,
            }
        }
        Ok(())
    }

    async fn forget(&self, keys: &[String]) {
        let keys = stored_keys(keys);
        self.inner.local.forget_stored(&keys);
        {
            let mut pending = self.inner.pending();
            for key in &keys {
                pending.remove(key);
            }
        }
        self.inner.table.delete(keys).await;
    }

    async fn sweep(&self, now: SystemTime) -> u64 {
        self.inner.push(millis(now)).await;
        self.inner.local.sweep(now).await
    }

    async fn held(&self) -> u64 {
        self.inner.local.held().await
    }
}
