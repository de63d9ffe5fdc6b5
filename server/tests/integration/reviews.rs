//! Retours d'expérience: written from the link of a question's mail, shown on the software
//! page, in the API and the open data, signed by the authority and never by the person;
//! edited and withdrawn by the authority's members only; reported once by a member, hidden
//! and kept by an administrator (journaled); kept, signed by the authority, when its author
//! deletes their account.

use crate::common;

use axum::http::StatusCode;
use chrono::{Duration, Utc};
use common::Backend;
use common::web::*;
use domain::entities::{audit_log, software_review};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};

on_both_backends!(a_retour_from_the_mail_link_to_moderation_and_erasure);

const TEXT: &str =
    "Déployé en 2023 sur nos 40 sites.\nLa migration des tickets a pris deux semaines.";

async fn reviews(db: &sea_orm::DatabaseConnection) -> Vec<software_review::Model> {
    software_review::Entity::find()
        .all(db)
        .await
        .expect("reviews")
}

async fn a_retour_from_the_mail_link_to_moderation_and_erasure(backend: Backend) {
    let site = TestApp::start(backend, &[]).await;
    let db = &site.t.db;
    domain::catalogue::seed::load_catalogue(db)
        .await
        .expect("catalogue");
    // Zoé, of Istres, is GLPI's referent; Paul, of Fos, asks GLPI's referents a question.
    let zoe = member_of(&site, "zoe@istres.test", "com-13047", "approved").await;
    declare(&site, &zoe, "com-13047", "glpi", true).await;
    let paul = member_of(&site, "paul@fos.test", "com-13039", "approved").await;
    let paul_id = user_by_email(&site, "paul@fos.test").await.expect("row").id;
    let stamp = domain::contact::stamp::issue(db, paul_id, Utc::now() - Duration::seconds(60))
        .await
        .expect("stamp");
    let asked = site
        .post(
            "ask_referents",
            &[
                ("logiciel", "glpi"),
                ("region", "93"),
                ("objet", "Votre GLPI"),
                ("message", "Comment l'avez-vous déployé ?"),
                ("consentement", "oui"),
                ("site_web", ""),
                ("debut", &stamp),
            ],
            Some(&paul),
        )
        .await;
    assert_eq!(
        asked.location,
        "/compte/messages?info=question-envoyee",
        "{}",
        asked.shown()
    );
    let mails = site.mails().await;
    let to_zoe = mails
        .iter()
        .find(|m| m.contains("To: zoe@istres.test") && m.contains("Votre GLPI"))
        .expect("Zoé's mail");
    let link = common::smtp::link(to_zoe, "http://pairs.test/logiciels/glpi/retour")
        .expect("the mail offers a public answer");
    let path = link.trim_start_matches("http://pairs.test");

    // The link opens the retour form; a visitor is sent to log in, Fos (no GLPI) is refused.
    let form = get(&site.router, path, Some(&zoe)).await;
    assert!(
        form.body.contains("id=\"review-form\""),
        "{}",
        error_notice(&form.body)
    );
    let refused = site
        .post(
            "save_review",
            &[("logiciel", "glpi"), ("texte", TEXT)],
            Some(&paul),
        )
        .await;
    assert!(
        refused.shown().contains("n'a pas déclaré ce logiciel")
            || refused.shown().contains("n&#x27;a pas déclaré ce logiciel"),
        "{}",
        refused.shown()
    );
    let visitor = site
        .post(
            "save_review",
            &[("logiciel", "glpi"), ("texte", TEXT)],
            None,
        )
        .await;
    assert!(
        visitor.location.starts_with("/connexion"),
        "{}",
        visitor.location
    );
    let too_long = "é".repeat(1001);
    let long = site
        .post(
            "save_review",
            &[("logiciel", "glpi"), ("texte", &too_long)],
            Some(&zoe),
        )
        .await;
    assert!(long.shown().contains("trop long"), "{}", long.shown());
    assert!(reviews(db).await.is_empty(), "refusals store nothing");

    let saved = site
        .post(
            "save_review",
            &[("logiciel", "glpi"), ("texte", TEXT)],
            Some(&zoe),
        )
        .await;
    assert_eq!(
        saved.location,
        "/logiciels/glpi?info=retour-enregistre#retours",
        "{}",
        saved.shown()
    );
    // Shown on the software page, in the API and the open data, signed by Istres only.
    let page = get(&site.router, "/logiciels/glpi", None).await;
    assert!(
        page.body.contains("Retours d&#x27;expérience")
            || page.body.contains("Retours d'expérience")
    );
    assert!(page.body.contains("Déployé en 2023 sur nos 40 sites."));
    let api = get(&site.router, "/api/v1/logiciels/glpi", None).await;
    let json: serde_json::Value = serde_json::from_str(&api.body).expect("json");
    assert_eq!(json["retours"][0]["authority"], "com-13047");
    assert_eq!(json["retours"][0]["text"], TEXT);
    let csv = get(&site.router, "/donnees/retours.csv", None).await;
    assert_eq!(csv.status, StatusCode::OK);
    assert!(csv.body.contains("com-13047") && csv.body.contains("Déployé en 2023"));
    for (what, body) in [("page", &page.body), ("api", &api.body), ("csv", &csv.body)] {
        for person in ["zoe@istres.test", "Zoé Martin"] {
            let at = body.find(person);
            assert!(
                at.is_none(),
                "{what} names the person: {}",
                at.map(|i| &body[i.saturating_sub(200)..(i + 100).min(body.len())])
                    .unwrap_or_default()
            );
        }
    }
    // Editing replaces it: one retour per authority and tool.
    site.post(
        "save_review",
        &[("logiciel", "glpi"), ("texte", "Toujours satisfaits.")],
        Some(&zoe),
    )
    .await;
    let rows = reviews(db).await;
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].text, "Toujours satisfaits.");
    let review_id = rows[0].id.to_string();

    // Paul reports it, once; the administrator finds it in the queue and hides it.
    let report = site
        .post(
            "report_review",
            &[
                ("logiciel", "glpi"),
                ("retour", &review_id),
                ("motif", "Publicité déguisée"),
            ],
            Some(&paul),
        )
        .await;
    assert_eq!(
        report.location,
        "/logiciels/glpi?info=retour-signale#retours",
        "{}",
        report.shown()
    );
    let again = site
        .post(
            "report_review",
            &[
                ("logiciel", "glpi"),
                ("retour", &review_id),
                ("motif", "Encore"),
            ],
            Some(&paul),
        )
        .await;
    assert!(again.shown().contains("déjà signalé"), "{}", again.shown());
    let admin = site.admin().await;
    let queue = get(&site.router, "/admin/signalements", Some(&admin)).await;
    assert!(
        queue.body.contains("Publicité déguisée") && queue.body.contains("Toujours satisfaits.")
    );
    let hidden = site
        .post(
            "moderate_review",
            &[("retour", &review_id), ("decision", "masquer")],
            Some(&admin),
        )
        .await;
    assert_eq!(
        hidden.location,
        "/admin/signalements?info=retour-modere",
        "{}",
        hidden.shown()
    );
    let page = get(&site.router, "/logiciels/glpi", None).await;
    assert!(
        !page.body.contains("Toujours satisfaits."),
        "hidden from the page"
    );
    let api = get(&site.router, "/api/v1/logiciels/glpi", None).await;
    assert!(
        !api.body.contains("Toujours satisfaits."),
        "and from the API"
    );
    let journaled = audit_log::Entity::find()
        .filter(audit_log::Column::Action.eq("review.hide"))
        .count(db)
        .await
        .expect("journal");
    assert_eq!(journaled, 1);
    // A member may not moderate.
    let member_try = site
        .post(
            "moderate_review",
            &[("retour", &review_id), ("decision", "garder")],
            Some(&paul),
        )
        .await;
    assert_eq!(member_try.status, StatusCode::FORBIDDEN);
    assert!(reviews(db).await[0].hidden);
    site.post(
        "moderate_review",
        &[("retour", &review_id), ("decision", "garder")],
        Some(&admin),
    )
    .await;
    assert!(!reviews(db).await[0].hidden, "kept online");

    // Another member of Istres withdraws it; only Istres' members could.
    let hugo = member_of(&site, "hugo@istres.test", "com-13047", "approved").await;
    let not_theirs = site
        .post("withdraw_review", &[("logiciel", "glpi")], Some(&paul))
        .await;
    assert!(not_theirs.refused(), "{}", not_theirs.location);
    assert_eq!(reviews(db).await.len(), 1);
    let withdrawn = site
        .post("withdraw_review", &[("logiciel", "glpi")], Some(&hugo))
        .await;
    assert_eq!(
        withdrawn.location,
        "/logiciels/glpi?info=retour-retire#retours",
        "{}",
        withdrawn.shown()
    );
    assert!(reviews(db).await.is_empty());

    // Zoé writes again, then deletes her account: the retour stays, signed by Istres,
    // and no longer points to her.
    site.post(
        "save_review",
        &[("logiciel", "glpi"), ("texte", TEXT)],
        Some(&zoe),
    )
    .await;
    let deleted = site
        .post(
            "delete_account",
            &[("current_password", MEMBER_PASSWORD)],
            Some(&zoe),
        )
        .await;
    assert!(
        deleted.location.contains("compte-supprime"),
        "{}",
        deleted.shown()
    );
    let rows = reviews(db).await;
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].author_id, None);
    let page = get(&site.router, "/logiciels/glpi", None).await;
    assert!(page.body.contains("Déployé en 2023 sur nos 40 sites."));
    site.t.cleanup().await;
}
