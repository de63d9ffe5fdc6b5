//! Local authorities of the national referential: communes, EPCI, départements, régions.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Authorities {
    Table,
    Id,
    PublicId,
    Siren,
    CogCode,
    Kind,
    EpciType,
    Name,
    Slug,
    SearchName,
    DepartementCode,
    RegionCode,
    Population,
    Postcodes,
    EpciId,
    IsMember,
    MemberSince,
    LabelLevel,
    LabelYear,
    CreatedAt,
    UpdatedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Authorities::Table)
                    .if_not_exists()
                    .col(
                        ColumnDef::new(Authorities::Id)
                            .integer()
                            .not_null()
                            .auto_increment()
                            .primary_key(),
                    )
                    .col(
                        ColumnDef::new(Authorities::PublicId)
                            .string_len(32)
                            .not_null(),
                    )
                    .col(ColumnDef::new(Authorities::Siren).string_len(9).null())
                    .col(ColumnDef::new(Authorities::CogCode).string_len(5).null())
                    .col(ColumnDef::new(Authorities::Kind).string_len(16).not_null())
                    .col(ColumnDef::new(Authorities::EpciType).string_len(8).null())
                    .col(ColumnDef::new(Authorities::Name).string_len(200).not_null())
                    .col(ColumnDef::new(Authorities::Slug).string_len(200).not_null())
                    .col(
                        ColumnDef::new(Authorities::SearchName)
                            .string_len(200)
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(Authorities::DepartementCode)
                            .string_len(3)
                            .null(),
                    )
                    .col(ColumnDef::new(Authorities::RegionCode).string_len(3).null())
                    .col(ColumnDef::new(Authorities::Population).big_integer().null())
                    .col(
                        ColumnDef::new(Authorities::Postcodes)
                            .string_len(400)
                            .not_null()
                            .default(""),
                    )
                    .col(ColumnDef::new(Authorities::EpciId).integer().null())
                    .col(
                        ColumnDef::new(Authorities::IsMember)
                            .boolean()
                            .not_null()
                            .default(false),
                    )
                    .col(ColumnDef::new(Authorities::MemberSince).date().null())
                    .col(
                        ColumnDef::new(Authorities::LabelLevel)
                            .small_integer()
                            .null(),
                    )
                    .col(ColumnDef::new(Authorities::LabelYear).integer().null())
                    .col(
                        ColumnDef::new(Authorities::CreatedAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(Authorities::UpdatedAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_authorities_epci")
                            .from(Authorities::Table, Authorities::EpciId)
                            .to(Authorities::Table, Authorities::Id)
                            .on_delete(ForeignKeyAction::SetNull),
                    )
                    .check(
                        Expr::col(Authorities::LabelLevel)
                            .is_null()
                            .or(Expr::col(Authorities::LabelLevel).between(1, 5)),
                    )
                    .to_owned(),
            )
            .await?;

        let indexes = [
            (
                "ux_authorities_public_id",
                vec![Authorities::PublicId],
                true,
            ),
            ("ux_authorities_siren", vec![Authorities::Siren], true),
            (
                "ix_authorities_kind_cog",
                vec![Authorities::Kind, Authorities::CogCode],
                false,
            ),
            ("ix_authorities_epci", vec![Authorities::EpciId], false),
            (
                "ix_authorities_search_name",
                vec![Authorities::SearchName],
                false,
            ),
            (
                "ix_authorities_departement",
                vec![Authorities::DepartementCode],
                false,
            ),
        ];
        for (name, cols, unique) in indexes {
            let mut index = Index::create();
            index.name(name).table(Authorities::Table).if_not_exists();
            for col in cols {
                index.col(col);
            }
            if unique {
                index.unique();
            }
            manager.create_index(index.to_owned()).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(Authorities::Table).to_owned())
            .await
    }
}
