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
pub mod permissions;
pub mod referential;
pub mod search;
pub mod security;
pub mod sql;
pub mod statistics;
pub mod text;
pub mod usages;
pub mod worker;

pub use config::Config;
pub use error::DomainError;

/// What the HTTP layer and server functions share: handed to Leptos as context.
#[derive(Clone, Debug)]
pub struct AppState {
    pub db: sea_orm::DatabaseConnection,
    pub config: std::sync::Arc<Config>,
    pub throttle: std::sync::Arc<security::throttle::Throttle>,
    /// What refused forms leave for the page they return to.
    pub flash: std::sync::Arc<security::flash::FlashStore>,
    pub search: std::sync::Arc<dyn search::SearchIndex>,
    /// Facet labels for the search page, read once.
    pub labels: search::labels::LabelCache,
}

impl AppState {
    pub fn new(
        db: sea_orm::DatabaseConnection,
        config: Config,
        search: std::sync::Arc<dyn search::SearchIndex>,
    ) -> Self {
        let throttle = security::throttle::Throttle::new(
            config.throttle_max,
            std::time::Duration::from_secs(config.throttle_window_seconds),
        );
        Self {
            db,
            config: std::sync::Arc::new(config),
            throttle: std::sync::Arc::new(throttle),
            flash: Default::default(),
            search,
            labels: search::labels::LabelCache::default(),
        }
    }
}
