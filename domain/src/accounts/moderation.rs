//! Administrators moderating members: finding them, suspending and restoring. Each action
//! is journaled (with its reason) in the transaction that makes it, and mailed to the member.

use chrono::Utc;
use sea_orm::{
    ActiveModelTrait,
    ActiveValue::Set,
    ColumnTrait, Condition, ConnectionTrait, DatabaseConnection, EntityTrait, PaginatorTrait,
    QueryFilter, QueryOrder, QuerySelect,
    sea_query::{Expr, ExprTrait, Func},
};

use super::{sessions, validate};
use crate::actor::CurrentUser;
use crate::audit;
use crate::entities::{authority, user};
use crate::error::{DomainError, DomainResult};
use crate::mail::{outbox, templates};
use crate::permissions::{Action, require};
use model::account::AccountStatus;

pub const PAGE_SIZE: u64 = 30;

/// One member as administrators see them (they moderate, so they see the address).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MemberRow {
    pub id: i32,
    pub name: String,
    pub email: String,
    pub job_title: String,
    pub status: AccountStatus,
    pub is_admin: bool,
    pub authority_name: Option<String>,
    pub authority_public_id: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MemberPage {
    pub total: u64,
    pub rows: Vec<MemberRow>,
}

/// Members whose name, email or authority name contains `query` (any case), optionally of
/// one status, by name; page `page` (1-based).
pub async fn search(
    db: &DatabaseConnection,
    actor: &CurrentUser,
    query: &str,
    status: Option<AccountStatus>,
    page: u64,
) -> DomainResult<MemberPage> {
    require(actor, Action::Administer)?;
    let mut filter = Condition::all();
    let query = query.trim();
    if !query.is_empty() {
        let folded = crate::text::fold(query);
        let authorities: Vec<i32> = authority::Entity::find()
            .select_only()
            .column(authority::Column::Id)
            .filter(authority::Column::SearchName.like(crate::sql::contains(&folded)))
            .limit(500)
            .into_tuple()
            .all(db)
            .await?;
        let lowered = query.to_lowercase();
        let lower = |col: user::Column| {
            Expr::expr(Func::lower(Expr::col(col))).like(crate::sql::contains(&lowered))
        };
        filter = filter.add(
            Condition::any()
                .add(user::Column::Email.like(crate::sql::contains(&lowered)))
                .add(lower(user::Column::LastName))
                .add(lower(user::Column::FirstName))
                .add(user::Column::AuthorityId.is_in(authorities)),
        );
    }
    if let Some(status) = status {
        filter = filter.add(user::Column::Status.eq(status));
    }
    let found = user::Entity::find()
        .filter(filter)
        .order_by_asc(user::Column::LastName)
        .order_by_asc(user::Column::Id);
    let total = found.clone().count(db).await?;
    let users = found
        .find_also_related(authority::Entity)
        .offset((Ord::max(page, 1) - 1) * PAGE_SIZE)
        .limit(PAGE_SIZE)
        .all(db)
        .await?;
    Ok(MemberPage {
        total,
        rows: users
            .into_iter()
            .map(|(u, a)| MemberRow {
                id: u.id,
                name: format!("{} {}", u.first_name, u.last_name),
                email: u.email,
                job_title: u.job_title,
                status: u.status,
                is_admin: u.is_admin,
                authority_public_id: a.as_ref().map(|a| a.public_id.clone()),
                authority_name: a.map(|a| a.name),
            })
            .collect(),
    })
}

/// Approved administrators: the last one can be neither suspended, demoted nor deleted.
/// Active administrators, counted under the administrators' lock (inside the caller's
/// write transaction): two administrators demoting, suspending or deleting each other at
/// once count one after the other, so the last one always stays.
pub(crate) async fn active_admins(db: &impl ConnectionTrait) -> DomainResult<u64> {
    crate::db::lock_subjects(db, crate::db::LockClass::Administrators, &[0]).await?;
    Ok(user::Entity::find()
        .filter(user::Column::IsAdmin.eq(true))
        .filter(user::Column::Status.eq(AccountStatus::Approved))
        .count(db)
        .await?)
}

/// Suspends an approved member: every session ends at once; they cannot sign in, write, or
/// appear as referent or contactable member until restored.
pub async fn suspend(
    db: &DatabaseConnection,
    actor: &CurrentUser,
    id: i32,
    reason: &str,
    ip: Option<String>,
) -> DomainResult<()> {
    require(actor, Action::Administer)?;
    let txn = crate::db::begin_write(db).await?;
    suspend_in(&txn, actor, id, reason, ip).await?;
    txn.commit().await?;
    Ok(())
}

/// The suspension itself, inside the caller's transaction (a report's decision suspends its
/// sender together with closing the report).
pub(crate) async fn suspend_in(
    txn: &impl ConnectionTrait,
    actor: &CurrentUser,
    id: i32,
    reason: &str,
    ip: Option<String>,
) -> DomainResult<()> {
    require(actor, Action::Administer)?;
    let reason = validate::text(reason, "Motif de la suspension", 1000)?;
    if id == actor.id {
        return Err(DomainError::Invalid(
            "Vous ne pouvez pas suspendre votre propre compte.".into(),
        ));
    }
    let account = super::load(txn, id).await?;
    if account.status != AccountStatus::Approved {
        return Err(DomainError::Invalid(
            "Seul un compte validé peut être suspendu.".into(),
        ));
    }
    if account.is_admin && active_admins(txn).await? <= 1 {
        return Err(DomainError::Invalid(
            "C'est le dernier administrateur actif : il ne peut pas être suspendu.".into(),
        ));
    }
    set_status(txn, &account, AccountStatus::Suspended).await?;
    sessions::close_all(txn, id).await?;
    // No link mailed before works, and no request of theirs still in the queue leaves.
    super::tokens::revoke_every(txn, id).await?;
    crate::contact::history::withdraw_pending_from(txn, id).await?;
    audit::record(
        txn,
        Some(actor.id),
        "member.suspend",
        "user",
        &id.to_string(),
        Some(reason.clone()),
        ip,
    )
    .await?;
    outbox::enqueue(
        txn,
        &templates::suspended(&account.email, &account.first_name, &reason),
    )
    .await?;
    Ok(())
}

/// Restores a suspended member.
pub async fn restore(
    db: &DatabaseConnection,
    actor: &CurrentUser,
    id: i32,
    reason: &str,
    ip: Option<String>,
) -> DomainResult<()> {
    require(actor, Action::Administer)?;
    let reason = validate::text(reason, "Motif du rétablissement", 1000)?;
    let txn = crate::db::begin_write(db).await?;
    let account = super::load(&txn, id).await?;
    if account.status != AccountStatus::Suspended {
        return Err(DomainError::Invalid("Ce compte n'est pas suspendu.".into()));
    }
    set_status(&txn, &account, AccountStatus::Approved).await?;
    audit::record(
        &txn,
        Some(actor.id),
        "member.restore",
        "user",
        &id.to_string(),
        Some(reason),
        ip,
    )
    .await?;
    outbox::enqueue(
        &txn,
        &templates::restored(&account.email, &account.first_name),
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

async fn set_status(
    db: &impl ConnectionTrait,
    account: &user::Model,
    status: AccountStatus,
) -> DomainResult<()> {
    let mut active: user::ActiveModel = account.clone().into();
    active.status = Set(status);
    active.updated_at = Set(Utc::now());
    active.update(db).await?;
    // Contactable members are counted in the authority's search document.
    if let Some(authority) = account.authority_id {
        crate::search::sync::enqueue_authority(db, authority).await?;
    }
    Ok(())
}
