//! `/connexion`: sign-in, and the « resend the verification link » form.

use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_meta::Title;
use leptos_router::{components::A, hooks::use_query_map};

use crate::api::account::{Login, ResendVerification};
use crate::components::fields::CurrentPassword;
use crate::components::flash::{Flash, kept};

#[component]
pub fn LoginPage() -> impl IntoView {
    let query = use_query_map();
    let email = kept("email");
    // Where to go back after login (checked again by the server function).
    let retour = query.read_untracked().get("retour").unwrap_or_default();
    view! {
        <Title text="Connexion" />
        <section class="narrow">
            <h1>"Connexion"</h1>
            <Flash />
            <form method="post" action=Login::PATH class="stack-form" id="login-form">
                {(!retour.is_empty()).then(|| view! { <input type="hidden" name="retour" value=retour /> })}
                <label for="email">"Adresse électronique"</label>
                <input id="email" name="email" type="email" autocomplete="email" required value=email />
                <CurrentPassword id="password" name="password" label="Mot de passe" />
                <button type="submit">"Se connecter"</button>
            </form>
            <details class="resend">
                <summary>"Vous n'avez pas reçu le lien de vérification ?"</summary>
                <form method="post" action=ResendVerification::PATH class="stack-form" id="resend-form">
                    <label for="resend-email">"Adresse utilisée à l'inscription"</label>
                    <input id="resend-email" name="email" type="email" autocomplete="email" required />
                    <button type="submit" class="secondary">"Renvoyer le lien de vérification"</button>
                </form>
            </details>
            <p>
                <A href="/mot-de-passe-oublie">"Mot de passe oublié ?"</A>
                " · "
                <A href="/inscription">"Créer un compte"</A>
            </p>
        </section>
    }
}
