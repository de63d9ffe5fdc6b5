//! Database connection and schema migration.

use migration::{Migrator, MigratorTrait};
pub use sea_orm::DatabaseConnection as Db;
use sea_orm::{ConnectOptions, ConnectionTrait, Database, DatabaseConnection};

use crate::{config::Config, error::DomainResult};

/// Connects to the configured database, creating the data dir for SQLite.
pub async fn connect(config: &Config) -> DomainResult<DatabaseConnection> {
    if config.is_sqlite() {
        std::fs::create_dir_all(&config.data_dir)?;
    }
    connect_url(&config.database_url).await
}

pub async fn connect_url(url: &str) -> DomainResult<DatabaseConnection> {
    let mut options = ConnectOptions::new(url.to_owned());
    options.sqlx_logging(false);
    if url.starts_with("sqlite:") {
        // SQLite allows one writer: a small pool avoids "database is locked" storms.
        options.max_connections(4).min_connections(1);
    } else {
        options.max_connections(16);
    }
    let db = Database::connect(options).await?;
    if url.starts_with("sqlite:") {
        // WAL is stored in the file, so once is enough; sqlx already turns foreign keys on.
        db.execute_unprepared("PRAGMA journal_mode=WAL;").await?;
    }
    Ok(db)
}

/// Applies every pending migration.
pub async fn migrate(db: &DatabaseConnection) -> DomainResult<()> {
    Migrator::up(db, None).await?;
    Ok(())
}

/// True when the database answers a trivial query.
pub async fn is_reachable(db: &DatabaseConnection) -> bool {
    db.ping().await.is_ok()
}
