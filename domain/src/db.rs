//! Database connection and schema migration.

use migration::{Migrator, MigratorTrait};
pub use sea_orm::DatabaseConnection as Db;
use std::time::Duration;

use sea_orm::{ConnectOptions, ConnectionTrait, Database, DatabaseConnection};

use crate::{config::Config, error::DomainResult};

/// Connects to the configured database, creating the data dir for SQLite.
pub async fn connect(config: &Config) -> DomainResult<DatabaseConnection> {
    if config.is_sqlite() {
        std::fs::create_dir_all(&config.data_dir)?;
    }
    connect_with_timeout(
        &config.database_url,
        Duration::from_secs(config.db_timeout_seconds),
    )
    .await
}

/// Connects with the default timeout (tests and tools).
pub async fn connect_url(url: &str) -> DomainResult<DatabaseConnection> {
    connect_with_timeout(url, Duration::from_secs(3)).await
}

/// Connects; connecting and taking a connection from the pool give up after `timeout`,
/// so a database outage is answered within seconds.
pub async fn connect_with_timeout(
    url: &str,
    timeout: Duration,
) -> DomainResult<DatabaseConnection> {
    let mut options = ConnectOptions::new(url.to_owned());
    options
        .sqlx_logging(false)
        .connect_timeout(timeout)
        .acquire_timeout(timeout);
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

/// Starts a transaction that is going to write. On SQLite it takes the write lock at once
/// (`BEGIN IMMEDIATE`, waiting on the busy timeout): a deferred transaction that reads
/// first and writes later fails with « database is locked » when another connection (the
/// background worker) committed in between, whatever the timeout.
pub async fn begin_write(
    db: &DatabaseConnection,
) -> Result<sea_orm::DatabaseTransaction, sea_orm::DbErr> {
    use sea_orm::TransactionTrait;
    if db.get_database_backend() == sea_orm::DbBackend::Sqlite {
        db.begin_with_options(sea_orm::TransactionOptions {
            sqlite_transaction_mode: Some(sea_orm::SqliteTransactionMode::Immediate),
            ..Default::default()
        })
        .await
    } else {
        db.begin().await
    }
}

/// What a write lock is about: each subject class is one namespace of advisory locks.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LockClass {
    /// A member's contact quotas (as sender and as recipient).
    ContactQuota = 0x5041_0001,
    /// A member's pending software proposals.
    Proposals = 0x5041_0002,
    /// The set of active administrators (one subject, 0).
    Administrators = 0x5041_0003,
}

/// Serializes, until `txn` ends, every writer that counts and then writes about these
/// subjects (user ids), so a limit read inside the transaction still holds at its insert.
/// PostgreSQL: transaction-scoped advisory locks, taken in id order (no deadlock between
/// two writers that lock the same two members). SQLite: the write transaction of
/// `begin_write` (`BEGIN IMMEDIATE`) already serializes every writer; nothing to add.
pub async fn lock_subjects(
    txn: &impl ConnectionTrait,
    class: LockClass,
    ids: &[i32],
) -> Result<(), sea_orm::DbErr> {
    if txn.get_database_backend() != sea_orm::DbBackend::Postgres {
        return Ok(());
    }
    let mut ids = ids.to_vec();
    ids.sort_unstable();
    ids.dedup();
    for id in ids {
        txn.execute_raw(sea_orm::Statement::from_sql_and_values(
            sea_orm::DbBackend::Postgres,
            "SELECT pg_advisory_xact_lock($1, $2)",
            [(class as i32).into(), id.into()],
        ))
        .await?;
    }
    Ok(())
}

/// Applies every pending migration.
pub async fn migrate(db: &DatabaseConnection) -> DomainResult<()> {
    Migrator::up(db, None).await?;
    Ok(())
}

/// True when the database answers a trivial query within `within`.
pub async fn is_reachable(db: &DatabaseConnection, within: Duration) -> bool {
    matches!(tokio::time::timeout(within, db.ping()).await, Ok(Ok(())))
}
