//! `/`: the home page — the « who runs … ? » box and what the network is.

use leptos::prelude::*;
use leptos_meta::Title;

use crate::components::authority_finder::AuthorityFinder;

#[component]
pub fn HomePage() -> impl IntoView {
    view! {
        <Title text="Accueil" />
        <section class="hero">
            <h1>"Trouvez les collectivités qui utilisent les mêmes logiciels que vous"</h1>
            <p class="lead">
                "Pairs est l'annuaire d'entraide des collectivités territoriales : communes, intercommunalités, départements et régions. Les élu·es et agent·es des collectivités membres y déclarent les logiciels qu'elles utilisent ; vous trouvez en quelques secondes celles qui utilisent GLPI, Nextcloud ou OpenCimetière près de chez vous, et vous les contactez pour partager leur expérience."
            </p>
            <AuthorityFinder />
        </section>
        <section class="how">
            <h2>"Comment ça marche"</h2>
            <ol class="steps">
                <li>
                    <h3>"Cherchez"</h3>
                    <p>"Un logiciel, une collectivité, un territoire : l'annuaire couvre les 34\u{a0}969 communes, 1\u{a0}255 intercommunalités, 109 départements et 26 régions du référentiel national."</p>
                </li>
                <li>
                    <h3>"Trouvez vos pairs"</h3>
                    <p>"Chaque fiche indique l'identité de la collectivité, son intercommunalité et les outils qu'elle utilise, avec leur statut et leur ancienneté."</p>
                </li>
                <li>
                    <h3>"Échangez"</h3>
                    <p>"Les membres connectés contactent les référent·es d'un outil : le message est relayé par courriel, sans jamais exposer leur adresse."</p>
                </li>
            </ol>
        </section>
    }
}
