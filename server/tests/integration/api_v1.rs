//! The public read API: every documented endpoint answers with the fields its schema
//! requires, no route under `/api/v1` goes undocumented, `ETag` round trips to 304, the rate
//! limit answers 429 with `Retry-After`, CORS preflights are answered, errors are problem
//! documents in French, and no answer holds a person.

use crate::common;

use axum::{
    body::Body,
    http::{HeaderMap, Method, Request, StatusCode, header},
};
use common::Backend;
use common::web::*;
use http_body_util::BodyExt;
use serde_json::Value;
use tower::ServiceExt;

struct Answer {
    status: StatusCode,
    headers: HeaderMap,
    body: String,
}

impl Answer {
    fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("{e}: {}", self.body))
    }
    fn header(&self, name: header::HeaderName) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }
}

async fn call(app: &TestApp, method: Method, path: &str, headers: &[(&str, &str)]) -> Answer {
    let mut request = Request::builder().method(method).uri(path);
    for (k, v) in headers {
        request = request.header(*k, *v);
    }
    let response = app
        .router
        .clone()
        .oneshot(request.body(Body::empty()).expect("request"))
        .await
        .expect("response");
    let status = response.status();
    let headers = response.headers().clone();
    let bytes = response
        .into_body()
        .collect()
        .await
        .expect("body")
        .to_bytes();
    Answer {
        status,
        headers,
        body: String::from_utf8_lossy(&bytes).into_owned(),
    }
}

async fn get_json(app: &TestApp, path: &str) -> Answer {
    call(app, Method::GET, path, &[]).await
}

/// Declares a tool for Istres as the member signed in with `cookie`.
async fn declare(app: &TestApp, cookie: &str, software: &str, status: &str, since: &str) {
    let reply = app
        .post(
            "declare_usage",
            &[
                ("authority", "com-13047"),
                ("software", software),
                ("status", status),
                ("since_year", since),
                ("version", "10.0"),
                ("notes", "Note interne de Zoé"),
                ("satisfaction", ""),
                ("referent", "on"),
            ],
            Some(cookie),
        )
        .await;
    assert!(
        reply.location.contains("declaration-ajoutee"),
        "{} {}",
        reply.location,
        reply.error
    );
}

/// A site with the catalogue, a member with recognizable personal values who declared two
/// tools for Istres (with a private note), and Istres a member authority.
async fn site(backend: Backend, extra: &[(&str, &str)]) -> TestApp {
    let app = TestApp::start(backend, extra).await;
    domain::catalogue::seed::load_catalogue(&app.t.db)
        .await
        .expect("catalogue");
    let cookie = app
        .approved_member("zoe.martin@istres.test", "com-13047")
        .await;
    declare(&app, &cookie, "glpi", "in_use", "2019").await;
    declare(&app, &cookie, "nextcloud", "evaluating", "").await;
    use domain::entities::authority;
    use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, Set};
    let istres = authority::Entity::find()
        .filter(authority::Column::PublicId.eq("com-13047"))
        .one(&app.t.db)
        .await
        .expect("q")
        .expect("Istres");
    let mut istres: authority::ActiveModel = istres.into();
    istres.is_member = Set(true);
    istres.update(&app.t.db).await.expect("member");
    domain::search::sync::reindex_all(&app.t.db, app.state.search.as_ref())
        .await
        .expect("reindex");
    app
}

/// The example request of each documented path (its path parameters filled in).
fn example(path: &str) -> String {
    path.replace("{slug}", "glpi").replace("{id}", "com-13047")
}

/// Resolves a `$ref` to the component schema it names.
fn resolve<'a>(doc: &'a Value, schema: &'a Value) -> &'a Value {
    match schema.get("$ref").and_then(Value::as_str) {
        Some(r) => {
            let name = r.rsplit('/').next().unwrap_or_default();
            &doc["components"]["schemas"][name]
        }
        None => schema,
    }
}

/// The JSON type names a value may have under a schema (`type` may be a list in 3.1).
fn types(schema: &Value) -> Vec<String> {
    match &schema["type"] {
        Value::String(t) => vec![t.clone()],
        Value::Array(list) => list
            .iter()
            .filter_map(|t| t.as_str().map(String::from))
            .collect(),
        _ => Vec::new(),
    }
}

/// Checks `value` against `schema`: required properties present, declared types right,
/// arrays' items and objects' properties recursively. (The Chromium suite runs a full JSON
/// Schema validator too; this keeps the check in the Rust suites on both databases.)
fn conforms(doc: &Value, schema: &Value, value: &Value, at: &str) -> Result<(), String> {
    let schema = resolve(doc, schema);
    if let Some(all) = schema.get("allOf").and_then(Value::as_array) {
        for s in all {
            conforms(doc, s, value, at)?;
        }
    }
    if let Some(any) = schema
        .get("oneOf")
        .or_else(|| schema.get("anyOf"))
        .and_then(Value::as_array)
        && !any.iter().any(|s| conforms(doc, s, value, at).is_ok())
    {
        return Err(format!("{at}: matches none of its alternatives"));
    }
    let allowed = types(schema);
    let actual = match value {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(n) if n.is_i64() || n.is_u64() => "integer",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    };
    if !allowed.is_empty()
        && !allowed
            .iter()
            .any(|t| t == actual || (t == "number" && actual == "integer"))
    {
        return Err(format!("{at}: {actual}, the schema says {allowed:?}"));
    }
    if let (Some(required), Value::Object(map)) = (schema.get("required"), value) {
        for name in required
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
        {
            if !map.contains_key(name) {
                return Err(format!("{at}: « {name} » is required"));
            }
        }
    }
    if let (Some(Value::Object(props)), Value::Object(map)) = (schema.get("properties"), value) {
        for (name, sub) in props {
            if let Some(v) = map.get(name) {
                conforms(doc, sub, v, &format!("{at}.{name}"))?;
            }
        }
    }
    if let (Some(items), Value::Array(list)) = (schema.get("items"), value) {
        for (i, v) in list.iter().enumerate() {
            conforms(doc, items, v, &format!("{at}[{i}]"))?;
        }
    }
    Ok(())
}

async fn every_documented_endpoint_answers_as_its_schema_says(backend: Backend) {
    let app = site(backend, &[]).await;
    let doc = get_json(&app, "/api/v1/openapi.json").await;
    assert_eq!(doc.status, StatusCode::OK);
    let doc = doc.json();
    assert_eq!(doc["openapi"].as_str().map(|v| &v[..4]), Some("3.1."));
    assert!(
        doc["info"]["license"]["name"]
            .as_str()
            .is_some_and(|l| l.contains("Licence Ouverte"))
    );
    let paths = doc["paths"].as_object().expect("paths");
    assert!(paths.len() >= 9, "{:?}", paths.keys());
    for (path, item) in paths {
        let op = &item["get"];
        assert!(op.is_object(), "{path}: only GET");
        let answer = get_json(&app, &example(path)).await;
        assert_eq!(answer.status, StatusCode::OK, "{path}: {}", answer.body);
        let schema = &op["responses"]["200"]["content"]["application/json"]["schema"];
        assert!(schema.is_object(), "{path}: a documented body");
        if let Err(e) = conforms(&doc, schema, &answer.json(), path) {
            panic!("{path}: {e}\n{}", answer.body);
        }
        assert!(answer.header(header::ETAG).is_some(), "{path}: ETag");
        assert!(
            answer.header(header::CACHE_CONTROL).is_some(),
            "{path}: Cache-Control"
        );
    }
    // The figures match the database: Istres runs GLPI, evaluates Nextcloud.
    let glpi = get_json(&app, "/api/v1/logiciels/glpi").await.json();
    assert_eq!(glpi["counts"]["in_use"], 1);
    assert_eq!(glpi["authorities"][0]["id"], "com-13047");
    assert_eq!(glpi["authorities"][0]["since"], 2019);
    let istres = get_json(&app, "/api/v1/collectivites/com-13047")
        .await
        .json();
    assert_eq!(istres["is_member"], true);
    let tools: Vec<(&str, &str)> = istres["tools"]
        .as_array()
        .expect("tools")
        .iter()
        .map(|t| {
            (
                t["slug"].as_str().unwrap_or(""),
                t["status"].as_str().unwrap_or(""),
            )
        })
        .collect();
    assert_eq!(tools, [("glpi", "in_use"), ("nextcloud", "evaluating")]);
    let stats = get_json(&app, "/api/v1/statistiques").await.json();
    assert_eq!(stats["declarations"], 2);
    assert_eq!(stats["active_authorities"], 1);
    assert_eq!(stats["top_tools"][0]["key"], "glpi");
    assert_eq!(stats["authorities_by_departement"][0]["key"], "13");
    let page = get_json(&app, "/api/v1/logiciels?per_page=3&page=2")
        .await
        .json();
    let first = get_json(&app, "/api/v1/logiciels?per_page=6").await.json();
    assert_eq!(
        page["items"][0]["slug"], first["items"][3]["slug"],
        "stable pages"
    );

    // The /api page names every documented endpoint, and nothing more.
    let mut on_page: Vec<&str> = app::pages::api_docs::documented_paths().collect();
    let mut documented: Vec<&str> = paths.keys().map(String::as_str).collect();
    on_page.sort_unstable();
    documented.sort_unstable();
    assert_eq!(
        on_page, documented,
        "the /api page lists the documented endpoints"
    );
    let human = app.get("/api", None).await;
    assert_eq!(human.status, StatusCode::OK);
    assert!(human.body.contains("/api/v1/openapi.json") && human.body.contains("Licence Ouverte"));

    // Nothing personal anywhere: not the member's name, email, job or note.
    for path in paths.keys() {
        let body = get_json(&app, &example(path)).await.body;
        for personal in ["zoe.martin", "Zoé", "Note interne", "istres.test"] {
            assert!(!body.contains(personal), "{path} shows « {personal} »");
        }
    }
    app.t.cleanup().await;
}

/// Every route string under `/api/v1` in the server's source is in the document: a route
/// added without its annotation fails here.
#[tokio::test]
async fn no_route_under_api_v1_goes_undocumented() {
    let doc = server::api::doc::document();
    let documented: Vec<String> = doc["paths"]
        .as_object()
        .expect("paths")
        .keys()
        .cloned()
        .collect();
    let source = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/api/mod.rs"),
    )
    .expect("api/mod.rs");
    let routes: Vec<String> = source
        .split(".route(\"")
        .skip(1)
        .filter_map(|rest| rest.split('"').next())
        .map(|p| format!("/api/v1{p}"))
        .collect();
    assert!(routes.len() >= 9, "{routes:?}");
    for route in &routes {
        assert!(
            documented.contains(route),
            "{route} is served but not documented"
        );
    }
    for path in &documented {
        assert!(routes.contains(path), "{path} is documented but not served");
    }
}

async fn conditional_requests_cors_and_errors(backend: Backend) {
    let app = site(backend, &[]).await;
    let first = get_json(&app, "/api/v1/logiciels/glpi").await;
    let etag = first.header(header::ETAG).expect("etag").to_string();
    assert_eq!(
        first.header(header::CACHE_CONTROL),
        Some("public, max-age=60")
    );
    let again = call(
        &app,
        Method::GET,
        "/api/v1/logiciels/glpi",
        &[("if-none-match", &etag)],
    )
    .await;
    assert_eq!(again.status, StatusCode::NOT_MODIFIED);
    assert!(again.body.is_empty());
    assert_eq!(again.header(header::ETAG), Some(etag.as_str()));
    let other = call(
        &app,
        Method::GET,
        "/api/v1/logiciels/nextcloud",
        &[("if-none-match", &etag)],
    )
    .await;
    assert_eq!(other.status, StatusCode::OK, "another body, another tag");

    // A change shows as a new tag.
    let before = get_json(&app, "/api/v1/collectivites/com-13047").await;
    let old = before.header(header::ETAG).expect("etag").to_string();
    let cookie = app.approved_member("luc@istres.test", "com-13047").await;
    declare(&app, &cookie, "qgis", "planned", "").await;
    let after = call(
        &app,
        Method::GET,
        "/api/v1/collectivites/com-13047",
        &[("if-none-match", &old)],
    )
    .await;
    assert_eq!(after.status, StatusCode::OK, "changed since");
    assert_ne!(after.header(header::ETAG), Some(old.as_str()));
    assert!(after.body.contains("qgis"));

    // CORS: a preflight from another site, and the answer readable there.
    let preflight = call(
        &app,
        Method::OPTIONS,
        "/api/v1/statistiques",
        &[
            ("origin", "https://reuser.example"),
            ("access-control-request-method", "GET"),
            ("access-control-request-headers", "if-none-match"),
        ],
    )
    .await;
    assert!(preflight.status.is_success(), "{}", preflight.status);
    assert_eq!(
        preflight.header(header::ACCESS_CONTROL_ALLOW_ORIGIN),
        Some("*")
    );
    assert!(
        preflight
            .header(header::ACCESS_CONTROL_ALLOW_METHODS)
            .is_some_and(|m| m.contains("GET"))
    );
    let cross = call(
        &app,
        Method::GET,
        "/api/v1/categories",
        &[("origin", "https://reuser.example")],
    )
    .await;
    assert_eq!(cross.status, StatusCode::OK);
    assert_eq!(cross.header(header::ACCESS_CONTROL_ALLOW_ORIGIN), Some("*"));
    assert!(
        cross
            .header(header::ACCESS_CONTROL_EXPOSE_HEADERS)
            .is_some_and(|h| h.to_lowercase().contains("etag"))
    );

    // Errors: problem documents with a French detail, never cached.
    for (path, status, words) in [
        (
            "/api/v1/logiciels/inconnu",
            StatusCode::NOT_FOUND,
            "Aucun logiciel",
        ),
        (
            "/api/v1/collectivites/com-00000",
            StatusCode::NOT_FOUND,
            "Aucune collectivité",
        ),
        (
            "/api/v1/search?kind=canton",
            StatusCode::BAD_REQUEST,
            "kind",
        ),
        (
            "/api/v1/logiciels?per_page=1000",
            StatusCode::BAD_REQUEST,
            "per_page",
        ),
        (
            "/api/v1/logiciels?page=abc",
            StatusCode::BAD_REQUEST,
            "nombres",
        ),
        (
            "/api/v1/nulle-part",
            StatusCode::NOT_FOUND,
            "aucun point d'accès",
        ),
    ] {
        let answer = get_json(&app, path).await;
        assert_eq!(answer.status, status, "{path}");
        assert_eq!(
            answer.header(header::CONTENT_TYPE),
            Some("application/problem+json"),
            "{path}"
        );
        assert_eq!(
            answer.header(header::CACHE_CONTROL),
            Some("no-store"),
            "{path}"
        );
        let json = answer.json();
        assert_eq!(json["status"], status.as_u16());
        assert!(
            json["detail"].as_str().is_some_and(|d| d.contains(words)),
            "{path}: {json}"
        );
    }
    app.t.cleanup().await;
}

async fn the_rate_limit_answers_429_with_retry_after(backend: Backend) {
    let app = site(backend, &[("PAIRS_API_RATE_LIMIT", "5")]).await;
    let peer: std::net::SocketAddr = "203.0.113.7:40000".parse().expect("addr");
    let other: std::net::SocketAddr = "198.51.100.9:40000".parse().expect("addr");
    let from = |addr: std::net::SocketAddr| {
        let mut request = Request::get("/api/v1/categories")
            .body(Body::empty())
            .expect("request");
        request
            .extensions_mut()
            .insert(axum::extract::ConnectInfo(addr));
        app.router.clone().oneshot(request)
    };
    for i in 0..5 {
        let response = from(peer).await.expect("response");
        assert_eq!(response.status(), StatusCode::OK, "request {i}");
    }
    let refused = from(peer).await.expect("response");
    assert_eq!(refused.status(), StatusCode::TOO_MANY_REQUESTS);
    let wait: u64 = refused
        .headers()
        .get(header::RETRY_AFTER)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse().ok())
        .expect("Retry-After in seconds");
    assert!((1..=12).contains(&wait), "{wait}");
    assert_eq!(
        refused
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok()),
        Some("application/problem+json")
    );
    let body = refused
        .into_body()
        .collect()
        .await
        .expect("body")
        .to_bytes();
    assert!(String::from_utf8_lossy(&body).contains("Trop de requêtes"));
    let response = from(other).await.expect("response");
    assert_eq!(
        response.status(),
        StatusCode::OK,
        "another client is not refused"
    );
    // The same limit holds at every door to the same data: the open-data files and the
    // search server function refuse the client that used it up.
    let at = |method: &str, path: &str, addr: std::net::SocketAddr| {
        let mut request = Request::builder()
            .method(method)
            .uri(path)
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header("sec-fetch-site", "same-origin")
            .body(Body::from(if method == "POST" { "q=istres" } else { "" }))
            .expect("request");
        request
            .extensions_mut()
            .insert(axum::extract::ConnectInfo(addr));
        app.router.clone().oneshot(request)
    };
    for (method, path) in [
        ("GET", "/donnees/logiciels.csv"),
        ("GET", "/donnees/declarations.jsonl"),
        ("POST", "/api/search"),
    ] {
        let refused = at(method, path, peer).await.expect("response");
        assert_eq!(refused.status(), StatusCode::TOO_MANY_REQUESTS, "{path}");
        assert!(
            refused.headers().contains_key(header::RETRY_AFTER),
            "{path}"
        );
    }
    let file = at("GET", "/donnees/logiciels.csv", other)
        .await
        .expect("response");
    assert_eq!(
        file.status(),
        StatusCode::OK,
        "another client still reads the files"
    );
    // The site's pages are not rate limited by the API's limit.
    let page = app.get("/donnees", None).await;
    assert_eq!(page.status, StatusCode::OK);
    app.t.cleanup().await;
}

on_both_backends!(
    every_documented_endpoint_answers_as_its_schema_says,
    conditional_requests_cors_and_errors,
    the_rate_limit_answers_429_with_retry_after
);
