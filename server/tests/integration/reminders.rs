//! Reminders of declarations unconfirmed for a year, on the test's clock: one mail per
//! member listing theirs (to the declarer, or to all the authority's members when the
//! declarer left), none twice within the month, single-use links that work without signing
//! in, and after the second unanswered reminder the « non confirmée » label with the
//! referents hidden until someone confirms; reminders can be turned off.

use crate::common;

use chrono::{Duration, Utc};
use common::Backend;
use common::web::*;
use domain::entities::{authority, software, usage};
use domain::watch::reminders::run_due;
use model::usage::UsageStatus;
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, IntoActiveModel, QueryFilter, Set};

on_both_backends!(stale_declarations_are_reminded_and_answered_in_one_click);

const PUBLIC: &str = "http://pairs.test";

async fn declaration(
    db: &sea_orm::DatabaseConnection,
    authority: &str,
    tool: &str,
) -> usage::Model {
    let a = authority::Entity::find()
        .filter(authority::Column::PublicId.eq(authority))
        .one(db)
        .await
        .expect("authority")
        .expect("known");
    let s = software::Entity::find()
        .filter(software::Column::Slug.eq(tool))
        .one(db)
        .await
        .expect("tool")
        .expect("known");
    usage::Entity::find()
        .filter(usage::Column::AuthorityId.eq(a.id))
        .filter(usage::Column::SoftwareId.eq(s.id))
        .one(db)
        .await
        .expect("usage")
        .expect("declared")
}

/// Dates a declaration's last confirmation `days` ago; `left` forgets its declarer.
async fn age(db: &sea_orm::DatabaseConnection, authority: &str, tool: &str, days: i64, left: bool) {
    let mut active = declaration(db, authority, tool).await.into_active_model();
    active.last_confirmed_at = Set(Utc::now() - Duration::days(days));
    if left {
        active.declared_by = Set(None);
    }
    active.update(db).await.expect("aged");
}

/// The link after `label` on the line block of `tool` in a decoded reminder.
fn link_of(text: &str, tool: &str, label: &str) -> String {
    let block = &text[text.find(&format!("{tool} (")).expect(tool)..];
    let line = block
        .lines()
        .find(|l| l.trim_start().starts_with(label))
        .expect(label);
    line.split(" : ")
        .nth(1)
        .expect("a link")
        .trim()
        .trim_start_matches(PUBLIC)
        .to_string()
}

async fn use_link(site: &TestApp, path: &str) -> Reply {
    let token = path.split("jeton=").nth(1).expect("token");
    site.post("use_reminder_link", &[("jeton", token)], None)
        .await
}

async fn stale_declarations_are_reminded_and_answered_in_one_click(backend: Backend) {
    let site = TestApp::start(backend, &[("PAIRS_THROTTLE_MAX", "50")]).await;
    let db = &site.t.db;
    domain::catalogue::seed::load_catalogue(db)
        .await
        .expect("catalogue");
    let zoe = site.approved_member("zoe@istres.test", "com-13047").await;
    declare(&site, &zoe, "com-13047", "glpi", true).await;
    declare(&site, &zoe, "com-13047", "nextcloud", true).await;
    let _paul = site.approved_member("paul@istres.test", "com-13047").await;
    let marc = site.approved_member("marc@fos.test", "com-13039").await;
    declare(&site, &marc, "com-13039", "glpi", false).await;
    // Fresh declarations: nothing to remind.
    assert_eq!(run_due(db, PUBLIC, Utc::now()).await.expect("run").sent, 0);
    age(db, "com-13047", "glpi", 400, false).await;
    age(db, "com-13047", "nextcloud", 400, false).await;
    age(db, "com-13039", "glpi", 400, true).await;

    let now = Utc::now();
    let first = run_due(db, PUBLIC, now).await.expect("first run");
    assert_eq!(
        first.sent, 2,
        "Zoé (her two) and Marc (the declarer left): {first:?}"
    );
    assert_eq!(
        run_due(db, PUBLIC, now + Duration::days(1))
            .await
            .expect("again")
            .sent,
        0,
        "one reminder a month at most"
    );
    let mails = site.mails().await;
    let to = |who: &str| {
        mails
            .iter()
            .map(|m| common::smtp::decode_qp(m))
            .filter(|m| m.contains(&format!("To: {who}")) && m.contains("/rappel?jeton="))
            .collect::<Vec<_>>()
    };
    assert!(to("paul@istres.test").is_empty(), "Paul declared nothing");
    let zoe_mail = to("zoe@istres.test").pop().expect("Zoé's reminder");
    assert!(
        zoe_mail.contains("GLPI (") && zoe_mail.contains("Nextcloud ("),
        "{zoe_mail}"
    );
    let confirm = link_of(&zoe_mail, "GLPI", "Toujours d'actualité");

    // The link's page changes nothing; its button confirms without signing in, once.
    let page = site.get(&confirm, None).await;
    assert!(
        page.body.contains("Toujours d&#x27;actualité")
            || page.body.contains("Toujours d'actualité"),
        "{}",
        error_notice(&page.body)
    );
    assert_eq!(declaration(db, "com-13047", "glpi").await.reminders_sent, 1);
    let done = use_link(&site, &confirm).await;
    assert_eq!(
        done.location,
        "/collectivites/com-13047?info=declaration-confirmee#outils",
        "{}",
        done.shown()
    );
    let glpi = declaration(db, "com-13047", "glpi").await;
    assert_eq!(glpi.reminders_sent, 0);
    assert!(glpi.last_confirmed_at > now - Duration::minutes(5));
    let replay = use_link(&site, &confirm).await;
    assert!(
        replay.shown().contains("plus valable"),
        "{}",
        replay.shown()
    );
    let forged = site
        .post("use_reminder_link", &[("jeton", "forged")], None)
        .await;
    assert!(
        forged.shown().contains("plus valable"),
        "{}",
        forged.shown()
    );

    // Marc says Fos no longer uses GLPI.
    let marc_mail = to("marc@fos.test").pop().expect("Marc's reminder");
    let abandon = link_of(&marc_mail, "GLPI", "Nous ne l'utilisons plus");
    let done = use_link(&site, &abandon).await;
    assert!(
        done.location.contains("declaration-abandonnee"),
        "{}",
        done.shown()
    );
    assert_eq!(
        declaration(db, "com-13039", "glpi").await.status,
        UsageStatus::Abandoned
    );

    // Nextcloud goes unanswered: a second reminder a month later, then the label, and its
    // referent is no longer offered.
    let second = run_due(db, PUBLIC, now + Duration::days(31))
        .await
        .expect("second");
    assert_eq!(second.sent, 1, "{second:?}");
    assert_eq!(
        declaration(db, "com-13047", "nextcloud")
            .await
            .reminders_sent,
        2
    );
    let member = site
        .approved_member("lea@marseille.test", "com-13055")
        .await;
    let page = site.get("/collectivites/com-13047", Some(&member)).await;
    assert!(
        page.body.contains("Non confirmée depuis 13 mois"),
        "{}",
        error_notice(&page.body)
    );
    let tool = site.get("/logiciels/nextcloud", Some(&member)).await;
    assert!(
        !tool.body.contains("Contacter Zoé Martin"),
        "the referent is hidden"
    );
    let other = site.get("/logiciels/glpi", Some(&member)).await;
    assert!(
        other.body.contains("Contacter Zoé Martin"),
        "a confirmed declaration keeps its referent"
    );
    // Confirming restores it (signed in, from the authority page).
    let id = declaration(db, "com-13047", "nextcloud")
        .await
        .id
        .to_string();
    let confirmed = site
        .post(
            "confirm_usage",
            &[("authority", "com-13047"), ("id", &id)],
            Some(&zoe),
        )
        .await;
    assert!(
        confirmed.location.contains("declaration-confirmee"),
        "{}",
        confirmed.shown()
    );
    let tool = site.get("/logiciels/nextcloud", Some(&member)).await;
    assert!(
        tool.body.contains("Contacter Zoé Martin"),
        "confirmed: the referent is back"
    );

    // Reminders off: nothing more, however stale.
    let off = site.post("set_reminders", &[], Some(&zoe)).await;
    assert!(
        off.location.contains("rappels-enregistres"),
        "{}",
        off.shown()
    );
    age(db, "com-13047", "nextcloud", 800, false).await;
    let quiet = run_due(db, PUBLIC, now + Duration::days(90))
        .await
        .expect("quiet");
    assert_eq!(quiet.sent, 0, "{quiet:?}");
    site.t.cleanup().await;
}
