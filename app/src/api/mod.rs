//! Server functions, one module per area. Each checks its own inputs and authorization.

pub mod account;
pub mod admin;
pub mod authorities;
pub mod catalogue;
pub mod contact;
pub mod open_data;
pub mod registry;
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
impl From<domain::accounts::Status> for crate::dto::AccountStatusView {
    fn from(status: domain::accounts::Status) -> Self {
        use domain::accounts::Status;
        match status {
            Status::Unverified => Self::Unverified,
            Status::Pending => Self::Pending,
            Status::Approved => Self::Approved,
            Status::Rejected => Self::Rejected,
            Status::Suspended => Self::Suspended,
        }
    }
}

#[cfg(feature = "ssr")]
impl From<domain::accounts::Position> for crate::dto::PositionView {
    fn from(position: domain::accounts::Position) -> Self {
        match position {
            domain::accounts::Position::Elu => Self::Elu,
            domain::accounts::Position::Agent => Self::Agent,
        }
    }
}

#[cfg(feature = "ssr")]
impl From<domain::usages::UsageStatus> for crate::dto::UsageStatusView {
    fn from(status: domain::usages::UsageStatus) -> Self {
        use domain::usages::UsageStatus;
        match status {
            UsageStatus::InUse => Self::InUse,
            UsageStatus::Evaluating => Self::Evaluating,
            UsageStatus::Planned => Self::Planned,
            UsageStatus::Abandoned => Self::Abandoned,
        }
    }
}
