//! The membership flow through the real router, with form-encoded POSTs as a browser
//! without JavaScript sends them, a real SQLite database and a real SMTP server.

use crate::common;

use common::Backend;

use axum::{
    body::Body,
    http::{Request, StatusCode, header},
};
use common::smtp::{SmtpServer, link};
use common::web::*;
use domain::entities::{audit_log, job, session, user};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
use tower::ServiceExt;

async fn sign_up_verify_approve_login_account_logout(backend: Backend) {
    let site = TestApp::start(backend, &[]).await;
    let smtp = SmtpServer::start(site.smtp_port, &site.t.dir.path().join("maildir"));
    let router = &site.router;

    // Sign-up.
    let reply = post(
        router,
        "/api/sign_up",
        &signup_form("zoe.martin@istres.test"),
        None,
    )
    .await;
    assert_eq!(reply.status, StatusCode::FOUND, "{}", reply.body);
    assert_eq!(reply.location, "/inscription/envoyee");
    let created = user_by_email(&site, "zoe.martin@istres.test")
        .await
        .expect("account created");
    assert_eq!(created.status, AccountStatus::Unverified);
    assert!(created.password_hash.starts_with("$argon2id$"));

    // The verification email arrives through real SMTP.
    assert_eq!(deliver(&site).await.delivered, 1);
    let mails = smtp.messages();
    assert_eq!(mails.len(), 1);
    assert!(mails[0].contains("To: zoe.martin@istres.test"));
    let verify = link(&mails[0], "http://pairs.test/verifier?jeton=").expect("verification link");
    let path = verify.trim_start_matches("http://pairs.test");

    // Opening the link changes nothing; the button's POST does.
    let page = get(router, path, None).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Confirmer mon adresse"));
    assert_eq!(
        user_by_email(&site, "zoe.martin@istres.test")
            .await
            .expect("row")
            .status,
        AccountStatus::Unverified
    );
    let token = path.trim_start_matches("/verifier?jeton=");
    let reply = post(router, "/api/verify_email", &[("token", token)], None).await;
    assert_eq!(reply.location, "/connexion?info=adresse-confirmee");
    assert_eq!(
        user_by_email(&site, "zoe.martin@istres.test")
            .await
            .expect("row")
            .status,
        AccountStatus::Pending
    );
    // Single use.
    let reply = post(router, "/api/verify_email", &[("token", token)], None).await;
    assert!(
        (reply.location == "/verifier" && reply.refused()),
        "{}",
        reply.location
    );

    // A pending member may log in but sees the waiting notice and no admin data.
    let pending = session_cookie(&login(router, "zoe.martin@istres.test", MEMBER_PASSWORD).await);
    let account = get(router, "/compte", Some(&pending)).await;
    assert!(account.body.contains("en attente de validation"));
    let reply = post(router, "/api/list_pending_members", &[], Some(&pending)).await;
    assert_eq!(reply.status, StatusCode::FORBIDDEN);

    // The administrator approves; the audit log records it; the member is emailed.
    let admin = session_cookie(&login(router, ADMIN_EMAIL, ADMIN_PASSWORD).await);
    let queue = get(router, "/admin/membres", Some(&admin)).await;
    assert!(queue.body.contains("Zoé Martin"), "pending member listed");
    let id = created.id.to_string();
    let reply = post(router, "/api/approve_member", &[("id", &id)], Some(&admin)).await;
    assert_eq!(reply.location, "/admin/membres?info=membre-valide");
    assert_eq!(
        user_by_email(&site, "zoe.martin@istres.test")
            .await
            .expect("row")
            .status,
        AccountStatus::Approved
    );
    let audit = audit_log::Entity::find()
        .filter(audit_log::Column::Action.eq("member.approve"))
        .one(&site.t.db)
        .await
        .expect("query")
        .expect("audit row");
    assert_eq!(audit.target_id, id);
    assert!(audit.actor_id.is_some());
    deliver(&site).await;
    assert!(
        smtp.messages()
            .iter()
            .any(|m| m.contains("votre compte est valid") || m.contains("Bienvenue"))
    );

    // Login, account page, logout.
    let member = session_cookie(&login(router, "zoe.martin@istres.test", MEMBER_PASSWORD).await);
    let account = get(router, "/compte", Some(&member)).await;
    assert!(account.body.contains("Mon compte"));
    assert!(account.body.contains("Zoé"));
    assert!(!account.body.contains("en attente de validation"));
    let export = get(router, "/compte/export.json", Some(&member)).await;
    assert_eq!(export.status, StatusCode::OK);
    assert!(export.body.contains("zoe.martin@istres.test"));
    let reply = post(router, "/api/logout", &[], Some(&member)).await;
    assert!(reply.cookies.iter().any(|c| c.contains("Max-Age=0")));
    let account = get(router, "/compte", Some(&member)).await;
    assert!(
        account.body.contains("Connectez-vous"),
        "the session is over"
    );
    site.t.cleanup().await;
}

async fn smtp_down_then_up_delivers_each_mail_exactly_once(backend: Backend) {
    let site = TestApp::start(backend, &[]).await;
    for i in 0..3 {
        let email = format!("agent{i}@istres.test");
        let reply = post(&site.router, "/api/sign_up", &signup_form(&email), None).await;
        assert_eq!(reply.location, "/inscription/envoyee");
    }
    // No server listening: the pass retries later, nothing is lost.
    let pass = deliver(&site).await;
    assert_eq!((pass.delivered, pass.retried), (0, 1));
    let pending = job::Entity::find()
        .filter(job::Column::Status.eq(model::job::JobStatus::Pending))
        .count(&site.t.db)
        .await
        .expect("count");
    assert_eq!(pending, 3);
    // The server comes up; make the backoff elapse.
    let smtp = SmtpServer::start(site.smtp_port, &site.t.dir.path().join("maildir"));
    job::Entity::update_many()
        .col_expr(
            job::Column::RunAt,
            sea_orm::sea_query::Expr::value(chrono::Utc::now()),
        )
        .exec(&site.t.db)
        .await
        .expect("reschedule");
    assert_eq!(deliver(&site).await.delivered, 3);
    assert_eq!(deliver(&site).await.delivered, 0, "nothing is sent twice");
    let mails = smtp.messages();
    assert_eq!(mails.len(), 3);
    for i in 0..3 {
        let to = format!("To: agent{i}@istres.test");
        assert_eq!(
            mails.iter().filter(|m| m.contains(&to)).count(),
            1,
            "{to} once"
        );
    }
    // Delivered mails leave nothing behind: no address, no link token.
    for delivered in job::Entity::find()
        .filter(job::Column::Status.eq(model::job::JobStatus::Done))
        .all(&site.t.db)
        .await
        .expect("jobs")
    {
        assert!(
            !delivered.payload.contains("jeton=") && !delivered.payload.contains('@'),
            "{}",
            delivered.payload
        );
    }
    site.t.cleanup().await;
}

/// Every endpoint that changes state.
/// Every server function the server registers (all are POST): the list comes from the
/// server itself, so a new one cannot be left out of the cross-site check.
fn state_changing() -> Vec<String> {
    let paths: Vec<String> = leptos::server_fn::axum::server_fn_paths()
        .map(|(path, _)| path.to_string())
        .collect();
    assert!(paths.len() >= 40, "{paths:?}");
    paths
}

async fn row_counts(site: &TestApp) -> (u64, u64, u64) {
    let db = &site.t.db;
    (
        user::Entity::find().count(db).await.expect("users"),
        session::Entity::find().count(db).await.expect("sessions"),
        job::Entity::find().count(db).await.expect("jobs"),
    )
}

async fn crafted_error_messages_are_not_displayed(backend: Backend) {
    let site = TestApp::start(backend, &[]).await;
    // A link made up by someone else: a page takes no message from its address.
    let crafted = get(
        &site.router,
        "/connexion?erreur=Votre+compte+est+bloqu%C3%A9+%3A+appelez+le+0899&info=appelez-le-0899&retour=%2Fcompte",
        None,
    )
    .await;
    assert_eq!(crafted.status, StatusCode::OK);
    assert!(
        !crafted.body.contains("0899"),
        "nothing of the link is shown"
    );
    assert_eq!(error_notice(&crafted.body), "");
    // A real refusal: the address stays clean, the page shows the server's own message
    // and the address typed, once.
    let refused = login(&site.router, ADMIN_EMAIL, "un mot de passe quelconque").await;
    assert_eq!(refused.location, "/connexion");
    assert!(refused.error.contains("incorrect"), "{}", refused.error);
    assert!(refused.page.contains(&format!(r#"value="{ADMIN_EMAIL}""#)));
    let flash = refused.flash_cookie().expect("flash cookie");
    let again = get(&site.router, "/connexion", Some(&flash)).await;
    assert_eq!(error_notice(&again.body), "", "a flash is shown once");
    // A made-up flash cookie shows nothing either.
    let forged = get(&site.router, "/connexion", Some("pairs_flash=forged")).await;
    assert_eq!(forged.status, StatusCode::OK);
    assert_eq!(error_notice(&forged.body), "");
    site.t.cleanup().await;
}

async fn cross_site_posts_are_refused_and_change_nothing(backend: Backend) {
    let site = TestApp::start(backend, &[]).await;
    let admin = session_cookie(&login(&site.router, ADMIN_EMAIL, ADMIN_PASSWORD).await);
    let before = row_counts(&site).await;
    let form = encode(&signup_form("evil@attacker.test"));
    for path in state_changing() {
        for (name, value) in [
            ("sec-fetch-site", "cross-site"),
            ("origin", "https://attacker.test"),
        ] {
            let request = Request::post(path.as_str())
                .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                .header(header::COOKIE, &admin)
                .header(name, value)
                .body(Body::from(form.clone()))
                .expect("request");
            let reply = read(
                site.router
                    .clone()
                    .oneshot(request)
                    .await
                    .expect("response"),
            )
            .await;
            assert_eq!(
                reply.status,
                StatusCode::FORBIDDEN,
                "{path} with {name}: {value}"
            );
        }
    }
    assert_eq!(row_counts(&site).await, before, "nothing changed");
    site.t.cleanup().await;
}

async fn unknown_email_and_wrong_password_look_the_same_and_throttling_lifts(backend: Backend) {
    let site = TestApp::start(
        backend,
        &[
            ("PAIRS_THROTTLE_MAX", "3"),
            ("PAIRS_THROTTLE_WINDOW_SECONDS", "2"),
        ],
    )
    .await;
    let unknown = login(
        &site.router,
        "personne@nulle-part.test",
        "un mot de passe quelconque",
    )
    .await;
    let wrong = login(&site.router, ADMIN_EMAIL, "un mot de passe quelconque").await;
    assert_eq!(unknown.status, wrong.status);
    assert_eq!(unknown.location, wrong.location);
    assert_eq!(unknown.error, wrong.error, "same message");
    assert!(
        unknown
            .cookies
            .iter()
            .chain(&wrong.cookies)
            .all(|c| c.starts_with("pairs_flash=")),
        "no session: {:?} {:?}",
        unknown.cookies,
        wrong.cookies
    );

    // Third attempt on the admin account is still answered; the fourth is throttled.
    login(&site.router, ADMIN_EMAIL, "encore un mauvais mot de passe").await;
    let blocked = login(&site.router, ADMIN_EMAIL, ADMIN_PASSWORD).await;
    assert!(
        blocked.error.contains("Trop de tentatives"),
        "{}",
        blocked.error
    );
    assert!(blocked.retry_after.is_some(), "Retry-After is sent");
    assert!(
        blocked
            .cookies
            .iter()
            .all(|c| !c.starts_with("pairs_session=")),
        "no session while throttled"
    );
    tokio::time::sleep(std::time::Duration::from_millis(2100)).await;
    let ok = login(&site.router, ADMIN_EMAIL, ADMIN_PASSWORD).await;
    assert_eq!(ok.location, "/compte", "throttling lifted");
    site.t.cleanup().await;
}

async fn admin_functions_answer_403_to_members_and_visitors(backend: Backend) {
    let site = TestApp::start(backend, &[]).await;
    // An approved non-admin member.
    post(
        &site.router,
        "/api/sign_up",
        &signup_form("membre@istres.test"),
        None,
    )
    .await;
    let m = user_by_email(&site, "membre@istres.test")
        .await
        .expect("row");
    let admin = domain::actor::CurrentUser::from(
        &user_by_email(&site, ADMIN_EMAIL).await.expect("admin row"),
    );
    let mut active: user::ActiveModel = m.clone().into();
    active.status = sea_orm::Set(AccountStatus::Pending);
    sea_orm::ActiveModelTrait::update(active, &site.t.db)
        .await
        .expect("pending");
    domain::accounts::admin::approve(&site.t.db, &admin, m.id, None, "http://pairs.test")
        .await
        .expect("approve");
    let member = session_cookie(&login(&site.router, "membre@istres.test", MEMBER_PASSWORD).await);
    // Another account waiting for approval: its details are for administrators only.
    post(
        &site.router,
        "/api/sign_up",
        &signup_form("autre@istres.test"),
        None,
    )
    .await;
    let other = user_by_email(&site, "autre@istres.test")
        .await
        .expect("row");
    let mut active: user::ActiveModel = other.into();
    active.status = sea_orm::Set(AccountStatus::Pending);
    sea_orm::ActiveModelTrait::update(active, &site.t.db)
        .await
        .expect("pending");
    let id = m.id.to_string();
    for cookie in [Some(member.as_str()), None] {
        for (path, form) in [
            ("/api/list_pending_members", vec![]),
            ("/api/approve_member", vec![("id", id.as_str())]),
            (
                "/api/reject_member",
                vec![("id", id.as_str()), ("reason", "non")],
            ),
        ] {
            let reply = post(&site.router, path, &form, cookie).await;
            // Member or visitor, a direct call to an admin function is forbidden.
            assert_eq!(reply.status, StatusCode::FORBIDDEN, "{path} ({cookie:?})");
            assert!(!reply.body.contains("autre@istres.test"), "{path}");
        }
        let page = get(&site.router, "/admin/membres", cookie).await;
        assert!(
            !page.body.contains("autre@istres.test"),
            "no member details leak"
        );
    }
    assert_eq!(
        user_by_email(&site, "autre@istres.test")
            .await
            .expect("row")
            .status,
        AccountStatus::Pending,
        "nobody but an administrator approves"
    );
    site.t.cleanup().await;
}

/// Members-only pages: a visitor is sent to the login page, which brings them back; a
/// member without the right gets the French 403 page; an administrator gets the page.
async fn members_only_pages_redirect_visitors_and_refuse_members(backend: Backend) {
    let site = TestApp::start(backend, &[]).await;
    let member = approved_member(&site, "membre@istres.test").await;
    let admin = session_cookie(&login(&site.router, ADMIN_EMAIL, ADMIN_PASSWORD).await);

    let admin_pages = ["/admin/membres", "/admin/logiciels"];
    let member_pages = ["/compte", "/compte/export.json"];
    for path in admin_pages.iter().chain(&member_pages) {
        let visitor = get(&site.router, path, None).await;
        assert!(
            visitor.status.is_redirection(),
            "{path} as a visitor: {}",
            visitor.status
        );
        let expected = format!("/connexion?retour={}", app::format::url_encode(path));
        assert_eq!(visitor.location, expected, "{path} comes back after login");
        let as_admin = get(&site.router, path, Some(&admin)).await;
        assert_eq!(
            as_admin.status,
            StatusCode::OK,
            "{path} as an administrator"
        );
    }
    for path in admin_pages {
        let page = get(&site.router, path, Some(&member)).await;
        assert_eq!(page.status, StatusCode::FORBIDDEN, "{path} as a member");
        assert!(
            page.body.contains("Vous n&#x27;avez pas accès")
                || page.body.contains("Vous n'avez pas accès"),
            "{path}: {}",
            page.body
        );
    }
    for path in member_pages {
        let page = get(&site.router, path, Some(&member)).await;
        assert_eq!(page.status, StatusCode::OK, "{path} as a member");
    }
    // Any page seen signed in carries the viewer's profile; seen anonymously it may be cached.
    let home = get(&site.router, "/", Some(&member)).await;
    assert_eq!(home.cache_control.as_deref(), Some("private, no-store"));
    let home = get(&site.router, "/", None).await;
    assert_ne!(home.cache_control.as_deref(), Some("private, no-store"));
    // A page opened from an emailed link holds its token: never cached, even signed out.
    for path in [
        "/verifier?jeton=abc",
        "/reinitialiser?jeton=abc",
        "/confirmer-adresse?jeton=abc",
        "/supprimer-mes-donnees?jeton=abc",
    ] {
        let page = get(&site.router, path, None).await;
        assert_eq!(
            page.cache_control.as_deref(),
            Some("private, no-store"),
            "{path}"
        );
    }

    // Login goes back where it was asked from, and only to this site.
    for (retour, expected) in [
        ("/admin/membres", "/admin/membres"),
        ("//evil.example/x", "/compte"),
        ("https://evil.example/", "/compte"),
    ] {
        let reply = post(
            &site.router,
            "/api/login",
            &[
                ("email", ADMIN_EMAIL),
                ("password", ADMIN_PASSWORD),
                ("retour", retour),
            ],
            None,
        )
        .await;
        assert_eq!(reply.location, expected, "retour={retour}");
    }
    // A failed login keeps the way back.
    let reply = post(
        &site.router,
        "/api/login",
        &[
            ("email", ADMIN_EMAIL),
            ("password", "pas le bon mot de passe"),
            ("retour", "/admin/logiciels"),
        ],
        None,
    )
    .await;
    assert!(
        reply.location.contains("retour=%2Fadmin%2Flogiciels"),
        "{}",
        reply.location
    );
    site.t.cleanup().await;
}

/// An address nobody confirmed cannot be squatted: signing up again replaces the pending
/// sign-up and its link; the login page resends a link; stale sign-ups are purged.
async fn unverified_addresses_can_be_reclaimed_and_stale_sign_ups_go(backend: Backend) {
    let site = TestApp::start(backend, &[]).await;
    let smtp = SmtpServer::start(site.smtp_port, &site.t.dir.path().join("maildir"));
    let email = "zoe@istres.test";
    // A squatter signs up first with someone else's address.
    let mut squat = signup_form(email);
    squat[1] = ("password", "le mot de passe du squatteur");
    post(&site.router, "/api/sign_up", &squat, None).await;
    deliver(&site).await;
    let first_link = link(&smtp.messages()[0], "http://pairs.test/verifier?jeton=").expect("link");
    // The owner signs up again, for another authority, with their own password.
    let mut form = signup_form(email);
    form[6] = ("authority", "com-13039");
    let reply = post(&site.router, "/api/sign_up", &form, None).await;
    assert_eq!(reply.location, "/inscription/envoyee", "same answer");
    let account = user_by_email(&site, email).await.expect("one account");
    let istres = domain::authorities::id_of(&site.t.db, "com-13047")
        .await
        .expect("query");
    assert_eq!(
        account.authority_id, istres,
        "nothing replaced before a link is used"
    );
    // « Renvoyer le lien »: same answer for any address.
    for address in [email, "inconnu@pairs.test"] {
        let reply = post(
            &site.router,
            "/api/resend_verification",
            &[("email", address)],
            None,
        )
        .await;
        assert_eq!(reply.location, "/connexion?info=lien-renvoye", "{address}");
    }
    deliver(&site).await;
    let links: Vec<String> = smtp
        .messages()
        .iter()
        .filter_map(|m| link(m, "http://pairs.test/verifier?jeton="))
        .collect();
    assert_eq!(links.len(), 3, "first sign-up, second sign-up, resend");
    let token = |l: &str| {
        l.trim_start_matches("http://pairs.test/verifier?jeton=")
            .to_string()
    };
    // Each link's page says whose sign-up it confirms: the squatter's names Istres, the
    // owner's (and its resend) Fos-sur-Mer.
    let fos = |l: &str| {
        let l = token(l);
        let site = &site;
        async move {
            let page = get(&site.router, &format!("/verifier?jeton={l}"), None).await;
            assert!(page.body.contains("Confirmer mon adresse"), "{}", page.body);
            page.body.contains("Fos-sur-Mer")
        }
    };
    assert!(
        !fos(&first_link).await,
        "the squatter's link names their sign-up"
    );
    // The mailbox lists messages in no guaranteed order: the owner's two links are the
    // ones that are not the squatter's.
    let owners: Vec<&String> = links.iter().filter(|l| **l != first_link).collect();
    assert_eq!(owners.len(), 2, "{links:?}");
    assert!(fos(owners[0]).await && fos(owners[1]).await);
    // The owner confirms their own link: their password and authority, every other link dead.
    let reply = post(
        &site.router,
        "/api/verify_email",
        &[("token", &token(owners[0]))],
        None,
    )
    .await;
    assert_eq!(reply.location, "/connexion?info=adresse-confirmee");
    for l in [&first_link, owners[1]] {
        let reply = post(
            &site.router,
            "/api/verify_email",
            &[("token", &token(l))],
            None,
        )
        .await;
        assert!(reply.refused(), "{l} is dead: {}", reply.location);
    }
    let account = user_by_email(&site, email).await.expect("one account");
    let other_authority = domain::authorities::id_of(&site.t.db, "com-13039")
        .await
        .expect("query");
    assert_eq!(
        account.authority_id, other_authority,
        "the confirmed sign-up's"
    );
    let reply = login(&site.router, email, MEMBER_PASSWORD).await;
    assert_eq!(reply.location, "/compte", "the owner's password works");
    let reply = login(&site.router, email, "le mot de passe du squatteur").await;
    assert!(reply.refused(), "not the squatter's");

    // Purge: unverified after 7 days, rejected after 30; others stay.
    let now = chrono::Utc::now();
    for (address, status, age_days) in [
        ("vieux@pairs.test", "unverified", 8),
        ("recent@pairs.test", "unverified", 6),
        // First signed up 8 days ago, again yesterday: counted from the last sign-up.
        ("relance@pairs.test", "unverified", 1),
        ("refuse@pairs.test", "rejected", 31),
        ("refuse-recent@pairs.test", "rejected", 10),
    ] {
        post(&site.router, "/api/sign_up", &signup_form(address), None).await;
        let mut active: user::ActiveModel =
            user_by_email(&site, address).await.expect("row").into();
        active.status = sea_orm::Set(status_named(status));
        active.created_at = sea_orm::Set(now - chrono::Duration::days(age_days.max(8)));
        active.updated_at = sea_orm::Set(now - chrono::Duration::days(age_days));
        sea_orm::ActiveModelTrait::update(active, &site.t.db)
            .await
            .expect("age");
    }
    let purged = domain::accounts::purge::purge_stale(&site.t.db, now)
        .await
        .expect("purge");
    assert_eq!(purged, 2);
    assert!(user_by_email(&site, "vieux@pairs.test").await.is_none());
    assert!(user_by_email(&site, "refuse@pairs.test").await.is_none());
    assert!(user_by_email(&site, "recent@pairs.test").await.is_some());
    assert!(user_by_email(&site, "relance@pairs.test").await.is_some());
    assert!(
        user_by_email(&site, "refuse-recent@pairs.test")
            .await
            .is_some()
    );
    assert!(user_by_email(&site, email).await.is_some(), "members stay");
    site.t.cleanup().await;
}

/// What a form could leak into an address: an email, a name, a phone, a password, a token.
const LEAKS: [&str; 6] = [
    "fuite.courriel@exemple.test",
    "Fuiteprenom",
    "Fuitenom",
    "0699887766",
    "fuite-mot-de-passe",
    "fuite-jeton-0123456789",
];

/// A form holding every field any server function takes, each with a value that must never
/// reach a URL (numbers where a number is expected: an unknown id, so the form fails).
fn leaky_form() -> Vec<(&'static str, &'static str)> {
    let [email, first, last, phone, password, token] = LEAKS;
    vec![
        ("email", email),
        ("new_email", email),
        ("password", password),
        ("current_password", password),
        ("new_password", password),
        ("first_name", first),
        ("last_name", last),
        ("job_title", last),
        ("phone", phone),
        ("token", token),
        ("jeton", token),
        ("objet", first),
        ("message", last),
        ("motif", last),
        ("reason", last),
        ("note", last),
        ("notes", last),
        ("name", last),
        ("description", last),
        ("site", token),
        ("website", token),
        ("version", token),
        ("id", "999999"),
        ("destinataire", "999999"),
        ("membre", "999999"),
        ("demande", "999999"),
        ("authority", "com-13047"),
        ("software", "logiciel-inexistant"),
        ("slug", "logiciel-inexistant"),
        ("into", "logiciel-inexistant"),
        ("status", "in_use"),
        ("since_year", "1850"),
        ("satisfaction", "9"),
        ("category", "sig"),
        ("decision", "classer"),
        ("role", "accorder"),
        ("retour", "/compte"),
        ("position", "agent"),
        ("commune", last),
        ("consentement", "oui"),
        ("debut", token),
    ]
}

/// Every server function, called as a visitor, an approved member and an administrator
/// with values that must not leak: no redirect address carries any of them, and the
/// refusals keep what was typed on the server side only.
async fn no_form_puts_personal_data_in_a_redirect(backend: Backend) {
    let site = TestApp::start(backend, &[]).await;
    domain::catalogue::seed::load_catalogue(&site.t.db)
        .await
        .expect("catalogue");
    let member = member_of(&site, "zoe@istres.test", "com-13047", "approved").await;
    let admin = session_cookie(&login(&site.router, ADMIN_EMAIL, ADMIN_PASSWORD).await);
    let form = leaky_form();
    let mut refusals = 0;
    for cookie in [None, Some(member.as_str()), Some(admin.as_str())] {
        for path in state_changing() {
            // Logging out would end the session the next calls rely on.
            if path.ends_with("/logout") {
                continue;
            }
            let reply = post(&site.router, &path, &form, cookie).await;
            for leak in LEAKS {
                assert!(
                    !reply.location.to_lowercase().contains(&leak.to_lowercase()),
                    "{path} redirects to {} ({leak})",
                    reply.location
                );
            }
            if reply.refused() {
                refusals += 1;
            }
        }
    }
    assert!(refusals >= 40, "the failure paths ran: {refusals} refusals");
    site.t.cleanup().await;
}

on_both_backends!(
    unverified_addresses_can_be_reclaimed_and_stale_sign_ups_go,
    members_only_pages_redirect_visitors_and_refuse_members,
    sign_up_verify_approve_login_account_logout,
    smtp_down_then_up_delivers_each_mail_exactly_once,
    cross_site_posts_are_refused_and_change_nothing,
    crafted_error_messages_are_not_displayed,
    no_form_puts_personal_data_in_a_redirect,
    unknown_email_and_wrong_password_look_the_same_and_throttling_lifts,
    admin_functions_answer_403_to_members_and_visitors,
);
