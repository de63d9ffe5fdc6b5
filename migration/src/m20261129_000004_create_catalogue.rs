//! The software catalogue (categories, software with aliases and similar names) and the
//! declarations of what each authority runs (usages, with their referents).

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Categories {
    Table,
    Id,
    Slug,
    Name,
    Position,
}

#[derive(DeriveIden)]
enum Software {
    Table,
    Id,
    Slug,
    Name,
    Aliases,
    SimilarNames,
    CategoryId,
    Description,
    Website,
    Licence,
    IsFree,
    Wikidata,
    SillId,
    ComptoirId,
    Status,
    MergedIntoId,
    ProposedBy,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum Usages {
    Table,
    Id,
    AuthorityId,
    SoftwareId,
    Status,
    SinceYear,
    Version,
    Notes,
    Satisfaction,
    DeclaredBy,
    LastConfirmedAt,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum UsageReferents {
    Table,
    UsageId,
    UserId,
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

fn pk(col: impl IntoIden) -> ColumnDef {
    ColumnDef::new(col)
        .integer()
        .not_null()
        .auto_increment()
        .primary_key()
        .to_owned()
}

fn ts(col: impl IntoIden) -> ColumnDef {
    ColumnDef::new(col)
        .timestamp_with_time_zone()
        .not_null()
        .to_owned()
}

fn fk(
    name: &str,
    from: (impl IntoIden, impl IntoIden),
    to: (impl IntoIden, impl IntoIden),
    on_delete: ForeignKeyAction,
) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .name(name)
        .from(from.0, from.1)
        .to(to.0, to.1)
        .on_delete(on_delete)
        .to_owned()
}

async fn index(
    manager: &SchemaManager<'_>,
    name: &str,
    table: impl IntoIden,
    cols: &[&str],
    unique: bool,
) -> Result<(), DbErr> {
    let mut idx = Index::create();
    idx.name(name).table(table).if_not_exists();
    for col in cols {
        idx.col(Alias::new(*col));
    }
    if unique {
        idx.unique();
    }
    manager.create_index(idx.to_owned()).await
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Categories::Table)
                    .if_not_exists()
                    .col(pk(Categories::Id))
                    .col(ColumnDef::new(Categories::Slug).string_len(64).not_null())
                    .col(ColumnDef::new(Categories::Name).string_len(120).not_null())
                    .col(
                        ColumnDef::new(Categories::Position)
                            .integer()
                            .not_null()
                            .default(0),
                    )
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            "ux_categories_slug",
            Categories::Table,
            &["slug"],
            true,
        )
        .await?;

        manager
            .create_table(
                Table::create()
                    .table(Software::Table)
                    .if_not_exists()
                    .col(pk(Software::Id))
                    .col(ColumnDef::new(Software::Slug).string_len(120).not_null())
                    .col(ColumnDef::new(Software::Name).string_len(120).not_null())
                    // One alias per line.
                    .col(
                        ColumnDef::new(Software::Aliases)
                            .text()
                            .not_null()
                            .default(""),
                    )
                    .col(
                        ColumnDef::new(Software::SimilarNames)
                            .text()
                            .not_null()
                            .default(""),
                    )
                    .col(ColumnDef::new(Software::CategoryId).integer().null())
                    .col(
                        ColumnDef::new(Software::Description)
                            .text()
                            .not_null()
                            .default(""),
                    )
                    .col(ColumnDef::new(Software::Website).string_len(300).null())
                    .col(ColumnDef::new(Software::Licence).string_len(64).null())
                    .col(
                        ColumnDef::new(Software::IsFree)
                            .boolean()
                            .not_null()
                            .default(true),
                    )
                    .col(ColumnDef::new(Software::Wikidata).string_len(16).null())
                    .col(ColumnDef::new(Software::SillId).string_len(16).null())
                    .col(ColumnDef::new(Software::ComptoirId).string_len(16).null())
                    // approved | proposed | merged
                    .col(ColumnDef::new(Software::Status).string_len(16).not_null())
                    .col(ColumnDef::new(Software::MergedIntoId).integer().null())
                    .col(ColumnDef::new(Software::ProposedBy).integer().null())
                    .col(ts(Software::CreatedAt))
                    .col(ts(Software::UpdatedAt))
                    .foreign_key(&mut fk(
                        "fk_software_category",
                        (Software::Table, Software::CategoryId),
                        (Categories::Table, Categories::Id),
                        ForeignKeyAction::SetNull,
                    ))
                    .foreign_key(&mut fk(
                        "fk_software_merged_into",
                        (Software::Table, Software::MergedIntoId),
                        (Software::Table, Software::Id),
                        ForeignKeyAction::SetNull,
                    ))
                    .foreign_key(&mut fk(
                        "fk_software_proposed_by",
                        (Software::Table, Software::ProposedBy),
                        (Users::Table, Users::Id),
                        ForeignKeyAction::SetNull,
                    ))
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            "ux_software_slug",
            Software::Table,
            &["slug"],
            true,
        )
        .await?;
        index(
            manager,
            "ix_software_category",
            Software::Table,
            &["category_id"],
            false,
        )
        .await?;

        manager
            .create_table(
                Table::create()
                    .table(Usages::Table)
                    .if_not_exists()
                    .col(pk(Usages::Id))
                    .col(ColumnDef::new(Usages::AuthorityId).integer().not_null())
                    .col(ColumnDef::new(Usages::SoftwareId).integer().not_null())
                    // in_use | evaluating | planned | abandoned
                    .col(ColumnDef::new(Usages::Status).string_len(16).not_null())
                    .col(ColumnDef::new(Usages::SinceYear).integer().null())
                    .col(ColumnDef::new(Usages::Version).string_len(60).null())
                    .col(ColumnDef::new(Usages::Notes).text().null())
                    .col(ColumnDef::new(Usages::Satisfaction).small_integer().null())
                    .col(ColumnDef::new(Usages::DeclaredBy).integer().null())
                    .col(ts(Usages::LastConfirmedAt))
                    .col(ts(Usages::CreatedAt))
                    .col(ts(Usages::UpdatedAt))
                    .foreign_key(&mut fk(
                        "fk_usages_authority",
                        (Usages::Table, Usages::AuthorityId),
                        (Authorities::Table, Authorities::Id),
                        ForeignKeyAction::Cascade,
                    ))
                    .foreign_key(&mut fk(
                        "fk_usages_software",
                        (Usages::Table, Usages::SoftwareId),
                        (Software::Table, Software::Id),
                        ForeignKeyAction::Cascade,
                    ))
                    .foreign_key(&mut fk(
                        "fk_usages_declared_by",
                        (Usages::Table, Usages::DeclaredBy),
                        (Users::Table, Users::Id),
                        ForeignKeyAction::SetNull,
                    ))
                    .check(
                        Expr::col(Usages::Satisfaction)
                            .is_null()
                            .or(Expr::col(Usages::Satisfaction).between(1, 5)),
                    )
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            "ux_usages_authority_software",
            Usages::Table,
            &["authority_id", "software_id"],
            true,
        )
        .await?;
        index(
            manager,
            "ix_usages_software",
            Usages::Table,
            &["software_id"],
            false,
        )
        .await?;

        manager
            .create_table(
                Table::create()
                    .table(UsageReferents::Table)
                    .if_not_exists()
                    .col(ColumnDef::new(UsageReferents::UsageId).integer().not_null())
                    .col(ColumnDef::new(UsageReferents::UserId).integer().not_null())
                    .primary_key(
                        Index::create()
                            .col(UsageReferents::UsageId)
                            .col(UsageReferents::UserId),
                    )
                    .foreign_key(&mut fk(
                        "fk_usage_referents_usage",
                        (UsageReferents::Table, UsageReferents::UsageId),
                        (Usages::Table, Usages::Id),
                        ForeignKeyAction::Cascade,
                    ))
                    .foreign_key(&mut fk(
                        "fk_usage_referents_user",
                        (UsageReferents::Table, UsageReferents::UserId),
                        (Users::Table, Users::Id),
                        ForeignKeyAction::Cascade,
                    ))
                    .to_owned(),
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            UsageReferents::Table.into_iden(),
            Usages::Table.into_iden(),
            Software::Table.into_iden(),
            Categories::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}
