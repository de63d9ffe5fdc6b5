//! The site as a browser meets it over TCP: kept-alive connections, the real listener.

mod common;

use std::time::Duration;

use axum::{Router, http::StatusCode, routing::get};
use common::http::{serve, timed_get};
use common::{Backend, TestDb, import_fixture};
use tokio::net::TcpStream;
use tower::ServiceExt;

#[tokio::test]
async fn later_requests_on_a_kept_alive_connection_are_not_held_back() {
    let t = TestDb::migrated(Backend::Sqlite).await.expect("sqlite");
    import_fixture(&t.db).await;
    let addr = serve(t.state()).await;
    // Streamed pages (written in several pieces) and one rendered whole.
    for path in [
        "/",
        "/connexion",
        "/mot-de-passe-oublie",
        "/collectivites/com-13047",
    ] {
        let mut conn = TcpStream::connect(addr).await.expect("connect");
        let (first, status) = timed_get(&mut conn, path).await;
        assert!(status.contains(" 200 "), "{path}: {status}");
        let mut later = Vec::new();
        for _ in 0..12 {
            let (took, status) = timed_get(&mut conn, path).await;
            assert!(status.contains(" 200 "), "{path}: {status}");
            later.push(took);
        }
        later.sort();
        let slowest = later[later.len() - 1];
        // Nagle's algorithm against delayed ACKs holds a response ~40 ms; a reused
        // connection must answer about as fast as the first request did.
        assert!(
            slowest <= first + Duration::from_millis(25),
            "{path}: first {first:?}, later {later:?}"
        );
    }
    t.cleanup().await;
}

#[tokio::test]
async fn a_panicking_request_gets_the_french_500_page_and_is_counted() {
    server::metrics::handle();
    let router: Router = Router::new().route("/boom", get(boom)).layer(
        tower_http::catch_panic::CatchPanicLayer::custom(server::metrics::on_panic),
    );
    let response = router
        .oneshot(
            axum::http::Request::get("/boom")
                .body(axum::body::Body::empty())
                .expect("request"),
        )
        .await
        .expect("a response, not a dropped connection");
    assert_eq!(response.status(), StatusCode::INTERNAL_SERVER_ERROR);
    let reply = common::web::read(response).await;
    assert!(reply.body.contains("Une erreur est survenue"));
    assert!(
        server::metrics::handle()
            .render()
            .contains("pairs_panics_total")
    );
}

async fn boom() -> &'static str {
    panic!("boom")
}
