//! What operators watch: request counts and latencies by route and status, search engine
//! time, jobs by kind and state, panics; rendered in Prometheus' text format by the
//! `metrics` exporter. `/metrics` is served on the site only with `PAIRS_METRICS_TOKEN`
//! (as a bearer token), or alone on `PAIRS_METRICS_ADDR`.

use std::sync::OnceLock;
use std::time::{Duration, Instant};

use axum::{
    body::Body,
    extract::{MatchedPath, Request, State},
    http::{HeaderMap, StatusCode, header},
    middleware::Next,
    response::{IntoResponse, Response},
};
use domain::AppState;
use metrics_exporter_prometheus::{Matcher, PrometheusBuilder, PrometheusHandle};

/// Latency buckets in seconds: sub-millisecond search answers up to slow pages.
const BUCKETS: &[f64] = &[
    0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5,
    5.0, 10.0,
];

/// The process-wide recorder, installed once (tests build many routers in one process).
pub fn handle() -> &'static PrometheusHandle {
    static HANDLE: OnceLock<PrometheusHandle> = OnceLock::new();
    HANDLE.get_or_init(|| {
        let recorder = PrometheusBuilder::new()
            .set_buckets_for_metric(Matcher::Suffix("seconds".into()), BUCKETS)
            .map(PrometheusBuilder::build_recorder)
            .unwrap_or_else(|_| PrometheusBuilder::new().build_recorder());
        let handle = recorder.handle();
        if metrics::set_global_recorder(recorder).is_err() {
            tracing::warn!("a metrics recorder was already installed; /metrics stays empty");
        }
        handle
    })
}

/// Keeps histograms bounded; the exporter has no timer of its own without its HTTP feature.
pub fn spawn_upkeep() {
    tokio::spawn(async {
        let mut tick = tokio::time::interval(Duration::from_secs(5));
        loop {
            tick.tick().await;
            handle().run_upkeep();
        }
    });
}

/// Counts every request by route (the pattern, never the raw path) and status.
pub async fn track(request: Request, next: Next) -> Response {
    let route = request
        .extensions()
        .get::<MatchedPath>()
        .map(|p| p.as_str().to_string())
        .unwrap_or_else(|| "other".into());
    let started = Instant::now();
    let response = next.run(request).await;
    let status = response.status().as_u16().to_string();
    metrics::counter!(
        "pairs_http_requests_total",
        "route" => route.clone(),
        "status" => status
    )
    .increment(1);
    metrics::histogram!("pairs_http_request_duration_seconds", "route" => route)
        .record(started.elapsed().as_secs_f64());
    response
}

/// A panic in a request: logged, counted, and answered with the French 500 page instead
/// of a dropped connection.
pub fn on_panic(err: Box<dyn std::any::Any + Send + 'static>) -> Response<Body> {
    let message = err
        .downcast_ref::<String>()
        .map(String::as_str)
        .or_else(|| err.downcast_ref::<&str>().copied())
        .unwrap_or("(no message)");
    tracing::error!(panic = message, "request panicked");
    metrics::counter!("pairs_panics_total").increment(1);
    (
        StatusCode::INTERNAL_SERVER_ERROR,
        [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
        INTERNAL_ERROR_PAGE,
    )
        .into_response()
}

const INTERNAL_ERROR_PAGE: &str = "<!DOCTYPE html><html lang=\"fr\"><head><meta charset=\"utf-8\">\
<title>Erreur · Pairs</title></head><body><main><h1>Une erreur est survenue</h1>\
<p>La page n'a pas pu être affichée. Réessayez dans un instant ; si l'erreur persiste, \
l'équipe de Pairs en a été avertie.</p><p><a href=\"/\">Retour à l'accueil</a></p></main>\
</body></html>";

/// `GET /metrics` on the site: only with the configured bearer token (404 otherwise, so
/// its existence is not advertised).
pub async fn scrape_with_token(State(state): State<AppState>, headers: HeaderMap) -> Response {
    let expected = state.config.metrics_token.as_deref();
    let given = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "));
    match (expected, given) {
        (Some(expected), Some(given)) if constant_time_eq(expected, given) => render(&state).await,
        _ => StatusCode::NOT_FOUND.into_response(),
    }
}

/// `GET /metrics` on `PAIRS_METRICS_ADDR`.
pub async fn scrape(State(state): State<AppState>) -> Response {
    render(&state).await
}

async fn render(state: &AppState) -> Response {
    // Queue sizes are read at scrape time: the database is their source of truth.
    if let Ok(Ok(counts)) =
        tokio::time::timeout(Duration::from_millis(800), domain::jobs::counts(&state.db)).await
    {
        // States absent from the GROUP BY are empty now: set them to zero, or a drained
        // queue would keep showing its last size.
        use model::job::JobStatus;
        for kind in [
            domain::mail::outbox::JOB_KIND,
            domain::search::sync::JOB_KIND,
        ] {
            for status in JobStatus::ALL {
                let n = counts
                    .iter()
                    .find(|(k, s, _)| k == kind && *s == status)
                    .map_or(0, |(_, _, n)| *n);
                metrics::gauge!("pairs_jobs", "kind" => kind, "status" => status.as_str())
                    .set(n as f64);
            }
        }
    }
    (
        [(
            header::CONTENT_TYPE,
            "text/plain; version=0.0.4; charset=utf-8",
        )],
        handle().render(),
    )
        .into_response()
}

fn constant_time_eq(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}
