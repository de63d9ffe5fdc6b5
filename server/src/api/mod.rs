//! The public read API under `/api/v1/`: JSON, no personal data, documented by the OpenAPI
//! document it serves. Every answer carries an `ETag` and `Cache-Control`, CORS is open
//! for reading, each client has a rate limit, and errors are `application/problem+json`.

pub mod authority;
pub mod doc;
pub mod http_cache;
pub mod peers;
pub mod problem;
pub mod rate_limit;
pub mod search;
pub mod software;
pub mod statistics;

use std::sync::Arc;

use axum::{
    Router,
    http::{Method, header},
    middleware,
    routing::get,
};
use domain::AppState;
use tower_http::cors::{Any, CorsLayer};

/// The one limiter of every public read route (`rate_limit::is_public_read`), or none
/// when `PAIRS_API_RATE_LIMIT` is 0.
pub fn public_reads(state: &AppState) -> Option<rate_limit::Limiter> {
    (state.config.api_rate_limit > 0).then(|| rate_limit::Limiter {
        limit: Arc::new(rate_limit::RateLimit::per_minute(
            state.api_limits.clone(),
            state.config.api_rate_limit,
        )),
        trusted: state.config.trusted_proxies.clone(),
    })
}

/// The `/api/v1` router (its paths relative to `/api/v1`, as `nest` wants them).
pub fn v1() -> Router<AppState> {
    let routes = Router::new()
        .route("/search", get(search::search))
        .route("/collectivites", get(search::authorities))
        .route("/collectivites/{id}", get(authority::one))
        .route("/collectivites/{id}/pairs", get(peers::peers))
        .route("/suggest", get(search::suggest))
        .route("/logiciels", get(software::list))
        .route("/logiciels/{slug}", get(software::one))
        .route("/categories", get(software::categories))
        .route("/statistiques", get(statistics::statistics))
        .route("/openapi.json", get(doc::openapi_json))
        .fallback(problem::no_such_endpoint)
        .layer(middleware::from_fn(http_cache::etag));
    // The rate limit is the router's (`public_reads`): one for every public read route.
    // Outermost, so refusals (429) are readable by the page that asked too.
    routes.layer(
        CorsLayer::new()
            .allow_origin(Any)
            .allow_methods([Method::GET, Method::HEAD])
            .allow_headers([header::IF_NONE_MATCH])
            .expose_headers([header::ETAG, header::RETRY_AFTER])
            .max_age(std::time::Duration::from_secs(86_400)),
    )
}
