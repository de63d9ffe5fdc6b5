//! The administrators' dashboard: counts of what the directory holds and what waits for them.

use sea_orm::{
    ColumnTrait, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter, QuerySelect,
    sea_query::{Expr, ExprTrait},
};

use crate::actor::CurrentUser;
use crate::entities::{authority, contact_report, software, usage, user};
use crate::error::DomainResult;
use crate::permissions::{Action, require};
use model::account::AccountStatus;

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Dashboard {
    /// (status, count) for every account status, in lifecycle order.
    pub members: Vec<(AccountStatus, u64)>,
    pub network_members: u64,
    pub declarations: u64,
    pub software: u64,
    pub pending_members: u64,
    pub proposals: u64,
    pub open_reports: u64,
    pub mail_queued: u64,
    pub mail_failed: u64,
}

pub async fn dashboard(db: &DatabaseConnection, actor: &CurrentUser) -> DomainResult<Dashboard> {
    require(actor, Action::Administer)?;
    let by_status: Vec<(String, i64)> = user::Entity::find()
        .select_only()
        .column(user::Column::Status)
        .column_as(Expr::col(user::Column::Id).count(), "n")
        .group_by(user::Column::Status)
        .into_tuple()
        .all(db)
        .await?;
    let count_of = |s: AccountStatus| {
        by_status
            .iter()
            .find(|(status, _)| status == s.as_str())
            .map_or(0, |(_, n)| *n as u64)
    };
    let members = [
        AccountStatus::Approved,
        AccountStatus::Pending,
        AccountStatus::Unverified,
        AccountStatus::Suspended,
        AccountStatus::Rejected,
    ]
    .into_iter()
    .map(|s| (s, count_of(s)))
    .collect();
    let mail = crate::mail::outbox::queue_counts(db).await?;
    Ok(Dashboard {
        members,
        network_members: authority::Entity::find()
            .filter(authority::Column::IsMember.eq(true))
            .count(db)
            .await?,
        declarations: usage::Entity::find().count(db).await?,
        software: software::Entity::find()
            .filter(software::Column::Status.eq(model::software::SoftwareStatus::Approved))
            .count(db)
            .await?,
        pending_members: count_of(AccountStatus::Pending),
        proposals: software::Entity::find()
            .filter(software::Column::Status.eq(model::software::SoftwareStatus::Proposed))
            .count(db)
            .await?,
        open_reports: contact_report::Entity::find()
            .filter(contact_report::Column::Status.eq(model::contact::ReportStatus::Open))
            .count(db)
            .await?,
        mail_queued: mail.pending,
        mail_failed: mail.failed,
    })
}
