//! Software proposed by members, and its moderation by administrators: approve, reject,
//! or merge into an existing entry (usages move, the name becomes an alias, the old page
//! redirects).

use chrono::Utc;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, DatabaseConnection, EntityTrait, NotSet,
    PaginatorTrait, QueryFilter, QueryOrder,
};

use super::lines;
use crate::actor::CurrentUser;
use crate::audit;
use crate::entities::{category, software, usage, usage_referent};
use crate::error::{DomainError, DomainResult};
use crate::text::slugify;
use crate::usages::{UsageInput, authorize, check, insert};
use model::software::SoftwareStatus;

fn invalid(msg: impl Into<String>) -> DomainError {
    DomainError::Invalid(msg.into())
}

/// Proposes a software missing from the catalogue and declares it at once for the
/// proposer's authority; it shows as "proposé" until an administrator decides.
/// Software a member may propose in 24 hours.
pub const PROPOSALS_PER_DAY: u64 = 5;

pub async fn propose(
    db: &DatabaseConnection,
    actor: &CurrentUser,
    authority_id: i32,
    name: &str,
    category_slug: &str,
    website: &str,
    input: &UsageInput,
) -> DomainResult<String> {
    authorize(actor, authority_id)?;
    let name = crate::accounts::validate::text(name, "Nom du logiciel", 120)?;
    let checked = check(db, input, None).await?;
    let website = match website.trim() {
        "" => None,
        w if (w.starts_with("https://") || w.starts_with("http://")) && w.len() <= 300 => {
            Some(w.to_string())
        }
        _ => {
            return Err(invalid(
                "L'adresse du site doit commencer par https:// (300 caractères au plus).",
            ));
        }
    };
    // One transaction: the limit, the name checks, the entry and its declaration stand
    // or fall together.
    let txn = crate::db::begin_write(db).await?;
    // Parallel proposals of one member count one after the other.
    crate::db::lock_subjects(&txn, crate::db::LockClass::Proposals, &[actor.id]).await?;
    // A member proposes a few tools a day at most: each one lands in the catalogue at once
    // (marked « proposé ») and in the moderators' queue.
    let since = chrono::Utc::now() - chrono::Duration::hours(24);
    let today = software::Entity::find()
        .filter(software::Column::ProposedBy.eq(actor.id))
        .filter(software::Column::CreatedAt.gt(since))
        .count(&txn)
        .await?;
    if today >= PROPOSALS_PER_DAY {
        return Err(invalid(
            "Vous avez déjà proposé plusieurs logiciels aujourd'hui. Réessayez demain, ou demandez à un administrateur.",
        ));
    }
    let base = slugify(&name);
    if base.is_empty() {
        return Err(invalid(
            "Le nom du logiciel doit contenir des lettres ou des chiffres.",
        ));
    }
    let folded = crate::text::fold(&name);
    let known = software::Entity::find()
        .all(&txn)
        .await?
        .into_iter()
        .find(|s| {
            crate::text::fold(&s.name) == folded
                || lines(&s.aliases)
                    .iter()
                    .any(|a| crate::text::fold(a) == folded)
        });
    if let Some(s) = known {
        return Err(invalid(format!(
            "« {} » est déjà au catalogue : choisissez-le dans la liste.",
            s.name
        )));
    }
    let category_id = category::Entity::find()
        .filter(category::Column::Slug.eq(category_slug))
        .one(&txn)
        .await?
        .map(|c| c.id);
    let mut slug = base.clone();
    let mut n = 2;
    while super::query::find_by_slug(&txn, &slug).await?.is_some() {
        slug = format!("{base}-{n}");
        n += 1;
    }
    let now = Utc::now();
    let created = software::ActiveModel {
        id: NotSet,
        slug: Set(slug.clone()),
        name: Set(name),
        aliases: Set(String::new()),
        similar_names: Set(String::new()),
        category_id: Set(category_id),
        description: Set(String::new()),
        website: Set(website),
        licence: Set(None),
        is_free: Set(true),
        wikidata: Set(None),
        sill_id: Set(None),
        comptoir_id: Set(None),
        status: Set(SoftwareStatus::Proposed),
        merged_into_id: Set(None),
        proposed_by: Set(Some(actor.id)),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(&txn)
    .await?;
    insert(&txn, actor, authority_id, &created, checked, input.referent).await?;
    txn.commit().await?;
    Ok(slug)
}

fn require_admin(actor: &CurrentUser) -> DomainResult<()> {
    crate::permissions::require(actor, crate::permissions::Action::Administer)
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Proposal {
    pub slug: String,
    pub name: String,
    pub website: Option<String>,
    pub created_at: chrono::DateTime<Utc>,
}

pub async fn proposals(
    db: &DatabaseConnection,
    actor: &CurrentUser,
) -> DomainResult<Vec<Proposal>> {
    require_admin(actor)?;
    Ok(software::Entity::find()
        .filter(software::Column::Status.eq(SoftwareStatus::Proposed))
        .order_by_asc(software::Column::CreatedAt)
        .order_by_asc(software::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(|s| Proposal {
            slug: s.slug,
            name: s.name,
            website: s.website,
            created_at: s.created_at,
        })
        .collect())
}

async fn proposed(db: &impl sea_orm::ConnectionTrait, slug: &str) -> DomainResult<software::Model> {
    super::query::find_by_slug(db, slug)
        .await?
        .filter(|s| s.status == SoftwareStatus::Proposed)
        .ok_or_else(|| invalid("Ce logiciel n'est plus en attente de modération."))
}

pub async fn approve(
    db: &DatabaseConnection,
    actor: &CurrentUser,
    slug: &str,
    ip: Option<String>,
) -> DomainResult<()> {
    require_admin(actor)?;
    let txn = crate::db::begin_write(db).await?;
    let s = proposed(&txn, slug).await?;
    let id = s.id;
    let mut active: software::ActiveModel = s.into();
    active.status = Set(SoftwareStatus::Approved);
    active.updated_at = Set(Utc::now());
    active.update(&txn).await?;
    audit::record(
        &txn,
        Some(actor.id),
        "software.approve",
        "software",
        &id.to_string(),
        None,
        ip,
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// Rejecting removes the entry and the declarations made with it.
pub async fn reject(
    db: &DatabaseConnection,
    actor: &CurrentUser,
    slug: &str,
    reason: &str,
    ip: Option<String>,
) -> DomainResult<()> {
    require_admin(actor)?;
    let reason = crate::accounts::validate::text(reason, "Motif", 1000)?;
    let txn = crate::db::begin_write(db).await?;
    let s = proposed(&txn, slug).await?;
    let affected: Vec<i32> = usage::Entity::find()
        .filter(usage::Column::SoftwareId.eq(s.id))
        .all(&txn)
        .await?
        .into_iter()
        .map(|u| u.authority_id)
        .collect();
    software::Entity::delete_by_id(s.id).exec(&txn).await?;
    crate::search::sync::enqueue(
        &txn,
        crate::search::sync::IndexJob::Authorities { ids: affected },
    )
    .await?;
    audit::record(
        &txn,
        Some(actor.id),
        "software.reject",
        "software",
        &s.id.to_string(),
        Some(reason),
        ip,
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// Merges `slug` into `into_slug`: every usage moves (an authority that declared both keeps
/// one declaration, with the referents of both), names become aliases, the old page redirects.
pub async fn merge(
    db: &DatabaseConnection,
    actor: &CurrentUser,
    slug: &str,
    into_slug: &str,
    ip: Option<String>,
) -> DomainResult<()> {
    require_admin(actor)?;
    if slug == into_slug {
        return Err(invalid(
            "Choisissez un autre logiciel que celui à fusionner.",
        ));
    }
    let txn = crate::db::begin_write(db).await?;
    let from = super::query::find_by_slug(&txn, slug)
        .await?
        .filter(|s| s.status != SoftwareStatus::Merged)
        .ok_or_else(|| invalid("Ce logiciel n'existe pas ou a déjà été fusionné."))?;
    let into = super::query::find_by_slug(&txn, into_slug)
        .await?
        .filter(|s| s.status == SoftwareStatus::Approved)
        .ok_or_else(|| invalid("Choisissez un logiciel validé du catalogue comme cible."))?;
    let moved = usage::Entity::find()
        .filter(usage::Column::SoftwareId.eq(from.id))
        .all(&txn)
        .await?;
    let affected: Vec<i32> = moved.iter().map(|u| u.authority_id).collect();
    crate::search::sync::enqueue(
        &txn,
        crate::search::sync::IndexJob::Authorities { ids: affected },
    )
    .await?;
    for u in moved {
        let existing = usage::Entity::find()
            .filter(usage::Column::AuthorityId.eq(u.authority_id))
            .filter(usage::Column::SoftwareId.eq(into.id))
            .one(&txn)
            .await?;
        match existing {
            None => {
                let mut active: usage::ActiveModel = u.into();
                active.software_id = Set(into.id);
                active.update(&txn).await?;
            }
            Some(kept) => {
                // The referents move to the declaration kept, in one statement; those
                // already referents there stay once.
                let moving: Vec<usage_referent::ActiveModel> = usage_referent::Entity::find()
                    .filter(usage_referent::Column::UsageId.eq(u.id))
                    .all(&txn)
                    .await?
                    .into_iter()
                    .map(|r| usage_referent::ActiveModel {
                        usage_id: Set(kept.id),
                        user_id: Set(r.user_id),
                    })
                    .collect();
                if !moving.is_empty() {
                    usage_referent::Entity::insert_many(moving)
                        .on_conflict_do_nothing_on([
                            usage_referent::Column::UsageId,
                            usage_referent::Column::UserId,
                        ])
                        .exec(&txn)
                        .await?;
                }
                usage::Entity::delete_by_id(u.id).exec(&txn).await?;
            }
        }
    }
    let mut aliases = lines(&into.aliases);
    for name in std::iter::once(from.name.clone()).chain(lines(&from.aliases)) {
        if name != into.name && !aliases.contains(&name) {
            aliases.push(name);
        }
    }
    let into_id = into.id;
    let mut target: software::ActiveModel = into.into();
    target.aliases = Set(aliases.join("\n"));
    target.updated_at = Set(Utc::now());
    target.update(&txn).await?;
    let from_id = from.id;
    let mut merged: software::ActiveModel = from.into();
    merged.status = Set(SoftwareStatus::Merged);
    merged.merged_into_id = Set(Some(into_id));
    merged.updated_at = Set(Utc::now());
    merged.update(&txn).await?;
    audit::record(
        &txn,
        Some(actor.id),
        "software.merge",
        "software",
        &from_id.to_string(),
        Some(format!("into {into_id}")),
        ip,
    )
    .await?;
    txn.commit().await?;
    Ok(())
}
