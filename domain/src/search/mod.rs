//! Search by tool used: one document per authority, two engines behind one trait.
//!
//! The database is the source of truth; an index is derived and can always be rebuilt.
//! Documents carry no personal data: names of authorities and tools, codes, counts.

pub mod baseline;
pub mod bitset;
pub mod build;
pub mod cache;
pub mod document;
pub mod embedded;
pub mod engine;
pub mod labels;
pub mod lexicon;
pub mod matching;
pub mod measured;
pub mod meili;
pub mod query;
pub mod results;
pub mod snapshot;
pub mod sync;
pub mod workload;

pub use document::{AuthorityDoc, ToolDoc};
pub use engine::{SearchError, SearchIndex};
pub use query::{Facets, Hit, MatchedTool, SearchQuery, SearchResults};

/// The configured engine: Meilisearch when `MEILI_URL` is set, else the embedded index
/// under `$PAIRS_DATA_DIR/search`; behind a result cache when `PAIRS_SEARCH_CACHE` is set.
pub fn open(config: &crate::Config) -> Result<std::sync::Arc<dyn SearchIndex>, SearchError> {
    let engine: std::sync::Arc<dyn SearchIndex> = match &config.meili_url {
        Some(url) => std::sync::Arc::new(meili::MeiliIndex::new(
            url,
            config.meili_key.as_deref(),
            &config.meili_index,
        )?),
        None => std::sync::Arc::new(embedded::EmbeddedIndex::open(
            &config.data_dir.join("search"),
        )?),
    };
    let engine: std::sync::Arc<dyn SearchIndex> = match config.search_cache {
        0 => engine,
        entries => std::sync::Arc::new(cache::Cached::new(engine, entries)),
    };
    Ok(std::sync::Arc::new(measured::Measured(engine)))
}
