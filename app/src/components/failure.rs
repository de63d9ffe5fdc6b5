//! What a page shows when its data cannot be had: the login page for a visitor (members-
//! only pages), or a French message that says what to do (every other failure).

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;

use crate::error::AppError;
use crate::pages::not_found::{login_url, redirect_to_login, set_status};

/// The one arm a page's `Suspense` needs for `Err(err)`: sign in first, or the error.
#[component]
pub fn Failure(err: AppError, here: String) -> impl IntoView {
    match err {
        AppError::Unauthorized => view! { <SignInFirst here /> }.into_any(),
        err => view! { <ServiceError err /> }.into_any(),
    }
}

/// Shown when the server could not answer; says what to do rather than what broke.
#[component]
pub fn ServiceError(err: AppError) -> impl IntoView {
    view! {
        <Title text="Erreur" />
        <section class="notice error" role="alert">
            <h1>"Impossible d'afficher cette page"</h1>
            <InlineError err />
        </section>
    }
}

/// The error's French message, and its HTTP status on the server. Without a page title, so
/// islands can show it without the head manager in the wasm.
#[component]
pub fn InlineError(err: AppError) -> impl IntoView {
    set_status(match err {
        AppError::NotFound => 404,
        AppError::Invalid(_) | AppError::BadRequest => 400,
        AppError::Unauthorized => 401,
        AppError::Forbidden | AppError::Denied(_) => 403,
        AppError::Throttled(_) => 429,
        AppError::Internal | AppError::Network => 503,
    });
    view! { <p>{err.to_string()}</p> }
}

/// A members-only page seen by a visitor: the server answers with a redirect to the login
/// page (which comes back to `here`); this body is what a browser navigating in the
/// hydrated app shows instead.
#[component]
pub fn SignInFirst(here: String) -> impl IntoView {
    redirect_to_login(&here);
    // In the browser (a session that ended while the page was open: logout elsewhere,
    // suspension), go to the login page as the server would have. Effects never run on
    // the server.
    let target = login_url(&here);
    let navigate = leptos_router::hooks::use_navigate();
    Effect::new(move |_| navigate(&target, Default::default()));
    view! {
        <section class="narrow">
            <h1>"Connectez-vous"</h1>
            <p>"Cette page est réservée aux membres connectés."</p>
            <p><A href=login_url(&here)>"Se connecter"</A> " · " <A href="/inscription">"Créer un compte"</A></p>
        </section>
    }
}
