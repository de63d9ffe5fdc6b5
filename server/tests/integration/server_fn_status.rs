//! Every registered server function, called anonymously with malformed bodies (fields
//! missing, of the wrong type, control characters), answers a 4xx and never a 5xx; a plain
//! form's malformed call never carries its error in the redirect's URL; a refused input
//! answers 422 to a fetch client, not 500.

use crate::common;

use app::api::registry::ENDPOINTS;
use axum::{
    Router,
    body::Body,
    http::{Request, StatusCode, header},
};
use common::Backend;
use common::web::*;
use tower::ServiceExt;

/// Bodies a careless or hostile client sends: nothing, wrong types under the names the
/// functions use, and control characters in every one of them.
const BODIES: [&str; 4] = [
    "",
    "id=pas-un-nombre&page=zz&year=deux-mille&recipient_id=x&since=%FF",
    "authority=%0A&jeton=%00%0D%0A&email=%0A%00&q=%1B&slug=%0A&membre=%0A&software=%00&name=%07&motif=%0A&reason=%0A",
    "a=b&a=c&%00=%00",
];

/// One anonymous POST as a fetch client (`as_browser`: as a plain form): status, Location.
async fn call(router: &Router, path: &str, body: &str, as_browser: bool) -> (StatusCode, String) {
    let mut request = Request::post(path)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header("sec-fetch-site", "same-origin");
    if as_browser {
        request = request.header(header::ACCEPT, "text/html");
    }
    let response = router
        .clone()
        .oneshot(request.body(Body::from(body.to_string())).expect("request"))
        .await
        .expect("response");
    let location = response
        .headers()
        .get(header::LOCATION)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string();
    (response.status(), location)
}

async fn malformed_calls_never_answer_5xx(backend: Backend) {
    let site = TestApp::start(backend, &[]).await;
    assert!(ENDPOINTS.len() >= 40, "the registry lists them all");
    let mut faults = Vec::new();
    for (endpoint, _) in ENDPOINTS {
        let path = format!("/api/{endpoint}");
        for body in BODIES {
            for as_browser in [false, true] {
                let (status, location) = call(&site.router, &path, body, as_browser).await;
                if status.is_server_error() {
                    faults.push(format!("{path} [{body}] browser={as_browser}: {status}"));
                }
                if location.contains("__err") {
                    faults.push(format!("{path} [{body}]: error in the URL {location}"));
                }
            }
        }
    }
    assert!(
        faults.is_empty(),
        "{} faults:\n{}",
        faults.len(),
        faults.join("\n")
    );

    // A refused input to a fetch client: 422 with its French message.
    let (status, _) = call(
        &site.router,
        "/api/login",
        "email=personne%40nulle-part.test&password=mauvais",
        false,
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    // A plain form's malformed call (the password field missing): back to its page, which
    // says why.
    let response = site
        .router
        .clone()
        .oneshot(
            Request::post("/api/login")
                .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                .header(header::ACCEPT, "text/html")
                .header(header::REFERER, "http://pairs.test/connexion")
                .header("sec-fetch-site", "same-origin")
                .body(Body::from("email=x%40y.fr"))
                .expect("request"),
        )
        .await
        .expect("response");
    let reply = read(response).await;
    assert!(reply.status.is_redirection(), "{}", reply.status);
    assert_eq!(reply.location, "http://pairs.test/connexion");
    let flash = reply
        .flash_cookie()
        .expect("the message waits in the flash");
    let page = get(&site.router, "/connexion", Some(&flash)).await;
    assert!(
        error_notice(&page.body).contains("mal formée"),
        "{}",
        error_notice(&page.body)
    );
    site.t.cleanup().await;
}

on_both_backends!(malformed_calls_never_answer_5xx);
