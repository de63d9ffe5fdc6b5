//! The frame around every page: skip link, header with navigation, footer.

use leptos::prelude::*;
use leptos_router::components::A;

#[component]
pub fn Layout(children: Children) -> impl IntoView {
    view! {
        <a class="skip-link" href="#contenu">"Aller au contenu"</a>
        <header class="site-header">
            <div class="container header-inner">
                <A href="/" attr:class="brand">
                    <span class="brand-mark" aria-hidden="true">"⇄"</span>
                    " Pairs"
                </A>
                <nav aria-label="Navigation principale">
                    <ul class="nav-list">
                        <li><A href="/">"Accueil"</A></li>
                        <li><A href="/recherche">"Trouver une collectivité"</A></li>
                    </ul>
                </nav>
            </div>
        </header>
        <main id="contenu" class="container" tabindex="-1">
            {children()}
        </main>
        <footer class="site-footer">
            <div class="container">
                <p>
                    "Pairs, l'annuaire d'entraide des collectivités. Référentiel : découpage administratif (Etalab, licence MIT)."
                </p>
            </div>
        </footer>
    }
}
