//! The French 404 page, and the small helpers pages use to name where they are.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;

/// Sets the HTTP status of the server-rendered response (nothing in the browser).
pub fn set_status(code: u16) {
    #[cfg(feature = "ssr")]
    crate::api::session::set_status(code);
    #[cfg(not(feature = "ssr"))]
    let _ = code;
}

/// Answers the server-rendered request with a permanent redirect (301) to `path`,
/// whatever the request's Accept header says.
pub fn moved_permanently(path: &str) {
    redirect_page(301, path);
}

/// Answers the server-rendered request with a redirect of this status to `path`. Unlike
/// `leptos_axum::redirect`, meant for server functions, it does not depend on the
/// request's Accept header.
fn redirect_page(status: u16, path: &str) {
    #[cfg(feature = "ssr")]
    if let (Some(response), Ok(status), Ok(location)) = (
        use_context::<leptos_axum::ResponseOptions>(),
        http::StatusCode::from_u16(status),
        http::HeaderValue::from_str(path),
    ) {
        response.set_status(status);
        response.insert_header(http::header::LOCATION, location);
    }
    #[cfg(not(feature = "ssr"))]
    let _ = (status, path);
}

/// The page being shown, path and query: where login sends the visitor back. Read in the
/// page's body, where the router's context is sure to be there.
pub fn current_path() -> String {
    let location = leptos_router::hooks::use_location();
    let path = location.pathname.get_untracked();
    let search = location.search.get_untracked();
    let search = search.trim_start_matches('?');
    if search.is_empty() {
        path
    } else {
        format!("{path}?{search}")
    }
}

/// The login page, asked to come back to `here` afterwards.
pub fn login_url(here: &str) -> String {
    crate::format::with_query("/connexion", &[("retour", here)])
}

/// Answers the server-rendered request with a redirect (302) to the login page.
pub fn redirect_to_login(here: &str) {
    redirect_page(302, &login_url(here));
}

#[component]
pub fn NotFoundPage() -> impl IntoView {
    set_status(404);
    view! {
        <Title text="Page introuvable" />
        <section class="not-found">
            <h1>"Page introuvable"</h1>
            <p>"L'adresse demandée ne correspond à aucune page de Pairs. Elle a peut-être été mal saisie, ou la collectivité n'existe plus dans le référentiel national."</p>
            <p>
                <A href="/">"Retour à l'accueil"</A>
                " · "
                <A href="/recherche">"Trouver une collectivité"</A>
            </p>
        </section>
    }
}
