//! Sign-up and email verification.

use chrono::Utc;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, DatabaseConnection, EntityTrait, NotSet,
    QueryFilter,
};

use super::{Position, Status, tokens, validate};
use crate::entities::{authority, user};
use crate::error::{DomainError, DomainResult};
use crate::mail::{outbox, templates};
use crate::security::password;

/// What the sign-up form sends.
#[derive(Clone, Debug, Default)]
pub struct SignupInput {
    pub email: String,
    pub password: String,
    pub first_name: String,
    pub last_name: String,
    pub position: String,
    pub job_title: String,
    pub authority_public_id: String,
}

pub async fn find_user_by_email(
    db: &impl sea_orm::ConnectionTrait,
    email: &str,
) -> DomainResult<Option<user::Model>> {
    Ok(user::Entity::find()
        .filter(user::Column::Email.eq(super::normalize_email(email)))
        .one(db)
        .await?)
}

/// Creates an unverified account and queues the verification email, in one transaction.
/// An address that already has an account gets the same answer (no enumeration); its
/// owner receives a notice instead of a second account.
pub async fn sign_up(
    db: &DatabaseConnection,
    public_url: &str,
    input: SignupInput,
) -> DomainResult<()> {
    let email = validate::email(&input.email)?;
    validate::password(&input.password)?;
    let first_name = validate::text(&input.first_name, "Prénom", 100)?;
    let last_name = validate::text(&input.last_name, "Nom", 100)?;
    let job_title = validate::text(&input.job_title, "Fonction", 120)?;
    let position = Position::parse(&input.position)
        .ok_or_else(|| DomainError::Invalid("Indiquez si vous êtes élu·e ou agent·e.".into()))?;
    let authority = authority::Entity::find()
        .filter(authority::Column::PublicId.eq(input.authority_public_id.trim()))
        .one(db)
        .await?
        .ok_or_else(|| {
            DomainError::Invalid("Choisissez votre collectivité dans la liste.".into())
        })?;
    let password_hash = password::hash(input.password).await?;

    let txn = crate::db::begin_write(db).await?;
    let existing = find_user_by_email(&txn, &email).await?;
    // An address nobody confirmed is not taken: signing up again replaces the pending
    // sign-up (password, names, authority) and sends a fresh link, so nobody can squat an
    // address they do not own.
    if let Some(unverified) = existing.clone().filter(|u| u.status == Status::Unverified) {
        let mut active: user::ActiveModel = unverified.into();
        active.password_hash = Set(password_hash);
        active.first_name = Set(first_name.clone());
        active.last_name = Set(last_name);
        active.position = Set(position);
        active.job_title = Set(job_title);
        active.authority_id = Set(Some(authority.id));
        active.updated_at = Set(Utc::now());
        let account = active.update(&txn).await?;
        send_verification(&txn, public_url, &account).await?;
        txn.commit().await?;
        return Ok(());
    }
    if let Some(existing) = existing {
        let notice = templates::build_notice(
            &existing.email,
            "Tentative d'inscription avec votre adresse",
            "Quelqu'un (peut-être vous) a tenté de créer un compte Pairs avec cette adresse, qui a déjà un compte. Si vous avez oublié votre mot de passe, utilisez « Mot de passe oublié » sur la page de connexion.",
        );
        outbox::enqueue(&txn, &notice).await?;
        txn.commit().await?;
        return Ok(());
    }
    let now = Utc::now();
    let created = user::ActiveModel {
        id: NotSet,
        email: Set(email.clone()),
        password_hash: Set(password_hash),
        first_name: Set(first_name.clone()),
        last_name: Set(last_name),
        position: Set(position),
        job_title: Set(job_title),
        phone: Set(None),
        authority_id: Set(Some(authority.id)),
        status: Set(Status::Unverified),
        is_admin: Set(false),
        visible: Set(true),
        accepts_contact: Set(true),
        rejection_reason: Set(None),
        email_verified_at: Set(None),
        approved_at: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(&txn)
    .await?;
    send_verification(&txn, public_url, &created).await?;
    txn.commit().await?;
    Ok(())
}

/// Ends the account's earlier verification links and mails a fresh one.
async fn send_verification(
    txn: &impl sea_orm::ConnectionTrait,
    public_url: &str,
    account: &user::Model,
) -> DomainResult<()> {
    tokens::revoke(txn, account.id, &[tokens::VERIFY]).await?;
    let token = tokens::issue(txn, account.id, tokens::VERIFY, None).await?;
    let link = format!("{public_url}/verifier?jeton={token}");
    outbox::enqueue(
        txn,
        &templates::verify_email(&account.email, &account.first_name, &link),
    )
    .await
}

/// « Renvoyer le lien de vérification »: a fresh link for an address still unverified;
/// the same silence for any other address (no enumeration).
pub async fn resend_verification(
    db: &DatabaseConnection,
    public_url: &str,
    email: &str,
) -> DomainResult<()> {
    let email = validate::email(email)?;
    let txn = crate::db::begin_write(db).await?;
    if let Some(account) = find_user_by_email(&txn, &email)
        .await?
        .filter(|u| u.status == Status::Unverified)
    {
        send_verification(&txn, public_url, &account).await?;
    }
    txn.commit().await?;
    Ok(())
}

/// Confirms the address: the account then waits for an administrator.
pub async fn verify_email(db: &DatabaseConnection, token: &str) -> DomainResult<()> {
    let txn = crate::db::begin_write(db).await?;
    let used = tokens::consume(&txn, token, tokens::VERIFY).await?;
    let account = user::Entity::find_by_id(used.user_id)
        .one(&txn)
        .await?
        .ok_or(DomainError::NotFound)?;
    if account.status == Status::Unverified {
        let mut active: user::ActiveModel = account.clone().into();
        active.status = Set(Status::Pending);
        active.email_verified_at = Set(Some(Utc::now()));
        active.updated_at = Set(Utc::now());
        active.update(&txn).await?;
        outbox::enqueue(
            &txn,
            &templates::awaiting_approval(&account.email, &account.first_name),
        )
        .await?;
    }
    txn.commit().await?;
    Ok(())
}
