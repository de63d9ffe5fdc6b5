//! Each sign-up keeps its own details with its verification link (`user_tokens.signup`),
//! applied only when that link is confirmed: signing up again over an unverified address
//! no longer replaces the pending sign-up's password, names and authority.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum UserTokens {
    Table,
    Signup,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(UserTokens::Table)
                    .add_column(ColumnDef::new(UserTokens::Signup).text().null())
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(UserTokens::Table)
                    .drop_column(UserTokens::Signup)
                    .to_owned(),
            )
            .await
    }
}
