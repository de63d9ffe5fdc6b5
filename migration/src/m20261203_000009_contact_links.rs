//! One token per action of a contact mail (stop all requests, block the sender, report),
//! each with an expiry, instead of one token for all three that never expired. Links of
//! mails already sent keep working, for 90 days from this migration.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum ContactLinks {
    Table,
    Id,
    TokenHash,
    RequestId,
    Action,
    ExpiresAt,
}

#[derive(DeriveIden)]
enum ContactRequests {
    Table,
    Id,
    ActionTokenHash,
}

/// How long a mailed link works (also `domain::contact::links::LIFETIME_DAYS`).
const LIFETIME_DAYS: i64 = 90;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(ContactLinks::Table)
                    .if_not_exists()
                    .col(
                        ColumnDef::new(ContactLinks::Id)
                            .big_integer()
                            .not_null()
                            .auto_increment()
                            .primary_key(),
                    )
                    .col(
                        ColumnDef::new(ContactLinks::TokenHash)
                            .string_len(64)
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(ContactLinks::RequestId)
                            .big_integer()
                            .not_null(),
                    )
                    // desinscription | bloquer | signaler
                    .col(
                        ColumnDef::new(ContactLinks::Action)
                            .string_len(16)
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(ContactLinks::ExpiresAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_contact_links_request")
                            .from(ContactLinks::Table, ContactLinks::RequestId)
                            .to(ContactRequests::Table, ContactRequests::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ux_contact_links_token_action")
                    .table(ContactLinks::Table)
                    .col(ContactLinks::TokenHash)
                    .col(ContactLinks::Action)
                    .unique()
                    .to_owned(),
            )
            .await?;
        // The one token of each mail already sent serves its three actions, for a while.
        let expires = chrono::Utc::now() + chrono::Duration::days(LIFETIME_DAYS);
        for action in ["desinscription", "bloquer", "signaler"] {
            let insert = Query::insert()
                .into_table(ContactLinks::Table)
                .columns([
                    ContactLinks::TokenHash,
                    ContactLinks::RequestId,
                    ContactLinks::Action,
                    ContactLinks::ExpiresAt,
                ])
                .select_from(
                    Query::select()
                        .column(ContactRequests::ActionTokenHash)
                        .column(ContactRequests::Id)
                        .expr(Expr::val(action))
                        .expr(Expr::val(expires))
                        .from(ContactRequests::Table)
                        .and_where(Expr::col(ContactRequests::ActionTokenHash).is_not_null())
                        .to_owned(),
                )
                .map_err(|e| DbErr::Migration(e.to_string()))?
                .to_owned();
            manager.exec_stmt(insert).await?;
        }
        // SQLite drops no indexed column: the index goes first.
        manager
            .drop_index(
                Index::drop()
                    .name("ux_contact_requests_token")
                    .table(ContactRequests::Table)
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(ContactRequests::Table)
                    .drop_column(ContactRequests::ActionTokenHash)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(ContactRequests::Table)
                    .add_column(
                        ColumnDef::new(ContactRequests::ActionTokenHash)
                            .string_len(64)
                            .null(),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ux_contact_requests_token")
                    .table(ContactRequests::Table)
                    .col(ContactRequests::ActionTokenHash)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .drop_table(Table::drop().table(ContactLinks::Table).to_owned())
            .await
    }
}
