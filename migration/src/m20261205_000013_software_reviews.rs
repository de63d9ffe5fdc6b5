//! Retours d'expérience: a short public text about a tool, one per authority and tool,
//! signed by the authority. `author_id` is who wrote it (for the journal and the export),
//! set to `NULL` when that account is deleted; the text stays, signed by the authority.
//! A member's report waits on the row (`reported_at`, `report_reason`) for moderation.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum SoftwareReviews {
    Table,
    Id,
    SoftwareId,
    AuthorityId,
    AuthorId,
    Text,
    Hidden,
    ReportReason,
    ReportedAt,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum Software {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Authorities {
    Table,
    Id,
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
                    .table(SoftwareReviews::Table)
                    .if_not_exists()
                    .col(
                        ColumnDef::new(SoftwareReviews::Id)
                            .integer()
                            .not_null()
                            .auto_increment()
                            .primary_key(),
                    )
                    .col(
                        ColumnDef::new(SoftwareReviews::SoftwareId)
                            .integer()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(SoftwareReviews::AuthorityId)
                            .integer()
                            .not_null(),
                    )
                    .col(ColumnDef::new(SoftwareReviews::AuthorId).integer().null())
                    .col(ColumnDef::new(SoftwareReviews::Text).text().not_null())
                    .col(
                        ColumnDef::new(SoftwareReviews::Hidden)
                            .boolean()
                            .not_null()
                            .default(false),
                    )
                    .col(ColumnDef::new(SoftwareReviews::ReportReason).text().null())
                    .col(
                        ColumnDef::new(SoftwareReviews::ReportedAt)
                            .timestamp_with_time_zone()
                            .null(),
                    )
                    .col(
                        ColumnDef::new(SoftwareReviews::CreatedAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(SoftwareReviews::UpdatedAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_software_reviews_software")
                            .from(SoftwareReviews::Table, SoftwareReviews::SoftwareId)
                            .to(Software::Table, Software::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_software_reviews_authority")
                            .from(SoftwareReviews::Table, SoftwareReviews::AuthorityId)
                            .to(Authorities::Table, Authorities::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_software_reviews_author")
                            .from(SoftwareReviews::Table, SoftwareReviews::AuthorId)
                            .to(Users::Table, Users::Id)
                            .on_delete(ForeignKeyAction::SetNull),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_software_reviews_one_per_authority")
                    .table(SoftwareReviews::Table)
                    .col(SoftwareReviews::SoftwareId)
                    .col(SoftwareReviews::AuthorityId)
                    .unique()
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(SoftwareReviews::Table).to_owned())
            .await
    }
}
