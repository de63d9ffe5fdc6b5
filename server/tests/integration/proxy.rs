//! Behind a reverse proxy: only a trusted peer names the client, throttling keys by that
//! client (IPv6 by /64), and a successful login clears the counters.

use crate::common;

use std::net::SocketAddr;

use axum::{
    body::Body,
    extract::ConnectInfo,
    http::{Request, StatusCode, header},
};
use common::Backend;
use common::web::*;
use tower::ServiceExt;

/// A login attempt arriving from `peer`, with an optional `X-Forwarded-For`: whether it
/// was held back (a throttled form answers with `Retry-After`), or else its status.
async fn login_from(
    site: &TestApp,
    peer: &str,
    forwarded_for: &[&str],
    email: &str,
    password: &str,
) -> StatusCode {
    let mut request = Request::post("/api/login")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::ACCEPT, "text/html")
        .header("sec-fetch-site", "same-origin");
    // Each item is one header line, as a proxy that adds a line instead of appending sends.
    for xff in forwarded_for {
        request = request.header("x-forwarded-for", *xff);
    }
    let mut request = request
        .body(Body::from(encode(&[
            ("email", email),
            ("password", password),
        ])))
        .expect("request");
    let peer: SocketAddr = peer.parse().expect("peer");
    request.extensions_mut().insert(ConnectInfo(peer));
    let response = site
        .router
        .clone()
        .oneshot(request)
        .await
        .expect("response");
    let reply = read(response).await;
    if reply.retry_after.is_some() {
        StatusCode::TOO_MANY_REQUESTS
    } else {
        reply.status
    }
}

async fn throttling_follows_the_forwarded_client_of_trusted_proxies_only(backend: Backend) {
    let site = TestApp::start(
        backend,
        &[
            ("PAIRS_TRUSTED_PROXIES", "10.0.0.1, 2001:db8:ffff::/48"),
            ("PAIRS_THROTTLE_MAX", "3"),
        ],
    )
    .await;
    let wrong = "pas le bon mot de passe";
    // Through the trusted proxy: one client's three attempts (on three accounts), then
    // that client is held back while another client behind the same proxy is not.
    for i in 0..3 {
        let email = format!("inconnu{i}@pairs.test");
        let status = login_from(
            &site,
            "10.0.0.1:5000",
            &["6.6.6.6, 198.51.100.1"],
            &email,
            wrong,
        )
        .await;
        assert_ne!(status, StatusCode::TOO_MANY_REQUESTS, "attempt {i}");
    }
    let blocked = login_from(
        &site,
        "10.0.0.1:5000",
        &["198.51.100.1"],
        "autre@pairs.test",
        wrong,
    )
    .await;
    assert_eq!(
        blocked,
        StatusCode::TOO_MANY_REQUESTS,
        "the forwarded client is throttled"
    );
    let other = login_from(
        &site,
        "10.0.0.1:5000",
        &["198.51.100.2"],
        "autre@pairs.test",
        wrong,
    )
    .await;
    assert_ne!(
        other,
        StatusCode::TOO_MANY_REQUESTS,
        "its neighbour behind the proxy is not"
    );

    // From an untrusted peer the header is ignored: rotating it changes nothing.
    for i in 0..3 {
        let email = format!("x{i}@pairs.test");
        let xff = format!("192.0.2.{i}");
        let status = login_from(&site, "203.0.113.5:5000", &[&xff], &email, wrong).await;
        assert_ne!(status, StatusCode::TOO_MANY_REQUESTS, "attempt {i}");
    }
    let blocked = login_from(
        &site,
        "203.0.113.5:5000",
        &["192.0.2.99"],
        "y@pairs.test",
        wrong,
    )
    .await;
    assert_eq!(
        blocked,
        StatusCode::TOO_MANY_REQUESTS,
        "keyed by the untrusted peer"
    );

    // IPv6 clients are keyed by their /64: rotating the low bits does not help.
    for i in 1..=3 {
        let xff = format!("2001:db8:1:2::{i}");
        let email = format!("v6-{i}@pairs.test");
        let status = login_from(&site, "[2001:db8:ffff::1]:5000", &[&xff], &email, wrong).await;
        assert_ne!(status, StatusCode::TOO_MANY_REQUESTS, "attempt {i}");
    }
    let blocked = login_from(
        &site,
        "[2001:db8:ffff::1]:5000",
        &["2001:db8:1:2::ffff"],
        "v6@pairs.test",
        wrong,
    )
    .await;
    assert_eq!(blocked, StatusCode::TOO_MANY_REQUESTS, "same /64");

    // A successful login clears the account's counter, not the client's: after two
    // mistakes and a success, that client is held back, yet the account answers another
    // client at once.
    let client: &[&str] = &["198.51.100.50"];
    for _ in 0..2 {
        login_from(&site, "10.0.0.1:5000", client, ADMIN_EMAIL, wrong).await;
    }
    assert_eq!(
        login_from(&site, "10.0.0.1:5000", client, ADMIN_EMAIL, ADMIN_PASSWORD).await,
        StatusCode::FOUND
    );
    assert_eq!(
        login_from(&site, "10.0.0.1:5000", client, "quelquun@pairs.test", wrong).await,
        StatusCode::TOO_MANY_REQUESTS,
        "the client's guesses still count"
    );
    for i in 0..2 {
        let status = login_from(
            &site,
            "10.0.0.1:5000",
            &["198.51.100.51"],
            ADMIN_EMAIL,
            wrong,
        )
        .await;
        assert_ne!(
            status,
            StatusCode::TOO_MANY_REQUESTS,
            "the account's count was cleared, mistake {i}"
        );
    }

    // Every line of the header is read: a client's own line comes first, the trusted
    // proxy adds the address it saw as a line of its own.
    for i in 0..3 {
        let spoofed = format!("192.0.2.{}", 100 + i);
        let lines = [spoofed.as_str(), "198.51.100.77"];
        let email = format!("lignes{i}@pairs.test");
        let status = login_from(&site, "10.0.0.1:5000", &lines, &email, wrong).await;
        assert_ne!(status, StatusCode::TOO_MANY_REQUESTS, "attempt {i}");
    }
    let blocked = login_from(
        &site,
        "10.0.0.1:5000",
        &["192.0.2.200", "198.51.100.77"],
        "lignes@pairs.test",
        wrong,
    )
    .await;
    assert_eq!(
        blocked,
        StatusCode::TOO_MANY_REQUESTS,
        "keyed by the proxy's line, not the client's own"
    );
    site.t.cleanup().await;
}

on_both_backends!(throttling_follows_the_forwarded_client_of_trusted_proxies_only);
