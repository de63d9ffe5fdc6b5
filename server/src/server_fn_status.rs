//! Server-function answers say with their status what happened (400 malformed call, 401
//! not signed in, 403 not allowed, 404, 422 refused input, 429 too many, 500 only for a
//! real fault), since server_fn answers every error with 500; and a malformed call from a
//! plain form never puts its serialized error in the redirect's URL (`?__err=`): the
//! message goes to the flash, like every other refusal.

use axum::{
    body::{Body, to_bytes},
    extract::{Request, State},
    http::{HeaderValue, StatusCode, header},
    middleware::Next,
    response::Response,
};

/// Server-function error bodies are a few hundred bytes; anything larger is not one.
const ERROR_BODY_LIMIT: usize = 64 * 1024;

/// Whether a path is a server function's (`/api/<name>`), not the REST API's.
fn is_server_fn(path: &str) -> bool {
    path.starts_with("/api/") && !path.starts_with("/api/v1/") && path != "/api/v1"
}

/// `location` without the `__err` and `__path` parameters server_fn adds; whether it had one.
fn strip_error_params(location: &str) -> (String, bool) {
    let Some((path, query)) = location.split_once('?') else {
        return (location.to_string(), false);
    };
    let mut had_error = false;
    let kept: Vec<&str> = query
        .split('&')
        .filter(|pair| {
            let name = pair.split('=').next().unwrap_or_default();
            let drop = name == "__err" || name == "__path";
            had_error |= name == "__err";
            !drop
        })
        .collect();
    if kept.is_empty() {
        (path.to_string(), had_error)
    } else {
        (format!("{path}?{}", kept.join("&")), had_error)
    }
}

/// The path of a redirect target, absolute (the Referer server_fn sends back to) or not.
fn page_path(location: &str) -> String {
    let without_origin = match location.split_once("://") {
        Some((_, rest)) => rest.find('/').map_or("/", |at| &rest[at..]),
        None => location,
    };
    without_origin
        .split(['?', '#'])
        .next()
        .filter(|p| !p.is_empty())
        .unwrap_or("/")
        .to_string()
}

pub async fn answer_with_meaning(
    State(state): State<domain::AppState>,
    request: Request,
    next: Next,
) -> Response {
    if !is_server_fn(request.uri().path()) {
        return next.run(request).await;
    }
    let response = next.run(request).await;
    if response.status().is_redirection() {
        return without_error_in_url(&state, response).await;
    }
    if response.status() != StatusCode::INTERNAL_SERVER_ERROR {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let Ok(bytes) = to_bytes(body, ERROR_BODY_LIMIT).await else {
        return Response::from_parts(parts, Body::empty());
    };
    if let Ok(error) = serde_json::from_slice::<app::error::AppError>(&bytes)
        && let Ok(status) = StatusCode::from_u16(error.status())
    {
        parts.status = status;
    }
    Response::from_parts(parts, Body::from(bytes))
}

/// A plain form's malformed call: back to its page, the message in the flash.
async fn without_error_in_url(state: &domain::AppState, mut response: Response) -> Response {
    let Some(location) = response
        .headers()
        .get(header::LOCATION)
        .and_then(|v| v.to_str().ok())
        .map(str::to_string)
    else {
        return response;
    };
    let (clean, had_error) = strip_error_params(&location);
    if !had_error {
        return response;
    }
    let error = app::error::AppError::BadRequest.to_string();
    let path = page_path(&clean);
    let token = state
        .flash
        .put(domain::security::flash::Flash {
            path,
            error,
            values: Vec::new(),
        })
        .await;
    let headers = response.headers_mut();
    if let Ok(value) = HeaderValue::from_str(&clean) {
        headers.insert(header::LOCATION, value);
    }
    if let Ok(cookie) = HeaderValue::from_str(&domain::security::flash::cookie(
        &token,
        state.config.is_https(),
    )) {
        headers.append(header::SET_COOKIE, cookie);
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn error_parameters_leave_the_redirect() {
        assert_eq!(
            strip_error_params("/connexion?__path=%2Fapi%2Flogin&__err=eyJ4Ijp9"),
            ("/connexion".to_string(), true)
        );
        assert_eq!(
            strip_error_params("/recherche?q=glpi&__err=abc&page=2"),
            ("/recherche?q=glpi&page=2".to_string(), true)
        );
        assert_eq!(
            strip_error_params("/compte?info=ok"),
            ("/compte?info=ok".to_string(), false)
        );
    }

    #[test]
    fn the_flash_goes_to_the_page_path() {
        assert_eq!(page_path("http://pairs.test/connexion"), "/connexion");
        assert_eq!(page_path("https://pairs.test"), "/");
        assert_eq!(page_path("/recherche?q=x"), "/recherche");
        assert_eq!(page_path(""), "/");
    }

    #[test]
    fn only_server_functions_are_concerned() {
        assert!(is_server_fn("/api/login"));
        assert!(!is_server_fn("/api/v1/search"));
        assert!(!is_server_fn("/recherche"));
    }
}
