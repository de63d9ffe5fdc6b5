//! Form stamps already used: a contact form (or a software proposal) is sent once, however
//! many parallel posts carry its stamp. Rows older than a stamp's lifetime are purged.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum UsedFormStamps {
    Table,
    Digest,
    UsedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(UsedFormStamps::Table)
                    .if_not_exists()
                    .col(
                        ColumnDef::new(UsedFormStamps::Digest)
                            .string_len(64)
                            .not_null()
                            .primary_key(),
                    )
                    .col(
                        ColumnDef::new(UsedFormStamps::UsedAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(UsedFormStamps::Table).to_owned())
            .await
    }
}
