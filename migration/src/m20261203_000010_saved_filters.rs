//! Search text that names people (an email, a name typed in an administration filter) is
//! kept here, behind an opaque id, so it never appears in a URL, an access log, the
//! browser's history or a `Referer`. Rows live one day.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum SavedFilters {
    Table,
    Id,
    UserId,
    Page,
    Text,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Users {
    Table,
    Id,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(SavedFilters::Table)
                    .if_not_exists()
                    .col(
                        ColumnDef::new(SavedFilters::Id)
                            .string_len(32)
                            .not_null()
                            .primary_key(),
                    )
                    .col(ColumnDef::new(SavedFilters::UserId).integer().not_null())
                    // membres | journal
                    .col(ColumnDef::new(SavedFilters::Page).string_len(16).not_null())
                    .col(
                        ColumnDef::new(SavedFilters::Text)
                            .string_len(254)
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(SavedFilters::CreatedAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_saved_filters_user")
                            .from(SavedFilters::Table, SavedFilters::UserId)
                            .to(Users::Table, Users::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(SavedFilters::Table).to_owned())
            .await
    }
}
