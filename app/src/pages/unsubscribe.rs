//! `/desabonnement`: the « Ne plus recevoir ce résumé » link of a digest. Opening it changes
//! nothing; the button confirms with a POST. No sign-in: the token designates the member.

use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_meta::Title;

use super::token_pages::token_param;
use crate::api::watch::UnsubscribeDigest;
use crate::components::flash::Flash;

#[component]
pub fn UnsubscribePage() -> impl IntoView {
    let token = token_param();
    view! {
        <Title text="Ne plus recevoir le résumé" />
        <section class="narrow">
            <h1>"Ne plus recevoir le résumé de ce que vous suivez"</h1>
            <Flash />
            {(!token.is_empty()).then(|| view! {
                <p>"Vous ne recevrez plus le résumé des adoptions et abandons des logiciels que vous suivez. Vos suivis sont conservés ; vous pourrez rétablir le résumé depuis votre compte."</p>
                <form method="post" action=UnsubscribeDigest::PATH class="stack-form">
                    <input type="hidden" name="jeton" value=token.clone() />
                    <button type="submit">"Ne plus recevoir le résumé"</button>
                </form>
            })}
        </section>
    }
}
