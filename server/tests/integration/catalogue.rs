//! The catalogue and declarations through the real router: seeds, authorization,
//! validation, proposals and merges, pages.

use crate::common;

use axum::http::StatusCode;
use chrono::{Duration, Utc};
use common::web::*;
use common::{Backend, TestDb, import_fixture};
use domain::entities::{software, usage, usage_referent};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QuerySelect, Set,
};

async fn seeded_site(backend: Backend) -> TestApp {
    let site = TestApp::start(backend, &[]).await;
    domain::catalogue::seed::load_catalogue(&site.t.db)
        .await
        .expect("catalogue");
    site
}

async fn usages(site: &TestApp) -> Vec<usage::Model> {
    usage::Entity::find().all(&site.t.db).await.expect("usages")
}

fn declaration<'a>(authority: &'a str, software: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("authority", authority),
        ("software", software),
        ("status", "in_use"),
        ("since_year", "2019"),
        ("version", "10.0"),
        ("notes", "Utilisé par la DSI."),
        ("satisfaction", "4"),
        ("referent", "on"),
    ]
}

/// Istres proposes a new tool under this name, evaluating it.
fn proposal(name: &str) -> Vec<(&str, &str)> {
    vec![
        ("authority", "com-13047"),
        ("name", name),
        ("category", "collaboration"),
        ("website", ""),
        ("status", "evaluating"),
        ("since_year", ""),
        ("version", ""),
        ("notes", ""),
        ("satisfaction", ""),
    ]
}

async fn a_member_declares_a_tool_seen_on_both_pages(backend: Backend) {
    let site = seeded_site(backend).await;
    let cookie = member_of(&site, "zoe@istres.test", "com-13047", "approved").await;
    let reply = post(
        &site.router,
        "/api/declare_usage",
        &declaration("com-13047", "glpi"),
        Some(&cookie),
    )
    .await;
    assert_eq!(
        reply.location,
        "/collectivites/com-13047?info=declaration-ajoutee#outils"
    );
    let all = usages(&site).await;
    assert_eq!(all.len(), 1);
    assert_eq!(all[0].satisfaction, Some(4));
    assert_eq!(all[0].since_year, Some(2019));
    let referents = usage_referent::Entity::find()
        .count(&site.t.db)
        .await
        .expect("count");
    assert_eq!(referents, 1);

    let page = get(&site.router, "/collectivites/com-13047", None).await;
    assert!(page.body.contains("/logiciels/glpi") && page.body.contains("Utilisé par la DSI."));
    assert!(!page.body.contains("declare-form"), "visitors get no form");
    let page = get(&site.router, "/collectivites/com-13047", Some(&cookie)).await;
    assert!(
        page.body.contains("declare-form"),
        "members of the authority get the form"
    );

    let glpi = get(&site.router, "/logiciels/glpi", None).await;
    assert_eq!(glpi.status, StatusCode::OK);
    assert!(glpi.body.contains("/collectivites/com-13047"));
    assert!(glpi.body.contains("Utilisé : 1"));
    assert!(
        !glpi.body.contains("Zoé Martin"),
        "referents are for members only"
    );
    let other = member_of(&site, "marc@fos.test", "com-13039", "approved").await;
    let glpi = get(&site.router, "/logiciels/glpi", Some(&other)).await;
    assert!(glpi.body.contains("Zoé Martin"), "members see referents");
    assert!(!glpi.body.contains("zoe@istres.test"), "never the address");

    // A second declaration of the same tool is refused with a clear message.
    let again = post(
        &site.router,
        "/api/declare_usage",
        &declaration("com-13047", "glpi"),
        Some(&cookie),
    )
    .await;
    assert!(
        again.refused() && again.error.contains("déjà déclar"),
        "{} {}",
        again.location,
        again.error
    );
    site.t.cleanup().await;
}

async fn members_cannot_touch_other_authorities_and_pending_members_cannot_declare(
    backend: Backend,
) {
    let site = seeded_site(backend).await;
    let istres = member_of(&site, "zoe@istres.test", "com-13047", "approved").await;
    let fos = member_of(&site, "marc@fos.test", "com-13039", "approved").await;
    let pending = member_of(&site, "lea@istres.test", "com-13047", "pending").await;
    post(
        &site.router,
        "/api/declare_usage",
        &declaration("com-13039", "qgis"),
        Some(&fos),
    )
    .await;
    let before = usages(&site).await;
    assert_eq!(before.len(), 1);
    let fos_usage = before[0].id.to_string();

    // (endpoint, form, authority whose data must not change)
    type Attempt<'a> = (&'a str, Vec<(&'a str, &'a str)>, &'a str);
    let attempts: Vec<Attempt> = vec![
        (
            "/api/declare_usage",
            declaration("com-13039", "glpi"),
            istres.as_str(),
        ),
        (
            "/api/update_usage",
            vec![
                ("authority", "com-13039"),
                ("id", &fos_usage),
                ("status", "abandoned"),
                ("since_year", ""),
                ("version", ""),
                ("notes", ""),
                ("satisfaction", ""),
            ],
            istres.as_str(),
        ),
        (
            "/api/confirm_usage",
            vec![("authority", "com-13039"), ("id", &fos_usage)],
            istres.as_str(),
        ),
        (
            "/api/remove_usage",
            vec![("authority", "com-13039"), ("id", &fos_usage)],
            istres.as_str(),
        ),
        (
            "/api/declare_usage",
            declaration("com-13047", "glpi"),
            pending.as_str(),
        ),
        (
            "/api/propose_software",
            vec![
                ("authority", "com-13047"),
                ("name", "Mon logiciel"),
                ("category", "sig"),
                ("website", ""),
                ("status", "in_use"),
                ("since_year", ""),
                ("version", ""),
                ("notes", ""),
                ("satisfaction", ""),
            ],
            pending.as_str(),
        ),
    ];
    for (path, form, cookie) in attempts {
        let reply = post(&site.router, path, &form, Some(cookie)).await;
        assert_eq!(reply.status, StatusCode::FORBIDDEN, "{path}");
    }
    assert_eq!(usages(&site).await, before, "nothing changed");
    let proposed = software::Entity::find()
        .filter(software::Column::Status.eq(model::software::SoftwareStatus::Proposed))
        .count(&site.t.db)
        .await
        .expect("count");
    assert_eq!(proposed, 0);
    site.t.cleanup().await;
}

async fn every_field_is_validated_with_french_messages(backend: Backend) {
    let site = seeded_site(backend).await;
    let cookie = member_of(&site, "zoe@istres.test", "com-13047", "approved").await;
    let long_version = "v".repeat(61);
    let long_notes = "n".repeat(2001);
    let cases: Vec<(&str, &str, &str)> = vec![
        ("status", "installed", "Choisissez un statut"),
        ("since_year", "1800", "année"),
        ("since_year", "2999", "année"),
        ("since_year", "deux mille", "année"),
        ("satisfaction", "6", "satisfaction"),
        ("satisfaction", "0", "satisfaction"),
        ("version", &long_version, "version"),
        ("notes", &long_notes, "contexte"),
        ("software", "logiciel-inexistant", "catalogue"),
    ];
    for (field, value, expected) in cases {
        let mut form = declaration("com-13047", "glpi");
        form.retain(|(k, _)| *k != field);
        form.push((field, value));
        let reply = post(&site.router, "/api/declare_usage", &form, Some(&cookie)).await;
        assert!(
            reply.location == "/collectivites/com-13047" && reply.refused(),
            "{field}={value}: {}",
            reply.location
        );
        assert!(
            reply
                .error
                .to_lowercase()
                .contains(&expected.to_lowercase()),
            "{field}={value}: {}",
            reply.error
        );
    }
    assert!(
        usages(&site).await.is_empty(),
        "no invalid declaration was stored"
    );
    site.t.cleanup().await;
}

async fn stale_declarations_ask_for_confirmation_and_one_click_confirms(backend: Backend) {
    let site = seeded_site(backend).await;
    let cookie = member_of(&site, "zoe@istres.test", "com-13047", "approved").await;
    post(
        &site.router,
        "/api/declare_usage",
        &declaration("com-13047", "nextcloud"),
        Some(&cookie),
    )
    .await;
    let u = usages(&site).await.remove(0);
    let mut active: usage::ActiveModel = u.clone().into();
    active.last_confirmed_at = Set(Utc::now() - Duration::days(400));
    active.update(&site.t.db).await.expect("age");
    let page = get(&site.router, "/collectivites/com-13047", Some(&cookie)).await;
    assert!(page.body.contains("À confirmer"));
    assert!(page.body.contains("Toujours d"));
    let id = u.id.to_string();
    let reply = post(
        &site.router,
        "/api/confirm_usage",
        &[("authority", "com-13047"), ("id", &id)],
        Some(&cookie),
    )
    .await;
    assert_eq!(
        reply.location,
        "/collectivites/com-13047?info=declaration-confirmee#outils"
    );
    let fresh = usages(&site).await.remove(0);
    assert!(fresh.last_confirmed_at > Utc::now() - Duration::minutes(1));
    assert!(
        !get(&site.router, "/collectivites/com-13047", Some(&cookie))
            .await
            .body
            .contains("À confirmer")
    );
    site.t.cleanup().await;
}

async fn proposals_merge_into_existing_software_keeping_usages_and_aliases(backend: Backend) {
    let site = seeded_site(backend).await;
    let istres = member_of(&site, "zoe@istres.test", "com-13047", "approved").await;
    let fos = member_of(&site, "marc@fos.test", "com-13039", "approved").await;
    let propose = |authority: &'static str| {
        vec![
            ("authority", authority),
            ("name", "Nuage Maison"),
            ("category", "collaboration"),
            ("website", "https://nuage.example.org"),
            ("status", "evaluating"),
            ("since_year", ""),
            ("version", ""),
            ("notes", ""),
            ("satisfaction", ""),
            ("referent", "on"),
        ]
    };
    let reply = post(
        &site.router,
        "/api/propose_software",
        &propose("com-13047"),
        Some(&istres),
    )
    .await;
    assert_eq!(
        reply.location,
        "/collectivites/com-13047?info=logiciel-propose#outils"
    );
    let page = get(&site.router, "/collectivites/com-13047", None).await;
    assert!(
        page.body.contains("Nuage Maison") && page.body.contains("proposé"),
        "usable at once"
    );
    // Fos already runs Nextcloud and also declared the proposed tool: the merge keeps one.
    post(
        &site.router,
        "/api/declare_usage",
        &declaration("com-13039", "nextcloud"),
        Some(&fos),
    )
    .await;
    let fos_user = user_by_email(&site, "marc@fos.test").await.expect("row");
    let proposed = software::Entity::find()
        .filter(software::Column::Slug.eq("nuage-maison"))
        .one(&site.t.db)
        .await
        .expect("q")
        .expect("proposed");
    assert_eq!(proposed.status, model::software::SoftwareStatus::Proposed);
    let now = Utc::now();
    let dup = usage::ActiveModel {
        id: sea_orm::NotSet,
        authority_id: Set(usages(&site)
            .await
            .iter()
            .find(|u| u.software_id != proposed.id)
            .expect("fos usage")
            .authority_id),
        software_id: Set(proposed.id),
        status: Set(model::usage::UsageStatus::InUse),
        since_year: Set(None),
        version: Set(None),
        notes: Set(None),
        satisfaction: Set(None),
        declared_by: Set(Some(fos_user.id)),
        last_confirmed_at: Set(now),
        created_at: Set(now),
        updated_at: Set(now),
        replaced_by_id: Set(None),
        ..Default::default()
    }
    .insert(&site.t.db)
    .await
    .expect("duplicate declaration");
    usage_referent::ActiveModel {
        usage_id: Set(dup.id),
        user_id: Set(fos_user.id),
    }
    .insert(&site.t.db)
    .await
    .expect("referent");

    let admin = session_cookie(&login(&site.router, ADMIN_EMAIL, ADMIN_PASSWORD).await);
    let queue = get(&site.router, "/admin/logiciels", Some(&admin)).await;
    assert!(queue.body.contains("Nuage Maison"));
    let member_view = post(
        &site.router,
        "/api/merge_software",
        &[("slug", "nuage-maison"), ("into", "nextcloud")],
        Some(&istres),
    )
    .await;
    assert_eq!(
        member_view.status,
        StatusCode::FORBIDDEN,
        "members cannot merge"
    );
    let reply = post(
        &site.router,
        "/api/merge_software",
        &[("slug", "nuage-maison"), ("into", "nextcloud")],
        Some(&admin),
    )
    .await;
    assert_eq!(reply.location, "/admin/logiciels?info=logiciel-fusionne");

    let nextcloud = software::Entity::find()
        .filter(software::Column::Slug.eq("nextcloud"))
        .one(&site.t.db)
        .await
        .expect("q")
        .expect("nextcloud");
    assert!(
        nextcloud.aliases.lines().any(|a| a == "Nuage Maison"),
        "the name became an alias"
    );
    assert!(
        nextcloud.aliases.lines().any(|a| a == "Next Cloud"),
        "existing aliases kept"
    );
    let all = usages(&site).await;
    assert_eq!(all.len(), 2, "one per authority");
    assert!(
        all.iter().all(|u| u.software_id == nextcloud.id),
        "every usage moved"
    );
    let fos_usage = all
        .iter()
        .find(|u| u.declared_by == Some(fos_user.id))
        .expect("fos usage kept");
    let fos_referents = usage_referent::Entity::find()
        .filter(usage_referent::Column::UsageId.eq(fos_usage.id))
        .count(&site.t.db)
        .await
        .expect("count");
    assert_eq!(fos_referents, 1);
    let redirect = get(&site.router, "/logiciels/nuage-maison", None).await;
    assert_eq!(redirect.status, StatusCode::MOVED_PERMANENTLY);
    assert_eq!(redirect.location, "/logiciels/nextcloud");
    let list = get(&site.router, "/logiciels?filtre=nuage", None).await;
    assert!(
        list.body.contains("/logiciels/nextcloud"),
        "the alias finds the target"
    );
    site.t.cleanup().await;
}

async fn catalogue_page_filters_by_name_alias_and_similar_name(backend: Backend) {
    let site = seeded_site(backend).await;
    let page = get(&site.router, "/logiciels", None).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Cimetières") && page.body.contains("/logiciels/opencimetiere"));
    for (filter, expected) in [
        ("teams", "/logiciels/mattermost"),
        ("openerp", "/logiciels/odoo"),
        ("cimetiere", "/logiciels/opencimetiere"),
    ] {
        let page = get(&site.router, &format!("/logiciels?filtre={filter}"), None).await;
        assert!(page.body.contains(expected), "{filter} finds {expected}");
    }
    let page = get(&site.router, "/logiciels?filtre=zzzzzz", None).await;
    assert!(page.body.contains("Aucun logiciel ne correspond"));
    let missing = get(&site.router, "/logiciels/nexiste-pas", None).await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    site.t.cleanup().await;
}

async fn seeds_are_idempotent(backend: Backend) -> bool {
    let Some(t) = TestDb::migrated(backend).await else {
        return false;
    };
    import_fixture(&t.db).await;
    let first = domain::catalogue::seed::load_catalogue(&t.db)
        .await
        .expect("catalogue");
    assert_eq!(first.inserted, domain::catalogue::seed::seed_size());
    assert!(first.inserted >= 150);
    let second = domain::catalogue::seed::load_catalogue(&t.db)
        .await
        .expect("catalogue again");
    assert_eq!((second.inserted, second.updated), (0, 0));
    let demo = domain::demo::seed_demo(&t.db).await.expect("demo");
    assert!(demo.members > 0 && demo.usages > 0, "{demo:?}");
    let again = domain::demo::seed_demo(&t.db).await.expect("demo again");
    assert_eq!(
        (again.members, again.usages),
        (0, 0),
        "a second run adds nothing"
    );
    assert!(domain::demo::has_demo(&t.db).await.expect("has demo"));
    t.cleanup().await;
    true
}

#[tokio::test]
async fn seeds_are_idempotent_on_sqlite() {
    assert!(seeds_are_idempotent(Backend::Sqlite).await);
}

#[tokio::test]
async fn seeds_are_idempotent_on_postgres() {
    if !seeds_are_idempotent(Backend::Postgres).await {
        common::skip_postgres("seeds_are_idempotent_on_postgres");
    }
}

/// The seed carries the identifiers of the State's SILL list; the software page links them,
/// and a tool long missing from the catalogue is found by its common name.
async fn software_pages_link_their_public_identifiers(backend: Backend) {
    let site = seeded_site(backend).await;
    let page = get(&site.router, "/logiciels/glpi", None).await;
    for link in [
        "https://www.wikidata.org/wiki/Q3104570",
        "https://code.gouv.fr/sill/detail?id=54",
        "https://comptoir-du-libre.org/fr/softwares/35",
    ] {
        assert!(page.body.contains(link), "GLPI links {link}");
    }
    let catalogue = get(&site.router, "/logiciels?filtre=openoffice", None).await;
    assert!(
        catalogue.body.contains("/logiciels/openoffice"),
        "Apache OpenOffice is in the catalogue"
    );
    site.t.cleanup().await;
}

on_both_backends!(
    software_pages_link_their_public_identifiers,
    proposals_are_limited_per_member_per_day,
    software_page_caps_each_status_and_links_to_all,
    a_member_declares_a_tool_seen_on_both_pages,
    members_cannot_touch_other_authorities_and_pending_members_cannot_declare,
    every_field_is_validated_with_french_messages,
    stale_declarations_ask_for_confirmation_and_one_click_confirms,
    proposals_merge_into_existing_software_keeping_usages_and_aliases,
    catalogue_page_filters_by_name_alias_and_similar_name,
    catalogue_pages_kept_per_process_show_each_change_at_once,
);

/// The catalogue and software pages are kept per process (`catalogue::cache`); a
/// declaration, its removal and an approval show on the next request all the same.
async fn catalogue_pages_kept_per_process_show_each_change_at_once(backend: Backend) {
    let site = seeded_site(backend).await;
    let istres = member_of(&site, "zoe@istres.test", "com-13047", "approved").await;
    // Read once, so what follows is served from the cache unless it was emptied.
    let glpi = get(&site.router, "/logiciels/glpi", None).await;
    assert!(!glpi.body.contains("/collectivites/com-13047"));
    let list = get(&site.router, "/logiciels", None).await;
    assert!(list.body.contains("/logiciels/glpi") && !list.body.contains("1 collectivité"));
    let again = get(&site.router, "/logiciels/glpi", None).await;
    assert_eq!(
        again.status,
        StatusCode::OK,
        "the second read, from the cache"
    );

    post(
        &site.router,
        "/api/declare_usage",
        &declaration("com-13047", "glpi"),
        Some(&istres),
    )
    .await;
    let glpi = get(&site.router, "/logiciels/glpi", None).await;
    assert!(glpi.body.contains("/collectivites/com-13047") && glpi.body.contains("Utilisé : 1"));
    let list = get(&site.router, "/logiciels", None).await;
    assert!(list.body.contains("1 collectivité"), "the count moved");

    // A proposal, approved: listed at once (approval enqueues no job).
    let reply = post(
        &site.router,
        "/api/propose_software",
        &proposal("Outil Maison"),
        Some(&istres),
    )
    .await;
    assert!(
        reply.location.contains("info=logiciel-propose"),
        "{}",
        reply.location
    );
    let list = get(&site.router, "/logiciels?filtre=maison", None).await;
    assert!(
        !list.body.contains("/logiciels/outil-maison"),
        "not before approval"
    );
    let admin = site.admin().await;
    let reply = post(
        &site.router,
        "/api/approve_software",
        &[("slug", "outil-maison")],
        Some(&admin),
    )
    .await;
    assert!(
        reply.location.contains("logiciel-valide"),
        "{}",
        reply.location
    );
    let list = get(&site.router, "/logiciels?filtre=maison", None).await;
    assert!(
        list.body.contains("/logiciels/outil-maison"),
        "approved, listed"
    );

    let id = usages(&site)
        .await
        .into_iter()
        .find(|u| u.status == model::usage::UsageStatus::InUse)
        .expect("the GLPI declaration")
        .id
        .to_string();
    post(
        &site.router,
        "/api/remove_usage",
        &[("authority", "com-13047"), ("id", &id)],
        Some(&istres),
    )
    .await;
    let glpi = get(&site.router, "/logiciels/glpi", None).await;
    assert!(
        !glpi.body.contains("/collectivites/com-13047"),
        "the removal shows at once"
    );
    site.t.cleanup().await;
}

/// A member proposes a few software a day at most; the next one is refused, unsaved.
async fn proposals_are_limited_per_member_per_day(backend: Backend) {
    let site = seeded_site(backend).await;
    let istres = member_of(&site, "zoe@istres.test", "com-13047", "approved").await;
    let limit = domain::catalogue::moderation::PROPOSALS_PER_DAY as usize;
    let names: Vec<String> = (0..=limit).map(|i| format!("Outil maison {i}")).collect();
    for (i, name) in names.iter().enumerate() {
        let reply = post(
            &site.router,
            "/api/propose_software",
            &proposal(name),
            Some(&istres),
        )
        .await;
        if i < limit {
            assert!(
                reply.location.contains("info=logiciel-propose"),
                "{name}: {}",
                reply.location
            );
        } else {
            assert!(reply.refused(), "{name}: {}", reply.location);
        }
    }
    let refused = software::Entity::find()
        .filter(software::Column::Name.eq(names[limit].as_str()))
        .one(&site.t.db)
        .await
        .expect("query");
    assert!(refused.is_none(), "nothing saved past the limit");
    site.t.cleanup().await;
}

/// A popular tool's page lists the most populated few per status and links to the search
/// page for all of them.
async fn software_page_caps_each_status_and_links_to_all(backend: Backend) {
    use domain::entities::authority;
    let site = seeded_site(backend).await;
    // The real referential: enough communes for more than a page's worth of users.
    let data = domain::referential::Referential::load(&common::real_referential_dir())
        .expect("real package");
    domain::referential::import(&site.t.db, &data, |_, _| {})
        .await
        .expect("import");
    let glpi = software::Entity::find()
        .filter(software::Column::Slug.eq("glpi"))
        .one(&site.t.db)
        .await
        .expect("query")
        .expect("glpi");
    let authorities = authority::Entity::find()
        .filter(authority::Column::Kind.eq(model::authority::AuthorityKind::Commune))
        .limit(40)
        .all(&site.t.db)
        .await
        .expect("authorities");
    let n = domain::catalogue::query::USERS_SHOWN_PER_STATUS + 3;
    assert!(authorities.len() >= n, "fixture large enough");
    let now = Utc::now();
    for a in authorities.iter().take(n) {
        usage::ActiveModel {
            id: sea_orm::NotSet,
            authority_id: Set(a.id),
            software_id: Set(glpi.id),
            status: Set(model::usage::UsageStatus::InUse),
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
        .insert(&site.t.db)
        .await
        .expect("usage");
    }
    // The shown ones are the most populated, unknown populations last, in that order.
    let mut expected: Vec<&authority::Model> = authorities.iter().take(n).collect();
    expected.sort_by(|a, b| match (a.population, b.population) {
        (Some(x), Some(y)) => y.cmp(&x),
        (Some(_), None) => std::cmp::Ordering::Less,
        (None, Some(_)) => std::cmp::Ordering::Greater,
        (None, None) => std::cmp::Ordering::Equal,
    });
    expected.truncate(domain::catalogue::query::USERS_SHOWN_PER_STATUS);
    let domain::catalogue::query::Lookup::Found(detail) =
        domain::catalogue::query::detail(&site.t.db, "glpi", false)
            .await
            .expect("detail")
    else {
        panic!("GLPI has a page");
    };
    let shown: Vec<&str> = detail
        .users
        .iter()
        .map(|u| u.authority.public_id.as_str())
        .collect();
    let wanted: Vec<&str> = expected.iter().map(|a| a.public_id.as_str()).collect();
    assert_eq!(shown, wanted, "the most populated, in order");
    assert_eq!(
        detail.counts[0],
        (model::usage::UsageStatus::InUse, n as u64)
    );
    let page = get(&site.router, "/logiciels/glpi", None).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.body.contains("Où il est en service") && page.body.contains("class=\"dep shade-"),
        "the map of where it is in service"
    );
    assert!(
        page.body.contains(&format!("Voir les {n} collectivités")),
        "link to all"
    );
    assert!(
        page.body.contains("/recherche?q=GLPI&amp;status=in_use"),
        "{}",
        page.body
    );
    assert!(
        page.body
            .contains(&format!("Collectivités qui l&#x27;utilisent ({n})"))
            || page
                .body
                .contains(&format!("Collectivités qui l'utilisent ({n})"))
    );
    site.t.cleanup().await;
}
