//! Pages opened from an email link. Opening the link changes nothing (no state change
//! through GET): the page shows a button that confirms with a POST.

use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::api::account::{
    ConfirmEmailChange, EraseByLink, ResetPassword, VerifyEmail, pending_sign_up,
};
use crate::components::fields::NewPassword;
use crate::components::flash::{Flash, kept};

/// The `jeton` of an email link (shared by every page opened from a mail), or, after a
/// refused form, the one the server kept in the flash (never put back in the URL).
pub(crate) fn token_param() -> String {
    let token = use_query_map()
        .read_untracked()
        .get("jeton")
        .unwrap_or_default();
    if token.is_empty() {
        kept("jeton")
    } else {
        token
    }
}

/// `/verifier?jeton=…`: names the sign-up the link confirms (name, authority) before its
/// button, so a link sent by someone else's sign-up with this address is recognised.
#[component]
pub fn VerifyEmailPage() -> impl IntoView {
    let token = token_param();
    let pending = Resource::new(
        {
            let token = token.clone();
            move || token.clone()
        },
        pending_sign_up,
    );
    view! {
        <Title text="Confirmer mon adresse" />
        <section class="narrow">
            <h1>"Confirmer mon adresse"</h1>
            <Flash />
            <Suspense fallback=|| view! { <p class="loading">"Chargement…"</p> }>
                {move || {
                    let token = token.clone();
                    Suspend::new(async move {
                    match pending.await {
                        Ok(Some(p)) => view! {
                            <form method="post" action=VerifyEmail::PATH class="stack-form">
                                <input type="hidden" name="token" value=token />
                                <p>"Vous confirmez la demande d'adhésion de "<strong>{p.name}</strong>" pour "<strong>{p.authority}</strong>"."</p>
                                <p>"Si ce n'est pas vous, ne confirmez pas : ignorez ce lien et inscrivez-vous de nouveau."</p>
                                <button type="submit">"Confirmer mon adresse"</button>
                            </form>
                        }.into_any(),
                        Ok(None) => view! {
                            <p>"Ce lien n'est pas valide : il a expiré ou a déjà servi. Demandez-en un nouveau depuis la page de connexion."</p>
                        }.into_any(),
                        Err(err) => view! { <p>{err.to_string()}</p> }.into_any(),
                    }
                    })
                }}
            </Suspense>
        </section>
    }
}

#[component]
pub fn ResetPasswordPage() -> impl IntoView {
    let token = token_param();
    view! {
        <Title text="Nouveau mot de passe" />
        <section class="narrow">
            <h1>"Choisir un nouveau mot de passe"</h1>
            <Flash />
            <form method="post" action=ResetPassword::PATH class="stack-form">
                <input type="hidden" name="token" value=token />
                <NewPassword id="password" label="Nouveau mot de passe" />
                <button type="submit">"Enregistrer"</button>
            </form>
        </section>
    }
}

#[component]
pub fn ConfirmEmailPage() -> impl IntoView {
    let token = token_param();
    view! {
        <Title text="Confirmer ma nouvelle adresse" />
        <section class="narrow">
            <h1>"Confirmer ma nouvelle adresse"</h1>
            <Flash />
            {(!token.is_empty()).then(|| view! {
                <form method="post" action=ConfirmEmailChange::PATH class="stack-form">
                    <input type="hidden" name="token" value=token.clone() />
                    <button type="submit">"Utiliser cette adresse"</button>
                </form>
            })}
        </section>
    }
}

/// `/supprimer-mes-donnees?jeton=…`, from a refusal mail: erase the applicant's data now.
#[component]
pub fn EraseDataPage() -> impl IntoView {
    let token = token_param();
    view! {
        <Title text="Supprimer mes données" />
        <section class="narrow">
            <h1>"Supprimer mes données"</h1>
            <Flash />
            {(!token.is_empty()).then(|| view! {
                <form method="post" action=EraseByLink::PATH class="stack-form">
                    <input type="hidden" name="token" value=token.clone() />
                    <p>"Votre demande d'adhésion n'a pas été acceptée. Ce bouton supprime dès maintenant votre compte et toutes vos données personnelles ; sans action de votre part, elles le seront automatiquement 30 jours après le refus."</p>
                    <button type="submit" class="danger">"Supprimer mes données"</button>
                </form>
            })}
        </section>
    }
}
