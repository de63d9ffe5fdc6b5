//! Following tools and categories, the digest's frequency, and the digest's unsubscribe
//! link. Following needs an approved member (decided in `domain::permissions`); the
//! unsubscribe link needs only its token.

use leptos::prelude::*;

use crate::dto::FollowsView;
use crate::error::AppError;
#[cfg(feature = "ssr")]
use model::watch::FollowTarget;

/// Where a follow button sends back: the item's page, or `/compte` when it was pressed there.
#[cfg(feature = "ssr")]
fn page_of(target: FollowTarget, slug: &str, from_account: bool, info: Option<&str>) -> String {
    // A refused form's page is named without its fragment: the flash is kept by path.
    if from_account {
        return info.map_or("/compte".into(), |i| format!("/compte?info={i}#suivis"));
    }
    let query = info.map(|i| format!("?info={i}")).unwrap_or_default();
    let slug = crate::format::url_encode(slug);
    match target {
        FollowTarget::Software => format!("/logiciels/{slug}{query}"),
        FollowTarget::Category if info.is_some() => format!("/logiciels{query}#cat-{slug}"),
        FollowTarget::Category => "/logiciels".into(),
    }
}

/// The page a refused form returns to: the item's, when it exists; else the catalogue.
#[cfg(feature = "ssr")]
async fn back_to(target: FollowTarget, slug: &str, from_account: bool) -> String {
    let exists = match super::state() {
        Ok(state) => domain::watch::follows::exists(&state.db, target, slug)
            .await
            .unwrap_or(false),
        Err(_) => false,
    };
    if exists || from_account {
        page_of(target, slug, from_account, None)
    } else {
        "/logiciels".into()
    }
}

#[cfg(feature = "ssr")]
fn target(cible: &str) -> Result<FollowTarget, AppError> {
    FollowTarget::parse(cible).ok_or_else(|| {
        AppError::Invalid("Choisissez un logiciel ou une catégorie à suivre.".into())
    })
}

/// « Suivre » on a software page or a catalogue category.
#[server(endpoint = "follow")]
pub async fn follow(cible: String, slug: String) -> Result<(), AppError> {
    let parsed = FollowTarget::parse(&cible).unwrap_or(FollowTarget::Software);
    let ok = page_of(parsed, &slug, false, Some("suivi-ajoute"));
    let back = back_to(parsed, &slug, false).await;
    super::session::act(&ok, &back, &[], |state| async move {
        let me = super::session::require_user().await?;
        domain::watch::follows::follow(&state.db, &me, target(&cible)?, &slug).await?;
        Ok(())
    })
    .await
}

/// « Ne plus suivre », from the item's page or from `/compte` (`depuis=compte`).
#[server(endpoint = "unfollow")]
pub async fn unfollow(
    cible: String,
    slug: String,
    #[server(default)] depuis: Option<String>,
) -> Result<(), AppError> {
    let parsed = FollowTarget::parse(&cible).unwrap_or(FollowTarget::Software);
    let from_account = depuis.as_deref() == Some("compte");
    let ok = page_of(parsed, &slug, from_account, Some("suivi-retire"));
    let back = back_to(parsed, &slug, from_account).await;
    super::session::act(&ok, &back, &[], |state| async move {
        let me = super::session::require_user().await?;
        domain::watch::follows::unfollow(&state.db, &me, target(&cible)?, &slug).await?;
        Ok(())
    })
    .await
}

/// What the member follows and how often their digest comes (`/compte`).
#[server(endpoint = "get_follows")]
pub async fn get_follows() -> Result<FollowsView, AppError> {
    let state = super::state()?;
    let me = super::session::require_user().await?;
    let items = domain::watch::follows::list(&state.db, me.id)
        .await?
        .into_iter()
        .map(|f| crate::dto::FollowedView {
            target: f.target,
            slug: f.slug,
            name: f.name,
        })
        .collect();
    let (frequency, reminders_on) = domain::watch::follows::settings(&state.db, me.id).await?;
    Ok(FollowsView {
        items,
        frequency,
        reminders_on,
        may_follow: super::session::may(&me, domain::permissions::Action::Follow),
    })
}

/// The digest's frequency (`/compte`).
#[server(endpoint = "set_digest_frequency")]
pub async fn set_digest_frequency(frequence: String) -> Result<(), AppError> {
    super::session::act(
        "/compte?info=frequence-enregistree#suivis",
        "/compte",
        &[],
        |state| async move {
            let me = super::session::require_user().await?;
            let frequency = model::watch::DigestFrequency::parse(&frequence).ok_or_else(|| {
                AppError::Invalid("Choisissez chaque semaine, chaque mois ou jamais.".into())
            })?;
            domain::watch::follows::set_frequency(&state.db, me.id, frequency).await?;
            Ok(())
        },
    )
    .await
}

/// The digest's « Ne plus recevoir ce résumé » page's button (no sign-in: the token decides).
#[server(endpoint = "unsubscribe_digest")]
pub async fn unsubscribe_digest(jeton: String) -> Result<(), AppError> {
    let kept = jeton.clone();
    super::session::act(
        "/desabonnement?info=desabonne",
        "/desabonnement",
        &[("jeton", kept.as_str())],
        |state| async move {
            if let Err(err) = domain::watch::digest::unsubscribe(&state.db, &jeton).await {
                super::session::throttle_bad_link("digest-link", &jeton).await?;
                return Err(err.into());
            }
            Ok(())
        },
    )
    .await
}

/// What a reminder's link is about, for its page (changes nothing).
#[server(endpoint = "get_reminder_link")]
pub async fn get_reminder_link(jeton: String) -> Result<crate::dto::ReminderLinkView, AppError> {
    let state = super::state()?;
    match domain::watch::reminders::target(&state.db, &jeton).await {
        Ok(t) => Ok(crate::dto::ReminderLinkView {
            action: t.action,
            tool: t.tool,
            authority: t.authority,
            authority_public_id: t.authority_public_id,
        }),
        Err(err) => {
            super::session::throttle_bad_link("reminder-link", &jeton).await?;
            Err(err.into())
        }
    }
}

/// The reminder page's button: « toujours d'actualité » or « nous ne l'utilisons plus »,
/// once, without signing in (the token decides).
#[server(endpoint = "use_reminder_link")]
pub async fn use_reminder_link(jeton: String) -> Result<(), AppError> {
    let kept = jeton.clone();
    let state = super::state()?;
    // Sent to the authority's page once done; back to the link's page when refused.
    let done = domain::watch::reminders::act(&state.db, &jeton).await;
    let ok = match &done {
        Ok(t) => format!(
            "/collectivites/{}?info={}#outils",
            crate::format::url_encode(&t.authority_public_id),
            match t.action {
                model::watch::ReminderAction::Confirm => "declaration-confirmee",
                model::watch::ReminderAction::Abandon => "declaration-abandonnee",
            }
        ),
        Err(_) => "/rappel".into(),
    };
    let result = match done {
        Ok(_) => Ok(()),
        Err(err) => {
            super::session::throttle_bad_link("reminder-link", &jeton).await?;
            Err(err.into())
        }
    };
    super::session::finish(result, &ok, "/rappel", &[("jeton", kept.as_str())]).await
}

/// Reminders on or off (`/compte`).
#[server(endpoint = "set_reminders")]
pub async fn set_reminders(#[server(default)] rappels: Option<String>) -> Result<(), AppError> {
    super::session::act(
        "/compte?info=rappels-enregistres#rappels",
        "/compte",
        &[],
        |state| async move {
            let me = super::session::require_user().await?;
            domain::watch::reminders::set_enabled(&state.db, me.id, rappels.is_some()).await?;
            Ok(())
        },
    )
    .await
}
