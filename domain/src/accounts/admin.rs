//! Administrators: creation from the CLI, the queue of pending members, approval and
//! rejection. Every action is written to the audit log in the same transaction.

use chrono::Utc;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection,
    EntityTrait, NotSet, QueryFilter, QueryOrder,
};

use super::{signup::find_user_by_email, validate};
use crate::actor::CurrentUser;
use crate::audit;
use crate::entities::{authority, user};
use crate::error::{DomainError, DomainResult};
use crate::mail::{outbox, templates};
use crate::security::password;
use model::account::AccountStatus;
use model::account::Position;

/// Creates an approved administrator, or promotes an existing account (its password is
/// replaced by the given one). Returns true when the account was created.
pub async fn create_admin(
    db: &DatabaseConnection,
    email: &str,
    password_plain: &str,
) -> DomainResult<bool> {
    let email = validate::email(email)?;
    validate::password(password_plain)?;
    let hash = password::hash(password_plain.to_string()).await?;
    let now = Utc::now();
    let txn = crate::db::begin_write(db).await?;
    let created = match find_user_by_email(&txn, &email).await? {
        Some(existing) => {
            let mut active: user::ActiveModel = existing.clone().into();
            active.is_admin = Set(true);
            active.status = Set(AccountStatus::Approved);
            active.password_hash = Set(hash);
            active.email_verified_at = Set(existing.email_verified_at.or(Some(now)));
            active.approved_at = Set(existing.approved_at.or(Some(now)));
            active.updated_at = Set(now);
            active.update(&txn).await?;
            audit::record(
                &txn,
                None,
                "admin.promote",
                "user",
                &existing.id.to_string(),
                None,
                None,
            )
            .await?;
            false
        }
        None => {
            let created = user::ActiveModel {
                id: NotSet,
                email: Set(email.clone()),
                password_hash: Set(hash),
                first_name: Set("Administrateur".into()),
                last_name: Set("Pairs".into()),
                position: Set(Position::Agent),
                job_title: Set("Administrateur du réseau".into()),
                phone: Set(None),
                authority_id: Set(None),
                status: Set(AccountStatus::Approved),
                is_admin: Set(true),
                visible: Set(false),
                accepts_contact: Set(false),
                rejection_reason: Set(None),
                email_verified_at: Set(Some(now)),
                approved_at: Set(Some(now)),
                created_at: Set(now),
                updated_at: Set(now),
                ..Default::default()
            }
            .insert(&txn)
            .await?;
            audit::record(
                &txn,
                None,
                "admin.create",
                "user",
                &created.id.to_string(),
                None,
                None,
            )
            .await?;
            true
        }
    };
    txn.commit().await?;
    Ok(created)
}

/// One account waiting for approval, with its authority.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PendingMember {
    pub id: i32,
    pub first_name: String,
    pub last_name: String,
    pub email: String,
    pub position: Position,
    pub job_title: String,
    pub authority_name: Option<String>,
    pub authority_public_id: Option<String>,
    pub created_at: chrono::DateTime<Utc>,
}

fn require_admin(actor: &CurrentUser) -> DomainResult<()> {
    crate::permissions::require(actor, crate::permissions::Action::Administer)
}

pub async fn pending_members(
    db: &DatabaseConnection,
    actor: &CurrentUser,
) -> DomainResult<Vec<PendingMember>> {
    require_admin(actor)?;
    let users = user::Entity::find()
        .filter(user::Column::Status.eq(AccountStatus::Pending))
        .order_by_asc(user::Column::CreatedAt)
        .order_by_asc(user::Column::Id)
        .all(db)
        .await?;
    let mut out = Vec::with_capacity(users.len());
    for u in users {
        let authority = match u.authority_id {
            Some(id) => authority::Entity::find_by_id(id).one(db).await?,
            None => None,
        };
        out.push(PendingMember {
            id: u.id,
            first_name: u.first_name,
            last_name: u.last_name,
            email: u.email,
            position: u.position,
            job_title: u.job_title,
            authority_name: authority.as_ref().map(|a| a.name.clone()),
            authority_public_id: authority.map(|a| a.public_id),
            created_at: u.created_at,
        });
    }
    Ok(out)
}

async fn pending(db: &impl ConnectionTrait, id: i32) -> DomainResult<user::Model> {
    let account = user::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(DomainError::NotFound)?;
    if account.status != AccountStatus::Pending {
        return Err(DomainError::Invalid(
            "Ce compte n'est plus en attente de validation.".into(),
        ));
    }
    Ok(account)
}

pub async fn approve(
    db: &DatabaseConnection,
    actor: &CurrentUser,
    id: i32,
    ip: Option<String>,
    public_url: &str,
) -> DomainResult<()> {
    require_admin(actor)?;
    let txn = crate::db::begin_write(db).await?;
    let account = pending(&txn, id).await?;
    let mut active: user::ActiveModel = account.clone().into();
    active.status = Set(AccountStatus::Approved);
    active.approved_at = Set(Some(Utc::now()));
    active.updated_at = Set(Utc::now());
    active.update(&txn).await?;
    audit::record(
        &txn,
        Some(actor.id),
        "member.approve",
        "user",
        &id.to_string(),
        None,
        ip,
    )
    .await?;
    if let Some(authority) = account.authority_id {
        // The number of contactable members is part of the search document.
        crate::search::sync::enqueue_authority(&txn, authority).await?;
    }
    let link = format!("{public_url}/connexion");
    outbox::enqueue(
        &txn,
        &templates::approved(&account.email, &account.first_name, &link),
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

pub async fn reject(
    db: &DatabaseConnection,
    public_url: &str,
    actor: &CurrentUser,
    id: i32,
    reason: &str,
    ip: Option<String>,
) -> DomainResult<()> {
    require_admin(actor)?;
    let reason = validate::text(reason, "Motif du refus", 1000)?;
    let txn = crate::db::begin_write(db).await?;
    let account = pending(&txn, id).await?;
    let mut active: user::ActiveModel = account.clone().into();
    active.status = Set(AccountStatus::Rejected);
    active.rejection_reason = Set(Some(reason.clone()));
    active.updated_at = Set(Utc::now());
    active.update(&txn).await?;
    audit::record(
        &txn,
        Some(actor.id),
        "member.reject",
        "user",
        &id.to_string(),
        Some(reason.clone()),
        ip,
    )
    .await?;
    let token = super::tokens::issue(&txn, id, super::tokens::DELETE, None).await?;
    let erase_link = format!("{public_url}/supprimer-mes-donnees?jeton={token}");
    outbox::enqueue(
        &txn,
        &templates::rejected(&account.email, &account.first_name, &reason, &erase_link),
    )
    .await?;
    txn.commit().await?;
    Ok(())
}
