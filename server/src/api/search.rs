//! Searching authorities (`/search`, also published as `/collectivites`) and the
//! catalogue suggestions typed into the search box.

use std::collections::BTreeMap;

use axum::{
    Json,
    extract::{Query, State, rejection::QueryRejection},
    response::{IntoResponse, Response},
};
use domain::AppState;
use domain::search::{SearchQuery, SearchResults};
use model::search::SearchParams;
use serde::Serialize;
use utoipa::{IntoParams, ToSchema};

use super::problem::Problem;

/// The parameters as axum reads them: a value `SearchParams` refuses is a 400 with its
/// French message (the deepest error of the rejection is `SearchParams`' own).
fn read(params: Result<Query<SearchParams>, QueryRejection>) -> Result<SearchQuery, Problem> {
    let Query(params) = params.map_err(|rejection| {
        let mut cause: &dyn std::error::Error = &rejection;
        while let Some(next) = cause.source() {
            cause = next;
        }
        Problem::bad_request(cause.to_string())
    })?;
    SearchQuery::try_from(&params).map_err(|err| match err {
        domain::DomainError::Invalid(message) => Problem::bad_request(message),
        other => Problem::unavailable("search parameters", &other),
    })
}

async fn run_search(
    state: &AppState,
    params: Result<Query<SearchParams>, QueryRejection>,
) -> Response {
    let query = match read(params) {
        Ok(query) => query,
        Err(problem) => return problem.into_response(),
    };
    match state.search.search(&query).await {
        Ok(results) => Json(results).into_response(),
        Err(err) => Problem::unavailable("search failed", &err).into_response(),
    }
}

/// Authorities matching words and filters, with facet counts.
#[utoipa::path(
    get,
    path = "/api/v1/search",
    tag = "collectivites",
    params(SearchParams),
    responses(
        (status = 200, description = "One page of authorities and the facets", body = SearchResults),
        (status = 400, description = "A parameter is invalid", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Too many requests", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn search(
    State(state): State<AppState>,
    params: Result<Query<SearchParams>, QueryRejection>,
) -> Response {
    run_search(&state, params).await
}

/// The authorities list: the same filters, pagination and answer as `/search`.
#[utoipa::path(
    get,
    path = "/api/v1/collectivites",
    tag = "collectivites",
    params(SearchParams),
    responses(
        (status = 200, description = "One page of authorities, most relevant (or per `sort`) first", body = SearchResults),
        (status = 400, description = "A parameter is invalid", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Too many requests", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn authorities(
    State(state): State<AppState>,
    params: Result<Query<SearchParams>, QueryRejection>,
) -> Response {
    run_search(&state, params).await
}

#[derive(Serialize, ToSchema)]
pub struct Suggestion {
    pub slug: String,
    pub name: String,
    /// Authorities that declared it.
    pub users: u64,
}

#[derive(Serialize, ToSchema)]
pub struct Suggestions {
    pub software: Vec<Suggestion>,
}

#[derive(IntoParams)]
#[into_params(parameter_in = Query)]
#[allow(dead_code)] // Documents the parameter.
pub struct SuggestParams {
    /// What is being typed (100 characters at most).
    q: Option<String>,
}

/// Catalogue entries for what is being typed (at most 8).
#[utoipa::path(
    get,
    path = "/api/v1/suggest",
    tag = "logiciels",
    params(SuggestParams),
    responses(
        (status = 200, description = "Matching catalogue entries", body = Suggestions),
        (status = 400, description = "The text is too long", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn suggest(
    State(state): State<AppState>,
    Query(params): Query<BTreeMap<String, String>>,
) -> Response {
    let q = params.get("q").cloned().unwrap_or_default();
    if q.chars().count() > 100 {
        return Problem::bad_request("Le paramètre « q » est trop long (100 caractères au plus).")
            .into_response();
    }
    match state.search.suggest_software(&q, 8).await {
        Ok(found) => Json(Suggestions {
            software: found
                .into_iter()
                .map(|s| Suggestion {
                    slug: s.slug,
                    name: s.name,
                    users: s.users,
                })
                .collect(),
        })
        .into_response(),
        Err(err) => Problem::unavailable("suggestions failed", &err).into_response(),
    }
}

/// `GET /bench/search-sql?q=`: the naive SQL baseline, for `make bench` only (outside the
/// public API, served only with `PAIRS_BENCH_BASELINE=1`).
pub async fn search_sql(
    State(state): State<AppState>,
    Query(params): Query<BTreeMap<String, String>>,
) -> Response {
    let q = params.get("q").cloned().unwrap_or_default();
    match domain::search::baseline::search_sql(&state.db, &q).await {
        Ok(hits) => Json(serde_json::json!({ "hits": hits })).into_response(),
        Err(err) => Problem::unavailable("baseline search failed", &err).into_response(),
    }
}
