//! Migrations apply, roll back and re-apply on SQLite and PostgreSQL.

mod common;

use common::{Backend, TestDb};
use migration::{Migrator, MigratorTrait};
use sea_orm::{ConnectionTrait, Statement};

async fn table_exists(db: &domain::db::Db, table: &str) -> bool {
    let backend = db.get_database_backend();
    let sql = match backend {
        sea_orm::DbBackend::Sqlite => {
            format!("SELECT count(*) AS n FROM sqlite_master WHERE type='table' AND name='{table}'")
        }
        _ => format!(
            "SELECT count(*) AS n FROM information_schema.tables WHERE table_name='{table}'"
        ),
    };
    let row = db
        .query_one_raw(Statement::from_string(backend, sql))
        .await
        .expect("query")
        .expect("one row");
    row.try_get::<i64>("", "n").expect("count") == 1
}

async fn up_down_up(backend: Backend) -> bool {
    let Some(t) = TestDb::empty(backend).await else {
        return false;
    };
    Migrator::up(&t.db, None).await.expect("up");
    for table in [
        "authorities",
        "jobs",
        "audit_log",
        "users",
        "sessions",
        "user_tokens",
    ] {
        assert!(table_exists(&t.db, table).await, "{table} exists after up");
    }
    // Running again is a no-op.
    Migrator::up(&t.db, None).await.expect("second up");
    assert!(
        Migrator::get_pending_migrations(&t.db)
            .await
            .expect("pending")
            .is_empty()
    );
    Migrator::down(&t.db, None).await.expect("down");
    assert!(
        !table_exists(&t.db, "authorities").await,
        "authorities dropped by down"
    );
    Migrator::up(&t.db, None).await.expect("up again");
    assert!(table_exists(&t.db, "authorities").await);
    t.cleanup().await;
    true
}

#[tokio::test]
async fn migrations_on_sqlite() {
    assert!(up_down_up(Backend::Sqlite).await);
}

#[tokio::test]
async fn migrations_on_postgres() {
    if !up_down_up(Backend::Postgres).await {
        common::skip_postgres("migrations_on_postgres");
    }
}
