//! The error type server functions return. Opaque by design: internal details are
//! logged on the server and never sent to the browser.

use leptos::server_fn::{
    codec::JsonEncoding,
    error::{FromServerFnError, ServerFnErrorErr},
};
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum AppError {
    #[error("Cette page est introuvable.")]
    NotFound,
    #[error("{0}")]
    Invalid(String),
    #[error("Le service est momentanément indisponible. Réessayez dans un instant.")]
    Internal,
    #[error("Le serveur n'a pas pu être joint. Vérifiez votre connexion et réessayez.")]
    Network,
    #[error("Connectez-vous pour continuer.")]
    Unauthorized,
    #[error("Vous n'avez pas accès à cette page.")]
    Forbidden,
    /// Not allowed, with the reason the member reads (« votre compte doit être validé »):
    /// a 403 that a form shows like a refusal, on its page.
    #[error("{0}")]
    Denied(String),
    #[error("Trop de tentatives. Réessayez dans {} minute(s).", .0.div_ceil(60))]
    Throttled(u64),
    /// The call itself is malformed (a field missing, of the wrong type): not a fault of
    /// the server, and nothing a person typed in a form of the site.
    #[error("La demande est incomplète ou mal formée : rechargez la page puis réessayez.")]
    BadRequest,
}

impl AppError {
    /// The HTTP status that says what happened: 500 only for a real fault.
    pub fn status(&self) -> u16 {
        match self {
            Self::BadRequest => 400,
            Self::Unauthorized => 401,
            Self::Forbidden | Self::Denied(_) => 403,
            Self::NotFound => 404,
            Self::Invalid(_) => 422,
            Self::Throttled(_) => 429,
            Self::Internal => 500,
            Self::Network => 502,
        }
    }
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        match value {
            ServerFnErrorErr::Request(_) | ServerFnErrorErr::Response(_) => Self::Network,
            ServerFnErrorErr::Args(_)
            | ServerFnErrorErr::MissingArg(_)
            | ServerFnErrorErr::Deserialization(_)
            | ServerFnErrorErr::UnsupportedRequestMethod(_) => Self::BadRequest,
            _ => Self::Internal,
        }
    }
}

#[cfg(feature = "ssr")]
impl From<domain::DomainError> for AppError {
    fn from(err: domain::DomainError) -> Self {
        match err {
            domain::DomainError::NotFound => Self::NotFound,
            domain::DomainError::Invalid(msg) => Self::Invalid(msg),
            domain::DomainError::Forbidden => Self::Forbidden,
            domain::DomainError::Denied(reason) => Self::Denied(reason.into()),
            domain::DomainError::Throttled(s) => Self::Throttled(s),
            other => {
                tracing::error!(error = %other, "server function failed");
                Self::Internal
            }
        }
    }
}
