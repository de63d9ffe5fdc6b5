//! The routes of following that are not pages: a tool's public Atom feed, and the one-click
//! unsubscribe address a digest's `List-Unsubscribe` header gives mail clients (RFC 8058:
//! they POST `List-Unsubscribe=One-Click` there, with no cookie and no page).

use axum::{
    Router,
    extract::{Path, Query, State},
    http::{StatusCode, header},
    response::{IntoResponse, Response},
    routing::{get, post},
};
use domain::AppState;

/// The one-click address; the cross-site check lets it through (`security`): a mail
/// client's POST carries no Origin of this site, and the token alone decides.
pub const ONE_CLICK: &str = "/desabonnement/un-clic";

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/logiciels/{slug}/flux.atom", get(feed))
        .route(ONE_CLICK, post(one_click))
}

async fn feed(State(state): State<AppState>, Path(slug): Path<String>) -> Response {
    if slug.len() > 120 {
        return StatusCode::NOT_FOUND.into_response();
    }
    match domain::watch::feed::atom(&state.db, &state.config.public_url, &slug).await {
        Ok(Some(xml)) => (
            [
                (header::CONTENT_TYPE, "application/atom+xml; charset=utf-8"),
                (header::CACHE_CONTROL, "public, max-age=300"),
            ],
            xml,
        )
            .into_response(),
        Ok(None) => (
            StatusCode::NOT_FOUND,
            [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
            "Ce logiciel n'est pas au catalogue.",
        )
            .into_response(),
        Err(err) => {
            tracing::error!(error = %err, "feed failed");
            StatusCode::SERVICE_UNAVAILABLE.into_response()
        }
    }
}

#[derive(serde::Deserialize)]
struct Token {
    #[serde(default)]
    jeton: String,
}

async fn one_click(State(state): State<AppState>, Query(token): Query<Token>) -> Response {
    let text = |status: StatusCode, body: &'static str| {
        (
            status,
            [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
            body,
        )
            .into_response()
    };
    match domain::watch::digest::unsubscribe(&state.db, &token.jeton).await {
        Ok(()) => text(
            StatusCode::OK,
            "Vous ne recevrez plus le résumé de ce que vous suivez.",
        ),
        Err(domain::DomainError::Invalid(_)) => text(
            StatusCode::NOT_FOUND,
            "Ce lien de désabonnement n'est pas valide ou a expiré.",
        ),
        Err(err) => {
            tracing::error!(error = %err, "one-click unsubscribe failed");
            StatusCode::SERVICE_UNAVAILABLE.into_response()
        }
    }
}
