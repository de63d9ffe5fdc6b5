//! The frame around every page: skip link, header with navigation, footer.

use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_router::components::A;

use crate::api::account::{Logout, get_me};

#[component]
pub fn Layout(children: Children) -> impl IntoView {
    let me = Resource::new(|| (), |_| get_me());
    let account_links = move || {
        Suspend::new(async move {
            match me.await {
                Ok(Some(me)) => view! {
                    {me.is_admin.then(|| view! { <li><A href="/admin">"Administration"</A></li> })}
                    <li><A href="/compte">"Mon compte"</A></li>
                    <li>
                        <form method="post" action=Logout::PATH class="nav-form">
                            <button type="submit" class="link-button">"Déconnexion"</button>
                        </form>
                    </li>
                }
                .into_any(),
                _ => view! {
                    <li><A href="/connexion">"Connexion"</A></li>
                    <li><A href="/inscription">"Inscription"</A></li>
                }
                .into_any(),
            }
        })
    };
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
                        <li><A href="/logiciels">"Logiciels"</A></li>
                        <Transition fallback=|| ()>{account_links}</Transition>
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
                    "Pairs, l'annuaire d'entraide des collectivités. Référentiel : découpage administratif (Etalab, licence MIT). "
                    <A href="/statistiques">"Statistiques"</A>
                    " · "
                    <A href="/donnees">"Données ouvertes"</A>
                    " · "
                    <A href="/api">"API"</A>
                    " · "
                    <A href="/confidentialite">"Données personnelles"</A>
                </p>
            </div>
        </footer>
    }
}
