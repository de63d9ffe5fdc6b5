//! Keeping the index in step with the database through the outbox: changes enqueue a
//! `search_index` job in their own transaction; the worker rebuilds the documents of the
//! authorities concerned. With the engine down the job is retried, so writes never fail
//! because of search and the index catches up when the engine returns.

use sea_orm::{ConnectionTrait, DatabaseConnection};
use serde::{Deserialize, Serialize};

use super::{SearchError, SearchIndex};
use crate::error::{DomainError, DomainResult};
use crate::jobs;

pub const JOB_KIND: &str = "search_index";

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "scope", rename_all = "snake_case")]
pub enum IndexJob {
    /// Rebuild the documents of these authorities (row ids).
    Authorities { ids: Vec<i32> },
    /// Rebuild everything (after an import, a catalogue change, a merge).
    All,
}

pub async fn enqueue(db: &impl ConnectionTrait, job: IndexJob) -> DomainResult<()> {
    let payload = serde_json::to_string(&job)?;
    jobs::enqueue(db, JOB_KIND, payload, None).await
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
    // Usage counts (and proposed names) of the suggestions change with declarations.
    let software = super::build::software_documents(db)
        .await
        .map_err(database)?;
    index.rebuild_software(software).await?;
    index.upsert(docs).await
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
