//! `/logiciels/:slug/retour`: the retour d'expérience of the member's authority on a tool —
//! write it, edit it or withdraw it. Plain forms; a refusal comes back with what was typed.

use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_meta::Title;
use leptos_router::{components::A, hooks::use_params_map};

use super::not_found::current_path;
use crate::api::reviews::{SaveReview, WithdrawReview, get_review_draft};
use crate::components::failure::Failure;
use crate::components::flash::{Flash, kept};
use crate::dto::ReviewDraftView;
use crate::error::AppError;

#[component]
pub fn ReviewPage() -> impl IntoView {
    let slug = use_params_map()
        .read_untracked()
        .get("slug")
        .unwrap_or_default();
    let draft = Resource::new(move || slug.clone(), get_review_draft);
    let here = StoredValue::new(current_path());
    view! {
        <Title text="Retour d'expérience" />
        <section class="narrow">
            <h1>"Retour d'expérience"</h1>
            <Flash />
            <Suspense fallback=|| view! { <p class="loading">"Chargement…"</p> }>
                {move || Suspend::new(async move {
                    match draft.await {
                        Ok(view) => view! { <Draft view /> }.into_any(),
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

#[component]
fn Draft(view: ReviewDraftView) -> impl IntoView {
    let software_href = format!("/logiciels/{}", view.software_slug);
    if !view.declared {
        return view! {
            <div class="empty-state">
                <p>{format!("{} n'a pas déclaré {} : déclarez-le d'abord sur la page de votre collectivité, puis racontez comment il vous sert.", view.authority_name, view.software_name)}</p>
                <p><A href=software_href>{format!("Retour à {}", view.software_name)}</A></p>
            </div>
        }
        .into_any();
    }
    let typed = kept("texte");
    let text = if typed.is_empty() {
        view.text.clone().unwrap_or_default()
    } else {
        typed
    };
    let withdraw = view.text.is_some().then(|| {
        view! {
            <form method="post" action=WithdrawReview::PATH class="inline-form">
                <input type="hidden" name="logiciel" value=view.software_slug.clone() />
                <button type="submit" class="danger">"Retirer notre retour"</button>
            </form>
        }
    });
    view! {
        <p>"Au sujet de " <A href=software_href>{view.software_name.clone()}</A> {format!(". Le retour est publié sur la fiche du logiciel, dans l'API et les données ouvertes, signé « {} » : jamais de votre nom. Un seul retour par collectivité ; ses membres peuvent le modifier ou le retirer.", view.authority_name)}</p>
        {view.hidden.then(|| view! { <p class="notice" role="status">"Ce retour a été masqué par un administrateur : il n'est plus publié."</p> })}
        <form method="post" action=SaveReview::PATH class="stack-form" id="review-form">
            <input type="hidden" name="logiciel" value=view.software_slug.clone() />
            <label for="texte">"Votre retour d'expérience"</label>
            <textarea id="texte" name="texte" required rows="8" maxlength=view.max.to_string() aria-describedby="texte-hint">{text}</textarea>
            <p id="texte-hint" class="hint">{format!("{} caractères au plus. Ce qui marche, ce qui coûte, ce que vous auriez aimé savoir.", view.max)}</p>
            <button type="submit">"Publier"</button>
        </form>
        {withdraw}
    }
    .into_any()
}
