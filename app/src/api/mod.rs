//! Server functions, one module per area. Each checks its own inputs and authorization.

pub mod account;
pub mod admin;
pub mod authorities;
pub mod catalogue;
pub mod contact;
pub mod open_data;
pub mod peers;
pub mod question;
pub mod registry;
pub mod reviews;
pub mod search;
#[cfg(feature = "ssr")]
pub mod session;
pub mod statistics;
pub mod usages;
pub mod watch;

#[cfg(feature = "ssr")]
pub(crate) fn state() -> Result<domain::AppState, crate::error::AppError> {
    leptos::prelude::use_context::<domain::AppState>().ok_or_else(|| {
        tracing::error!("AppState missing from the server function context");
        crate::error::AppError::Internal
    })
}
