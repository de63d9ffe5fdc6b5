//! Form fields that several forms repeat: the password fields (one for the current
//! password, one for a new one, with the same rules everywhere), the hidden id, and the
//! trap field and consent every relayed-contact form ends with.

use leptos::prelude::*;

/// The current password, to confirm a sensitive action or to sign in.
#[component]
pub fn CurrentPassword(
    /// The input's id (unique on the page).
    id: &'static str,
    /// The form field's name (`password` or `current_password`).
    #[prop(default = "current_password")]
    name: &'static str,
    #[prop(default = "Mot de passe actuel")] label: &'static str,
) -> impl IntoView {
    view! {
        <label for=id>{label}</label>
        <input id=id name=name type="password" autocomplete="current-password" required />
    }
}

/// A new password, with the policy's bounds and the hint that explains them.
#[component]
pub fn NewPassword(
    /// The input's id (unique on the page).
    id: &'static str,
    /// The form field's name (`password` or `new_password`).
    #[prop(default = "password")]
    name: &'static str,
    label: &'static str,
) -> impl IntoView {
    let hint = format!("{id}-hint");
    view! {
        <label for=id>{label}</label>
        <input id=id name=name type="password" autocomplete="new-password" minlength="12" maxlength="128" required aria-describedby=hint.clone() />
        <p id=hint class="hint">"12 caractères au moins. Une phrase de plusieurs mots est facile à retenir et difficile à deviner."</p>
    }
}

/// The id of what a form acts on (a member, a declaration, a report).
#[component]
pub fn HiddenId(
    /// The value posted as `id`.
    #[prop(into)]
    value: i64,
) -> impl IntoView {
    view! { <input type="hidden" name="id" value=value /> }
}

/// What every relayed-contact form ends with: the trap field robots fill (hidden from
/// people and from assistive technologies) and the required consent to share the sender's
/// details with `whom`.
#[component]
pub fn RelayConsent(whom: &'static str) -> impl IntoView {
    view! {
        <div class="trap" aria-hidden="true">
            <label for="site_web">"Ne pas remplir"</label>
            <input id="site_web" name="site_web" tabindex="-1" autocomplete="off" />
        </div>
        <div class="choice">
            <input type="checkbox" id="consentement" name="consentement" value="oui" required />
            <label for="consentement">{format!("J'accepte que {whom} reçoive mes nom, prénom, collectivité, fonction et adresse électronique, pour pouvoir me répondre directement.")}</label>
        </div>
    }
}
