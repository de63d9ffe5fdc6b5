//! `/logiciels/:slug/question`: one question to every referent of a tool, narrowed by
//! région, département, kind and population band. A GET form narrows and shows how many
//! referents the question reaches and how many it leaves out and why; a POST form sends it.
//! Both work without JavaScript.

use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_meta::Title;
use leptos_router::{
    components::A,
    hooks::{use_params_map, use_query_map},
};

use super::not_found::current_path;
use crate::api::question::{AskReferents, preview_question};
use crate::components::failure::Failure;
use crate::components::fields::RelayConsent;
use crate::components::flash::{Flash, KeptMessage, kept};
use crate::dto::QuestionPreviewView;
use crate::error::AppError;
use crate::format::plural;
use model::authority::AuthorityKind;
use model::forms::QuestionScope;

#[component]
pub fn QuestionPage() -> impl IntoView {
    let slug = use_params_map()
        .read_untracked()
        .get("slug")
        .unwrap_or_default();
    let q = use_query_map().read_untracked().clone();
    let scope = QuestionScope {
        logiciel: slug,
        region: q.get("region").unwrap_or_default(),
        departement: q.get("departement").unwrap_or_default(),
        kind: q.get("kind").unwrap_or_default(),
        population: q.get("population").unwrap_or_default(),
    };
    let preview = Resource::new(
        {
            let scope = scope.clone();
            move || scope.clone()
        },
        preview_question,
    );
    let here = StoredValue::new(current_path());
    let scope = StoredValue::new(scope);
    view! {
        <Title text="Poser une question aux référents" />
        <section class="narrow">
            <h1>"Poser une question aux référents"</h1>
            <Flash />
            <Suspense fallback=|| view! { <p class="loading">"Chargement…"</p> }>
                {move || Suspend::new(async move {
                    match preview.await {
                        Ok(view) => view! { <Question view scope=scope.get_value() /> }.into_any(),
                        Err(AppError::Invalid(msg) | AppError::Denied(msg)) => view! {
                            <div class="notice error" role="alert"><p>{msg}</p></div>
                        }.into_any(),
                        Err(err) => view! { <Failure err here=here.get_value() /> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

fn options(list: Vec<(String, String)>, chosen: &str, any: &'static str) -> impl IntoView + use<> {
    let chosen = chosen.to_string();
    view! {
        <option value="" selected=chosen.is_empty()>{any}</option>
        {list
            .into_iter()
            .map(|(code, name)| {
                let selected = code == chosen;
                view! { <option value=code selected=selected>{name}</option> }
            })
            .collect_view()}
    }
}

/// The kinds of authority, by their plural label.
fn kinds() -> Vec<(String, String)> {
    AuthorityKind::ALL
        .iter()
        .map(|k| (k.as_str().to_string(), k.plural_label().to_string()))
        .collect()
}

fn fixed(list: &[(&'static str, &'static str)]) -> Vec<(String, String)> {
    list.iter()
        .map(|(c, n)| (c.to_string(), n.to_string()))
        .collect()
}

/// « 3 ne la recevront pas : 1 a refusé les demandes, 2 sont de votre collectivité. »
fn left_out_sentence(v: &QuestionPreviewView) -> Option<String> {
    let reasons: Vec<String> = [
        (
            v.opted_out,
            "n'accepte pas les demandes de contact",
            "n'acceptent pas les demandes de contact",
        ),
        (v.blocked, "vous a bloqué·e", "vous ont bloqué·e"),
        (
            v.over_limit,
            "a reçu trop de demandes aujourd'hui",
            "ont reçu trop de demandes aujourd'hui",
        ),
        (
            v.own_authority,
            "est de votre collectivité",
            "sont de votre collectivité",
        ),
        (
            v.unreachable,
            "n'est plus joignable",
            "ne sont plus joignables",
        ),
    ]
    .into_iter()
    .filter(|(n, _, _)| *n > 0)
    .map(|(n, one, many)| format!("{n} {}", if n > 1 { many } else { one }))
    .collect();
    let total: u32 = v.opted_out + v.blocked + v.over_limit + v.own_authority + v.unreachable;
    (total > 0).then(|| {
        format!(
            "{} ne la {} pas : {}.",
            plural(u64::from(total), "référent", "référents"),
            if total > 1 { "recevront" } else { "recevra" },
            reasons.join(", ")
        )
    })
}

#[component]
fn Question(view: QuestionPreviewView, scope: QuestionScope) -> impl IntoView {
    let software_href = format!("/logiciels/{}", view.software_slug);
    let action = format!("/logiciels/{}/question", view.software_slug);
    let reach = match view.recipients {
        0 => "Aucun référent ne recevra cette question avec ces critères : élargissez-les."
            .to_string(),
        n => format!(
            "Votre question sera envoyée à {}, chacun par un courriel séparé ; leurs adresses ne vous sont pas communiquées.",
            plural(u64::from(n), "référent", "référents")
        ),
    };
    let too_many = (view.recipients > view.max_recipients).then(|| {
        view! {
            <p class="notice error" role="alert">
                {format!(
                    "C'est plus que les {} destinataires permis par question : précisez la région, le département, le type ou la taille des collectivités.",
                    view.max_recipients
                )}
            </p>
        }
    });
    let left = left_out_sentence(&view);
    let can_send = view.recipients > 0 && view.recipients <= view.max_recipients;
    let (subject, message) = (kept("objet"), kept("message"));
    view! {
        <p>"Au sujet de " <A href=software_href>{view.software_name.clone()}</A> ". Chaque référent reçoit votre question de la part de Pairs et vous répond directement."</p>
        <form method="get" action=action class="stack-form" id="question-scope">
            <label for="question-region">"Région"</label>
            <select id="question-region" name="region">{options(view.regions.clone(), &scope.region, "Toutes les régions")}</select>
            <label for="question-departement">"Département"</label>
            <select id="question-departement" name="departement">{options(view.departements.clone(), &scope.departement, "Tous les départements")}</select>
            <label for="question-kind">"Type de collectivité"</label>
            <select id="question-kind" name="kind">{options(kinds(), &scope.kind, "Tous les types")}</select>
            <label for="question-population">"Taille"</label>
            <select id="question-population" name="population">{options(fixed(&model::population::BANDS), &scope.population, "Toutes les tailles")}</select>
            <button type="submit" class="secondary">"Compter les destinataires"</button>
        </form>
        <p class="counts" id="question-reach" role="status">{reach}</p>
        {left.map(|l| view! { <p class="hint" id="question-left-out">{l}</p> })}
        {too_many}
        {(!can_send).then(|| view! { <KeptMessage /> })}
        {can_send.then(|| view! {
            <form method="post" action=AskReferents::PATH class="stack-form" id="question-form">
                <input type="hidden" name="logiciel" value=view.software_slug.clone() />
                <input type="hidden" name="region" value=scope.region.clone() />
                <input type="hidden" name="departement" value=scope.departement.clone() />
                <input type="hidden" name="kind" value=scope.kind.clone() />
                <input type="hidden" name="population" value=scope.population.clone() />
                <input type="hidden" name="debut" value=view.stamp.clone() />
                <label for="objet">"Objet"</label>
                <input id="objet" name="objet" required maxlength=view.subject_max.to_string() value=subject />
                <label for="message">"Votre question"</label>
                <textarea id="message" name="message" required rows="10" maxlength=view.message_max.to_string()>{message}</textarea>
                <RelayConsent whom="chaque destinataire" />
                <button type="submit">{format!("Envoyer à {}", plural(u64::from(view.recipients), "référent", "référents"))}</button>
            </form>
        })}
    }
}
