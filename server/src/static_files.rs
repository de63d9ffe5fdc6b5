//! The built site's files under `/pkg/`: content-hashed names (cargo-leptos `hash-files`,
//! listed in `hash.txt` beside the binary) may be kept a year by any cache, since a new
//! build has new names; gzip and brotli copies written at build time (`--precompress`) are
//! served as they are, so nothing is compressed per request.

use axum::{
    extract::Request,
    http::{HeaderValue, header},
    middleware::Next,
    response::Response,
};

/// Cache policy of a file whose name carries its content's hash.
pub const IMMUTABLE: &str = "public, max-age=31536000, immutable";

/// Whether a `/pkg/` path names a hashed build output: `name.HASH.ext`, the hash being
/// cargo-leptos' 22 characters of URL-safe base64.
pub fn is_hashed(path: &str) -> bool {
    let Some(file) = path.strip_prefix("/pkg/") else {
        return false;
    };
    let parts: Vec<&str> = file.split('.').collect();
    parts.len() >= 3
        && parts.iter().skip(1).any(|p| {
            p.len() == 22
                && p.chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        })
}

/// Whether the binary was built with hashed file names: its `hash.txt` is beside it.
pub fn hash_file_beside_binary(name: &str) -> bool {
    std::env::current_exe()
        .ok()
        .and_then(|exe| exe.parent().map(|dir| dir.join(name)))
        .is_some_and(|path| path.exists())
}

/// Adds the long-lived cache policy to successful answers for hashed files.
pub async fn cache_hashed(request: Request, next: Next) -> Response {
    let hashed = is_hashed(request.uri().path());
    let mut response = next.run(request).await;
    if hashed && response.status().is_success() {
        response
            .headers_mut()
            .insert(header::CACHE_CONTROL, HeaderValue::from_static(IMMUTABLE));
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recognises_hashed_names() {
        assert!(is_hashed("/pkg/pairs.dzqikpXANcjl7RHagkdmDw.wasm"));
        assert!(is_hashed("/pkg/pairs.-ydlxZdZ89VWtn4bjsKVUw.css"));
        assert!(!is_hashed("/pkg/pairs.wasm"));
        assert!(!is_hashed("/pkg/pairs.css"));
        assert!(!is_hashed("/favicon.svg"));
        assert!(!is_hashed("/donnees/declarations.csv"));
    }
}
