//! Where a peers page gets its universe and its target. The embedded engine lends the
//! universe of its current snapshot (built once per snapshot); Meilisearch keeps no
//! bitsets, so the universe is then built from documents read from the database — every
//! authority with a declaration — and kept `TTL` per process (a declaration shows among
//! peers within a minute there, at once on the embedded engine).

use std::sync::Arc;
use std::time::{Duration, Instant};

use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect};

use super::{PEER_COUNT, Peers, Target, Universe, compute};
use crate::entities::{authority, software, usage};
use crate::error::DomainResult;
use crate::search::SearchIndex;

/// How long a universe read from the database serves.
pub const TTL: Duration = Duration::from_secs(60);

/// The universe read from the database, per process (Meilisearch only).
#[derive(Debug, Default)]
pub struct Cache {
    slot: tokio::sync::Mutex<Option<(Instant, Arc<Universe>)>>,
}

impl Cache {
    /// The cached universe, read again when older than `TTL`; concurrent callers wait for
    /// one read instead of each reading.
    async fn get(&self, db: &impl ConnectionTrait) -> DomainResult<Arc<Universe>> {
        let mut slot = self.slot.lock().await;
        if let Some((at, universe)) = slot.as_ref()
            && at.elapsed() < TTL
        {
            return Ok(universe.clone());
        }
        let universe = Arc::new(from_database(db).await?);
        *slot = Some((Instant::now(), universe.clone()));
        Ok(universe)
    }
}

/// Every authority with a declaration, as search documents, in a universe.
pub async fn from_database(db: &impl ConnectionTrait) -> DomainResult<Universe> {
    let ids: Vec<i32> = usage::Entity::find()
        .select_only()
        .column(usage::Column::AuthorityId)
        .distinct()
        .into_tuple()
        .all(db)
        .await?;
    let docs = crate::search::build::documents(db, Some(&ids)).await?;
    let docs: Vec<Arc<_>> = docs.into_iter().map(Arc::new).collect();
    Ok(Universe::from_docs(&docs))
}

/// The authority with this public id, as a peer search sees it.
pub async fn target(db: &impl ConnectionTrait, public_id: &str) -> DomainResult<Option<Target>> {
    let Some(a) = authority::Entity::find()
        .filter(authority::Column::PublicId.eq(public_id))
        .one(db)
        .await?
    else {
        return Ok(None);
    };
    let declared: Vec<String> = usage::Entity::find()
        .inner_join(software::Entity)
        .select_only()
        .column(software::Column::Slug)
        .filter(usage::Column::AuthorityId.eq(a.id))
        .into_tuple()
        .all(db)
        .await?;
    Ok(Some(Target {
        key: a.id as u64,
        public_id: a.public_id,
        name: a.name,
        kind: a.kind.as_str().to_string(),
        region: a.region_code,
        population: a.population,
        epci: a.epci_id.map(|id| id as u64),
        declared,
    }))
}

/// The peers of the authority with this public id (`None`: no such authority).
pub async fn for_authority(
    db: &impl ConnectionTrait,
    search: &dyn SearchIndex,
    cache: &Cache,
    public_id: &str,
) -> DomainResult<Option<(Target, Peers)>> {
    let Some(target) = target(db, public_id).await? else {
        return Ok(None);
    };
    let universe = match search.peer_universe() {
        Some(universe) => universe,
        None => cache.get(db).await?,
    };
    let peers = compute(&universe, &target, PEER_COUNT);
    Ok(Some((target, peers)))
}
