//! Accounts that never became members do not stay: unverified sign-ups after 7 days,
//! rejected requests after 30 days. Run by the background worker, so there is no cron to
//! set up; safe to run from several instances at once (each deletion is conditional).

use chrono::{DateTime, Duration, Utc};
use sea_orm::{ColumnTrait, Condition, DatabaseConnection, EntityTrait, QueryFilter};

use crate::entities::{session, user, user_token};
use crate::error::DomainResult;
use model::account::AccountStatus;

pub const UNVERIFIED_DAYS: i64 = 7;
pub const REJECTED_DAYS: i64 = 30;

/// Deletes the stale accounts as of `now`; returns how many went.
pub async fn purge_stale(db: &DatabaseConnection, now: DateTime<Utc>) -> DomainResult<u64> {
    let stale = Condition::any()
        .add(
            Condition::all()
                .add(user::Column::Status.eq(AccountStatus::Unverified))
                // From the last sign-up with that address (each one touches the row).
                .add(user::Column::UpdatedAt.lt(now - Duration::days(UNVERIFIED_DAYS))),
        )
        .add(
            Condition::all()
                .add(user::Column::Status.eq(AccountStatus::Rejected))
                .add(user::Column::UpdatedAt.lt(now - Duration::days(REJECTED_DAYS))),
        );
    let accounts = user::Entity::find().filter(stale.clone()).all(db).await?;
    let mut purged = 0;
    for account in accounts {
        let txn = crate::db::begin_write(db).await?;
        // Still stale inside the transaction: an account re-claimed or approved meanwhile
        // stays.
        let still = user::Entity::find()
            .filter(user::Column::Id.eq(account.id))
            .filter(stale.clone())
            .one(&txn)
            .await?;
        if still.is_none() {
            continue;
        }
        user_token::Entity::delete_many()
            .filter(user_token::Column::UserId.eq(account.id))
            .exec(&txn)
            .await?;
        session::Entity::delete_many()
            .filter(session::Column::UserId.eq(account.id))
            .exec(&txn)
            .await?;
        let deleted = user::Entity::delete_many()
            .filter(user::Column::Id.eq(account.id))
            .filter(stale.clone())
            .exec(&txn)
            .await?;
        if deleted.rows_affected == 1 {
            crate::audit::record(
                &txn,
                None,
                "account.purge",
                "user",
                &account.id.to_string(),
                None,
                None,
            )
            .await?;
            purged += 1;
        }
        txn.commit().await?;
    }
    Ok(purged)
}
