//! Retours d'expérience: reading them (public), writing, editing and withdrawing one's
//! authority's (its approved members), reporting one (approved members) and hiding or
//! keeping one (administrators). Every function checks its caller; the domain checks again.

use leptos::prelude::*;

use crate::dto::{ReportedReviewView, ReviewDraftView, ReviewsView};
use crate::error::AppError;

#[cfg(feature = "ssr")]
fn software_page(slug: &str, info: &str) -> String {
    format!(
        "/logiciels/{}?info={info}#retours",
        crate::format::url_encode(slug)
    )
}

#[cfg(feature = "ssr")]
fn review_id(raw: &str) -> Result<i32, AppError> {
    raw.trim()
        .parse()
        .map_err(|_| AppError::Invalid("Ce retour d'expérience est introuvable.".into()))
}

#[server(endpoint = "list_reviews")]
pub async fn list_reviews(slug: String) -> Result<ReviewsView, AppError> {
    if slug.len() > 120 {
        return Ok(ReviewsView::default());
    }
    let state = super::state()?;
    let me = super::session::current_user().await?;
    let may = |action| me.as_ref().is_some_and(|m| super::session::may(m, action));
    Ok(ReviewsView {
        reviews: domain::catalogue::reviews::for_slug(&state.db, &slug)
            .await?
            .into_iter()
            .map(|r| crate::dto::ReviewView {
                id: r.id,
                authority_public_id: r.authority_public_id,
                authority_name: r.authority_name,
                text: r.text,
                updated_on: r.updated_at.format("%d/%m/%Y").to_string(),
            })
            .collect(),
        viewer_is_member: may(domain::permissions::Action::ReachMembers),
        viewer_is_admin: may(domain::permissions::Action::Administer),
    })
}

#[server(endpoint = "get_review_draft")]
pub async fn get_review_draft(logiciel: String) -> Result<ReviewDraftView, AppError> {
    let state = super::state()?;
    let me = super::session::require_user().await?;
    let d = domain::catalogue::reviews::draft(&state.db, &me, &logiciel).await?;
    Ok(ReviewDraftView {
        software_slug: d.software_slug,
        software_name: d.software_name,
        authority_name: d.authority_name,
        declared: d.declared,
        text: d.text,
        hidden: d.hidden,
        max: domain::catalogue::reviews::REVIEW_MAX,
    })
}

#[server(endpoint = "save_review")]
pub async fn save_review(logiciel: String, texte: String) -> Result<(), AppError> {
    let back = format!("/logiciels/{}/retour", crate::format::url_encode(&logiciel));
    let result = async {
        let state = super::state()?;
        let me = super::session::require_user().await?;
        let ip = super::session::client_ip();
        domain::catalogue::reviews::save(&state.db, &me, &logiciel, &texte, ip).await?;
        Ok(())
    }
    .await;
    super::session::finish(
        result,
        &software_page(&logiciel, "retour-enregistre"),
        &back,
        &[("texte", texte.as_str())],
    )
    .await
}

#[server(endpoint = "withdraw_review")]
pub async fn withdraw_review(logiciel: String) -> Result<(), AppError> {
    let back = format!("/logiciels/{}/retour", crate::format::url_encode(&logiciel));
    super::session::act(
        &software_page(&logiciel, "retour-retire"),
        &back,
        &[],
        |state| async move {
            let me = super::session::require_user().await?;
            let ip = super::session::client_ip();
            domain::catalogue::reviews::withdraw(&state.db, &me, &logiciel, ip).await?;
            Ok(())
        },
    )
    .await
}

#[server(endpoint = "report_review")]
pub async fn report_review(
    logiciel: String,
    retour: String,
    motif: String,
) -> Result<(), AppError> {
    let page = format!("/logiciels/{}", crate::format::url_encode(&logiciel));
    super::session::act(
        &software_page(&logiciel, "retour-signale"),
        &page,
        &[],
        |state| async move {
            let me = super::session::require_user().await?;
            domain::catalogue::reviews::report(&state.db, &me, review_id(&retour)?, &motif).await?;
            Ok(())
        },
    )
    .await
}

#[server(endpoint = "list_reported_reviews")]
pub async fn list_reported_reviews() -> Result<Vec<ReportedReviewView>, AppError> {
    let state = super::state()?;
    let me = super::session::require_admin().await?;
    Ok(domain::catalogue::reviews::reported(&state.db, &me)
        .await?
        .into_iter()
        .map(|r| ReportedReviewView {
            id: r.id,
            software_slug: r.software_slug,
            software_name: r.software_name,
            authority_name: r.authority_name,
            text: r.text,
            reason: r.reason,
            reported_on: r.reported_at.format("%d/%m/%Y").to_string(),
        })
        .collect())
}

/// `decision`: « masquer » hides the retour, « garder » keeps it online; either closes its
/// report.
#[server(endpoint = "moderate_review")]
pub async fn moderate_review(retour: String, decision: String) -> Result<(), AppError> {
    super::session::admin_act(
        "/admin/signalements?info=retour-modere",
        "/admin/signalements",
        |state, me, ip| async move {
            let hide = match decision.as_str() {
                "masquer" => true,
                "garder" => false,
                _ => return Err(AppError::Invalid("Choisissez une décision.".into())),
            };
            domain::catalogue::reviews::moderate(&state.db, &me, review_id(&retour)?, hide, ip)
                .await?;
            Ok(())
        },
    )
    .await
}
