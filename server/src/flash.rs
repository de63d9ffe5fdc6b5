//! Hands a refused form's flash (`domain::security::flash`) to the page it returns to: a
//! page request with the flash cookie takes the flash out of the store (once) and puts it
//! in the request's extensions, where the app reads it while rendering. The cookie is
//! cleared in the answer, and that page is not cached: it holds what the member typed.

use axum::{
    extract::{Request, State},
    http::{HeaderValue, Method, header},
    middleware::Next,
    response::Response,
};
use domain::security::flash::COOKIE;

pub async fn hand_over(
    State(state): State<domain::AppState>,
    mut request: Request,
    next: Next,
) -> Response {
    let token = (request.method() == Method::GET)
        .then(|| app::api::session::cookie_value(request.headers(), COOKIE))
        .flatten();
    let Some(token) = token else {
        return next.run(request).await;
    };
    // Server function calls a page makes carry the cookie too: they must not eat the flash.
    if request.uri().path().starts_with("/api/") {
        return next.run(request).await;
    }
    if let Some(flash) = state.flash.take(&token).await {
        request.extensions_mut().insert(flash);
    }
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    if let Ok(clear) = HeaderValue::from_str(&domain::security::flash::clearing_cookie(
        state.config.is_https(),
    )) {
        headers.append(header::SET_COOKIE, clear);
    }
    headers.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("private, no-store"),
    );
    response
}
