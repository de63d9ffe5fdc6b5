//! Contact requests: the form, sending, the member's messages, and what a recipient can do
//! (opt out, block, report), signed in or from the email's links. Every function checks
//! who calls; none ever returns a recipient's address.

use leptos::prelude::*;

use crate::dto::{ContactFormView, MessagesView, PeerView};
use crate::error::AppError;

#[cfg(feature = "ssr")]
use super::session::{act, finish, require_user, throttle_bad_link};
#[cfg(feature = "ssr")]
use model::contact::LinkAction;

#[cfg(feature = "ssr")]
fn peer_view(p: domain::contact::recipients::Peer) -> PeerView {
    PeerView {
        id: p.id,
        name: p.name,
        job_title: p.job_title,
        authority_name: p.authority_name,
        authority_public_id: p.authority_public_id,
    }
}

/// A signed-in, approved member: only they may write (and see who can be written to).
#[cfg(feature = "ssr")]
async fn require_approved() -> Result<domain::actor::CurrentUser, AppError> {
    let me = require_user().await?;
    domain::permissions::require(&me, domain::permissions::Action::ReachMembers)?;
    Ok(me)
}

#[cfg(feature = "ssr")]
fn parse_id<T: std::str::FromStr>(raw: &str) -> Result<T, AppError> {
    raw.trim()
        .parse()
        .map_err(|_| AppError::Invalid("Ce destinataire est introuvable.".into()))
}

/// The contact form for writing to member `recipient`.
#[server(endpoint = "get_contact_form")]
pub async fn get_contact_form(recipient: String) -> Result<ContactFormView, AppError> {
    let state = super::state()?;
    let me = require_approved().await?;
    let id: i32 = parse_id(&recipient)?;
    let peer = match domain::contact::recipients::peer(&state.db, id).await? {
        Some(p) if p.id != me.id => {
            (!domain::contact::recipients::is_blocked(&state.db, p.id, me.id).await?).then_some(p)
        }
        _ => None,
    };
    let software = domain::catalogue::query::choices(&state.catalogue.groups(&state.db, "").await?);
    Ok(ContactFormView {
        recipient: peer.map(peer_view),
        software,
        stamp: domain::contact::stamp::issue(&state.db, me.id, chrono::Utc::now()).await?,
        subject_max: domain::contact::SUBJECT_MAX,
        message_max: domain::contact::MESSAGE_MAX,
    })
}

/// Sends a request; on refusal, back to the form with what was typed and the reason.
#[server(endpoint = "send_contact_request")]
pub async fn send_contact_request(
    #[server(flatten)] form: model::forms::ContactForm,
) -> Result<(), AppError> {
    let model::forms::ContactForm {
        destinataire,
        logiciel,
        objet,
        message,
        consentement,
        site_web,
        debut,
    } = form;
    let logiciel = logiciel.unwrap_or_default();
    // The recipient's id and the software's slug stay in the address (how the page was
    // opened); what was typed goes to the flash.
    let back = crate::format::with_query(
        "/contact/nouveau",
        &[
            ("destinataire", destinataire.as_str()),
            ("logiciel", logiciel.as_str()),
        ],
    );
    let keep = [("objet", objet.as_str()), ("message", message.as_str())];
    let result = async {
        let state = super::state()?;
        let me = require_approved().await?;
        let input = domain::contact::send::ContactInput {
            recipient_id: parse_id(&destinataire)?,
            software: logiciel.clone(),
            subject: objet.clone(),
            message: message.clone(),
            consent: consentement.is_some(),
            honeypot: site_web.unwrap_or_default(),
            stamp: debut.unwrap_or_default(),
        };
        domain::contact::send::send(
            &state.db,
            &state.config.contact,
            &state.config.public_url,
            &me,
            &input,
            chrono::Utc::now(),
        )
        .await?;
        Ok(())
    }
    .await;
    finish(
        result,
        "/compte/messages?info=demande-envoyee",
        &back,
        &keep,
    )
    .await
}

/// The members of an authority the viewer may write to; `None` for visitors and members
/// not yet approved (only approved members see who to contact).
#[server(endpoint = "list_authority_contacts")]
pub async fn list_authority_contacts(authority: String) -> Result<Option<Vec<PeerView>>, AppError> {
    let state = super::state()?;
    let Some(me) = super::session::current_user()
        .await?
        .filter(|u| super::session::may(u, domain::permissions::Action::ReachMembers))
    else {
        return Ok(None);
    };
    let id = if authority.len() > 40 {
        None
    } else {
        domain::authorities::id_of(&state.db, &authority).await?
    };
    let Some(id) = id else {
        return Ok(Some(Vec::new()));
    };
    Ok(Some(
        domain::contact::recipients::of_authority(&state.db, id, me.id)
            .await?
            .into_iter()
            .map(peer_view)
            .collect(),
    ))
}

/// One page of the member's requests, sent and received, newest first.
#[server(endpoint = "list_messages")]
pub async fn list_messages(page: u64) -> Result<MessagesView, AppError> {
    let state = super::state()?;
    let me = require_user().await?;
    let page = page.clamp(1, 10_000);
    let found = domain::contact::history::page(&state.db, me.id, page).await?;
    Ok(MessagesView {
        page,
        has_next: found.has_next,
        items: found
            .entries
            .into_iter()
            .map(|e| crate::dto::MessageView {
                id: e.id,
                sent_by_me: e.sent_by_me,
                other_id: e.other_id,
                other_name: e.other_name,
                other_authority: e.other_authority,
                software: e.software,
                subject: e.subject,
                status: e.status.as_str().into(),
                status_label: e.status.label().into(),
                failure_reason: e.failure_reason.filter(|_| e.sent_by_me),
                sent_on: e.created_at.format("%d/%m/%Y").to_string(),
                sender_blocked: e.sender_blocked,
                question: e
                    .question
                    .into_iter()
                    .map(|q| crate::dto::QuestionRecipientView {
                        name: q.name,
                        authority: q.authority,
                        status_label: q.status.label().into(),
                        failure_reason: q.failure_reason,
                    })
                    .collect(),
            })
            .collect(),
    })
}

#[cfg(feature = "ssr")]
fn request_id(raw: &str) -> Result<i64, AppError> {
    raw.trim()
        .parse()
        .map_err(|_| AppError::Invalid("Cette demande est introuvable.".into()))
}

/// Blocks the sender of a request the member received.
#[server(endpoint = "block_sender")]
pub async fn block_sender(demande: String) -> Result<(), AppError> {
    act(
        "/compte/messages?info=expediteur-bloque",
        "/compte/messages",
        &[],
        |state| async move {
            let me = require_user().await?;
            domain::contact::actions::block_as(&state.db, me.id, request_id(&demande)?).await?;
            Ok(())
        },
    )
    .await
}

/// Lifts a block the member set.
#[server(endpoint = "unblock_sender")]
pub async fn unblock_sender(membre: String) -> Result<(), AppError> {
    act(
        "/compte/messages?info=expediteur-debloque",
        "/compte/messages",
        &[],
        |state| async move {
            let me = require_user().await?;
            domain::contact::actions::unblock(&state.db, me.id, parse_id(&membre)?).await?;
            Ok(())
        },
    )
    .await
}

/// Reports a request the member received to the administrators.
#[server(endpoint = "report_request")]
pub async fn report_request(demande: String, motif: String) -> Result<(), AppError> {
    act(
        "/compte/messages?info=demande-signalee",
        "/compte/messages",
        &[],
        |state| async move {
            let me = require_user().await?;
            domain::contact::actions::report_as(&state.db, me.id, request_id(&demande)?, &motif)
                .await?;
            Ok(())
        },
    )
    .await
}

/// Turns contact requests on or off for the member (account setting).
#[server(endpoint = "set_contact_preference")]
pub async fn set_contact_preference(
    #[server(default)] accepte: Option<String>,
) -> Result<(), AppError> {
    act(
        "/compte?info=preference-contact",
        "/compte",
        &[],
        |state| async move {
            let me = require_user().await?;
            domain::contact::actions::set_accepts_contact(&state.db, me.id, accepte.is_some())
                .await?;
            Ok(())
        },
    )
    .await
}

/// Looks an emailed link's token up before any limit: a valid token always passes; an
/// unknown one counts against this client (and that token) only, then gets its message.
#[cfg(feature = "ssr")]
async fn known_link(
    state: &domain::AppState,
    jeton: &str,
    action: model::contact::LinkAction,
) -> Result<(), AppError> {
    match domain::contact::actions::by_token(&state.db, jeton, action).await {
        Ok(_) => Ok(()),
        Err(error) => {
            throttle_bad_link("contact-link", jeton).await?;
            Err(error.into())
        }
    }
}

/// The email's opt-out link, confirmed by a POST (no sign-in needed: the token decides).
#[server(endpoint = "contact_opt_out")]
pub async fn contact_opt_out(jeton: String) -> Result<(), AppError> {
    let kept = jeton.clone();
    act(
        "/contact/desinscription?info=desinscrit",
        "/contact/desinscription",
        &[("jeton", kept.as_str())],
        |state| async move {
            known_link(&state, &jeton, LinkAction::OptOut).await?;
            domain::contact::actions::opt_out_by_token(&state.db, &jeton).await?;
            Ok(())
        },
    )
    .await
}

/// The email's block link, confirmed by a POST.
#[server(endpoint = "contact_block")]
pub async fn contact_block(jeton: String) -> Result<(), AppError> {
    let kept = jeton.clone();
    act(
        "/contact/bloquer?info=expediteur-bloque",
        "/contact/bloquer",
        &[("jeton", kept.as_str())],
        |state| async move {
            known_link(&state, &jeton, LinkAction::Block).await?;
            domain::contact::actions::block_by_token(&state.db, &jeton).await?;
            Ok(())
        },
    )
    .await
}

/// The email's report link, with the reason, confirmed by a POST.
#[server(endpoint = "contact_report")]
pub async fn contact_report(jeton: String, motif: String) -> Result<(), AppError> {
    let kept = jeton.clone();
    act(
        "/contact/signaler?info=demande-signalee",
        "/contact/signaler",
        &[("jeton", kept.as_str())],
        |state| async move {
            known_link(&state, &jeton, LinkAction::Report).await?;
            domain::contact::actions::report_by_token(&state.db, &jeton, &motif).await?;
            Ok(())
        },
    )
    .await
}

/// Reports a member's profile that breaks the rules (approved members only).
#[server(endpoint = "report_profile")]
pub async fn report_profile(membre: String, motif: String) -> Result<(), AppError> {
    let back = format!(
        "/signaler-profil?membre={}",
        crate::format::url_encode(&membre)
    );
    act(
        "/signaler-profil?info=profil-signale",
        &back,
        &[],
        |state| async move {
            let me = require_approved().await?;
            domain::accounts::profile_reports::report(&state.db, &me, parse_id(&membre)?, &motif)
                .await?;
            Ok(())
        },
    )
    .await
}
