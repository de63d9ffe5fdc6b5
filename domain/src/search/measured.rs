//! An engine wrapper that records how long searches take (`pairs_search_seconds`, by engine
//! and outcome), so `/metrics` shows engine time apart from the HTTP request around it.

use std::sync::Arc;
use std::time::Instant;

use async_trait::async_trait;

use super::document::SoftwareDoc;
use super::{AuthorityDoc, SearchError, SearchIndex, SearchQuery, SearchResults};

#[derive(Debug)]
pub struct Measured(pub Arc<dyn SearchIndex>);

#[async_trait]
impl SearchIndex for Measured {
    fn engine_name(&self) -> &'static str {
        self.0.engine_name()
    }
    async fn prepare(&self, synonyms: &[(String, Vec<String>)]) -> Result<(), SearchError> {
        self.0.prepare(synonyms).await
    }
    async fn upsert(&self, docs: Vec<AuthorityDoc>) -> Result<(), SearchError> {
        self.0.upsert(docs).await
    }
    async fn remove(&self, keys: Vec<u64>) -> Result<(), SearchError> {
        self.0.remove(keys).await
    }
    async fn rebuild(&self, docs: Vec<AuthorityDoc>) -> Result<(), SearchError> {
        self.0.rebuild(docs).await
    }
    async fn search(&self, query: &SearchQuery) -> Result<SearchResults, SearchError> {
        let started = Instant::now();
        let result = self.0.search(query).await;
        let outcome = if result.is_ok() { "ok" } else { "error" };
        metrics::histogram!(
            "pairs_search_seconds",
            "engine" => self.0.engine_name(),
            "outcome" => outcome
        )
        .record(started.elapsed().as_secs_f64());
        result
    }
    async fn count(&self) -> Result<u64, SearchError> {
        self.0.count().await
    }
    fn peer_universe(&self) -> Option<Arc<crate::peers::Universe>> {
        self.0.peer_universe()
    }
    async fn rebuild_software(&self, docs: Vec<SoftwareDoc>) -> Result<(), SearchError> {
        self.0.rebuild_software(docs).await
    }
    async fn suggest_software(
        &self,
        prefix: &str,
        limit: usize,
    ) -> Result<Vec<SoftwareDoc>, SearchError> {
        self.0.suggest_software(prefix, limit).await
    }
}
