//! Who is calling: the signed-in member as permissions (`crate::permissions`) and every
//! operation see them. Beside the permissions, below the features that take it.

use crate::entities::user;

use model::account::{AccountStatus, Position};

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
    pub status: AccountStatus,
    pub is_admin: bool,
    pub visible: bool,
    pub accepts_contact: bool,
}

impl CurrentUser {
    pub fn is_approved(&self) -> bool {
        self.status == AccountStatus::Approved
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
