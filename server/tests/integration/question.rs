//! One question to every referent of a tool, through a real SMTP server: the preview's
//! counts (who receives, who is left out and why, never who), exactly one mail per
//! eligible referent with their own links, the per-question and per-day limits refused
//! with French messages and nothing sent, and one entry in the sender's messages.

use crate::common;

use std::collections::HashSet;

use chrono::{Duration, Utc};
use common::Backend;
use common::web::*;
use domain::entities::{
    authority, contact_block, contact_request, software, usage, usage_referent, user,
};
use model::account::{AccountStatus, Position};
use model::contact::RequestStatus;
use model::usage::UsageStatus;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, NotSet, PaginatorTrait,
    QueryFilter,
};

on_both_backends!(
    a_question_reaches_each_eligible_referent_once,
    a_question_outlives_an_smtp_outage_and_two_workers
);

fn header<'a>(raw: &'a str, name: &str) -> Option<&'a str> {
    raw.lines()
        .take_while(|l| !l.is_empty() && *l != "\r")
        .find_map(|l| {
            let (k, v) = l.split_once(':')?;
            k.eq_ignore_ascii_case(name).then(|| v.trim())
        })
}

/// A referent of GLPI at `authority`, inserted as the data would stand (no password: they
/// never sign in here).
async fn referent(
    db: &sea_orm::DatabaseConnection,
    n: usize,
    authority_id: i32,
    usage_id: i32,
    tweak: impl FnOnce(&mut user::ActiveModel),
) -> user::Model {
    let now = Utc::now();
    let mut row = user::ActiveModel {
        id: NotSet,
        email: Set(format!("referent{n}@exemple.test")),
        password_hash: Set("!".into()),
        first_name: Set(format!("Prénom{n}")),
        last_name: Set(format!("Référent{n}")),
        position: Set(Position::Agent),
        job_title: Set("DSI".into()),
        phone: Set(None),
        authority_id: Set(Some(authority_id)),
        status: Set(AccountStatus::Approved),
        is_admin: Set(false),
        visible: Set(true),
        accepts_contact: Set(true),
        rejection_reason: Set(None),
        email_verified_at: Set(Some(now)),
        approved_at: Set(Some(now)),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    };
    tweak(&mut row);
    let person = row.insert(db).await.expect("referent");
    usage_referent::ActiveModel {
        usage_id: Set(usage_id),
        user_id: Set(person.id),
    }
    .insert(db)
    .await
    .expect("referent role");
    person
}

async fn glpi_id(db: &sea_orm::DatabaseConnection) -> i32 {
    software::Entity::find()
        .filter(software::Column::Slug.eq("glpi"))
        .one(db)
        .await
        .expect("query")
        .expect("glpi")
        .id
}

async fn authority_id(db: &sea_orm::DatabaseConnection, public: &str) -> i32 {
    authority::Entity::find()
        .filter(authority::Column::PublicId.eq(public))
        .one(db)
        .await
        .expect("query")
        .expect("authority")
        .id
}

async fn glpi_usage(db: &sea_orm::DatabaseConnection, authority_id: i32, glpi: i32) -> i32 {
    let now = Utc::now();
    usage::ActiveModel {
        id: NotSet,
        authority_id: Set(authority_id),
        software_id: Set(glpi),
        status: Set(UsageStatus::InUse),
        since_year: Set(None),
        version: Set(None),
        notes: Set(None),
        satisfaction: Set(None),
        declared_by: Set(None),
        last_confirmed_at: Set(now),
        created_at: Set(now),
        updated_at: Set(now),
        replaced_by_id: Set(None),
        ..Default::default()
    }
    .insert(db)
    .await
    .expect("usage")
    .id
}

fn question<'a>(stamp: &'a str, region: &'a str, subject: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("logiciel", "glpi"),
        ("region", region),
        ("departement", ""),
        ("kind", ""),
        ("population", ""),
        ("objet", subject),
        ("message", "Comment gérez-vous les mises à jour de GLPI ?"),
        ("consentement", "oui"),
        ("site_web", ""),
        ("debut", stamp),
    ]
}

async fn a_question_reaches_each_eligible_referent_once(backend: Backend) {
    let site = TestApp::start(backend, &[]).await;
    let db = &site.t.db;
    domain::catalogue::seed::load_catalogue(db)
        .await
        .expect("catalogue");
    let zoe = member_of(&site, "zoe@istres.test", "com-13047", "approved").await;
    let zoe_id = user_by_email(&site, "zoe@istres.test")
        .await
        .expect("row")
        .id;
    let (fos, marseille, istres, paris) = (
        authority_id(db, "com-13039").await,
        authority_id(db, "com-13055").await,
        authority_id(db, "com-13047").await,
        authority_id(db, "com-75056").await,
    );
    let glpi = glpi_id(db).await;
    let (u_fos, u_marseille, u_istres, u_paris) = (
        glpi_usage(db, fos, glpi).await,
        glpi_usage(db, marseille, glpi).await,
        glpi_usage(db, istres, glpi).await,
        glpi_usage(db, paris, glpi).await,
    );
    // Twelve eligible referents in région 93, nineteen more in Paris (région 11).
    let mut eligible = Vec::new();
    for n in 0..12 {
        let (a, u) = if n % 2 == 0 {
            (fos, u_fos)
        } else {
            (marseille, u_marseille)
        };
        eligible.push(referent(db, n, a, u, |_| {}).await);
    }
    for n in 12..31 {
        referent(db, n, paris, u_paris, |_| {}).await;
    }
    // And five in région 93 who must get nothing, each for its reason.
    let opted_out = referent(db, 40, fos, u_fos, |r| r.accepts_contact = Set(false)).await;
    let blocker = referent(db, 41, marseille, u_marseille, |_| {}).await;
    contact_block::ActiveModel {
        recipient_id: Set(blocker.id),
        sender_id: Set(zoe_id),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(db)
    .await
    .expect("block");
    let busy = referent(db, 42, fos, u_fos, |_| {}).await;
    for i in 0..site.state.config.contact.recipient_daily {
        contact_request::ActiveModel {
            id: NotSet,
            sender_id: Set(None),
            recipient_id: Set(Some(busy.id)),
            software_id: Set(None),
            subject: Set(format!("Déjà reçue {i}")),
            message: Set("…".into()),
            status: Set(RequestStatus::Sent),
            failure_reason: Set(None),
            created_at: Set(Utc::now() - Duration::hours(1)),
            sent_at: Set(Some(Utc::now())),
            question_id: Set(None),
        }
        .insert(db)
        .await
        .expect("earlier request");
    }
    let colleague = referent(db, 43, istres, u_istres, |_| {}).await;
    let suspended = referent(db, 44, marseille, u_marseille, |r| {
        r.status = Set(AccountStatus::Suspended)
    })
    .await;
    let left_out: Vec<&user::Model> = vec![&opted_out, &blocker, &busy, &colleague, &suspended];

    // The preview says how many, and why the others are left out, never who.
    let page = get(
        &site.router,
        "/logiciels/glpi/question?region=93",
        Some(&zoe),
    )
    .await;
    assert!(
        page.body.contains("envoyée à 12 référents"),
        "{}",
        error_notice(&page.body)
    );
    assert!(
        page.body.contains("5 référents ne la recevront pas : 1 n&#x27;accepte pas les demandes de contact, 1 vous a bloqué·e, 1 a reçu trop de demandes aujourd&#x27;hui, 1 est de votre collectivité, 1 n&#x27;est plus joignable.")
            || page.body.contains("5 référents ne la recevront pas : 1 n'accepte pas les demandes de contact, 1 vous a bloqué·e, 1 a reçu trop de demandes aujourd'hui, 1 est de votre collectivité, 1 n'est plus joignable."),
        "{}",
        page.body
    );
    for person in eligible.iter().chain(left_out.iter().copied()) {
        assert!(!page.body.contains(&person.email) && !page.body.contains(&person.last_name));
    }
    // The whole country would be 31 eligible referents: over the limit of 30.
    let everywhere = get(&site.router, "/logiciels/glpi/question", Some(&zoe)).await;
    assert!(everywhere.body.contains("envoyée à 31 référents"));
    assert!(everywhere.body.contains("permis par question"));
    assert!(!everywhere.body.contains("id=\"question-form\""));
    // A visitor goes to the login page; a bad narrowing gets its French message.
    let visitor = get(&site.router, "/logiciels/glpi/question", None).await;
    assert!(visitor.location.starts_with("/connexion") || visitor.body.contains("Connectez-vous"));
    let bad = get(
        &site.router,
        "/logiciels/glpi/question?population=beaucoup",
        Some(&zoe),
    )
    .await;
    assert!(
        bad.body
            .contains("Cette tranche de population n&#x27;existe pas.")
            || bad
                .body
                .contains("Cette tranche de population n'existe pas.")
    );

    let stored = || async {
        contact_request::Entity::find()
            .count(db)
            .await
            .expect("count")
    };
    let before = stored().await;
    // Sent to all 31: refused, nothing stored.
    let stamp = domain::contact::stamp::issue(db, zoe_id, Utc::now() - Duration::seconds(60))
        .await
        .expect("stamp");
    let refused = site
        .post(
            "ask_referents",
            &question(&stamp, "", "Question GLPI"),
            Some(&zoe),
        )
        .await;
    assert!(
        refused.shown().contains("irait à 31 référents, 30 au plus"),
        "{}",
        refused.shown()
    );
    assert!(
        refused.shown().contains("Comment gérez-vous"),
        "what was typed is kept"
    );
    assert_eq!(stored().await, before);

    // In région 93: twelve requests, one mail each, each with its own links.
    let stamp = domain::contact::stamp::issue(db, zoe_id, Utc::now() - Duration::seconds(60))
        .await
        .expect("stamp");
    let sent = site
        .post(
            "ask_referents",
            &question(&stamp, "93", "Question GLPI"),
            Some(&zoe),
        )
        .await;
    assert_eq!(
        sent.location,
        "/compte/messages?info=question-envoyee",
        "{}",
        sent.shown()
    );
    assert_eq!(stored().await, before + 12);
    let mails = site.mails().await;
    let questions: Vec<&String> = mails
        .iter()
        .filter(|m| header(m, "Subject") == Some("[Pairs] Question GLPI"))
        .collect();
    assert_eq!(questions.len(), 12, "one mail per eligible referent");
    let mut links = HashSet::new();
    for person in &eligible {
        let theirs: Vec<&&String> = questions
            .iter()
            .filter(|m| header(m, "To").is_some_and(|t| t.contains(&person.email)))
            .collect();
        assert_eq!(theirs.len(), 1, "{} gets exactly one", person.email);
        assert_eq!(header(theirs[0], "Reply-To"), Some("zoe@istres.test"));
        let link = common::smtp::link(theirs[0], "http://pairs.test/contact/desinscription?jeton=");
        assert!(
            link.is_some() && links.insert(link),
            "each recipient has their own opt-out link"
        );
    }
    for person in &left_out {
        assert!(
            !questions.iter().any(|m| m.contains(&person.email)),
            "{} gets none",
            person.email
        );
    }

    // One entry in the sender's messages, with each recipient's state.
    let messages = get(&site.router, "/compte/messages", Some(&zoe)).await;
    assert!(
        messages.body.contains("Question envoyée à 12 référents"),
        "{}",
        messages.body
    );
    assert_eq!(
        messages.body.matches("Question envoyée à").count(),
        1,
        "one entry for the question"
    );
    assert!(
        !messages.body.contains("Envoyée à Prénom"),
        "not one entry per recipient"
    );
    assert!(
        messages
            .body
            .contains("Prénom0 Référent0 (Fos-sur-Mer) : envoyé")
    );

    // The second question of the day goes; the third is refused and sends nothing.
    let stamp = domain::contact::stamp::issue(db, zoe_id, Utc::now() - Duration::seconds(60))
        .await
        .expect("stamp");
    let second = site
        .post(
            "ask_referents",
            &question(&stamp, "93", "Deuxieme question"),
            Some(&zoe),
        )
        .await;
    assert_eq!(
        second.location,
        "/compte/messages?info=question-envoyee",
        "{}",
        second.shown()
    );
    let after_two = stored().await;
    let stamp = domain::contact::stamp::issue(db, zoe_id, Utc::now() - Duration::seconds(60))
        .await
        .expect("stamp");
    let third = site
        .post(
            "ask_referents",
            &question(&stamp, "93", "Troisieme question"),
            Some(&zoe),
        )
        .await;
    assert!(
        third
            .shown()
            .contains("questions aux référents en 24 heures"),
        "{}",
        third.shown()
    );
    assert_eq!(stored().await, after_two);
    site.t.cleanup().await;
}

/// Three referents in Fos; the SMTP server down when the question is sent, then up, with
/// two workers (their own connection pools) draining one queue: each referent gets the
/// question exactly once.
async fn a_question_outlives_an_smtp_outage_and_two_workers(backend: Backend) {
    let site = TestApp::start(backend, &[]).await;
    let db = &site.t.db;
    domain::catalogue::seed::load_catalogue(db)
        .await
        .expect("catalogue");
    let zoe = member_of(&site, "zoe@istres.test", "com-13047", "approved").await;
    let zoe_id = user_by_email(&site, "zoe@istres.test")
        .await
        .expect("row")
        .id;
    let fos = authority_id(db, "com-13039").await;
    let glpi = glpi_id(db).await;
    let usage = glpi_usage(db, fos, glpi).await;
    let mut referents = Vec::new();
    for n in 0..3 {
        referents.push(referent(db, n, fos, usage, |_| {}).await);
    }
    let stamp = domain::contact::stamp::issue(db, zoe_id, Utc::now() - Duration::seconds(60))
        .await
        .expect("stamp");
    let sent = site
        .post(
            "ask_referents",
            &question(&stamp, "93", "Question GLPI"),
            Some(&zoe),
        )
        .await;
    assert_eq!(
        sent.location,
        "/compte/messages?info=question-envoyee",
        "{}",
        sent.shown()
    );

    // Nobody listens on the SMTP port: the mails wait in the outbox.
    let mail = mail_context(&site.t, site.smtp_port);
    let pass = domain::mail::outbox::run_mail_pass(db, &mail)
        .await
        .expect("pass");
    assert_eq!(pass.delivered, 0, "{pass:?}");
    let pending = contact_request::Entity::find()
        .filter(contact_request::Column::Status.eq(RequestStatus::Pending))
        .count(db)
        .await
        .expect("count");
    assert_eq!(pending, 3);

    // The server is back; two workers with their own pools drain the queue together.
    let dir = site.t.dir.path().join("outage-maildir");
    let _smtp = common::smtp::SmtpServer::start(site.smtp_port, &dir);
    let second_pool = sea_orm::Database::connect(&site.t.url)
        .await
        .expect("second pool");
    let drain = |db: sea_orm::DatabaseConnection, mail: domain::mail::outbox::MailContext| async move {
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
        loop {
            domain::mail::outbox::run_mail_pass(&db, &mail)
                .await
                .expect("pass");
            let left = domain::mail::outbox::queue_counts(&db)
                .await
                .expect("counts");
            if left.pending == 0 {
                return;
            }
            assert!(std::time::Instant::now() < deadline, "mail left: {left:?}");
            tokio::time::sleep(std::time::Duration::from_millis(250)).await;
        }
    };
    tokio::join!(
        drain(db.clone(), mail_context(&site.t, site.smtp_port)),
        drain(second_pool.clone(), mail_context(&site.t, site.smtp_port)),
    );
    second_pool.close().await.ok();
    let mails: Vec<String> = common::smtp::messages(&dir)
        .into_iter()
        .filter(|m| header(m, "Subject") == Some("[Pairs] Question GLPI"))
        .collect();
    assert_eq!(mails.len(), 3, "each once, none twice");
    for person in &referents {
        assert_eq!(
            mails
                .iter()
                .filter(|m| header(m, "To").is_some_and(|t| t.contains(&person.email)))
                .count(),
            1,
            "{}",
            person.email
        );
    }
    let sent = contact_request::Entity::find()
        .filter(contact_request::Column::Status.eq(RequestStatus::Sent))
        .count(db)
        .await
        .expect("count");
    assert_eq!(sent, 3);
    site.t.cleanup().await;
}
