//! Following tools and categories, and the events of declarations their digests tell of:
//! `follows` (who follows what), `declaration_events` (what happened to a declaration:
//! authority, tool, old and new status, time — no person), and on `users` the digest's
//! frequency and the end of the last period it covered.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Follows {
    Table,
    Id,
    UserId,
    Target,
    TargetId,
    CreatedAt,
}

#[derive(DeriveIden)]
enum DeclarationEvents {
    Table,
    Id,
    AuthorityId,
    SoftwareId,
    Kind,
    OldStatus,
    NewStatus,
    At,
}

#[derive(DeriveIden)]
enum Users {
    Table,
    Id,
    DigestFrequency,
    DigestUntil,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Follows::Table)
                    .if_not_exists()
                    .col(
                        ColumnDef::new(Follows::Id)
                            .integer()
                            .not_null()
                            .auto_increment()
                            .primary_key(),
                    )
                    .col(ColumnDef::new(Follows::UserId).integer().not_null())
                    // logiciel | categorie
                    .col(ColumnDef::new(Follows::Target).string_len(16).not_null())
                    .col(ColumnDef::new(Follows::TargetId).integer().not_null())
                    .col(
                        ColumnDef::new(Follows::CreatedAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_follows_user")
                            .from(Follows::Table, Follows::UserId)
                            .to(Users::Table, Users::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ux_follows_user_target")
                    .table(Follows::Table)
                    .col(Follows::UserId)
                    .col(Follows::Target)
                    .col(Follows::TargetId)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(DeclarationEvents::Table)
                    .if_not_exists()
                    .col(
                        ColumnDef::new(DeclarationEvents::Id)
                            .big_integer()
                            .not_null()
                            .auto_increment()
                            .primary_key(),
                    )
                    .col(
                        ColumnDef::new(DeclarationEvents::AuthorityId)
                            .integer()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(DeclarationEvents::SoftwareId)
                            .integer()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(DeclarationEvents::Kind)
                            .string_len(16)
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(DeclarationEvents::OldStatus)
                            .string_len(16)
                            .null(),
                    )
                    .col(
                        ColumnDef::new(DeclarationEvents::NewStatus)
                            .string_len(16)
                            .null(),
                    )
                    .col(
                        ColumnDef::new(DeclarationEvents::At)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .to_owned(),
            )
            .await?;
        // Digests read a period's events, feeds one tool's newest.
        manager
            .create_index(
                Index::create()
                    .name("ix_declaration_events_at")
                    .table(DeclarationEvents::Table)
                    .col(DeclarationEvents::At)
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_declaration_events_software")
                    .table(DeclarationEvents::Table)
                    .col(DeclarationEvents::SoftwareId)
                    .col(DeclarationEvents::At)
                    .to_owned(),
            )
            .await?;
        // SQLite adds one column per statement.
        manager
            .alter_table(
                Table::alter()
                    .table(Users::Table)
                    .add_column(
                        ColumnDef::new(Users::DigestFrequency)
                            .string_len(16)
                            .not_null()
                            .default("weekly"),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(Users::Table)
                    .add_column(
                        ColumnDef::new(Users::DigestUntil)
                            .timestamp_with_time_zone()
                            .null(),
                    )
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for column in [Users::DigestUntil, Users::DigestFrequency] {
            manager
                .alter_table(
                    Table::alter()
                        .table(Users::Table)
                        .drop_column(column)
                        .to_owned(),
                )
                .await?;
        }
        manager
            .drop_table(Table::drop().table(DeclarationEvents::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(Follows::Table).to_owned())
            .await
    }
}
