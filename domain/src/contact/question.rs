//! One question to every referent of a tool, narrowed by région, département, kind and
//! population band. Before sending, `preview` says how many referents will receive it and
//! how many are left out and why, never who. `ask` then writes, in one serialized write,
//! one ordinary contact request per recipient — its own mail (From the platform, Reply-To
//! the sender), its own opt-out / block / report links, counted in the recipient's own
//! daily limit — tied together by `question_id`; the outbox delivers each exactly once.

use std::collections::{BTreeMap, HashSet};

use chrono::{DateTime, Duration, Utc};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection,
    EntityTrait, PaginatorTrait, QueryFilter, QuerySelect,
};

use super::send::{FormParts, Sender, authority_name, check_form, queue_request};
use crate::actor::CurrentUser;
use crate::config::Limits;
use crate::entities::{
    authority, contact_block, contact_request, software, usage, usage_referent, user,
};
use crate::error::{DomainError, DomainResult};
use model::account::AccountStatus;
use model::authority::AuthorityKind;
use model::software::SoftwareStatus;

/// Which referents a question is for, besides the tool.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Narrowing {
    pub region: Option<String>,
    pub departement: Option<String>,
    pub kind: Option<AuthorityKind>,
    /// A population band (`model::population::BANDS`).
    pub population: Option<String>,
}

impl Narrowing {
    fn admits(&self, a: &authority::Model) -> bool {
        self.region
            .as_ref()
            .is_none_or(|r| a.region_code.as_ref() == Some(r))
            && self
                .departement
                .as_ref()
                .is_none_or(|d| a.departement_code.as_ref() == Some(d))
            && self.kind.is_none_or(|k| a.kind == k)
            && self
                .population
                .as_ref()
                .is_none_or(|p| model::population::band(a.population) == p)
    }
}

/// Referents left out of a question, by reason (counts, never who).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LeftOut {
    /// They turned contact requests off.
    pub opted_out: u32,
    /// They blocked the sender.
    pub blocked: u32,
    /// They received their daily maximum of requests.
    pub over_limit: u32,
    /// Members of the sender's own authority (the sender included).
    pub own_authority: u32,
    /// Suspended, hidden, no longer approved or without an authority.
    pub unreachable: u32,
}

/// What a question would do now.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Preview {
    pub software_slug: String,
    pub software_name: String,
    /// The referents it would reach (ids stay in the domain; the edge gets the count).
    recipients: Vec<i32>,
    pub left_out: LeftOut,
}

impl Preview {
    pub fn recipient_count(&self) -> u32 {
        self.recipients.len() as u32
    }
}

fn invalid(message: impl Into<String>) -> DomainError {
    DomainError::Invalid(message.into())
}

async fn approved_software(db: &impl ConnectionTrait, slug: &str) -> DomainResult<software::Model> {
    software::Entity::find()
        .filter(software::Column::Slug.eq(slug.trim()))
        .filter(software::Column::Status.eq(SoftwareStatus::Approved))
        .one(db)
        .await?
        .ok_or_else(|| invalid("Ce logiciel ne figure pas au catalogue."))
}

/// Who would receive a question about `slug` from `sender` with this narrowing, at `now`.
pub async fn preview(
    db: &impl ConnectionTrait,
    limits: &Limits,
    sender: &CurrentUser,
    slug: &str,
    narrowing: &Narrowing,
    now: DateTime<Utc>,
) -> DomainResult<Preview> {
    let tool = approved_software(db, slug).await?;
    let usage_ids: Vec<i32> = usage::Entity::find()
        .filter(usage::Column::SoftwareId.eq(tool.id))
        .filter(usage::Column::RemindersSent.lt(crate::watch::reminders::HIDE_AFTER))
        .find_also_related(authority::Entity)
        .all(db)
        .await?
        .into_iter()
        .filter(|(_, a)| a.as_ref().is_some_and(|a| narrowing.admits(a)))
        .map(|(u, _)| u.id)
        .collect();
    // By id, each person once (a referent of two declarations is asked once).
    let people: BTreeMap<i32, user::Model> = usage_referent::Entity::find()
        .filter(usage_referent::Column::UsageId.is_in(usage_ids))
        .find_also_related(user::Entity)
        .all(db)
        .await?
        .into_iter()
        .filter_map(|(_, p)| p.map(|p| (p.id, p)))
        .collect();
    let blocked_me: HashSet<i32> = contact_block::Entity::find()
        .filter(contact_block::Column::SenderId.eq(sender.id))
        .all(db)
        .await?
        .into_iter()
        .map(|b| b.recipient_id)
        .collect();
    let mut preview = Preview {
        software_slug: tool.slug,
        software_name: tool.name,
        ..Preview::default()
    };
    let left = &mut preview.left_out;
    for person in people.into_values() {
        if person.id == sender.id
            || (person.authority_id.is_some() && person.authority_id == sender.authority_id)
        {
            left.own_authority += 1;
        } else if person.status != AccountStatus::Approved
            || !person.visible
            || person.authority_id.is_none()
        {
            left.unreachable += 1;
        } else if !person.accepts_contact {
            left.opted_out += 1;
        } else if blocked_me.contains(&person.id) {
            left.blocked += 1;
        } else if received_today(db, person.id, now).await? >= limits.recipient_daily {
            left.over_limit += 1;
        } else {
            preview.recipients.push(person.id);
        }
    }
    Ok(preview)
}

/// Requests `recipient` received in the last 24 hours, those of senders they blocked
/// aside (as for a single request).
async fn received_today(
    db: &impl ConnectionTrait,
    recipient: i32,
    now: DateTime<Utc>,
) -> DomainResult<u64> {
    use contact_request::Column;
    let blocked = sea_orm::sea_query::Query::select()
        .column(contact_block::Column::SenderId)
        .from(contact_block::Entity)
        .and_where(contact_block::Column::RecipientId.eq(recipient))
        .to_owned();
    Ok(contact_request::Entity::find()
        .filter(Column::CreatedAt.gt(now - Duration::hours(24)))
        .filter(Column::RecipientId.eq(recipient))
        .filter(
            sea_orm::Condition::any()
                .add(Column::SenderId.is_null())
                .add(Column::SenderId.not_in_subquery(blocked)),
        )
        .count(db)
        .await?)
}

/// Questions `sender` asked in the last 24 hours.
async fn questions_today(
    db: &impl ConnectionTrait,
    sender: i32,
    now: DateTime<Utc>,
) -> DomainResult<u64> {
    use contact_request::Column;
    let ids: Vec<Option<i64>> = contact_request::Entity::find()
        .select_only()
        .column(Column::QuestionId)
        .filter(Column::SenderId.eq(sender))
        .filter(Column::QuestionId.is_not_null())
        .filter(Column::CreatedAt.gt(now - Duration::hours(24)))
        .distinct()
        .into_tuple()
        .all(db)
        .await?;
    Ok(ids.len() as u64)
}

/// The question form.
#[derive(Clone, Debug, Default)]
pub struct QuestionInput {
    pub software: String,
    pub narrowing: Narrowing,
    pub subject: String,
    pub message: String,
    pub consent: bool,
    pub honeypot: String,
    pub stamp: String,
}

/// What a question sent: its id and how many referents it went to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Asked {
    pub question_id: i64,
    pub recipients: u32,
}

/// Checks everything, then stores one request per recipient and queues their mails, in
/// one serialized write; a refusal stores and sends nothing.
pub async fn ask(
    db: &DatabaseConnection,
    limits: &Limits,
    public_url: &str,
    sender: &CurrentUser,
    input: &QuestionInput,
    now: DateTime<Utc>,
) -> DomainResult<Asked> {
    let (subject, message) = check_form(
        db,
        limits,
        sender,
        &FormParts {
            subject: &input.subject,
            message: &input.message,
            consent: input.consent,
            honeypot: &input.honeypot,
            stamp: &input.stamp,
        },
        now,
    )
    .await?;
    let tool = approved_software(db, &input.software).await?;
    let first = preview(db, limits, sender, &input.software, &input.narrowing, now).await?;
    let sender_authority = authority_name(db, sender).await?;

    let txn = crate::db::begin_write(db).await?;
    let mut subjects = first.recipients.clone();
    subjects.push(sender.id);
    crate::db::lock_subjects(&txn, crate::db::LockClass::ContactQuota, &subjects).await?;
    super::stamp::consume(&txn, &input.stamp, now).await?;
    if questions_today(&txn, sender.id, now).await? >= limits.question_daily {
        return Err(invalid(format!(
            "Vous avez posé {} questions aux référents en 24 heures, le maximum : réessayez demain.",
            limits.question_daily
        )));
    }
    // Counted again under the lock: a recipient may have reached their limit meanwhile.
    let now_preview = preview(&txn, limits, sender, &input.software, &input.narrowing, now).await?;
    let count = now_preview.recipient_count() as u64;
    if count == 0 {
        return Err(invalid(
            "Aucun référent ne peut recevoir votre question avec ces critères : élargissez-les.",
        ));
    }
    if count > limits.question_recipients {
        return Err(invalid(format!(
            "Votre question irait à {count} référents, {} au plus : précisez la région, le département, le type ou la taille des collectivités.",
            limits.question_recipients
        )));
    }
    let recipients = user::Entity::find()
        .filter(user::Column::Id.is_in(now_preview.recipients.iter().copied()))
        .all(&txn)
        .await?;
    let from = Sender::of(sender, sender_authority);
    let mut question_id = None;
    for recipient in &recipients {
        let id = queue_request(
            &txn,
            public_url,
            &from,
            recipient,
            Some(&tool),
            (&subject, &message),
            Some(super::send::Question(question_id)),
            now,
        )
        .await?;
        if question_id.is_none() {
            // The question is named by its first request, which joins it too.
            question_id = Some(id);
            contact_request::ActiveModel {
                id: Set(id),
                question_id: Set(Some(id)),
                ..Default::default()
            }
            .update(&txn)
            .await?;
        }
    }
    txn.commit().await?;
    let question_id = question_id.unwrap_or_default();
    metrics::counter!("pairs_contact_questions_total").increment(1);
    tracing::info!(
        question = question_id,
        recipients = count,
        "question to referents queued"
    );
    Ok(Asked {
        question_id,
        recipients: count as u32,
    })
}
