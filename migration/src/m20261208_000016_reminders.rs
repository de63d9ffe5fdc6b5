//! Reminders that keep declarations fresh: on `usages`, how many reminders went unanswered
//! since the last confirmation and when the last was sent; on `users`, whether the member
//! wants reminders and when they last got one; `reminder_links`, the single-use links of a
//! reminder mail (one per declaration and action, stored hashed).

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Usages {
    Table,
    Id,
    RemindersSent,
    RemindedAt,
}

#[derive(DeriveIden)]
enum Users {
    Table,
    Id,
    RemindersOn,
    RemindedAt,
}

#[derive(DeriveIden)]
enum ReminderLinks {
    Table,
    Id,
    TokenHash,
    UsageId,
    UserId,
    Action,
    ExpiresAt,
    UsedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // SQLite adds one column per statement.
        let columns = [
            (
                Usages::Table,
                ColumnDef::new(Usages::RemindersSent)
                    .integer()
                    .not_null()
                    .default(0)
                    .to_owned(),
            ),
            (
                Usages::Table,
                ColumnDef::new(Usages::RemindedAt)
                    .timestamp_with_time_zone()
                    .null()
                    .to_owned(),
            ),
        ];
        for (table, column) in columns {
            manager
                .alter_table(Table::alter().table(table).add_column(column).to_owned())
                .await?;
        }
        let columns = [
            ColumnDef::new(Users::RemindersOn)
                .boolean()
                .not_null()
                .default(true)
                .to_owned(),
            ColumnDef::new(Users::RemindedAt)
                .timestamp_with_time_zone()
                .null()
                .to_owned(),
        ];
        for column in columns {
            manager
                .alter_table(
                    Table::alter()
                        .table(Users::Table)
                        .add_column(column)
                        .to_owned(),
                )
                .await?;
        }
        manager
            .create_table(
                Table::create()
                    .table(ReminderLinks::Table)
                    .if_not_exists()
                    .col(
                        ColumnDef::new(ReminderLinks::Id)
                            .big_integer()
                            .not_null()
                            .auto_increment()
                            .primary_key(),
                    )
                    .col(
                        ColumnDef::new(ReminderLinks::TokenHash)
                            .string_len(64)
                            .not_null()
                            .unique_key(),
                    )
                    .col(ColumnDef::new(ReminderLinks::UsageId).integer().not_null())
                    .col(ColumnDef::new(ReminderLinks::UserId).integer().not_null())
                    // confirmer | abandonner
                    .col(
                        ColumnDef::new(ReminderLinks::Action)
                            .string_len(16)
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(ReminderLinks::ExpiresAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(ReminderLinks::UsedAt)
                            .timestamp_with_time_zone()
                            .null(),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_reminder_links_usage")
                            .from(ReminderLinks::Table, ReminderLinks::UsageId)
                            .to(Usages::Table, Usages::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_reminder_links_user")
                            .from(ReminderLinks::Table, ReminderLinks::UserId)
                            .to(Users::Table, Users::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(ReminderLinks::Table).to_owned())
            .await?;
        for column in [Users::RemindedAt, Users::RemindersOn] {
            manager
                .alter_table(
                    Table::alter()
                        .table(Users::Table)
                        .drop_column(column)
                        .to_owned(),
                )
                .await?;
        }
        for column in [Usages::RemindedAt, Usages::RemindersSent] {
            manager
                .alter_table(
                    Table::alter()
                        .table(Usages::Table)
                        .drop_column(column)
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }
}
