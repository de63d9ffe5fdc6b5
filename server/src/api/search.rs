//! Searching authorities (`/search`, also published as `/collectivites`) and the
//! catalogue suggestions typed into the search box.

use std::collections::BTreeMap;

use axum::{
    Json,
    extract::{Query, State},
    response::{IntoResponse, Response},
};
use domain::AppState;
use domain::search::{SearchQuery, SearchResults};
use serde::Serialize;
use utoipa::{IntoParams, ToSchema};

use super::problem::Problem;

/// The search parameters (all optional; unknown ones are ignored).
#[derive(IntoParams)]
#[into_params(parameter_in = Query)]
#[allow(dead_code)] // Documents the parameters; `SearchQuery::from_params` reads them.
pub struct SearchParams {
    /// Words: a tool's name (typos forgiven), an authority's name, a postcode, a COG code.
    q: Option<String>,
    /// `commune`, `epci`, `departement` or `region`.
    kind: Option<String>,
    /// COG code of a région (ex. 93).
    region: Option<String>,
    /// COG code of a département (ex. 13, 2A, 974).
    departement: Option<String>,
    /// Population band (see the `population` facet for the values).
    population: Option<String>,
    /// Category identifier (ex. `sig`): authorities running a matching tool of it.
    category: Option<String>,
    /// `in_use`, `evaluating`, `planned` or `abandoned`, for the matching tools.
    status: Option<String>,
    /// `true`: member authorities only; `false`: the others.
    member: Option<bool>,
    /// Villes Internet label level, 1 to 5.
    label: Option<i16>,
    /// `relevance` (default), `population` or `name`.
    sort: Option<String>,
    /// Page number, from 1 (at most 1000).
    page: Option<u64>,
    /// Results per page, 1 to 100 (default 20).
    per_page: Option<u64>,
}

async fn run_search(state: &AppState, params: &BTreeMap<String, String>) -> Response {
    let query = match SearchQuery::from_params(params) {
        Ok(q) => q,
        Err(domain::DomainError::Invalid(message)) => {
            return Problem::bad_request(message).into_response();
        }
        Err(other) => return Problem::unavailable("search parameters", &other).into_response(),
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
    Query(params): Query<BTreeMap<String, String>>,
) -> Response {
    run_search(&state, &params).await
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
    Query(params): Query<BTreeMap<String, String>>,
) -> Response {
    run_search(&state, &params).await
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
