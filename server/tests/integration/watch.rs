//! Following tools and categories: the follow button (approved members only), the events
//! each declaration change writes, the weekly and monthly digests (clock chosen by the test,
//! nearest peers first, nothing when nothing happened, exactly once with two workers at
//! once), the one-click unsubscribe of RFC 8058, and the public Atom feed (validated by
//! feedparser, no person in it).

use crate::common;

use chrono::{Duration, Utc};
use common::Backend;
use common::web::*;
use domain::entities::{declaration_event, follow, job, user};
use domain::watch::digest::{self, period_start};
use model::watch::{DigestFrequency, EventKind};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};

on_both_backends!(
    followers_get_one_digest_of_what_changed_near_them,
    the_feed_of_a_tool_is_valid_atom_without_people
);

const PUBLIC: &str = "http://pairs.test";

async fn events(db: &sea_orm::DatabaseConnection) -> Vec<declaration_event::Model> {
    declaration_event::Entity::find()
        .all(db)
        .await
        .expect("events")
}

async fn digest_jobs(db: &sea_orm::DatabaseConnection) -> u64 {
    job::Entity::find()
        .filter(job::Column::DedupKey.like("digest:%"))
        .count(db)
        .await
        .expect("jobs")
}

/// Dates the newest event at `at`: the test's clock, not the machine's.
async fn move_newest_event(db: &sea_orm::DatabaseConnection, at: chrono::DateTime<Utc>) {
    use sea_orm::{ActiveModelTrait, IntoActiveModel, QueryOrder, Set};
    let newest = declaration_event::Entity::find()
        .order_by_desc(declaration_event::Column::Id)
        .one(db)
        .await
        .expect("events")
        .expect("an event");
    let mut active = newest.into_active_model();
    active.at = Set(at);
    active.update(db).await.expect("dated");
}

async fn frequency_of(site: &TestApp, email: &str) -> DigestFrequency {
    user_by_email(site, email)
        .await
        .expect("member")
        .digest_frequency
}

/// Gives the declaration of `software` (slug) at `authority` (public id) a new status,
/// through the update form.
async fn set_status(site: &TestApp, cookie: &str, authority: &str, software: &str, status: &str) {
    use domain::entities::{authority as place, software as tool, usage};
    let db = &site.t.db;
    let a = place::Entity::find()
        .filter(place::Column::PublicId.eq(authority))
        .one(db)
        .await
        .expect("authority")
        .expect("known authority");
    let s = tool::Entity::find()
        .filter(tool::Column::Slug.eq(software))
        .one(db)
        .await
        .expect("tool")
        .expect("known tool");
    let usage = usage::Entity::find()
        .filter(usage::Column::AuthorityId.eq(a.id))
        .filter(usage::Column::SoftwareId.eq(s.id))
        .one(db)
        .await
        .expect("usage")
        .expect("declared");
    let id = usage.id.to_string();
    let mut form = declaration_form(authority, software, false);
    form.retain(|(k, _)| !matches!(*k, "software" | "status"));
    form.push(("id", &id));
    form.push(("status", status));
    let reply = site.post("update_usage", &form, Some(cookie)).await;
    assert!(
        reply.location.contains("declaration-modifiee"),
        "{} {}",
        reply.location,
        reply.shown()
    );
}

async fn abandon(site: &TestApp, cookie: &str, authority: &str, software: &str) {
    set_status(site, cookie, authority, software, "abandoned").await;
}

async fn followers_get_one_digest_of_what_changed_near_them(backend: Backend) {
    let site = TestApp::start(backend, &[("PAIRS_THROTTLE_MAX", "50")]).await;
    let db = &site.t.db;
    domain::catalogue::seed::load_catalogue(db)
        .await
        .expect("catalogue");

    // Zoé, of Istres (13), follows Nextcloud and the cemetery category.
    let zoe = site.approved_member("zoe@istres.test", "com-13047").await;
    for (cible, slug) in [("logiciel", "nextcloud"), ("categorie", "cimetieres")] {
        let reply = site
            .post("follow", &[("cible", cible), ("slug", slug)], Some(&zoe))
            .await;
        assert!(
            reply.location.contains("info=suivi-ajoute"),
            "{}",
            reply.shown()
        );
    }
    // Following twice is following once; an unknown tool is refused with a message.
    site.post(
        "follow",
        &[("cible", "logiciel"), ("slug", "nextcloud")],
        Some(&zoe),
    )
    .await;
    let unknown = site
        .post(
            "follow",
            &[("cible", "logiciel"), ("slug", "pas-un-logiciel")],
            Some(&zoe),
        )
        .await;
    assert!(
        unknown.shown().contains("n'existe pas") || unknown.shown().contains("n&#x27;existe pas"),
        "{}",
        unknown.shown()
    );
    // A visitor is sent to log in; a member not yet approved is told why; nothing stored.
    let visitor = site
        .post("follow", &[("cible", "logiciel"), ("slug", "glpi")], None)
        .await;
    assert!(
        visitor.location.starts_with("/connexion"),
        "{}",
        visitor.location
    );
    let pending = member_of(&site, "paul@fos.test", "com-13039", "pending").await;
    let refused = site
        .post(
            "follow",
            &[("cible", "logiciel"), ("slug", "glpi")],
            Some(&pending),
        )
        .await;
    assert!(
        refused.shown().contains("compte est validé"),
        "{}",
        refused.shown()
    );
    assert_eq!(follow::Entity::find().count(db).await.expect("count"), 2);

    // The page shows the button's other state; /compte lists both with the frequency.
    let page = site.get("/logiciels/nextcloud", Some(&zoe)).await;
    assert!(
        page.body.contains("Ne plus suivre"),
        "{}",
        error_notice(&page.body)
    );
    assert!(page.body.contains("/logiciels/nextcloud/flux.atom"));
    let visitor_page = site.get("/logiciels/nextcloud", None).await;
    assert!(!visitor_page.body.contains("Ne plus suivre"));
    let account = site.get("/compte", Some(&zoe)).await;
    assert!(
        account.body.contains("id=\"suivis\""),
        "{}",
        error_notice(&account.body)
    );
    assert!(account.body.contains("Nextcloud") && account.body.contains("Cimetières"));
    assert!(account.body.contains("value=\"weekly\" checked"));
    let catalogue = site.get("/logiciels", Some(&zoe)).await;
    assert!(
        catalogue.body.contains("Ne plus suivre Cimetières"),
        "{}",
        error_notice(&catalogue.body)
    );

    // Five authorities adopt Nextcloud, one abandons it, one adopts a cemetery tool, one
    // adopts GLPI (not followed).
    let near = [
        ("a@kerguelen.test", "com-98412"),
        ("r@paca.test", "reg-93"),
        ("p@paris.test", "com-75056"),
        ("m@marseille.test", "com-13055"),
        ("f@fos.test", "com-13039"),
    ];
    for (email, authority) in near {
        let cookie = site.approved_member(email, authority).await;
        declare(&site, &cookie, authority, "nextcloud", false).await;
    }
    let sp = site
        .approved_member("s@saint-pierre.test", "com-97502")
        .await;
    declare(&site, &sp, "com-97502", "nextcloud", false).await;
    abandon(&site, &sp, "com-97502", "nextcloud").await;
    declare(&site, &sp, "com-97502", "opencimetiere", false).await;
    declare(&site, &sp, "com-97502", "glpi", false).await;
    let written = events(db).await;
    assert_eq!(written.len(), 9, "one event per change: {written:?}");
    assert_eq!(
        written
            .iter()
            .filter(|e| e.kind == EventKind::Abandoned)
            .count(),
        1
    );

    // The next Monday, two workers at once: one digest, one job with its delivery key.
    let monday = period_start(DigestFrequency::Weekly, Utc::now()).expect("week")
        + Duration::days(7)
        + Duration::hours(1);
    let (a, b) = tokio::join!(
        digest::run_due(db, PUBLIC, monday),
        digest::run_due(db, PUBLIC, monday)
    );
    let (a, b) = (a.expect("first worker"), b.expect("second worker"));
    assert_eq!(a.sent + b.sent, 1, "{a:?} {b:?}");
    assert_eq!(digest_jobs(db).await, 1);
    // Later the same week: nothing more.
    let again = digest::run_due(db, PUBLIC, monday + Duration::days(2))
        .await
        .expect("again");
    assert_eq!(again.sent, 0);
    assert_eq!(digest_jobs(db).await, 1);

    let mails = site.mails().await;
    let mail = mails
        .iter()
        .find(|m| m.contains("To: zoe@istres.test") && m.contains("cette semaine"))
        .expect("Zoé's digest");
    let text = common::smtp::decode_qp(mail);
    assert!(
        text.contains("5 collectivités ont adopté Nextcloud, dont Fos-sur-Mer (13)"),
        "{text}"
    );
    assert!(
        text.contains("Saint-Pierre (975) a abandonné Nextcloud"),
        "{text}"
    );
    assert!(
        text.contains("Saint-Pierre (975) a adopté openCimetière"),
        "{text}"
    );
    assert!(!text.contains("GLPI"), "GLPI is not followed: {text}");
    // Nearest first: the département, the région, then the others by name.
    let at = |name: &str| text.find(&format!("- {name}")).expect(name);
    assert!(at("Fos-sur-Mer") < at("Marseille"));
    assert!(at("Marseille") < at("Provence-Alpes-Côte d'Azur"));
    assert!(at("Provence-Alpes-Côte d'Azur") < at("Archipel des Kerguelen"));
    assert!(at("Archipel des Kerguelen") < at("Paris"));
    assert!(text.contains("http://pairs.test/collectivites/com-13039"));
    // No person: the declarers' addresses are nowhere in it.
    for (email, _) in near {
        assert!(!text.contains(email), "{email} in the digest");
    }
    assert!(text.contains("List-Unsubscribe-Post: List-Unsubscribe=One-Click"));
    let one_click = common::smtp::link(mail, "http://pairs.test/desabonnement/un-clic")
        .expect("the one-click address");
    assert!(text.contains("http://pairs.test/compte#suivis"));

    // A week with nothing new: no mail.
    let quiet = digest::run_due(db, PUBLIC, monday + Duration::days(7))
        .await
        .expect("quiet");
    assert_eq!((quiet.sent, quiet.empty), (0, 1));

    // Monthly: the next first of the month tells what happened since the last digest.
    let set = site
        .post(
            "set_digest_frequency",
            &[("frequence", "monthly")],
            Some(&zoe),
        )
        .await;
    assert!(
        set.location.contains("frequence-enregistree"),
        "{}",
        set.shown()
    );
    let bad = site
        .post(
            "set_digest_frequency",
            &[("frequence", "daily")],
            Some(&zoe),
        )
        .await;
    assert!(bad.shown().contains("chaque semaine"), "{}", bad.shown());
    assert_eq!(
        frequency_of(&site, "zoe@istres.test").await,
        DigestFrequency::Monthly
    );
    let f = site.approved_member("f2@fos.test", "com-13039").await;
    abandon(&site, &f, "com-13039", "nextcloud").await;
    let first = period_start(DigestFrequency::Monthly, monday + Duration::days(40)).expect("month")
        + Duration::hours(1);
    // The abandon happened, on the test's clock, a day before that first of the month.
    move_newest_event(db, first - Duration::days(1)).await;
    let monthly = digest::run_due(db, PUBLIC, first).await.expect("monthly");
    assert_eq!(monthly.sent, 1, "{monthly:?}");
    let mails = site.mails().await;
    assert!(
        mails
            .iter()
            .any(|m| m.contains("To: zoe@istres.test") && m.contains("ce mois-ci")),
        "the monthly digest"
    );

    // One-click unsubscribe, as a mail client posts it (no cookie, no Origin).
    // The header's address is in angle brackets.
    let path = one_click.trim_start_matches(PUBLIC).trim_end_matches('>');
    let reply = post(
        &site.router,
        path,
        &[("List-Unsubscribe", "One-Click")],
        None,
    )
    .await;
    assert_eq!(reply.status, axum::http::StatusCode::OK, "{}", reply.body);
    assert_eq!(
        frequency_of(&site, "zoe@istres.test").await,
        DigestFrequency::Never
    );
    let forged = post(
        &site.router,
        "/desabonnement/un-clic?jeton=forged",
        &[("List-Unsubscribe", "One-Click")],
        None,
    )
    .await;
    assert_eq!(forged.status, axum::http::StatusCode::NOT_FOUND);
    set_status(&site, &f, "com-13039", "nextcloud", "in_use").await;
    move_newest_event(db, first + Duration::days(10)).await;
    let after = digest::run_due(db, PUBLIC, first + Duration::days(40))
        .await
        .expect("after");
    assert_eq!(after.sent, 0, "no digest once unsubscribed");

    // Unfollowing from /compte; erasing the account takes the follows with it.
    let reply = site
        .post(
            "unfollow",
            &[
                ("cible", "logiciel"),
                ("slug", "nextcloud"),
                ("depuis", "compte"),
            ],
            Some(&zoe),
        )
        .await;
    assert_eq!(
        reply.location,
        "/compte?info=suivi-retire#suivis",
        "{}",
        reply.shown()
    );
    let zoe_id = user_by_email(&site, "zoe@istres.test")
        .await
        .expect("zoe")
        .id;
    assert_eq!(
        follow::Entity::find()
            .filter(follow::Column::UserId.eq(zoe_id))
            .count(db)
            .await
            .expect("count"),
        1
    );
    let erased = site
        .post(
            "delete_account",
            &[("current_password", MEMBER_PASSWORD)],
            Some(&zoe),
        )
        .await;
    assert!(erased.error.is_empty(), "{}", erased.shown());
    assert!(
        user::Entity::find_by_id(zoe_id)
            .one(db)
            .await
            .expect("row")
            .is_none()
    );
    assert_eq!(follow::Entity::find().count(db).await.expect("count"), 0);
    site.t.cleanup().await;
}

async fn the_feed_of_a_tool_is_valid_atom_without_people(backend: Backend) {
    let site = TestApp::start(backend, &[]).await;
    let db = &site.t.db;
    domain::catalogue::seed::load_catalogue(db)
        .await
        .expect("catalogue");
    let fos = site.approved_member("zoe@fos.test", "com-13039").await;
    declare(&site, &fos, "com-13039", "nextcloud", true).await;
    let paris = site.approved_member("paul@paris.test", "com-75056").await;
    declare(&site, &paris, "com-75056", "nextcloud", true).await;
    abandon(&site, &paris, "com-75056", "nextcloud").await;

    let feed = site.get("/logiciels/nextcloud/flux.atom", None).await;
    assert_eq!(feed.status, axum::http::StatusCode::OK);
    assert!(
        feed.body.contains("Fos-sur-Mer (13) a adopté Nextcloud"),
        "{}",
        feed.body
    );
    assert!(
        feed.body.contains("Paris (75) a abandonné Nextcloud"),
        "{}",
        feed.body
    );
    for person in ["zoe@fos.test", "paul@paris.test", "Prénom", "Zoé"] {
        assert!(!feed.body.contains(person), "{person} in the feed");
    }
    let missing = site.get("/logiciels/pas-un-logiciel/flux.atom", None).await;
    assert_eq!(missing.status, axum::http::StatusCode::NOT_FOUND);

    // A real parser: well-formed Atom, three entries, each linking to an authority page.
    let file = site.t.dir.path().join("feed.atom");
    std::fs::write(&file, &feed.body).expect("write");
    let out = std::process::Command::new("/usr/bin/python3")
        .arg("-c")
        .arg(
            "import sys, feedparser\n\
             d = feedparser.parse(sys.argv[1])\n\
             assert not d.bozo, d.get('bozo_exception')\n\
             assert d.version == 'atom10', d.version\n\
             assert all('/collectivites/' in e.link for e in d.entries)\n\
             print(len(d.entries))",
        )
        .arg(&file)
        .output()
        .expect("python3 with feedparser (the test command installs it)");
    assert!(
        out.status.success(),
        "feedparser refused the feed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(String::from_utf8_lossy(&out.stdout).trim(), "3");
    site.t.cleanup().await;
}
