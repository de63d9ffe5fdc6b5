//! Server-only core of Pairs: configuration, storage, rules and imports.
//!
//! Nothing in this crate may reach the wasm bundle; the `app` crate depends on it only
//! under its `ssr` feature.

pub mod authorities;
pub mod config;
pub mod db;
pub mod entities;
pub mod error;
pub mod referential;
pub mod text;

pub use config::Config;
pub use error::DomainError;

/// What the HTTP layer and server functions share: handed to Leptos as context.
#[derive(Clone, Debug)]
pub struct AppState {
    pub db: sea_orm::DatabaseConnection,
    pub config: std::sync::Arc<Config>,
}
