//! The trait both engines implement, and their errors.

use async_trait::async_trait;

use super::{AuthorityDoc, SearchQuery, SearchResults, document::SoftwareDoc};

#[derive(Debug, thiserror::Error)]
pub enum SearchError {
    /// The engine cannot be reached (network, server down): retry later.
    #[error("search engine unavailable: {0}")]
    Unavailable(String),
    #[error("search engine error: {0}")]
    Engine(String),
    /// The embedded index is held by another process (a running `pairs serve`): only one
    /// process may write it.
    #[error("the embedded index is in use by another process")]
    Busy,
}

#[async_trait]
pub trait SearchIndex: Send + Sync + std::fmt::Debug {
    /// A short name for logs and the API ("embedded", "meilisearch").
    fn engine_name(&self) -> &'static str;
    /// Applies settings (searchable/filterable attributes, synonyms). Idempotent.
    async fn prepare(&self, synonyms: &[(String, Vec<String>)]) -> Result<(), SearchError>;
    /// Adds or replaces documents.
    async fn upsert(&self, docs: Vec<AuthorityDoc>) -> Result<(), SearchError>;
    /// Removes documents by key.
    async fn remove(&self, keys: Vec<u64>) -> Result<(), SearchError>;
    /// Replaces the whole content at once: searches never see an empty or half index.
    async fn rebuild(&self, docs: Vec<AuthorityDoc>) -> Result<(), SearchError>;
    async fn search(&self, query: &SearchQuery) -> Result<SearchResults, SearchError>;
    async fn count(&self) -> Result<u64, SearchError>;
    /// The bitsets « Vos pairs » is computed over, when the engine holds them (the
    /// embedded snapshot); `None`: the caller builds them from the database.
    fn peer_universe(&self) -> Option<std::sync::Arc<crate::peers::Universe>> {
        None
    }
    /// Replaces the software suggestions.
    async fn rebuild_software(&self, docs: Vec<SoftwareDoc>) -> Result<(), SearchError>;
    /// Catalogue entries whose name, alias or similar name starts like the query (typos
    /// tolerated), most used first.
    async fn suggest_software(
        &self,
        prefix: &str,
        limit: usize,
    ) -> Result<Vec<SoftwareDoc>, SearchError>;
}
