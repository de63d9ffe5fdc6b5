//! Member accounts: sign-up, email verification, approval, login sessions, password and
//! email changes, profile, export and deletion.

pub mod admin;
pub mod dashboard;
pub mod moderation;
pub mod personal_data;
pub mod profile;
pub mod profile_reports;
pub mod purge;
pub mod saved_filters;
pub mod sessions;
pub mod signup;
pub mod stewardship;
pub mod tokens;
pub mod validate;

use sea_orm::{ConnectionTrait, EntityTrait};

use crate::entities::user;
use crate::error::{DomainError, DomainResult};

/// Emails are compared and stored lower-cased and trimmed.
pub fn normalize_email(email: &str) -> String {
    email.trim().to_lowercase()
}

/// An account by id, or `NotFound`.
pub(crate) async fn load(db: &impl ConnectionTrait, id: i32) -> DomainResult<user::Model> {
    user::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(DomainError::NotFound)
}
