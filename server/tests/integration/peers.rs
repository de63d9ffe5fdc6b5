//! « Vos pairs » on the real referential and the demo data: peers of the target's band and
//! région first, shares that equal a count over the database, the same answers from the
//! embedded snapshot and from the database (the Meilisearch path), the one-click
//! declaration offered to the authority's member only.

use crate::common;

use std::collections::{HashMap, HashSet};

use axum::http::StatusCode;
use common::web::*;
use common::{Backend, TestDb};
use domain::entities::authority;
use domain::entities::software;
use domain::entities::usage;
use model::authority::AuthorityKind;
use model::population::band as population_band;
use model::usage::UsageStatus;
use sea_orm::EntityTrait;

on_both_backends!(peers_of_a_commune_on_the_demo_data);

/// The real referential, the catalogue and the demo, indexed: the site a newcomer sees.
async fn demo_site(backend: Backend) -> Option<TestApp> {
    let t = TestDb::migrated(backend).await?;
    let data = domain::referential::Referential::load(&common::real_referential_dir())
        .expect("real package loads");
    domain::referential::import(&t.db, &data, |_, _| {})
        .await
        .expect("import");
    domain::catalogue::seed::load_catalogue(&t.db)
        .await
        .expect("catalogue");
    domain::demo::seed_demo(&t.db).await.expect("demo");
    let state = t.state();
    domain::search::sync::reindex_all(&t.db, state.search.as_ref())
        .await
        .expect("index");
    Some(TestApp::with_state(t, state))
}

async fn peers_of_a_commune_on_the_demo_data(backend: Backend) {
    let Some(site) = demo_site(backend).await else {
        return;
    };
    let db = &site.t.db;
    let authorities = authority::Entity::find()
        .all(db)
        .await
        .expect("authorities");
    let by_id: HashMap<i32, &authority::Model> = authorities.iter().map(|a| (a.id, a)).collect();
    let usages = usage::Entity::find().all(db).await.expect("usages");
    let declarers: HashSet<i32> = usages.iter().map(|u| u.authority_id).collect();
    // A commune of about 20,000 inhabitants in région 93 (Provence-Alpes-Côte d'Azur).
    let target = authorities
        .iter()
        .filter(|a| a.kind == AuthorityKind::Commune && a.region_code.as_deref() == Some("93"))
        .filter(|a| a.population.is_some_and(|p| p >= 20_000))
        .min_by_key(|a| a.population.map(|p| p - 20_000))
        .expect("a commune of 20,000 in région 93");
    let band = population_band(target.population);
    let same_band_and_region = authorities
        .iter()
        .filter(|a| a.id != target.id && declarers.contains(&a.id))
        .filter(|a| a.kind == AuthorityKind::Commune && a.region_code.as_deref() == Some("93"))
        .filter(|a| population_band(a.population) == band)
        .count();
    assert!(
        same_band_and_region > 0,
        "the demo has peers of {} in its band and région",
        target.name
    );

    let api = get(
        &site.router,
        &format!("/api/v1/collectivites/{}/pairs", target.public_id),
        None,
    )
    .await;
    assert_eq!(api.status, StatusCode::OK, "{}", api.body);
    let json: serde_json::Value = serde_json::from_str(&api.body).expect("json");
    let peers: Vec<&authority::Model> = json["peers"]
        .as_array()
        .expect("peers")
        .iter()
        .map(|p| {
            let id = p["id"].as_str().expect("id");
            *by_id
                .values()
                .find(|a| a.public_id == id)
                .expect("a peer is an authority")
        })
        .collect();
    let candidates = authorities
        .iter()
        .filter(|a| {
            a.kind == AuthorityKind::Commune && a.id != target.id && declarers.contains(&a.id)
        })
        .count();
    assert_eq!(peers.len(), candidates.min(domain::peers::PEER_COUNT));
    // Same kind, declarers only, never the target; its band and région first.
    for p in &peers {
        assert_eq!(p.kind, AuthorityKind::Commune);
        assert!(declarers.contains(&p.id) && p.id != target.id);
    }
    let first_tier = same_band_and_region.min(peers.len());
    for p in &peers[..first_tier] {
        assert_eq!(population_band(p.population), band, "{} first", p.name);
        assert_eq!(p.region_code.as_deref(), Some("93"), "{} first", p.name);
    }
    // Within the band and région, nearest population first.
    let distance = |a: &authority::Model| {
        a.population
            .map(|p| p.abs_diff(target.population.unwrap_or(0)))
    };
    for pair in peers[..first_tier].windows(2) {
        assert!(distance(pair[0]) <= distance(pair[1]));
    }

    // Each share is a count over the database of the peers running the tool.
    let peer_ids: HashSet<i32> = peers.iter().map(|p| p.id).collect();
    let slugs: HashMap<i32, String> = software::Entity::find()
        .all(db)
        .await
        .expect("software")
        .into_iter()
        .map(|s| (s.id, s.slug))
        .collect();
    let count = |slug: &str, status: UsageStatus| {
        usages
            .iter()
            .filter(|u| peer_ids.contains(&u.authority_id) && u.status == status)
            .filter(|u| slugs.get(&u.software_id).map(String::as_str) == Some(slug))
            .count() as u64
    };
    let most_used = json["most_used"].as_array().expect("most used");
    assert!(!most_used.is_empty());
    for t in most_used {
        let slug = t["slug"].as_str().expect("slug");
        assert_eq!(
            t["count"].as_u64(),
            Some(count(slug, UsageStatus::InUse)),
            "{slug}"
        );
    }
    for t in json["abandoned"].as_array().expect("abandoned") {
        let slug = t["slug"].as_str().expect("slug");
        assert_eq!(
            t["count"].as_u64(),
            Some(count(slug, UsageStatus::Abandoned)),
            "{slug}"
        );
    }
    let counts: Vec<u64> = most_used
        .iter()
        .map(|t| t["count"].as_u64().unwrap_or(0))
        .collect();
    assert!(
        counts.windows(2).all(|w| w[0] >= w[1]),
        "most shared first: {counts:?}"
    );

    // The embedded snapshot and the database (what Meilisearch deployments use) agree.
    let wanted = domain::peers::source::target(db, &target.public_id)
        .await
        .expect("target")
        .expect("exists");
    let from_snapshot = site
        .state
        .search
        .peer_universe()
        .expect("embedded universe");
    let from_database = domain::peers::source::from_database(db)
        .await
        .expect("universe");
    assert_eq!(from_snapshot.len(), from_database.len());
    assert_eq!(
        domain::peers::compute(&from_snapshot, &wanted, domain::peers::PEER_COUNT),
        domain::peers::compute(&from_database, &wanted, domain::peers::PEER_COUNT)
    );

    // A visitor sees the lists, not the declaration buttons; the authority's member sees a
    // button for each tool it has not declared, and « déjà déclaré » for the others.
    let page_path = format!("/collectivites/{}/pairs", target.public_id);
    let visitor = get(&site.router, &page_path, None).await;
    assert_eq!(visitor.status, StatusCode::OK);
    assert!(visitor.body.contains("Ce que vos pairs utilisent le plus"));
    assert!(
        !visitor.body.contains("Nous l&#x27;utilisons aussi")
            && !visitor.body.contains("Nous l'utilisons aussi")
    );
    let top = most_used[0]["slug"].as_str().expect("slug").to_string();
    let second = most_used
        .get(1)
        .and_then(|t| t["slug"].as_str())
        .map(str::to_string);
    let member = site
        .approved_member("ines@peers.test", &target.public_id)
        .await;
    declare(&site, &member, &target.public_id, &top, false).await;
    let mine = get(&site.router, &page_path, Some(&member)).await;
    assert!(
        mine.body.contains("Déjà déclaré"),
        "the declared tool is marked"
    );
    let offered =
        |body: &str, slug: &str| body.contains(&format!("name=\"software\" value=\"{slug}\""));
    assert!(!offered(&mine.body, &top));
    if let Some(second) = &second {
        let wanted_before = usages
            .iter()
            .any(|u| u.authority_id == target.id && slugs.get(&u.software_id) == Some(second));
        if !wanted_before {
            assert!(
                offered(&mine.body, second),
                "an undeclared tool is offered to the member"
            );
            assert!(!offered(&visitor.body, second));
            // One click declares it in service.
            let reply = site
                .post(
                    "declare_usage",
                    &declaration_form(&target.public_id, second, false),
                    Some(&member),
                )
                .await;
            assert!(
                reply.location.contains("declaration-ajoutee"),
                "{}",
                reply.location
            );
        }
    }
    // A member of another authority is offered nothing.
    let other = authorities
        .iter()
        .find(|a| a.kind == AuthorityKind::Commune && a.id != target.id)
        .expect("another commune");
    let stranger = site
        .approved_member("noe@ailleurs.test", &other.public_id)
        .await;
    let theirs = get(&site.router, &page_path, Some(&stranger)).await;
    assert!(!theirs.body.contains("Déjà déclaré"));

    // A peer says what replaced a tool it abandoned: the abandoned list says it too.
    let peer = peers[0];
    let declared_by_peer: HashSet<&str> = usages
        .iter()
        .filter(|u| u.authority_id == peer.id)
        .filter_map(|u| slugs.get(&u.software_id).map(String::as_str))
        .collect();
    // A tool already in the abandoned list (its count only grows, so it stays listed).
    let already: Vec<String> = json["abandoned"]
        .as_array()
        .expect("abandoned")
        .iter()
        .filter_map(|t| t["slug"].as_str().map(str::to_string))
        .collect();
    let left = already
        .iter()
        .map(String::as_str)
        .find(|s| !declared_by_peer.contains(s) && *s != "nextcloud")
        .expect("an abandoned tool the peer has not declared")
        .to_string();
    let left = left.as_str();
    let peer_member = site.approved_member("eve@pair.test", &peer.public_id).await;
    let mut form = declaration_form(&peer.public_id, left, false);
    form.retain(|(k, _)| *k != "status");
    form.push(("status", "in_use"));
    form.push(("replaced_by", "Nextcloud"));
    let refused = site.post("declare_usage", &form, Some(&peer_member)).await;
    assert!(
        refused
            .shown()
            .contains("seulement pour un logiciel abandonné"),
        "{}",
        refused.shown()
    );
    let mut form = declaration_form(&peer.public_id, left, false);
    form.retain(|(k, _)| *k != "status");
    form.push(("status", "abandoned"));
    form.push(("replaced_by", "Logiciel imaginaire"));
    let refused = site.post("declare_usage", &form, Some(&peer_member)).await;
    assert!(
        refused.shown().contains("ne figure pas au catalogue"),
        "{}",
        refused.shown()
    );
    form.retain(|(k, _)| *k != "replaced_by");
    form.push(("replaced_by", "nextcloud"));
    let saved = site.post("declare_usage", &form, Some(&peer_member)).await;
    assert!(
        saved.location.contains("declaration-ajoutee"),
        "{}",
        saved.shown()
    );
    domain::search::sync::run_index_pass(db, site.state.search.as_ref())
        .await
        .expect("index pass");
    let api = get(
        &site.router,
        &format!("/api/v1/collectivites/{}/pairs", target.public_id),
        None,
    )
    .await;
    let json: serde_json::Value = serde_json::from_str(&api.body).expect("json");
    let entry = json["abandoned"]
        .as_array()
        .expect("abandoned")
        .iter()
        .find(|t| t["slug"] == left)
        .unwrap_or_else(|| panic!("{left} among the abandoned: {}", api.body));
    assert!(
        entry["moved_to"]
            .as_array()
            .expect("moved_to")
            .iter()
            .any(|m| m["slug"] == "nextcloud" && m["count"].as_u64() >= Some(1)),
        "{entry}"
    );
    let page = get(&site.router, &page_path, None).await;
    assert!(
        page.body.contains("remplacé par Nextcloud"),
        "the page says it"
    );

    // Unknown authorities: 404 on the page and in the API.
    let missing = get(&site.router, "/collectivites/com-00000/pairs", None).await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    let missing = get(&site.router, "/api/v1/collectivites/com-00000/pairs", None).await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    assert!(missing.body.contains("Aucune collectivité"));
    site.t.cleanup().await;
}
