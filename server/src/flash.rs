//! Error messages travel in redirects as `?erreur=…&sceau=…` (see `app::api::session::finish`).
//! A page request carrying an `erreur` without its right seal is sent to the same address
//! without it: a crafted link cannot make Pairs display words it never said.

use axum::{
    extract::{Request, State},
    http::{HeaderValue, Method, StatusCode, header},
    middleware::Next,
    response::{IntoResponse, Response},
};

pub async fn strip_unsealed_errors(
    State(state): State<domain::AppState>,
    request: Request,
    next: Next,
) -> Response {
    let query = request.uri().query().unwrap_or_default();
    if request.method() != Method::GET || !query.contains("erreur=") {
        return next.run(request).await;
    }
    let pairs: Vec<(String, String)> = url_pairs(query);
    let value = |key: &str| {
        pairs
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
            .unwrap_or_default()
    };
    let sealed =
        domain::security::secrets::message_is_sealed(&state.db, value("erreur"), value("sceau"))
            .await
            .unwrap_or(false);
    if sealed {
        return next.run(request).await;
    }
    let kept: Vec<(&str, &str)> = pairs
        .iter()
        .filter(|(k, _)| k != "erreur" && k != "sceau")
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    let target = app::format::with_query(request.uri().path(), &kept);
    match HeaderValue::from_str(&target) {
        Ok(location) => (StatusCode::FOUND, [(header::LOCATION, location)]).into_response(),
        Err(_) => next.run(request).await,
    }
}

/// The decoded `key=value` pairs of a query string (`+` is a space).
fn url_pairs(query: &str) -> Vec<(String, String)> {
    query
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (k, v) = p.split_once('=').unwrap_or((p, ""));
            (decode(k), decode(v))
        })
        .collect()
}

fn decode(text: &str) -> String {
    let bytes = text.replace('+', " ").into_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && let Some(b) = bytes
                .get(i + 1..i + 3)
                .and_then(|h| std::str::from_utf8(h).ok())
                .and_then(|h| u8::from_str_radix(h, 16).ok())
        {
            out.push(b);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::url_pairs;

    #[test]
    fn queries_are_decoded() {
        assert_eq!(
            url_pairs("erreur=Trop+de+tentatives%C2%A0%21&retour=%2Fcompte&x"),
            vec![
                (
                    "erreur".to_string(),
                    "Trop de tentatives\u{a0}!".to_string()
                ),
                ("retour".to_string(), "/compte".to_string()),
                ("x".to_string(), String::new()),
            ]
        );
    }
}
