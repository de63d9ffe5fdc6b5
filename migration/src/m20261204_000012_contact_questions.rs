//! One question to many referents: each recipient's request is an ordinary contact request
//! (its own mail, links, state and limits), tied to the others by `question_id`, the id of
//! the question's first request. `NULL` for a request to one member.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum ContactRequests {
    Table,
    QuestionId,
}

const INDEX: &str = "idx_contact_requests_question";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(ContactRequests::Table)
                    .add_column(
                        ColumnDef::new(ContactRequests::QuestionId)
                            .big_integer()
                            .null(),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name(INDEX)
                    .table(ContactRequests::Table)
                    .col(ContactRequests::QuestionId)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_index(
                Index::drop()
                    .name(INDEX)
                    .table(ContactRequests::Table)
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(ContactRequests::Table)
                    .drop_column(ContactRequests::QuestionId)
                    .to_owned(),
            )
            .await
    }
}
