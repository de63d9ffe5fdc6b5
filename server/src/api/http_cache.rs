//! `ETag` and `Cache-Control` on every API answer: a successful body is hashed, and a
//! client that already holds that version gets `304 Not Modified` with no body. The tag
//! is weak (`W/`), since the compression layer may re-encode the same content.

use axum::{
    body::{Body, to_bytes},
    extract::Request,
    http::{HeaderMap, HeaderValue, Method, StatusCode, header},
    middleware::Next,
    response::{IntoResponse, Response},
};
use sha2::{Digest, Sha256};

/// How long a shared cache or a browser may reuse an answer without asking again.
pub const MAX_AGE: &str = "public, max-age=60";
/// The largest body hashed (the API's largest answers are a few hundred kilobytes).
const LARGEST_BODY: usize = 32 * 1024 * 1024;

pub fn etag_of(body: &[u8]) -> String {
    let digest = Sha256::digest(body);
    let hex: String = digest[..12].iter().map(|b| format!("{b:02x}")).collect();
    format!("W/\"{hex}\"")
}

/// Whether `If-None-Match` names this tag (weak comparison, `*` included).
pub fn matches(headers: &HeaderMap, etag: &str) -> bool {
    let bare = |t: &str| t.trim().trim_start_matches("W/").to_string();
    headers
        .get_all(header::IF_NONE_MATCH)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .any(|t| t.trim() == "*" || bare(t) == bare(etag))
}

pub async fn etag(request: Request, next: Next) -> Response {
    let cacheable = matches!(*request.method(), Method::GET | Method::HEAD);
    // Only the condition is kept, not every header of every request.
    let mut conditions = HeaderMap::new();
    for value in request.headers().get_all(header::IF_NONE_MATCH) {
        conditions.append(header::IF_NONE_MATCH, value.clone());
    }
    let response = next.run(request).await;
    if !cacheable || response.status() != StatusCode::OK {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let bytes = match to_bytes(body, LARGEST_BODY).await {
        Ok(bytes) => bytes,
        Err(err) => {
            tracing::error!(error = %err, "API body could not be read for its ETag");
            return StatusCode::INTERNAL_SERVER_ERROR.into_response();
        }
    };
    let tag = etag_of(&bytes);
    let Ok(value) = HeaderValue::from_str(&tag) else {
        return Response::from_parts(parts, Body::from(bytes));
    };
    parts.headers.insert(header::ETAG, value.clone());
    parts
        .headers
        .entry(header::CACHE_CONTROL)
        .or_insert(HeaderValue::from_static(MAX_AGE));
    if matches(&conditions, &tag) {
        let mut not_modified = StatusCode::NOT_MODIFIED.into_response();
        for name in [header::ETAG, header::CACHE_CONTROL, header::VARY] {
            if let Some(v) = parts.headers.get(&name) {
                not_modified.headers_mut().insert(name, v.clone());
            }
        }
        return not_modified;
    }
    Response::from_parts(parts, Body::from(bytes))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn compares_tags_weakly() {
        let tag = etag_of(b"{}");
        assert!(tag.starts_with("W/\"") && tag.len() == 28);
        assert_ne!(tag, etag_of(b"{ }"));
        let mut h = HeaderMap::new();
        assert!(!matches(&h, &tag));
        h.insert(
            header::IF_NONE_MATCH,
            HeaderValue::from_str(&format!("\"x\", {}", tag.trim_start_matches("W/")))
                .expect("header"),
        );
        assert!(matches(&h, &tag));
        h.insert(header::IF_NONE_MATCH, HeaderValue::from_static("\"other\""));
        assert!(!matches(&h, &tag));
        h.insert(header::IF_NONE_MATCH, HeaderValue::from_static("*"));
        assert!(matches(&h, &tag));
    }
}
