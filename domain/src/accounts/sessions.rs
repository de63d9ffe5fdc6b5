//! Server-side sessions: the cookie holds a random 256-bit token; the database holds its
//! hash, the account, and the idle and absolute deadlines.

use chrono::{Duration, Utc};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection,
    EntityTrait, NotSet, QueryFilter,
};

use super::signup::find_user_by_email;
use crate::actor::CurrentUser;
use crate::config::Config;
use crate::entities::{session, user};
use crate::error::{DomainError, DomainResult};
use crate::security::{password, token};
use model::account::AccountStatus;

/// Only refresh `last_seen_at` this often, to keep reads from writing on every request.
const TOUCH_EVERY: i64 = 60;

pub fn login_failed() -> DomainError {
    DomainError::Invalid("Adresse électronique ou mot de passe incorrect.".into())
}

/// Checks the credentials and opens a new session; returns the cookie value.
/// Unknown address and wrong password give the same error after the same work.
pub async fn login(
    db: &DatabaseConnection,
    config: &Config,
    email: &str,
    password_plain: &str,
) -> DomainResult<(String, CurrentUser)> {
    if password_plain.len() > 1024 {
        return Err(login_failed());
    }
    let found = find_user_by_email(db, email).await?;
    let ok = password::verify(
        password_plain.to_string(),
        found.as_ref().map(|u| u.password_hash.clone()),
    )
    .await?;
    let account = match (ok, found) {
        (true, Some(account)) => account,
        _ => return Err(login_failed()),
    };
    match account.status {
        AccountStatus::Unverified => {
            return Err(DomainError::Invalid(
                "Confirmez d'abord votre adresse avec le lien reçu par courriel.".into(),
            ));
        }
        AccountStatus::Rejected | AccountStatus::Suspended => {
            return Err(DomainError::Invalid(
                "Ce compte n'est pas actif. Contactez un administrateur du réseau.".into(),
            ));
        }
        AccountStatus::Pending | AccountStatus::Approved => {}
    }
    let plain = open(db, config, account.id).await?;
    Ok((plain, CurrentUser::from(&account)))
}

/// A new session for this account (always a fresh token: rotation at login).
pub async fn open(
    db: &impl ConnectionTrait,
    config: &Config,
    user_id: i32,
) -> DomainResult<String> {
    let (plain, hashed) = token::generate();
    let now = Utc::now();
    session::ActiveModel {
        id: NotSet,
        token_hash: Set(hashed),
        user_id: Set(user_id),
        created_at: Set(now),
        last_seen_at: Set(now),
        expires_at: Set(now + Duration::hours(config.session_max_hours)),
    }
    .insert(db)
    .await?;
    Ok(plain)
}

/// The member behind a session cookie, if the session is still alive.
pub async fn current_user(
    db: &DatabaseConnection,
    config: &Config,
    plain: &str,
) -> DomainResult<Option<CurrentUser>> {
    if plain.is_empty() || plain.len() > 100 {
        return Ok(None);
    }
    let Some(found) = session::Entity::find()
        .filter(session::Column::TokenHash.eq(token::digest(plain)))
        .one(db)
        .await?
    else {
        return Ok(None);
    };
    let now = Utc::now();
    let idle_deadline = found.last_seen_at + Duration::minutes(config.session_idle_minutes);
    if found.expires_at < now || idle_deadline < now {
        session::Entity::delete_by_id(found.id).exec(db).await?;
        return Ok(None);
    }
    let Some(account) = user::Entity::find_by_id(found.user_id).one(db).await? else {
        return Ok(None);
    };
    match account.status {
        AccountStatus::Pending | AccountStatus::Approved => {}
        _ => return Ok(None),
    }
    if (now - found.last_seen_at).num_seconds() > TOUCH_EVERY {
        let mut active: session::ActiveModel = found.into();
        active.last_seen_at = Set(now);
        active.update(db).await?;
    }
    Ok(Some(CurrentUser::from(&account)))
}

/// Ends one session (logout).
pub async fn close(db: &DatabaseConnection, plain: &str) -> DomainResult<()> {
    session::Entity::delete_many()
        .filter(session::Column::TokenHash.eq(token::digest(plain)))
        .exec(db)
        .await?;
    Ok(())
}

/// Ends every session of an account (password change, suspension, deletion).
pub async fn close_all(db: &impl ConnectionTrait, user_id: i32) -> DomainResult<()> {
    session::Entity::delete_many()
        .filter(session::Column::UserId.eq(user_id))
        .exec(db)
        .await?;
    Ok(())
}
