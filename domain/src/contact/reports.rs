//! The moderators' queue of reported contact requests and its three decisions: dismiss,
//! warn the sender (a mailed notice), or suspend the sender. The report's state, the
//! decision's effect and its journal line change in one transaction.

use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, DatabaseConnection, EntityTrait, IntoActiveModel,
};

use crate::accounts::{moderation, validate};
use crate::actor::CurrentUser;
use crate::entities::{contact_report, contact_request, user};
use crate::error::{DomainError, DomainResult};
use crate::mail::{outbox, templates};
use crate::permissions::{Action, require};
use model::contact::ReportStatus;

/// What a moderator decides about a report.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Decision {
    Dismiss,
    WarnSender,
    SuspendSender,
}

impl Decision {
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "classer" => Some(Self::Dismiss),
            "avertir" => Some(Self::WarnSender),
            "suspendre" => Some(Self::SuspendSender),
            _ => None,
        }
    }

    fn action(self) -> &'static str {
        match self {
            Self::Dismiss => "report.dismiss",
            Self::WarnSender => "report.warn",
            Self::SuspendSender => "report.suspend",
        }
    }

    pub(crate) fn status(self) -> ReportStatus {
        match self {
            Self::Dismiss => ReportStatus::Dismissed,
            Self::WarnSender | Self::SuspendSender => ReportStatus::Actioned,
        }
    }
}

/// What a decision does to the member a report is about (a request's sender, a profile's
/// owner), in the caller's transaction: nothing for a dismissal, the mail `warning` builds
/// for a warning, a suspension (sessions closed, mailed) for a suspension. Shared by the
/// queues of reported requests and reported profiles.
pub(crate) async fn apply(
    txn: &impl sea_orm::ConnectionTrait,
    actor: &CurrentUser,
    decision: Decision,
    person: Option<i32>,
    note: &str,
    ip: Option<String>,
    warning: impl FnOnce(&user::Model, &str) -> crate::mail::Email,
) -> DomainResult<()> {
    match (decision, person) {
        (Decision::Dismiss, _) => Ok(()),
        (_, None) => Err(DomainError::Invalid(
            "Ce membre n'a plus de compte : classez le signalement.".into(),
        )),
        (Decision::WarnSender, Some(id)) => {
            let account = user::Entity::find_by_id(id)
                .one(txn)
                .await?
                .ok_or(DomainError::NotFound)?;
            outbox::enqueue(txn, &warning(&account, note)).await
        }
        (Decision::SuspendSender, Some(id)) => {
            moderation::suspend_in(txn, actor, id, note, ip).await
        }
    }
}

/// One open report, as the moderators' queue shows it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct QueuedReport {
    pub report: super::actions::OpenReport,
    pub sender_name: Option<String>,
    pub sender_email: Option<String>,
    pub reporter_name: Option<String>,
}

pub async fn queue(
    db: &DatabaseConnection,
    actor: &CurrentUser,
) -> DomainResult<Vec<QueuedReport>> {
    require(actor, Action::Administer)?;
    let mut out = Vec::new();
    for report in super::actions::open_reports(db).await? {
        let name = |u: &user::Model| format!("{} {}", u.first_name, u.last_name);
        let sender = match report.sender_id {
            Some(id) => user::Entity::find_by_id(id).one(db).await?,
            None => None,
        };
        let reporter = match report.reporter_id {
            Some(id) => user::Entity::find_by_id(id).one(db).await?,
            None => None,
        };
        out.push(QueuedReport {
            sender_name: sender.as_ref().map(name),
            sender_email: sender.map(|u| u.email),
            reporter_name: reporter.as_ref().map(name),
            report,
        });
    }
    Ok(out)
}

/// Closes an open report with `decision`; `note` is journaled (and, for a warning or a
/// suspension, mailed to the sender).
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
    let report = contact_report::Entity::find_by_id(report_id)
        .one(&txn)
        .await?
        .filter(|r| r.status == ReportStatus::Open)
        .ok_or_else(|| DomainError::Invalid("Ce signalement a déjà été traité.".into()))?;
    let sender = contact_request::Entity::find_by_id(report.request_id)
        .one(&txn)
        .await?
        .and_then(|r| r.sender_id);
    apply(
        &txn,
        actor,
        decision,
        sender,
        &note,
        ip.clone(),
        |account, note| templates::contact_warning(&account.email, &account.first_name, note),
    )
    .await?;
    let mut active = report.clone().into_active_model();
    active.status = Set(decision.status());
    active.update(&txn).await?;
    crate::audit::record(
        &txn,
        Some(actor.id),
        decision.action(),
        "contact_report",
        &report.id.to_string(),
        Some(format!("{note} (demande {})", report.request_id)),
        ip,
    )
    .await?;
    txn.commit().await?;
    Ok(())
}
