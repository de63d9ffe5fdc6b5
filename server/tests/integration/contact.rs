//! Contact requests through the real router and a real SMTP server (aiosmtpd): the relay,
//! every refusal, delivery through outages and rejections, two workers sharing PostgreSQL,
//! the email's links, and erasure.

use crate::common;

use std::collections::HashSet;

use chrono::{Duration, Utc};
use common::smtp::{SmtpServer, link, messages, unfold_qp};
use common::web::*;
use common::{Backend, TestDb};
use domain::entities::{contact_block, contact_report, contact_request, job, user};
use domain::mail::outbox::MailContext;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter,
    Set,
};

const SENDER: &str = "zoe@istres.test";
const RECIPIENT: &str = "paul@fos.test";
const MESSAGE: &str = "Bonjour,\nComment avez-vous migré vers GLPI 10 ?";

/// A site with the catalogue, an approved sender (Istres) and an approved recipient (Fos,
/// named Paul Durand): (site, sender cookie, sender id, recipient id).
async fn contact_site(backend: Backend, extra: &[(&str, &str)]) -> (TestApp, String, i32, i32) {
    let site = TestApp::start(backend, extra).await;
    domain::catalogue::seed::load_catalogue(&site.t.db)
        .await
        .expect("catalogue");
    let sender = member_of(&site, SENDER, "com-13047", "approved").await;
    member_of(&site, RECIPIENT, "com-13039", "approved").await;
    let mut paul: user::ActiveModel = user_by_email(&site, RECIPIENT).await.expect("row").into();
    paul.first_name = Set("Paul".into());
    paul.last_name = Set("Durand".into());
    let paul = paul.update(&site.t.db).await.expect("rename");
    let zoe = user_by_email(&site, SENDER).await.expect("row");
    (site, sender, zoe.id, paul.id)
}

/// A form stamp issued `age` seconds ago to `user_id`.
async fn stamp(db: &DatabaseConnection, user_id: i32, age: i64) -> String {
    domain::contact::stamp::issue(db, user_id, Utc::now() - Duration::seconds(age))
        .await
        .expect("stamp")
}

type Form<'a> = Vec<(&'a str, &'a str)>;

fn form<'a>(recipient: &'a str, stamp: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("destinataire", recipient),
        ("logiciel", "glpi"),
        ("objet", "Migration GLPI"),
        ("message", MESSAGE),
        ("consentement", "oui"),
        ("site_web", ""),
        ("debut", stamp),
    ]
}

fn with<'a>(
    mut form: Vec<(&'a str, &'a str)>,
    key: &'a str,
    value: &'a str,
) -> Vec<(&'a str, &'a str)> {
    form.retain(|(k, _)| *k != key);
    form.push((key, value));
    form
}

async fn send(site: &TestApp, cookie: &str, form: &[(&str, &str)]) -> Reply {
    post(
        &site.router,
        "/api/send_contact_request",
        form,
        Some(cookie),
    )
    .await
}

/// (contact requests, contact mail jobs) in the database.
async fn stored(db: &DatabaseConnection) -> (u64, u64) {
    let requests = contact_request::Entity::find()
        .count(db)
        .await
        .expect("count");
    let jobs = job::Entity::find()
        .filter(job::Column::DedupKey.starts_with("contact:"))
        .count(db)
        .await
        .expect("count");
    (requests, jobs)
}

fn header<'a>(raw: &'a str, name: &str) -> Option<&'a str> {
    raw.lines()
        .take_while(|l| !l.is_empty() && *l != "\r")
        .find_map(|l| {
            let (k, v) = l.split_once(':')?;
            k.eq_ignore_ascii_case(name).then(|| v.trim())
        })
}

fn mailer(port: u16, t: &TestDb) -> MailContext {
    mail_context(t, port)
}

/// Runs mail passes until nothing is left to send (waiting out backoffs), within 60 s.
async fn drain(db: &DatabaseConnection, mail: &MailContext) {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    loop {
        domain::mail::outbox::run_mail_pass(db, mail)
            .await
            .expect("pass");
        let left = domain::mail::outbox::queue_counts(db)
            .await
            .expect("counts");
        if left.pending == 0 {
            return;
        }
        assert!(std::time::Instant::now() < deadline, "mail left: {left:?}");
        tokio::time::sleep(std::time::Duration::from_millis(250)).await;
    }
}

/// No job row may hold a message body, an address or a link with a token once sent.
async fn assert_jobs_hold_no_mail(db: &DatabaseConnection, secrets: &[&str]) {
    for row in job::Entity::find().all(db).await.expect("jobs") {
        if matches!(
            row.status,
            model::job::JobStatus::Done | model::job::JobStatus::Failed
        ) {
            for secret in secrets {
                assert!(
                    !row.payload.contains(secret),
                    "job {} ({:?}) still holds {secret:?}: {}",
                    row.id,
                    row.status,
                    row.payload
                );
            }
            assert!(
                !row.payload.contains("jeton="),
                "job {} holds a link",
                row.id
            );
        }
    }
}

async fn a_request_reaches_the_referent_once_and_hides_the_address(backend: Backend) {
    let (site, cookie, _, paul) =
        contact_site(backend, &[("PAIRS_CONTACT_MIN_FILL_SECONDS", "0")]).await;
    // aiosmtpd creates the Maildir only where nothing exists yet.
    let dir = site.t.dir.path().join("maildir");
    let smtp = SmtpServer::start(site.smtp_port, &dir);
    // Paul is a referent of GLPI for Fos: the software page offers « Contacter ».
    let paul_cookie = session_cookie(&login(&site.router, RECIPIENT, MEMBER_PASSWORD).await);
    declare(&site, &paul_cookie, "com-13039", "glpi", true).await;
    let glpi = get(&site.router, "/logiciels/glpi", Some(&cookie)).await;
    let contact_link = format!("/contact/nouveau?destinataire={paul}&amp;logiciel=glpi");
    assert!(
        glpi.body.contains(&contact_link),
        "« Contacter » on the software page"
    );
    let fos = get(&site.router, "/collectivites/com-13039", Some(&cookie)).await;
    assert!(fos.body.contains("Contacter un membre") && fos.body.contains("Paul Durand"));
    let visitor = get(&site.router, "/collectivites/com-13039", None).await;
    assert!(
        !visitor.body.contains("Contacter un membre"),
        "members only"
    );

    let page = get(
        &site.router,
        &format!("/contact/nouveau?destinataire={paul}&logiciel=glpi"),
        Some(&cookie),
    )
    .await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("Paul Durand") && page.body.contains("consentement"));
    let stamp = page
        .body
        .split("name=\"debut\" value=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .expect("the form carries its stamp")
        .to_string();
    let paul_id = paul.to_string();
    let reply = send(&site, &cookie, &form(&paul_id, &stamp)).await;
    assert_eq!(reply.location, "/compte/messages?info=demande-envoyee");
    let pass = deliver(&site).await;
    assert!(pass.delivered >= 1, "{pass:?}");

    let to_paul: Vec<String> = smtp
        .messages()
        .into_iter()
        .filter(|m| header(m, "To").is_some_and(|t| t.contains(RECIPIENT)))
        .filter(|m| header(m, "Subject").is_some_and(|s| s.contains("Migration GLPI")))
        .collect();
    assert_eq!(to_paul.len(), 1, "exactly one email");
    let mail = &to_paul[0];
    assert!(header(mail, "From").is_some_and(|f| f.contains("ne-pas-repondre@pairs.test")));
    assert_eq!(header(mail, "Reply-To"), Some(SENDER));
    assert_eq!(header(mail, "Subject"), Some("[Pairs] Migration GLPI"));
    assert!(header(mail, "Message-ID").is_some_and(|id| id.starts_with("<contact-")));
    let body = unfold_qp(mail);
    assert!(
        body.contains("Martin (DSI, Istres) vous =C3=A9crit")
            || body.contains("Martin (DSI, Istres) vous écrit"),
        "{body}"
    );
    assert!(
        body.contains("> Comment avez-vous migr"),
        "the message is quoted"
    );
    for page in ["desinscription", "bloquer", "signaler"] {
        assert!(link(mail, &format!("http://pairs.test/contact/{page}?jeton=")).is_some());
    }

    // Nothing the sender can read names the recipient's address.
    for path in [
        "/logiciels/glpi".to_string(),
        "/collectivites/com-13039".to_string(),
        format!("/contact/nouveau?destinataire={paul}"),
        "/compte/messages".to_string(),
    ] {
        let reply = get(&site.router, &path, Some(&cookie)).await;
        assert_eq!(reply.status, 200, "{path}");
        assert!(
            !reply.body.contains(RECIPIENT),
            "{path} reveals the address"
        );
    }
    let listed = post(
        &site.router,
        "/api/list_messages",
        &[("page", "1")],
        Some(&cookie),
    )
    .await;
    assert!(listed.body.contains("Paul Durand") && listed.body.contains("sent"));
    assert!(!listed.body.contains(RECIPIENT));
    let form_json = post(
        &site.router,
        "/api/get_contact_form",
        &[("recipient", &paul_id)],
        Some(&cookie),
    )
    .await;
    assert!(form_json.body.contains("Paul Durand") && !form_json.body.contains(RECIPIENT));
    let mine = get(&site.router, "/compte/messages", Some(&cookie)).await;
    assert!(
        mine.body.contains("envoyé") && mine.body.contains("Envoyée à Paul Durand (Fos-sur-Mer)")
    );

    // The recipient sees it received, with the sender's name and no address either.
    let theirs = get(&site.router, "/compte/messages", Some(&paul_cookie)).await;
    assert!(theirs.body.contains("Reçue de Zoé Martin (Istres)"));
    assert!(!theirs.body.contains(SENDER));

    assert_jobs_hold_no_mail(&site.t.db, &[RECIPIENT, SENDER, "Comment avez-vous"]).await;
    site.t.cleanup().await;
}

async fn every_refusal_has_its_message_and_leaves_nothing(backend: Backend) {
    let (site, cookie, zoe, paul) = contact_site(
        backend,
        &[
            ("PAIRS_CONTACT_MIN_FILL_SECONDS", "5"),
            ("PAIRS_CONTACT_SENDER_DAILY", "2"),
            ("PAIRS_CONTACT_RECIPIENT_DAILY", "3"),
        ],
    )
    .await;
    let paul_id = paul.to_string();
    let old = stamp(&site.t.db, zoe, 60).await;
    let fresh = stamp(&site.t.db, zoe, 0).await;
    let other_member_stamp = stamp(&site.t.db, paul, 60).await;
    let long_subject = "a".repeat(201);
    let long_message = "a".repeat(5001);
    let base = form(&paul_id, &old);
    let cases: Vec<(&str, Form, &str)> = vec![
        (
            "honeypot",
            with(base.clone(), "site_web", "http://spam"),
            "Ne pas remplir",
        ),
        ("too fast", with(base.clone(), "debut", &fresh), "trop vite"),
        (
            "forged stamp",
            with(base.clone(), "debut", "1.abc"),
            "expir",
        ),
        (
            "someone else's stamp",
            with(base.clone(), "debut", &other_member_stamp),
            "expir",
        ),
        ("empty subject", with(base.clone(), "objet", "  "), "objet"),
        (
            "long subject",
            with(base.clone(), "objet", &long_subject),
            "200 caract",
        ),
        (
            "empty message",
            with(base.clone(), "message", ""),
            "message",
        ),
        (
            "long message",
            with(base.clone(), "message", &long_message),
            "5000 caract",
        ),
        (
            "no consent",
            with(base.clone(), "consentement", ""),
            "Cochez la case",
        ),
        (
            "unknown recipient",
            with(base.clone(), "destinataire", "999999"),
            "ne peut pas recevoir",
        ),
        (
            "garbage recipient",
            with(base.clone(), "destinataire", "abc"),
            "introuvable",
        ),
        (
            "unknown software",
            with(base.clone(), "logiciel", "nexistepas"),
            "catalogue",
        ),
    ];
    for (what, mut case, expected) in cases {
        if what == "no consent" {
            case.retain(|(k, _)| *k != "consentement");
        }
        let reply = send(&site, &cookie, &case).await;
        let shown = reply.shown();
        assert!(
            reply.location.starts_with("/contact/nouveau?destinataire=")
                && reply.refused()
                && shown.contains(expected),
            "{what}: {} {shown}",
            reply.location
        );
        assert!(
            !reply.location.contains("objet") && !reply.location.contains("Migration"),
            "{what}: what was typed stays out of the address: {}",
            reply.location
        );
        assert!(
            shown.contains("Migration GLPI") || what.contains("subject"),
            "{what}: what was typed comes back"
        );
        assert_eq!(stored(&site.t.db).await, (0, 0), "{what}: nothing stored");
    }
    // Writing to oneself.
    let zoe_id = zoe.to_string();
    let reply = send(&site, &cookie, &form(&zoe_id, &old)).await;
    assert!(reply.shown().contains("vous-même"));

    // Recipients who cannot receive: opted out, hidden, not approved, suspended.
    for (field, value) in [
        ("accepts_contact", "false"),
        ("visible", "false"),
        ("status", "pending"),
        ("status", "suspended"),
    ] {
        let original = user_by_email(&site, RECIPIENT).await.expect("row");
        let mut changed: user::ActiveModel = original.clone().into();
        match (field, value) {
            ("accepts_contact", _) => changed.accepts_contact = Set(false),
            ("visible", _) => changed.visible = Set(false),
            (_, status) => changed.status = Set(status_named(status)),
        }
        changed.update(&site.t.db).await.expect("change");
        let reply = send(&site, &cookie, &form(&paul_id, &old)).await;
        assert!(
            reply.shown().contains("ne peut pas recevoir"),
            "{field}={value}: {}",
            reply.location
        );
        let restore: user::ActiveModel = original.into();
        restore
            .reset_all()
            .update(&site.t.db)
            .await
            .expect("restore");
        assert_eq!(stored(&site.t.db).await, (0, 0));
    }

    // Senders who may not send: pending and suspended members, visitors.
    let pending = member_of(&site, "jean@istres.test", "com-13047", "pending").await;
    let jean = user_by_email(&site, "jean@istres.test")
        .await
        .expect("row")
        .id;
    let jean_stamp = stamp(&site.t.db, jean, 60).await;
    let reply = send(&site, &pending, &form(&paul_id, &jean_stamp)).await;
    assert!(
        reply.shown().contains("compte est validé"),
        "{}",
        reply.location
    );
    // Called as a script would (JSON answer), the same refusal is a 403 that says why
    // (decided once, in `domain::permissions`).
    let request = axum::http::Request::post("/api/get_contact_form")
        .header("content-type", "application/x-www-form-urlencoded")
        .header("accept", "application/json")
        .header("sec-fetch-site", "same-origin")
        .header("cookie", &pending)
        .body(axum::body::Body::from(format!("recipient={paul_id}")))
        .expect("request");
    let direct = read(
        tower::ServiceExt::oneshot(site.router.clone(), request)
            .await
            .expect("response"),
    )
    .await;
    assert_eq!(
        direct.status,
        axum::http::StatusCode::FORBIDDEN,
        "{}",
        direct.body
    );
    assert!(direct.body.contains("compte est validé"), "{}", direct.body);
    let reply = post(
        &site.router,
        "/api/send_contact_request",
        &form(&paul_id, &old),
        None,
    )
    .await;
    assert!(
        reply.location.starts_with("/connexion?"),
        "{}",
        reply.location
    );
    let page = get(
        &site.router,
        &format!("/contact/nouveau?destinataire={paul}"),
        None,
    )
    .await;
    assert_eq!(page.status, 302);
    assert!(
        page.location
            .starts_with("/connexion?retour=%2Fcontact%2Fnouveau")
    );
    let mut suspended: user::ActiveModel = user_by_email(&site, SENDER).await.expect("row").into();
    suspended.status = Set(AccountStatus::Suspended);
    suspended.update(&site.t.db).await.expect("suspend");
    let reply = send(&site, &cookie, &form(&paul_id, &old)).await;
    assert!(reply.refused(), "suspended: {}", reply.location);
    assert_eq!(stored(&site.t.db).await, (0, 0));
    let mut back: user::ActiveModel = user_by_email(&site, SENDER).await.expect("row").into();
    back.status = Set(AccountStatus::Approved);
    back.update(&site.t.db).await.expect("restore");

    // A form is sent once: posting it again is refused and stores nothing more.
    let reply = send(&site, &cookie, &form(&paul_id, &old)).await;
    assert_eq!(reply.location, "/compte/messages?info=demande-envoyee");
    let reply = send(&site, &cookie, &form(&paul_id, &old)).await;
    assert!(
        reply.shown().contains("déjà été envoyé"),
        "{}",
        reply.location
    );
    assert_eq!(stored(&site.t.db).await, (1, 1));

    // The daily limits: two per sender, three per recipient.
    let second = stamp(&site.t.db, zoe, 60).await;
    let reply = send(&site, &cookie, &form(&paul_id, &second)).await;
    assert_eq!(reply.location, "/compte/messages?info=demande-envoyee");
    let third = stamp(&site.t.db, zoe, 60).await;
    let reply = send(&site, &cookie, &form(&paul_id, &third)).await;
    assert!(
        reply.shown().contains("2 demandes de contact en 24 heures"),
        "{}",
        reply.location
    );
    assert_eq!(stored(&site.t.db).await, (2, 2));
    let marc = member_of(&site, "marc@istres.test", "com-13047", "approved").await;
    let marc_id = user_by_email(&site, "marc@istres.test")
        .await
        .expect("row")
        .id;
    let marc_stamp = stamp(&site.t.db, marc_id, 60).await;
    let reply = send(&site, &marc, &form(&paul_id, &marc_stamp)).await;
    assert_eq!(reply.location, "/compte/messages?info=demande-envoyee");
    let marc_stamp = stamp(&site.t.db, marc_id, 60).await;
    let reply = send(&site, &marc, &form(&paul_id, &marc_stamp)).await;
    assert!(
        reply.shown().contains("beaucoup de demandes"),
        "{}",
        reply.location
    );
    assert_eq!(stored(&site.t.db).await, (3, 3));

    // A block stops that sender only.
    contact_block::Entity::insert(contact_block::ActiveModel {
        id: sea_orm::NotSet,
        recipient_id: Set(paul),
        sender_id: Set(marc_id),
        created_at: Set(Utc::now()),
    })
    .exec(&site.t.db)
    .await
    .expect("block");
    let reply = send(&site, &marc, &form(&paul_id, &marc_stamp)).await;
    assert!(
        reply.shown().contains("ne souhaite pas"),
        "{}",
        reply.location
    );
    assert_eq!(stored(&site.t.db).await, (3, 3));
    // The block gives back what marc used of paul's daily quota: another member may write.
    let lea = member_of(&site, "lea@istres.test", "com-13047", "approved").await;
    let lea_id = user_by_email(&site, "lea@istres.test")
        .await
        .expect("row")
        .id;
    let lea_stamp = stamp(&site.t.db, lea_id, 60).await;
    let reply = send(&site, &lea, &form(&paul_id, &lea_stamp)).await;
    assert_eq!(reply.location, "/compte/messages?info=demande-envoyee");
    assert_eq!(stored(&site.t.db).await, (4, 4));
    site.t.cleanup().await;
}

/// One sender writes to one recipient at most `PAIRS_CONTACT_PAIR_WEEKLY` times a week,
/// whatever room the daily limits leave.
async fn one_sender_cannot_use_up_a_recipients_quota(backend: Backend) {
    let (site, cookie, zoe, paul) = contact_site(
        backend,
        &[
            ("PAIRS_CONTACT_MIN_FILL_SECONDS", "0"),
            ("PAIRS_CONTACT_PAIR_WEEKLY", "2"),
        ],
    )
    .await;
    let paul_id = paul.to_string();
    for _ in 0..2 {
        let fresh = stamp(&site.t.db, zoe, 10).await;
        let reply = send(&site, &cookie, &form(&paul_id, &fresh)).await;
        assert_eq!(reply.location, "/compte/messages?info=demande-envoyee");
    }
    let fresh = stamp(&site.t.db, zoe, 10).await;
    let reply = send(&site, &cookie, &form(&paul_id, &fresh)).await;
    assert!(
        reply.shown().contains("déjà écrit 2 fois à ce membre"),
        "{}",
        reply.location
    );
    assert_eq!(stored(&site.t.db).await, (2, 2));
    site.t.cleanup().await;
}

/// Fifty parallel posts: with one form, one request leaves; with fifty forms, exactly the
/// sender's daily limit does. Counting and storing happen in one serialized write.
async fn parallel_sends_never_overrun_a_limit(backend: Backend) {
    let (site, cookie, zoe, paul) = contact_site(
        backend,
        &[
            ("PAIRS_CONTACT_MIN_FILL_SECONDS", "0"),
            ("PAIRS_CONTACT_SENDER_DAILY", "7"),
            ("PAIRS_CONTACT_RECIPIENT_DAILY", "100"),
            ("PAIRS_CONTACT_PAIR_WEEKLY", "100"),
        ],
    )
    .await;
    let paul_id = paul.to_string();
    let (on, cookie) = (&site, cookie.as_str());
    let post_all = |stamps: Vec<String>| {
        let paul_id = paul_id.clone();
        futures::future::join_all(stamps.into_iter().map(move |one| {
            let paul_id = paul_id.clone();
            async move { send(on, cookie, &form(&paul_id, &one)).await }
        }))
    };
    let one = stamp(&site.t.db, zoe, 10).await;
    let replies = post_all(vec![one; 50]).await;
    let sent = replies
        .iter()
        .filter(|r| r.location == "/compte/messages?info=demande-envoyee")
        .count();
    assert_eq!(sent, 1, "one form, one request");
    assert_eq!(stored(&site.t.db).await, (1, 1));

    let mut stamps = Vec::new();
    for _ in 0..50 {
        stamps.push(stamp(&site.t.db, zoe, 10).await);
    }
    let replies = post_all(stamps).await;
    let sent = replies
        .iter()
        .filter(|r| r.location == "/compte/messages?info=demande-envoyee")
        .count();
    assert_eq!(sent, 6, "up to the daily limit of 7, the first included");
    assert!(
        replies
            .iter()
            .filter(|r| r.location != "/compte/messages?info=demande-envoyee")
            .all(|r| r.shown().contains("7 demandes de contact en 24 heures")),
        "every other post is told why"
    );
    assert_eq!(stored(&site.t.db).await, (7, 7));
    site.t.cleanup().await;
}

/// Sends `n` requests from `sender` to `recipient` through the domain (the router path is
/// covered above); limits are lifted by the site's settings.
async fn burst(site: &TestApp, sender: &str, recipient: i32, numbers: std::ops::Range<usize>) {
    let me = domain::actor::CurrentUser::from(&user_by_email(site, sender).await.expect("row"));
    for i in numbers {
        let input = domain::contact::send::ContactInput {
            recipient_id: recipient,
            software: String::new(),
            subject: format!("Demande {i}"),
            message: format!("Message numéro {i}"),
            consent: true,
            honeypot: String::new(),
            stamp: stamp(&site.t.db, me.id, 60).await,
        };
        domain::contact::send::send(
            &site.t.db,
            &site.state.config.contact,
            "http://pairs.test",
            &me,
            &input,
            Utc::now(),
        )
        .await
        .expect("queued");
    }
}

const NO_LIMITS: [(&str, &str); 3] = [
    ("PAIRS_CONTACT_SENDER_DAILY", "100000"),
    ("PAIRS_CONTACT_RECIPIENT_DAILY", "100000"),
    ("PAIRS_CONTACT_PAIR_WEEKLY", "100000"),
];

fn contact_mails(dir: &std::path::Path) -> Vec<String> {
    messages(dir)
        .into_iter()
        .filter(|m| header(m, "Subject").is_some_and(|s| s.starts_with("[Pairs] Demande ")))
        .collect()
}

fn distinct_subjects(mails: &[String]) -> HashSet<String> {
    mails
        .iter()
        .filter_map(|m| header(m, "Subject").map(str::to_string))
        .collect()
}

async fn an_smtp_outage_during_a_burst_loses_and_duplicates_nothing(backend: Backend) {
    let (site, _, _, paul) = contact_site(backend, &NO_LIMITS).await;
    // aiosmtpd creates the Maildir only where nothing exists yet.
    let dir = site.t.dir.path().join("maildir");
    let mail = mailer(site.smtp_port, &site.t);
    let smtp = SmtpServer::start(site.smtp_port, &dir);
    burst(&site, SENDER, paul, 0..80).await;
    drain(&site.t.db, &mail).await;
    drop(smtp);
    // The server is down: the rest of the burst is queued, and a pass retries later.
    burst(&site, SENDER, paul, 80..200).await;
    let pass = domain::mail::outbox::run_mail_pass(&site.t.db, &mail)
        .await
        .expect("pass");
    assert_eq!((pass.delivered, pass.retried), (0, 1), "{pass:?}");
    let pending = contact_request::Entity::find()
        .filter(contact_request::Column::Status.eq(model::contact::RequestStatus::Pending))
        .count(&site.t.db)
        .await
        .expect("count");
    assert_eq!(pending, 120);
    let _smtp = SmtpServer::start(site.smtp_port, &dir);
    drain(&site.t.db, &mail).await;
    let mails = contact_mails(&dir);
    assert_eq!(mails.len(), 200, "every message arrives, none twice");
    assert_eq!(distinct_subjects(&mails).len(), 200);
    let sent = contact_request::Entity::find()
        .filter(contact_request::Column::Status.eq(model::contact::RequestStatus::Sent))
        .count(&site.t.db)
        .await
        .expect("count");
    assert_eq!(sent, 200);
    assert_jobs_hold_no_mail(&site.t.db, &[RECIPIENT, SENDER, "Message numéro"]).await;
    site.t.cleanup().await;
}

async fn a_permanent_rejection_is_shown_to_the_sender(backend: Backend) {
    let (mut site, cookie, _, paul) = contact_site(backend, &[]).await;
    // The mail server refuses the message for good: that job fails, as it should.
    site.t.expect_failed_jobs();
    let _smtp = SmtpServer::start_rejecting(site.smtp_port);
    burst(&site, SENDER, paul, 0..1).await;
    let pass = deliver(&site).await;
    assert!(pass.failed >= 1, "{pass:?}");
    let row = contact_request::Entity::find()
        .one(&site.t.db)
        .await
        .expect("query")
        .expect("row");
    assert_eq!(row.status, model::contact::RequestStatus::Failed);
    let page = get(&site.router, "/compte/messages", Some(&cookie)).await;
    assert!(page.body.contains("échec définitif"), "the state is shown");
    assert!(page.body.contains("code 550"), "with the reason");
    assert!(
        !page.body.contains(RECIPIENT),
        "the server's words (with the address) are not"
    );
    assert_jobs_hold_no_mail(&site.t.db, &[RECIPIENT, "Message numéro"]).await;
    site.t.cleanup().await;
}

/// Zoé's request to Paul, delivered to a real SMTP server (kept running): the server and
/// the mail as Paul received it.
async fn delivered_request(
    site: &TestApp,
    cookie: &str,
    zoe: i32,
    paul: i32,
) -> (SmtpServer, String) {
    // aiosmtpd creates the Maildir only where nothing exists yet.
    let dir = site.t.dir.path().join("maildir");
    let smtp = SmtpServer::start(site.smtp_port, &dir);
    let first = stamp(&site.t.db, zoe, 10).await;
    send(site, cookie, &form(&paul.to_string(), &first)).await;
    deliver(site).await;
    let mail = smtp
        .messages()
        .into_iter()
        .find(|m| header(m, "Subject") == Some("[Pairs] Migration GLPI"))
        .expect("the request's mail");
    (smtp, mail)
}

/// The token of a contact mail's link to `/contact/{page}`.
fn token_in(mail: &str, page: &str) -> String {
    link(mail, &format!("http://pairs.test/contact/{page}?jeton="))
        .and_then(|l| l.split("jeton=").nth(1).map(str::to_string))
        .expect("link")
}

async fn the_email_links_opt_out_block_and_report_without_signing_in(backend: Backend) {
    let (site, cookie, zoe, paul) =
        contact_site(backend, &[("PAIRS_CONTACT_MIN_FILL_SECONDS", "0")]).await;
    let paul_id = paul.to_string();
    let (_smtp, mail) = delivered_request(&site, &cookie, zoe, paul).await;
    let token_of = |page: &str| token_in(&mail, page);

    // Opening a link changes nothing; the button does.
    let page = get(
        &site.router,
        &format!("/contact/bloquer?jeton={}", token_of("bloquer")),
        None,
    )
    .await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("Bloquer cet expéditeur"));
    assert_eq!(
        contact_block::Entity::find()
            .count(&site.t.db)
            .await
            .expect("n"),
        0
    );
    let reply = post(
        &site.router,
        "/api/contact_block",
        &[("jeton", &token_of("bloquer"))],
        None,
    )
    .await;
    assert_eq!(reply.location, "/contact/bloquer?info=expediteur-bloque");
    let block = contact_block::Entity::find()
        .one(&site.t.db)
        .await
        .expect("q")
        .expect("row");
    assert_eq!((block.recipient_id, block.sender_id), (paul, zoe));

    let reply = post(
        &site.router,
        "/api/contact_report",
        &[
            ("jeton", &token_of("signaler")),
            ("motif", "Démarchage commercial"),
        ],
        None,
    )
    .await;
    assert_eq!(reply.location, "/contact/signaler?info=demande-signalee");
    let reports = domain::contact::actions::open_reports(&site.t.db)
        .await
        .expect("reports");
    assert_eq!(reports.len(), 1);
    assert_eq!(reports[0].reason, "Démarchage commercial");
    assert_eq!(reports[0].sender_id, Some(zoe));
    let again = post(
        &site.router,
        "/api/contact_report",
        &[("jeton", &token_of("signaler")), ("motif", "Encore")],
        None,
    )
    .await;
    assert!(again.shown().contains("déjà signalée"));
    assert_eq!(
        contact_report::Entity::find()
            .count(&site.t.db)
            .await
            .expect("n"),
        1
    );

    let reply = post(
        &site.router,
        "/api/contact_opt_out",
        &[("jeton", &token_of("desinscription"))],
        None,
    )
    .await;
    assert_eq!(reply.location, "/contact/desinscription?info=desinscrit");
    assert!(
        !user_by_email(&site, RECIPIENT)
            .await
            .expect("row")
            .accepts_contact
    );

    let bad = post(
        &site.router,
        "/api/contact_opt_out",
        &[("jeton", "faux")],
        None,
    )
    .await;
    assert!(bad.shown().contains("n'est pas valide"), "{}", bad.location);

    // Opted out: nobody can write any more, and the software page offers no « Contacter ».
    let marc = member_of(&site, "marc@istres.test", "com-13047", "approved").await;
    let marc_id = user_by_email(&site, "marc@istres.test")
        .await
        .expect("row")
        .id;
    let marc_stamp = stamp(&site.t.db, marc_id, 10).await;
    let reply = send(&site, &marc, &form(&paul_id, &marc_stamp)).await;
    assert!(reply.shown().contains("ne peut pas recevoir"));
    // The account setting turns requests back on.
    let paul_cookie = session_cookie(&login(&site.router, RECIPIENT, MEMBER_PASSWORD).await);
    let reply = post(
        &site.router,
        "/api/set_contact_preference",
        &[("accepte", "oui")],
        Some(&paul_cookie),
    )
    .await;
    assert_eq!(reply.location, "/compte?info=preference-contact");
    let reply = send(&site, &marc, &form(&paul_id, &marc_stamp)).await;
    assert_eq!(reply.location, "/compte/messages?info=demande-envoyee");
    // ... but Zoé stays blocked, until Paul lifts the block from his messages page.
    let blocked = stamp(&site.t.db, zoe, 10).await;
    let reply = send(&site, &cookie, &form(&paul_id, &blocked)).await;
    assert!(reply.shown().contains("ne souhaite pas"));
    let theirs = get(&site.router, "/compte/messages", Some(&paul_cookie)).await;
    assert!(theirs.body.contains("Débloquer cet expéditeur"));
    let zoe_id = zoe.to_string();
    post(
        &site.router,
        "/api/unblock_sender",
        &[("membre", &zoe_id)],
        Some(&paul_cookie),
    )
    .await;
    let again = stamp(&site.t.db, zoe, 10).await;
    let reply = send(&site, &cookie, &form(&paul_id, &again)).await;
    assert_eq!(reply.location, "/compte/messages?info=demande-envoyee");
    // Only the recipient can block from the messages page.
    let request = contact_request::Entity::find()
        .one(&site.t.db)
        .await
        .expect("q")
        .expect("row");
    let request_id = request.id.to_string();
    let reply = post(
        &site.router,
        "/api/block_sender",
        &[("demande", &request_id)],
        Some(&marc),
    )
    .await;
    assert!(reply.refused(), "{}", reply.location);
    site.t.cleanup().await;
}

async fn deleting_an_account_erases_the_requests_content(backend: Backend) {
    let (site, cookie, zoe, paul) = contact_site(backend, &NO_LIMITS).await;
    burst(&site, SENDER, paul, 0..3).await;
    // The export lists them, with their content.
    let export = get(&site.router, "/compte/export.json", Some(&cookie)).await;
    assert!(export.body.contains("Message numéro 2") && export.body.contains("Paul Durand"));
    assert!(!export.body.contains(RECIPIENT));
    let reply = post(
        &site.router,
        "/api/delete_account",
        &[("current_password", MEMBER_PASSWORD)],
        Some(&cookie),
    )
    .await;
    assert!(
        reply.location.contains("compte-supprime"),
        "{}",
        reply.location
    );
    let rows = contact_request::Entity::find()
        .all(&site.t.db)
        .await
        .expect("rows");
    assert_eq!(rows.len(), 3, "rows stay for the recipient's daily count");
    assert_eq!(
        domain::entities::contact_link::Entity::find()
            .count(&site.t.db)
            .await
            .expect("n"),
        0,
        "the mailed links died with the content"
    );
    for r in &rows {
        assert_eq!(r.sender_id, None);
        assert_eq!(r.recipient_id, Some(paul));
        assert!(r.subject.is_empty() && r.message.is_empty());
        assert_eq!(
            r.status,
            model::contact::RequestStatus::Failed,
            "never sent: withdrawn with the account"
        );
    }
    let (_, queued) = stored(&site.t.db).await;
    assert_eq!(queued, 0, "their queued mails are gone");
    let paul_cookie = session_cookie(&login(&site.router, RECIPIENT, MEMBER_PASSWORD).await);
    let theirs = get(&site.router, "/compte/messages", Some(&paul_cookie)).await;
    assert!(theirs.body.contains("un ancien membre"));
    assert!(
        user::Entity::find_by_id(zoe)
            .one(&site.t.db)
            .await
            .expect("q")
            .is_none()
    );
    site.t.cleanup().await;
}

/// The links of a contact mail share no site-wide throttle: a client posting junk tokens
/// is refused after the limit, but the recipient's valid links still work at once.
async fn junk_tokens_never_jam_a_valid_contact_link(backend: Backend) {
    let (site, cookie, zoe, paul) = contact_site(
        backend,
        &[
            ("PAIRS_CONTACT_MIN_FILL_SECONDS", "0"),
            ("PAIRS_THROTTLE_MAX", "3"),
        ],
    )
    .await;
    let (_smtp, mail) = delivered_request(&site, &cookie, zoe, paul).await;
    let token_of = |page: &str| token_in(&mail, page);

    let mut refused = 0;
    for n in 0..6 {
        let junk = format!("jeton-invente-{n}");
        for endpoint in ["/api/contact_opt_out", "/api/contact_block"] {
            let reply = post(&site.router, endpoint, &[("jeton", &junk)], None).await;
            if reply.shown().contains("Trop de tentatives") {
                refused += 1;
            } else {
                assert!(
                    reply.shown().contains("n'est pas valide"),
                    "{}",
                    reply.location
                );
            }
        }
    }
    assert!(refused > 0, "junk tokens are limited per client");

    // Each link serves its own action only, and no token is in the headers.
    let message_id = header(&mail, "Message-ID").expect("a Message-ID");
    for page in ["desinscription", "bloquer", "signaler"] {
        assert!(
            !message_id.contains(&token_in(&mail, page)[..12]),
            "{message_id}"
        );
    }
    let crossed = post(
        &site.router,
        "/api/contact_opt_out",
        &[("jeton", &token_of("bloquer"))],
        None,
    )
    .await;
    assert!(
        crossed.shown().contains("n'est pas valide")
            || crossed.shown().contains("Trop de tentatives"),
        "{}",
        crossed.location
    );
    assert!(
        user_by_email(&site, RECIPIENT)
            .await
            .expect("row")
            .accepts_contact
    );

    // Every valid link of the mail still works, from the very client that sent the junk.
    let reply = post(
        &site.router,
        "/api/contact_report",
        &[("jeton", &token_of("signaler")), ("motif", "Démarchage")],
        None,
    )
    .await;
    assert_eq!(reply.location, "/contact/signaler?info=demande-signalee");
    let reply = post(
        &site.router,
        "/api/contact_block",
        &[("jeton", &token_of("bloquer"))],
        None,
    )
    .await;
    assert_eq!(reply.location, "/contact/bloquer?info=expediteur-bloque");
    let reply = post(
        &site.router,
        "/api/contact_opt_out",
        &[("jeton", &token_of("desinscription"))],
        None,
    )
    .await;
    assert_eq!(reply.location, "/contact/desinscription?info=desinscrit");
    assert!(
        !user_by_email(&site, RECIPIENT)
            .await
            .expect("row")
            .accepts_contact
    );
    // Links expire (90 days): an expired one does nothing.
    use domain::entities::contact_link;
    contact_link::Entity::update_many()
        .col_expr(
            contact_link::Column::ExpiresAt,
            sea_orm::sea_query::Expr::value(Utc::now() - Duration::days(1)),
        )
        .exec(&site.t.db)
        .await
        .expect("age the links");
    // Blocking twice is harmless (the same block), so only the expiry can refuse this.
    let late = post(
        &site.router,
        "/api/contact_block",
        &[("jeton", &token_of("bloquer"))],
        None,
    )
    .await;
    assert!(
        late.refused(),
        "an expired link is refused: {}",
        late.location
    );
    site.t.cleanup().await;
}

/// Suspending a member ends every link mailed to them and withdraws their requests still
/// in the queue; each says why it was not sent.
async fn a_suspension_revokes_links_and_withdraws_queued_requests(backend: Backend) {
    use domain::entities::user_token;
    let (site, cookie, zoe, paul) =
        contact_site(backend, &[("PAIRS_CONTACT_MIN_FILL_SECONDS", "0")]).await;
    let paul_id = paul.to_string();
    let fresh = stamp(&site.t.db, zoe, 10).await;
    let reply = send(&site, &cookie, &form(&paul_id, &fresh)).await;
    assert_eq!(reply.location, "/compte/messages?info=demande-envoyee");
    let reset = domain::accounts::tokens::issue(&site.t.db, zoe, "reset", None)
        .await
        .expect("a reset link");
    let admin = site.admin().await;
    let reply = post(
        &site.router,
        "/api/suspend_member",
        &[("id", &zoe.to_string()), ("reason", "Démarchage abusif")],
        Some(&admin),
    )
    .await;
    assert!(!reply.refused(), "{}", reply.location);

    let request = contact_request::Entity::find()
        .one(&site.t.db)
        .await
        .expect("q")
        .expect("row");
    assert_eq!(request.status, model::contact::RequestStatus::Failed);
    assert!(
        request
            .failure_reason
            .as_deref()
            .is_some_and(|r| r.contains("suspendu")),
        "{:?}",
        request.failure_reason
    );
    assert_eq!(stored(&site.t.db).await, (1, 0), "its mail left the queue");
    let open_links = user_token::Entity::find()
        .filter(user_token::Column::UserId.eq(zoe))
        .filter(user_token::Column::UsedAt.is_null())
        .count(&site.t.db)
        .await
        .expect("n");
    assert_eq!(open_links, 0, "no link outlives the suspension");
    assert!(
        domain::accounts::tokens::consume(&site.t.db, &reset, "reset")
            .await
            .is_err(),
        "the reset link is dead"
    );
    site.t.cleanup().await;
}

on_both_backends!(
    a_suspension_revokes_links_and_withdraws_queued_requests,
    junk_tokens_never_jam_a_valid_contact_link,
    one_sender_cannot_use_up_a_recipients_quota,
    parallel_sends_never_overrun_a_limit,
    a_request_reaches_the_referent_once_and_hides_the_address,
    every_refusal_has_its_message_and_leaves_nothing,
    an_smtp_outage_during_a_burst_loses_and_duplicates_nothing,
    a_permanent_rejection_is_shown_to_the_sender,
    the_email_links_opt_out_block_and_report_without_signing_in,
    deleting_an_account_erases_the_requests_content,
);

/// Two workers, each with its own runtime and connection pool (as two `pairs serve`
/// processes), drain one PostgreSQL queue: every message leaves exactly once.
#[test]
fn two_workers_sharing_postgres_send_each_message_once() {
    if common::postgres_server().is_none() {
        common::skip_postgres("two_workers_sharing_postgres_send_each_message_once");
        return;
    }
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    let (site, _, _, paul) = runtime.block_on(contact_site(Backend::Postgres, &NO_LIMITS));
    // aiosmtpd creates the Maildir only where nothing exists yet.
    let dir = site.t.dir.path().join("maildir");
    let _smtp = SmtpServer::start(site.smtp_port, &dir);
    runtime.block_on(burst(&site, SENDER, paul, 0..150));
    let workers: Vec<_> = (0..2)
        .map(|_| {
            let url = site.t.url.clone();
            let mail = mailer(site.smtp_port, &site.t);
            std::thread::spawn(move || {
                let rt = tokio::runtime::Runtime::new().expect("runtime");
                rt.block_on(async {
                    let db = domain::db::connect_url(&url).await.expect("own pool");
                    let mut delivered = 0;
                    loop {
                        let pass = domain::mail::outbox::run_mail_pass(&db, &mail)
                            .await
                            .expect("pass");
                        delivered += pass.delivered;
                        if pass.delivered == 0 && pass.retried == 0 {
                            break delivered;
                        }
                    }
                })
            })
        })
        .collect();
    let counts: Vec<usize> = workers
        .into_iter()
        .map(|w| w.join().expect("worker"))
        .collect();
    let mails = contact_mails(&dir);
    let done = runtime
        .block_on(
            job::Entity::find()
                .filter(job::Column::Status.eq(model::job::JobStatus::Done))
                .count(&site.t.db),
        )
        .expect("count") as usize;
    // The workers' own counts add up to the jobs done: none was sent by both.
    assert_eq!(counts.iter().sum::<usize>(), done, "{counts:?}");
    assert_eq!(mails.len(), 150, "each message once");
    assert_eq!(distinct_subjects(&mails).len(), 150);
    assert!(
        counts.iter().all(|c| *c > 0),
        "both workers took part: {counts:?}"
    );
    runtime.block_on(site.t.cleanup());
}
