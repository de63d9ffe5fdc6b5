//! State that several `pairs serve` processes behind one balancer must share: the
//! buckets of the login/sign-up throttle and of the public-read rate limit (one row per
//! client or account key, its theoretical arrival time in milliseconds), and the flashes a
//! refused form leaves for the next page (under the digest of the cookie's token). Both
//! are throwaway: on PostgreSQL they are `UNLOGGED` (not written to the WAL, emptied after
//! a crash, which only forgets limits and pending messages); the worker expires rows.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum LimitBuckets {
    Table,
    Key,
    Tat,
}

#[derive(DeriveIden)]
enum Flashes {
    Table,
    TokenDigest,
    Path,
    Error,
    Fields,
    CreatedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(LimitBuckets::Table)
                    .if_not_exists()
                    .col(
                        ColumnDef::new(LimitBuckets::Key)
                            .string_len(128)
                            .not_null()
                            .primary_key(),
                    )
                    // Milliseconds since the Unix epoch.
                    .col(ColumnDef::new(LimitBuckets::Tat).big_integer().not_null())
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_limit_buckets_tat")
                    .table(LimitBuckets::Table)
                    .col(LimitBuckets::Tat)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Flashes::Table)
                    .if_not_exists()
                    .col(
                        ColumnDef::new(Flashes::TokenDigest)
                            .string_len(64)
                            .not_null()
                            .primary_key(),
                    )
                    .col(ColumnDef::new(Flashes::Path).text().not_null())
                    .col(ColumnDef::new(Flashes::Error).text().not_null())
                    // The typed values, as a JSON array of [name, value] pairs.
                    .col(ColumnDef::new(Flashes::Fields).text().not_null())
                    .col(
                        ColumnDef::new(Flashes::CreatedAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_flashes_created_at")
                    .table(Flashes::Table)
                    .col(Flashes::CreatedAt)
                    .to_owned(),
            )
            .await?;
        if manager.get_database_backend() == sea_orm::DbBackend::Postgres {
            let db = manager.get_connection();
            db.execute_unprepared("ALTER TABLE limit_buckets SET UNLOGGED")
                .await?;
            db.execute_unprepared("ALTER TABLE flashes SET UNLOGGED")
                .await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(Flashes::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(LimitBuckets::Table).to_owned())
            .await
    }
}
