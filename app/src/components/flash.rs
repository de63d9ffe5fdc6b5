//! Messages after a form. A refusal's French message and the values typed come from the
//! server-side flash (`domain::security::flash`): the server reads it once, by cookie, for
//! the page it belongs to, and hands it to the client with the hydration data. A
//! confirmation is `?info=code`, one of a fixed set. A URL therefore never carries what a
//! member typed, and no link can make a page show words of its author's choosing.
//! Rendered on the server, so they work without JavaScript.

use leptos::prelude::*;
use leptos_router::hooks::{use_location, use_query_map};

use crate::dto::FlashView;

/// The flash of this page load, if any (cleared once the browser navigates elsewhere).
#[derive(Clone, Copy)]
struct FlashContext(RwSignal<Option<FlashView>>);

/// Reads this request's flash (on the server) or the one the server rendered with (in the
/// browser, while hydrating) and makes it available to the page. Called once, by `App`.
pub fn provide_flash() {
    let flash = SharedValue::new(server_flash).into_inner();
    provide_context(FlashContext(RwSignal::new(flash)));
}

#[cfg(feature = "ssr")]
fn server_flash() -> Option<FlashView> {
    let parts = use_context::<http::request::Parts>()?;
    let flash = parts
        .extensions
        .get::<domain::security::flash::Flash>()?
        .clone();
    Some(FlashView {
        path: flash.path,
        error: flash.error,
        values: flash.values,
    })
}

#[cfg(not(feature = "ssr"))]
fn server_flash() -> Option<FlashView> {
    None
}

/// This page's flash, if it has one.
fn current() -> Option<FlashView> {
    let here = use_location().pathname.get_untracked();
    use_context::<FlashContext>()?
        .0
        .get_untracked()
        .filter(|f| f.path == here)
}

/// The value typed in field `name` before the form was refused, or empty.
pub fn kept(name: &str) -> String {
    current()
        .and_then(|f| {
            f.values
                .into_iter()
                .find(|(k, _)| k == name)
                .map(|(_, v)| v)
        })
        .unwrap_or_default()
}

fn info_text(code: &str) -> Option<&'static str> {
    Some(match code {
        "adresse-confirmee" => {
            "Votre adresse est confirmée. Un administrateur va examiner votre demande ; vous pouvez déjà vous connecter."
        }
        "mot-de-passe-modifie" => {
            "Votre mot de passe a été modifié. Connectez-vous avec le nouveau."
        }
        "envoye" => {
            "Si un compte existe pour cette adresse, un lien de réinitialisation vient d'y être envoyé. Il est valable 2 heures."
        }
        "profil-enregistre" => "Votre profil est enregistré.",
        "lien-renvoye" => {
            "Si cette adresse attend sa vérification, un nouveau lien vient d'y être envoyé (valable 48 heures)."
        }
        "courriel-envoye" => {
            "Un lien de confirmation a été envoyé à votre nouvelle adresse. Elle remplacera l'actuelle quand vous l'aurez ouvert."
        }
        "adresse-modifiee" => "Votre nouvelle adresse électronique est enregistrée.",
        "compte-supprime" => "Votre compte et vos données personnelles ont été supprimés.",
        "membre-valide" => "Le compte a été validé ; le membre en est informé par courriel.",
        "membre-refuse" => "La demande a été refusée ; le demandeur en est informé par courriel.",
        "declaration-ajoutee" => "Le logiciel est ajouté aux outils de votre collectivité.",
        "declaration-modifiee" => "La déclaration est mise à jour et datée d'aujourd'hui.",
        "declaration-confirmee" => "Merci : la déclaration est confirmée pour un an.",
        "declaration-supprimee" => "La déclaration est supprimée.",
        "suivi-ajoute" => {
            "C'est suivi : ses adoptions et abandons viendront dans votre résumé (réglable dans « Mon compte »)."
        }
        "suivi-retire" => "Vous ne le suivez plus.",
        "declaration-abandonnee" => "C'est noté : la déclaration est marquée abandonnée.",
        "rappels-enregistres" => "Votre choix pour les rappels est enregistré.",
        "frequence-enregistree" => "La fréquence de votre résumé est enregistrée.",
        "desabonne" => {
            "C'est noté : vous ne recevrez plus de résumé. Vous pouvez le rétablir depuis « Mon compte »."
        }
        "logiciel-propose" => {
            "Merci : le logiciel est ajouté à vos outils et proposé au catalogue ; un administrateur va l'examiner."
        }
        "logiciel-valide" => "Le logiciel est validé et rejoint le catalogue.",
        "logiciel-refuse" => "La proposition est refusée et retirée.",
        "logiciel-fusionne" => {
            "Les logiciels sont fusionnés : déclarations déplacées, nom conservé comme alias, ancienne adresse redirigée."
        }
        "membre-suspendu" => {
            "Le compte est suspendu : ses sessions sont fermées, il n'apparaît plus nulle part ; le membre en est informé par courriel."
        }
        "signalement-traite" => "Le signalement est traité ; la décision figure au journal.",
        "collectivite-modifiee" => {
            "L'adhésion et le label sont enregistrés ; la recherche en tient compte dans quelques secondes."
        }
        "profil-corrige" => "Le profil est corrigé ; le membre en est informé par courriel.",
        "membre-deplace" => {
            "Le membre est rattaché à sa nouvelle collectivité ; il en est informé par courriel."
        }
        "role-modifie" => "Le rôle d'administrateur est modifié.",
        "membre-supprime" => "Le compte et ses données personnelles sont supprimés.",
        "profil-signale" => "Merci : les administrateurs vont examiner ce profil.",
        "membre-retabli" => "Le compte est rétabli ; le membre en est informé par courriel.",
        "demande-envoyee" => {
            "Votre demande est envoyée : le destinataire la reçoit par courriel et vous répondra directement à votre adresse."
        }
        "retour-enregistre" => "Votre retour d'expérience est publié, signé de votre collectivité.",
        "retour-retire" => "Le retour d'expérience de votre collectivité est retiré.",
        "retour-signale" => "Merci : les administrateurs vont examiner ce retour d'expérience.",
        "retour-modere" => "La décision sur ce retour d'expérience est enregistrée.",
        "question-envoyee" => {
            "Votre question est envoyée : chaque référent la reçoit par courriel et vous répondra directement à votre adresse."
        }
        "expediteur-bloque" => "Cet expéditeur ne pourra plus vous écrire par Pairs.",
        "expediteur-debloque" => "Cet expéditeur peut de nouveau vous écrire.",
        "demande-signalee" => "Merci : les administrateurs vont examiner cette demande.",
        "desinscrit" => {
            "C'est noté : vous ne recevrez plus de demandes de contact. Vous pouvez changer d'avis depuis votre compte."
        }
        "preference-contact" => "Votre choix pour les demandes de contact est enregistré.",
        _ => return None,
    })
}

#[component]
pub fn Flash() -> impl IntoView {
    let query = use_query_map();
    let location = use_location();
    let context = use_context::<FlashContext>();
    // In the browser, leaving the page drops its flash: coming back shows a clean form.
    Effect::new(move |_| {
        let here = location.pathname.get();
        if let Some(FlashContext(flash)) = context
            && flash.with_untracked(|f| f.as_ref().is_some_and(|f| f.path != here))
        {
            flash.set(None);
        }
    });
    let error = current().map(|flash| {
        view! {
            <div class="notice error" role="alert">
                <p>{flash.error}</p>
            </div>
        }
    });
    let info = move || {
        query
            .read()
            .get("info")
            .and_then(|code| info_text(&code))
            .map(|text| {
                view! {
                    <div class="notice success" role="status">
                        <p>{text}</p>
                    </div>
                }
            })
    };
    view! { {error} {info} }
}

/// What a member typed into a message form that the page can no longer offer (the
/// recipient became unreachable, the question would reach too many): shown read-only, so
/// it can be copied and nothing is lost. Nothing when nothing was typed.
#[component]
pub fn KeptMessage() -> impl IntoView {
    let (subject, message) = (kept("objet"), kept("message"));
    (!subject.is_empty() || !message.is_empty()).then(|| {
        view! {
            <div class="kept-message">
                <p>"Votre message n'a pas été envoyé. Le voici, pour ne pas le perdre :"</p>
                <label for="kept-objet">"Objet"</label>
                <input id="kept-objet" readonly value=subject />
                <label for="kept-message">"Message"</label>
                <textarea id="kept-message" readonly rows="8">{message}</textarea>
            </div>
        }
    })
}
