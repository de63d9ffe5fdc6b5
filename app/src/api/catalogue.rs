//! The software catalogue: browsing (public), software pages (referents for members),
//! and the moderation of proposals (administrators).

use leptos::prelude::*;

use crate::dto::{CategoryView, ProposalView, SoftwareLookup};
use crate::error::AppError;

#[server(endpoint = "list_catalogue")]
pub async fn list_catalogue(filter: String) -> Result<Vec<CategoryView>, AppError> {
    if filter.chars().count() > 100 {
        return Err(AppError::Invalid(
            "Le filtre est trop long (100 caractères au plus).".into(),
        ));
    }
    let state = super::state()?;
    let groups = state.catalogue.groups(&state.db, &filter).await?;
    // The categories the viewer follows, when they may follow.
    let followed = match super::session::current_user().await? {
        Some(me) if super::session::may(&me, domain::permissions::Action::Follow) => {
            Some(domain::watch::follows::followed_categories(&state.db, me.id).await?)
        }
        _ => None,
    };
    Ok(groups
        .into_iter()
        .map(|g| CategoryView {
            viewer_follows: followed.as_ref().map(|f| f.contains(&g.slug)),
            slug: g.slug,
            name: g.name,
            software: g
                .software
                .into_iter()
                .map(|s| crate::dto::SoftwareItem {
                    slug: s.slug,
                    name: s.name,
                    is_free: s.is_free,
                    proposed: s.proposed,
                    description: s.description,
                    users: s.users,
                })
                .collect(),
        })
        .collect())
}

/// A software page; a merged entry points to the entry it was merged into.
#[server(endpoint = "get_software")]
pub async fn get_software(slug: String) -> Result<SoftwareLookup, AppError> {
    use domain::catalogue::query::Lookup;
    if slug.len() > 120 {
        return Ok(SoftwareLookup::Missing);
    }
    let state = super::state()?;
    let viewer = super::session::current_user()
        .await?
        .filter(|u| super::session::may(u, domain::permissions::Action::ReachMembers));
    let viewer_is_member = viewer.is_some();
    let follower = viewer
        .as_ref()
        .filter(|u| super::session::may(u, domain::permissions::Action::Follow))
        .map(|u| u.id);
    let viewer_id = viewer.map(|u| u.id);
    match state
        .catalogue
        .detail(&state.db, &slug, viewer_is_member)
        .await?
    {
        Lookup::NotFound => Ok(SoftwareLookup::Missing),
        Lookup::Moved(target) => Ok(SoftwareLookup::Moved(target)),
        Lookup::Found(d) => Ok(SoftwareLookup::Found(Box::new(crate::dto::SoftwareView {
            viewer_follows: match follower {
                Some(me) => Some(
                    domain::watch::follows::is_following(
                        &state.db,
                        me,
                        model::watch::FollowTarget::Software,
                        d.id,
                    )
                    .await?,
                ),
                None => None,
            },
            slug: d.slug,
            name: d.name,
            proposed: d.status == model::software::SoftwareStatus::Proposed,
            aliases: d.aliases,
            similar_names: d.similar_names,
            category: d.category.map(|(_, name)| name),
            description: d.description,
            website: d.website,
            licence: d.licence,
            is_free: d.is_free,
            wikidata: d.wikidata,
            sill_id: d.sill_id,
            comptoir_id: d.comptoir_id,
            users: d
                .users
                .into_iter()
                .map(|u| crate::dto::SoftwareUserView {
                    authority: super::authorities::convert::link(u.authority),
                    status: u.status,
                    since_year: u.since_year,
                })
                .collect(),
            counts: d.counts.into_iter().collect(),
            viewer_is_member,
            referents: d
                .referents
                .into_iter()
                .map(|r| crate::dto::ReferentView {
                    contact_id: (r.accepts_contact && Some(r.user_id) != viewer_id)
                        .then_some(r.user_id),
                    name: r.name,
                    job_title: r.job_title,
                    authority_name: r.authority_name,
                    authority_public_id: r.authority_public_id,
                })
                .collect(),
        }))),
    }
}

#[server(endpoint = "list_proposals")]
pub async fn list_proposals() -> Result<Vec<ProposalView>, AppError> {
    let state = super::state()?;
    let me = super::session::require_admin().await?;
    Ok(domain::catalogue::moderation::proposals(&state.db, &me)
        .await?
        .into_iter()
        .map(|p| ProposalView {
            slug: p.slug,
            name: p.name,
            website: p.website,
            proposed_on: p.created_at.format("%d/%m/%Y").to_string(),
        })
        .collect())
}

#[server(endpoint = "approve_software")]
pub async fn approve_software(slug: String) -> Result<(), AppError> {
    super::session::admin_act(
        "/admin/logiciels?info=logiciel-valide",
        "/admin/logiciels",
        |state, me, ip| async move {
            domain::catalogue::moderation::approve(&state.db, &me, &slug, ip).await?;
            Ok(())
        },
    )
    .await
}

#[server(endpoint = "reject_software")]
pub async fn reject_software(slug: String, reason: String) -> Result<(), AppError> {
    super::session::admin_act(
        "/admin/logiciels?info=logiciel-refuse",
        "/admin/logiciels",
        |state, me, ip| async move {
            domain::catalogue::moderation::reject(&state.db, &me, &slug, &reason, ip).await?;
            Ok(())
        },
    )
    .await
}

#[server(endpoint = "merge_software")]
pub async fn merge_software(slug: String, into: String) -> Result<(), AppError> {
    super::session::admin_act(
        "/admin/logiciels?info=logiciel-fusionne",
        "/admin/logiciels",
        |state, me, ip| async move {
            domain::catalogue::moderation::merge(&state.db, &me, &slug, &into, ip).await?;
            Ok(())
        },
    )
    .await
}
