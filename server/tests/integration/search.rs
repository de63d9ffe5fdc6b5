//! Search: the conformance suite run against every engine through the `SearchIndex` trait
//! (the embedded one always, Meilisearch when `MEILI_URL` is set), index sync through the
//! outbox, the JSON API and the page without JavaScript.

use crate::common;

use common::Backend;

use std::collections::BTreeMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use async_trait::async_trait;
use axum::http::StatusCode;
use common::web::*;
use domain::actor::CurrentUser;
use domain::entities::{job, user};
use domain::search::{
    AuthorityDoc, SearchError, SearchIndex, SearchQuery, SearchResults, embedded::EmbeddedIndex,
    meili::MeiliIndex, sync,
};
use domain::usages::UsageInput;
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, Set};

/// Declares tools for fixture authorities, as approved members would.
async fn declare_fixture_tools(site: &TestApp) {
    // (authority, member's name, tools with their status)
    type Plan<'a> = (&'a str, &'a str, &'a [(&'a str, &'a str)]);
    let plan: [Plan; 4] = [
        (
            "com-13047",
            "istres",
            &[
                ("libreoffice", "in_use"),
                ("glpi", "in_use"),
                ("opencimetiere", "evaluating"),
            ],
        ),
        (
            "com-13039",
            "fos",
            &[
                ("nextcloud", "in_use"),
                ("odoo", "planned"),
                ("mattermost", "in_use"),
            ],
        ),
        (
            "com-13055",
            "marseille",
            &[
                ("qgis", "in_use"),
                ("lizmap", "in_use"),
                ("nextcloud-talk", "abandoned"),
            ],
        ),
        (
            "com-75056",
            "paris",
            &[("decidim", "in_use"), ("nextcloud", "in_use")],
        ),
    ];
    for (public_id, who, tools) in plan {
        declare_as_member(site, public_id, who, tools).await;
    }
}

/// Declares `tools` for an authority as its approved member `who` (signed up if new).
async fn declare_as_member(site: &TestApp, public_id: &str, who: &str, tools: &[(&str, &str)]) {
    let id = domain::authorities::id_of(&site.t.db, public_id)
        .await
        .expect("q")
        .expect("authority");
    let email = format!("{who}@demo.test");
    let account = match user_by_email(site, &email).await {
        Some(account) => account,
        None => {
            let mut form = signup_form(&email);
            form.retain(|(k, _)| *k != "authority");
            form.push(("authority", public_id));
            post(&site.router, "/api/sign_up", &form, None).await;
            let account = user_by_email(site, &email).await.expect("member");
            let mut active: user::ActiveModel = account.into();
            active.status = Set(AccountStatus::Approved);
            active.update(&site.t.db).await.expect("approve")
        }
    };
    let me = CurrentUser::from(&account);
    for (slug, status) in tools {
        let input = UsageInput {
            status: status.to_string(),
            ..Default::default()
        };
        domain::usages::declare(&site.t.db, &me, id, slug, &input)
            .await
            .expect("declare");
    }
}

async fn dataset(backend: Backend) -> TestApp {
    let site = TestApp::start(backend, &[]).await;
    domain::catalogue::seed::load_catalogue(&site.t.db)
        .await
        .expect("catalogue");
    declare_fixture_tools(&site).await;
    // One labelled authority, for the label filter and facet.
    use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, Set};
    let fos = domain::entities::authority::Entity::find()
        .filter(domain::entities::authority::Column::PublicId.eq("com-13039"))
        .one(&site.t.db)
        .await
        .expect("query")
        .expect("Fos-sur-Mer");
    let mut fos: domain::entities::authority::ActiveModel = fos.into();
    fos.label_level = Set(Some(3));
    fos.label_year = Set(Some(2025));
    fos.update(&site.t.db).await.expect("label");
    site
}

fn query(pairs: &[(&str, &str)]) -> SearchQuery {
    SearchQuery::from_pairs(pairs.iter().copied()).expect("valid query")
}

fn ids(r: &SearchResults) -> Vec<&str> {
    r.hits.iter().map(|h| h.id.as_str()).collect()
}

fn tools_of<'a>(r: &'a SearchResults, id: &str) -> Vec<&'a str> {
    r.hits
        .iter()
        .find(|h| h.id == id)
        .map(|h| h.matched_tools.iter().map(|t| t.slug.as_str()).collect())
        .unwrap_or_default()
}

/// The same cases for every engine.
async fn conformance(index: &dyn SearchIndex, site: &TestApp) {
    let n = sync::reindex_all(&site.t.db, index).await.expect("reindex");
    assert_eq!(index.count().await.expect("count") as usize, n);
    let search = |pairs: &'static [(&'static str, &'static str)]| {
        let q = query(pairs);
        async move { index.search(&q).await.expect("search") }
    };
    let engine = index.engine_name();

    // Typos, accents, aliases, similar names, prefixes.
    let r = search(&[("q", "libre ofice")]).await;
    assert_eq!(ids(&r), vec!["com-13047"], "{engine}: typo");
    assert_eq!(tools_of(&r, "com-13047"), vec!["libreoffice"]);
    let r = search(&[("q", "nexcloud")]).await;
    assert!(
        ids(&r).contains(&"com-13039") && ids(&r).contains(&"com-75056"),
        "{engine}: typo {:?}",
        ids(&r)
    );
    let r = search(&[("q", "cimetiere")]).await;
    assert_eq!(
        ids(&r),
        vec!["com-13047"],
        "{engine}: accents and related words"
    );
    assert_eq!(tools_of(&r, "com-13047"), vec!["opencimetiere"]);
    let r = search(&[("q", "openerp")]).await;
    assert_eq!(ids(&r), vec!["com-13039"], "{engine}: alias");
    assert_eq!(r.hits[0].matched_tools[0].status, "planned");
    let r = search(&[("q", "teams")]).await;
    let mut found = ids(&r);
    found.sort();
    assert_eq!(
        found,
        vec!["com-13039", "com-13055"],
        "{engine}: similar proprietary name"
    );
    let r = search(&[("q", "opencim")]).await;
    assert_eq!(ids(&r), vec!["com-13047"], "{engine}: prefix while typing");
    let r = search(&[("q", "istres")]).await;
    assert_eq!(
        ids(&r).first(),
        Some(&"com-13047"),
        "{engine}: authority names"
    );

    // Filters and facets.
    // Nextcloud at Fos and Paris, Nextcloud Talk at Marseille.
    let r = search(&[("q", "nextcloud"), ("region", "93")]).await;
    let mut found = ids(&r);
    found.sort();
    assert_eq!(
        found,
        vec!["com-13039", "com-13055"],
        "{engine}: région filter"
    );
    let r = search(&[("q", "nextcloud"), ("departement", "75")]).await;
    assert_eq!(ids(&r), vec!["com-75056"], "{engine}: département filter");
    let r = search(&[("q", "nextcloud")]).await;
    assert_eq!(
        r.facets.region.get("93"),
        Some(&2),
        "{engine}: région facet"
    );
    assert_eq!(r.facets.region.get("11"), Some(&1));
    assert_eq!(r.facets.kind.get("commune"), Some(&3));
    assert_eq!(
        r.facets.status.get("abandoned"),
        Some(&1),
        "{engine}: status facet"
    );
    let r = search(&[("kind", "epci")]).await;
    assert!(
        r.hits.iter().all(|h| h.kind == "epci") && r.total == 2,
        "{engine}: kind filter"
    );
    let r = search(&[("status", "abandoned")]).await;
    assert_eq!(ids(&r), vec!["com-13055"], "{engine}: status filter");
    // With words, the status applies to the matched tools: Marseille's Nextcloud Talk is
    // abandoned (its other tools are in use), so it is not among those using it.
    let r = search(&[("q", "nextcloud"), ("status", "in_use")]).await;
    let mut found = ids(&r);
    found.sort();
    assert_eq!(
        found,
        vec!["com-13039", "com-75056"],
        "{engine}: status of the matched tool"
    );
    // Without words, a category and a status hold for one same tool: Marseille's
    // collaboration tool is abandoned, its tools in use are SIG ones.
    let r = search(&[("category", "collaboration"), ("status", "in_use")]).await;
    let mut found = ids(&r);
    found.sort();
    assert_eq!(
        found,
        vec!["com-13039", "com-75056"],
        "{engine}: category and status of one tool"
    );
    // Words that name no tool, with a tool filter: nobody uses it.
    let r = search(&[("q", "istres"), ("status", "in_use")]).await;
    assert_eq!(r.total, 0, "{engine}: no matched tool, no result");
    // A transposition is one typo.
    let r = search(&[("q", "nextlcoud")]).await;
    assert!(
        ids(&r).contains(&"com-13039") && ids(&r).contains(&"com-75056"),
        "{engine}: transposition {:?}",
        ids(&r)
    );
    let r = search(&[("category", "sig")]).await;
    assert_eq!(ids(&r), vec!["com-13055"], "{engine}: category filter");
    // A typo, a status filter and the département facet together: Fos (13) and Paris (75)
    // use Nextcloud; Marseille's Nextcloud Talk is abandoned.
    let r = search(&[("q", "nexcloud"), ("status", "in_use")]).await;
    let mut found = ids(&r);
    found.sort();
    assert_eq!(
        found,
        vec!["com-13039", "com-75056"],
        "{engine}: typo and status"
    );
    let expected: BTreeMap<String, u64> = [("13".to_string(), 1), ("75".to_string(), 1)].into();
    assert_eq!(
        r.facets.departement, expected,
        "{engine}: département facet counts"
    );
    let only_in_use: BTreeMap<String, u64> = [("in_use".to_string(), 2)].into();
    assert_eq!(
        r.facets.status, only_in_use,
        "{engine}: statuses of the matched tools only"
    );
    let collaboration: BTreeMap<String, u64> = [("collaboration".to_string(), 2)].into();
    assert_eq!(
        r.facets.category, collaboration,
        "{engine}: categories of the matched tools only"
    );
    // Without a filter, Marseille's abandoned Nextcloud Talk counts, Fos's planned Odoo
    // does not (not a matched tool).
    let r = search(&[("q", "nexcloud")]).await;
    let statuses: BTreeMap<String, u64> =
        [("abandoned".to_string(), 1), ("in_use".to_string(), 2)].into();
    assert_eq!(r.facets.status, statuses, "{engine}: matched statuses");

    // The Villes Internet label: a filter and a facet.
    let r = search(&[("label", "3")]).await;
    assert_eq!(ids(&r), vec!["com-13039"], "{engine}: label filter");
    let r = search(&[("q", "nextcloud"), ("label", "3")]).await;
    assert_eq!(ids(&r), vec!["com-13039"], "{engine}: label and tool");
    let r = search(&[("q", "nextcloud")]).await;
    assert_eq!(r.facets.label.get("3"), Some(&1), "{engine}: label facet");

    // Sorting and paging.
    let r = search(&[("q", "nextcloud"), ("sort", "population")]).await;
    assert_eq!(
        ids(&r),
        vec!["com-75056", "com-13055", "com-13039"],
        "{engine}: population sort"
    );
    let r = search(&[
        ("q", "nextcloud"),
        ("sort", "population"),
        ("per_page", "1"),
        ("page", "2"),
    ])
    .await;
    assert_eq!(ids(&r), vec!["com-13055"], "{engine}: page 2");
    assert_eq!(r.total, 3);
    let r = search(&[("kind", "region"), ("sort", "name")]).await;
    let names: Vec<&str> = r.hits.iter().map(|h| h.name.as_str()).collect();
    let mut sorted = names.clone();
    sorted.sort_by_key(|n| domain::text::fold(n));
    assert_eq!(names, sorted, "{engine}: name sort");

    // Nothing found.
    let r = search(&[("q", "zzzqqqxxx")]).await;
    assert_eq!(r.total, 0);

    // The software index for suggestions while typing.
    let slugs = |found: Vec<domain::search::document::SoftwareDoc>| {
        found.into_iter().map(|s| s.slug).collect::<Vec<_>>()
    };
    let s = slugs(index.suggest_software("nextc", 10).await.expect("suggest"));
    assert!(
        s.contains(&"nextcloud".to_string()) && s.contains(&"nextcloud-talk".to_string()),
        "{engine}: prefix {s:?}"
    );
    assert_eq!(s[0], "nextcloud", "{engine}: the most used first");
    let s = slugs(
        index
            .suggest_software("openerp", 10)
            .await
            .expect("suggest"),
    );
    assert_eq!(s, vec!["odoo"], "{engine}: alias suggestion");
    let s = slugs(
        index
            .suggest_software("libre ofice", 10)
            .await
            .expect("suggest"),
    );
    assert!(
        s.contains(&"libreoffice".to_string()),
        "{engine}: typo suggestion {s:?}"
    );

    // Domain words: a tool whose own texts carry the word (Mélodie's description says
    // « élections », openElec's alias « openElection ») ranks above one that only shares
    // its category (openÉtatCivil, « État civil et élections »), though Paris, which runs
    // the latter, is the largest and wins every tie. Both engines agree on the tiers;
    // within a tier their tie-breaks may differ.
    declare_as_member(site, "com-75056", "paris", &[("openetatcivil", "in_use")]).await;
    declare_as_member(site, "com-97502", "saint-pierre", &[("melodie", "in_use")]).await;
    declare_as_member(site, "com-97501", "miquelon", &[("openelec", "in_use")]).await;
    sync::reindex_all(&site.t.db, index).await.expect("reindex");
    fn tiers(r: &SearchResults) -> (Vec<&str>, Option<&str>) {
        let found = ids(r);
        let mut first: Vec<&str> = found[..found.len().saturating_sub(1)].to_vec();
        first.sort();
        (first, found.last().copied())
    }
    let r = search(&[("q", "élections")]).await;
    assert_eq!(
        tiers(&r),
        (vec!["com-97501", "com-97502"], Some("com-75056")),
        "{engine}: carried words before the category"
    );
    // « état civil » is carried by openÉtatCivil and Mélodie, not by openElec.
    let r = search(&[("q", "etat civil")]).await;
    assert_eq!(
        tiers(&r),
        (vec!["com-75056", "com-97502"], Some("com-97501")),
        "{engine}: carried words before the category"
    );
}

async fn conformance_embedded(backend: Backend) {
    let site = dataset(backend).await;
    let index = EmbeddedIndex::in_memory().expect("index");
    conformance(&index, &site).await;
    site.t.cleanup().await;
}

#[tokio::test]
async fn conformance_meilisearch() {
    let Some(url) = std::env::var("MEILI_URL").ok().filter(|u| !u.is_empty()) else {
        eprintln!("SKIPPED conformance_meilisearch: MEILI_URL is not set");
        return;
    };
    let key = std::env::var("MEILI_MASTER_KEY").ok();
    let uid = format!("pairs_test_{}", std::process::id());
    let site = dataset(Backend::Sqlite).await;
    let index = MeiliIndex::new(&url, key.as_deref(), &uid).expect("client");
    conformance(&index, &site).await;
    // The index's limits, read back from the server: a browse of every authority and every
    // département in the facet are not capped by Meilisearch's defaults.
    let mut curl = std::process::Command::new("curl");
    curl.args(["-fsS", &format!("{url}/indexes/{uid}/settings")]);
    if let Some(key) = &key {
        curl.args(["-H", &format!("Authorization: Bearer {key}")]);
    }
    let out = curl.output().expect("curl");
    let settings: serde_json::Value = serde_json::from_slice(&out.stdout).expect("settings JSON");
    assert_eq!(
        settings["pagination"]["maxTotalHits"],
        domain::search::meili::MAX_TOTAL_HITS as u64
    );
    assert_eq!(
        settings["faceting"]["maxValuesPerFacet"],
        domain::search::meili::MAX_VALUES_PER_FACET as u64
    );
    site.t.cleanup().await;
}

async fn the_embedded_index_survives_a_restart_and_holds_no_personal_data(backend: Backend) {
    let site = dataset(backend).await;
    let dir = site.t.dir.path().join("search");
    {
        let index = EmbeddedIndex::open(&dir).expect("open");
        sync::reindex_all(&site.t.db, &index)
            .await
            .expect("reindex");
    }
    let reopened = EmbeddedIndex::open(&dir).expect("reopen");
    let r = reopened
        .search(&query(&[("q", "glpi")]))
        .await
        .expect("search");
    assert_eq!(
        ids(&r),
        vec!["com-13047"],
        "documents are reloaded from disk"
    );
    let docs = domain::search::build::documents(&site.t.db, None)
        .await
        .expect("docs");
    let json = serde_json::to_string(&docs).expect("json");
    assert!(!json.contains('@'), "no email in any document");
    assert!(
        !json.contains("Zoé") && !json.contains("Martin"),
        "no member name in any document"
    );
    site.t.cleanup().await;
}

/// An engine that can be switched off, and whose next rebuild can first let
/// `during_rebuild` run (the documents are read, the swap has not happened).
struct Switchable {
    inner: Arc<EmbeddedIndex>,
    up: AtomicBool,
    during_rebuild: std::sync::Mutex<Option<Hook>>,
}

type Hook = std::pin::Pin<Box<dyn std::future::Future<Output = ()> + Send>>;

impl std::fmt::Debug for Switchable {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Switchable")
    }
}

impl Switchable {
    fn new(inner: Arc<EmbeddedIndex>) -> Self {
        Self {
            inner,
            up: AtomicBool::new(true),
            during_rebuild: std::sync::Mutex::new(None),
        }
    }
}

impl Switchable {
    fn check(&self) -> Result<(), SearchError> {
        if self.up.load(Ordering::SeqCst) {
            Ok(())
        } else {
            Err(SearchError::Unavailable("switched off".into()))
        }
    }
}

#[async_trait]
impl SearchIndex for Switchable {
    fn engine_name(&self) -> &'static str {
        "switchable"
    }
    async fn prepare(&self, s: &[(String, Vec<String>)]) -> Result<(), SearchError> {
        self.check()?;
        self.inner.prepare(s).await
    }
    async fn upsert(&self, docs: Vec<AuthorityDoc>) -> Result<(), SearchError> {
        self.check()?;
        self.inner.upsert(docs).await
    }
    async fn remove(&self, keys: Vec<u64>) -> Result<(), SearchError> {
        self.check()?;
        self.inner.remove(keys).await
    }
    async fn rebuild(&self, docs: Vec<AuthorityDoc>) -> Result<(), SearchError> {
        self.check()?;
        let hook = self.during_rebuild.lock().expect("hook").take();
        if let Some(hook) = hook {
            hook.await;
        }
        self.inner.rebuild(docs).await
    }
    async fn search(&self, q: &SearchQuery) -> Result<SearchResults, SearchError> {
        self.inner.search(q).await
    }
    async fn count(&self) -> Result<u64, SearchError> {
        self.inner.count().await
    }
    async fn rebuild_software(
        &self,
        docs: Vec<domain::search::document::SoftwareDoc>,
    ) -> Result<(), SearchError> {
        self.check()?;
        self.inner.rebuild_software(docs).await
    }
    async fn suggest_software(
        &self,
        prefix: &str,
        limit: usize,
    ) -> Result<Vec<domain::search::document::SoftwareDoc>, SearchError> {
        self.inner.suggest_software(prefix, limit).await
    }
}

async fn declarations_reach_the_index_through_the_outbox_even_after_an_outage(backend: Backend) {
    let site = seeded(backend).await;
    let index = Arc::new(Switchable::new(Arc::new(
        EmbeddedIndex::in_memory().expect("index"),
    )));
    sync::reindex_all(&site.t.db, index.as_ref())
        .await
        .expect("reindex");
    let glpi = || query(&[("q", "glpi")]);
    assert_eq!(index.search(&glpi()).await.expect("search").total, 0);

    let cookie = member_cookie(&site, "zoe@istres.test", "com-13047").await;
    let form = declaration_form("com-13047", "glpi", false);
    post(&site.router, "/api/declare_usage", &form, Some(&cookie)).await;
    domain::search::sync::run_index_pass(&site.t.db, index.as_ref())
        .await
        .expect("pass");
    assert_eq!(
        ids(&index.search(&glpi()).await.expect("search")),
        vec!["com-13047"],
        "a declaration appears"
    );

    // The engine goes down: the removal still succeeds and waits in the outbox.
    index.up.store(false, Ordering::SeqCst);
    let usage = domain::entities::usage::Entity::find()
        .one(&site.t.db)
        .await
        .expect("q")
        .expect("usage");
    let usage_id = usage.id.to_string();
    let reply = post(
        &site.router,
        "/api/remove_usage",
        &[("authority", "com-13047"), ("id", &usage_id)],
        Some(&cookie),
    )
    .await;
    assert!(
        reply.location.contains("declaration-supprimee"),
        "the write succeeds with the engine down"
    );
    let pass = domain::search::sync::run_index_pass(&site.t.db, index.as_ref())
        .await
        .expect("pass");
    assert_eq!(pass.retried, 1);
    assert_eq!(
        index.search(&glpi()).await.expect("search").total,
        1,
        "still stale while down"
    );

    // Back up: the job runs again and the index catches up.
    index.up.store(true, Ordering::SeqCst);
    job::Entity::update_many()
        .col_expr(
            job::Column::RunAt,
            sea_orm::sea_query::Expr::value(chrono::Utc::now()),
        )
        .filter(job::Column::Status.eq(model::job::JobStatus::Pending))
        .exec(&site.t.db)
        .await
        .expect("reschedule");
    domain::search::sync::run_index_pass(&site.t.db, index.as_ref())
        .await
        .expect("pass");
    assert_eq!(
        index.search(&glpi()).await.expect("search").total,
        0,
        "a removed one disappears"
    );
    site.t.cleanup().await;
}

/// A declaration saved and indexed while a full rebuild runs (after the rebuild read the
/// database, before its swap) is still found once the rebuild is done; a rebuild that
/// fails leaves the previous index answering.
async fn a_rebuild_racing_with_a_declaration_loses_nothing(backend: Backend) {
    let site = seeded(backend).await;
    let live = Arc::new(EmbeddedIndex::in_memory().expect("index"));
    sync::reindex_all(&site.t.db, live.as_ref())
        .await
        .expect("reindex");
    let glpi = || query(&[("q", "glpi")]);
    member_cookie(&site, "zoe@istres.test", "com-13047").await;
    let zoe = CurrentUser::from(&user_by_email(&site, "zoe@istres.test").await.expect("zoe"));
    let istres = domain::authorities::id_of(&site.t.db, "com-13047")
        .await
        .expect("q")
        .expect("Istres");
    let hook: Hook = {
        let (db, live) = (site.t.db.clone(), live.clone());
        Box::pin(async move {
            let input = UsageInput {
                status: "in_use".into(),
                ..Default::default()
            };
            domain::usages::declare(&db, &zoe, istres, "glpi", &input)
                .await
                .expect("declare");
            domain::search::sync::run_index_pass(&db, live.as_ref())
                .await
                .expect("pass");
            assert_eq!(
                live.search(&glpi()).await.expect("search").total,
                1,
                "the worker indexed the declaration before the swap"
            );
        })
    };
    let racing = Switchable::new(live.clone());
    *racing.during_rebuild.lock().expect("hook") = Some(hook);
    sync::reindex_all(&site.t.db, &racing)
        .await
        .expect("reindex");
    assert_eq!(
        ids(&live.search(&glpi()).await.expect("search")),
        vec!["com-13047"],
        "the declaration made during the rebuild survives its swap"
    );

    let before = live.count().await.expect("count");
    let down = Switchable::new(Arc::new(EmbeddedIndex::in_memory().expect("index")));
    sync::reindex_all(&site.t.db, &down).await.expect("reindex");
    down.up.store(false, Ordering::SeqCst);
    assert!(sync::reindex_all(&site.t.db, &down).await.is_err());
    assert_eq!(down.count().await.expect("count"), before);
    assert_eq!(
        ids(&down.search(&glpi()).await.expect("search")),
        vec!["com-13047"],
        "the previous index still answers"
    );
    site.t.cleanup().await;
}

async fn seeded(backend: Backend) -> TestApp {
    let site = TestApp::start(backend, &[]).await;
    domain::catalogue::seed::load_catalogue(&site.t.db)
        .await
        .expect("catalogue");
    site
}

async fn member_cookie(site: &TestApp, email: &str, authority: &str) -> String {
    let mut form = signup_form(email);
    form.retain(|(k, _)| *k != "authority");
    form.push(("authority", authority));
    post(&site.router, "/api/sign_up", &form, None).await;
    let mut active: user::ActiveModel = user_by_email(site, email).await.expect("row").into();
    active.status = Set(AccountStatus::Approved);
    active.update(&site.t.db).await.expect("approve");
    session_cookie(&login(&site.router, email, MEMBER_PASSWORD).await)
}

async fn the_json_api_validates_and_answers(backend: Backend) {
    let site = dataset(backend).await;
    sync::reindex_all(&site.t.db, site.state.search.as_ref())
        .await
        .expect("reindex");
    for bad in [
        "kind=canton",
        "per_page=1000",
        "sort=hasard",
        "region=PACA",
        "page=0",
        "member=peut-etre",
    ] {
        let reply = get(&site.router, &format!("/api/v1/search?{bad}"), None).await;
        assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{bad}");
        let json: serde_json::Value = serde_json::from_str(&reply.body).expect("json error");
        let param = bad.split('=').next().unwrap_or_default();
        assert!(
            json["detail"].as_str().is_some_and(|e| e.contains(param)),
            "{bad}: {json}"
        );
    }
    let reply = get(
        &site.router,
        "/api/v1/search?q=libre+ofice&kind=commune",
        None,
    )
    .await;
    assert_eq!(reply.status, StatusCode::OK);
    let json: serde_json::Value = serde_json::from_str(&reply.body).expect("json");
    assert_eq!(json["total"], 1);
    assert_eq!(json["hits"][0]["id"], "com-13047");
    assert_eq!(json["hits"][0]["matched_tools"][0]["slug"], "libreoffice");
    assert_eq!(json["hits"][0]["matched_tools"][0]["status"], "in_use");
    assert!(json["facets"]["kind"]["commune"].is_number());
    assert!(json["processing_time_ms"].is_number());
    assert!(!reply.body.contains('@'), "no personal data");
    let reply = get(&site.router, "/api/v1/suggest?q=glp", None).await;
    assert_eq!(reply.status, StatusCode::OK);
    let json: serde_json::Value = serde_json::from_str(&reply.body).expect("json");
    assert_eq!(json["software"][0]["slug"], "glpi");
    let reply = get(
        &site.router,
        &format!("/api/v1/suggest?q={}", "a".repeat(101)),
        None,
    )
    .await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST);
    site.t.cleanup().await;
}

async fn the_search_page_works_without_javascript(backend: Backend) {
    let site = dataset(backend).await;
    sync::reindex_all(&site.t.db, site.state.search.as_ref())
        .await
        .expect("reindex");
    let page = get(&site.router, "/recherche?q=glpi", None).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("/collectivites/com-13047"));
    assert!(page.body.contains("/logiciels/glpi"), "matched tool shown");
    assert!(
        page.body.contains("method=\"get\"") || page.body.contains("method=\"GET\""),
        "a GET form"
    );
    assert!(page.body.contains("name=\"region\""), "facet filters");
    let page = get(&site.router, "/recherche?q=glpi&region=11", None).await;
    assert!(
        !page.body.contains("data-id=\"com-13047\""),
        "filters apply"
    );
    let page = get(&site.router, "/recherche?q=nextclod+zzzz", None).await;
    assert!(page.body.contains("Aucune collectivité ne correspond"));
    assert!(
        page.body
            .contains("le proposent depuis la page de leur collectivité"),
        "a query with no result says how a missing tool gets into the catalogue"
    );
    let page = get(&site.router, "/recherche?q=nextclowd", None).await;
    assert!(
        page.body.contains("Vouliez-vous dire") || page.body.contains("/collectivites/"),
        "close names are suggested"
    );
    site.t.cleanup().await;
}

on_both_backends!(
    conformance_embedded,
    the_embedded_index_survives_a_restart_and_holds_no_personal_data,
    declarations_reach_the_index_through_the_outbox_even_after_an_outage,
    a_rebuild_racing_with_a_declaration_loses_nothing,
    the_json_api_validates_and_answers,
    the_search_page_works_without_javascript,
);

/// On PostgreSQL, index passes of several processes take turns: while another holds the
/// index lock, a pass applies nothing and leaves the jobs queued; once it is released, the
/// next pass applies them.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn index_passes_take_turns_on_postgres() {
    use sea_orm::{ConnectionTrait, Statement, TransactionTrait};
    if common::postgres_server().is_none() {
        common::skip_postgres("index_passes_take_turns_on_postgres");
        return;
    }
    let site = dataset(Backend::Postgres).await;
    let index = EmbeddedIndex::in_memory().expect("index");
    sync::enqueue(&site.t.db, sync::IndexJob::All)
        .await
        .expect("enqueue");
    // Another process is indexing: it holds the lock.
    let other = site.t.db.begin().await.expect("txn");
    other
        .execute_raw(Statement::from_sql_and_values(
            sea_orm::DbBackend::Postgres,
            "SELECT pg_advisory_xact_lock($1)",
            [domain::search::sync::INDEX_LOCK.into()],
        ))
        .await
        .expect("lock");
    let skipped = domain::search::sync::run_index_pass(&site.t.db, &index)
        .await
        .expect("pass");
    assert_eq!(
        skipped.delivered, 0,
        "nothing applied while the lock is held"
    );
    assert_eq!(index.count().await.expect("count"), 0);
    other.commit().await.expect("release");
    let applied = domain::search::sync::run_index_pass(&site.t.db, &index)
        .await
        .expect("pass");
    assert!(applied.delivered >= 1, "{applied:?}");
    assert!(index.count().await.expect("count") > 0);
    site.t.cleanup().await;
}
