//! The events of declarations: one row per change, written in the change's transaction so
//! an event exists exactly when its change does. An event names an authority and a tool,
//! never the person who made the change.

use chrono::{DateTime, Utc};
use sea_orm::{ActiveValue::Set, ConnectionTrait, EntityTrait, NotSet};

use crate::entities::declaration_event;
use crate::error::DomainResult;
use model::usage::UsageStatus;
use model::watch::EventKind;

/// What a change from `old` to `new` is (`None`: no declaration on that side).
pub fn kind_of(old: Option<UsageStatus>, new: Option<UsageStatus>) -> EventKind {
    match (old, new) {
        (_, None) => EventKind::Removed,
        (None, Some(UsageStatus::Abandoned)) => EventKind::Abandoned,
        (None, Some(_)) => EventKind::Adopted,
        (Some(a), Some(b)) if a == b => EventKind::Confirmed,
        (Some(_), Some(UsageStatus::Abandoned)) => EventKind::Abandoned,
        (Some(UsageStatus::Abandoned), Some(_)) => EventKind::Adopted,
        (Some(_), Some(_)) => EventKind::StatusChanged,
    }
}

/// Records that the declaration of `software_id` by `authority_id` went from `old` to
/// `new`, in the caller's transaction.
pub async fn record(
    txn: &impl ConnectionTrait,
    authority_id: i32,
    software_id: i32,
    old: Option<UsageStatus>,
    new: Option<UsageStatus>,
    at: DateTime<Utc>,
) -> DomainResult<()> {
    declaration_event::Entity::insert(declaration_event::ActiveModel {
        id: NotSet,
        authority_id: Set(authority_id),
        software_id: Set(software_id),
        kind: Set(kind_of(old, new)),
        old_status: Set(old),
        new_status: Set(new),
        at: Set(at),
    })
    .exec_without_returning(txn)
    .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use UsageStatus::*;

    #[test]
    fn each_change_has_its_kind() {
        assert_eq!(kind_of(None, Some(InUse)), EventKind::Adopted);
        assert_eq!(kind_of(None, Some(Planned)), EventKind::Adopted);
        assert_eq!(kind_of(None, Some(Abandoned)), EventKind::Abandoned);
        assert_eq!(kind_of(Some(InUse), Some(InUse)), EventKind::Confirmed);
        assert_eq!(kind_of(Some(InUse), Some(Abandoned)), EventKind::Abandoned);
        assert_eq!(
            kind_of(Some(Evaluating), Some(InUse)),
            EventKind::StatusChanged
        );
        assert_eq!(kind_of(Some(Abandoned), Some(InUse)), EventKind::Adopted);
        assert_eq!(kind_of(Some(InUse), None), EventKind::Removed);
    }
}
