//! A per-client rate limit for every public read (the API, the open-data files, the search
//! server functions): `PAIRS_API_RATE_LIMIT` requests a minute, which a client may spend at
//! once, then one every `60 / limit` seconds (`domain::security::limits`, one rule for
//! every door). The counters are in the state's limit store: the same for every process
//! when several serve.

use std::sync::Arc;
use std::time::{Duration, SystemTime};

use axum::{
    extract::{ConnectInfo, Request, State},
    http::{HeaderValue, StatusCode, header},
    middleware::Next,
    response::{IntoResponse, Response},
};
use domain::security::limits::{LimitStore, Rule};

use super::problem::Problem;

#[derive(Debug, Clone)]
pub struct RateLimit {
    store: Arc<dyn LimitStore>,
    rule: Rule,
}

impl RateLimit {
    pub fn per_minute(store: Arc<dyn LimitStore>, limit: u32) -> Self {
        Self {
            store,
            rule: Rule::per_minute(limit),
        }
    }

    /// Counts a request; `Err(wait)` when the client must wait before its next one.
    pub async fn check_at(&self, key: &str, now: SystemTime) -> Result<(), Duration> {
        self.store
            .admit(&[format!("api:{key}")], self.rule, now)
            .await
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
    match limiter.limit.check_at(&key, SystemTime::now()).await {
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

    #[tokio::test]
    async fn allows_a_burst_then_one_per_interval() {
        let store: Arc<dyn LimitStore> =
            Arc::new(domain::security::limits::MemoryLimits::default());
        let limit = RateLimit::per_minute(store, 3);
        let t0 = SystemTime::now();
        for _ in 0..3 {
            assert_eq!(limit.check_at("a", t0).await, Ok(()));
        }
        let wait = limit.check_at("a", t0).await.expect_err("fourth at once");
        assert_eq!(wait, Duration::from_secs(20));
        assert_eq!(
            limit.check_at("b", t0).await,
            Ok(()),
            "another client is apart"
        );
        assert_eq!(
            limit.check_at("a", t0 + Duration::from_secs(20)).await,
            Ok(())
        );
    }
}
