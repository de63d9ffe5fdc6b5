//! What an abandoned tool was replaced by, when the declaration says it (« ce que vos pairs
//! ont abandonné », and for what). `NULL`: not said, or not abandoned.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Usages {
    Table,
    ReplacedById,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Usages::Table)
                    .add_column(ColumnDef::new(Usages::ReplacedById).integer().null())
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Usages::Table)
                    .drop_column(Usages::ReplacedById)
                    .to_owned(),
            )
            .await
    }
}
