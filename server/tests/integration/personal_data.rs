//! GDPR, whole: a member who did everything Pairs allows finds all of it in the export,
//! and after deletion none of their personal values remain anywhere in the database.
//! Also: the refusal mail's link erases an applicant who cannot sign in.

use crate::common;

use common::Backend;

use chrono::{Duration, Utc};
use common::smtp::{SmtpServer, link};
use common::web::*;
use domain::entities::job;
use sea_orm::{ColumnTrait, ConnectionTrait, DbBackend, EntityTrait, QueryFilter, Statement};

const EMAIL: &str = "zephyrine.q@istres.test";
const NEW_EMAIL: &str = "zq.nouvelle@istres.test";
const PENDING_EMAIL: &str = "zq.en-attente@istres.test";
const FIRST: &str = "Zéphyrine";
const LAST: &str = "Quetzalcoatl";
const PHONE: &str = "06 11 22 33 44";

/// Every value of every column of every table, as text, with where it was found.
async fn every_value(db: &impl ConnectionTrait) -> Vec<(String, String)> {
    let backend = db.get_database_backend();
    let columns: Vec<(String, String)> = match backend {
        DbBackend::Sqlite => {
            let tables = db
                .query_all_raw(Statement::from_string(
                    backend,
                    "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'",
                ))
                .await
                .expect("tables");
            let mut out = Vec::new();
            for t in tables {
                let table: String = t.try_get("", "name").expect("name");
                let cols = db
                    .query_all_raw(Statement::from_string(
                        backend,
                        format!("PRAGMA table_info(\"{table}\")"),
                    ))
                    .await
                    .expect("columns");
                for c in cols {
                    out.push((table.clone(), c.try_get("", "name").expect("column")));
                }
            }
            out
        }
        _ => db
            .query_all_raw(Statement::from_string(
                backend,
                "SELECT table_name::text AS t, column_name::text AS c FROM information_schema.columns \
                 WHERE table_schema = current_schema()",
            ))
            .await
            .expect("columns")
            .into_iter()
            .map(|r| {
                (
                    r.try_get("", "t").expect("table"),
                    r.try_get("", "c").expect("column"),
                )
            })
            .collect(),
    };
    assert!(columns.len() > 50, "the schema was read: {}", columns.len());
    let mut values = Vec::new();
    for (table, column) in columns {
        let rows = db
            .query_all_raw(Statement::from_string(
                backend,
                format!("SELECT CAST(\"{column}\" AS TEXT) AS v FROM \"{table}\""),
            ))
            .await
            .unwrap_or_else(|e| panic!("{table}.{column}: {e}"));
        for row in rows {
            if let Ok(Some(v)) = row.try_get::<Option<String>>("", "v") {
                values.push((format!("{table}.{column}"), v));
            }
        }
    }
    values
}

/// Where any of `needles` (any case, spaces ignored) still appears.
async fn traces(db: &impl ConnectionTrait, needles: &[&str]) -> Vec<String> {
    let squash = |s: &str| s.to_lowercase().replace(' ', "");
    let mut found = Vec::new();
    for (place, value) in every_value(db).await {
        let haystack = squash(&value);
        for needle in needles {
            if haystack.contains(&squash(needle)) {
                found.push(format!("{place} holds {needle:?}: {value}"));
            }
        }
    }
    found
}

/// The plain token of the newest queued mail's link to `path` (the outbox holds the mail
/// until it is delivered).
async fn queued_link_token(site: &TestApp, path: &str) -> String {
    let marker = format!("{path}?jeton=");
    let jobs = job::Entity::find()
        .filter(job::Column::Status.eq(model::job::JobStatus::Pending))
        .all(&site.t.db)
        .await
        .expect("jobs");
    jobs.iter()
        .rev()
        .find_map(|j| {
            let at = j.payload.find(&marker)? + marker.len();
            Some(
                j.payload[at..]
                    .chars()
                    .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
                    .collect::<String>(),
            )
        })
        .unwrap_or_else(|| panic!("a queued mail links to {path}"))
}

async fn ok(site: &TestApp, path: &str, form: &[(&str, &str)], cookie: &str) -> Reply {
    let reply = post(&site.router, path, form, Some(cookie)).await;
    assert!(
        !reply.refused() && reply.location.contains("info="),
        "{path}: {} {}",
        reply.location,
        reply.error
    );
    reply
}

async fn everything_is_exported_then_nothing_is_left(backend: Backend) {
    let site = TestApp::start(backend, &[("PAIRS_CONTACT_MIN_FILL_SECONDS", "0")]).await;
    domain::catalogue::seed::load_catalogue(&site.t.db)
        .await
        .expect("catalogue");
    let mut cookie = member_of(&site, EMAIL, "com-13047", "approved").await;
    let paul_cookie = member_of(&site, "paul@fos.test", "com-13039", "approved").await;
    let me = user_by_email(&site, EMAIL).await.expect("row").id;
    let paul = user_by_email(&site, "paul@fos.test").await.expect("row").id;

    // Profile, declaration (as referent), proposal.
    ok(
        &site,
        "/api/update_profile",
        &[
            ("first_name", FIRST),
            ("last_name", LAST),
            ("job_title", "Responsable du numérique"),
            ("phone", PHONE),
            ("visible", "on"),
        ],
        &cookie,
    )
    .await;
    let declare = [
        ("authority", "com-13047"),
        ("software", "glpi"),
        ("status", "in_use"),
        ("since_year", "2019"),
        ("version", "10.0"),
        ("notes", "Parc informatique."),
        ("satisfaction", "4"),
        ("referent", "on"),
    ];
    ok(&site, "/api/declare_usage", &declare, &cookie).await;
    let propose = [
        ("authority", "com-13047"),
        ("name", "Registre des délibérations"),
        ("category", "sig"),
        ("website", ""),
        ("status", "in_use"),
        ("since_year", ""),
        ("version", ""),
        ("notes", ""),
        ("satisfaction", ""),
    ];
    ok(&site, "/api/propose_software", &propose, &cookie).await;

    // Contact requests, both ways.
    let stamp = |user: i32| {
        let db = site.t.db.clone();
        async move {
            domain::contact::stamp::issue(&db, user, Utc::now() - Duration::seconds(60))
                .await
                .expect("stamp")
        }
    };
    let (paul_id, me_id) = (paul.to_string(), me.to_string());
    let mine = stamp(me).await;
    ok(
        &site,
        "/api/send_contact_request",
        &[
            ("destinataire", &paul_id),
            ("logiciel", "glpi"),
            ("objet", "Question envoyée"),
            ("message", "Bonjour Paul, une question sur GLPI."),
            ("consentement", "oui"),
            ("debut", &mine),
        ],
        &cookie,
    )
    .await;
    let his = stamp(paul).await;
    ok(
        &site,
        "/api/send_contact_request",
        &[
            ("destinataire", &me_id),
            ("objet", "Question reçue"),
            (
                "message",
                &format!("Bonjour {FIRST}, pouvez-vous m'aider ?"),
            ),
            ("consentement", "oui"),
            ("debut", &his),
        ],
        &paul_cookie,
    )
    .await;
    // Paul reports her profile, naming her.
    ok(
        &site,
        "/api/report_profile",
        &[
            ("membre", &me_id),
            ("motif", &format!("{FIRST} {LAST} n'est plus en poste")),
        ],
        &paul_cookie,
    )
    .await;
    // She blocks Paul, and reports his profile.
    let received = domain::entities::contact_request::Entity::find()
        .filter(domain::entities::contact_request::Column::RecipientId.eq(me))
        .one(&site.t.db)
        .await
        .expect("q")
        .expect("the request she received");
    domain::contact::actions::block_as(&site.t.db, me, received.id)
        .await
        .expect("block");
    ok(
        &site,
        "/api/report_profile",
        &[("membre", &paul_id), ("motif", "Profil en double")],
        &cookie,
    )
    .await;
    // An administrator's note in the journal names her.
    domain::audit::record(
        &site.t.db,
        None,
        "member.correct",
        "user",
        &me_id,
        Some(format!("Profil de {FIRST} {LAST} ({EMAIL}) vérifié")),
        Some("192.0.2.7".into()),
    )
    .await
    .expect("journal");

    // Email changed once (confirmed from the new address), and a second change pending.
    ok(
        &site,
        "/api/change_email",
        &[
            ("current_password", MEMBER_PASSWORD),
            ("new_email", NEW_EMAIL),
        ],
        &cookie,
    )
    .await;
    let token = queued_link_token(&site, "/confirmer-adresse").await;
    post(
        &site.router,
        "/api/confirm_email_change",
        &[("token", &token)],
        None,
    )
    .await;
    assert!(user_by_email(&site, NEW_EMAIL).await.is_some(), "changed");
    cookie = session_cookie(&login(&site.router, NEW_EMAIL, MEMBER_PASSWORD).await);
    // The worker delivers what was queued so far (delivered mails keep no payload).
    let maildir = site.t.dir.path().join("maildir");
    let _smtp = SmtpServer::start(site.smtp_port, &maildir);
    for _ in 0..20 {
        deliver(&site).await;
        let left = domain::mail::outbox::queue_counts(&site.t.db)
            .await
            .expect("counts");
        if left.pending == 0 {
            break;
        }
    }
    ok(
        &site,
        "/api/change_email",
        &[
            ("current_password", MEMBER_PASSWORD),
            ("new_email", PENDING_EMAIL),
        ],
        &cookie,
    )
    .await;

    // The export holds every one of those.
    let export = get(&site.router, "/compte/export.json", Some(&cookie)).await;
    let json: serde_json::Value = serde_json::from_str(&export.body).expect("json");
    assert_eq!(json["compte"]["email"], NEW_EMAIL);
    assert_eq!(json["compte"]["prenom"], FIRST);
    assert!(json["compte"]["telephone"].as_str().is_some());
    let names = |key: &str, field: &str| -> Vec<String> {
        json[key]
            .as_array()
            .unwrap_or_else(|| panic!("{key} is a list: {json}"))
            .iter()
            .map(|v| v[field].as_str().unwrap_or_default().to_string())
            .collect()
    };
    assert!(names("declarations", "logiciel").contains(&"GLPI".to_string()));
    assert!(names("referent_de", "logiciel").contains(&"GLPI".to_string()));
    assert_eq!(
        names("logiciels_proposes", "nom"),
        vec!["Registre des délibérations".to_string()]
    );
    assert!(!names("sessions", "ouverte_le").is_empty());
    assert_eq!(
        json["changement_d_adresse_en_attente"]["nouvelle_adresse"],
        PENDING_EMAIL
    );
    let mut subjects = names("demandes_de_contact", "objet");
    subjects.sort();
    assert_eq!(subjects, vec!["Question envoyée", "Question reçue"]);
    assert_eq!(
        json["expediteurs_bloques"].as_array().map(Vec::len),
        Some(1),
        "{json}"
    );
    assert_eq!(
        names("signalements_faits", "motif"),
        vec!["Profil en double"]
    );
    let about_me = names("signalements_de_mon_profil", "motif");
    assert!(
        about_me.len() == 1 && about_me[0].contains(FIRST),
        "{about_me:?}"
    );
    let mut fields: Vec<&String> = json["signalements_de_mon_profil"][0]
        .as_object()
        .expect("an object")
        .keys()
        .collect();
    fields.sort();
    assert_eq!(fields, ["etat", "le", "motif"], "not who reported her");
    let actions = names("journal", "action");
    for action in ["account.login", "account.email", "member.correct"] {
        assert!(
            actions.contains(&action.to_string()),
            "{action}: {actions:?}"
        );
    }

    // Something is still queued for her (a reset link) when she leaves.
    post(
        &site.router,
        "/api/request_password_reset",
        &[("email", NEW_EMAIL)],
        None,
    )
    .await;
    let personal = [EMAIL, NEW_EMAIL, PENDING_EMAIL, FIRST, LAST, PHONE];
    assert!(
        !traces(&site.t.db, &personal).await.is_empty(),
        "the search finds her before"
    );
    ok(
        &site,
        "/api/delete_account",
        &[("current_password", MEMBER_PASSWORD)],
        &cookie,
    )
    .await;
    let left = traces(&site.t.db, &personal).await;
    assert!(left.is_empty(), "left after deletion:\n{}", left.join("\n"));
    // What is kept, kept without her: the declaration and the proposal, the journal.
    let usages = domain::entities::usage::Entity::find()
        .all(&site.t.db)
        .await
        .expect("usages");
    assert!(usages.iter().any(|u| u.declared_by.is_none()));
    assert!(
        usages
            .iter()
            .all(|u| u.notes.as_deref() != Some("Parc informatique.")),
        "her notes on her declarations went"
    );
    let journal = domain::entities::audit_log::Entity::find()
        .filter(domain::entities::audit_log::Column::TargetId.eq(me_id.clone()))
        .all(&site.t.db)
        .await
        .expect("journal");
    assert!(journal.iter().any(|e| e.action == "account.delete"));
    assert!(
        journal.iter().all(|e| e.ip.is_none()
            || e.action == "member.correct" && e.ip.as_deref() == Some("192.0.2.7"))
    );
    site.t.cleanup().await;
}

async fn a_refused_applicant_erases_their_data_from_the_mail(backend: Backend) {
    let app = TestApp::start(backend, &[]).await;
    member_of(&app, "refuse@istres.test", "com-13047", "pending").await;
    let id = user_by_email(&app, "refuse@istres.test")
        .await
        .expect("row")
        .id
        .to_string();
    let admin = app.admin().await;
    let reply = app
        .post(
            "reject_member",
            &[("id", &id), ("reason", "Pas une collectivité")],
            Some(&admin),
        )
        .await;
    assert!(!reply.refused(), "{}", reply.error);
    // The refusal mail carries the link; the applicant cannot sign in.
    let mails = app.mails().await;
    let erase = mails
        .iter()
        .filter(|m| m.contains("To: refuse@istres.test"))
        .find_map(|m| link(m, "http://pairs.test/supprimer-mes-donnees?jeton="))
        .unwrap_or_else(|| panic!("the refusal mail links to the erasure: {mails:?}"));
    let token = erase.rsplit('=').next().unwrap_or_default().to_string();
    assert!(
        login(&app.router, "refuse@istres.test", MEMBER_PASSWORD)
            .await
            .refused()
    );
    let page = app
        .get(&format!("/supprimer-mes-donnees?jeton={token}"), None)
        .await;
    assert!(page.body.contains("Supprimer mes données"));
    assert!(
        user_by_email(&app, "refuse@istres.test").await.is_some(),
        "opening the link changes nothing"
    );
    // A wrong token: a clear message, nothing erased, no token in the address.
    let wrong = app
        .post("erase_by_link", &[("token", "pas-le-bon")], None)
        .await;
    assert_eq!(wrong.location, "/supprimer-mes-donnees");
    assert!(wrong.error.contains("pas valide"), "{}", wrong.error);
    assert!(user_by_email(&app, "refuse@istres.test").await.is_some());
    let done = app.post("erase_by_link", &[("token", &token)], None).await;
    assert_eq!(done.location, "/?info=compte-supprime");
    assert!(user_by_email(&app, "refuse@istres.test").await.is_none());
    let again = app.post("erase_by_link", &[("token", &token)], None).await;
    assert!(again.refused(), "single use");
    let left = traces(&app.t.db, &["refuse@istres.test"]).await;
    assert!(left.is_empty(), "{}", left.join("\n"));
    app.t.cleanup().await;
}

on_both_backends!(
    everything_is_exported_then_nothing_is_left,
    a_refused_applicant_erases_their_data_from_the_mail,
);
