//! Pages and endpoints through the real router, against a real SQLite database holding
//! the referential fixture.

use crate::common;

use axum::{
    Router,
    body::Body,
    http::{Request, StatusCode, header},
};
use common::Backend;
use common::web::TestApp;
use http_body_util::BodyExt;
use tower::ServiceExt;

/// The app with the fixture indexed for search.
async fn app(backend: Backend) -> TestApp {
    let app = TestApp::start(backend, &[]).await;
    domain::search::sync::reindex_all(&app.t.db, app.state.search.as_ref())
        .await
        .expect("index");
    app
}

async fn send(router: &Router, request: Request<Body>) -> (StatusCode, String) {
    let response = router.clone().oneshot(request).await.expect("response");
    let status = response.status();
    let bytes = response
        .into_body()
        .collect()
        .await
        .expect("body")
        .to_bytes();
    (status, String::from_utf8_lossy(&bytes).into_owned())
}

/// A page as a visitor gets it: status and body, without the empty `<!>` comments the
/// islands build puts after dynamic text (the production markup, as the browser gets it).
async fn get(app: &TestApp, uri: &str) -> (StatusCode, String) {
    let reply = app.get(uri, None).await;
    (reply.status, reply.body.replace("<!>", ""))
}

async fn authority_page_shows_identity_and_epci(backend: Backend) {
    let app = app(backend).await;
    let (status, html) = get(&app, "/collectivites/com-13047").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("<h1>Istres</h1>"), "name as title");
    for expected in [
        "Commune",
        "211300470",
        "13047",
        "13118, 13800",
        "44\u{202f}292 habitants",
        "Bouches-du-Rhône",
        "/collectivites/dep-13",
        "Provence-Alpes-Côte",
        "/collectivites/epci-200054807",
        "Aix-Marseille-Provence",
        "Aucun logiciel n",
    ] {
        assert!(html.contains(expected), "page shows {expected:?}");
    }
}

async fn epci_page_lists_member_communes(backend: Backend) {
    let app = app(backend).await;
    let (status, html) = get(&app, "/collectivites/epci-200054807").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("Métropole"));
    assert!(html.contains("Communes membres (3)"));
    for member in ["com-13047", "com-13039", "com-13055"] {
        assert!(
            html.contains(&format!("/collectivites/{member}")),
            "lists {member}"
        );
    }
}

async fn commune_without_siren_or_epci_renders(backend: Backend) {
    let app = app(backend).await;
    let (status, html) = get(&app, "/collectivites/com-97501").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("Miquelon-Langlade"));
    assert!(html.contains("Non attribué"), "missing SIREN is said");
    assert!(html.contains("Aucune (commune isolée"), "no EPCI is said");
}

async fn unknown_authority_and_unknown_path_are_404(backend: Backend) {
    let app = app(backend).await;
    let (status, html) = get(&app, "/collectivites/com-99999").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(html.contains("Page introuvable"));
    let (status, html) = get(&app, "/cette-page-n-existe-pas").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(html.contains("Page introuvable"));
}

async fn home_page_says_what_pairs_is_for(backend: Backend) {
    let app = app(backend).await;
    let (status, html) = get(&app, "/").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("lang=\"fr\""));
    assert!(html.contains("annuaire d'entraide") || html.contains("annuaire d&#x27;entraide"));
    assert!(
        html.contains("action=\"/recherche\""),
        "search form works without JS"
    );
    assert!(html.contains("/pkg/pairs.js"), "hydration script is linked");
}

async fn lookup_finds_by_name_code_and_siren_and_paginates_nothing_on_empty(backend: Backend) {
    let app = app(backend).await;
    for (query, expected) in [
        ("istres", "com-13047"),
        ("ISTRÉS", "com-13047"),
        ("13800", "com-13047"),
        ("97501", "com-97501"),
        ("211300470", "com-13047"),
        ("aix marseille", "epci-200054807"),
    ] {
        let (status, html) = get(
            &app,
            &format!(
                "/recherche?q={}",
                query.replace(' ', "+").replace('É', "%C3%89")
            ),
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{query}");
        assert!(
            html.contains(&format!("/collectivites/{expected}")),
            "{query} finds {expected}: {}",
            &html[html.find("<main").unwrap_or(0)..]
        );
    }
    let (status, html) = get(&app, "/recherche?q=zzzzzz").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("Aucune collectivité ne correspond"));
    let (_, html) = get(&app, "/recherche").await;
    assert!(
        html.contains("collectivités trouvées"),
        "without words, every authority"
    );
}

async fn lookup_rejects_overlong_queries_with_400(backend: Backend) {
    let app = app(backend).await;
    let (status, html) = get(&app, &format!("/recherche?q={}", "a".repeat(201))).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(html.contains("trop longue"));
}

async fn server_function_answers_form_encoded_posts(backend: Backend) {
    let app = app(backend).await;
    let request = Request::post("/api/find_authorities")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::ACCEPT, "application/json")
        .body(Body::from("query=istres&page=1"))
        .expect("request");
    let (status, body) = send(&app.router, request).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let json: serde_json::Value = serde_json::from_str(&body).expect("json");
    assert_eq!(json["total"], 1);
    assert_eq!(json["items"][0]["public_id"], "com-13047");
}

async fn healthz_reports_the_database(backend: Backend) {
    let app = app(backend).await;
    let (status, body) = get(&app, "/healthz").await;
    assert_eq!(status, StatusCode::OK);
    let json: serde_json::Value = serde_json::from_str(&body).expect("json");
    assert_eq!(json["database"], true);
    assert_eq!(json["status"], "ok");
    assert_eq!(json["search"], true);
    assert_eq!(json["engine"], "embedded");
    assert_eq!(json["mail"]["failed"], 0);
    // With the database closed, the answer says so at once, with 503.
    app.t.db.clone().close().await.ok();
    let started = std::time::Instant::now();
    let (status, body) = get(&app, "/healthz").await;
    assert!(started.elapsed() < std::time::Duration::from_millis(1500));
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);
    let json: serde_json::Value = serde_json::from_str(&body).expect("json");
    assert_eq!(json["database"], false);
    assert_eq!(json["status"], "down");
}

async fn signup_lists_authorities_to_choose_without_javascript(backend: Backend) {
    let app = app(backend).await;
    let (status, html) = get(&app, "/inscription?commune=istres").await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        html.contains("value=\"com-13047\""),
        "Istres offered as a choice"
    );
    assert!(html.contains("name=\"authority\""));
    assert!(
        html.contains("action=\"/api/sign_up\""),
        "the form posts without JavaScript"
    );
    let (_, html) = get(&app, "/inscription?commune=zzzz").await;
    assert!(html.contains("Aucune collectivité ne correspond"));
}

/// A page without islands loads no wasm, so it carries none of its data a second time as
/// serialized resources for a hydration that never comes (it did: 127 KB of JSON on a
/// software page, more than its markup).
async fn pages_without_islands_carry_no_serialized_resources(backend: Backend) {
    let app = app(backend).await;
    for uri in [
        "/collectivites/com-13047",
        "/collectivites/dep-13",
        "/logiciels",
    ] {
        let (status, html) = get(&app, uri).await;
        assert_eq!(status, StatusCode::OK, "{uri}");
        assert!(html.contains("<h1>"), "{uri} renders its data");
        assert!(
            !html.contains("__RESOLVED_RESOURCES["),
            "{uri} serializes no resource"
        );
    }
    let (_, html) = get(&app, "/collectivites/com-13047").await;
    assert!(html.contains("<h1>Istres</h1>"));
}

on_both_backends!(
    pages_without_islands_carry_no_serialized_resources,
    authority_page_shows_identity_and_epci,
    epci_page_lists_member_communes,
    commune_without_siren_or_epci_renders,
    unknown_authority_and_unknown_path_are_404,
    home_page_says_what_pairs_is_for,
    lookup_finds_by_name_code_and_siren_and_paginates_nothing_on_empty,
    lookup_rejects_overlong_queries_with_400,
    server_function_answers_form_encoded_posts,
    healthz_reports_the_database,
    signup_lists_authorities_to_choose_without_javascript,
);
