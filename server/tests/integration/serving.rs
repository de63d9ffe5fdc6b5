//! The site as a browser meets it over TCP: kept-alive connections, the real listener.

use crate::common;

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
    let _alone = common::PANIC_COUNTER.lock().await;
    server::metrics::handle();
    let before = common::panics_so_far();
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
    assert_eq!(common::panics_so_far(), before + 1, "the panic is counted");
}

async fn boom() -> &'static str {
    panic!("boom")
}

/// Built files with a content hash in their name are kept a year by caches, and their gzip
/// and brotli copies written at build time are sent as they are; other files are neither.
#[tokio::test]
async fn hashed_files_are_immutable_and_precompressed_copies_are_sent() {
    use axum::body::Body;
    use axum::http::{Request, header};
    use http_body_util::BodyExt;

    let t = TestDb::migrated(Backend::Sqlite).await.expect("sqlite");
    let site = tempfile::tempdir().expect("site");
    let pkg = site.path().join("pkg");
    std::fs::create_dir_all(&pkg).expect("pkg");
    let wasm = "pairs.dzqikpXANcjl7RHagkdmDw.wasm";
    std::fs::write(pkg.join(wasm), b"\0asm plain").expect("wasm");
    std::fs::write(pkg.join(format!("{wasm}.br")), b"brotli bytes").expect("br");
    std::fs::write(pkg.join(format!("{wasm}.gz")), b"gzip bytes").expect("gz");
    std::fs::write(pkg.join("plain.css"), b"body{}").expect("css");
    let mut options = leptos::prelude::get_configuration(None)
        .expect("options")
        .leptos_options;
    options.site_root = site.path().display().to_string().into();
    let router = server::router::build(t.state(), options);
    let fetch = |path: String, encoding: &'static str| {
        let request = Request::get(path)
            .header(header::ACCEPT_ENCODING, encoding)
            .body(Body::empty())
            .expect("request");
        router.clone().oneshot(request)
    };
    let response = fetch(format!("/pkg/{wasm}"), "br, gzip")
        .await
        .expect("answer");
    assert_eq!(response.status(), StatusCode::OK);
    let header_of = |r: &axum::http::Response<Body>, name| {
        r.headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_string)
    };
    assert_eq!(
        header_of(&response, header::CACHE_CONTROL).as_deref(),
        Some(server::static_files::IMMUTABLE)
    );
    assert_eq!(
        header_of(&response, header::CONTENT_ENCODING).as_deref(),
        Some("br")
    );
    let body = response
        .into_body()
        .collect()
        .await
        .expect("body")
        .to_bytes();
    assert_eq!(&body[..], b"brotli bytes", "the copy made at build time");
    let response = fetch(format!("/pkg/{wasm}"), "gzip").await.expect("answer");
    assert_eq!(
        header_of(&response, header::CONTENT_ENCODING).as_deref(),
        Some("gzip")
    );
    let body = response
        .into_body()
        .collect()
        .await
        .expect("body")
        .to_bytes();
    assert_eq!(&body[..], b"gzip bytes");
    let response = fetch("/pkg/plain.css".into(), "identity")
        .await
        .expect("answer");
    assert_eq!(response.status(), StatusCode::OK);
    assert_ne!(
        header_of(&response, header::CACHE_CONTROL).as_deref(),
        Some(server::static_files::IMMUTABLE),
        "a name without a hash may change content"
    );
    t.cleanup().await;
}
