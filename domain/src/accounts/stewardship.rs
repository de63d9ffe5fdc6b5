//! An administrator's care of one member: the member's file (profile, authority,
//! declarations, referent roles, contact counts, journal), and the corrective actions —
//! correct or hide a profile, move to another authority, grant or withdraw admin, delete.
//! Each action requires a reason, is journaled in its transaction, and is mailed to the
//! member where it affects them.

use chrono::Utc;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, DatabaseConnection, EntityTrait,
    PaginatorTrait, QueryFilter, QueryOrder, QuerySelect,
};

use super::load;
use super::moderation::active_admins;
use super::validate;
use crate::actor::CurrentUser;
use crate::audit;
use crate::entities::{
    audit_log, authority, contact_request, software, usage, usage_referent, user,
};
use crate::error::{DomainError, DomainResult};
use crate::mail::{outbox, templates};
use crate::permissions::{Action, require};
use model::account::AccountStatus;

/// What an administrator sees of one member.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MemberFile {
    pub account: user::Model,
    pub authority: Option<(String, String)>,
    /// (software name, status) of the declarations this member made.
    pub declarations: Vec<(String, model::usage::UsageStatus)>,
    /// Software this member is referent for.
    pub referent_of: Vec<String>,
    pub requests_sent: u64,
    pub requests_received: u64,
    /// The latest journal lines about this member: (when, action, reason).
    pub journal: Vec<(chrono::DateTime<Utc>, String, Option<String>)>,
}

pub async fn file(
    db: &DatabaseConnection,
    actor: &CurrentUser,
    id: i32,
) -> DomainResult<MemberFile> {
    require(actor, Action::Administer)?;
    let account = user::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(DomainError::NotFound)?;
    let authority = match account.authority_id {
        Some(a) => authority::Entity::find_by_id(a)
            .one(db)
            .await?
            .map(|a| (a.public_id, a.name)),
        None => None,
    };
    let declarations = usage::Entity::find()
        .filter(usage::Column::DeclaredBy.eq(id))
        .find_also_related(software::Entity)
        .all(db)
        .await?
        .into_iter()
        .map(|(u, s)| (s.map(|s| s.name).unwrap_or_default(), u.status))
        .collect();
    let referent_of = usage_referent::Entity::find()
        .filter(usage_referent::Column::UserId.eq(id))
        .find_also_related(usage::Entity)
        .and_also_related(software::Entity)
        .all(db)
        .await?
        .into_iter()
        .map(|(_, _, s)| s.map(|s| s.name).unwrap_or_default())
        .collect();
    let count = |column: contact_request::Column| {
        contact_request::Entity::find()
            .filter(column.eq(id))
            .count(db)
    };
    let journal = audit_log::Entity::find()
        .filter(audit_log::Column::TargetType.eq("user"))
        .filter(audit_log::Column::TargetId.eq(id.to_string()))
        .order_by_desc(audit_log::Column::CreatedAt)
        .order_by_desc(audit_log::Column::Id)
        .limit(20)
        .all(db)
        .await?
        .into_iter()
        .map(|r| (r.created_at, r.action, r.reason))
        .collect();
    Ok(MemberFile {
        declarations,
        referent_of,
        requests_sent: count(contact_request::Column::SenderId).await?,
        requests_received: count(contact_request::Column::RecipientId).await?,
        journal,
        authority,
        account,
    })
}

fn reason_of(reason: &str) -> DomainResult<String> {
    validate::text(reason, "Motif", 1000)
}

/// What an administrator may correct in a profile that breaks the rules.
#[derive(Clone, Debug, Default)]
pub struct Correction {
    pub first_name: String,
    pub last_name: String,
    pub job_title: String,
    pub phone: String,
    pub visible: bool,
}

pub async fn correct(
    db: &DatabaseConnection,
    actor: &CurrentUser,
    id: i32,
    c: &Correction,
    reason: &str,
    ip: Option<String>,
) -> DomainResult<()> {
    require(actor, Action::Administer)?;
    let reason = reason_of(reason)?;
    let first_name = validate::text(&c.first_name, "Prénom", 100)?;
    let last_name = validate::text(&c.last_name, "Nom", 100)?;
    let job_title = validate::text(&c.job_title, "Fonction", 120)?;
    let phone = validate::phone(&c.phone)?;
    let txn = crate::db::begin_write(db).await?;
    let account = load(&txn, id).await?;
    let mut active: user::ActiveModel = account.clone().into();
    active.first_name = Set(first_name);
    active.last_name = Set(last_name);
    active.job_title = Set(job_title);
    active.phone = Set(phone);
    active.visible = Set(c.visible);
    active.updated_at = Set(Utc::now());
    active.update(&txn).await?;
    if let Some(a) = account.authority_id {
        crate::search::sync::enqueue_authority(&txn, a).await?;
    }
    audit::record(
        &txn,
        Some(actor.id),
        "member.correct",
        "user",
        &id.to_string(),
        Some(reason.clone()),
        ip,
    )
    .await?;
    outbox::enqueue(
        &txn,
        &templates::build_notice(
            &account.email,
            "Votre profil Pairs a été corrigé",
            &format!("Un administrateur du réseau a corrigé votre profil, pour la raison suivante : {reason}"),
        ),
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// Moves a member to another authority; their referent roles for the old one end.
pub async fn move_to(
    db: &DatabaseConnection,
    actor: &CurrentUser,
    id: i32,
    authority_public_id: &str,
    reason: &str,
    ip: Option<String>,
) -> DomainResult<()> {
    require(actor, Action::Administer)?;
    let reason = reason_of(reason)?;
    let txn = crate::db::begin_write(db).await?;
    let account = load(&txn, id).await?;
    let target = authority::Entity::find()
        .filter(authority::Column::PublicId.eq(authority_public_id.trim()))
        .one(&txn)
        .await?
        .ok_or_else(|| DomainError::Invalid("Cette collectivité est introuvable.".into()))?;
    if account.authority_id == Some(target.id) {
        return Err(DomainError::Invalid(
            "Le membre appartient déjà à cette collectivité.".into(),
        ));
    }
    if let Some(old) = account.authority_id {
        let old_usages: Vec<i32> = usage::Entity::find()
            .filter(usage::Column::AuthorityId.eq(old))
            .all(&txn)
            .await?
            .into_iter()
            .map(|u| u.id)
            .collect();
        usage_referent::Entity::delete_many()
            .filter(usage_referent::Column::UserId.eq(id))
            .filter(usage_referent::Column::UsageId.is_in(old_usages))
            .exec(&txn)
            .await?;
        crate::search::sync::enqueue_authority(&txn, old).await?;
    }
    let mut active: user::ActiveModel = account.clone().into();
    active.authority_id = Set(Some(target.id));
    active.updated_at = Set(Utc::now());
    active.update(&txn).await?;
    crate::search::sync::enqueue_authority(&txn, target.id).await?;
    audit::record(
        &txn,
        Some(actor.id),
        "member.move",
        "user",
        &id.to_string(),
        Some(format!("{reason} (vers {})", target.public_id)),
        ip,
    )
    .await?;
    outbox::enqueue(
        &txn,
        &templates::build_notice(
            &account.email,
            "Votre collectivité sur Pairs a changé",
            &format!("Un administrateur du réseau vous a rattaché·e à {}, pour la raison suivante : {reason}", target.name),
        ),
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// Grants or withdraws the administrator role; the last active administrator keeps it.
pub async fn set_admin(
    db: &DatabaseConnection,
    actor: &CurrentUser,
    id: i32,
    grant: bool,
    reason: &str,
    ip: Option<String>,
) -> DomainResult<()> {
    require(actor, Action::Administer)?;
    let reason = reason_of(reason)?;
    let txn = crate::db::begin_write(db).await?;
    let account = load(&txn, id).await?;
    if grant && account.status != AccountStatus::Approved {
        return Err(DomainError::Invalid(
            "Seul un compte validé peut devenir administrateur.".into(),
        ));
    }
    if account.is_admin == grant {
        return Err(DomainError::Invalid(if grant {
            "Ce membre est déjà administrateur.".into()
        } else {
            "Ce membre n'est pas administrateur.".into()
        }));
    }
    if !grant && active_admins(&txn).await? <= 1 {
        return Err(DomainError::Invalid(
            "C'est le dernier administrateur actif : il garde ce rôle.".into(),
        ));
    }
    let email = account.email.clone();
    let mut active: user::ActiveModel = account.into();
    active.is_admin = Set(grant);
    active.updated_at = Set(Utc::now());
    active.update(&txn).await?;
    let (subject, verb) = if grant {
        ("Vous êtes administrateur de Pairs", "activé")
    } else {
        ("Vous n'êtes plus administrateur de Pairs", "retiré")
    };
    outbox::enqueue(
        &txn,
        &templates::build_notice(
            &email,
            subject,
            &format!("Un administrateur du réseau a {verb} votre rôle d'administrateur, pour la raison suivante : {reason}"),
        ),
    )
    .await?;
    let action = if grant {
        "admin.grant"
    } else {
        "admin.withdraw"
    };
    audit::record(
        &txn,
        Some(actor.id),
        action,
        "user",
        &id.to_string(),
        Some(reason),
        ip,
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// Deletes a member's account: the same erasure as self-deletion.
pub async fn delete(
    db: &DatabaseConnection,
    actor: &CurrentUser,
    id: i32,
    reason: &str,
    ip: Option<String>,
) -> DomainResult<()> {
    require(actor, Action::Administer)?;
    let reason = reason_of(reason)?;
    if id == actor.id {
        return Err(DomainError::Invalid(
            "Supprimez votre propre compte depuis « Mon compte ».".into(),
        ));
    }
    let txn = crate::db::begin_write(db).await?;
    let account = load(&txn, id).await?;
    if account.is_admin && active_admins(&txn).await? <= 1 {
        return Err(DomainError::Invalid(
            "C'est le dernier administrateur actif : son compte ne peut pas être supprimé.".into(),
        ));
    }
    super::personal_data::erase_journaled(&txn, &account, Some(actor.id), Some(reason), ip).await?;
    txn.commit().await?;
    Ok(())
}
