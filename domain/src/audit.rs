//! The append-only audit log of administrative and account actions. Rows hold ids and
//! the action, never personal data, so they survive account deletion.

use chrono::Utc;
use sea_orm::{ActiveModelTrait, ActiveValue::Set, ConnectionTrait, NotSet};

use crate::entities::audit_log;
use crate::error::DomainResult;

pub async fn record(
    db: &impl ConnectionTrait,
    actor_id: Option<i32>,
    action: &str,
    target_type: &str,
    target_id: &str,
    reason: Option<String>,
    ip: Option<String>,
) -> DomainResult<()> {
    audit_log::ActiveModel {
        id: NotSet,
        actor_id: Set(actor_id),
        action: Set(action.to_string()),
        target_type: Set(target_type.to_string()),
        target_id: Set(target_id.to_string()),
        reason: Set(reason),
        ip: Set(ip),
        created_at: Set(Utc::now()),
    }
    .insert(db)
    .await?;
    Ok(())
}
