//! `/rappel?jeton=…`: a link of a reminder mail. Opening it changes nothing; the button
//! confirms with a POST, without signing in (the token designates the declaration).

use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_meta::Title;

use super::token_pages::token_param;
use crate::api::watch::{UseReminderLink, get_reminder_link};
use crate::components::failure::InlineError;
use crate::components::flash::Flash;
use model::watch::ReminderAction;

#[component]
pub fn ReminderPage() -> impl IntoView {
    let token = token_param();
    let link = Resource::new(
        {
            let token = token.clone();
            move || token.clone()
        },
        get_reminder_link,
    );
    view! {
        <Title text="Rappel de déclaration" />
        <section class="narrow">
            <h1>"Votre déclaration est-elle toujours d'actualité ?"</h1>
            <Flash />
            {(!token.is_empty()).then(move || view! {
                <Suspense fallback=|| view! { <p class="loading">"Chargement…"</p> }>
                    {move || {
                        let token = token.clone();
                        Suspend::new(async move {
                            match link.await {
                                Ok(l) => {
                                    let (says, button) = match l.action {
                                        ReminderAction::Confirm => (
                                            format!("{} utilise toujours {} comme déclaré : la déclaration sera datée d'aujourd'hui.", l.authority, l.tool),
                                            "Toujours d'actualité",
                                        ),
                                        ReminderAction::Abandon => (
                                            format!("{} n'utilise plus {} : la déclaration sera marquée abandonnée.", l.authority, l.tool),
                                            "Nous ne l'utilisons plus",
                                        ),
                                    };
                                    view! {
                                        <p>{says}</p>
                                        <form method="post" action=UseReminderLink::PATH class="stack-form">
                                            <input type="hidden" name="jeton" value=token />
                                            <button type="submit">{button}</button>
                                        </form>
                                        <p><a href=format!("/collectivites/{}#outils", l.authority_public_id)>"Changer le statut depuis la page de la collectivité (connexion requise)"</a></p>
                                    }.into_any()
                                }
                                Err(err) => view! { <InlineError err /> }.into_any(),
                            }
                        })
                    }}
                </Suspense>
            })}
        </section>
    }
}
