//! `GET /compte/export.json`: the signed-in member downloads everything Pairs holds
//! about them. Read-only, so a GET; the session cookie decides whose data it is.

use axum::{
    extract::State,
    http::{HeaderMap, StatusCode, header},
    response::{IntoResponse, Redirect, Response},
};
use domain::AppState;
use domain::accounts::{personal_data, sessions};

/// Visitors sign in first, then come back to the download.
const LOGIN_THEN_EXPORT: &str = "/connexion?retour=%2Fcompte%2Fexport.json";

pub async fn export_my_data(State(state): State<AppState>, headers: HeaderMap) -> Response {
    let name = app::api::session::cookie_name(&state.config);
    let Some(token) = app::api::session::cookie_value(&headers, name) else {
        return Redirect::to(LOGIN_THEN_EXPORT).into_response();
    };
    let me = match sessions::current_user(&state.db, &state.config, &token).await {
        Ok(Some(me)) => me,
        Ok(None) => return Redirect::to(LOGIN_THEN_EXPORT).into_response(),
        Err(err) => {
            tracing::error!(error = %err, "export failed");
            return StatusCode::SERVICE_UNAVAILABLE.into_response();
        }
    };
    match personal_data::export(&state.db, &me).await {
        Ok(data) => (
            [
                (header::CONTENT_TYPE, "application/json; charset=utf-8"),
                (
                    header::CONTENT_DISPOSITION,
                    "attachment; filename=\"pairs-mes-donnees.json\"",
                ),
                (header::CACHE_CONTROL, "no-store"),
            ],
            serde_json::to_string_pretty(&data).unwrap_or_default(),
        )
            .into_response(),
        Err(err) => {
            tracing::error!(error = %err, "export failed");
            StatusCode::SERVICE_UNAVAILABLE.into_response()
        }
    }
}
