//! One question to every referent of a tool: the preview (how many it reaches, how many
//! it leaves out and why) and the sending. Approved members only, checked here and again
//! in `domain::contact::question`.

use leptos::prelude::*;

use crate::dto::QuestionPreviewView;
use crate::error::AppError;
use model::forms::{QuestionForm, QuestionScope};

#[cfg(feature = "ssr")]
fn narrowing(scope: &QuestionScope) -> Result<domain::contact::question::Narrowing, AppError> {
    let code = |raw: &str, what: &str| -> Result<Option<String>, AppError> {
        match raw.trim() {
            "" => Ok(None),
            c if c.len() <= 3 && c.chars().all(|ch| ch.is_ascii_alphanumeric()) => {
                Ok(Some(c.to_string()))
            }
            _ => Err(AppError::Invalid(format!("{what} n'existe pas."))),
        }
    };
    let kind = match scope.kind.trim() {
        "" => None,
        k => Some(
            model::authority::AuthorityKind::parse(k)
                .ok_or_else(|| AppError::Invalid("Ce type de collectivité n'existe pas.".into()))?,
        ),
    };
    let population = match scope.population.trim() {
        "" => None,
        p if model::population::is_band(p) => Some(p.to_string()),
        _ => {
            return Err(AppError::Invalid(
                "Cette tranche de population n'existe pas.".into(),
            ));
        }
    };
    Ok(domain::contact::question::Narrowing {
        region: code(&scope.region, "Cette région")?,
        departement: code(&scope.departement, "Ce département")?,
        kind,
        population,
    })
}

/// The question page's address for this scope (what a refusal sends the browser back to).
pub fn page_of(scope: &QuestionScope) -> String {
    crate::format::with_query(
        &format!(
            "/logiciels/{}/question",
            crate::format::url_encode(&scope.logiciel)
        ),
        &[
            ("region", scope.region.as_str()),
            ("departement", scope.departement.as_str()),
            ("kind", scope.kind.as_str()),
            ("population", scope.population.as_str()),
        ],
    )
}

#[server(endpoint = "preview_question")]
pub async fn preview_question(
    #[server(flatten)] scope: QuestionScope,
) -> Result<QuestionPreviewView, AppError> {
    let state = super::state()?;
    let me = super::session::require_user().await?;
    domain::permissions::require(&me, domain::permissions::Action::ReachMembers)?;
    let narrowing = narrowing(&scope)?;
    let limits = &state.config.contact;
    let now = chrono::Utc::now();
    let preview = domain::contact::question::preview(
        &state.db,
        limits,
        &me,
        &scope.logiciel,
        &narrowing,
        now,
    )
    .await?;
    let labels = state.labels.get(&state.db).await?;
    let sorted = |map: &std::collections::HashMap<String, String>| {
        let mut list: Vec<(String, String)> =
            map.iter().map(|(c, n)| (c.clone(), n.clone())).collect();
        list.sort_by_cached_key(|(code, name)| (domain::text::fold(name), code.clone()));
        list
    };
    let left = &preview.left_out;
    Ok(QuestionPreviewView {
        software_slug: preview.software_slug.clone(),
        software_name: preview.software_name.clone(),
        recipients: preview.recipient_count(),
        max_recipients: u32::try_from(limits.question_recipients).unwrap_or(u32::MAX),
        opted_out: left.opted_out,
        blocked: left.blocked,
        over_limit: left.over_limit,
        own_authority: left.own_authority,
        unreachable: left.unreachable,
        regions: sorted(&labels.regions),
        departements: sorted(&labels.departements),
        stamp: domain::contact::stamp::issue(&state.db, me.id, now).await?,
        subject_max: domain::contact::SUBJECT_MAX,
        message_max: domain::contact::MESSAGE_MAX,
    })
}

/// Sends the question; on refusal, back to its page with what was typed and the reason.
#[server(endpoint = "ask_referents")]
pub async fn ask_referents(#[server(flatten)] form: QuestionForm) -> Result<(), AppError> {
    let back = page_of(&form.scope);
    let keep = [
        ("objet", form.objet.as_str()),
        ("message", form.message.as_str()),
    ];
    let result = async {
        let state = super::state()?;
        let me = super::session::require_user().await?;
        let input = domain::contact::question::QuestionInput {
            software: form.scope.logiciel.clone(),
            narrowing: narrowing(&form.scope)?,
            subject: form.objet.clone(),
            message: form.message.clone(),
            consent: form.consentement.is_some(),
            honeypot: form.site_web.clone().unwrap_or_default(),
            stamp: form.debut.clone().unwrap_or_default(),
        };
        domain::contact::question::ask(
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
    super::session::finish(
        result,
        "/compte/messages?info=question-envoyee",
        &back,
        &keep,
    )
    .await
}
