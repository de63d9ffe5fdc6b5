//! Messages carried in the URL after a form: `?erreur=...` (the server's French message)
//! and `?info=code` (a known confirmation). Rendered on the server, so they work without
//! JavaScript.

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

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
    move || {
        let q = query.read();
        let error = q.get("erreur").map(|msg| {
            view! {
                <div class="notice error" role="alert">
                    <p>{msg}</p>
                </div>
            }
        });
        let info = q.get("info").and_then(|code| info_text(&code)).map(|text| {
            view! {
                <div class="notice success" role="status">
                    <p>{text}</p>
                </div>
            }
        });
        view! { {error} {info} }
    }
}
