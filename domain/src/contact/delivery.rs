//! The outcome of a contact request's mail, recorded by the worker in the transaction
//! that settles the job.

use chrono::Utc;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, sea_query::Expr};

use crate::entities::contact_request;
use crate::error::DomainResult;
use crate::jobs::Outcome;
use model::contact::RequestStatus;

pub async fn record(
    db: &impl ConnectionTrait,
    request_id: i64,
    outcome: &Outcome,
) -> DomainResult<()> {
    let update = contact_request::Entity::update_many()
        .filter(contact_request::Column::Id.eq(request_id))
        .filter(contact_request::Column::Status.eq(RequestStatus::Pending));
    match outcome {
        Outcome::Retrying => return Ok(()),
        Outcome::Delivered => {
            update
                .col_expr(
                    contact_request::Column::Status,
                    Expr::value(RequestStatus::Sent),
                )
                .col_expr(
                    contact_request::Column::SentAt,
                    Expr::value(Some(Utc::now())),
                )
                .exec(db)
                .await?;
        }
        Outcome::GaveUp(raw) => {
            update
                .col_expr(
                    contact_request::Column::Status,
                    Expr::value(RequestStatus::Failed),
                )
                .col_expr(
                    contact_request::Column::FailureReason,
                    Expr::value(Some(public_reason(raw))),
                )
                .exec(db)
                .await?;
        }
    }
    Ok(())
}

/// The reason shown to the sender: the SMTP reply code only, in French. The server's text
/// is never passed on, since it usually quotes the recipient's address.
pub fn public_reason(raw: &str) -> String {
    let code = raw
        .split(|c: char| !c.is_ascii_digit())
        .find(|w| w.len() == 3 && (w.starts_with('5') || w.starts_with('4')));
    match code {
        Some(code) => format!(
            "Le serveur de messagerie du destinataire a refusé le message (code {code}). Essayez de joindre ce membre par un autre moyen."
        ),
        None => "Le message n'a pas pu être remis au destinataire. Essayez de le joindre par un autre moyen.".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::public_reason;

    #[test]
    fn the_reason_keeps_the_code_and_never_the_address() {
        let raw = "permanent error (550): 5.1.1 <paul@ville.fr>: mailbox unavailable";
        let shown = public_reason(raw);
        assert!(shown.contains("code 550"), "{shown}");
        assert!(!shown.contains("paul@ville.fr"));
        let shown = public_reason("invalid address \"paul@\": missing domain");
        assert!(!shown.contains("paul"), "{shown}");
        assert!(shown.contains("n'a pas pu être remis"));
    }
}
