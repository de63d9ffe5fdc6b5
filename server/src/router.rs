//! The HTTP router: health check, Leptos pages and server functions, static files.

use app::{App, shell};
use axum::{Router, middleware, routing::get};
use domain::AppState;
use leptos::prelude::*;
use leptos_axum::{
    AxumRouteListing, LeptosRoutes, generate_route_list_with_exclusions_and_ssg_and_context,
};
use std::sync::OnceLock;
use tower_http::{
    catch_panic::CatchPanicLayer, compression::CompressionLayer, limit::RequestBodyLimitLayer,
};

/// Largest request body accepted (forms and server function calls are small).
const BODY_LIMIT: usize = 256 * 1024;

/// The app's routes, listed once per process. Listing renders the app with resource
/// loading suppressed through a process-wide flag: a page rendering on another thread at
/// that moment would wait forever on its resources (leptos issue 4773), which tests that
/// build many routers met as rare hangs. Listing once, before any router exists, rules it
/// out. The layout's resources call server functions while listing, so they get the state.
fn route_list(context: &(impl Fn() + Clone + Send + 'static)) -> &'static Vec<AxumRouteListing> {
    static ROUTES: OnceLock<Vec<AxumRouteListing>> = OnceLock::new();
    ROUTES.get_or_init(|| {
        generate_route_list_with_exclusions_and_ssg_and_context(App, None, context.clone()).0
    })
}

pub fn build(state: AppState, options: LeptosOptions) -> Router {
    let context = {
        let state = state.clone();
        move || {
            provide_context(state.clone());
            // The nonce the CSP header of this response allows (see `security::CspNonce`).
            let nonce = use_context::<axum::http::request::Parts>()
                .and_then(|parts| parts.extensions.get::<crate::security::CspNonce>().cloned());
            if let Some(crate::security::CspNonce(nonce)) = nonce {
                provide_context(leptos::nonce::Nonce::from_value(nonce));
            }
        }
    };
    let routes = route_list(&context).clone();
    let health = Router::new()
        .route("/healthz", get(crate::health::healthz))
        .with_state(state.clone());
    let mut export = Router::new()
        .route("/compte/export.json", get(crate::export::export_my_data))
        .nest("/api/v1", crate::api::v1())
        .merge(crate::open_data::routes())
        .merge(crate::watch::routes());
    if std::env::var("PAIRS_BENCH_BASELINE").is_ok_and(|v| v == "1") {
        export = export.route("/bench/search-sql", get(crate::api::search::search_sql));
    }
    // With a separate metrics address, the site itself never serves /metrics.
    if state.config.metrics_addr.is_none() {
        export = export.route("/metrics", get(crate::metrics::scrape_with_token));
    }
    let export = export.with_state(state.clone());
    crate::metrics::handle();
    let public_url = state.config.public_url.clone();
    let https = state.config.is_https();

    let limiter = crate::api::public_reads(&state);
    let site = Router::new()
        .leptos_routes_with_context(&options, routes, context.clone(), {
            let options = options.clone();
            move || shell(options.clone())
        })
        .fallback(leptos_axum::file_and_error_handler_with_context(
            context, shell,
        ))
        .with_state(options)
        .merge(health)
        .merge(export)
        .layer(middleware::from_fn_with_state(
            state.clone(),
            crate::flash::hand_over,
        ))
        .layer(middleware::from_fn_with_state(
            state.clone(),
            crate::server_fn_status::answer_with_meaning,
        ));
    // One limit for the API, the open-data files and the search server functions.
    let site = match limiter {
        Some(limiter) => site.layer(middleware::from_fn_with_state(
            limiter,
            crate::api::rate_limit::enforce,
        )),
        None => site,
    };
    site.layer(middleware::from_fn_with_state(
        public_url,
        crate::security::same_origin_only,
    ))
    .layer(RequestBodyLimitLayer::new(BODY_LIMIT))
    .layer(CompressionLayer::new())
    .layer(middleware::from_fn_with_state(
        https,
        crate::security::security_headers,
    ))
    .layer(middleware::from_fn(crate::static_files::cache_hashed))
    .layer(CatchPanicLayer::custom(crate::metrics::on_panic))
    .layer(middleware::from_fn(crate::metrics::track))
}

/// The router of `PAIRS_METRICS_ADDR`: `/metrics` and nothing else.
pub fn metrics_only(state: AppState) -> Router {
    crate::metrics::handle();
    Router::new()
        .route("/metrics", get(crate::metrics::scrape))
        .with_state(state)
}
