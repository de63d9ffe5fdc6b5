//! Declarations of the tools an authority runs. Each function checks, in the domain, that
//! the caller is an approved member of that authority.

use leptos::prelude::*;

use crate::dto::AuthorityTools;
use crate::error::AppError;
use model::forms::UsageForm;

#[cfg(feature = "ssr")]
async fn authority_id(db: &domain::db::Db, public_id: &str) -> Result<i32, AppError> {
    domain::authorities::id_of(db, public_id)
        .await?
        .ok_or(AppError::NotFound)
}

#[server(endpoint = "get_authority_tools")]
pub async fn get_authority_tools(public_id: String) -> Result<AuthorityTools, AppError> {
    let state = super::state()?;
    let id = authority_id(&state.db, &public_id).await?;
    let me = super::session::current_user().await?;
    let can_edit = me
        .as_ref()
        .is_some_and(|m| super::session::may(m, domain::permissions::Action::EditAuthority(id)));
    let rows = domain::usages::for_authority(&state.db, id, me.as_ref().map(|m| m.id)).await?;
    let usages = rows
        .into_iter()
        .map(|u| crate::dto::UsageView {
            id: u.id,
            software_slug: u.software_slug,
            software_name: u.software_name,
            software_proposed: u.software_proposed,
            status: u.status,
            since_year: u.since_year,
            version: u.version,
            notes: u.notes,
            satisfaction: u.satisfaction,
            confirmed_on: u.confirmed_on.format("%d/%m/%Y").to_string(),
            stale: u.stale,
            unconfirmed_months: u.unconfirmed_months,
            viewer_is_referent: u.viewer_is_referent,
            referents: u.referents,
            replaced_by: u.replaced_by,
        })
        .collect();
    let (choices, categories) = if can_edit {
        let groups = state.catalogue.groups(&state.db, "").await?;
        let categories = groups
            .iter()
            .map(|g| (g.slug.clone(), g.name.clone()))
            .collect();
        let choices = domain::catalogue::query::choices(&groups);
        (choices, categories)
    } else {
        (Vec::new(), Vec::new())
    };
    let can_administer = me
        .as_ref()
        .is_some_and(|m| super::session::may(m, domain::permissions::Action::Administer));
    Ok(AuthorityTools {
        usages,
        can_edit,
        choices,
        categories,
        can_administer,
    })
}

#[cfg(feature = "ssr")]
fn input(form: UsageForm) -> domain::usages::UsageInput {
    domain::usages::UsageInput {
        status: form.status,
        since_year: form.since_year,
        version: form.version,
        notes: form.notes,
        satisfaction: form.satisfaction,
        referent: form.referent.is_some(),
        replaced_by: form.replaced_by,
    }
}

/// The authority's page, the posted identifier URL-encoded: it goes into a `Location`
/// header, where a raw control character would fail the response.
#[cfg(feature = "ssr")]
fn page(authority: &str) -> String {
    format!("/collectivites/{}", crate::format::url_encode(authority))
}

#[server(endpoint = "declare_usage")]
pub async fn declare_usage(
    authority: String,
    software: String,
    #[server(flatten)] usage: UsageForm,
) -> Result<(), AppError> {
    let back = page(&authority);
    super::session::act(
        &format!("{back}?info=declaration-ajoutee#outils"),
        &back,
        &[],
        |state| async move {
            let me = super::session::require_user().await?;
            let id = authority_id(&state.db, &authority).await?;
            let input = input(usage);
            domain::usages::declare(&state.db, &me, id, &software, &input).await?;
            Ok(())
        },
    )
    .await
}

#[server(endpoint = "update_usage")]
pub async fn update_usage(
    authority: String,
    id: i32,
    #[server(flatten)] usage: UsageForm,
) -> Result<(), AppError> {
    let back = page(&authority);
    super::session::act(
        &format!("{back}?info=declaration-modifiee#outils"),
        &back,
        &[],
        |state| async move {
            let me = super::session::require_user().await?;
            let input = input(usage);
            domain::usages::update(&state.db, &me, id, &input).await?;
            Ok(())
        },
    )
    .await
}

#[server(endpoint = "confirm_usage")]
pub async fn confirm_usage(authority: String, id: i32) -> Result<(), AppError> {
    let back = page(&authority);
    super::session::act(
        &format!("{back}?info=declaration-confirmee#outils"),
        &back,
        &[],
        |state| async move {
            let me = super::session::require_user().await?;
            domain::usages::confirm(&state.db, &me, id).await?;
            Ok(())
        },
    )
    .await
}

#[server(endpoint = "remove_usage")]
pub async fn remove_usage(authority: String, id: i32) -> Result<(), AppError> {
    let back = page(&authority);
    super::session::act(
        &format!("{back}?info=declaration-supprimee#outils"),
        &back,
        &[],
        |state| async move {
            let me = super::session::require_user().await?;
            domain::usages::remove(&state.db, &me, id).await?;
            Ok(())
        },
    )
    .await
}

#[server(endpoint = "propose_software")]
pub async fn propose_software(
    authority: String,
    name: String,
    category: String,
    website: String,
    #[server(flatten)] usage: UsageForm,
) -> Result<(), AppError> {
    let back = page(&authority);
    super::session::act(
        &format!("{back}?info=logiciel-propose#outils"),
        &back,
        &[],
        |state| async move {
            let me = super::session::require_user().await?;
            let id = authority_id(&state.db, &authority).await?;
            let input = input(usage);
            domain::catalogue::moderation::propose(
                &state.db, &me, id, &name, &category, &website, &input,
            )
            .await?;
            Ok(())
        },
    )
    .await
}
