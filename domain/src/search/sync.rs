//! Keeping the index in step with the database through the outbox: changes enqueue a
//! `search_index` job in their own transaction; the worker rebuilds the documents of the
//! authorities concerned. With the engine down the job is retried, so writes never fail
//! because of search and the index catches up when the engine returns.

use sea_orm::{ConnectionTrait, DatabaseConnection};
use serde::{Deserialize, Serialize};

use super::{SearchError, SearchIndex};
use crate::error::{DomainError, DomainResult};
use crate::jobs::{self, Failure, Job, Pass};

/// The `kind` of index jobs.
pub const JOB_KIND: &str = <IndexJob as Job>::KIND;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "scope", rename_all = "snake_case")]
pub enum IndexJob {
    /// Rebuild the documents of these authorities (row ids).
    Authorities { ids: Vec<i32> },
    /// Rebuild everything (after an import, a catalogue change, a merge).
    All,
}

impl Job for IndexJob {
    const KIND: &'static str = "search_index";
    type Context = dyn SearchIndex;

    /// Engine errors are transient: the job waits for the engine to come back.
    async fn run(&self, db: &DatabaseConnection, index: &Self::Context) -> Result<(), Failure> {
        apply(db, index, self)
            .await
            .map_err(|e| Failure::transient(e.to_string()))
    }
}

pub async fn enqueue(db: &impl ConnectionTrait, job: IndexJob) -> DomainResult<()> {
    jobs::enqueue(db, &job).await
}

/// The PostgreSQL advisory lock that serializes index passes across processes ("PAIRS_IX").
pub const INDEX_LOCK: i64 = 0x5041_4952_535f_4958;

/// Applies every due index job once. On PostgreSQL, several app processes share one
/// queue: only the one holding the index lock applies index jobs at a time, in order, so a
/// full rebuild and an update never interleave (the others find the lock taken and skip
/// this pass). SQLite has one process.
pub async fn run_index_pass(
    db: &DatabaseConnection,
    index: &(dyn SearchIndex + 'static),
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
    let pass = jobs::run_pass::<IndexJob>(db, index).await;
    if let Some(txn) = lock {
        txn.commit().await?;
    }
    pass
}

pub async fn enqueue_authority(db: &impl ConnectionTrait, id: i32) -> DomainResult<()> {
    enqueue(db, IndexJob::Authorities { ids: vec![id] }).await
}

/// Runs one index job.
pub async fn apply(
    db: &DatabaseConnection,
    index: &dyn SearchIndex,
    job: &IndexJob,
) -> Result<(), SearchError> {
    let database = |e: DomainError| SearchError::Unavailable(format!("database: {e}"));
    match job {
        IndexJob::Authorities { ids } => apply_authorities(db, index, ids).await,
        IndexJob::All => {
            let started = chrono::Utc::now() - chrono::Duration::seconds(REPLAY_MARGIN_SECONDS);
            let docs = super::build::documents(db, None).await.map_err(database)?;
            let software = super::build::software_documents(db)
                .await
                .map_err(database)?;
            index.rebuild_software(software).await?;
            index.rebuild(docs).await?;
            replay_since(db, index, started).await.map_err(|e| match e {
                DomainError::Engine(e) => SearchError::Engine(e),
                other => database(other),
            })
        }
    }
}

async fn apply_authorities(
    db: &DatabaseConnection,
    index: &dyn SearchIndex,
    ids: &[i32],
) -> Result<(), SearchError> {
    let database = |e: DomainError| SearchError::Unavailable(format!("database: {e}"));
    let docs = super::build::documents(db, Some(ids))
        .await
        .map_err(database)?;
    let found: Vec<u64> = docs.iter().map(|d| d.key).collect();
    let gone: Vec<u64> = ids
        .iter()
        .map(|i| *i as u64)
        .filter(|k| !found.contains(k))
        .collect();
    if !gone.is_empty() {
        index.remove(gone).await?;
    }
    // The documents first: they are what a search finds, and on Meilisearch each task
    // takes a batch (about half a second), so a declaration is searchable after one.
    index.upsert(docs).await?;
    // Then the suggestions, whose usage counts (and proposed names) change with
    // declarations.
    let software = super::build::software_documents(db)
        .await
        .map_err(database)?;
    index.rebuild_software(software).await
}

/// Rebuilds the whole index now (the `reindex` command), applying settings first.
pub async fn reindex_all(db: &DatabaseConnection, index: &dyn SearchIndex) -> DomainResult<usize> {
    reindex_all_with(db, index, |_| {}).await
}

/// The same, telling `step` what it starts (four steps).
pub async fn reindex_all_with(
    db: &DatabaseConnection,
    index: &dyn SearchIndex,
    mut step: impl FnMut(&str),
) -> DomainResult<usize> {
    let engine = |e: SearchError| DomainError::Engine(e.to_string());
    step("réglages du moteur");
    let synonyms = super::build::synonyms(db).await?;
    index.prepare(&synonyms).await.map_err(engine)?;
    step("suggestions de logiciels");
    let software = super::build::software_documents(db).await?;
    index.rebuild_software(software).await.map_err(engine)?;
    // Changes committed while the documents are read and indexed may have reached the old
    // index only; they are replayed after the swap. The margin covers transactions that
    // enqueued their job before the rebuild started but committed after the read.
    let started = chrono::Utc::now() - chrono::Duration::seconds(REPLAY_MARGIN_SECONDS);
    step("documents depuis la base");
    let docs = super::build::documents(db, None).await?;
    let n = docs.len();
    step("indexation");
    index.rebuild(docs).await.map_err(engine)?;
    replay_since(db, index, started).await?;
    Ok(n)
}

/// How far before a rebuild's start its replay looks.
pub const REPLAY_MARGIN_SECONDS: i64 = 60;

/// Re-applies, from the database as it is now, the authorities of every index job
/// enqueued since `since` (done or not): idempotent, so replaying one twice is harmless.
pub async fn replay_since(
    db: &DatabaseConnection,
    index: &dyn SearchIndex,
    since: chrono::DateTime<chrono::Utc>,
) -> DomainResult<()> {
    use crate::entities::job;
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
    let mut ids: Vec<i32> = Vec::new();
    for j in job::Entity::find()
        .filter(job::Column::Kind.eq(JOB_KIND))
        .filter(job::Column::CreatedAt.gte(since))
        .all(db)
        .await?
    {
        if let Ok(IndexJob::Authorities { ids: more }) = serde_json::from_str(&j.payload) {
            ids.extend(more);
        }
    }
    ids.sort_unstable();
    ids.dedup();
    if ids.is_empty() {
        return Ok(());
    }
    apply_authorities(db, index, &ids)
        .await
        .map_err(|e| DomainError::Engine(e.to_string()))
}
