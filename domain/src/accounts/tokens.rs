//! Single-use tokens sent by email: random, stored hashed, with an expiry.

use chrono::{Duration, Utc};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, NotSet,
    QueryFilter, sea_query::Expr,
};

use crate::entities::user_token;
use crate::error::{DomainError, DomainResult};
use crate::security::token;

pub const VERIFY: &str = "verify";
pub const RESET: &str = "reset";
pub const EMAIL_CHANGE: &str = "email_change";
/// The link in a refusal mail that lets the applicant erase their data at once (they
/// cannot sign in); it lives as long as the refused account itself.
pub const DELETE: &str = "delete";

/// The unsubscribe links of a digest (`crate::watch::digest`): not single-use (unsubscribing
/// twice is unsubscribing), valid long after the mail is read.
pub const UNSUBSCRIBE: &str = "unsubscribe";

pub fn ttl(purpose: &str) -> Duration {
    match purpose {
        UNSUBSCRIBE => Duration::days(90),
        RESET => Duration::hours(2),
        DELETE => Duration::days(super::purge::REJECTED_DAYS),
        _ => Duration::hours(48),
    }
}

/// Stores a new token and returns its plain value (for the email link only).
pub async fn issue(
    db: &impl ConnectionTrait,
    user_id: i32,
    purpose: &str,
    new_email: Option<String>,
) -> DomainResult<String> {
    issue_with(db, user_id, purpose, new_email, None).await
}

/// The same, carrying a sign-up's own details (see `signup`).
pub async fn issue_with(
    db: &impl ConnectionTrait,
    user_id: i32,
    purpose: &str,
    new_email: Option<String>,
    signup: Option<String>,
) -> DomainResult<String> {
    let (plain, hashed) = token::generate();
    let now = Utc::now();
    user_token::ActiveModel {
        id: NotSet,
        token_hash: Set(hashed),
        user_id: Set(user_id),
        purpose: Set(purpose.to_string()),
        new_email: Set(new_email),
        signup: Set(signup),
        expires_at: Set(now + ttl(purpose)),
        used_at: Set(None),
        created_at: Set(now),
    }
    .insert(db)
    .await?;
    Ok(plain)
}

/// The token of a link, if it is still usable (not used, not expired); changes nothing.
pub async fn find_usable(
    db: &impl ConnectionTrait,
    plain: &str,
    purpose: &str,
) -> DomainResult<Option<user_token::Model>> {
    if plain.is_empty() || plain.len() > 100 {
        return Ok(None);
    }
    Ok(user_token::Entity::find()
        .filter(user_token::Column::TokenHash.eq(token::digest(plain)))
        .filter(user_token::Column::Purpose.eq(purpose))
        .one(db)
        .await?
        .filter(|t| t.used_at.is_none() && t.expires_at >= Utc::now()))
}

/// Marks the token used and returns it, or says the link is invalid, used or expired.
pub async fn consume(
    db: &impl ConnectionTrait,
    plain: &str,
    purpose: &str,
) -> DomainResult<user_token::Model> {
    let invalid = || {
        DomainError::Invalid(
            "Ce lien n'est pas valide : il a expiré ou a déjà servi. Demandez-en un nouveau."
                .into(),
        )
    };
    let found = find_usable(db, plain, purpose).await?.ok_or_else(invalid)?;
    // Claimed by one conditional UPDATE: of two concurrent uses, only one changes the row.
    let claimed = user_token::Entity::update_many()
        .col_expr(user_token::Column::UsedAt, Expr::value(Some(Utc::now())))
        .filter(user_token::Column::Id.eq(found.id))
        .filter(user_token::Column::UsedAt.is_null())
        .exec(db)
        .await?;
    if claimed.rows_affected != 1 {
        return Err(invalid());
    }
    Ok(found)
}

/// Ends every outstanding reset and email-change link of an account (after its password
/// changed: a link mailed before must not outlive it).
pub async fn revoke_all(db: &impl ConnectionTrait, user_id: i32) -> DomainResult<()> {
    revoke(db, user_id, &[RESET, EMAIL_CHANGE]).await
}

/// Ends every outstanding link of an account, whatever it was for (a confirmed email
/// change, a suspension: a link mailed before must not outlive them).
pub async fn revoke_every(db: &impl ConnectionTrait, user_id: i32) -> DomainResult<()> {
    revoke(db, user_id, &[VERIFY, RESET, EMAIL_CHANGE, DELETE]).await
}

/// Ends the account's outstanding links of these purposes.
pub async fn revoke(
    db: &impl ConnectionTrait,
    user_id: i32,
    purposes: &[&str],
) -> DomainResult<()> {
    user_token::Entity::update_many()
        .col_expr(user_token::Column::UsedAt, Expr::value(Some(Utc::now())))
        .filter(user_token::Column::UserId.eq(user_id))
        .filter(user_token::Column::Purpose.is_in(purposes.iter().copied()))
        .filter(user_token::Column::UsedAt.is_null())
        .exec(db)
        .await?;
    Ok(())
}
