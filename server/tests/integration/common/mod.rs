//! Test harness: a real database per test (a SQLite file, or a fresh PostgreSQL database
//! dropped afterwards) and the real router.
#![allow(dead_code)]

pub mod binary;
pub mod http;
pub mod smtp;
pub mod web;

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU32, Ordering};

use domain::{AppState, Config, db::Db};
use sea_orm::{ConnectionTrait, Database};

/// PostgreSQL server used by the PostgreSQL suites: `PAIRS_TEST_POSTGRES_URL`, without a
/// database name (e.g. `postgres://postgres@127.0.0.1:5432`). Unset: those suites skip.
pub fn postgres_server() -> Option<String> {
    std::env::var("PAIRS_TEST_POSTGRES_URL")
        .ok()
        .filter(|v| !v.trim().is_empty())
        .map(|v| v.trim_end_matches('/').to_string())
}

/// Says loudly that a PostgreSQL test did not run (the Makefile reports it too).
pub fn skip_postgres(test: &str) {
    eprintln!("SKIPPED {test} on PostgreSQL: PAIRS_TEST_POSTGRES_URL is not set");
}

/// The metrics recorder is one per process, and every suite shares this process: a test
/// that makes a request panic on purpose, or one that checks no request panicked, holds
/// this lock, so one suite's deliberate panic is never counted as another's.
pub static PANIC_COUNTER: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

/// `pairs_panics_total` as the process's metrics render it now (0 before any panic).
pub fn panics_so_far() -> u64 {
    server::metrics::handle()
        .render()
        .lines()
        .find_map(|l| l.strip_prefix("pairs_panics_total "))
        .and_then(|n| n.trim().parse().ok())
        .unwrap_or(0)
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// Declares each listed `async fn name(backend: Backend)` as two tests, `sqlite::name` and
/// `postgres::name`. The PostgreSQL one runs when `PAIRS_TEST_POSTGRES_URL` is set and
/// otherwise says on stderr that it skipped (the test command also says it once). Both run
/// on a multi-threaded runtime, as `pairs serve` does.
#[macro_export]
macro_rules! on_both_backends {
    ($($name:ident),+ $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    super::$name($crate::common::Backend::Sqlite).await
                }
            )+
        }
        mod postgres {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    if $crate::common::postgres_server().is_none() {
                        $crate::common::skip_postgres(stringify!($name));
                        return;
                    }
                    super::$name($crate::common::Backend::Postgres).await
                }
            )+
        }
    };
}

pub struct TestDb {
    pub db: Db,
    pub url: String,
    pub dir: tempfile::TempDir,
    pg_drop: Option<(String, String)>,
    /// Set by a test that makes jobs fail on purpose (see `cleanup`).
    failed_jobs_expected: bool,
}

static COUNTER: AtomicU32 = AtomicU32::new(0);

fn unique_name() -> String {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or_default();
    format!(
        "pairs_test_{}_{}_{}",
        std::process::id(),
        nanos,
        COUNTER.fetch_add(1, Ordering::Relaxed)
    )
}

impl TestDb {
    /// An empty database (no migration applied).
    pub async fn empty(backend: Backend) -> Option<Self> {
        let dir = tempfile::tempdir().expect("temp dir");
        match backend {
            Backend::Sqlite => {
                let url = format!(
                    "sqlite://{}?mode=rwc",
                    dir.path().join("pairs.sqlite").display()
                );
                let db = domain::db::connect_url(&url)
                    .await
                    .expect("sqlite connects");
                Some(Self {
                    db,
                    url,
                    dir,
                    pg_drop: None,
                    failed_jobs_expected: false,
                })
            }
            Backend::Postgres => {
                let server = postgres_server()?;
                let name = unique_name();
                let admin = Database::connect(format!("{server}/postgres"))
                    .await
                    .expect("PostgreSQL reachable at PAIRS_TEST_POSTGRES_URL");
                admin
                    .execute_unprepared(&format!("CREATE DATABASE {name}"))
                    .await
                    .expect("create test database");
                admin.close().await.ok();
                let url = format!("{server}/{name}");
                let db = domain::db::connect_url(&url)
                    .await
                    .expect("postgres connects");
                Some(Self {
                    db,
                    url,
                    dir,
                    pg_drop: Some((server, name)),
                    failed_jobs_expected: false,
                })
            }
        }
    }

    /// A migrated database.
    pub async fn migrated(backend: Backend) -> Option<Self> {
        let t = Self::empty(backend).await?;
        domain::db::migrate(&t.db).await.expect("migrations apply");
        Some(t)
    }

    /// This test makes jobs fail on purpose: `cleanup` does not hold it against it.
    pub fn expect_failed_jobs(&mut self) {
        self.failed_jobs_expected = true;
    }

    /// Checks that the test left no job claimed and never settled (a worker that died
    /// mid-pass) and, unless it said so, none failed for good; then closes the connection
    /// and drops the PostgreSQL database.
    pub async fn cleanup(mut self) {
        use domain::entities::job;
        use model::job::JobStatus;
        use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
        let mut refused = vec![JobStatus::Running];
        if !self.failed_jobs_expected {
            refused.push(JobStatus::Failed);
        }
        // An unmigrated database has no jobs table: nothing to check.
        let left: Vec<String> = job::Entity::find()
            .filter(job::Column::Status.is_in(refused))
            .all(&self.db)
            .await
            .unwrap_or_default()
            .iter()
            .map(|j| format!("{} {} {:?}", j.kind, j.status.as_str(), j.last_error))
            .collect();
        self.db.close_by_ref().await.ok();
        if let Some((server, name)) = self.pg_drop.take() {
            drop_database(&server, &name).await;
        }
        assert!(left.is_empty(), "jobs left running or failed: {left:?}");
    }

    pub fn config(&self, extra: &[(&str, &str)]) -> Config {
        Config::from_lookup(|key| match key {
            "PAIRS_DATA_DIR" => Some(self.dir.path().display().to_string()),
            "DATABASE_URL" => Some(self.url.clone()),
            _ => extra
                .iter()
                .find(|(k, _)| *k == key)
                .map(|(_, v)| v.to_string()),
        })
        .expect("test config")
    }

    pub fn state(&self) -> AppState {
        self.state_with(&[])
    }

    pub fn state_with(&self, extra: &[(&str, &str)]) -> AppState {
        let search = std::sync::Arc::new(
            domain::search::embedded::EmbeddedIndex::in_memory().expect("in-memory index"),
        );
        AppState::new(self.db.clone(), self.config(extra), search)
    }
}

pub fn fixture_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/referential")
}

/// The real package, fetched once per machine into the target dir (or
/// `PAIRS_REFERENTIAL_DIR` when set).
pub fn real_referential_dir() -> PathBuf {
    if let Ok(dir) = std::env::var("PAIRS_REFERENTIAL_DIR") {
        return PathBuf::from(dir);
    }
    // Tests run in threads: fetch once per test binary.
    static DIR: std::sync::OnceLock<PathBuf> = std::sync::OnceLock::new();
    DIR.get_or_init(|| {
        let cache = Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/referential-cache");
        domain::referential::fetch_pinned_package(&cache)
            .expect("npm pack of the pinned referential")
    })
    .clone()
}

pub async fn import_fixture(db: &Db) -> domain::referential::ImportSummary {
    let data = domain::referential::Referential::load(&fixture_dir()).expect("fixture loads");
    domain::referential::import(db, &data, |_, _| {})
        .await
        .expect("fixture imports")
}

async fn drop_database(server: &str, name: &str) {
    let admin = Database::connect(format!("{server}/postgres"))
        .await
        .expect("PostgreSQL reachable");
    admin
        .execute_unprepared(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
        .await
        .expect("drop test database");
    admin.close().await.ok();
}

/// A test that panicked before `cleanup` still drops its PostgreSQL database (on a thread
/// of its own: `Drop` cannot await, and the test's runtime may be gone).
impl Drop for TestDb {
    fn drop(&mut self) {
        if let Some((server, name)) = self.pg_drop.take() {
            let _ = std::thread::spawn(move || {
                if let Ok(rt) = tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                {
                    rt.block_on(drop_database(&server, &name));
                }
            })
            .join();
        }
    }
}
