//! Queuing an email: a `jobs` row written in the caller's transaction, so the mail exists
//! exactly when the change that causes it is committed.

use sea_orm::ConnectionTrait;

use super::Email;
use crate::error::DomainResult;
use crate::jobs;

pub const JOB_KIND: &str = "mail";

pub async fn enqueue(db: &impl ConnectionTrait, email: &Email) -> DomainResult<()> {
    let payload = serde_json::to_string(email)
        .map_err(|e| crate::DomainError::Invalid(format!("mail payload: {e}")))?;
    jobs::enqueue(db, JOB_KIND, payload, None).await
}
