//! `/signaler-profil`: a member reports a profile to the administrators.

use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::api::contact::ReportProfile;
use crate::components::flash::Flash;

/// `/signaler-profil?membre=…`: an approved member reports a profile that breaks the rules
/// (a plain form; the server checks who sends it).
#[component]
pub fn ReportProfilePage() -> impl IntoView {
    let member = use_query_map()
        .read_untracked()
        .get("membre")
        .unwrap_or_default();
    view! {
        <Title text="Signaler un profil" />
        <section class="narrow">
            <h1>"Signaler un profil"</h1>
            <Flash />
            {(!member.is_empty()).then(|| view! {
                <p>"Un profil usurpé, une fonction injurieuse, un démarchage : les administrateurs du réseau examineront votre signalement."</p>
                <form method="post" action=ReportProfile::PATH class="stack-form">
                    <input type="hidden" name="membre" value=member.clone() />
                    <label for="motif">"Ce qui pose problème"</label>
                    <textarea id="motif" name="motif" required maxlength="1000" rows="4"></textarea>
                    <button type="submit">"Signaler aux administrateurs"</button>
                </form>
            })}
        </section>
    }
}
