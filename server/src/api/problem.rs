//! Errors of the public API as `application/problem+json` (RFC 9457), with a French
//! `detail` a person can act on.

use axum::{
    http::{HeaderValue, StatusCode, header},
    response::{IntoResponse, Response},
};
use domain::error::DomainError;
use domain::search::SearchError;
use serde::Serialize;
use utoipa::ToSchema;

/// An error, as RFC 9457 describes it.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct Problem {
    /// Always `about:blank`: the status says what kind of error it is.
    #[serde(rename = "type")]
    pub kind: String,
    /// The status' usual phrase.
    pub title: String,
    pub status: u16,
    /// What went wrong, in French.
    pub detail: String,
}

impl Problem {
    pub fn new(status: StatusCode, detail: impl Into<String>) -> Self {
        Self {
            kind: "about:blank".into(),
            title: status.canonical_reason().unwrap_or("Error").into(),
            status: status.as_u16(),
            detail: detail.into(),
        }
    }

    pub fn bad_request(detail: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, detail)
    }

    pub fn not_found(detail: impl Into<String>) -> Self {
        Self::new(StatusCode::NOT_FOUND, detail)
    }

    /// A failure of ours: logged with its cause, told to the client without it.
    pub fn unavailable(what: &str, err: &dyn std::fmt::Display) -> Self {
        tracing::error!(error = %err, "{what}");
        Self::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "Le service est momentanément indisponible. Réessayez dans un instant.",
        )
    }
}

impl IntoResponse for Problem {
    fn into_response(self) -> Response {
        let status = StatusCode::from_u16(self.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let body = serde_json::to_string(&self).unwrap_or_default();
        let mut response = (status, body).into_response();
        let headers = response.headers_mut();
        headers.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/problem+json"),
        );
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
        response
    }
}

/// A domain error as the API tells it, by the one policy of `domain::error`: a refusal with
/// its French words, access errors as fixed sentences, every internal failure logged and
/// told as « momentanément indisponible ».
impl From<DomainError> for Problem {
    fn from(err: DomainError) -> Self {
        match err {
            DomainError::Invalid(message) => Self::bad_request(message),
            DomainError::NotFound => Self::not_found("Cette ressource n'existe pas."),
            DomainError::Forbidden => Self::new(
                StatusCode::FORBIDDEN,
                "Cette ressource n'est pas accessible.",
            ),
            DomainError::Denied(reason) => Self::new(StatusCode::FORBIDDEN, reason),
            DomainError::Throttled(seconds) => Self::new(
                StatusCode::TOO_MANY_REQUESTS,
                format!("Trop de requêtes. Réessayez dans {seconds} s."),
            ),
            internal => Self::unavailable("api request failed", &internal),
        }
    }
}

/// A search engine error: always ours (the parameters are checked before the search).
impl From<SearchError> for Problem {
    fn from(err: SearchError) -> Self {
        Self::unavailable("search failed", &err)
    }
}

/// The answer of a path under `/api/v1/` that does not exist.
pub async fn no_such_endpoint() -> Problem {
    Problem::not_found(
        "Cette adresse ne correspond à aucun point d'accès de l'API. La liste est sur /api.",
    )
}
