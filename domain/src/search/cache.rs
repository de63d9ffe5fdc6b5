//! An optional result cache in front of an engine (`PAIRS_SEARCH_CACHE` entries; off by
//! default). A write through this process clears it; an entry lives at most one second, so
//! a write made by another process (several servers on one Meilisearch) shows within a
//! second too.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use async_trait::async_trait;

use super::document::SoftwareDoc;
use super::{AuthorityDoc, SearchError, SearchIndex, SearchQuery, SearchResults};

const LIFETIME: Duration = Duration::from_secs(1);

#[derive(Debug)]
pub struct Cached {
    inner: Arc<dyn SearchIndex>,
    capacity: usize,
    entries: Mutex<HashMap<SearchQuery, (Instant, Arc<SearchResults>)>>,
}

impl Cached {
    pub fn new(inner: Arc<dyn SearchIndex>, capacity: usize) -> Self {
        Self {
            inner,
            capacity,
            entries: Mutex::new(HashMap::new()),
        }
    }

    fn clear(&self) {
        if let Ok(mut entries) = self.entries.lock() {
            entries.clear();
        }
    }
}

#[async_trait]
impl SearchIndex for Cached {
    fn engine_name(&self) -> &'static str {
        self.inner.engine_name()
    }
    async fn prepare(&self, synonyms: &[(String, Vec<String>)]) -> Result<(), SearchError> {
        self.inner.prepare(synonyms).await
    }
    async fn upsert(&self, docs: Vec<AuthorityDoc>) -> Result<(), SearchError> {
        let done = self.inner.upsert(docs).await;
        self.clear();
        done
    }
    async fn remove(&self, keys: Vec<u64>) -> Result<(), SearchError> {
        let done = self.inner.remove(keys).await;
        self.clear();
        done
    }
    async fn rebuild(&self, docs: Vec<AuthorityDoc>) -> Result<(), SearchError> {
        let done = self.inner.rebuild(docs).await;
        self.clear();
        done
    }
    async fn search(&self, query: &SearchQuery) -> Result<SearchResults, SearchError> {
        let now = Instant::now();
        if let Ok(entries) = self.entries.lock()
            && let Some((at, results)) = entries.get(query)
            && now.duration_since(*at) < LIFETIME
        {
            return Ok(results.as_ref().clone());
        }
        let results = self.inner.search(query).await?;
        if let Ok(mut entries) = self.entries.lock() {
            if entries.len() >= self.capacity {
                entries.retain(|_, (at, _)| now.duration_since(*at) < LIFETIME);
                if entries.len() >= self.capacity {
                    entries.clear();
                }
            }
            entries.insert(query.clone(), (now, Arc::new(results.clone())));
        }
        Ok(results)
    }
    async fn count(&self) -> Result<u64, SearchError> {
        self.inner.count().await
    }
    fn peer_universe(&self) -> Option<std::sync::Arc<crate::peers::Universe>> {
        self.inner.peer_universe()
    }
    async fn rebuild_software(&self, docs: Vec<SoftwareDoc>) -> Result<(), SearchError> {
        self.inner.rebuild_software(docs).await
    }
    async fn suggest_software(
        &self,
        prefix: &str,
        limit: usize,
    ) -> Result<Vec<SoftwareDoc>, SearchError> {
        self.inner.suggest_software(prefix, limit).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::search::embedded::EmbeddedIndex;

    fn doc(key: u64, name: &str) -> AuthorityDoc {
        AuthorityDoc {
            key,
            id: format!("a-{key}"),
            name: name.into(),
            kind: "commune".into(),
            departement: None,
            departement_name: None,
            region: None,
            region_name: None,
            population: None,
            population_band: "inconnue".into(),
            is_member: false,
            label_level: None,
            postcodes: Vec::new(),
            codes: Vec::new(),
            tools: Vec::new(),
            epci: None,
            contactable_members: 0,
            identity_words: Vec::new(),
        }
    }

    #[tokio::test]
    async fn a_write_through_the_cache_is_seen_at_once() {
        let engine: Arc<dyn SearchIndex> = Arc::new(EmbeddedIndex::in_memory().expect("index"));
        let cached = Cached::new(engine, 8);
        let q = SearchQuery {
            q: "istres".into(),
            page: 1,
            per_page: 10,
            ..Default::default()
        };
        cached
            .rebuild(vec![doc(1, "Istres")])
            .await
            .expect("rebuild");
        assert_eq!(cached.search(&q).await.expect("search").total, 1);
        assert_eq!(cached.search(&q).await.expect("cached").total, 1);
        cached
            .upsert(vec![doc(2, "Istres-Ouest")])
            .await
            .expect("upsert");
        assert_eq!(cached.search(&q).await.expect("search").total, 2);
    }
}
