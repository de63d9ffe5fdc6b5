//! A per-client rate limit for every public read (the API, the open-data files, the search
//! server functions): the generic cell rate algorithm (one
//! instant per client, no queue), so a client may spend a minute's quota at once and then
//! one request every `60 / per_minute` seconds. Kept in memory: it protects one instance.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::{
    extract::{ConnectInfo, Request, State},
    http::{HeaderValue, StatusCode, header},
    middleware::Next,
    response::{IntoResponse, Response},
};

use super::problem::Problem;

#[derive(Debug)]
pub struct RateLimit {
    interval: Duration,
    tolerance: Duration,
    /// Client key -> theoretical arrival time of its next request.
    next: Mutex<HashMap<String, Instant>>,
}

impl RateLimit {
    pub fn per_minute(limit: u32) -> Self {
        let interval = Duration::from_secs(60) / limit.max(1);
        Self {
            interval,
            tolerance: interval * limit.max(1).saturating_sub(1),
            next: Mutex::new(HashMap::new()),
        }
    }

    /// Counts a request; `Err(wait)` when the client must wait before its next one.
    pub fn check_at(&self, key: &str, now: Instant) -> Result<(), Duration> {
        let mut next = self.next.lock().unwrap_or_else(|p| p.into_inner());
        let tat = next.get(key).copied().unwrap_or(now).max(now);
        let ahead = tat - now;
        if ahead > self.tolerance {
            return Err(ahead - self.tolerance);
        }
        next.insert(key.to_string(), tat + self.interval);
        // Keep memory bounded: a client whose time has come holds no credit worth keeping.
        if next.len() > 100_000 {
            next.retain(|_, t| *t > now);
        }
        Ok(())
    }
}

/// The client as the rate limit sees it: the TCP peer, or whom a trusted proxy forwards for.
fn client_key(request: &Request, trusted: &[domain::security::client::Cidr]) -> String {
    let Some(ConnectInfo(peer)) = request
        .extensions()
        .get::<ConnectInfo<std::net::SocketAddr>>()
    else {
        return "inconnu".into();
    };
    let header = |name: &str| {
        domain::security::client::joined_lines(
            request
                .headers()
                .get_all(name)
                .iter()
                .filter_map(|v| v.to_str().ok()),
        )
    };
    let ip = domain::security::client::client_address(
        peer.ip(),
        header("x-forwarded-for").as_deref(),
        header("forwarded").as_deref(),
        trusted,
    );
    domain::security::client::throttle_key(ip)
}

#[derive(Clone)]
pub struct Limiter {
    pub limit: Arc<RateLimit>,
    pub trusted: Vec<domain::security::client::Cidr>,
}

/// Whether a path is one of the public reads that share the limit: the API, the open-data
/// files, and the search and suggestion server functions that the pages call (the same
/// data by another door).
pub fn is_public_read(path: &str) -> bool {
    path.starts_with("/api/v1/")
        || path.starts_with("/donnees/")
        || matches!(path, "/api/search" | "/api/suggest_software")
}

/// One limit for every public read route (`is_public_read`), whichever door a client uses;
/// other paths pass untouched.
pub async fn enforce(State(limiter): State<Limiter>, request: Request, next: Next) -> Response {
    // Preflights are answered by the CORS layer and cost nothing.
    if request.method() == axum::http::Method::OPTIONS || !is_public_read(request.uri().path()) {
        return next.run(request).await;
    }
    let key = client_key(&request, &limiter.trusted);
    match limiter.limit.check_at(&key, Instant::now()) {
        Ok(()) => next.run(request).await,
        Err(wait) => {
            let seconds = wait.as_secs() + u64::from(wait.subsec_nanos() > 0);
            let mut response = Problem::new(
                StatusCode::TOO_MANY_REQUESTS,
                format!(
                    "Trop de requêtes : réessayez dans {seconds} s. Pour tout reprendre, \
                     les fichiers complets sont sur /donnees."
                ),
            )
            .into_response();
            let headers = response.headers_mut();
            if let Ok(v) = HeaderValue::from_str(&seconds.to_string()) {
                headers.insert(header::RETRY_AFTER, v);
            }
            // Refused before the API's CORS layer: readable by the page that asked all the same.
            headers.insert(
                header::ACCESS_CONTROL_ALLOW_ORIGIN,
                HeaderValue::from_static("*"),
            );
            headers.insert(
                header::ACCESS_CONTROL_EXPOSE_HEADERS,
                HeaderValue::from_static("retry-after"),
            );
            response
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn public_reads_share_the_limit() {
        for path in [
            "/api/v1/search",
            "/api/v1/logiciels/glpi",
            "/donnees/declarations.csv",
            "/api/search",
            "/api/suggest_software",
        ] {
            assert!(is_public_read(path), "{path}");
        }
        for path in [
            "/",
            "/donnees",
            "/api/login",
            "/recherche",
            "/api/send_contact_request",
        ] {
            assert!(!is_public_read(path), "{path}");
        }
    }

    #[test]
    fn allows_a_burst_then_one_per_interval() {
        let limit = RateLimit::per_minute(3);
        let t0 = Instant::now();
        for _ in 0..3 {
            assert_eq!(limit.check_at("a", t0), Ok(()));
        }
        let wait = limit.check_at("a", t0).expect_err("fourth at once");
        assert_eq!(wait, Duration::from_secs(20));
        assert_eq!(limit.check_at("b", t0), Ok(()), "another client is apart");
        assert!(limit.check_at("a", t0 + Duration::from_secs(19)).is_err());
        assert_eq!(limit.check_at("a", t0 + Duration::from_secs(20)), Ok(()));
        assert!(limit.check_at("a", t0 + Duration::from_secs(20)).is_err());
        // Idle for long: the whole burst again, not more.
        let later = t0 + Duration::from_secs(600);
        for _ in 0..3 {
            assert_eq!(limit.check_at("a", later), Ok(()));
        }
        assert!(limit.check_at("a", later).is_err());
    }
}
