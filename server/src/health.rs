//! `GET /healthz`: answers within about a second whatever is down, saying which dependency
//! is: 200 when the database answers (the site works, maybe with search degraded), 503
//! when it does not, or while the process drains before stopping (load balancers take the
//! instance out).

use std::time::Duration;

use axum::{Json, extract::State, http::StatusCode};
use domain::AppState;
use domain::mail::outbox::{QueueCounts, queue_counts};
use serde::Serialize;

/// Each dependency gets this long; they are asked at the same time.
const PROBE: Duration = Duration::from_millis(800);

#[derive(Serialize)]
pub struct Health {
    pub status: &'static str,
    pub database: bool,
    /// The search engine answers (`engine` says which one).
    pub search: bool,
    pub engine: &'static str,
    /// Mails waiting in the outbox and mails given up on, when the database answers.
    pub mail: Option<QueueCounts>,
}

pub async fn healthz(State(state): State<AppState>) -> (StatusCode, Json<Health>) {
    let (database, search, mail) = tokio::join!(
        domain::db::is_reachable(&state.db, PROBE),
        tokio::time::timeout(PROBE, state.search.count()),
        tokio::time::timeout(PROBE, queue_counts(&state.db)),
    );
    let search = matches!(search, Ok(Ok(_)));
    let draining = state.draining.load(std::sync::atomic::Ordering::Relaxed);
    let status = match (draining, database, search) {
        (true, _, _) => "arrêt en cours",
        (false, true, true) => "ok",
        (false, true, false) => "degraded",
        (false, false, _) => "down",
    };
    let code = if database && !draining {
        StatusCode::OK
    } else {
        StatusCode::SERVICE_UNAVAILABLE
    };
    let health = Health {
        status,
        database,
        search,
        engine: state.search.engine_name(),
        mail: mail.ok().and_then(Result::ok).filter(|_| database),
    };
    (code, Json(health))
}
