//! Sign-up, email verification, login and logout, password reset, and the member's own
//! account. Every function checks who is calling; each ends with a redirect so forms
//! behave the same with and without JavaScript.

use leptos::prelude::*;

use crate::dto::MeView;
use crate::error::AppError;
use model::forms::{ProfileForm, SignupForm};

#[cfg(feature = "ssr")]
use super::session::{act, finish, require_user, throttle};

/// The signed-in member, or `None`.
#[server(endpoint = "get_me")]
pub async fn get_me() -> Result<Option<MeView>, AppError> {
    let state = super::state()?;
    let Some(me) = super::session::current_user().await? else {
        return Ok(None);
    };
    let authority = match me.authority_id {
        Some(id) => domain::authorities::get_ref(&state.db, id)
            .await?
            .map(super::authorities::convert::link),
        None => None,
    };
    Ok(Some(MeView {
        first_name: me.first_name,
        last_name: me.last_name,
        email: me.email,
        position: me.position,
        job_title: me.job_title,
        phone: me.phone,
        visible: me.visible,
        status: me.status,
        is_admin: me.is_admin,
        authority,
        accepts_contact: me.accepts_contact,
    }))
}

#[server(endpoint = "sign_up")]
pub async fn sign_up(#[server(flatten)] form: SignupForm) -> Result<(), AppError> {
    let state = super::state()?;
    let SignupForm {
        email,
        password,
        first_name,
        last_name,
        position,
        job_title,
        authority,
        commune,
    } = form;
    let position = position.unwrap_or_default();
    let authority = authority.unwrap_or_default();
    let commune = commune.unwrap_or_default();
    let keep = [
        ("email", email.as_str()),
        ("prenom", first_name.as_str()),
        ("nom", last_name.as_str()),
        ("qualite", position.as_str()),
        ("fonction", job_title.as_str()),
        ("collectivite", authority.as_str()),
        ("commune", commune.as_str()),
    ];
    let result = async {
        throttle("signup", &email).await?;
        let input = domain::accounts::signup::SignupInput {
            email: email.clone(),
            password: password.clone(),
            first_name: first_name.clone(),
            last_name: last_name.clone(),
            position: position.clone(),
            job_title: job_title.clone(),
            authority_public_id: authority.clone(),
        };
        domain::accounts::signup::sign_up(&state.db, &state.config.public_url, input).await?;
        Ok(())
    }
    .await;
    finish(result, "/inscription/envoyee", "/inscription", &keep).await
}

/// What a verification link confirms (the name and authority of its own sign-up), or
/// nothing when the link is used, expired or unknown. Reads only; the link holder sees
/// what they typed, nobody else can name a token.
#[server(endpoint = "pending_sign_up")]
pub async fn pending_sign_up(
    token: String,
) -> Result<Option<crate::dto::PendingSignUpView>, AppError> {
    let state = super::state()?;
    Ok(domain::accounts::signup::pending_sign_up(&state.db, &token)
        .await?
        .map(|p| crate::dto::PendingSignUpView {
            name: p.name,
            authority: p.authority,
        }))
}

#[server(endpoint = "verify_email")]
pub async fn verify_email(token: String) -> Result<(), AppError> {
    let state = super::state()?;
    let result = domain::accounts::signup::verify_email(&state.db, &token)
        .await
        .map_err(AppError::from);
    finish(
        result,
        "/connexion?info=adresse-confirmee",
        "/verifier",
        &[],
    )
    .await
}

/// Signs in, then goes back to `retour` (the page that asked for a session) when it is a
/// path of this site, or to the account page.
#[server(endpoint = "login")]
pub async fn login(
    email: String,
    password: String,
    #[server(default)] retour: Option<String>,
) -> Result<(), AppError> {
    let state = super::state()?;
    let result = async {
        throttle("login", &email).await?;
        let (token, me) =
            domain::accounts::sessions::login(&state.db, &state.config, &email, &password).await?;
        let id = me.id.to_string();
        let ip = super::session::client_ip();
        domain::audit::record(
            &state.db,
            Some(me.id),
            "account.login",
            "user",
            &id,
            None,
            ip,
        )
        .await?;
        super::session::set_session_cookie(&state.config, &token);
        super::session::throttle_reset("login", &email).await;
        Ok(())
    }
    .await;
    let back_to = retour
        .as_deref()
        .and_then(super::session::return_path)
        .unwrap_or("");
    // The return path stays in the address (a path of this site, nothing personal).
    let back = crate::format::with_query("/connexion", &[("retour", back_to)]);
    finish(
        result,
        if back_to.is_empty() {
            "/compte"
        } else {
            back_to
        },
        &back,
        &[("email", email.as_str())],
    )
    .await
}

/// Mails a fresh verification link to an address still unverified; the same answer for
/// any address.
#[server(endpoint = "resend_verification")]
pub async fn resend_verification(email: String) -> Result<(), AppError> {
    act(
        "/connexion?info=lien-renvoye",
        "/connexion",
        &[],
        |state| async move {
            throttle("resend", &email).await?;
            domain::accounts::signup::resend_verification(
                &state.db,
                &state.config.public_url,
                &email,
            )
            .await?;
            Ok(())
        },
    )
    .await
}

#[server(endpoint = "logout")]
pub async fn logout() -> Result<(), AppError> {
    let state = super::state()?;
    if let Some(token) = super::session::session_token(&state.config) {
        domain::accounts::sessions::close(&state.db, &token).await?;
    }
    super::session::clear_session_cookie(&state.config);
    leptos_axum::redirect("/");
    Ok(())
}

#[server(endpoint = "request_password_reset")]
pub async fn request_password_reset(email: String) -> Result<(), AppError> {
    let state = super::state()?;
    let result = async {
        throttle("reset", &email).await?;
        domain::accounts::profile::request_password_reset(
            &state.db,
            &state.config.public_url,
            &email,
        )
        .await?;
        Ok(())
    }
    .await;
    finish(
        result,
        "/mot-de-passe-oublie?info=envoye",
        "/mot-de-passe-oublie",
        &[("email", email.as_str())],
    )
    .await
}

#[server(endpoint = "reset_password")]
pub async fn reset_password(token: String, password: String) -> Result<(), AppError> {
    let state = super::state()?;
    let result = domain::accounts::profile::reset_password(&state.db, &token, &password)
        .await
        .map_err(AppError::from);
    finish(
        result,
        "/connexion?info=mot-de-passe-modifie",
        "/reinitialiser",
        &[("jeton", token.as_str())],
    )
    .await
}

#[server(endpoint = "update_profile")]
pub async fn update_profile(#[server(flatten)] profile: ProfileForm) -> Result<(), AppError> {
    act(
        "/compte?info=profil-enregistre",
        "/compte",
        &[],
        |state| async move {
            let me = require_user().await?;
            let input = domain::accounts::profile::ProfileInput {
                first_name: profile.first_name,
                last_name: profile.last_name,
                job_title: profile.job_title,
                phone: profile.phone,
                visible: profile.visible.is_some(),
            };
            domain::accounts::profile::update_profile(&state.db, &me, input).await?;
            Ok(())
        },
    )
    .await
}

#[server(endpoint = "change_password")]
pub async fn change_password(
    current_password: String,
    new_password: String,
) -> Result<(), AppError> {
    act(
        "/connexion?info=mot-de-passe-modifie",
        "/compte",
        &[],
        |state| async move {
            let me = require_user().await?;
            // Each checks the current password: limited like the login, or a stolen
            // session could guess it.
            throttle("password-check", &me.email).await?;
            domain::accounts::profile::change_password(
                &state.db,
                &me,
                &current_password,
                &new_password,
            )
            .await?;
            super::session::clear_session_cookie(&state.config);
            Ok(())
        },
    )
    .await
}

#[server(endpoint = "change_email")]
pub async fn change_email(current_password: String, new_email: String) -> Result<(), AppError> {
    act(
        "/compte?info=courriel-envoye",
        "/compte",
        &[],
        |state| async move {
            let me = require_user().await?;
            // Each checks the current password: limited like the login, or a stolen
            // session could guess it.
            throttle("password-check", &me.email).await?;
            domain::accounts::profile::request_email_change(
                &state.db,
                &state.config.public_url,
                &me,
                &current_password,
                &new_email,
            )
            .await?;
            Ok(())
        },
    )
    .await
}

#[server(endpoint = "confirm_email_change")]
pub async fn confirm_email_change(token: String) -> Result<(), AppError> {
    let state = super::state()?;
    let result = domain::accounts::profile::confirm_email_change(&state.db, &token)
        .await
        .map_err(AppError::from);
    finish(
        result,
        "/compte?info=adresse-modifiee",
        "/confirmer-adresse",
        &[],
    )
    .await
}

/// The link of a refusal mail: the applicant (who cannot sign in) erases their data now.
#[server(endpoint = "erase_by_link")]
pub async fn erase_by_link(token: String) -> Result<(), AppError> {
    let state = super::state()?;
    let result = domain::accounts::personal_data::erase_by_link(&state.db, &token)
        .await
        .map_err(AppError::from);
    finish(
        result,
        "/?info=compte-supprime",
        "/supprimer-mes-donnees",
        &[("jeton", token.as_str())],
    )
    .await
}

#[server(endpoint = "delete_account")]
pub async fn delete_account(current_password: String) -> Result<(), AppError> {
    act(
        "/?info=compte-supprime",
        "/compte",
        &[],
        |state| async move {
            let me = require_user().await?;
            // Each checks the current password: limited like the login, or a stolen
            // session could guess it.
            throttle("password-check", &me.email).await?;
            domain::accounts::profile::delete_account(&state.db, &me, &current_password).await?;
            super::session::clear_session_cookie(&state.config);
            Ok(())
        },
    )
    .await
}
