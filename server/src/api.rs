//! The public JSON API (no personal data).

use std::collections::BTreeMap;

use axum::{
    Json,
    extract::{Query, State},
    http::StatusCode,
    response::{IntoResponse, Response},
};
use domain::AppState;
use domain::search::SearchQuery;
use serde_json::json;

/// `GET /api/v1/search?q=&kind=&region=&departement=&category=&status=&member=&sort=&page=&per_page=`
pub async fn search(
    State(state): State<AppState>,
    Query(params): Query<BTreeMap<String, String>>,
) -> Response {
    let query = match SearchQuery::from_params(&params) {
        Ok(q) => q,
        Err(domain::DomainError::Invalid(message)) => {
            return (StatusCode::BAD_REQUEST, Json(json!({ "error": message }))).into_response();
        }
        Err(other) => {
            tracing::error!(error = %other, "search parameters");
            return StatusCode::INTERNAL_SERVER_ERROR.into_response();
        }
    };
    match state.search.search(&query).await {
        Ok(results) => Json(results).into_response(),
        Err(err) => {
            tracing::error!(error = %err, "search failed");
            (
                StatusCode::SERVICE_UNAVAILABLE,
                Json(json!({ "error": "La recherche est momentanément indisponible. Réessayez dans un instant." })),
            )
                .into_response()
        }
    }
}

/// `GET /api/v1/search-sql?q=`: the naive SQL baseline, for `make bench` only.
pub async fn search_sql(
    State(state): State<AppState>,
    Query(params): Query<BTreeMap<String, String>>,
) -> Response {
    let q = params.get("q").cloned().unwrap_or_default();
    match domain::search::baseline::search_sql(&state.db, &q).await {
        Ok(hits) => Json(json!({ "hits": hits })).into_response(),
        Err(err) => {
            tracing::error!(error = %err, "baseline search failed");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}

/// `GET /api/v1/suggest?q=`: catalogue entries for what is being typed (at most 8).
pub async fn suggest(
    State(state): State<AppState>,
    Query(params): Query<BTreeMap<String, String>>,
) -> Response {
    let q = params.get("q").cloned().unwrap_or_default();
    if q.chars().count() > 100 {
        return (
            StatusCode::BAD_REQUEST,
            Json(json!({ "error": "Le paramètre « q » est trop long (100 caractères au plus)." })),
        )
            .into_response();
    }
    match state.search.suggest_software(&q, 8).await {
        Ok(found) => Json(json!({
            "software": found.into_iter().map(|s| json!({ "slug": s.slug, "name": s.name, "users": s.users })).collect::<Vec<_>>()
        }))
        .into_response(),
        Err(err) => {
            tracing::error!(error = %err, "suggestions failed");
            StatusCode::SERVICE_UNAVAILABLE.into_response()
        }
    }
}
