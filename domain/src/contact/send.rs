//! Sending a contact request: every check first, then, in one serialized write
//! transaction, the form's stamp used, the limits counted, the request and its mail
//! stored (so a refused request leaves nothing behind, parallel sends cannot overrun a
//! limit, and an accepted request is always delivered by the outbox).

use chrono::{DateTime, Duration, Utc};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection,
    EntityTrait, NotSet, PaginatorTrait, QueryFilter,
};

use super::{MESSAGE_MAX, SUBJECT_MAX, recipients, stamp};
use crate::actor::CurrentUser;
use crate::config::Limits;
use crate::entities::{authority, contact_block, contact_request, software};
use crate::error::{DomainError, DomainResult};
use crate::mail::{outbox, templates};
use crate::security::token;
use model::contact::LinkAction;
use model::contact::RequestStatus;

/// What the contact form sends.
#[derive(Clone, Debug, Default)]
pub struct ContactInput {
    pub recipient_id: i32,
    /// A software slug, or empty.
    pub software: String,
    pub subject: String,
    pub message: String,
    /// The consent box: the recipient will see the sender's name, authority, job and email.
    pub consent: bool,
    /// A field hidden from people; anything in it is a robot's.
    pub honeypot: String,
    /// The sealed time the form was shown (`stamp::issue`).
    pub stamp: String,
}

/// What every contact form carries besides its recipients: the text, the consent, the
/// robots' traps.
pub(crate) struct FormParts<'a> {
    pub subject: &'a str,
    pub message: &'a str,
    pub consent: bool,
    pub honeypot: &'a str,
    pub stamp: &'a str,
}

impl ContactInput {
    fn form(&self) -> FormParts<'_> {
        FormParts {
            subject: &self.subject,
            message: &self.message,
            consent: self.consent,
            honeypot: &self.honeypot,
            stamp: &self.stamp,
        }
    }
}

/// The checks every contact form passes before anything else: a sender who may write, an
/// empty trap field, a form neither too fast nor forged, the text, the consent. Returns
/// the subject and message as they will be sent.
pub(crate) async fn check_form(
    db: &impl ConnectionTrait,
    limits: &Limits,
    sender: &CurrentUser,
    form: &FormParts<'_>,
    now: DateTime<Utc>,
) -> DomainResult<(String, String)> {
    crate::permissions::require(sender, crate::permissions::Action::ReachMembers)?;
    if !form.honeypot.trim().is_empty() {
        return Err(invalid(
            "Votre demande a été refusée : le champ « Ne pas remplir » doit rester vide.",
        ));
    }
    stamp::check(db, sender.id, form.stamp, now, limits.min_fill_seconds).await?;
    let (subject, message) = check_text(form.subject, form.message)?;
    if !form.consent {
        return Err(invalid(
            "Cochez la case qui indique que le destinataire recevra vos nom, collectivité, fonction et adresse électronique.",
        ));
    }
    Ok((subject, message))
}

fn invalid(message: impl Into<String>) -> DomainError {
    DomainError::Invalid(message.into())
}

/// The subject and message, trimmed, within their limits.
pub fn check_text(subject: &str, message: &str) -> DomainResult<(String, String)> {
    let subject = subject.trim();
    let message = message.trim();
    if subject.is_empty() {
        return Err(invalid("Indiquez l'objet de votre demande."));
    }
    if subject.chars().count() > SUBJECT_MAX {
        return Err(invalid(format!(
            "L'objet est trop long ({SUBJECT_MAX} caractères au plus)."
        )));
    }
    if subject.chars().any(char::is_control) {
        return Err(invalid("L'objet doit tenir sur une seule ligne."));
    }
    if message.is_empty() {
        return Err(invalid("Écrivez votre message."));
    }
    if message.chars().count() > MESSAGE_MAX {
        return Err(invalid(format!(
            "Le message est trop long ({MESSAGE_MAX} caractères au plus)."
        )));
    }
    Ok((subject.to_string(), message.replace("\r\n", "\n")))
}

/// The sender's daily limit, the recipient's (requests of senders they blocked aside: a
/// block gives back what that sender used) and the pair's weekly one, counted inside the
/// write that stores the request.
async fn check_limits(
    txn: &impl ConnectionTrait,
    limits: &Limits,
    sender_id: i32,
    recipient_id: i32,
    now: DateTime<Utc>,
) -> DomainResult<()> {
    use contact_request::Column;
    let recent =
        |since: DateTime<Utc>| contact_request::Entity::find().filter(Column::CreatedAt.gt(since));
    let day = now - Duration::hours(24);
    // Questions to many referents have their own limit (`question`).
    let sent = recent(day)
        .filter(Column::SenderId.eq(sender_id))
        .filter(Column::QuestionId.is_null())
        .count(txn)
        .await?;
    if sent >= limits.sender_daily {
        return Err(invalid(format!(
            "Vous avez envoyé {} demandes de contact en 24 heures, le maximum : réessayez demain.",
            limits.sender_daily
        )));
    }
    let pair = recent(now - Duration::days(7))
        .filter(Column::SenderId.eq(sender_id))
        .filter(Column::RecipientId.eq(recipient_id))
        .count(txn)
        .await?;
    if pair >= limits.pair_weekly {
        return Err(invalid(format!(
            "Vous avez déjà écrit {} fois à ce membre ces 7 derniers jours : attendez sa réponse avant de le relancer.",
            limits.pair_weekly
        )));
    }
    let blocked = sea_orm::sea_query::Query::select()
        .column(contact_block::Column::SenderId)
        .from(contact_block::Entity)
        .and_where(contact_block::Column::RecipientId.eq(recipient_id))
        .to_owned();
    let received = recent(day)
        .filter(Column::RecipientId.eq(recipient_id))
        .filter(
            sea_orm::Condition::any()
                .add(Column::SenderId.is_null())
                .add(Column::SenderId.not_in_subquery(blocked)),
        )
        .count(txn)
        .await?;
    if received >= limits.recipient_daily {
        return Err(invalid(
            "Ce membre a reçu beaucoup de demandes ces dernières 24 heures : réessayez demain.",
        ));
    }
    Ok(())
}

/// Checks everything, then stores the request and queues its mail. Returns the request id.
pub async fn send(
    db: &DatabaseConnection,
    limits: &Limits,
    public_url: &str,
    sender: &CurrentUser,
    input: &ContactInput,
    now: DateTime<Utc>,
) -> DomainResult<i64> {
    let (subject, message) = check_form(db, limits, sender, &input.form(), now).await?;
    if input.recipient_id == sender.id {
        return Err(invalid("Vous ne pouvez pas vous écrire à vous-même."));
    }
    let Some((recipient, _)) = recipients::receiving_account(db, input.recipient_id).await? else {
        return Err(invalid(
            "Ce membre ne peut pas recevoir de demandes de contact.",
        ));
    };
    if recipients::is_blocked(db, recipient.id, sender.id).await? {
        return Err(invalid(
            "Ce membre ne souhaite pas recevoir vos demandes de contact.",
        ));
    }
    let software = match input.software.trim() {
        "" => None,
        slug => Some(
            software::Entity::find()
                .filter(software::Column::Slug.eq(slug))
                .filter(software::Column::Status.eq(model::software::SoftwareStatus::Approved))
                .one(db)
                .await?
                .ok_or_else(|| invalid("Ce logiciel ne figure pas au catalogue."))?,
        ),
    };
    let sender_authority = authority_name(db, sender).await?;

    // The form is used, the limits counted and the request stored in one serialized
    // write: parallel posts can neither reuse one form nor overrun a limit.
    let txn = crate::db::begin_write(db).await?;
    crate::db::lock_subjects(
        &txn,
        crate::db::LockClass::ContactQuota,
        &[sender.id, recipient.id],
    )
    .await?;
    stamp::consume(&txn, &input.stamp, now).await?;
    check_limits(&txn, limits, sender.id, recipient.id, now).await?;
    let id = queue_request(
        &txn,
        public_url,
        &Sender::of(sender, sender_authority),
        &recipient,
        software.as_ref(),
        (&subject, &message),
        None,
        now,
    )
    .await?;
    txn.commit().await?;
    metrics::counter!("pairs_contact_requests_total").increment(1);
    tracing::info!(request = id, "contact request queued");
    Ok(id)
}

/// Who writes, as the recipient's mail presents them.
pub(crate) struct Sender<'a> {
    pub id: i32,
    pub name: String,
    pub job_title: &'a str,
    pub authority: String,
    pub email: &'a str,
}

impl<'a> Sender<'a> {
    pub(crate) fn of(user: &'a CurrentUser, authority: String) -> Self {
        Self {
            id: user.id,
            name: format!("{} {}", user.first_name, user.last_name),
            job_title: &user.job_title,
            authority,
            email: &user.email,
        }
    }
}

/// The sender's authority name, as the mail says it.
pub(crate) async fn authority_name(
    db: &impl ConnectionTrait,
    sender: &CurrentUser,
) -> DomainResult<String> {
    Ok(match sender.authority_id {
        Some(id) => authority::Entity::find_by_id(id)
            .one(db)
            .await?
            .map(|a| a.name),
        None => None,
    }
    .unwrap_or_else(|| "sans collectivité".into()))
}

/// A request that is part of a question to many referents: the question's id, `None` for
/// its first request (which names the question).
#[derive(Clone, Copy, Debug)]
pub(crate) struct Question(pub Option<i64>);

/// Stores one request to `recipient` with its links and queues its mail, inside the
/// caller's serialized write (limits already counted). Returns the request id.
#[allow(clippy::too_many_arguments)]
pub(crate) async fn queue_request(
    txn: &impl ConnectionTrait,
    public_url: &str,
    sender: &Sender<'_>,
    recipient: &crate::entities::user::Model,
    software: Option<&software::Model>,
    (subject, message): (&str, &str),
    question: Option<Question>,
    now: DateTime<Utc>,
) -> DomainResult<i64> {
    let question_id = question.and_then(|q| q.0);
    // A question's mail offers to answer in public too (a retour on the tool's page).
    let review_link = question
        .and(software)
        .map(|s| format!("{public_url}/logiciels/{}/retour", s.slug));
    let created = contact_request::ActiveModel {
        id: NotSet,
        sender_id: Set(Some(sender.id)),
        recipient_id: Set(Some(recipient.id)),
        software_id: Set(software.map(|s| s.id)),
        subject: Set(subject.to_string()),
        message: Set(message.to_string()),
        status: Set(RequestStatus::Pending),
        failure_reason: Set(None),
        created_at: Set(now),
        sent_at: Set(None),
        question_id: Set(question_id),
    }
    .insert(txn)
    .await?;
    // One token per action, each with an expiry; none of them in a header.
    let links = super::actions::issue_links(txn, created.id, now).await?;
    let link = |action: LinkAction| {
        let plain = links
            .iter()
            .find(|(a, _)| *a == action)
            .map(|(_, p)| p.as_str())
            .unwrap_or_default();
        let page = sea_orm::ActiveEnum::to_value(&action);
        format!("{public_url}/contact/{page}?jeton={plain}")
    };
    let mut email = templates::contact_request(&templates::ContactMail {
        to: &recipient.email,
        recipient_first_name: &recipient.first_name,
        sender_name: &sender.name,
        sender_job_title: sender.job_title,
        sender_authority: &sender.authority,
        sender_email: sender.email,
        software: software.map(|s| s.name.as_str()),
        subject,
        message,
        opt_out_link: &link(LinkAction::OptOut),
        block_link: &link(LinkAction::Block),
        report_link: &link(LinkAction::Report),
        review_link: review_link.as_deref(),
    });
    let host = public_url
        .split("://")
        .nth(1)
        .unwrap_or("pairs.localhost")
        .split(['/', ':'])
        .next()
        .unwrap_or("pairs.localhost");
    // Unique, and carrying nothing of the links (replies quote the headers).
    let (nonce, _) = token::generate();
    email.message_id = Some(format!("contact-{}-{}@{host}", created.id, &nonce[..12]));
    outbox::enqueue_contact(txn, &email, created.id).await?;
    Ok(created.id)
}

#[cfg(test)]
mod tests {
    use super::check_text;

    #[test]
    fn subject_and_message_are_trimmed_and_bounded() {
        assert_eq!(
            check_text("  Objet ", " Texte\r\nsuite ").expect("valid"),
            ("Objet".to_string(), "Texte\nsuite".to_string())
        );
        assert!(check_text("", "x").is_err());
        assert!(check_text("x", "   ").is_err());
        assert!(check_text(&"é".repeat(200), "x").is_ok());
        assert!(check_text(&"é".repeat(201), "x").is_err());
        assert!(check_text("x", &"é".repeat(5000)).is_ok());
        assert!(check_text("x", &"é".repeat(5001)).is_err());
        assert!(check_text("a\nBcc: x@y", "x").is_err());
    }
}
