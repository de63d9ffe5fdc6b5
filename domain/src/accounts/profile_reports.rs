//! Members report a profile that breaks the rules (a fake identity, an insulting job
//! title…); moderators dismiss, warn its owner, or suspend them. One open report per
//! reporter and profile.

use chrono::Utc;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, DatabaseConnection, EntityTrait, NotSet,
    PaginatorTrait, QueryFilter, QueryOrder,
};

use super::validate;
use crate::actor::CurrentUser;
use crate::contact::reports::Decision;
use crate::entities::{profile_report, user};
use crate::error::{DomainError, DomainResult};
use crate::mail::templates;
use crate::permissions::{Action, require};

use model::contact::ReportStatus;

pub async fn report(
    db: &DatabaseConnection,
    reporter: &CurrentUser,
    profile_id: i32,
    reason: &str,
) -> DomainResult<()> {
    require(reporter, Action::ReachMembers)?;
    let reason = validate::text(reason, "Motif du signalement", 1000)?;
    if profile_id == reporter.id {
        return Err(DomainError::Invalid(
            "Vous ne pouvez pas signaler votre propre profil.".into(),
        ));
    }
    let exists = user::Entity::find_by_id(profile_id)
        .filter(user::Column::Status.eq(model::account::AccountStatus::Approved))
        .filter(user::Column::Visible.eq(true))
        .count(db)
        .await?;
    if exists == 0 {
        return Err(DomainError::Invalid("Ce profil est introuvable.".into()));
    }
    let already = profile_report::Entity::find()
        .filter(profile_report::Column::ProfileId.eq(profile_id))
        .filter(profile_report::Column::ReporterId.eq(reporter.id))
        .filter(profile_report::Column::Status.eq(ReportStatus::Open))
        .count(db)
        .await?;
    if already > 0 {
        return Err(DomainError::Invalid(
            "Vous avez déjà signalé ce profil : les administrateurs vont l'examiner.".into(),
        ));
    }
    profile_report::ActiveModel {
        id: NotSet,
        profile_id: Set(profile_id),
        reporter_id: Set(Some(reporter.id)),
        reason: Set(reason),
        status: Set(ReportStatus::Open),
        created_at: Set(Utc::now()),
    }
    .insert(db)
    .await?;
    Ok(())
}

/// One open profile report as moderators see it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct QueuedProfileReport {
    pub id: i64,
    pub profile_id: i32,
    pub profile_name: String,
    pub profile_email: String,
    pub profile_job_title: String,
    pub reason: String,
    pub reported_at: chrono::DateTime<Utc>,
}

pub async fn queue(
    db: &DatabaseConnection,
    actor: &CurrentUser,
) -> DomainResult<Vec<QueuedProfileReport>> {
    require(actor, Action::Administer)?;
    let mut out = Vec::new();
    for r in profile_report::Entity::find()
        .filter(profile_report::Column::Status.eq(ReportStatus::Open))
        .order_by_asc(profile_report::Column::CreatedAt)
        .all(db)
        .await?
    {
        if let Some(u) = user::Entity::find_by_id(r.profile_id).one(db).await? {
            out.push(QueuedProfileReport {
                id: r.id,
                profile_id: u.id,
                profile_name: format!("{} {}", u.first_name, u.last_name),
                profile_email: u.email,
                profile_job_title: u.job_title,
                reason: r.reason,
                reported_at: r.created_at,
            });
        }
    }
    Ok(out)
}

pub async fn decide(
    db: &DatabaseConnection,
    actor: &CurrentUser,
    report_id: i64,
    decision: Decision,
    note: &str,
    ip: Option<String>,
) -> DomainResult<()> {
    require(actor, Action::Administer)?;
    let note = validate::text(note, "Motif de la décision", 1000)?;
    let txn = crate::db::begin_write(db).await?;
    let report = profile_report::Entity::find_by_id(report_id)
        .one(&txn)
        .await?
        .filter(|r| r.status == ReportStatus::Open)
        .ok_or_else(|| DomainError::Invalid("Ce signalement a déjà été traité.".into()))?;
    crate::contact::reports::apply(
        &txn,
        actor,
        decision,
        Some(report.profile_id),
        &note,
        ip.clone(),
        |owner, note| {
            templates::build_notice(
                &owner.email,
                "Avertissement au sujet de votre profil Pairs",
                &format!("Votre profil a été signalé, et un administrateur du réseau vous adresse cet avertissement : {note}"),
            )
        },
    )
    .await?;
    let action = match decision {
        Decision::Dismiss => "profile_report.dismiss",
        Decision::WarnSender => "profile_report.warn",
        Decision::SuspendSender => "profile_report.suspend",
    };
    let mut active: profile_report::ActiveModel = report.clone().into();
    active.status = Set(decision.status());
    active.update(&txn).await?;
    crate::audit::record(
        &txn,
        Some(actor.id),
        action,
        "user",
        &report.profile_id.to_string(),
        Some(note),
        ip,
    )
    .await?;
    txn.commit().await?;
    Ok(())
}
