//! What a recipient can do about requests: opt out of all of them, block one sender, report
//! one request to the moderators. From the email's links (a token, no sign-in needed) or
//! from `/compte/messages` (signed in, as the recipient of that request).

use chrono::Utc;
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, NotSet,
    QueryFilter, QueryOrder, sea_query::Expr, sea_query::OnConflict,
};

use super::REPORT_REASON_MAX;
use crate::entities::contact_link;
use crate::entities::{contact_block, contact_report, contact_request, user};
use crate::error::{DomainError, DomainResult};
use crate::security::token;
use model::contact::LinkAction;
use model::contact::ReportStatus;

fn bad_link() -> DomainError {
    DomainError::Invalid(
        "Ce lien n'est pas valide, ou la demande a été supprimée. Vous pouvez agir depuis « Mes messages » une fois connecté."
            .into(),
    )
}

/// How long a mailed link works.
pub const LINK_LIFETIME_DAYS: i64 = 90;

/// Stores a fresh token for each action of a request's mail; their plain values, for the
/// links only.
pub async fn issue_links(
    db: &impl ConnectionTrait,
    request_id: i64,
    now: chrono::DateTime<Utc>,
) -> DomainResult<Vec<(LinkAction, String)>> {
    use sea_orm::Iterable;
    let mut links = Vec::new();
    for action in LinkAction::iter() {
        let (plain, hashed) = token::generate();
        contact_link::Entity::insert(contact_link::ActiveModel {
            id: NotSet,
            token_hash: Set(hashed),
            request_id: Set(request_id),
            action: Set(action),
            expires_at: Set(now + chrono::Duration::days(LINK_LIFETIME_DAYS)),
        })
        .exec_without_returning(db)
        .await?;
        links.push((action, plain));
    }
    Ok(links)
}

/// The request an email link points to, for that link's action only, before it expires
/// (its recipient still has an account).
pub async fn by_token(
    db: &impl ConnectionTrait,
    plain: &str,
    action: LinkAction,
) -> DomainResult<contact_request::Model> {
    if plain.is_empty() || plain.len() > 100 {
        return Err(bad_link());
    }
    let link = contact_link::Entity::find()
        .filter(contact_link::Column::TokenHash.eq(token::digest(plain)))
        .filter(contact_link::Column::Action.eq(action))
        .filter(contact_link::Column::ExpiresAt.gt(Utc::now()))
        .one(db)
        .await?
        .ok_or_else(bad_link)?;
    contact_request::Entity::find_by_id(link.request_id)
        .filter(contact_request::Column::RecipientId.is_not_null())
        .one(db)
        .await?
        .ok_or_else(bad_link)
}

/// A request received by `me`.
async fn received_by(
    db: &impl ConnectionTrait,
    me: i32,
    request_id: i64,
) -> DomainResult<contact_request::Model> {
    contact_request::Entity::find_by_id(request_id)
        .filter(contact_request::Column::RecipientId.eq(me))
        .one(db)
        .await?
        .ok_or(DomainError::NotFound)
}

/// Turns contact requests on or off for a member; their authority's count of contactable
/// members in search follows through the outbox.
pub async fn set_accepts_contact(
    db: &DatabaseConnection,
    user_id: i32,
    accepts: bool,
) -> DomainResult<()> {
    let txn = crate::db::begin_write(db).await?;
    user::Entity::update_many()
        .col_expr(user::Column::AcceptsContact, Expr::value(accepts))
        .col_expr(user::Column::UpdatedAt, Expr::value(Utc::now()))
        .filter(user::Column::Id.eq(user_id))
        .exec(&txn)
        .await?;
    if let Some(authority) = user::Entity::find_by_id(user_id)
        .one(&txn)
        .await?
        .and_then(|u| u.authority_id)
    {
        crate::search::sync::enqueue_authority(&txn, authority).await?;
    }
    txn.commit().await?;
    Ok(())
}

/// The email's « Ne plus recevoir de demandes » link.
pub async fn opt_out_by_token(db: &DatabaseConnection, plain: &str) -> DomainResult<()> {
    let request = by_token(db, plain, LinkAction::OptOut).await?;
    set_accepts_contact(db, request.recipient_id.ok_or_else(bad_link)?, false).await
}

async fn block(db: &impl ConnectionTrait, request: &contact_request::Model) -> DomainResult<()> {
    let (Some(recipient), Some(sender)) = (request.recipient_id, request.sender_id) else {
        return Err(DomainError::Invalid(
            "L'expéditeur de cette demande n'a plus de compte : il ne peut plus vous écrire."
                .into(),
        ));
    };
    contact_block::Entity::insert(contact_block::ActiveModel {
        id: NotSet,
        recipient_id: Set(recipient),
        sender_id: Set(sender),
        created_at: Set(Utc::now()),
    })
    .on_conflict(
        OnConflict::columns([
            contact_block::Column::RecipientId,
            contact_block::Column::SenderId,
        ])
        .do_nothing()
        .to_owned(),
    )
    .exec_without_returning(db)
    .await?;
    Ok(())
}

/// The email's « Bloquer cet expéditeur » link.
pub async fn block_by_token(db: &impl ConnectionTrait, plain: &str) -> DomainResult<()> {
    block(db, &by_token(db, plain, LinkAction::Block).await?).await
}

/// Blocks the sender of a request `me` received.
pub async fn block_as(db: &impl ConnectionTrait, me: i32, request_id: i64) -> DomainResult<()> {
    block(db, &received_by(db, me, request_id).await?).await
}

/// Lifts a block `me` set.
pub async fn unblock(db: &impl ConnectionTrait, me: i32, sender_id: i32) -> DomainResult<()> {
    contact_block::Entity::delete_many()
        .filter(contact_block::Column::RecipientId.eq(me))
        .filter(contact_block::Column::SenderId.eq(sender_id))
        .exec(db)
        .await?;
    Ok(())
}

async fn report(
    db: &impl ConnectionTrait,
    request: &contact_request::Model,
    reason: &str,
) -> DomainResult<()> {
    let reason = reason.trim();
    if reason.is_empty() {
        return Err(DomainError::Invalid(
            "Dites en quelques mots ce qui pose problème.".into(),
        ));
    }
    if reason.chars().count() > REPORT_REASON_MAX {
        return Err(DomainError::Invalid(format!(
            "Le motif est trop long ({REPORT_REASON_MAX} caractères au plus)."
        )));
    }
    let inserted = contact_report::Entity::insert(contact_report::ActiveModel {
        id: NotSet,
        request_id: Set(request.id),
        reporter_id: Set(request.recipient_id),
        reason: Set(reason.to_string()),
        status: Set(ReportStatus::Open),
        created_at: Set(Utc::now()),
    })
    .on_conflict(
        OnConflict::column(contact_report::Column::RequestId)
            .do_nothing()
            .to_owned(),
    )
    .exec_without_returning(db)
    .await?;
    if inserted == 0 {
        return Err(DomainError::Invalid(
            "Cette demande est déjà signalée : les administrateurs vont l'examiner.".into(),
        ));
    }
    Ok(())
}

/// The email's « Signaler » link.
pub async fn report_by_token(
    db: &impl ConnectionTrait,
    plain: &str,
    reason: &str,
) -> DomainResult<()> {
    report(db, &by_token(db, plain, LinkAction::Report).await?, reason).await
}

/// Reports a request `me` received.
pub async fn report_as(
    db: &impl ConnectionTrait,
    me: i32,
    request_id: i64,
    reason: &str,
) -> DomainResult<()> {
    report(db, &received_by(db, me, request_id).await?, reason).await
}

/// One report in the moderators' queue.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OpenReport {
    pub id: i64,
    pub request_id: i64,
    pub sender_id: Option<i32>,
    pub reporter_id: Option<i32>,
    pub reason: String,
    pub subject: String,
    pub message: String,
    pub reported_at: chrono::DateTime<Utc>,
}

/// Reports awaiting a moderator, oldest first (the administration pages list them).
pub async fn open_reports(db: &impl ConnectionTrait) -> DomainResult<Vec<OpenReport>> {
    let reports = contact_report::Entity::find()
        .filter(contact_report::Column::Status.eq(ReportStatus::Open))
        .order_by_asc(contact_report::Column::CreatedAt)
        .all(db)
        .await?;
    let mut out = Vec::with_capacity(reports.len());
    for r in reports {
        let request = contact_request::Entity::find_by_id(r.request_id)
            .one(db)
            .await?;
        out.push(OpenReport {
            id: r.id,
            request_id: r.request_id,
            sender_id: request.as_ref().and_then(|q| q.sender_id),
            reporter_id: r.reporter_id,
            reason: r.reason,
            subject: request
                .as_ref()
                .map(|q| q.subject.clone())
                .unwrap_or_default(),
            message: request.map(|q| q.message).unwrap_or_default(),
            reported_at: r.created_at,
        });
    }
    Ok(out)
}
