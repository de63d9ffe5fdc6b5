//! Pages opened from a contact request's email: opt out, block the sender, report. Opening
//! the link changes nothing; a button confirms with a POST. No sign-in is needed: the
//! token in the link designates the request and its recipient.

use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_meta::Title;

use super::token_pages::token_param;
use crate::api::contact::{ContactBlock, ContactOptOut, ContactReport};
use crate::components::flash::Flash;

#[component]
pub fn ContactOptOutPage() -> impl IntoView {
    let token = token_param();
    view! {
        <Title text="Ne plus recevoir de demandes" />
        <section class="narrow">
            <h1>"Ne plus recevoir de demandes de contact"</h1>
            <Flash />
            {(!token.is_empty()).then(|| view! {
                <p>"Les membres de Pairs ne pourront plus vous écrire par la plateforme. Vous pourrez changer d'avis depuis votre compte."</p>
                <form method="post" action=ContactOptOut::PATH class="stack-form">
                    <input type="hidden" name="jeton" value=token.clone() />
                    <button type="submit">"Ne plus recevoir de demandes"</button>
                </form>
            })}
        </section>
    }
}

#[component]
pub fn ContactBlockPage() -> impl IntoView {
    let token = token_param();
    view! {
        <Title text="Bloquer un expéditeur" />
        <section class="narrow">
            <h1>"Bloquer cet expéditeur"</h1>
            <Flash />
            {(!token.is_empty()).then(|| view! {
                <p>"Ce membre ne pourra plus vous écrire par Pairs. Les autres membres le pourront toujours."</p>
                <form method="post" action=ContactBlock::PATH class="stack-form">
                    <input type="hidden" name="jeton" value=token.clone() />
                    <button type="submit">"Bloquer cet expéditeur"</button>
                </form>
            })}
        </section>
    }
}

#[component]
pub fn ContactReportPage() -> impl IntoView {
    let token = token_param();
    view! {
        <Title text="Signaler une demande" />
        <section class="narrow">
            <h1>"Signaler une demande de contact"</h1>
            <Flash />
            {(!token.is_empty()).then(|| view! {
                <p>"Les administrateurs du réseau examineront cette demande et son expéditeur."</p>
                <form method="post" action=ContactReport::PATH class="stack-form">
                    <input type="hidden" name="jeton" value=token.clone() />
                    <label for="motif">"Ce qui pose problème"</label>
                    <textarea id="motif" name="motif" required maxlength="1000" rows="4"></textarea>
                    <button type="submit">"Signaler aux administrateurs"</button>
                </form>
            })}
        </section>
    }
}
