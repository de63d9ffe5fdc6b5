//! Who follows what: an approved member follows a tool or a whole category, and chooses how
//! often the digest of their follows comes (`super::digest`).

use chrono::Utc;
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, NotSet,
    QueryFilter, QueryOrder, sea_query::Expr, sea_query::OnConflict,
};

use crate::actor::CurrentUser;
use crate::entities::{category, follow, software, user};
use crate::error::{DomainError, DomainResult};
use crate::permissions::{Action, require};
use model::software::SoftwareStatus;
use model::watch::{DigestFrequency, FollowTarget};

/// One followed item, as `/compte` lists it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Followed {
    pub target: FollowTarget,
    /// The tool's or the category's slug.
    pub slug: String,
    pub name: String,
}

fn unknown() -> DomainError {
    DomainError::Invalid(
        "Ce logiciel ou cette catégorie n'existe pas (ou plus) au catalogue.".into(),
    )
}

/// The id and name behind a slug: an approved tool, or a category.
async fn resolve(
    db: &impl ConnectionTrait,
    target: FollowTarget,
    slug: &str,
) -> DomainResult<(i32, String)> {
    let slug = slug.trim();
    if slug.is_empty() || slug.len() > 200 {
        return Err(unknown());
    }
    match target {
        FollowTarget::Software => software::Entity::find()
            .filter(software::Column::Slug.eq(slug))
            .filter(software::Column::Status.eq(SoftwareStatus::Approved))
            .one(db)
            .await?
            .map(|s| (s.id, s.name)),
        FollowTarget::Category => category::Entity::find()
            .filter(category::Column::Slug.eq(slug))
            .one(db)
            .await?
            .map(|c| (c.id, c.name)),
    }
    .ok_or_else(unknown)
}

/// Whether the slug names a tool or a category one may follow (a refused form goes back to
/// its page only when that page exists).
pub async fn exists(
    db: &impl ConnectionTrait,
    target: FollowTarget,
    slug: &str,
) -> DomainResult<bool> {
    match resolve(db, target, slug).await {
        Ok(_) => Ok(true),
        Err(DomainError::Invalid(_)) => Ok(false),
        Err(err) => Err(err),
    }
}

/// Follows a tool or a category (following twice is following once); returns its name.
pub async fn follow(
    db: &DatabaseConnection,
    actor: &CurrentUser,
    target: FollowTarget,
    slug: &str,
) -> DomainResult<String> {
    require(actor, Action::Follow)?;
    let (id, name) = resolve(db, target, slug).await?;
    follow::Entity::insert(follow::ActiveModel {
        id: NotSet,
        user_id: Set(actor.id),
        target: Set(target),
        target_id: Set(id),
        created_at: Set(Utc::now()),
    })
    .on_conflict(
        OnConflict::columns([
            follow::Column::UserId,
            follow::Column::Target,
            follow::Column::TargetId,
        ])
        .do_nothing()
        .to_owned(),
    )
    .exec_without_returning(db)
    .await?;
    Ok(name)
}

/// Stops following (not following is no error: the button may be an old page's).
pub async fn unfollow(
    db: &DatabaseConnection,
    actor: &CurrentUser,
    target: FollowTarget,
    slug: &str,
) -> DomainResult<String> {
    let (id, name) = resolve(db, target, slug).await?;
    follow::Entity::delete_many()
        .filter(follow::Column::UserId.eq(actor.id))
        .filter(follow::Column::Target.eq(target))
        .filter(follow::Column::TargetId.eq(id))
        .exec(db)
        .await?;
    Ok(name)
}

/// Whether `user_id` follows the item `id` of `target`.
pub async fn is_following(
    db: &impl ConnectionTrait,
    user_id: i32,
    target: FollowTarget,
    id: i32,
) -> DomainResult<bool> {
    Ok(follow::Entity::find()
        .filter(follow::Column::UserId.eq(user_id))
        .filter(follow::Column::Target.eq(target))
        .filter(follow::Column::TargetId.eq(id))
        .one(db)
        .await?
        .is_some())
}

/// The slugs of the categories `user_id` follows (the catalogue marks them).
pub async fn followed_categories(
    db: &impl ConnectionTrait,
    user_id: i32,
) -> DomainResult<Vec<String>> {
    Ok(category::Entity::find()
        .filter(
            category::Column::Id.in_subquery(
                sea_orm::sea_query::Query::select()
                    .column(follow::Column::TargetId)
                    .from(follow::Entity)
                    .and_where(follow::Column::UserId.eq(user_id))
                    .and_where(follow::Column::Target.eq(FollowTarget::Category))
                    .to_owned(),
            ),
        )
        .all(db)
        .await?
        .into_iter()
        .map(|c| c.slug)
        .collect())
}

/// What `user_id` follows: categories first, then tools, each by name.
pub async fn list(db: &impl ConnectionTrait, user_id: i32) -> DomainResult<Vec<Followed>> {
    let rows = follow::Entity::find()
        .filter(follow::Column::UserId.eq(user_id))
        .order_by_asc(follow::Column::Id)
        .all(db)
        .await?;
    let ids = |t: FollowTarget| -> Vec<i32> {
        rows.iter()
            .filter(|f| f.target == t)
            .map(|f| f.target_id)
            .collect()
    };
    let mut out: Vec<Followed> = category::Entity::find()
        .filter(category::Column::Id.is_in(ids(FollowTarget::Category)))
        .order_by_asc(category::Column::Name)
        .all(db)
        .await?
        .into_iter()
        .map(|c| Followed {
            target: FollowTarget::Category,
            slug: c.slug,
            name: c.name,
        })
        .collect();
    out.extend(
        software::Entity::find()
            .filter(software::Column::Id.is_in(ids(FollowTarget::Software)))
            .order_by_asc(software::Column::Name)
            .all(db)
            .await?
            .into_iter()
            .map(|s| Followed {
                target: FollowTarget::Software,
                slug: s.slug,
                name: s.name,
            }),
    );
    Ok(out)
}

/// The member's digest frequency and whether they get reminders, read in one statement.
pub async fn settings(
    db: &impl ConnectionTrait,
    user_id: i32,
) -> DomainResult<(DigestFrequency, bool)> {
    Ok(user::Entity::find_by_id(user_id)
        .one(db)
        .await?
        .map_or((DigestFrequency::Weekly, true), |u| {
            (u.digest_frequency, u.reminders_on)
        }))
}

/// Sets how often the member's digest comes (`never`: not at all).
pub async fn set_frequency(
    db: &impl ConnectionTrait,
    user_id: i32,
    frequency: DigestFrequency,
) -> DomainResult<()> {
    user::Entity::update_many()
        .col_expr(
            user::Column::DigestFrequency,
            Expr::value(frequency.as_str()),
        )
        .filter(user::Column::Id.eq(user_id))
        .exec(db)
        .await?;
    Ok(())
}

/// An erased account's follows go with it.
pub(crate) async fn delete_all_of(txn: &impl ConnectionTrait, user_id: i32) -> DomainResult<()> {
    follow::Entity::delete_many()
        .filter(follow::Column::UserId.eq(user_id))
        .exec(txn)
        .await?;
    Ok(())
}
