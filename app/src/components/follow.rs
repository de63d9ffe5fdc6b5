//! The « Suivre » / « Ne plus suivre » button of a tool or a category: a plain form (a
//! POST), so it works without JavaScript.

use leptos::prelude::*;
use leptos::server_fn::ServerFn;

use crate::api::watch::{Follow, Unfollow};
use model::watch::FollowTarget;

#[component]
pub fn FollowButton(
    target: FollowTarget,
    #[prop(into)] slug: String,
    #[prop(into)] name: String,
    following: bool,
    /// Pressed on `/compte`: sends back there.
    #[prop(optional)]
    from_account: bool,
) -> impl IntoView {
    let (action, label, hint) = if following {
        (
            Unfollow::PATH,
            "Ne plus suivre",
            format!("Ne plus suivre {name}"),
        )
    } else {
        (
            Follow::PATH,
            "Suivre",
            format!("Suivre {name} : ses adoptions et abandons dans votre résumé"),
        )
    };
    view! {
        <form method="post" action=action class="inline-form follow-form">
            <input type="hidden" name="cible" value=target.as_str() />
            <input type="hidden" name="slug" value=slug />
            {from_account.then(|| view! { <input type="hidden" name="depuis" value="compte" /> })}
            <button type="submit" class=if following { "secondary" } else { "" } aria-label=hint>{label}</button>
        </form>
    }
}
