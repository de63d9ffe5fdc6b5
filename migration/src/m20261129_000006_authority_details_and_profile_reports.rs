//! Identity fields the national referential lacks (website, short description), set by
//! administrators; and members' reports of profiles that break the rules, for the
//! moderators' queue.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Authorities {
    Table,
    Website,
    Description,
}

#[derive(DeriveIden)]
enum ProfileReports {
    Table,
    Id,
    ProfileId,
    ReporterId,
    Reason,
    Status,
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
        // SQLite adds one column per ALTER TABLE.
        manager
            .alter_table(
                Table::alter()
                    .table(Authorities::Table)
                    .add_column(ColumnDef::new(Authorities::Website).string_len(300).null())
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(Authorities::Table)
                    .add_column(ColumnDef::new(Authorities::Description).text().null())
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(ProfileReports::Table)
                    .if_not_exists()
                    .col(
                        ColumnDef::new(ProfileReports::Id)
                            .big_integer()
                            .not_null()
                            .auto_increment()
                            .primary_key(),
                    )
                    .col(
                        ColumnDef::new(ProfileReports::ProfileId)
                            .integer()
                            .not_null(),
                    )
                    .col(ColumnDef::new(ProfileReports::ReporterId).integer().null())
                    .col(ColumnDef::new(ProfileReports::Reason).text().not_null())
                    // open -> dismissed | actioned
                    .col(
                        ColumnDef::new(ProfileReports::Status)
                            .string_len(16)
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(ProfileReports::CreatedAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_profile_reports_profile")
                            .from(ProfileReports::Table, ProfileReports::ProfileId)
                            .to(Users::Table, Users::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_profile_reports_reporter")
                            .from(ProfileReports::Table, ProfileReports::ReporterId)
                            .to(Users::Table, Users::Id)
                            .on_delete(ForeignKeyAction::SetNull),
                    )
                    .to_owned(),
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(ProfileReports::Table).to_owned())
            .await?;
        for column in [Authorities::Description, Authorities::Website] {
            manager
                .alter_table(
                    Table::alter()
                        .table(Authorities::Table)
                        .drop_column(column)
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }
}
