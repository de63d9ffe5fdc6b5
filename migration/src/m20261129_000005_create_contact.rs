//! Contact requests between members, relayed by email: the requests themselves (their
//! delivery state and the hash of the recipient's opt-out/block/report token), the blocks a
//! recipient sets on a sender, the reports for the moderators, a member's opt-out, and a
//! table of server-side secrets (the key that seals the contact form's start time), and
//! one job per delivery key.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum ContactRequests {
    Table,
    Id,
    SenderId,
    RecipientId,
    SoftwareId,
    Subject,
    Message,
    Status,
    FailureReason,
    ActionTokenHash,
    CreatedAt,
    SentAt,
}

#[derive(DeriveIden)]
enum ContactBlocks {
    Table,
    Id,
    RecipientId,
    SenderId,
    CreatedAt,
}

#[derive(DeriveIden)]
enum ContactReports {
    Table,
    Id,
    RequestId,
    ReporterId,
    Reason,
    Status,
    CreatedAt,
}

#[derive(DeriveIden)]
enum AppSecrets {
    Table,
    Name,
    Value,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Users {
    Table,
    Id,
    AcceptsContact,
}

#[derive(DeriveIden)]
enum Jobs {
    Table,
    DedupKey,
}

#[derive(DeriveIden)]
enum Software {
    Table,
    Id,
}

fn id(col: impl IntoIden) -> ColumnDef {
    ColumnDef::new(col)
        .big_integer()
        .not_null()
        .auto_increment()
        .primary_key()
        .to_owned()
}

fn timestamp(col: impl IntoIden) -> ColumnDef {
    ColumnDef::new(col)
        .timestamp_with_time_zone()
        .not_null()
        .to_owned()
}

fn user_fk(
    name: &str,
    from: (impl IntoIden, impl IntoIden),
    on_delete: ForeignKeyAction,
) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .name(name)
        .from(from.0, from.1)
        .to(Users::Table, Users::Id)
        .on_delete(on_delete)
        .to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // One job per delivery key: a contact request can never be queued twice.
        manager
            .create_index(
                Index::create()
                    .name("ux_jobs_dedup_key")
                    .table(Jobs::Table)
                    .col(Jobs::DedupKey)
                    .unique()
                    .if_not_exists()
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(Users::Table)
                    .add_column(
                        ColumnDef::new(Users::AcceptsContact)
                            .boolean()
                            .not_null()
                            .default(true),
                    )
                    .to_owned(),
            )
            .await?;

        // Sender and recipient become NULL when their account is erased: the row stays
        // (without its content) so the other party's daily limits still count it.
        manager
            .create_table(
                Table::create()
                    .table(ContactRequests::Table)
                    .if_not_exists()
                    .col(id(ContactRequests::Id))
                    .col(ColumnDef::new(ContactRequests::SenderId).integer().null())
                    .col(
                        ColumnDef::new(ContactRequests::RecipientId)
                            .integer()
                            .null(),
                    )
                    .col(ColumnDef::new(ContactRequests::SoftwareId).integer().null())
                    .col(
                        ColumnDef::new(ContactRequests::Subject)
                            .string_len(200)
                            .not_null(),
                    )
                    .col(ColumnDef::new(ContactRequests::Message).text().not_null())
                    // pending -> sent | failed
                    .col(
                        ColumnDef::new(ContactRequests::Status)
                            .string_len(16)
                            .not_null(),
                    )
                    .col(ColumnDef::new(ContactRequests::FailureReason).text().null())
                    .col(
                        ColumnDef::new(ContactRequests::ActionTokenHash)
                            .string_len(64)
                            .null(),
                    )
                    .col(timestamp(ContactRequests::CreatedAt))
                    .col(
                        ColumnDef::new(ContactRequests::SentAt)
                            .timestamp_with_time_zone()
                            .null(),
                    )
                    .foreign_key(&mut user_fk(
                        "fk_contact_requests_sender",
                        (ContactRequests::Table, ContactRequests::SenderId),
                        ForeignKeyAction::SetNull,
                    ))
                    .foreign_key(&mut user_fk(
                        "fk_contact_requests_recipient",
                        (ContactRequests::Table, ContactRequests::RecipientId),
                        ForeignKeyAction::SetNull,
                    ))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_contact_requests_software")
                            .from(ContactRequests::Table, ContactRequests::SoftwareId)
                            .to(Software::Table, Software::Id)
                            .on_delete(ForeignKeyAction::SetNull),
                    )
                    .to_owned(),
            )
            .await?;
        for (name, col) in [
            ("ix_contact_requests_sender", ContactRequests::SenderId),
            (
                "ix_contact_requests_recipient",
                ContactRequests::RecipientId,
            ),
        ] {
            manager
                .create_index(
                    Index::create()
                        .name(name)
                        .table(ContactRequests::Table)
                        .col(col)
                        .col(ContactRequests::CreatedAt)
                        .if_not_exists()
                        .to_owned(),
                )
                .await?;
        }
        manager
            .create_index(
                Index::create()
                    .name("ux_contact_requests_token")
                    .table(ContactRequests::Table)
                    .col(ContactRequests::ActionTokenHash)
                    .unique()
                    .if_not_exists()
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(ContactBlocks::Table)
                    .if_not_exists()
                    .col(id(ContactBlocks::Id))
                    .col(
                        ColumnDef::new(ContactBlocks::RecipientId)
                            .integer()
                            .not_null(),
                    )
                    .col(ColumnDef::new(ContactBlocks::SenderId).integer().not_null())
                    .col(timestamp(ContactBlocks::CreatedAt))
                    .foreign_key(&mut user_fk(
                        "fk_contact_blocks_recipient",
                        (ContactBlocks::Table, ContactBlocks::RecipientId),
                        ForeignKeyAction::Cascade,
                    ))
                    .foreign_key(&mut user_fk(
                        "fk_contact_blocks_sender",
                        (ContactBlocks::Table, ContactBlocks::SenderId),
                        ForeignKeyAction::Cascade,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ux_contact_blocks_pair")
                    .table(ContactBlocks::Table)
                    .col(ContactBlocks::RecipientId)
                    .col(ContactBlocks::SenderId)
                    .unique()
                    .if_not_exists()
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(ContactReports::Table)
                    .if_not_exists()
                    .col(id(ContactReports::Id))
                    .col(
                        ColumnDef::new(ContactReports::RequestId)
                            .big_integer()
                            .not_null(),
                    )
                    .col(ColumnDef::new(ContactReports::ReporterId).integer().null())
                    .col(ColumnDef::new(ContactReports::Reason).text().not_null())
                    // open -> dismissed | actioned
                    .col(
                        ColumnDef::new(ContactReports::Status)
                            .string_len(16)
                            .not_null(),
                    )
                    .col(timestamp(ContactReports::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_contact_reports_request")
                            .from(ContactReports::Table, ContactReports::RequestId)
                            .to(ContactRequests::Table, ContactRequests::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(&mut user_fk(
                        "fk_contact_reports_reporter",
                        (ContactReports::Table, ContactReports::ReporterId),
                        ForeignKeyAction::SetNull,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ux_contact_reports_request")
                    .table(ContactReports::Table)
                    .col(ContactReports::RequestId)
                    .unique()
                    .if_not_exists()
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(AppSecrets::Table)
                    .if_not_exists()
                    .col(
                        ColumnDef::new(AppSecrets::Name)
                            .string_len(64)
                            .not_null()
                            .primary_key(),
                    )
                    .col(ColumnDef::new(AppSecrets::Value).string_len(128).not_null())
                    .col(timestamp(AppSecrets::CreatedAt))
                    .to_owned(),
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            AppSecrets::Table.into_iden(),
            ContactReports::Table.into_iden(),
            ContactBlocks::Table.into_iden(),
            ContactRequests::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        manager
            .alter_table(
                Table::alter()
                    .table(Users::Table)
                    .drop_column(Users::AcceptsContact)
                    .to_owned(),
            )
            .await?;
        manager
            .drop_index(
                Index::drop()
                    .name("ux_jobs_dedup_key")
                    .table(Jobs::Table)
                    .to_owned(),
            )
            .await?;
        Ok(())
    }
}
