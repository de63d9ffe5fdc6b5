//! `/inscription` (and `/inscription/envoyee`): joining Pairs as an official or staff member of an authority.

use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_meta::Title;
use leptos_router::{components::A, hooks::use_query_map};

use crate::api::{account::SignUp, authorities::find_authorities};
use crate::components::fields::NewPassword;
use crate::components::flash::{Flash, kept};
use crate::format::link_kind_label;

/// `/inscription`. The authority is chosen from the referential: a GET search (works
/// without JavaScript) lists matches as radio buttons of the sign-up form; once hydrated,
/// the list follows the typing.
#[component]
pub fn SignupPage() -> impl IntoView {
    // The commune searched comes from the GET search form; what was typed in the sign-up
    // form itself comes back from the flash after a refusal.
    let searched = use_query_map()
        .read_untracked()
        .get("commune")
        .unwrap_or_default();
    let (email, first, last, position, job, chosen) = (
        kept("email"),
        kept("prenom"),
        kept("nom"),
        kept("qualite"),
        kept("fonction"),
        kept("collectivite"),
    );
    let commune = if searched.is_empty() {
        kept("commune")
    } else {
        searched
    };

    view! {
        <Title text="Créer un compte" />
        <section class="narrow">
            <h1>"Rejoindre Pairs"</h1>
            <p>"L'inscription est réservée aux élu·es et agent·es des collectivités. Après confirmation de votre adresse, un administrateur du réseau valide votre demande."</p>
            <Flash />
            <AuthorityChooser commune chosen />
            <form method="post" action=SignUp::PATH class="stack-form" id="signup-form">
                <fieldset>
                    <legend>"Vous êtes"</legend>
                    <div class="choice">
                        <input type="radio" id="position-elu" name="position" value="elu" checked=position == "elu" required />
                        <label for="position-elu">"Élu·e"</label>
                    </div>
                    <div class="choice">
                        <input type="radio" id="position-agent" name="position" value="agent" checked=position == "agent" />
                        <label for="position-agent">"Agent·e"</label>
                    </div>
                </fieldset>
                <label for="job_title">"Fonction"</label>
                <input id="job_title" name="job_title" maxlength="120" required placeholder="ex. Adjoint au numérique, DSI" value=job />
                <label for="first_name">"Prénom"</label>
                <input id="first_name" name="first_name" autocomplete="given-name" maxlength="100" required value=first />
                <label for="last_name">"Nom"</label>
                <input id="last_name" name="last_name" autocomplete="family-name" maxlength="100" required value=last />
                <label for="email">"Adresse électronique professionnelle"</label>
                <input id="email" name="email" type="email" autocomplete="email" maxlength="254" required value=email />
                <NewPassword id="password" label="Mot de passe" />
                <button type="submit">"Créer mon compte"</button>
            </form>
            <p>"Déjà membre ? " <A href="/connexion">"Se connecter"</A></p>
        </section>
    }
}

/// The authority chooser, an island: a GET search (works without JavaScript) whose
/// matches are radio buttons of the sign-up form below (`form="signup-form"`); hydrated,
/// the list follows the typing.
#[island(lazy)]
fn AuthorityChooser(commune: String, chosen: String) -> impl IntoView {
    crate::components::islands::mark_hydrated();
    let commune = RwSignal::new(commune);
    let matches = Resource::new(
        move || commune.get(),
        |c| async move {
            if c.trim().chars().count() < 2 {
                return None;
            }
            find_authorities(c, 1).await.ok()
        },
    );
    let chosen = StoredValue::new(chosen);
    view! {
        <form method="get" action="/inscription" class="stack-form" role="search">
            <label for="commune">"Votre collectivité : nom, code postal, code INSEE ou SIREN"</label>
            <div class="finder-row">
                <input id="commune" name="commune" type="search" autocomplete="off" maxlength="100"
                    prop:value=move || commune.get()
                    on:input=move |ev| commune.set(event_target_value(&ev)) />
                <button type="submit" class="secondary">"Chercher"</button>
            </div>
        </form>
        <fieldset class="stack-form">
            <legend>"Collectivité"</legend>
            <Transition fallback=|| view! { <p class="loading">"Recherche…"</p> }>
                {move || Suspend::new(async move {
                    match matches.await {
                        None => view! { <p class="hint">"Cherchez votre collectivité ci-dessus, puis choisissez-la ici."</p> }.into_any(),
                        Some(found) if found.items.is_empty() => view! { <p class="hint">"Aucune collectivité ne correspond : essayez le code postal."</p> }.into_any(),
                        Some(found) => found.items.into_iter().map(|item| {
                            let id = format!("authority-{}", item.public_id);
                            let checked = chosen.with_value(|c| *c == item.public_id);
                            let label = format!("{} ({}, {})", item.name, link_kind_label(&item), item.departement_code.clone().unwrap_or_default());
                            view! {
                                <div class="choice">
                                    <input type="radio" form="signup-form" name="authority" id=id.clone() value=item.public_id.clone() checked=checked required />
                                    <label for=id>{label}</label>
                                </div>
                            }
                        }).collect_view().into_any(),
                    }
                })}
            </Transition>
        </fieldset>
        <input type="hidden" form="signup-form" name="commune" prop:value=move || commune.get() />
    }
}

#[component]
pub fn SignupSentPage() -> impl IntoView {
    view! {
        <Title text="Vérifiez votre messagerie" />
        <section class="narrow">
            <h1>"Vérifiez votre messagerie"</h1>
            <p role="status">"Si votre demande est recevable, un message vient de vous être envoyé avec un lien pour confirmer votre adresse. Il est valable 48 heures."</p>
            <p>"Pensez à regarder dans les courriers indésirables."</p>
        </section>
    }
}
