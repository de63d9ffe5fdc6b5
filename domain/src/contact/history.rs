//! A member's requests, sent and received (`/compte/messages` and the data export), and
//! their erasure when the account is deleted.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
    sea_query::Expr,
};

use crate::entities::{
    authority, contact_block, contact_link, contact_request, job, software, user,
};
use crate::error::DomainResult;
use crate::mail::outbox;
use model::contact::RequestStatus;

pub const PAGE_SIZE: u64 = 20;

/// One request as its sender or recipient sees it: the other party by name and authority,
/// never by address.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Entry {
    pub id: i64,
    pub sent_by_me: bool,
    /// `None` once the other party deleted their account.
    pub other_id: Option<i32>,
    pub other_name: Option<String>,
    pub other_authority: Option<String>,
    pub software: Option<(String, String)>,
    pub subject: String,
    pub message: String,
    pub status: RequestStatus,
    pub failure_reason: Option<String>,
    pub created_at: DateTime<Utc>,
    /// For a received request: the viewer blocked its sender.
    pub sender_blocked: bool,
    /// For a question the viewer asked many referents: each recipient's state (the entry's
    /// own other party is the first of them). Empty for a request to one member.
    pub question: Vec<QuestionRecipient>,
}

/// One recipient of a question, as its sender sees them: name and authority, never an
/// address.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct QuestionRecipient {
    pub name: Option<String>,
    pub authority: Option<String>,
    pub status: RequestStatus,
    pub failure_reason: Option<String>,
}

/// One page of entries, newest first, and whether there is a next one.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Page {
    pub entries: Vec<Entry>,
    pub has_next: bool,
}

fn mine(user_id: i32) -> sea_orm::Condition {
    sea_orm::Condition::any()
        .add(contact_request::Column::SenderId.eq(user_id))
        .add(contact_request::Column::RecipientId.eq(user_id))
}

/// What `/compte/messages` lists: every request received, every request sent to one
/// member, and each question sent to many once (by its first request).
fn listed(user_id: i32) -> sea_orm::Condition {
    use contact_request::Column;
    use sea_orm::sea_query::ExprTrait;
    sea_orm::Condition::any()
        .add(Column::RecipientId.eq(user_id))
        .add(
            sea_orm::Condition::all()
                .add(Column::SenderId.eq(user_id))
                .add(
                    sea_orm::Condition::any()
                        .add(Column::QuestionId.is_null())
                        .add(Expr::col(Column::QuestionId).equals(Column::Id)),
                ),
        )
}

/// Page `page` (1-based) of the member's requests, a question to many counting as one.
pub async fn page(db: &impl ConnectionTrait, user_id: i32, page: u64) -> DomainResult<Page> {
    let page = page.max(1);
    let rows = contact_request::Entity::find()
        .filter(listed(user_id))
        .order_by_desc(contact_request::Column::CreatedAt)
        .order_by_desc(contact_request::Column::Id)
        .offset((page - 1) * PAGE_SIZE)
        .limit(PAGE_SIZE + 1)
        .all(db)
        .await?;
    let has_next = rows.len() as u64 > PAGE_SIZE;
    let rows: Vec<_> = rows.into_iter().take(PAGE_SIZE as usize).collect();
    let mut entries = describe(db, user_id, rows).await?;
    with_questions(db, user_id, &mut entries).await?;
    Ok(Page { entries, has_next })
}

/// Fills in each recipient's state of the questions the member asked among `entries`.
async fn with_questions(
    db: &impl ConnectionTrait,
    user_id: i32,
    entries: &mut [Entry],
) -> DomainResult<()> {
    let ids: Vec<i64> = entries
        .iter()
        .filter(|e| e.sent_by_me)
        .map(|e| e.id)
        .collect();
    let rows = contact_request::Entity::find()
        .filter(contact_request::Column::QuestionId.is_in(ids))
        .filter(contact_request::Column::SenderId.eq(user_id))
        .all(db)
        .await?;
    if rows.is_empty() {
        return Ok(());
    }
    let described = describe(db, user_id, rows.clone()).await?;
    let mut by_question: HashMap<i64, Vec<QuestionRecipient>> = HashMap::new();
    for (row, entry) in rows.iter().zip(described) {
        if let Some(q) = row.question_id {
            by_question.entry(q).or_default().push(QuestionRecipient {
                name: entry.other_name,
                authority: entry.other_authority,
                status: entry.status,
                failure_reason: entry.failure_reason,
            });
        }
    }
    for e in entries.iter_mut() {
        if let Some(list) = by_question.remove(&e.id) {
            e.question = list;
        }
    }
    Ok(())
}

/// Every request of the member (for the export).
pub async fn all(db: &impl ConnectionTrait, user_id: i32) -> DomainResult<Vec<Entry>> {
    let rows = contact_request::Entity::find()
        .filter(mine(user_id))
        .order_by_desc(contact_request::Column::CreatedAt)
        .all(db)
        .await?;
    describe(db, user_id, rows).await
}

async fn describe(
    db: &impl ConnectionTrait,
    user_id: i32,
    rows: Vec<contact_request::Model>,
) -> DomainResult<Vec<Entry>> {
    let others: Vec<i32> = rows
        .iter()
        .filter_map(|r| {
            if r.sender_id == Some(user_id) {
                r.recipient_id
            } else {
                r.sender_id
            }
        })
        .collect();
    // Each other person with their authority's name, in one statement.
    let people: HashMap<i32, (user::Model, Option<String>)> = user::Entity::find()
        .filter(user::Column::Id.is_in(others))
        .find_also_related(authority::Entity)
        .all(db)
        .await?
        .into_iter()
        .map(|(u, a)| (u.id, (u, a.map(|a| a.name))))
        .collect();
    let software_ids: Vec<i32> = rows.iter().filter_map(|r| r.software_id).collect();
    let software: HashMap<i32, (String, String)> = software::Entity::find()
        .filter(software::Column::Id.is_in(software_ids))
        .all(db)
        .await?
        .into_iter()
        .map(|s| (s.id, (s.slug, s.name)))
        .collect();
    let blocked: Vec<i32> = contact_block::Entity::find()
        .filter(contact_block::Column::RecipientId.eq(user_id))
        .all(db)
        .await?
        .into_iter()
        .map(|b| b.sender_id)
        .collect();
    Ok(rows
        .into_iter()
        .map(|r| {
            let sent_by_me = r.sender_id == Some(user_id);
            let other_id = if sent_by_me {
                r.recipient_id
            } else {
                r.sender_id
            };
            let (other, other_authority) = match other_id.and_then(|id| people.get(&id)) {
                Some((u, a)) => (Some(u), a.clone()),
                None => (None, None),
            };
            Entry {
                id: r.id,
                sent_by_me,
                other_id,
                other_name: other.map(|u| format!("{} {}", u.first_name, u.last_name)),
                other_authority,
                software: r.software_id.and_then(|s| software.get(&s).cloned()),
                subject: r.subject,
                message: r.message,
                status: r.status,
                failure_reason: r.failure_reason,
                created_at: r.created_at,
                sender_blocked: !sent_by_me && other_id.is_some_and(|id| blocked.contains(&id)),
                question: Vec::new(),
            }
        })
        .collect())
}

/// Before an account is deleted: its requests lose their content and links (the rows stay,
/// without the member, so the other party's daily counts hold), and mails still queued for
/// them are withdrawn.
/// The queued mails of these requests leave the queue: they will never be sent.
async fn withdraw_mails(db: &impl ConnectionTrait, ids: &[i64]) -> DomainResult<()> {
    let keys: Vec<String> = ids.iter().map(|id| outbox::delivery_key(*id)).collect();
    for chunk in keys.chunks(500) {
        job::Entity::delete_many()
            .filter(job::Column::DedupKey.is_in(chunk.to_vec()))
            .filter(job::Column::Status.is_in(model::job::JobStatus::UNFINISHED))
            .exec(db)
            .await?;
    }
    Ok(())
}

/// A suspended member's requests not yet delivered are withdrawn: their mails leave the
/// queue and each request says why it was not sent.
pub async fn withdraw_pending_from(db: &impl ConnectionTrait, sender_id: i32) -> DomainResult<u64> {
    let ids: Vec<i64> = contact_request::Entity::find()
        .select_only()
        .column(contact_request::Column::Id)
        .filter(contact_request::Column::SenderId.eq(sender_id))
        .filter(contact_request::Column::Status.eq(RequestStatus::Pending))
        .into_tuple::<i64>()
        .all(db)
        .await?;
    withdraw_mails(db, &ids).await?;
    for chunk in ids.chunks(500) {
        contact_request::Entity::update_many()
            .col_expr(
                contact_request::Column::Status,
                Expr::value(RequestStatus::Failed),
            )
            .col_expr(
                contact_request::Column::FailureReason,
                Expr::value(Some(
                    "Retirée : le compte de l'expéditeur a été suspendu avant l'envoi.".to_string(),
                )),
            )
            .filter(contact_request::Column::Id.is_in(chunk.to_vec()))
            .exec(db)
            .await?;
    }
    Ok(ids.len() as u64)
}

pub async fn erase(db: &impl ConnectionTrait, user_id: i32) -> DomainResult<()> {
    let ids: Vec<i64> = contact_request::Entity::find()
        .select_only()
        .column(contact_request::Column::Id)
        .filter(mine(user_id))
        .into_tuple::<i64>()
        .all(db)
        .await?;
    withdraw_mails(db, &ids).await?;
    // The mailed links die with the content.
    for chunk in ids.chunks(500) {
        contact_link::Entity::delete_many()
            .filter(contact_link::Column::RequestId.is_in(chunk.to_vec()))
            .exec(db)
            .await?;
    }
    contact_request::Entity::update_many()
        .col_expr(contact_request::Column::Subject, Expr::value(""))
        .col_expr(contact_request::Column::Message, Expr::value(""))
        .filter(mine(user_id))
        .exec(db)
        .await?;
    // Mails withdrawn above will never leave: say so to the other party.
    contact_request::Entity::update_many()
        .col_expr(
            contact_request::Column::Status,
            Expr::value(RequestStatus::Failed),
        )
        .col_expr(
            contact_request::Column::FailureReason,
            Expr::value(Some("Le compte a été supprimé avant l'envoi.".to_string())),
        )
        .filter(mine(user_id))
        .filter(contact_request::Column::Status.eq(RequestStatus::Pending))
        .exec(db)
        .await?;
    Ok(())
}
