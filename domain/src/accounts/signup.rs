//! Sign-up and email verification.

use chrono::Utc;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, DatabaseConnection, EntityTrait, NotSet,
    QueryFilter,
};

use super::{tokens, validate};
use crate::entities::{authority, user};
use crate::error::{DomainError, DomainResult};
use crate::mail::{outbox, templates};
use crate::security::password;
use model::account::AccountStatus;
use model::account::Position;

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

/// What one sign-up asked for, kept with its own verification link and applied to the
/// account only when that link is confirmed: a second sign-up with the same unconfirmed
/// address (perhaps not by its owner) replaces nothing.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Details {
    pub password_hash: String,
    pub first_name: String,
    pub last_name: String,
    pub position: Position,
    pub job_title: String,
    pub authority_id: i32,
}

impl Details {
    fn of(account: &user::Model) -> Option<Self> {
        Some(Self {
            password_hash: account.password_hash.clone(),
            first_name: account.first_name.clone(),
            last_name: account.last_name.clone(),
            position: account.position,
            job_title: account.job_title.clone(),
            authority_id: account.authority_id?,
        })
    }
}

/// What the confirmation page shows before the button: who signs up, for which authority.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Pending {
    pub name: String,
    pub authority: String,
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
    let details = Details {
        password_hash: password_hash.clone(),
        first_name: first_name.clone(),
        last_name: last_name.clone(),
        position,
        job_title: job_title.clone(),
        authority_id: authority.id,
    };
    // An address nobody confirmed is not taken: signing up again sends a link of its own,
    // carrying this sign-up's details, and changes nothing else until that link is used;
    // earlier links keep theirs. The stale-sign-up purge counts from this last sign-up.
    if let Some(unverified) = existing
        .clone()
        .filter(|u| u.status == AccountStatus::Unverified)
    {
        let mut active: user::ActiveModel = unverified.into();
        active.updated_at = Set(Utc::now());
        let account = active.update(&txn).await?;
        send_link(&txn, public_url, &account, &first_name, Some(&details)).await?;
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
        status: Set(AccountStatus::Unverified),
        is_admin: Set(false),
        visible: Set(true),
        accepts_contact: Set(true),
        rejection_reason: Set(None),
        email_verified_at: Set(None),
        approved_at: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    send_link(&txn, public_url, &created, &first_name, Some(&details)).await?;
    txn.commit().await?;
    Ok(())
}

/// Mails a verification link carrying `details` (a sign-up's own), or the account's
/// current details when resent.
async fn send_link(
    txn: &impl sea_orm::ConnectionTrait,
    public_url: &str,
    account: &user::Model,
    first_name: &str,
    details: Option<&Details>,
) -> DomainResult<()> {
    let details = details.map(serde_json::to_string).transpose()?;
    let token = tokens::issue_with(txn, account.id, tokens::VERIFY, None, details).await?;
    let link = format!("{public_url}/verifier?jeton={token}");
    outbox::enqueue(
        txn,
        &templates::verify_email(&account.email, first_name, &link),
    )
    .await
}

/// « Renvoyer le lien »: a fresh link for the newest sign-up with this address (its
/// details, and its first name in the mail); earlier links stay until one is confirmed.
async fn send_again(
    txn: &impl sea_orm::ConnectionTrait,
    public_url: &str,
    account: &user::Model,
) -> DomainResult<()> {
    use sea_orm::QueryOrder;
    let newest = crate::entities::user_token::Entity::find()
        .filter(crate::entities::user_token::Column::UserId.eq(account.id))
        .filter(crate::entities::user_token::Column::Purpose.eq(tokens::VERIFY))
        .order_by_desc(crate::entities::user_token::Column::CreatedAt)
        .order_by_desc(crate::entities::user_token::Column::Id)
        .one(txn)
        .await?
        .and_then(|t| t.signup)
        .and_then(|json| serde_json::from_str::<Details>(&json).ok());
    let details = newest.or_else(|| Details::of(account));
    let first_name = details
        .as_ref()
        .map_or(account.first_name.clone(), |d| d.first_name.clone());
    send_link(txn, public_url, account, &first_name, details.as_ref()).await
}

/// Who a verification link signs up, and for which authority, if it is still usable.
pub async fn pending_sign_up(
    db: &impl sea_orm::ConnectionTrait,
    token: &str,
) -> DomainResult<Option<Pending>> {
    let Some(found) = tokens::find_usable(db, token, tokens::VERIFY).await? else {
        return Ok(None);
    };
    let Some(account) = user::Entity::find_by_id(found.user_id).one(db).await? else {
        return Ok(None);
    };
    let details = match found.signup.as_deref() {
        Some(json) => serde_json::from_str::<Details>(json).ok(),
        None => Details::of(&account),
    };
    let Some(details) = details else {
        return Ok(None);
    };
    let authority = authority::Entity::find_by_id(details.authority_id)
        .one(db)
        .await?
        .map(|a| a.name)
        .unwrap_or_default();
    Ok(Some(Pending {
        name: format!("{} {}", details.first_name, details.last_name),
        authority,
    }))
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
        .filter(|u| u.status == AccountStatus::Unverified)
    {
        send_again(&txn, public_url, &account).await?;
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
    if account.status == AccountStatus::Unverified {
        let details = used
            .signup
            .as_deref()
            .and_then(|json| serde_json::from_str::<Details>(json).ok());
        let first_name = details
            .as_ref()
            .map_or(account.first_name.clone(), |d| d.first_name.clone());
        let mut active: user::ActiveModel = account.clone().into();
        // This link's own sign-up is the one confirmed; the other links die.
        if let Some(d) = details {
            active.password_hash = Set(d.password_hash);
            active.first_name = Set(d.first_name);
            active.last_name = Set(d.last_name);
            active.position = Set(d.position);
            active.job_title = Set(d.job_title);
            active.authority_id = Set(Some(d.authority_id));
        }
        tokens::revoke(&txn, account.id, &[tokens::VERIFY]).await?;
        active.status = Set(AccountStatus::Pending);
        active.email_verified_at = Set(Some(Utc::now()));
        active.updated_at = Set(Utc::now());
        active.update(&txn).await?;
        outbox::enqueue(
            &txn,
            &templates::awaiting_approval(&account.email, &first_name),
        )
        .await?;
    }
    txn.commit().await?;
    Ok(())
}
