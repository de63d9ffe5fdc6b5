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
    #[cfg(feature = "ssr")]
    if let (Some(response), Ok(location)) = (
        use_context::<leptos_axum::ResponseOptions>(),
        http::HeaderValue::from_str(path),
    ) {
        response.set_status(http::StatusCode::MOVED_PERMANENTLY);
        response.insert_header(http::header::LOCATION, location);
    }
    #[cfg(not(feature = "ssr"))]
    let _ = path;
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
