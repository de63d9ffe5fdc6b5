//! What members do with their own account: profile, password, email, export, deletion,
//! and password reset by email.

use chrono::Utc;
use sea_orm::{ActiveModelTrait, ActiveValue::Set, DatabaseConnection};

use super::load;
use super::{sessions, signup::find_user_by_email, tokens, validate};
use crate::actor::CurrentUser;
use crate::audit;
use crate::entities::user;
use crate::error::{DomainError, DomainResult};
use crate::mail::{outbox, templates};
use crate::security::password;

async fn check_current_password(account: &user::Model, current: &str) -> DomainResult<()> {
    if password::verify(current.to_string(), Some(account.password_hash.clone())).await? {
        Ok(())
    } else {
        Err(DomainError::Invalid(
            "Le mot de passe actuel est incorrect.".into(),
        ))
    }
}

#[derive(Clone, Debug, Default)]
pub struct ProfileInput {
    pub first_name: String,
    pub last_name: String,
    pub job_title: String,
    pub phone: String,
    pub visible: bool,
}

pub async fn update_profile(
    db: &DatabaseConnection,
    me: &CurrentUser,
    input: ProfileInput,
) -> DomainResult<()> {
    let first_name = validate::text(&input.first_name, "Prénom", 100)?;
    let last_name = validate::text(&input.last_name, "Nom", 100)?;
    let job_title = validate::text(&input.job_title, "Fonction", 120)?;
    let phone = validate::phone(&input.phone)?;
    let account = load(db, me.id).await?;
    let visibility_changed = account.visible != input.visible;
    let authority = account.authority_id;
    let txn = crate::db::begin_write(db).await?;
    let mut active: user::ActiveModel = account.into();
    active.first_name = Set(first_name);
    active.last_name = Set(last_name);
    active.job_title = Set(job_title);
    active.phone = Set(phone);
    active.visible = Set(input.visible);
    active.updated_at = Set(Utc::now());
    active.update(&txn).await?;
    if let (true, Some(a)) = (visibility_changed, authority) {
        crate::search::sync::enqueue_authority(&txn, a).await?;
    }
    txn.commit().await?;
    Ok(())
}

/// Sets a new password, ends every session and emails a notice.
async fn set_password(
    db: &DatabaseConnection,
    account: user::Model,
    new_password: &str,
) -> DomainResult<()> {
    validate::password(new_password)?;
    let hash = password::hash(new_password.to_string()).await?;
    let txn = crate::db::begin_write(db).await?;
    let mut active: user::ActiveModel = account.clone().into();
    active.password_hash = Set(hash);
    active.updated_at = Set(Utc::now());
    active.update(&txn).await?;
    sessions::close_all(&txn, account.id).await?;
    tokens::revoke_all(&txn, account.id).await?;
    outbox::enqueue(
        &txn,
        &templates::password_changed(&account.email, &account.first_name),
    )
    .await?;
    let id = account.id.to_string();
    audit::record(
        &txn,
        Some(account.id),
        "account.password",
        "user",
        &id,
        None,
        None,
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

pub async fn change_password(
    db: &DatabaseConnection,
    me: &CurrentUser,
    current: &str,
    new: &str,
) -> DomainResult<()> {
    let account = load(db, me.id).await?;
    check_current_password(&account, current).await?;
    set_password(db, account, new).await
}

/// Always succeeds from the caller's point of view; mails a link only to existing accounts.
pub async fn request_password_reset(
    db: &DatabaseConnection,
    public_url: &str,
    email: &str,
) -> DomainResult<()> {
    let Ok(email) = validate::email(email) else {
        return Err(DomainError::Invalid(
            "Saisissez une adresse électronique valide.".into(),
        ));
    };
    let txn = crate::db::begin_write(db).await?;
    if let Some(account) = find_user_by_email(&txn, &email).await? {
        let token = tokens::issue(&txn, account.id, tokens::RESET, None).await?;
        let link = format!("{public_url}/reinitialiser?jeton={token}");
        outbox::enqueue(&txn, &templates::password_reset(&account.email, &link)).await?;
    }
    txn.commit().await?;
    Ok(())
}

pub async fn reset_password(db: &DatabaseConnection, token: &str, new: &str) -> DomainResult<()> {
    validate::password(new)?;
    let txn = crate::db::begin_write(db).await?;
    let used = tokens::consume(&txn, token, tokens::RESET).await?;
    txn.commit().await?;
    let account = load(db, used.user_id).await?;
    set_password(db, account, new).await
}

/// Sends a confirmation link to the new address; the change happens when it is opened.
pub async fn request_email_change(
    db: &DatabaseConnection,
    public_url: &str,
    me: &CurrentUser,
    current: &str,
    new_email: &str,
) -> DomainResult<()> {
    let new_email = validate::email(new_email)?;
    let account = load(db, me.id).await?;
    check_current_password(&account, current).await?;
    if new_email == account.email {
        return Err(DomainError::Invalid(
            "C'est déjà votre adresse actuelle.".into(),
        ));
    }
    let txn = crate::db::begin_write(db).await?;
    // An address taken by another account is not revealed: the link simply fails later.
    let token = tokens::issue(
        &txn,
        account.id,
        tokens::EMAIL_CHANGE,
        Some(new_email.clone()),
    )
    .await?;
    let link = format!("{public_url}/confirmer-adresse?jeton={token}");
    outbox::enqueue(
        &txn,
        &templates::confirm_new_email(&new_email, &account.first_name, &link),
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

pub async fn confirm_email_change(db: &DatabaseConnection, token: &str) -> DomainResult<()> {
    let txn = crate::db::begin_write(db).await?;
    let used = tokens::consume(&txn, token, tokens::EMAIL_CHANGE).await?;
    let new_email = used.new_email.clone().ok_or(DomainError::NotFound)?;
    if find_user_by_email(&txn, &new_email).await?.is_some() {
        return Err(DomainError::Invalid(
            "Cette adresse ne peut pas être utilisée.".into(),
        ));
    }
    let account = load(&txn, used.user_id).await?;
    let (old_email, first_name) = (account.email.clone(), account.first_name.clone());
    let mut active: user::ActiveModel = account.into();
    active.email = Set(new_email);
    active.updated_at = Set(Utc::now());
    active.update(&txn).await?;
    // Whoever held a session under the old address signs in again with the new one, and no
    // link mailed before (to either address) outlives the change.
    sessions::close_all(&txn, used.user_id).await?;
    tokens::revoke_every(&txn, used.user_id).await?;
    super::personal_data::forget_address(&txn, used.user_id, &old_email).await?;
    outbox::enqueue(&txn, &templates::email_changed(&old_email, &first_name)).await?;
    let id = used.user_id.to_string();
    audit::record(
        &txn,
        Some(used.user_id),
        "account.email",
        "user",
        &id,
        None,
        None,
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// Erases the account and its personal data; audit rows (ids only) are kept.
pub async fn delete_account(
    db: &DatabaseConnection,
    me: &CurrentUser,
    current: &str,
) -> DomainResult<()> {
    let account = load(db, me.id).await?;
    check_current_password(&account, current).await?;
    let txn = crate::db::begin_write(db).await?;
    if account.is_admin
        && account.status == model::account::AccountStatus::Approved
        && super::moderation::active_admins(&txn).await? <= 1
    {
        return Err(DomainError::Invalid(
            "Vous êtes le dernier administrateur actif : nommez-en un autre avant de supprimer votre compte."
                .into(),
        ));
    }
    super::personal_data::erase_journaled(&txn, &account, None, None, None).await?;
    txn.commit().await?;
    Ok(())
}
