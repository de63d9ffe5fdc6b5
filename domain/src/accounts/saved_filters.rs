//! Administration filters that name people (a member's name or email on `/admin/membres`,
//! an author's email on `/admin/journal`) are posted, kept here behind a random id, and the
//! page's URL carries only that id: searched names never land in a URL, an access log, the
//! browser's history or a `Referer`. An id is good for its owner, on its page, for a day.

use chrono::{DateTime, Duration, Utc};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set};

use crate::actor::CurrentUser;
use crate::entities::saved_filter;
use crate::error::{DomainError, DomainResult};
use crate::permissions::{self, Action};

use model::saved_filter::FilterPage;

/// How long a saved filter (and so a paginated result's links) works.
pub const LIFETIME_HOURS: i64 = 24;
/// The longest text kept: an email address at most.
pub const TEXT_MAX: usize = 254;

/// Keeps `text` for `me` on `page` and returns the id the page's URL carries.
pub async fn save(
    db: &impl ConnectionTrait,
    me: &CurrentUser,
    page: FilterPage,
    text: &str,
    now: DateTime<Utc>,
) -> DomainResult<String> {
    permissions::require(me, Action::Administer)?;
    let text = text.trim();
    if text.chars().count() > TEXT_MAX {
        return Err(DomainError::Invalid(format!(
            "La recherche est trop longue ({TEXT_MAX} caractères au plus)."
        )));
    }
    // 128 random bits are plenty for an id that also has to match its owner.
    let (token, _) = crate::security::token::generate();
    let id: String = token.chars().take(22).collect();
    saved_filter::Entity::insert(saved_filter::ActiveModel {
        id: Set(id.clone()),
        user_id: Set(me.id),
        page: Set(page),
        text: Set(text.to_string()),
        created_at: Set(now),
    })
    .exec(db)
    .await?;
    Ok(id)
}

/// The text saved under `id` by `me` for `page`, if it is still fresh. Another
/// administrator's id, another page's or an expired one is `NotFound`.
pub async fn load(
    db: &impl ConnectionTrait,
    me: &CurrentUser,
    page: FilterPage,
    id: &str,
    now: DateTime<Utc>,
) -> DomainResult<String> {
    permissions::require(me, Action::Administer)?;
    saved_filter::Entity::find_by_id(id.to_string())
        .filter(saved_filter::Column::UserId.eq(me.id))
        .filter(saved_filter::Column::Page.eq(page))
        .filter(saved_filter::Column::CreatedAt.gt(now - Duration::hours(LIFETIME_HOURS)))
        .one(db)
        .await?
        .map(|f| f.text)
        .ok_or(DomainError::NotFound)
}

/// Deletes the filters older than their lifetime (the worker's hourly pass).
pub async fn purge_expired(db: &impl ConnectionTrait, now: DateTime<Utc>) -> DomainResult<u64> {
    let gone = saved_filter::Entity::delete_many()
        .filter(saved_filter::Column::CreatedAt.lte(now - Duration::hours(LIFETIME_HOURS)))
        .exec(db)
        .await?;
    Ok(gone.rows_affected)
}

/// Deletes every filter of an account being erased (SQLite does not cascade).
pub async fn delete_all_of(db: &impl ConnectionTrait, user_id: i32) -> DomainResult<()> {
    saved_filter::Entity::delete_many()
        .filter(saved_filter::Column::UserId.eq(user_id))
        .exec(db)
        .await?;
    Ok(())
}
