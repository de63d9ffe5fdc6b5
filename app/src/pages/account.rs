//! `/compte`: the member's own account — profile, contact preference, password, email, export and deletion.

use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_meta::Title;
use leptos_router::components::A;

use super::not_found::current_path;
use crate::api::account::{
    ChangeEmail, ChangePassword, DeleteAccount, Logout, UpdateProfile, get_me,
};
use crate::api::contact::SetContactPreference;
use crate::api::watch::{SetDigestFrequency, SetReminders, get_follows};
use crate::components::failure::{ServiceError, SignInFirst};
use crate::components::fields::{CurrentPassword, NewPassword};
use crate::components::flash::Flash;
use crate::components::follow::FollowButton;
use crate::dto::{FollowsView, MeView};
use model::account::AccountStatus;

/// `/compte`: the member's own profile and account settings.
#[component]
pub fn AccountPage() -> impl IntoView {
    let me = Resource::new(|| (), |_| get_me());
    let here = StoredValue::new(current_path());
    view! {
        <Title text="Mon compte" />
        <Suspense fallback=|| view! { <p class="loading">"Chargement…"</p> }>
            {move || Suspend::new(async move {
                match me.await {
                    Ok(Some(me)) => view! { <Account me /> }.into_any(),
                    Ok(None) => view! { <SignInFirst here=here.get_value() /> }.into_any(),
                    Err(err) => view! { <ServiceError err /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Account(me: MeView) -> impl IntoView {
    let pending = (me.status == AccountStatus::Pending).then(|| view! {
        <div class="notice" role="status">
            <p>"Votre demande d'adhésion est en attente de validation par un administrateur. D'ici là, les informations réservées aux membres ne vous sont pas accessibles."</p>
        </div>
    });
    let authority = me.authority.clone().map(|a| {
        let href = format!("/collectivites/{}", a.public_id);
        view! { <p>"Collectivité : " <A href=href>{a.name}</A></p> }
    });
    view! {
        <h1>{format!("Mon compte — {} {}", me.first_name, me.last_name)}</h1>
        <Flash />
        {pending}
        {authority}
        <p>{format!("Adresse électronique : {}", me.email)}</p>
        {me.is_admin.then(|| view! { <p><A href="/admin">"Administration"</A></p> })}
        <form method="post" action=Logout::PATH class="inline-form">
            <button type="submit" class="secondary">"Se déconnecter"</button>
        </form>

        <section aria-labelledby="profile-title">
            <h2 id="profile-title">"Mon profil"</h2>
            <form method="post" action=UpdateProfile::PATH class="stack-form">
                <label for="first_name">"Prénom"</label>
                <input id="first_name" name="first_name" maxlength="100" required value=me.first_name.clone() />
                <label for="last_name">"Nom"</label>
                <input id="last_name" name="last_name" maxlength="100" required value=me.last_name.clone() />
                <label for="job_title">"Fonction"</label>
                <input id="job_title" name="job_title" maxlength="120" required value=me.job_title.clone() />
                <label for="phone">"Téléphone (facultatif)"</label>
                <input id="phone" name="phone" type="tel" maxlength="30" value=me.phone.clone().unwrap_or_default() />
                <div class="choice">
                    <input type="checkbox" id="visible" name="visible" value="on" checked=me.visible />
                    <label for="visible">"Mon profil est visible des autres membres"</label>
                </div>
                <button type="submit">"Enregistrer mon profil"</button>
            </form>
        </section>

        <section aria-labelledby="contact-pref-title">
            <h2 id="contact-pref-title">"Demandes de contact"</h2>
            <p><A href="/compte/messages">"Mes messages : demandes envoyées et reçues"</A></p>
            <form method="post" action=SetContactPreference::PATH class="stack-form">
                <div class="choice">
                    <input type="checkbox" id="accepte" name="accepte" value="oui" checked=me.accepts_contact />
                    <label for="accepte">"J'accepte que les membres m'écrivent par Pairs (mon adresse ne leur est pas montrée)"</label>
                </div>
                <button type="submit">"Enregistrer ce choix"</button>
            </form>
        </section>

        <FollowsSection />

        <section aria-labelledby="password-title">
            <h2 id="password-title">"Changer de mot de passe"</h2>
            <form method="post" action=ChangePassword::PATH class="stack-form">
                <CurrentPassword id="current_password_pw" />
                <NewPassword id="new_password" name="new_password" label="Nouveau mot de passe" />
                <button type="submit">"Changer mon mot de passe"</button>
            </form>
        </section>

        <section aria-labelledby="email-title">
            <h2 id="email-title">"Changer d'adresse électronique"</h2>
            <form method="post" action=ChangeEmail::PATH class="stack-form">
                <label for="new_email">"Nouvelle adresse"</label>
                <input id="new_email" name="new_email" type="email" maxlength="254" required />
                <CurrentPassword id="current_password_em" />
                <button type="submit">"Recevoir un lien de confirmation"</button>
            </form>
        </section>

        <section aria-labelledby="data-title">
            <h2 id="data-title">"Mes données"</h2>
            <p><a href="/compte/export.json" download="pairs-mes-donnees.json">"Télécharger toutes mes données (JSON)"</a></p>
            <h3>"Supprimer mon compte"</h3>
            <p>"Vos données personnelles seront effacées définitivement."</p>
            <form method="post" action=DeleteAccount::PATH class="stack-form">
                <CurrentPassword id="current_password_del" />
                <button type="submit" class="danger">"Supprimer définitivement mon compte"</button>
            </form>
        </section>
    }
}

/// What the member follows, and how often the digest comes.
#[component]
fn FollowsSection() -> impl IntoView {
    let follows = Resource::new(|| (), |_| get_follows());
    view! {
        <section id="suivis" aria-labelledby="follows-title">
            <h2 id="follows-title">"Logiciels et catégories suivis"</h2>
            <Suspense fallback=|| view! { <p class="loading">"Chargement…"</p> }>
                {move || Suspend::new(async move {
                    match follows.await {
                        Ok(f) => view! { <Follows follows=f /> }.into_any(),
                        Err(err) => view! { <ServiceError err /> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

#[component]
fn Follows(follows: FollowsView) -> impl IntoView {
    if !follows.may_follow {
        return view! { <p class="hint">"Une fois votre compte validé, vous pourrez suivre des logiciels et des catégories et recevoir un résumé de leurs adoptions."</p> }.into_any();
    }
    let list = if follows.items.is_empty() {
        view! { <p class="empty-state">"Vous ne suivez rien pour l'instant. Le bouton « Suivre » se trouve sur la page d'un logiciel et sur chaque catégorie du " <A href="/logiciels">"catalogue"</A> "."</p> }.into_any()
    } else {
        view! {
            <ul class="authority-list">
                {follows.items.into_iter().map(|f| {
                    let href = match f.target {
                        model::watch::FollowTarget::Software => format!("/logiciels/{}", f.slug),
                        model::watch::FollowTarget::Category => format!("/logiciels#cat-{}", f.slug),
                    };
                    let shown = f.name.clone();
                    view! {
                        <li>
                            <span class="meta">{format!("{} : ", f.target.label())}</span>
                            <A href=href>{shown}</A>
                            " "
                            <FollowButton target=f.target slug=f.slug name=f.name following=true from_account=true />
                        </li>
                    }
                }).collect_view()}
            </ul>
        }.into_any()
    };
    let current = follows.frequency;
    view! {
        {list}
        <form method="post" action=SetDigestFrequency::PATH class="stack-form">
            <fieldset>
                <legend>"Recevoir le résumé de ce que je suis"</legend>
                {model::watch::DigestFrequency::ALL.into_iter().map(|f| {
                    let id = format!("frequence-{}", f.as_str());
                    view! {
                        <div class="choice">
                            <input type="radio" id=id.clone() name="frequence" value=f.as_str() checked=f == current />
                            <label for=id>{f.label()}</label>
                        </div>
                    }
                }).collect_view()}
            </fieldset>
            <button type="submit">"Enregistrer la fréquence"</button>
        </form>
        <h3 id="rappels">"Rappels de mes déclarations"</h3>
        <p class="hint">"Une déclaration non confirmée depuis un an vous est rappelée par courriel (un rappel par mois au plus). Sans réponse à deux rappels, elle est signalée « non confirmée » et ses référents ne sont plus proposés au contact."</p>
        <form method="post" action=SetReminders::PATH class="stack-form">
            <div class="choice">
                <input type="checkbox" id="rappels-actifs" name="rappels" value="oui" checked=follows.reminders_on />
                <label for="rappels-actifs">"Recevoir ces rappels (déconseillé de les couper)"</label>
            </div>
            <button type="submit">"Enregistrer ce choix"</button>
        </form>
    }.into_any()
}
