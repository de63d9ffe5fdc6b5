//! What members do with their own account, through the real router: profile, password,
//! email change, reset, export, deletion; and session lifetimes and cookie attributes.

use crate::common;

use common::Backend;

use axum::{
    body::Body,
    http::{Request, StatusCode, header},
};
use chrono::{Duration, Utc};
use common::smtp::{SmtpServer, link};
use common::web::*;
use domain::entities::{audit_log, session, user, user_token};
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, Set};
use tower::ServiceExt;

/// An approved member of Istres, signed in; returns the session cookie.
async fn sessions_of(site: &TestApp, id: i32) -> u64 {
    session::Entity::find()
        .filter(session::Column::UserId.eq(id))
        .count(&site.t.db)
        .await
        .expect("count")
}

async fn profile_edit_validates_and_saves(backend: Backend) {
    let site = TestApp::start(backend, &[]).await;
    let cookie = approved_member(&site, "zoe@istres.test").await;
    let bad = post(
        &site.router,
        "/api/update_profile",
        &[
            ("first_name", "Zoé"),
            ("last_name", "Martin"),
            ("job_title", "DSI"),
            ("phone", "appelez-moi"),
        ],
        Some(&cookie),
    )
    .await;
    assert!(
        (bad.location == "/compte" && bad.refused()),
        "{}",
        bad.location
    );
    let unchanged = user_by_email(&site, "zoe@istres.test").await.expect("row");
    assert_eq!(unchanged.phone, None, "bad input changes nothing");
    assert!(unchanged.visible);

    let ok = post(
        &site.router,
        "/api/update_profile",
        &[
            ("first_name", "Zoé"),
            ("last_name", "Martin-Durand"),
            ("job_title", "Adjointe au numérique"),
            ("phone", "04 42 55 01 01"),
        ],
        Some(&cookie),
    )
    .await;
    assert_eq!(ok.location, "/compte?info=profil-enregistre");
    let saved = user_by_email(&site, "zoe@istres.test").await.expect("row");
    assert_eq!(saved.last_name, "Martin-Durand");
    assert_eq!(saved.job_title, "Adjointe au numérique");
    assert_eq!(saved.phone.as_deref(), Some("04 42 55 01 01"));
    assert!(!saved.visible, "an unchecked box hides the profile");
    let page = get(&site.router, "/compte", Some(&cookie)).await;
    assert!(page.body.contains("Profil enregistr") || page.body.contains("Martin-Durand"));

    // Without a session nothing changes.
    let anonymous = post(
        &site.router,
        "/api/update_profile",
        &[
            ("first_name", "X"),
            ("last_name", "Y"),
            ("job_title", "Z"),
            ("phone", ""),
        ],
        None,
    )
    .await;
    assert!(anonymous.location.starts_with("/connexion"));
    assert_eq!(
        user_by_email(&site, "zoe@istres.test")
            .await
            .expect("row")
            .first_name,
        "Zoé"
    );
    site.t.cleanup().await;
}

async fn password_change_needs_the_current_one_ends_sessions_and_notifies(backend: Backend) {
    let site = TestApp::start(backend, &[]).await;
    let smtp = SmtpServer::start(site.smtp_port, &site.t.dir.path().join("maildir"));
    let first = approved_member(&site, "zoe@istres.test").await;
    let second = session_cookie(&login(&site.router, "zoe@istres.test", MEMBER_PASSWORD).await);
    let id = user_by_email(&site, "zoe@istres.test")
        .await
        .expect("row")
        .id;
    assert_eq!(sessions_of(&site, id).await, 2);

    let wrong = post(
        &site.router,
        "/api/change_password",
        &[
            ("current_password", "pas le bon mot de passe"),
            ("new_password", "une toute nouvelle phrase"),
        ],
        Some(&first),
    )
    .await;
    assert!(wrong.refused());
    let weak = post(
        &site.router,
        "/api/change_password",
        &[
            ("current_password", MEMBER_PASSWORD),
            ("new_password", "123456789012"),
        ],
        Some(&first),
    )
    .await;
    assert!(weak.error.contains("trop courant"), "{}", weak.error);
    assert_eq!(
        sessions_of(&site, id).await,
        2,
        "failed attempts change nothing"
    );

    let ok = post(
        &site.router,
        "/api/change_password",
        &[
            ("current_password", MEMBER_PASSWORD),
            ("new_password", "une toute nouvelle phrase"),
        ],
        Some(&first),
    )
    .await;
    assert_eq!(ok.location, "/connexion?info=mot-de-passe-modifie");
    assert_eq!(sessions_of(&site, id).await, 0, "every session ended");
    assert!(
        get(&site.router, "/compte", Some(&second))
            .await
            .location
            .starts_with("/connexion?retour=")
    );
    assert_eq!(
        login(&site.router, "zoe@istres.test", "une toute nouvelle phrase")
            .await
            .location,
        "/compte"
    );
    deliver(&site).await;
    let notices = smtp
        .messages()
        .iter()
        .map(|m| common::smtp::unfold_qp(m))
        .filter(|m| {
            m.contains("To: zoe@istres.test")
                && m.contains("Le mot de passe de votre compte Pairs vient d")
        })
        .count();
    assert_eq!(notices, 1, "a 'password changed' email is sent");
    site.t.cleanup().await;
}

async fn password_reset_answers_the_same_and_works_once(backend: Backend) {
    let site = TestApp::start(backend, &[]).await;
    let smtp = SmtpServer::start(site.smtp_port, &site.t.dir.path().join("maildir"));
    approved_member(&site, "zoe@istres.test").await;
    deliver(&site).await;
    let before = smtp.messages().len();
    let unknown = post(
        &site.router,
        "/api/request_password_reset",
        &[("email", "inconnu@nulle-part.test")],
        None,
    )
    .await;
    let known = post(
        &site.router,
        "/api/request_password_reset",
        &[("email", "zoe@istres.test")],
        None,
    )
    .await;
    assert_eq!(unknown.location, known.location, "same answer");
    assert_eq!(known.location, "/mot-de-passe-oublie?info=envoye");
    deliver(&site).await;
    let mails = smtp.messages();
    assert_eq!(
        mails.len(),
        before + 1,
        "only the existing account gets a mail"
    );
    // Maildir file names do not keep the order of arrival: look for the mail with the link.
    let url = mails
        .iter()
        .find_map(|m| link(m, "http://pairs.test/reinitialiser?jeton="))
        .expect("a mail with the reset link");
    let token = url.trim_start_matches("http://pairs.test/reinitialiser?jeton=");
    let ok = post(
        &site.router,
        "/api/reset_password",
        &[("token", token), ("password", "ma phrase de secours")],
        None,
    )
    .await;
    assert_eq!(ok.location, "/connexion?info=mot-de-passe-modifie");
    let again = post(
        &site.router,
        "/api/reset_password",
        &[("token", token), ("password", "encore une autre phrase")],
        None,
    )
    .await;
    assert!(again.refused(), "single use");
    assert_eq!(
        login(&site.router, "zoe@istres.test", "ma phrase de secours")
            .await
            .location,
        "/compte"
    );
    site.t.cleanup().await;
}

async fn email_change_is_confirmed_from_the_new_address(backend: Backend) {
    let site = TestApp::start(backend, &[]).await;
    let smtp = SmtpServer::start(site.smtp_port, &site.t.dir.path().join("maildir"));
    let cookie = approved_member(&site, "zoe@istres.test").await;
    let reply = post(
        &site.router,
        "/api/change_email",
        &[
            ("current_password", MEMBER_PASSWORD),
            ("new_email", "zoe.martin@nouvelle.test"),
        ],
        Some(&cookie),
    )
    .await;
    assert_eq!(reply.location, "/compte?info=courriel-envoye");
    assert!(
        user_by_email(&site, "zoe@istres.test").await.is_some(),
        "not changed yet"
    );
    deliver(&site).await;
    let mail = smtp
        .messages()
        .into_iter()
        .find(|m| m.contains("To: zoe.martin@nouvelle.test"))
        .expect("mail to the new address");
    let url = link(&mail, "http://pairs.test/confirmer-adresse?jeton=").expect("link");
    let token = url.trim_start_matches("http://pairs.test/confirmer-adresse?jeton=");
    // A reset link mailed to the old address before the change.
    let zoe_id = user_by_email(&site, "zoe@istres.test")
        .await
        .expect("row")
        .id;
    let reset = domain::accounts::tokens::issue(&site.t.db, zoe_id, "reset", None)
        .await
        .expect("token");
    let ok = post(
        &site.router,
        "/api/confirm_email_change",
        &[("token", token)],
        None,
    )
    .await;
    assert_eq!(ok.location, "/compte?info=adresse-modifiee");
    let changed = user_by_email(&site, "zoe.martin@nouvelle.test")
        .await
        .expect("new address");
    assert!(user_by_email(&site, "zoe@istres.test").await.is_none());
    assert_eq!(sessions_of(&site, changed.id).await, 0, "sessions ended");
    assert!(
        domain::accounts::tokens::consume(&site.t.db, &reset, "reset")
            .await
            .is_err(),
        "no link mailed before the change outlives it"
    );
    let to_old = |smtp: &SmtpServer| {
        smtp.messages()
            .iter()
            .filter(|m| m.contains("To: zoe@istres.test"))
            .count()
    };
    let before = to_old(&smtp);
    assert_eq!(deliver(&site).await.delivered, 1);
    assert_eq!(to_old(&smtp), before + 1, "the old address is told");
    site.t.cleanup().await;
}

/// A password change revokes every reset and email-change link mailed before it, and a
/// link used twice at the same moment works only once.
async fn tokens_are_revoked_by_a_new_password_and_single_use_under_concurrency(backend: Backend) {
    use domain::accounts::{
        profile::reset_password,
        tokens::{self, EMAIL_CHANGE, RESET},
    };
    let site = TestApp::start(backend, &[]).await;
    let cookie = approved_member(&site, "zoe@istres.test").await;
    let db = site.t.db.clone();
    let id = user_by_email(&site, "zoe@istres.test")
        .await
        .expect("row")
        .id;
    let other = Some("zoe@ailleurs.test".to_string());
    let reset = tokens::issue(&db, id, RESET, None).await.expect("token");
    let email_change = tokens::issue(&db, id, EMAIL_CHANGE, other)
        .await
        .expect("token");
    let reply = post(
        &site.router,
        "/api/change_password",
        &[
            ("current_password", MEMBER_PASSWORD),
            ("new_password", "une toute nouvelle phrase"),
        ],
        Some(&cookie),
    )
    .await;
    assert_eq!(reply.location, "/connexion?info=mot-de-passe-modifie");
    for (token, purpose) in [(&reset, RESET), (&email_change, EMAIL_CHANGE)] {
        assert!(
            tokens::consume(&db, token, purpose).await.is_err(),
            "{purpose} link revoked"
        );
    }

    // Two uses of one fresh link at once: exactly one succeeds.
    let fresh = tokens::issue(&db, id, RESET, None).await.expect("token");
    let (a, b) = tokio::join!(
        reset_password(&db, &fresh, "la première phrase choisie"),
        reset_password(&db, &fresh, "la seconde phrase choisie"),
    );
    assert_eq!(
        [a.is_ok(), b.is_ok()].iter().filter(|ok| **ok).count(),
        1,
        "{a:?} / {b:?}"
    );
    site.t.cleanup().await;
}

/// Signed-in actions that check the current password are throttled like the login.
async fn password_checks_of_signed_in_actions_are_throttled(backend: Backend) {
    let site = TestApp::start(backend, &[("PAIRS_THROTTLE_MAX", "3")]).await;
    let cookie = approved_member(&site, "zoe@istres.test").await;
    let attempts = [
        (
            "/api/change_password",
            vec![
                ("current_password", "faux mot de passe 1"),
                ("new_password", "une toute nouvelle phrase"),
            ],
        ),
        (
            "/api/change_email",
            vec![
                ("current_password", "faux mot de passe 2"),
                ("new_email", "zoe@ailleurs.test"),
            ],
        ),
        (
            "/api/delete_account",
            vec![("current_password", "faux mot de passe 3")],
        ),
    ];
    for (path, form) in &attempts {
        let reply = post(&site.router, path, form, Some(&cookie)).await;
        assert!(reply.retry_after.is_none(), "{path} within the limit");
    }
    let reply = post(&site.router, attempts[2].0, &attempts[2].1, Some(&cookie)).await;
    assert!(reply.retry_after.is_some(), "the fourth guess is held back");
    assert!(
        user_by_email(&site, "zoe@istres.test").await.is_some(),
        "nothing deleted"
    );
    site.t.cleanup().await;
}

async fn deleting_the_account_erases_personal_data_and_keeps_audit_rows(backend: Backend) {
    let site = TestApp::start(backend, &[]).await;
    let cookie = approved_member(&site, "zoe@istres.test").await;
    let id = user_by_email(&site, "zoe@istres.test")
        .await
        .expect("row")
        .id;
    let export = get(&site.router, "/compte/export.json", Some(&cookie)).await;
    let json: serde_json::Value = serde_json::from_str(&export.body).expect("json export");
    assert_eq!(json["compte"]["email"], "zoe@istres.test");
    assert_eq!(json["collectivite"]["identifiant"], "com-13047");

    let wrong = post(
        &site.router,
        "/api/delete_account",
        &[("current_password", "pas le bon")],
        Some(&cookie),
    )
    .await;
    assert!(wrong.refused());
    assert!(user_by_email(&site, "zoe@istres.test").await.is_some());

    let ok = post(
        &site.router,
        "/api/delete_account",
        &[("current_password", MEMBER_PASSWORD)],
        Some(&cookie),
    )
    .await;
    assert_eq!(ok.location, "/?info=compte-supprime");
    assert!(user_by_email(&site, "zoe@istres.test").await.is_none());
    assert_eq!(sessions_of(&site, id).await, 0);
    let tokens = user_token::Entity::find()
        .filter(user_token::Column::UserId.eq(id))
        .count(&site.t.db)
        .await
        .expect("count");
    assert_eq!(tokens, 0);
    let audit = audit_log::Entity::find()
        .filter(audit_log::Column::Action.eq("account.delete"))
        .one(&site.t.db)
        .await
        .expect("query")
        .expect("audit row kept");
    assert_eq!(audit.target_id, id.to_string());
    assert!(
        audit.reason.is_none() && audit.ip.is_none(),
        "no personal data in the audit row"
    );
    site.t.cleanup().await;
}

async fn sessions_end_when_idle_too_long_past_their_age_or_on_suspension(backend: Backend) {
    let site = TestApp::start(
        backend,
        &[
            ("PAIRS_SESSION_IDLE_MINUTES", "30"),
            ("PAIRS_SESSION_MAX_HOURS", "8"),
        ],
    )
    .await;
    let cookie = approved_member(&site, "zoe@istres.test").await;
    assert!(
        get(&site.router, "/compte", Some(&cookie))
            .await
            .body
            .contains("Mon compte")
    );
    let id = user_by_email(&site, "zoe@istres.test")
        .await
        .expect("row")
        .id;
    let s = session::Entity::find()
        .filter(session::Column::UserId.eq(id))
        .one(&site.t.db)
        .await
        .expect("query")
        .expect("session");
    let mut active: session::ActiveModel = s.into();
    active.last_seen_at = Set(Utc::now() - Duration::minutes(31));
    active.update(&site.t.db).await.expect("age");
    assert!(
        get(&site.router, "/compte", Some(&cookie))
            .await
            .location
            .starts_with("/connexion?retour="),
        "idle timeout"
    );

    let cookie = session_cookie(&login(&site.router, "zoe@istres.test", MEMBER_PASSWORD).await);
    let s = session::Entity::find()
        .filter(session::Column::UserId.eq(id))
        .one(&site.t.db)
        .await
        .expect("q")
        .expect("s");
    let mut active: session::ActiveModel = s.into();
    active.expires_at = Set(Utc::now() - Duration::minutes(1));
    active.update(&site.t.db).await.expect("expire");
    assert!(
        get(&site.router, "/compte", Some(&cookie))
            .await
            .location
            .starts_with("/connexion?retour="),
        "absolute timeout"
    );

    let cookie = session_cookie(&login(&site.router, "zoe@istres.test", MEMBER_PASSWORD).await);
    let mut active: user::ActiveModel = user_by_email(&site, "zoe@istres.test")
        .await
        .expect("row")
        .into();
    active.status = Set(AccountStatus::Suspended);
    active.update(&site.t.db).await.expect("suspend");
    assert!(
        get(&site.router, "/compte", Some(&cookie))
            .await
            .location
            .starts_with("/connexion?retour="),
        "suspended"
    );
    site.t.cleanup().await;
}

async fn https_sites_use_host_prefixed_secure_cookies_and_hsts(backend: Backend) {
    let site = TestApp::start(
        backend,
        &[("PAIRS_PUBLIC_URL", "https://pairs.example.org")],
    )
    .await;
    let reply = login(&site.router, ADMIN_EMAIL, ADMIN_PASSWORD).await;
    let cookie = reply.cookies.first().expect("cookie");
    assert!(cookie.starts_with("__Host-pairs_session="), "{cookie}");
    for attr in ["Secure", "HttpOnly", "SameSite=Lax", "Path=/"] {
        assert!(cookie.contains(attr), "{attr} in {cookie}");
    }
    let response = site
        .router
        .clone()
        .oneshot(Request::get("/").body(Body::empty()).expect("request"))
        .await
        .expect("response");
    let h = response.headers();
    assert!(h.get(header::STRICT_TRANSPORT_SECURITY).is_some());
    let csp = h
        .get(header::CONTENT_SECURITY_POLICY)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    assert!(
        csp.contains("object-src 'none'") && csp.contains("frame-ancestors 'none'"),
        "{csp}"
    );
    assert_eq!(
        h.get(header::X_CONTENT_TYPE_OPTIONS)
            .and_then(|v| v.to_str().ok()),
        Some("nosniff")
    );
    assert!(h.get(header::REFERRER_POLICY).is_some());
    // Scripts: no 'unsafe-inline'; a fresh nonce per response, the one Leptos' own inline
    // scripts carry.
    let script_src = csp
        .split(';')
        .find(|d| d.trim().starts_with("script-src"))
        .expect("a script-src directive")
        .to_string();
    assert!(!script_src.contains("unsafe-inline"), "{script_src}");
    // Styles: the stylesheet only, no inline style anywhere.
    assert!(!csp.contains("unsafe-inline"), "{csp}");
    let nonce_of = |policy: &str| {
        policy
            .split("'nonce-")
            .nth(1)
            .and_then(|rest| rest.split('\'').next())
            .expect("a nonce")
            .to_string()
    };
    let nonce = nonce_of(&script_src);
    let page = get(&site.router, "/", None).await;
    let page_csp = page.csp.clone().expect("a CSP");
    let page_nonce = nonce_of(&page_csp);
    assert_ne!(nonce, page_nonce, "a new nonce for each response");
    let scripts = page.body.matches("<script").count();
    let signed = page
        .body
        .matches(&format!("nonce=\"{page_nonce}\""))
        .count();
    assert!(
        scripts > 0 && signed >= scripts,
        "{signed} of {scripts} scripts carry the nonce"
    );
    assert!(!page.body.contains(" onchange=") && !page.body.contains(" onclick="));
    site.t.cleanup().await;
}

async fn oversized_bodies_are_refused(backend: Backend) {
    let site = TestApp::start(backend, &[]).await;
    let huge = format!("email=a%40b.fr&password={}", "a".repeat(300 * 1024));
    let request = Request::post("/api/login")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::CONTENT_LENGTH, huge.len())
        .body(Body::from(huge))
        .expect("request");
    let response = site
        .router
        .clone()
        .oneshot(request)
        .await
        .expect("response");
    assert_eq!(response.status(), StatusCode::PAYLOAD_TOO_LARGE);
    site.t.cleanup().await;
}

on_both_backends!(
    password_checks_of_signed_in_actions_are_throttled,
    tokens_are_revoked_by_a_new_password_and_single_use_under_concurrency,
    profile_edit_validates_and_saves,
    password_change_needs_the_current_one_ends_sessions_and_notifies,
    password_reset_answers_the_same_and_works_once,
    email_change_is_confirmed_from_the_new_address,
    deleting_the_account_erases_personal_data_and_keeps_audit_rows,
    sessions_end_when_idle_too_long_past_their_age_or_on_suspension,
    https_sites_use_host_prefixed_secure_cookies_and_hsts,
    oversized_bodies_are_refused,
);
