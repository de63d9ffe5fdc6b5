//! A short soak: every page type and every API route under 8 concurrent kept-alive clients
//! on a multi-threaded runtime, as `pairs serve` runs. No 5xx, no panic; `/metrics` counts
//! it all and is closed without its token. Bounded: a few hundred requests, a few seconds.

use crate::common;

use std::time::Duration;

use axum::http::StatusCode;
use common::Backend;
use common::http::{serve, timed_get};
use common::web::TestApp;
use tokio::net::TcpStream;
use tower::ServiceExt;

const TOKEN: &str = "jeton-de-metriques-de-test";

/// Paths and the status each must answer.
const PATHS: &[(&str, u16)] = &[
    ("/", 200),
    ("/recherche", 200),
    ("/recherche?q=istres", 200),
    ("/recherche?q=libre+ofice&region=93", 200),
    ("/recherche?q=glpi&sort=name&page=2", 200),
    ("/collectivites/com-13047", 200),
    ("/collectivites/epci-200054807", 200),
    ("/collectivites/com-99999", 404),
    ("/logiciels", 200),
    ("/logiciels?filtre=teams", 200),
    ("/logiciels/glpi", 200),
    ("/logiciels/nexiste-pas", 404),
    ("/connexion", 200),
    ("/inscription?commune=istres", 200),
    ("/mot-de-passe-oublie", 200),
    ("/page-inconnue", 404),
    ("/api/v1/search?q=istres", 200),
    ("/api/v1/search?q=glpi&kind=commune&sort=population", 200),
    ("/api/v1/search?page=0", 400),
    ("/api/v1/suggest?q=glp", 200),
    ("/healthz", 200),
    ("/compte/export.json", 303),
];

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_route_holds_under_eight_concurrent_clients() {
    let site = TestApp::start(Backend::Sqlite, &[("PAIRS_METRICS_TOKEN", TOKEN)]).await;
    domain::catalogue::seed::load_catalogue(&site.t.db)
        .await
        .expect("catalogue");
    domain::search::sync::reindex_all(&site.t.db, site.state.search.as_ref())
        .await
        .expect("index");
    let addr = serve(site.state.clone()).await;
    let _alone = common::PANIC_COUNTER.lock().await;
    server::metrics::handle();
    let panics_before = common::panics_so_far();

    let mut clients = Vec::new();
    for client in 0..8usize {
        clients.push(tokio::spawn(async move {
            let mut conn = TcpStream::connect(addr).await.expect("connect");
            let mut failures = Vec::new();
            for round in 0..2 {
                // Each client walks the routes from its own starting point.
                for i in 0..PATHS.len() {
                    let (path, expected) = PATHS[(i + client * 3 + round) % PATHS.len()];
                    let (_, status) = timed_get(&mut conn, path).await;
                    if !status.contains(&format!(" {expected} ")) {
                        failures.push(format!("{path}: {status}"));
                    }
                }
            }
            failures
        }));
    }
    let mut failures = Vec::new();
    for client in clients {
        failures.extend(client.await.expect("client task"));
    }
    assert!(failures.is_empty(), "{failures:#?}");

    // The metrics saw it all, and only the token opens them.
    let mut conn = TcpStream::connect(addr).await.expect("connect");
    let (_, status) = timed_get(&mut conn, "/metrics").await;
    assert!(status.contains(" 404 "), "no token: {status}");
    let text = server::metrics::handle().render();
    assert!(
        text.contains("pairs_http_requests_total{route=\"/recherche\",status=\"200\"}"),
        "{text}"
    );
    assert!(text.contains("pairs_http_request_duration_seconds_bucket"));
    assert_eq!(common::panics_so_far(), panics_before, "no panic: {text}");
    site.t.cleanup().await;
    tokio::time::sleep(Duration::from_millis(10)).await;
}

#[tokio::test]
async fn metrics_need_the_token_and_speak_prometheus() {
    let site = TestApp::start(Backend::Sqlite, &[("PAIRS_METRICS_TOKEN", TOKEN)]).await;
    let request = |auth: Option<&str>| {
        let mut r = axum::http::Request::get("/metrics");
        if let Some(a) = auth {
            r = r.header("authorization", a);
        }
        r.body(axum::body::Body::empty()).expect("request")
    };
    for auth in [None, Some("Bearer faux"), Some(TOKEN)] {
        let response = site
            .router
            .clone()
            .oneshot(request(auth))
            .await
            .expect("response");
        assert_eq!(response.status(), StatusCode::NOT_FOUND, "{auth:?}");
    }
    // A sign-up queues a mail: there is a job to count.
    common::web::post(
        &site.router,
        "/api/sign_up",
        &common::web::signup_form("zoe@istres.test"),
        None,
    )
    .await;
    let response = site
        .router
        .clone()
        .oneshot(request(Some(&format!("Bearer {TOKEN}"))))
        .await
        .expect("response");
    assert_eq!(response.status(), StatusCode::OK);
    let reply = common::web::read(response).await;
    assert!(
        reply
            .body
            .contains("# TYPE pairs_http_requests_total counter"),
        "{}",
        reply.body
    );
    assert!(
        reply.body.contains("pairs_jobs{"),
        "queue sizes: {}",
        reply.body
    );
    site.t.cleanup().await;
}
