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

#[cfg(feature = "ssr")]
pub(crate) fn state() -> Result<domain::AppState, crate::error::AppError> {
    leptos::prelude::use_context::<domain::AppState>().ok_or_else(|| {
        tracing::error!("AppState missing from the server function context");
        crate::error::AppError::Internal
    })
}

#[cfg(feature = "ssr")]
impl From<domain::entities::user::AccountStatus> for crate::dto::AccountStatusView {
    fn from(status: domain::entities::user::AccountStatus) -> Self {
        use domain::entities::user::AccountStatus;
        match status {
            AccountStatus::Unverified => Self::Unverified,
            AccountStatus::Pending => Self::Pending,
            AccountStatus::Approved => Self::Approved,
            AccountStatus::Rejected => Self::Rejected,
            AccountStatus::Suspended => Self::Suspended,
        }
    }
}

#[cfg(feature = "ssr")]
impl From<domain::entities::user::Position> for crate::dto::PositionView {
    fn from(position: domain::entities::user::Position) -> Self {
        match position {
            domain::entities::user::Position::Elu => Self::Elu,
            domain::entities::user::Position::Agent => Self::Agent,
        }
    }
}

#[cfg(feature = "ssr")]
impl From<domain::entities::usage::UsageStatus> for crate::dto::UsageStatusView {
    fn from(status: domain::entities::usage::UsageStatus) -> Self {
        use domain::entities::usage::UsageStatus;
        match status {
            UsageStatus::InUse => Self::InUse,
            UsageStatus::Evaluating => Self::Evaluating,
            UsageStatus::Planned => Self::Planned,
            UsageStatus::Abandoned => Self::Abandoned,
        }
    }
}
