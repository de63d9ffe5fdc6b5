//! Retours d'expérience: one short public text per authority and tool, signed by the
//! authority (never by the person), written by an approved member of an authority that
//! declared the tool, edited or withdrawn by its members, reported by members and hidden
//! or kept by administrators (the report queue of `/admin/signalements`). When its author's
//! account is deleted the text stays, signed by the authority, and no longer points to them.

use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, NotSet,
    PaginatorTrait, QueryFilter, QueryOrder,
};

use crate::actor::CurrentUser;
use crate::entities::{authority, software, software_review, usage};
use crate::error::{DomainError, DomainResult};
use crate::permissions::{Action, require};
use model::software::SoftwareStatus;

pub const REVIEW_MAX: usize = 1000;

/// A retour as everyone reads it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Review {
    pub id: i32,
    pub authority_public_id: String,
    pub authority_name: String,
    pub text: String,
    pub updated_at: DateTime<Utc>,
}

/// What the retour page offers the member: the tool, their authority, and its retour.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Draft {
    pub software_slug: String,
    pub software_name: String,
    pub authority_name: String,
    /// The authority declared the tool (else it cannot write about it).
    pub declared: bool,
    pub text: Option<String>,
    pub hidden: bool,
}

/// A reported retour, for the administrators.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Reported {
    pub id: i32,
    pub software_slug: String,
    pub software_name: String,
    pub authority_name: String,
    pub text: String,
    pub reason: String,
    pub reported_at: DateTime<Utc>,
}

fn invalid(message: impl Into<String>) -> DomainError {
    DomainError::Invalid(message.into())
}

/// The text as it will be shown: trimmed, lines kept, within `REVIEW_MAX`.
pub fn check_text(raw: &str) -> DomainResult<String> {
    let text = raw.trim().replace("\r\n", "\n");
    if text.is_empty() {
        return Err(invalid("Écrivez votre retour d'expérience."));
    }
    if text.chars().count() > REVIEW_MAX {
        return Err(invalid(format!(
            "Le retour d'expérience est trop long ({REVIEW_MAX} caractères au plus)."
        )));
    }
    if text.chars().any(|c| c.is_control() && c != '\n') {
        return Err(invalid(
            "Le retour d'expérience contient des caractères non autorisés.",
        ));
    }
    Ok(text)
}

async fn tool(db: &impl ConnectionTrait, slug: &str) -> DomainResult<software::Model> {
    software::Entity::find()
        .filter(software::Column::Slug.eq(slug.trim()))
        .filter(software::Column::Status.eq(SoftwareStatus::Approved))
        .one(db)
        .await?
        .ok_or(DomainError::NotFound)
}

/// The actor's authority, when they may write for it.
fn writer_authority(actor: &CurrentUser) -> DomainResult<i32> {
    let authority = actor.authority_id.ok_or(DomainError::Forbidden)?;
    require(actor, Action::EditAuthority(authority))?;
    Ok(authority)
}

async fn declared(db: &impl ConnectionTrait, authority: i32, software: i32) -> DomainResult<bool> {
    Ok(usage::Entity::find()
        .filter(usage::Column::AuthorityId.eq(authority))
        .filter(usage::Column::SoftwareId.eq(software))
        .count(db)
        .await?
        > 0)
}

async fn current(
    db: &impl ConnectionTrait,
    authority: i32,
    software: i32,
) -> DomainResult<Option<software_review::Model>> {
    Ok(software_review::Entity::find()
        .filter(software_review::Column::AuthorityId.eq(authority))
        .filter(software_review::Column::SoftwareId.eq(software))
        .one(db)
        .await?)
}

/// The visible retours of the tool `slug` (none for an unknown one), newest first.
pub async fn for_slug(db: &impl ConnectionTrait, slug: &str) -> DomainResult<Vec<Review>> {
    match software::Entity::find()
        .filter(software::Column::Slug.eq(slug))
        .one(db)
        .await?
    {
        Some(tool) => for_software(db, tool.id).await,
        None => Ok(Vec::new()),
    }
}

/// The visible retours of a tool, newest first.
pub async fn for_software(
    db: &impl ConnectionTrait,
    software_id: i32,
) -> DomainResult<Vec<Review>> {
    Ok(software_review::Entity::find()
        .filter(software_review::Column::SoftwareId.eq(software_id))
        .filter(software_review::Column::Hidden.eq(false))
        .find_also_related(authority::Entity)
        .order_by_desc(software_review::Column::UpdatedAt)
        .all(db)
        .await?
        .into_iter()
        .filter_map(|(r, a)| {
            let a = a?;
            Some(Review {
                id: r.id,
                authority_public_id: a.public_id,
                authority_name: a.name,
                text: r.text,
                updated_at: r.updated_at,
            })
        })
        .collect())
}

/// What the retour page shows the actor for `slug`.
pub async fn draft(
    db: &impl ConnectionTrait,
    actor: &CurrentUser,
    slug: &str,
) -> DomainResult<Draft> {
    let authority_id = writer_authority(actor)?;
    let tool = tool(db, slug).await?;
    let authority_name = authority::Entity::find_by_id(authority_id)
        .one(db)
        .await?
        .map(|a| a.name)
        .unwrap_or_default();
    let existing = current(db, authority_id, tool.id).await?;
    Ok(Draft {
        declared: declared(db, authority_id, tool.id).await?,
        software_slug: tool.slug,
        software_name: tool.name,
        authority_name,
        hidden: existing.as_ref().is_some_and(|r| r.hidden),
        text: existing.map(|r| r.text),
    })
}

/// Writes or replaces the actor's authority's retour on `slug`; journaled.
pub async fn save(
    db: &impl ConnectionTrait,
    actor: &CurrentUser,
    slug: &str,
    raw: &str,
    ip: Option<String>,
) -> DomainResult<()> {
    let authority_id = writer_authority(actor)?;
    let tool = tool(db, slug).await?;
    let text = check_text(raw)?;
    if !declared(db, authority_id, tool.id).await? {
        return Err(invalid(
            "Votre collectivité n'a pas déclaré ce logiciel : déclarez-le d'abord sur sa page.",
        ));
    }
    let now = Utc::now();
    match current(db, authority_id, tool.id).await? {
        Some(existing) => {
            let mut row: software_review::ActiveModel = existing.into();
            row.text = Set(text);
            row.author_id = Set(Some(actor.id));
            row.updated_at = Set(now);
            row.update(db).await?;
        }
        None => {
            software_review::ActiveModel {
                id: NotSet,
                software_id: Set(tool.id),
                authority_id: Set(authority_id),
                author_id: Set(Some(actor.id)),
                text: Set(text),
                hidden: Set(false),
                report_reason: Set(None),
                reported_at: Set(None),
                created_at: Set(now),
                updated_at: Set(now),
            }
            .insert(db)
            .await?;
        }
    }
    crate::audit::record(
        db,
        Some(actor.id),
        "review.save",
        "software",
        &tool.slug,
        None,
        ip,
    )
    .await
}

/// Withdraws the actor's authority's retour on `slug`; journaled.
pub async fn withdraw(
    db: &impl ConnectionTrait,
    actor: &CurrentUser,
    slug: &str,
    ip: Option<String>,
) -> DomainResult<()> {
    let authority_id = writer_authority(actor)?;
    let tool = tool(db, slug).await?;
    let Some(existing) = current(db, authority_id, tool.id).await? else {
        return Err(invalid(
            "Votre collectivité n'a pas de retour sur ce logiciel.",
        ));
    };
    software_review::Entity::delete_by_id(existing.id)
        .exec(db)
        .await?;
    crate::audit::record(
        db,
        Some(actor.id),
        "review.withdraw",
        "software",
        &tool.slug,
        None,
        ip,
    )
    .await
}

/// A member reports a visible retour to the administrators (once while it waits).
pub async fn report(
    db: &impl ConnectionTrait,
    reporter: &CurrentUser,
    review_id: i32,
    reason: &str,
) -> DomainResult<()> {
    require(reporter, Action::ReachMembers)?;
    let reason = crate::accounts::validate::text(reason, "Motif du signalement", 1000)?;
    let Some(review) = software_review::Entity::find_by_id(review_id)
        .filter(software_review::Column::Hidden.eq(false))
        .one(db)
        .await?
    else {
        return Err(invalid("Ce retour d'expérience est introuvable."));
    };
    if review.reported_at.is_some() {
        return Err(invalid(
            "Ce retour est déjà signalé : les administrateurs vont l'examiner.",
        ));
    }
    let mut row: software_review::ActiveModel = review.into();
    row.report_reason = Set(Some(reason));
    row.reported_at = Set(Some(Utc::now()));
    row.update(db).await?;
    Ok(())
}

/// Retours reported and not yet decided, oldest first (administrators).
pub async fn reported(
    db: &impl ConnectionTrait,
    admin: &CurrentUser,
) -> DomainResult<Vec<Reported>> {
    require(admin, Action::Administer)?;
    let rows = software_review::Entity::find()
        .filter(software_review::Column::ReportedAt.is_not_null())
        .order_by_asc(software_review::Column::ReportedAt)
        .all(db)
        .await?;
    let mut out = Vec::new();
    for r in rows {
        let tool = software::Entity::find_by_id(r.software_id).one(db).await?;
        let authority = authority::Entity::find_by_id(r.authority_id)
            .one(db)
            .await?;
        if let (Some(tool), Some(authority)) = (tool, authority) {
            out.push(Reported {
                id: r.id,
                software_slug: tool.slug,
                software_name: tool.name,
                authority_name: authority.name,
                text: r.text,
                reason: r.report_reason.unwrap_or_default(),
                reported_at: r.reported_at.unwrap_or(r.updated_at),
            });
        }
    }
    Ok(out)
}

/// An administrator hides a retour (reported or not) or keeps a reported one online; the
/// report is closed either way; journaled.
pub async fn moderate(
    db: &impl ConnectionTrait,
    admin: &CurrentUser,
    review_id: i32,
    hide: bool,
    ip: Option<String>,
) -> DomainResult<()> {
    require(admin, Action::Administer)?;
    let Some(review) = software_review::Entity::find_by_id(review_id)
        .one(db)
        .await?
    else {
        return Err(invalid("Ce retour d'expérience est introuvable."));
    };
    let target = review.id.to_string();
    let mut row: software_review::ActiveModel = review.into();
    row.hidden = Set(hide);
    row.report_reason = Set(None);
    row.reported_at = Set(None);
    row.update(db).await?;
    let action = if hide { "review.hide" } else { "review.keep" };
    crate::audit::record(db, Some(admin.id), action, "review", &target, None, ip).await
}

/// The retours a member wrote (their data export): tool, text, last change.
pub async fn written_by(
    db: &impl ConnectionTrait,
    user_id: i32,
) -> DomainResult<Vec<serde_json::Value>> {
    let rows = software_review::Entity::find()
        .filter(software_review::Column::AuthorId.eq(user_id))
        .all(db)
        .await?;
    let mut out = Vec::new();
    for r in rows {
        let slug = software::Entity::find_by_id(r.software_id)
            .one(db)
            .await?
            .map(|s| s.slug);
        out.push(serde_json::json!({
            "logiciel": slug,
            "texte": r.text,
            "masque": r.hidden,
            "modifie_le": r.updated_at,
        }));
    }
    Ok(out)
}

/// Before an account is deleted: its retours stay, signed by the authority, without it.
pub async fn forget_author(db: &impl ConnectionTrait, user_id: i32) -> DomainResult<()> {
    software_review::Entity::update_many()
        .col_expr(
            software_review::Column::AuthorId,
            sea_orm::sea_query::Expr::value(Option::<i32>::None),
        )
        .filter(software_review::Column::AuthorId.eq(user_id))
        .exec(db)
        .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::check_text;

    #[test]
    fn a_retour_keeps_its_lines_within_its_length() {
        assert_eq!(
            check_text("  Bien.\r\nTrès bien. ").expect("valid"),
            "Bien.\nTrès bien."
        );
        assert!(check_text("   ").is_err());
        assert!(check_text(&"é".repeat(1000)).is_ok());
        assert!(check_text(&"é".repeat(1001)).is_err());
        assert!(check_text("a\u{7}b").is_err());
    }
}
