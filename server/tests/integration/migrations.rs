//! Migrations apply, roll back and re-apply on SQLite and PostgreSQL.

use crate::common;

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

/// (column, nullable) of a table as the migrations made it.
async fn migrated_columns(db: &domain::db::Db, table: &str) -> Vec<(String, bool)> {
    let backend = db.get_database_backend();
    let mut columns: Vec<(String, bool)> = match backend {
        sea_orm::DbBackend::Sqlite => db
            .query_all_raw(Statement::from_string(
                backend,
                format!("PRAGMA table_info(\"{table}\")"),
            ))
            .await
            .expect("table_info")
            .into_iter()
            .map(|r| {
                let name: String = r.try_get("", "name").expect("name");
                let not_null: i32 = r.try_get("", "notnull").expect("notnull");
                // SQLite reports an INTEGER PRIMARY KEY as nullable; it never is.
                let pk: i32 = r.try_get("", "pk").expect("pk");
                (name, not_null == 0 && pk == 0)
            })
            .collect(),
        _ => db
            .query_all_raw(Statement::from_string(
                backend,
                format!(
                    "SELECT column_name::text AS c, is_nullable::text AS n FROM information_schema.columns \
                     WHERE table_schema = current_schema() AND table_name = '{table}'"
                ),
            ))
            .await
            .expect("columns")
            .into_iter()
            .map(|r| {
                let name: String = r.try_get("", "c").expect("column");
                let nullable: String = r.try_get("", "n").expect("nullable");
                (name, nullable == "YES")
            })
            .collect(),
    };
    columns.sort();
    columns
}

/// (column, nullable) of an entity as the code reads and writes it.
fn entity_columns<E: sea_orm::EntityTrait>() -> (String, Vec<(String, bool)>) {
    use sea_orm::{ColumnTrait, Iterable};
    let table = sea_orm::EntityName::table_name(&E::default()).to_string();
    let mut columns: Vec<(String, bool)> = E::Column::iter()
        .map(|c| {
            (
                sea_orm::IdenStatic::as_str(&c).to_string(),
                c.def().is_null(),
            )
        })
        .collect();
    columns.sort();
    (table, columns)
}

/// Every entity matches its table: the same columns, each nullable on both sides or on
/// neither. A migration that forgets a column, or an entity field that is `Option` where
/// the column is `NOT NULL` (or the reverse), fails here rather than at run time.
async fn entities_match_the_migrated_schema(backend: Backend) -> bool {
    use domain::entities::*;
    let Some(t) = TestDb::empty(backend).await else {
        return false;
    };
    Migrator::up(&t.db, None).await.expect("up");
    let entities = [
        entity_columns::<app_secret::Entity>(),
        entity_columns::<audit_log::Entity>(),
        entity_columns::<authority::Entity>(),
        entity_columns::<category::Entity>(),
        entity_columns::<contact_block::Entity>(),
        entity_columns::<contact_link::Entity>(),
        entity_columns::<contact_report::Entity>(),
        entity_columns::<contact_request::Entity>(),
        entity_columns::<job::Entity>(),
        entity_columns::<profile_report::Entity>(),
        entity_columns::<session::Entity>(),
        entity_columns::<software::Entity>(),
        entity_columns::<usage::Entity>(),
        entity_columns::<usage_referent::Entity>(),
        entity_columns::<used_form_stamp::Entity>(),
        entity_columns::<user::Entity>(),
        entity_columns::<user_token::Entity>(),
    ];
    for (table, columns) in entities {
        assert_eq!(
            migrated_columns(&t.db, &table).await,
            columns,
            "table {table}: migrated (left) vs entity (right)"
        );
    }
    t.cleanup().await;
    true
}

#[tokio::test]
async fn entities_match_the_schema_on_sqlite() {
    assert!(entities_match_the_migrated_schema(Backend::Sqlite).await);
}

#[tokio::test]
async fn entities_match_the_schema_on_postgres() {
    if !entities_match_the_migrated_schema(Backend::Postgres).await {
        common::skip_postgres("entities_match_the_schema_on_postgres");
    }
}
