//! Rate limits per key (a client address, an account, an emailed token's digest), shared
//! by the login/sign-up throttle and the public-read rate limit: the generic cell rate
//! algorithm, one number per key (the theoretical arrival time of its next attempt), so a
//! key may spend its whole burst at once and then one attempt per interval. A refused
//! attempt records nothing, under any of its keys.
//!
//! Two stores behind one trait: [`MemoryLimits`] for a single process (SQLite, where one
//! process serves by construction) and [`SharedLimits`] in the database, so that several
//! processes behind a balancer apply one limit between them (PostgreSQL): one upsert per
//! check, the row lock deciding between concurrent attempts.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use sea_orm::{ConnectionTrait, DatabaseConnection, DbBackend, TransactionTrait};

use crate::sql::numbered as statement;

/// Most keys held at once (memory) or left after a sweep (database). A refused attempt
/// records nothing, so one client adds at most its burst of keys; the cap only bounds a
/// flood from very many clients.
pub const CAPACITY: usize = 100_000;

/// A limit: `burst` attempts at once, then one per `interval`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Rule {
    pub burst: u32,
    pub interval: Duration,
}

impl Rule {
    /// `max` attempts in a burst, the credit coming back over `window`.
    pub fn per_window(max: u32, window: Duration) -> Self {
        let burst = max.max(1);
        Self {
            burst,
            interval: window / burst,
        }
    }

    /// `limit` requests a minute.
    pub fn per_minute(limit: u32) -> Self {
        Self::per_window(limit, Duration::from_secs(60))
    }

    pub(crate) fn interval_ms(&self) -> i64 {
        (self.interval.as_millis() as i64).max(1)
    }

    /// How far ahead of now a key's arrival time may be and still admit an attempt.
    pub(crate) fn tolerance_ms(&self) -> i64 {
        self.interval_ms() * i64::from(self.burst - 1)
    }

    /// The key's next arrival time if this attempt at `now` is admitted, or how long to
    /// wait (milliseconds) when it is not.
    pub(crate) fn decide(&self, tat: Option<i64>, now: i64) -> Result<i64, i64> {
        let tat = tat.unwrap_or(now).max(now);
        let ahead = tat - now;
        if ahead > self.tolerance_ms() {
            Err(ahead - self.tolerance_ms())
        } else {
            Ok(tat + self.interval_ms())
        }
    }
}

/// Milliseconds since the Unix epoch: the unit both stores count in.
pub fn millis(at: SystemTime) -> i64 {
    at.duration_since(UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or(0)
}

/// The stored form of a key: its digest, so no key holds more than 64 bytes whatever a
/// client posts, and no row names a person (account keys are built from email addresses;
/// the table must hold nothing an erasure would have to find).
fn stored_key(key: &str) -> String {
    super::token::digest(key)
}

/// Each key once, in one order (so concurrent checks lock rows in the same order).
pub(crate) fn stored_keys(keys: &[String]) -> Vec<String> {
    let mut keys: Vec<String> = keys.iter().map(|k| stored_key(k)).collect();
    keys.sort();
    keys.dedup();
    keys
}

/// Where the keys' arrival times are kept.
#[async_trait::async_trait]
pub trait LimitStore: Send + Sync + std::fmt::Debug {
    /// Counts one attempt at `now` under every key when each is within `rule`; otherwise
    /// records nothing and says how long to wait. A store that cannot answer (the
    /// database is down) admits: the attempt itself then fails on the same database.
    async fn admit(&self, keys: &[String], rule: Rule, now: SystemTime) -> Result<(), Duration>;

    /// Forgets the keys (a successful login clears its account's counter).
    async fn forget(&self, keys: &[String]);

    /// Drops what no longer limits anyone at `now`, and the least used keys beyond
    /// [`CAPACITY`]; returns how many keys went.
    async fn sweep(&self, now: SystemTime) -> u64;

    /// Keys held now (for the memory tests).
    async fn held(&self) -> u64;
}

/// The in-process store.
#[derive(Debug, Default)]
pub struct MemoryLimits {
    inner: Mutex<Memory>,
}

#[derive(Debug, Default)]
struct Memory {
    tat: HashMap<String, i64>,
    swept: Option<i64>,
}

/// How often the memory store drops aged keys while it is used.
const MEMORY_SWEEP_MS: i64 = 10_000;

impl MemoryLimits {
    fn lock(&self) -> std::sync::MutexGuard<'_, Memory> {
        self.inner.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn sweep_locked(memory: &mut Memory, now: i64) -> u64 {
        let before = memory.tat.len();
        memory.tat.retain(|_, tat| *tat > now);
        if memory.tat.len() >= CAPACITY {
            // Full of live keys: drop the hundredth with the least credit used.
            let mut tats: Vec<i64> = memory.tat.values().copied().collect();
            let cut = CAPACITY / 100;
            let (_, nth, _) = tats.select_nth_unstable(cut);
            let nth = *nth;
            memory.tat.retain(|_, tat| *tat > nth);
        }
        memory.swept = Some(now);
        (before - memory.tat.len()) as u64
    }
}

impl MemoryLimits {
    /// Admits under stored keys at `now` (ms), or says how long to wait (ms). With
    /// `known_only`, a key this store does not hold yet answers `Ok(false)` and nothing
    /// is recorded: the caller asks the table first.
    pub(crate) fn admit_stored(
        &self,
        keys: &[String],
        rule: Rule,
        now: i64,
        known_only: bool,
    ) -> Result<bool, i64> {
        let mut memory = self.lock();
        if memory
            .swept
            .is_none_or(|at| now - at >= MEMORY_SWEEP_MS || memory.tat.len() >= CAPACITY)
        {
            Self::sweep_locked(&mut memory, now);
        }
        let mut next = Vec::with_capacity(keys.len());
        let mut wait = 0;
        for key in keys {
            let tat = memory.tat.get(key).copied();
            if known_only && tat.is_none() {
                return Ok(false);
            }
            match rule.decide(tat, now) {
                Ok(tat) => next.push(tat),
                Err(ms) => wait = wait.max(ms),
            }
        }
        if wait > 0 {
            return Err(wait);
        }
        for (key, tat) in keys.iter().zip(next) {
            memory.tat.insert(key.clone(), tat);
        }
        Ok(true)
    }

    /// Moves stored keys' arrival times up to what another store says, never back.
    pub(crate) fn raise(&self, tats: &[(String, i64)]) {
        let mut memory = self.lock();
        for (key, tat) in tats {
            let held = memory.tat.entry(key.clone()).or_insert(*tat);
            *held = (*held).max(*tat);
        }
    }

    /// Forgets stored keys.
    pub(crate) fn forget_stored(&self, keys: &[String]) {
        let mut memory = self.lock();
        for key in keys {
            memory.tat.remove(key);
        }
    }
}

#[async_trait::async_trait]
impl LimitStore for MemoryLimits {
    async fn admit(&self, keys: &[String], rule: Rule, now: SystemTime) -> Result<(), Duration> {
        self.admit_stored(&stored_keys(keys), rule, millis(now), false)
            .map(|_| ())
            .map_err(|wait| Duration::from_millis(wait as u64))
    }

    async fn forget(&self, keys: &[String]) {
        self.forget_stored(&stored_keys(keys));
    }

    async fn sweep(&self, now: SystemTime) -> u64 {
        Self::sweep_locked(&mut self.lock(), millis(now))
    }

    async fn held(&self) -> u64 {
        self.lock().tat.len() as u64
    }
}

/// The store in the database table `limit_buckets`, shared by every process.
#[derive(Debug, Clone)]
pub struct SharedLimits {
    db: DatabaseConnection,
}

impl SharedLimits {
    pub fn new(db: DatabaseConnection) -> Self {
        Self { db }
    }
}

/// `$from, $from+1, …` for `count` values.
fn placeholders(from: usize, count: usize) -> String {
    (from..from + count)
        .map(|n| format!("${n}"))
        .collect::<Vec<_>>()
        .join(", ")
}

impl SharedLimits {
    /// One upsert for every key: a row is written (inserted, or its arrival time moved on)
    /// only when the key admits the attempt; the returned keys are those admitted.
    async fn upsert(
        db: &impl ConnectionTrait,
        keys: &[String],
        rule: Rule,
        now: i64,
    ) -> Result<Vec<(String, i64)>, sea_orm::DbErr> {
        let backend = db.get_database_backend();
        let rows = (0..keys.len())
            .map(|i| format!("(${}, $1)", i + 3))
            .collect::<Vec<_>>()
            .join(", ");
        // The rule's figures are our own integers, written in the text; the time and the
        // keys are bound.
        let sql = format!(
            "INSERT INTO limit_buckets (key, tat) VALUES {rows} \
             ON CONFLICT (key) DO UPDATE SET tat = \
               (CASE WHEN limit_buckets.tat > $2 THEN limit_buckets.tat ELSE $2 END) + {interval} \
             WHERE limit_buckets.tat - $2 <= {tolerance} \
             RETURNING key, tat",
            interval = rule.interval_ms(),
            tolerance = rule.tolerance_ms(),
        );
        let mut values: Vec<sea_orm::Value> = vec![(now + rule.interval_ms()).into(), now.into()];
        values.extend(keys.iter().map(|k| k.clone().into()));
        db.query_all_raw(statement(backend, &sql, values))
            .await?
            .iter()
            .map(|row| Ok((row.try_get("", "key")?, row.try_get("", "tat")?)))
            .collect()
    }

    /// How long the most loaded of `keys` must wait at `now`.
    async fn wait(
        db: &impl ConnectionTrait,
        keys: &[String],
        rule: Rule,
        now: i64,
    ) -> Result<i64, sea_orm::DbErr> {
        let backend = db.get_database_backend();
        let sql = format!(
            "SELECT MAX(tat) AS tat FROM limit_buckets WHERE key IN ({})",
            placeholders(1, keys.len())
        );
        let values = keys.iter().map(|k| k.clone().into()).collect();
        let tat = match db.query_one_raw(statement(backend, &sql, values)).await? {
            Some(row) => row.try_get::<Option<i64>>("", "tat")?,
            None => None,
        };
        Ok(rule.decide(tat, now).err().unwrap_or(1))
    }

    /// Admits at `now` (stored keys, sorted): `Ok` with each key's new arrival time, or
    /// `Err` with the wait in milliseconds, nothing recorded.
    pub(crate) async fn try_admit(
        &self,
        keys: &[String],
        rule: Rule,
        now: i64,
    ) -> Result<Result<Vec<(String, i64)>, i64>, sea_orm::DbErr> {
        if keys.len() == 1 {
            // One key: one statement, no transaction.
            let admitted = Self::upsert(&self.db, keys, rule, now).await?;
            if admitted.len() == 1 {
                return Ok(Ok(admitted));
            }
            return Ok(Err(Self::wait(&self.db, keys, rule, now).await?));
        }
        let txn = self.db.begin().await?;
        let admitted = Self::upsert(&txn, keys, rule, now).await?;
        if admitted.len() == keys.len() {
            txn.commit().await?;
            return Ok(Ok(admitted));
        }
        // Some key refused: nothing is recorded under any.
        let wait = Self::wait(&txn, keys, rule, now).await?;
        txn.rollback().await?;
        Ok(Err(wait))
    }

    /// Deletes the rows of `keys` (stored keys).
    pub(crate) async fn delete(&self, keys: Vec<String>) {
        if keys.is_empty() {
            return;
        }
        let backend = self.db.get_database_backend();
        let sql = format!(
            "DELETE FROM limit_buckets WHERE key IN ({})",
            placeholders(1, keys.len())
        );
        let values = keys.into_iter().map(Into::into).collect();
        if let Err(err) = self.db.execute_raw(statement(backend, &sql, values)).await {
            tracing::error!(error = %err, "shared rate limit: keys not forgotten");
        }
    }

    /// Moves each key's arrival time on by what this process admitted since its last push
    /// (`(key, milliseconds)`), unconditionally; returns the keys' arrival times now,
    /// which include what every other process admitted.
    pub(crate) async fn push(
        &self,
        added: &[(String, i64)],
        now: i64,
    ) -> Result<Vec<(String, i64)>, sea_orm::DbErr> {
        if added.is_empty() {
            return Ok(Vec::new());
        }
        let backend = self.db.get_database_backend();
        let rows = (0..added.len())
            .map(|i| format!("(${}, ${})", 2 * i + 2, 2 * i + 3))
            .collect::<Vec<_>>()
            .join(", ");
        // A new row starts at now plus what was added, so `excluded.tat - now` is the
        // amount to add to an existing one.
        let sql = format!(
            "INSERT INTO limit_buckets (key, tat) VALUES {rows} \
             ON CONFLICT (key) DO UPDATE SET tat = \
               (CASE WHEN limit_buckets.tat > $1 THEN limit_buckets.tat ELSE $1 END) \
               + (excluded.tat - $1) \
             RETURNING key, tat"
        );
        let mut values: Vec<sea_orm::Value> = vec![now.into()];
        for (key, ms) in added {
            values.push(key.clone().into());
            values.push((now + ms).into());
        }
        self.db
            .query_all_raw(statement(backend, &sql, values))
            .await?
            .iter()
            .map(|row| Ok((row.try_get("", "key")?, row.try_get("", "tat")?)))
            .collect()
    }
}

#[async_trait::async_trait]
impl LimitStore for SharedLimits {
    async fn admit(&self, keys: &[String], rule: Rule, now: SystemTime) -> Result<(), Duration> {
        let keys = stored_keys(keys);
        if keys.is_empty() {
            return Ok(());
        }
        match self.try_admit(&keys, rule, millis(now)).await {
            Ok(Ok(_)) => Ok(()),
            Ok(Err(wait)) => Err(Duration::from_millis(wait.max(1) as u64)),
            Err(err) => {
                tracing::error!(error = %err, "shared rate limit unavailable; attempt admitted");
                Ok(())
            }
        }
    }

    async fn forget(&self, keys: &[String]) {
        self.delete(stored_keys(keys)).await;
    }

    async fn sweep(&self, now: SystemTime) -> u64 {
        match sweep_table(&self.db, millis(now)).await {
            Ok(n) => n,
            Err(err) => {
                tracing::error!(error = %err, "shared rate limit sweep failed");
                0
            }
        }
    }

    async fn held(&self) -> u64 {
        let backend = self.db.get_database_backend();
        let stmt = statement(backend, "SELECT COUNT(*) AS n FROM limit_buckets", vec![]);
        match self.db.query_one_raw(stmt).await {
            Ok(Some(row)) => row.try_get::<i64>("", "n").unwrap_or(0) as u64,
            _ => 0,
        }
    }
}

/// Deletes the rows that no longer limit anyone, then the least used beyond [`CAPACITY`].
pub async fn sweep_table(db: &impl ConnectionTrait, now: i64) -> Result<u64, sea_orm::DbErr> {
    let backend = db.get_database_backend();
    let mut gone = db
        .execute_raw(statement(
            backend,
            "DELETE FROM limit_buckets WHERE tat <= $1",
            vec![now.into()],
        ))
        .await?
        .rows_affected();
    // Beyond the cap, the rows with the least credit used go first.
    let beyond = match backend {
        DbBackend::Postgres => format!("OFFSET {CAPACITY}"),
        _ => format!("LIMIT -1 OFFSET {CAPACITY}"),
    };
    gone += db
        .execute_raw(statement(
            backend,
            &format!(
                "DELETE FROM limit_buckets WHERE key IN \
                 (SELECT key FROM limit_buckets ORDER BY tat DESC {beyond})"
            ),
            vec![],
        ))
        .await?
        .rows_affected();
    Ok(gone)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(ms: u64) -> SystemTime {
        UNIX_EPOCH + Duration::from_secs(1_000_000) + Duration::from_millis(ms)
    }

    fn keys(list: &[&str]) -> Vec<String> {
        list.iter().map(|k| k.to_string()).collect()
    }

    #[tokio::test]
    async fn a_burst_then_one_per_interval() {
        let store = MemoryLimits::default();
        let rule = Rule::per_minute(3);
        let a = keys(&["a"]);
        for _ in 0..3 {
            assert_eq!(store.admit(&a, rule, at(0)).await, Ok(()));
        }
        assert_eq!(
            store.admit(&a, rule, at(0)).await,
            Err(Duration::from_secs(20)),
            "the fourth at once waits an interval"
        );
        assert_eq!(store.admit(&keys(&["b"]), rule, at(0)).await, Ok(()));
        assert!(store.admit(&a, rule, at(19_000)).await.is_err());
        assert_eq!(store.admit(&a, rule, at(20_000)).await, Ok(()));
        assert!(store.admit(&a, rule, at(20_000)).await.is_err());
        // Idle for long: the whole burst again, not more.
        for _ in 0..3 {
            assert_eq!(store.admit(&a, rule, at(600_000)).await, Ok(()));
        }
        assert!(store.admit(&a, rule, at(600_000)).await.is_err());
    }

    #[tokio::test]
    async fn a_refusal_records_nothing_and_long_keys_are_digested() {
        let store = MemoryLimits::default();
        let rule = Rule::per_window(1, Duration::from_secs(60));
        let ip = "login:ip:1.2.3.4".to_string();
        assert!(
            store
                .admit(std::slice::from_ref(&ip), rule, at(0))
                .await
                .is_ok()
        );
        for n in 0..1000 {
            let account = format!("login:account:{}{n}@x.fr", "a".repeat(100_000));
            assert!(
                store
                    .admit(&[ip.clone(), account], rule, at(0))
                    .await
                    .is_err()
            );
        }
        assert_eq!(store.held().await, 1, "the refused attempts left no key");
        let long = format!("login:account:{}", "b".repeat(100_000));
        assert!(
            store
                .admit(std::slice::from_ref(&long), rule, at(0))
                .await
                .is_ok()
        );
        assert!(
            store.admit(&[long], rule, at(0)).await.is_err(),
            "digested keys still count"
        );
        let held: usize = store.lock().tat.keys().map(String::len).sum();
        assert!(held < 200, "{held} bytes of keys");
    }

    #[tokio::test]
    async fn forgotten_and_aged_keys_go() {
        let store = MemoryLimits::default();
        let rule = Rule::per_window(3, Duration::from_secs(60));
        for n in 0..50 {
            assert!(store.admit(&[format!("k{n}")], rule, at(0)).await.is_ok());
        }
        store.forget(&keys(&["k0", "k1"])).await;
        assert_eq!(store.held().await, 48);
        assert_eq!(
            store.sweep(at(21_000)).await,
            48,
            "a used interval has passed"
        );
        assert_eq!(store.held().await, 0);
    }

    #[tokio::test]
    async fn the_memory_store_is_bounded() {
        let store = MemoryLimits::default();
        // Every key stays live for an hour: only the cap can drop them.
        let rule = Rule::per_window(1, Duration::from_secs(3600));
        for n in 0..CAPACITY + 500 {
            assert!(
                store
                    .admit(&[format!("k{n}")], rule, at(n as u64))
                    .await
                    .is_ok()
            );
        }
        let len = store.held().await as usize;
        assert!(len <= CAPACITY, "{len} keys");
        assert!(len > CAPACITY / 2, "{len} keys: most are kept");
        assert!(
            store
                .lock()
                .tat
                .contains_key(&stored_key(&format!("k{}", CAPACITY + 499))),
            "the newest is kept"
        );
    }

    #[test]
    fn rules_from_limits() {
        let rule = Rule::per_window(10, Duration::from_secs(900));
        assert_eq!(rule.interval, Duration::from_secs(90));
        assert_eq!(rule.tolerance_ms(), 810_000);
        assert_eq!(Rule::per_minute(0).burst, 1, "never a zero burst");
    }
}
