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

use crate::entities::user;

pub use crate::entities::user::{AccountStatus as Status, Position};

/// The signed-in member, as the edge needs it (no password hash).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CurrentUser {
    pub id: i32,
    pub email: String,
    pub first_name: String,
    pub last_name: String,
    pub position: Position,
    pub job_title: String,
    pub phone: Option<String>,
    pub authority_id: Option<i32>,
    pub status: Status,
    pub is_admin: bool,
    pub visible: bool,
    pub accepts_contact: bool,
}

impl CurrentUser {
    pub fn is_approved(&self) -> bool {
        self.status == Status::Approved
    }
}

impl From<&user::Model> for CurrentUser {
    fn from(m: &user::Model) -> Self {
        Self {
            id: m.id,
            email: m.email.clone(),
            first_name: m.first_name.clone(),
            last_name: m.last_name.clone(),
            position: m.position,
            job_title: m.job_title.clone(),
            phone: m.phone.clone(),
            authority_id: m.authority_id,
            status: m.status,
            is_admin: m.is_admin,
            visible: m.visible,
            accepts_contact: m.accepts_contact,
        }
    }
}

/// Emails are compared and stored lower-cased and trimmed.
pub fn normalize_email(email: &str) -> String {
    email.trim().to_lowercase()
}
