//! HTTP-level protections: the cross-site request check in front of every state-changing
//! request, and the security headers of every response.

use axum::{
    body::Body,
    extract::{Request, State},
    http::{HeaderMap, HeaderValue, Method, StatusCode, header},
    middleware::Next,
    response::{IntoResponse, Response},
};

/// Rejects non-GET requests that a browser marks as cross-site (Fetch Metadata), or whose
/// Origin is not this site. Leptos server functions have no CSRF protection of their own.
pub async fn same_origin_only(
    State(public_url): State<String>,
    request: Request,
    next: Next,
) -> Response {
    if is_safe_method(request.method())
        || request.uri().path() == crate::watch::ONE_CLICK
        || is_same_origin(request.headers(), &public_url)
    {
        next.run(request).await
    } else {
        tracing::warn!(path = %request.uri().path(), "cross-site request refused");
        (
            StatusCode::FORBIDDEN,
            [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
            "Requête refusée : elle ne provient pas de ce site.",
        )
            .into_response()
    }
}

fn is_safe_method(method: &Method) -> bool {
    matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS)
}

fn is_same_origin(headers: &HeaderMap, public_url: &str) -> bool {
    if let Some(site) = headers.get("sec-fetch-site").and_then(|v| v.to_str().ok()) {
        // "none" is a user-initiated navigation (typed URL, bookmark).
        return matches!(site, "same-origin" | "none");
    }
    match headers.get(header::ORIGIN).and_then(|v| v.to_str().ok()) {
        Some(origin) => {
            let host = headers.get(header::HOST).and_then(|v| v.to_str().ok());
            origin == public_url
                || host.is_some_and(|h| {
                    origin == format!("http://{h}") || origin == format!("https://{h}")
                })
        }
        // Neither header: not a browser (curl, tests, server-to-server).
        None => true,
    }
}

/// The Content-Security-Policy of a response whose inline scripts (Leptos' hydration
/// script and streamed resource data) carry `nonce`: no `'unsafe-inline'` at all (the pages
/// carry no inline style; everything is in the stylesheet).
fn csp(nonce: &str) -> String {
    format!(
        "default-src 'self'; script-src 'self' 'nonce-{nonce}' 'wasm-unsafe-eval'; \
style-src 'self'; img-src 'self' data:; connect-src 'self'; object-src 'none'; \
frame-ancestors 'none'; base-uri 'self'; form-action 'self'"
    )
}

/// This response's script nonce, generated for each request by `security_headers` and
/// handed to Leptos (see `router::build`), which puts it on every script it writes.
#[derive(Clone, Debug)]
pub struct CspNonce(pub String);

/// (members-only page, request from a signed-in browser): pages for a signed-in member hold
/// their profile in the markup and hydration data, so no cache may keep them.
/// Pages opened from an emailed link hold a live token in their URL and markup, signed in
/// or not.
const TOKEN_PAGES: [&str; 4] = [
    "/verifier",
    "/reinitialiser",
    "/confirmer-adresse",
    "/supprimer-mes-donnees",
];

fn carries_personal_data(request: &Request<Body>) -> (bool, bool) {
    let path = request.uri().path();
    let members_only = path == "/compte"
        || path.starts_with("/compte/")
        || path.starts_with("/admin")
        || path.starts_with("/contact/")
        || TOKEN_PAGES.contains(&path);
    let signed_in = request
        .headers()
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .any(|v| v.contains("pairs_session="));
    (members_only, signed_in)
}

/// Adds the security headers (HSTS only when the site is served over https), and
/// `Cache-Control: private, no-store` on anything carrying personal data.
pub async fn security_headers(
    State(https): State<bool>,
    mut request: Request<Body>,
    next: Next,
) -> Response {
    let personal = carries_personal_data(&request);
    let (nonce, _) = domain::security::token::generate();
    request.extensions_mut().insert(CspNonce(nonce.clone()));
    let mut response = next.run(request).await;
    let is_html = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"));
    let headers = response.headers_mut();
    if personal.0 || (personal.1 && is_html) {
        headers.insert(
            header::CACHE_CONTROL,
            HeaderValue::from_static("private, no-store"),
        );
    }
    if let Ok(policy) = HeaderValue::from_str(&csp(&nonce)) {
        headers
            .entry(header::CONTENT_SECURITY_POLICY)
            .or_insert(policy);
    }
    let mut set = |name: header::HeaderName, value: &'static str| {
        headers
            .entry(name)
            .or_insert(HeaderValue::from_static(value));
    };
    set(header::X_CONTENT_TYPE_OPTIONS, "nosniff");
    set(header::REFERRER_POLICY, "same-origin");
    set(header::X_FRAME_OPTIONS, "DENY");
    if https {
        set(
            header::STRICT_TRANSPORT_SECURITY,
            "max-age=31536000; includeSubDomains",
        );
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.insert(*k, HeaderValue::from_static(v));
        }
        h
    }

    #[test]
    fn classifies_origins() {
        let site = "http://127.0.0.1:3000";
        assert!(is_same_origin(
            &headers(&[("sec-fetch-site", "same-origin")]),
            site
        ));
        assert!(!is_same_origin(
            &headers(&[("sec-fetch-site", "cross-site")]),
            site
        ));
        assert!(!is_same_origin(
            &headers(&[("sec-fetch-site", "same-site")]),
            site
        ));
        assert!(is_same_origin(
            &headers(&[("origin", "http://127.0.0.1:3000")]),
            site
        ));
        assert!(!is_same_origin(
            &headers(&[("origin", "https://evil.example")]),
            site
        ));
        assert!(is_same_origin(
            &headers(&[
                ("origin", "http://localhost:4000"),
                ("host", "localhost:4000")
            ]),
            site
        ));
        assert!(is_same_origin(&headers(&[]), site));
    }
}
