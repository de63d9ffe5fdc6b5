//! `/confidentialite`: what personal data Pairs keeps, why and for how long.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;

/// `/confidentialite`: what Pairs keeps about people, why, and for how long (the same list
/// as docs/ARCHITECTURE.md).
#[component]
pub fn PrivacyPage() -> impl IntoView {
    view! {
        <Title text="Données personnelles" />
        <section class="narrow">
            <h1>"Données personnelles"</h1>
            <p>"Pairs met en relation des élu·es et agent·es de collectivités. Voici ce qui est conservé, pourquoi et combien de temps."</p>
            <h2>"Votre compte"</h2>
            <p>"Nom, prénom, qualité, fonction, téléphone (facultatif), collectivité et adresse électronique : pour vous identifier auprès des autres membres validés, tant que votre compte existe. Votre adresse n'est jamais montrée aux autres membres. Vous pouvez tout télécharger et supprimer votre compte à tout moment depuis " <A href="/compte">"Mon compte"</A> "."</p>
            <ul>
                <li>"Inscription dont l'adresse n'a pas été confirmée : effacée après 7 jours."</li>
                <li>"Demande d'adhésion refusée : effacée après 30 jours, ou tout de suite avec le lien du courriel de refus."</li>
                <li>"Sessions de connexion : fermées après 7 jours sans activité, 30 jours au plus."</li>
                <li>"Liens envoyés par courriel : valables 48 heures (2 heures pour un nouveau mot de passe), une seule fois ; un changement d'adresse ou une suspension les annule tous."</li>
            </ul>
            <p>"Le téléchargement contient tout ce que Pairs garde sur vous : compte, déclarations, rôles de référent, logiciels proposés, retours d'expérience écrits, sessions ouvertes, changement d'adresse en attente, demandes de contact, expéditeurs que vous avez bloqués, signalements que vous avez faits et ceux qui visent votre profil (leur motif, pas leur auteur), lignes du journal qui vous concernent. La suppression efface le compte, les sessions, les liens, les rôles de référent, les signalements visant votre profil, le contenu de vos demandes de contact et les courriels en attente ; vos nom, adresse et téléphone sont retirés des lignes du journal qui les citeraient. Vos déclarations restent, sans auteur et sans vos notes : elles décrivent les outils de la collectivité. Les retours d'expérience que vous avez écrits restent aussi, signés de votre collectivité (jamais de votre nom) et sans plus aucun lien avec vous ; ses membres peuvent les modifier ou les retirer."</p>
            <h2>"Demandes de contact"</h2>
            <p>"L'objet et le message sont conservés pour que l'expéditeur et le destinataire retrouvent leurs échanges ; ils sont effacés quand l'un des deux supprime son compte. Le courriel en attente d'envoi est effacé de la file dès qu'il est remis."</p>
            <h2>"Formulaires"</h2>
            <p>"Après un formulaire refusé, ce que vous aviez saisi est gardé 5 minutes au plus sur le serveur, le temps de vous le présenter à nouveau ; il n'apparaît jamais dans l'adresse de la page."</p>
            <h2>"Journal"</h2>
            <p>"Les actions d'administration, les connexions et les modifications des données publiques d'une collectivité sont journalisées (qui, quoi, quand), pour pouvoir en répondre. L'adresse IP complète est gardée 90 jours, puis réduite à son réseau."</p>
            <h2>"Recherche"</h2>
            <p>"L'index de recherche ne contient aucune donnée personnelle : seulement le nombre de membres joignables d'une collectivité."</p>
        </section>
    }
}
