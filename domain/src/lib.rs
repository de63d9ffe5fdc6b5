//! Server-only core of Pairs: configuration, storage, rules and imports.
//!
//! Nothing in this crate may reach the wasm bundle; the `app` crate depends on it only
//! under its `ssr` feature.

pub mod accounts;
pub mod actor;
pub mod audit;
pub mod authorities;
pub mod catalogue;
pub mod config;
pub mod contact;
pub mod db;
pub mod demo;
pub mod entities;
pub mod error;
pub mod jobs;
pub mod mail;
pub mod map;
pub mod network;
pub mod open_data;
pub mod peers;
pub mod permissions;
pub mod referential;
pub mod search;
pub mod security;
pub mod sql;
pub mod statistics;
pub mod text;
pub mod usages;
pub mod watch;
pub mod worker;

pub use config::Config;
pub use error::DomainError;

/// What the HTTP layer and server functions share: handed to Leptos as context.
#[derive(Clone, Debug)]
pub struct AppState {
    pub db: sea_orm::DatabaseConnection,
    pub config: std::sync::Arc<Config>,
    /// Where the throttle keeps its counters (exact across processes).
    pub limits: std::sync::Arc<dyn security::limits::LimitStore>,
    /// Where the public reads' rate limit keeps its counters: the same store on SQLite, a
    /// per-process copy kept in step with the table on PostgreSQL (no round trip per
    /// request: `security::synced_limits`).
    pub api_limits: std::sync::Arc<dyn security::limits::LimitStore>,
    pub throttle: security::throttle::Throttle,
    /// What refused forms leave for the page they return to.
    pub flash: std::sync::Arc<dyn security::flash::FlashStore>,
    pub search: std::sync::Arc<dyn search::SearchIndex>,
    /// Facet labels for the search page, read once.
    pub labels: search::labels::LabelCache,
    /// « Vos pairs »' universe read from the database (Meilisearch only).
    pub peers: std::sync::Arc<peers::source::Cache>,
    /// The catalogue and software pages' public reads, per process.
    pub catalogue: std::sync::Arc<catalogue::cache::Cache>,
    /// Set once the process is told to stop: `/healthz` then answers 503.
    pub draining: std::sync::Arc<std::sync::atomic::AtomicBool>,
}

impl AppState {
    /// On PostgreSQL, where several processes may serve behind one balancer, limits and
    /// flashes live in the database so that they are the same whichever process answers;
    /// on SQLite (one process by construction) they stay in memory.
    pub fn new(
        db: sea_orm::DatabaseConnection,
        config: Config,
        search: std::sync::Arc<dyn search::SearchIndex>,
    ) -> Self {
        use std::sync::Arc;
        let shared = db.get_database_backend() == sea_orm::DbBackend::Postgres;
        type Limits = Arc<dyn security::limits::LimitStore>;
        let (limits, api_limits, flash): (Limits, Limits, Arc<dyn security::flash::FlashStore>) =
            if shared {
                (
                    Arc::new(security::limits::SharedLimits::new(db.clone())),
                    Arc::new(security::synced_limits::SyncedLimits::new(db.clone())),
                    Arc::new(security::flash::SharedFlash::new(db.clone())),
                )
            } else {
                let memory: Limits = Arc::new(security::limits::MemoryLimits::default());
                (
                    memory.clone(),
                    memory,
                    Arc::new(security::flash::MemoryFlash::default()),
                )
            };
        let throttle = security::throttle::Throttle::new(
            limits.clone(),
            config.throttle_max,
            std::time::Duration::from_secs(config.throttle_window_seconds),
        );
        Self {
            db,
            config: Arc::new(config),
            limits,
            api_limits,
            throttle,
            flash,
            search,
            labels: search::labels::LabelCache::default(),
            peers: Default::default(),
            catalogue: Default::default(),
            draining: Default::default(),
        }
    }
}
