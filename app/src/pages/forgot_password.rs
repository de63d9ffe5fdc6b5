//! `/mot-de-passe-oublie`: asks for a password reset link.

use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_meta::Title;

use crate::api::account::RequestPasswordReset;
use crate::components::flash::{Flash, kept};

#[component]
pub fn ForgotPasswordPage() -> impl IntoView {
    let email = kept("email");
    view! {
        <Title text="Mot de passe oublié" />
        <section class="narrow">
            <h1>"Mot de passe oublié"</h1>
            <Flash />
            <p>"Saisissez l'adresse de votre compte : nous y enverrons un lien pour choisir un nouveau mot de passe."</p>
            <form method="post" action=RequestPasswordReset::PATH class="stack-form">
                <label for="email">"Adresse électronique"</label>
                <input id="email" name="email" type="email" autocomplete="email" required value=email />
                <button type="submit">"Recevoir un lien"</button>
            </form>
        </section>
    }
}
