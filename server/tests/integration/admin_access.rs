//! Administration is for approved administrators only, whatever calls it: every server
//! function the server registers is listed in `app::api::registry`, and each `Admin` one,
//! called by a visitor, an approved member and a suspended administrator, answers 403 with
//! nothing changed. Suspension and restoration themselves, through the router.

use crate::common;

use app::api::registry::{Access, ENDPOINTS, access};
use common::Backend;
use common::web::*;
use domain::entities::{audit_log, job, session, software, user};
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, Set};

/// Declares GLPI in use for Istres as the signed-in member `cookie`, referent or not.
async fn declare_glpi(site: &TestApp, cookie: &str, referent: bool) {
    declare(site, cookie, "com-13047", "glpi", referent).await;
}

/// Everything an admin function could change, in one comparable value.
async fn snapshot(site: &TestApp) -> String {
    let db = &site.t.db;
    let mut users: Vec<_> = user::Entity::find()
        .all(db)
        .await
        .expect("users")
        .into_iter()
        .map(|u| {
            (
                u.id,
                u.status.as_str(),
                u.is_admin,
                u.first_name,
                u.authority_id,
                u.visible,
            )
        })
        .collect();
    users.sort();
    let mut software: Vec<(String, &str)> = software::Entity::find()
        .all(db)
        .await
        .expect("software")
        .into_iter()
        .map(|s| (s.slug, s.status.as_str()))
        .collect();
    software.sort();
    let mut standings: Vec<(String, bool, Option<i16>)> =
        domain::entities::authority::Entity::find()
            .all(db)
            .await
            .expect("authorities")
            .into_iter()
            .map(|a| (a.public_id, a.is_member, a.label_level))
            .collect();
    standings.sort();
    let audit = audit_log::Entity::find().count(db).await.expect("audit");
    let jobs = job::Entity::find().count(db).await.expect("jobs");
    format!("{users:?} {software:?} {standings:?} {audit} {jobs}")
}

/// Arguments that would make each admin function act, were the caller allowed.
fn sample<'a>(endpoint: &str, pending: &'a str, proposed: &'a str) -> Vec<(&'a str, &'a str)> {
    match endpoint {
        "list_pending_members"
        | "list_proposals"
        | "get_dashboard"
        | "list_reports"
        | "list_reported_reviews" => vec![],
        "moderate_review" => vec![("retour", "1"), ("decision", "masquer")],
        "set_authority_standing" => vec![
            ("authority", "com-13047"),
            ("membre", "on"),
            ("depuis", "2020-01-15"),
            ("label", "4"),
            ("annee", "2025"),
        ],
        "get_member_file" => vec![("id", pending)],
        "set_authority_details" => vec![
            ("authority", "com-13047"),
            ("site", "https://www.istres.fr"),
            ("description", "Ville des Bouches-du-Rhône"),
        ],
        "correct_member" => vec![
            ("id", pending),
            ("first_name", "X"),
            ("last_name", "Y"),
            ("job_title", "Z"),
            ("phone", ""),
            ("reason", "Motif"),
        ],
        "move_member" => vec![
            ("id", pending),
            ("authority", "com-13039"),
            ("reason", "Motif"),
        ],
        "set_member_admin" => vec![("id", pending), ("role", "accorder"), ("reason", "Motif")],
        "delete_member" => vec![("id", pending), ("reason", "Motif")],
        "decide_report" => vec![
            ("id", "1"),
            ("decision", "classer"),
            ("note", "Rien à signaler"),
        ],
        "filter_journal" => vec![
            ("acteur", "zoe@istres.test"),
            ("action", ""),
            ("cible", ""),
            ("du", ""),
            ("au", ""),
        ],
        "list_journal" => vec![
            ("filtre", ""),
            ("action", ""),
            ("cible", ""),
            ("du", ""),
            ("au", ""),
            ("page", "1"),
        ],
        "approve_member" => vec![("id", pending)],
        "reject_member" => vec![("id", pending), ("reason", "Hors périmètre")],
        "filter_members" => vec![("q", "istres"), ("statut", "")],
        "search_members" => vec![("filter", ""), ("status", ""), ("page", "1")],
        "suspend_member" | "restore_member" => vec![("id", pending), ("reason", "Motif")],
        "approve_software" => vec![("slug", proposed)],
        "reject_software" => vec![("slug", proposed), ("reason", "Doublon")],
        "merge_software" => vec![("slug", proposed), ("into", "glpi")],
        other => panic!("no sample arguments for the admin function {other}: add them here"),
    }
}

async fn admin_functions_refuse_everyone_else(backend: Backend) {
    let site = TestApp::start(backend, &[]).await;
    domain::catalogue::seed::load_catalogue(&site.t.db)
        .await
        .expect("catalogue");
    // A pending sign-up and a proposed software: what the functions would act on.
    member_of(&site, "attente@istres.test", "com-13047", "pending").await;
    let pending = user_by_email(&site, "attente@istres.test")
        .await
        .expect("row")
        .id
        .to_string();
    let member = member_of(&site, "zoe@istres.test", "com-13047", "approved").await;
    let zoe = domain::actor::CurrentUser::from(
        &user_by_email(&site, "zoe@istres.test").await.expect("row"),
    );
    let istres = zoe.authority_id.expect("an authority");
    let proposed = domain::catalogue::moderation::propose(
        &site.t.db,
        &zoe,
        istres,
        "Logiciel Maison",
        "",
        "",
        &domain::usages::UsageInput {
            status: "in_use".into(),
            ..Default::default()
        },
    )
    .await
    .expect("proposal");
    // A second administrator, signed in, then suspended without closing the session: the
    // cookie it holds must open nothing.
    domain::accounts::admin::create_admin(&site.t.db, "second@pairs.test", ADMIN_PASSWORD)
        .await
        .expect("admin");
    let suspended = session_cookie(&login(&site.router, "second@pairs.test", ADMIN_PASSWORD).await);
    let mut second: user::ActiveModel = user_by_email(&site, "second@pairs.test")
        .await
        .expect("row")
        .into();
    second.status = Set(AccountStatus::Suspended);
    second.update(&site.t.db).await.expect("suspend");

    let admin_endpoints: Vec<&str> = ENDPOINTS
        .iter()
        .filter(|(_, a)| *a == Access::Admin)
        .map(|(name, _)| *name)
        .collect();
    assert!(admin_endpoints.len() >= 10, "{admin_endpoints:?}");
    let before = snapshot(&site).await;
    for endpoint in admin_endpoints {
        let args = sample(endpoint, &pending, &proposed);
        let path = format!("/api/{endpoint}");
        for (who, cookie) in [
            ("visitor", None),
            ("approved member", Some(member.as_str())),
            ("suspended admin", Some(suspended.as_str())),
        ] {
            let reply = post(&site.router, &path, &args, cookie).await;
            assert!(
                reply.status == 403,
                "{endpoint} by a {who}: {} {} {}",
                reply.status,
                reply.location,
                reply.body.chars().take(200).collect::<String>()
            );
            assert_eq!(
                snapshot(&site).await,
                before,
                "{endpoint} by a {who} changed something"
            );
        }
    }
    // The real administrator, with the same arguments, is let through.
    let admin = session_cookie(&login(&site.router, ADMIN_EMAIL, ADMIN_PASSWORD).await);
    let reply = post(
        &site.router,
        "/api/approve_member",
        &sample("approve_member", &pending, &proposed),
        Some(&admin),
    )
    .await;
    assert_eq!(reply.location, "/admin/membres?info=membre-valide");
    assert_eq!(
        user_by_email(&site, "attente@istres.test")
            .await
            .expect("row")
            .status,
        AccountStatus::Approved
    );
    site.t.cleanup().await;
}

async fn suspension_ends_sessions_and_hides_the_member_until_restored(backend: Backend) {
    let site = TestApp::start(backend, &[]).await;
    domain::catalogue::seed::load_catalogue(&site.t.db)
        .await
        .expect("catalogue");
    let member = member_of(&site, "zoe@istres.test", "com-13047", "approved").await;
    // Zoé is GLPI's referent for Istres; Paul, of Fos, sees referents.
    declare_glpi(&site, &member, true).await;
    let paul = member_of(&site, "paul@fos.test", "com-13039", "approved").await;
    let index = site.state.search.clone();
    domain::search::sync::reindex_all(&site.t.db, index.as_ref())
        .await
        .expect("reindex");
    let contactable_in_istres = || {
        let index = index.clone();
        let db = site.t.db.clone();
        async move {
            domain::search::sync::run_index_pass(&db, index.as_ref())
                .await
                .expect("index pass");
            let q = domain::search::SearchQuery::from_pairs([("q", "istres")]).expect("query");
            index
                .search(&q)
                .await
                .expect("search")
                .hits
                .into_iter()
                .find(|h| h.id == "com-13047")
                .map(|h| h.contactable_members)
                .unwrap_or_default()
        }
    };
    let referent_shown = || {
        let router = site.router.clone();
        let paul = paul.clone();
        async move {
            get(&router, "/logiciels/glpi", Some(&paul))
                .await
                .body
                .contains("Zoé Martin")
        }
    };
    assert_eq!(contactable_in_istres().await, 1);
    assert!(referent_shown().await);
    let zoe = user_by_email(&site, "zoe@istres.test").await.expect("row");
    let zoe_id = zoe.id.to_string();
    let admin = session_cookie(&login(&site.router, ADMIN_EMAIL, ADMIN_PASSWORD).await);
    let audit_before = audit_log::Entity::find()
        .count(&site.t.db)
        .await
        .expect("n");

    // A reason is required; without it nothing happens.
    let reply = post(
        &site.router,
        "/api/suspend_member",
        &[("id", &zoe_id), ("reason", " ")],
        Some(&admin),
    )
    .await;
    assert!(reply.refused(), "{}", reply.location);
    assert_eq!(
        user_by_email(&site, "zoe@istres.test")
            .await
            .expect("row")
            .status,
        AccountStatus::Approved
    );

    let reply = post(
        &site.router,
        "/api/suspend_member",
        &[("id", &zoe_id), ("reason", "Démarchage commercial répété")],
        Some(&admin),
    )
    .await;
    assert_eq!(reply.location, "/admin/membres?info=membre-suspendu");
    assert_eq!(
        user_by_email(&site, "zoe@istres.test")
            .await
            .expect("row")
            .status,
        AccountStatus::Suspended
    );
    let sessions = session::Entity::find()
        .filter(session::Column::UserId.eq(zoe.id))
        .count(&site.t.db)
        .await
        .expect("n");
    assert_eq!(sessions, 0, "every session ended at once");
    let page = get(&site.router, "/compte", Some(&member)).await;
    assert_eq!(
        page.status, 302,
        "the open page sends to login at the next request"
    );
    let again = login(&site.router, "zoe@istres.test", MEMBER_PASSWORD).await;
    assert!(again.refused(), "no sign-in while suspended");
    let journal = audit_log::Entity::find()
        .filter(audit_log::Column::Action.eq("member.suspend"))
        .all(&site.t.db)
        .await
        .expect("journal");
    assert_eq!(journal.len(), 1);
    assert_eq!(
        journal[0].reason.as_deref(),
        Some("Démarchage commercial répété")
    );
    assert_eq!(journal[0].target_id, zoe_id);
    // Not visible among contactable members.
    assert!(
        domain::contact::recipients::peer(&site.t.db, zoe.id)
            .await
            .expect("peer")
            .is_none()
    );
    assert!(!referent_shown().await, "no longer a referent");
    assert_eq!(
        contactable_in_istres().await,
        0,
        "no longer counted in search"
    );

    // The last active administrator cannot be suspended, nor can one suspend oneself.
    let admin_id = user_by_email(&site, ADMIN_EMAIL)
        .await
        .expect("row")
        .id
        .to_string();
    let reply = post(
        &site.router,
        "/api/suspend_member",
        &[("id", &admin_id), ("reason", "Test")],
        Some(&admin),
    )
    .await;
    assert!(reply.refused(), "{}", reply.location);

    let reply = post(
        &site.router,
        "/api/restore_member",
        &[
            ("id", &zoe_id),
            ("reason", "Échange avec le membre, engagement pris"),
        ],
        Some(&admin),
    )
    .await;
    assert_eq!(reply.location, "/admin/membres?info=membre-retabli");
    assert_eq!(
        user_by_email(&site, "zoe@istres.test")
            .await
            .expect("row")
            .status,
        AccountStatus::Approved
    );
    assert!(
        domain::contact::recipients::peer(&site.t.db, zoe.id)
            .await
            .expect("peer")
            .is_some()
    );
    assert!(referent_shown().await, "a referent again");
    assert_eq!(contactable_in_istres().await, 1, "counted again");
    let reply = login(&site.router, "zoe@istres.test", MEMBER_PASSWORD).await;
    assert_eq!(reply.location, "/compte");
    let audit_after = audit_log::Entity::find()
        .count(&site.t.db)
        .await
        .expect("n");
    assert!(
        audit_after >= audit_before + 2,
        "suspension and restoration journaled"
    );

    // The members list finds her by authority, name or address, and filters by status;
    // the search is posted and its text never appears in the page's URL.
    for q in ["istres", "Martin", "zoe@"] {
        let reply = post(
            &site.router,
            "/api/filter_members",
            &[("q", q), ("statut", "approved")],
            Some(&admin),
        )
        .await;
        let to = reply.location;
        assert!(
            to.starts_with("/admin/membres?f=") && to.ends_with("&statut=approved"),
            "{to}"
        );
        assert!(!to.to_lowercase().contains(&q.to_lowercase()), "{to}");
        let page = get(&site.router, &to, Some(&admin)).await;
        assert!(page.body.contains("zoe@istres.test"), "{q}: {}", page.body);
        assert!(
            page.body.contains(&format!(r#"value="{q}""#)),
            "the form shows {q}"
        );
    }
    let reply = post(
        &site.router,
        "/api/search_members",
        &[("filter", ""), ("status", "suspended"), ("page", "1")],
        Some(&admin),
    )
    .await;
    assert!(!reply.body.contains("zoe@istres.test"));
    // The old GET form's text is not read any more.
    let page = get(&site.router, "/admin/membres?q=nobody-at-all", Some(&admin)).await;
    assert!(page.body.contains("Suspendre") && page.body.contains("zoe@istres.test"));
    site.t.cleanup().await;
}

/// A filter id works for the administrator who saved it, on its page, for a day; a bad
/// status or an overlong text is refused and saves nothing.
async fn saved_filters_belong_to_their_administrator(backend: Backend) {
    use domain::entities::saved_filter;
    let site = TestApp::start(backend, &[]).await;
    member_of(&site, "zoe@istres.test", "com-13047", "approved").await;
    let admin = session_cookie(&login(&site.router, ADMIN_EMAIL, ADMIN_PASSWORD).await);
    let other = member_of(&site, "autre-admin@istres.test", "com-13047", "approved").await;
    saved_filter::Entity::delete_many()
        .exec(&site.t.db)
        .await
        .expect("empty");
    let to = post(
        &site.router,
        "/api/filter_members",
        &[("q", "zoe"), ("statut", "")],
        Some(&admin),
    )
    .await
    .location;
    let id = to.trim_start_matches("/admin/membres?f=").to_string();
    assert!(!id.is_empty() && !id.contains('&'), "{to}");
    let stored = saved_filter::Entity::find()
        .all(&site.t.db)
        .await
        .expect("rows");
    assert_eq!(stored.len(), 1);
    assert_eq!(stored[0].text, "zoe");

    // The journal does not take a members filter id.
    let journal = get(
        &site.router,
        &format!("/admin/journal?f={id}"),
        Some(&admin),
    )
    .await;
    assert!(
        journal.body.contains("Cette recherche a expiré"),
        "{}",
        journal.body
    );
    // A non-administrator cannot read it (403), and saves nothing.
    let reply = post(
        &site.router,
        "/api/search_members",
        &[("filter", &id), ("status", ""), ("page", "1")],
        Some(&other),
    )
    .await;
    assert_eq!(reply.status, 403);
    let reply = post(
        &site.router,
        "/api/filter_members",
        &[("q", "zoe"), ("statut", "")],
        Some(&other),
    )
    .await;
    assert_eq!(reply.status, 403);
    // Refused input: an unknown status, a text too long; the typed text comes back.
    let long = "x".repeat(101);
    for (q, statut, message) in [
        ("zoe", "nimporte", "Ce statut n'existe pas."),
        (long.as_str(), "", "trop longue"),
    ] {
        let reply = post(
            &site.router,
            "/api/filter_members",
            &[("q", q), ("statut", statut)],
            Some(&admin),
        )
        .await;
        assert_eq!(reply.location, "/admin/membres");
        assert!(reply.error.contains(message), "{}", reply.error);
        assert!(
            reply.page.contains(&format!(r#"value="{q}""#)),
            "typed text kept"
        );
    }
    assert_eq!(
        saved_filter::Entity::find()
            .count(&site.t.db)
            .await
            .expect("n"),
        1,
        "refusals save nothing"
    );
    // A day later the id has expired, and the worker's pass deletes it.
    let day_ago = chrono::Utc::now() - chrono::Duration::hours(25);
    saved_filter::Entity::update_many()
        .col_expr(
            saved_filter::Column::CreatedAt,
            sea_orm::sea_query::Expr::value(day_ago),
        )
        .exec(&site.t.db)
        .await
        .expect("age");
    let page = get(&site.router, &to, Some(&admin)).await;
    assert!(page.body.contains("Cette recherche a expiré"));
    assert!(
        !page.body.contains("zoe@istres.test"),
        "no result from an expired filter"
    );
    let gone = domain::accounts::saved_filters::purge_expired(&site.t.db, chrono::Utc::now())
        .await
        .expect("purge");
    assert_eq!(gone, 1);
    site.t.cleanup().await;
}

async fn the_journal_lists_actions_newest_first_with_filters(backend: Backend) {
    let site = TestApp::start(backend, &[]).await;
    domain::catalogue::seed::load_catalogue(&site.t.db)
        .await
        .expect("catalogue");
    let member = member_of(&site, "zoe@istres.test", "com-13047", "approved").await;
    let zoe = user_by_email(&site, "zoe@istres.test")
        .await
        .expect("row")
        .id
        .to_string();
    // A member's declaration and sign-in are journaled, as are an administrator's actions.
    declare_glpi(&site, &member, false).await;
    let admin = session_cookie(&login(&site.router, ADMIN_EMAIL, ADMIN_PASSWORD).await);
    post(
        &site.router,
        "/api/suspend_member",
        &[("id", &zoe), ("reason", "Usurpation d'identité signalée")],
        Some(&admin),
    )
    .await;
    let actions: Vec<String> = audit_log::Entity::find()
        .all(&site.t.db)
        .await
        .expect("journal")
        .into_iter()
        .map(|r| r.action)
        .collect();
    for expected in ["account.login", "usage.declare", "member.suspend"] {
        assert!(
            actions.iter().any(|a| a == expected),
            "{expected} in {actions:?}"
        );
    }

    let page = get(&site.router, "/admin/journal", Some(&admin)).await;
    assert_eq!(page.status, 200);
    let (suspend, declare) = (
        page.body.find("member.suspend").expect("listed"),
        page.body.find("usage.declare").expect("listed"),
    );
    assert!(suspend < declare, "newest first");
    assert!(
        page.body.contains("Usurpation d&#x27;identité signalée")
            || page.body.contains("Usurpation d'identité signalée")
    );
    let only_members = get(&site.router, "/admin/journal?action=member.", Some(&admin)).await;
    assert!(
        only_members.body.contains("member.suspend")
            && !only_members.body.contains("usage.declare")
    );
    let to = post(
        &site.router,
        "/api/filter_journal",
        &[
            ("acteur", "zoe@istres.test"),
            ("action", ""),
            ("cible", ""),
            ("du", ""),
            ("au", ""),
        ],
        Some(&admin),
    )
    .await
    .location;
    assert!(
        to.starts_with("/admin/journal?f=") && !to.contains("zoe"),
        "{to}"
    );
    let by_zoe = get(&site.router, &to, Some(&admin)).await;
    assert!(by_zoe.body.contains("usage.declare") && !by_zoe.body.contains("member.suspend"));
    let future = get(&site.router, "/admin/journal?du=2999-01-01", Some(&admin)).await;
    assert!(future.body.contains("Aucune action ne correspond"));
    let bad = get(&site.router, "/admin/journal?du=hier", Some(&admin)).await;
    assert!(bad.body.contains("n&#x27;est pas valide") || bad.body.contains("n'est pas valide"));
    // The dashboard counts what the directory holds and links each queue.
    let dashboard = get(&site.router, "/admin", Some(&admin)).await;
    assert_eq!(dashboard.status, 200);
    assert!(
        dashboard.body.contains("Logiciels proposés : 0"),
        "{}",
        dashboard.body
    );
    assert!(dashboard.body.contains("Déclarations"));
    assert!(
        dashboard
            .body
            .contains(r#"href="/admin/membres?statut=suspended">1<"#),
        "one suspended account"
    );
    // Members are refused; visitors go to login.
    let other = member_of(&site, "marc@istres.test", "com-13047", "approved").await;
    assert_eq!(get(&site.router, "/admin", Some(&other)).await.status, 403);
    assert_eq!(
        get(&site.router, "/admin/journal", Some(&other))
            .await
            .status,
        403
    );
    let visitor = get(&site.router, "/admin/journal", None).await;
    assert_eq!(visitor.status, 302);
    site.t.cleanup().await;
}

async fn reported_requests_are_dismissed_warned_or_their_sender_suspended(backend: Backend) {
    use domain::entities::{contact_report, contact_request};
    let site = TestApp::start(backend, &[]).await;
    member_of(&site, "zoe@istres.test", "com-13047", "approved").await;
    member_of(&site, "paul@fos.test", "com-13039", "approved").await;
    let zoe = user_by_email(&site, "zoe@istres.test")
        .await
        .expect("row")
        .id;
    let paul = user_by_email(&site, "paul@fos.test").await.expect("row").id;
    let mut reports = Vec::new();
    for i in 0..3 {
        let request = contact_request::ActiveModel {
            id: sea_orm::NotSet,
            sender_id: Set(Some(zoe)),
            recipient_id: Set(Some(paul)),
            software_id: Set(None),
            subject: Set(format!("Offre spéciale {i}")),
            message: Set("Achetez notre solution".into()),
            status: Set(model::contact::RequestStatus::Sent),
            failure_reason: Set(None),
            created_at: Set(chrono::Utc::now()),
            sent_at: Set(Some(chrono::Utc::now())),
            question_id: Set(None),
        }
        .insert(&site.t.db)
        .await
        .expect("request");
        domain::contact::actions::report_as(
            &site.t.db,
            paul,
            request.id,
            &format!("Démarchage {i}"),
        )
        .await
        .expect("report");
        let report = contact_report::Entity::find()
            .filter(contact_report::Column::RequestId.eq(request.id))
            .one(&site.t.db)
            .await
            .expect("q")
            .expect("row");
        reports.push(report.id.to_string());
    }
    let admin = session_cookie(&login(&site.router, ADMIN_EMAIL, ADMIN_PASSWORD).await);
    let page = get(&site.router, "/admin/signalements", Some(&admin)).await;
    assert!(page.body.contains("Démarchage 0") && page.body.contains("Offre spéciale 2"));
    assert!(
        page.body.contains("zoe@istres.test"),
        "moderators see the sender's address"
    );
    let decide = |id: &str, decision: &str, note: &str| {
        vec![
            ("id", id.to_string()),
            ("decision", decision.to_string()),
            ("note", note.to_string()),
        ]
    };
    let send = |form: Vec<(&'static str, String)>| {
        let router = site.router.clone();
        let admin = admin.clone();
        async move {
            let pairs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
            post(&router, "/api/decide_report", &pairs, Some(&admin)).await
        }
    };
    let reply = send(decide(&reports[0], "classer", " ")).await;
    assert!(reply.refused(), "a note is required");
    let reply = send(decide(
        &reports[0],
        "classer",
        "Message maladroit, sans plus",
    ))
    .await;
    assert_eq!(
        reply.location,
        "/admin/signalements?info=signalement-traite"
    );
    let reply = send(decide(
        &reports[1],
        "avertir",
        "Pas de démarchage commercial sur Pairs.",
    ))
    .await;
    assert_eq!(
        reply.location,
        "/admin/signalements?info=signalement-traite"
    );
    let warned = job::Entity::find()
        .filter(job::Column::Payload.contains("Avertissement"))
        .filter(job::Column::Payload.contains("zoe@istres.test"))
        .count(&site.t.db)
        .await
        .expect("n");
    assert_eq!(warned, 1, "the sender is warned by mail");
    let again = send(decide(&reports[1], "suspendre", "Encore")).await;
    assert!(again.refused(), "a closed report stays closed");
    assert_eq!(
        user_by_email(&site, "zoe@istres.test")
            .await
            .expect("row")
            .status,
        AccountStatus::Approved
    );
    let reply = send(decide(
        &reports[2],
        "suspendre",
        "Démarchage répété malgré l'avertissement",
    ))
    .await;
    assert_eq!(
        reply.location,
        "/admin/signalements?info=signalement-traite"
    );
    assert_eq!(
        user_by_email(&site, "zoe@istres.test")
            .await
            .expect("row")
            .status,
        AccountStatus::Suspended
    );
    let statuses: Vec<model::contact::ReportStatus> = contact_report::Entity::find()
        .all(&site.t.db)
        .await
        .expect("reports")
        .into_iter()
        .map(|r| r.status)
        .collect();
    assert_eq!(
        statuses
            .iter()
            .filter(|s| **s == model::contact::ReportStatus::Open)
            .count(),
        0,
        "{statuses:?}"
    );
    let journal: Vec<String> = audit_log::Entity::find()
        .all(&site.t.db)
        .await
        .expect("journal")
        .into_iter()
        .map(|r| r.action)
        .collect();
    for action in [
        "report.dismiss",
        "report.warn",
        "report.suspend",
        "member.suspend",
    ] {
        assert!(
            journal.iter().any(|a| a == action),
            "{action} in {journal:?}"
        );
    }
    let page = get(&site.router, "/admin/signalements", Some(&admin)).await;
    assert!(page.body.contains("Aucun signalement en attente"));
    site.t.cleanup().await;
}

async fn a_label_set_by_an_admin_reaches_search_through_the_outbox(backend: Backend) {
    let site = TestApp::start(backend, &[]).await;
    let index = site.state.search.clone();
    label_reaches(site, index).await;
}

/// The same through Meilisearch, when a server is configured (`MEILI_URL`).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_label_set_by_an_admin_reaches_meilisearch_through_the_outbox() {
    let Some(url) = std::env::var("MEILI_URL").ok().filter(|u| !u.is_empty()) else {
        eprintln!(
            "SKIPPED a_label_set_by_an_admin_reaches_meilisearch_through_the_outbox: MEILI_URL is not set"
        );
        return;
    };
    let key = std::env::var("MEILI_MASTER_KEY").ok();
    let uid = format!("pairs_label_{}", std::process::id());
    let index: std::sync::Arc<dyn domain::search::SearchIndex> = std::sync::Arc::new(
        domain::search::meili::MeiliIndex::new(&url, key.as_deref(), &uid).expect("client"),
    );
    label_reaches(TestApp::start(Backend::Sqlite, &[]).await, index).await;
}

/// Sets a label through the router and follows it into `index` through the outbox.
async fn label_reaches(site: TestApp, index: std::sync::Arc<dyn domain::search::SearchIndex>) {
    domain::search::sync::reindex_all(&site.t.db, index.as_ref())
        .await
        .expect("reindex");
    let labelled = |level: &'static str| {
        let index = index.clone();
        async move {
            let q = domain::search::SearchQuery::from_pairs([("label", level)]).expect("query");
            index
                .search(&q)
                .await
                .expect("search")
                .hits
                .into_iter()
                .map(|h| h.id)
                .collect::<Vec<_>>()
        }
    };
    assert!(labelled("4").await.is_empty());
    let admin = session_cookie(&login(&site.router, ADMIN_EMAIL, ADMIN_PASSWORD).await);
    let form = [
        ("authority", "com-13047"),
        ("membre", "on"),
        ("depuis", "2020-01-15"),
        ("label", "4"),
        ("annee", "2025"),
    ];
    // Bad input changes nothing and says why.
    for (key, value, message) in [
        ("label", "7", "de 1 à 5"),
        ("depuis", "2999-01-01", "futur"),
        ("depuis", "hier", "AAAA-MM-JJ"),
        ("annee", "1800", "1999"),
    ] {
        let mut bad: Vec<(&str, &str)> = form.iter().copied().filter(|(k, _)| *k != key).collect();
        bad.push((key, value));
        let reply = post(
            &site.router,
            "/api/set_authority_standing",
            &bad,
            Some(&admin),
        )
        .await;
        let shown = reply.shown();
        assert!(reply.refused(), "{key}={value}: {shown}");
        assert!(shown.contains(message), "{key}={value}: {shown}");
    }
    let reply = post(
        &site.router,
        "/api/set_authority_standing",
        &form,
        Some(&admin),
    )
    .await;
    assert_eq!(
        reply.location,
        "/collectivites/com-13047?info=collectivite-modifiee#reseau"
    );
    let page = get(&site.router, "/collectivites/com-13047", Some(&admin)).await;
    assert!(
        page.body.contains("Membre du réseau depuis 2020") && page.body.contains("@@@@ (2025)")
    );
    assert!(page.body.contains("standing-form"), "admins get the form");
    let visitor = get(&site.router, "/collectivites/com-13047", None).await;
    assert!(!visitor.body.contains("standing-form"));
    // Search follows once the worker applies the outbox.
    assert!(
        labelled("4").await.is_empty(),
        "not before the outbox is applied"
    );
    domain::search::sync::run_index_pass(&site.t.db, index.as_ref())
        .await
        .expect("index pass");
    assert_eq!(labelled("4").await, vec!["com-13047".to_string()]);
    let journal = audit_log::Entity::find()
        .filter(audit_log::Column::Action.eq("authority.standing"))
        .all(&site.t.db)
        .await
        .expect("journal");
    assert_eq!(journal.len(), 1, "one line for the one accepted change");
    assert_eq!(
        journal[0].reason.as_deref(),
        Some("membre depuis le 15/01/2020 ; label @@@@ (2025)")
    );
    site.t.cleanup().await;
}

async fn each_member_action_writes_one_journal_line(backend: Backend) {
    use domain::entities::{usage, usage_referent};
    let site = TestApp::start(backend, &[]).await;
    domain::catalogue::seed::load_catalogue(&site.t.db)
        .await
        .expect("catalogue");
    let member = member_of(&site, "zoe@istres.test", "com-13047", "approved").await;
    declare_glpi(&site, &member, true).await;
    let zoe = user_by_email(&site, "zoe@istres.test").await.expect("row");
    let id = zoe.id.to_string();
    let admin = session_cookie(&login(&site.router, ADMIN_EMAIL, ADMIN_PASSWORD).await);
    let lines = |action: &'static str| {
        let db = site.t.db.clone();
        async move {
            audit_log::Entity::find()
                .filter(audit_log::Column::Action.eq(action))
                .count(&db)
                .await
                .expect("n")
        }
    };
    let file = get(&site.router, &format!("/admin/membres/{id}"), Some(&admin)).await;
    assert_eq!(file.status, 200);
    assert!(file.body.contains("GLPI") && file.body.contains("zoe@istres.test"));
    assert!(file.body.contains("usage.declare") || file.body.contains("account.login"));

    // Correct and hide the profile.
    let reply = post(
        &site.router,
        "/api/correct_member",
        &[
            ("id", &id),
            ("first_name", "Zoé"),
            ("last_name", "Martin"),
            ("job_title", "Directrice des systèmes d'information"),
            ("phone", ""),
            ("reason", "Fonction injurieuse"),
        ],
        Some(&admin),
    )
    .await;
    assert_eq!(
        reply.location,
        format!("/admin/membres/{id}?info=profil-corrige")
    );
    let now = user_by_email(&site, "zoe@istres.test").await.expect("row");
    assert_eq!(now.job_title, "Directrice des systèmes d'information");
    assert!(!now.visible, "an unchecked box hides the profile");
    assert_eq!(lines("member.correct").await, 1);

    // Move to Fos-sur-Mer: the referent role for Istres' GLPI ends.
    let reply = post(
        &site.router,
        "/api/move_member",
        &[
            ("id", &id),
            ("authority", "com-99999"),
            ("reason", "Mutation"),
        ],
        Some(&admin),
    )
    .await;
    assert!(reply.shown().contains("introuvable"));
    assert_eq!(
        lines("member.move").await,
        0,
        "a refused action writes nothing"
    );
    let reply = post(
        &site.router,
        "/api/move_member",
        &[
            ("id", &id),
            ("authority", "com-13039"),
            ("reason", "Mutation"),
        ],
        Some(&admin),
    )
    .await;
    assert_eq!(
        reply.location,
        format!("/admin/membres/{id}?info=membre-deplace")
    );
    let fos = user_by_email(&site, "zoe@istres.test")
        .await
        .expect("row")
        .authority_id;
    assert_ne!(fos, zoe.authority_id);
    assert_eq!(
        usage_referent::Entity::find()
            .count(&site.t.db)
            .await
            .expect("n"),
        0
    );
    assert_eq!(
        usage::Entity::find().count(&site.t.db).await.expect("n"),
        1,
        "the declaration stays with Istres"
    );
    assert_eq!(lines("member.move").await, 1);

    // Grant admin, then withdraw it; the last admin keeps the role.
    let role = |role: &'static str, who: String| {
        let router = site.router.clone();
        let admin = admin.clone();
        async move {
            post(
                &router,
                "/api/set_member_admin",
                &[
                    ("id", &who),
                    ("role", role),
                    ("reason", "Équipe d'animation"),
                ],
                Some(&admin),
            )
            .await
        }
    };
    let reply = role("accorder", id.clone()).await;
    assert_eq!(
        reply.location,
        format!("/admin/membres/{id}?info=role-modifie")
    );
    assert!(
        user_by_email(&site, "zoe@istres.test")
            .await
            .expect("row")
            .is_admin
    );
    let reply = role("retirer", id.clone()).await;
    assert_eq!(
        reply.location,
        format!("/admin/membres/{id}?info=role-modifie")
    );
    let admin_id = user_by_email(&site, ADMIN_EMAIL)
        .await
        .expect("row")
        .id
        .to_string();
    let reply = role("retirer", admin_id.clone()).await;
    assert!(
        reply.shown().contains("dernier administrateur"),
        "{}",
        reply.location
    );
    assert!(
        user_by_email(&site, ADMIN_EMAIL)
            .await
            .expect("row")
            .is_admin
    );
    assert_eq!(
        (lines("admin.grant").await, lines("admin.withdraw").await),
        (1, 1)
    );
    let told = job::Entity::find()
        .filter(job::Column::Payload.contains("administrateur de Pairs"))
        .count(&site.t.db)
        .await
        .expect("n");
    assert_eq!(
        told, 2,
        "granted and withdrawn, the member is told each time"
    );

    // Delete: the same erasure as self-deletion; never oneself.
    let reply = post(
        &site.router,
        "/api/delete_member",
        &[("id", &admin_id), ("reason", "Test")],
        Some(&admin),
    )
    .await;
    assert!(reply.refused());
    let reply = post(
        &site.router,
        "/api/delete_member",
        &[("id", &id), ("reason", "Demande du membre par téléphone")],
        Some(&admin),
    )
    .await;
    assert_eq!(reply.location, "/admin/membres?info=membre-supprime");
    assert!(user_by_email(&site, "zoe@istres.test").await.is_none());
    assert_eq!(
        get(&site.router, "/compte", Some(&member)).await.status,
        302,
        "sessions gone"
    );
    assert_eq!(lines("member.delete").await, 1);
    site.t.cleanup().await;
}

async fn profiles_are_reported_and_authorities_described(backend: Backend) {
    let site = TestApp::start(backend, &[]).await;
    let zoe = member_of(&site, "zoe@istres.test", "com-13047", "approved").await;
    member_of(&site, "paul@fos.test", "com-13039", "approved").await;
    let paul = user_by_email(&site, "paul@fos.test")
        .await
        .expect("row")
        .id
        .to_string();
    let zoe_id = user_by_email(&site, "zoe@istres.test")
        .await
        .expect("row")
        .id
        .to_string();
    let report = |who: String, cookie: Option<String>| {
        let router = site.router.clone();
        async move {
            post(
                &router,
                "/api/report_profile",
                &[("membre", &who), ("motif", "Fonction fantaisiste")],
                cookie.as_deref(),
            )
            .await
        }
    };
    let fos = get(&site.router, "/collectivites/com-13039", Some(&zoe)).await;
    assert!(
        fos.body
            .contains(&format!("/signaler-profil?membre={paul}"))
    );
    let reply = report(paul.clone(), Some(zoe.clone())).await;
    assert_eq!(reply.location, "/signaler-profil?info=profil-signale");
    let again = report(paul.clone(), Some(zoe.clone())).await;
    assert!(again.shown().contains("déjà signalé"), "{}", again.location);
    let own = report(zoe_id.clone(), Some(zoe.clone())).await;
    assert!(own.shown().contains("propre profil"));
    let visitor = report(paul.clone(), None).await;
    assert!(
        visitor.location.starts_with("/connexion"),
        "{}",
        visitor.location
    );

    let admin = session_cookie(&login(&site.router, ADMIN_EMAIL, ADMIN_PASSWORD).await);
    let page = get(&site.router, "/admin/signalements", Some(&admin)).await;
    assert!(page.body.contains("Fonction fantaisiste") && page.body.contains("paul@fos.test"));
    let id = page
        .body
        .split(r#"data-kind="profile""#)
        .next()
        .and_then(|before| before.rsplit("data-id=\"").next())
        .and_then(|rest| rest.split('"').next())
        .expect("the report's id")
        .to_string();
    let reply = post(
        &site.router,
        "/api/decide_report",
        &[
            ("id", &id),
            ("kind", "profile"),
            ("decision", "avertir"),
            ("note", "Corrigez votre fonction."),
        ],
        Some(&admin),
    )
    .await;
    assert_eq!(
        reply.location,
        "/admin/signalements?info=signalement-traite"
    );
    let warned = job::Entity::find()
        .filter(job::Column::Payload.contains("paul@fos.test"))
        .filter(job::Column::Payload.contains("Corrigez votre fonction"))
        .count(&site.t.db)
        .await
        .expect("n");
    assert_eq!(warned, 1);
    assert_eq!(
        audit_log::Entity::find()
            .filter(audit_log::Column::Action.eq("profile_report.warn"))
            .count(&site.t.db)
            .await
            .expect("n"),
        1
    );

    // The identity fields the referential lacks.
    let details = |site_url: &'static str| {
        let router = site.router.clone();
        let admin = admin.clone();
        async move {
            post(
                &router,
                "/api/set_authority_details",
                &[
                    ("authority", "com-13047"),
                    ("site", site_url),
                    ("description", "Ville de l'étang de Berre"),
                ],
                Some(&admin),
            )
            .await
        }
    };
    let bad = details("javascript:alert(1)").await;
    assert!(bad.shown().contains("https://"), "{}", bad.location);
    let reply = details("https://www.istres.fr").await;
    assert_eq!(
        reply.location,
        "/collectivites/com-13047?info=collectivite-modifiee#reseau"
    );
    let istres = get(&site.router, "/collectivites/com-13047", None).await;
    assert!(istres.body.contains(r#"href="https://www.istres.fr""#));
    assert!(istres.body.contains("étang de Berre"));
    site.t.cleanup().await;
}

async fn old_journal_addresses_are_cut_to_their_network(backend: Backend) {
    let site = TestApp::start(backend, &[]).await;
    let now = chrono::Utc::now();
    for (age_days, ip) in [
        (120, "192.0.2.17"),
        (120, "2001:db8:1:2:3:4:5:6"),
        (10, "198.51.100.9"),
    ] {
        audit_log::ActiveModel {
            id: sea_orm::NotSet,
            actor_id: Set(None),
            action: Set("account.login".into()),
            target_type: Set("user".into()),
            target_id: Set("1".into()),
            reason: Set(None),
            ip: Set(Some(ip.into())),
            created_at: Set(now - chrono::Duration::days(age_days)),
        }
        .insert(&site.t.db)
        .await
        .expect("line");
    }
    let changed = domain::audit::truncate_old_ips(&site.t.db, now)
        .await
        .expect("truncate");
    assert_eq!(changed, 2);
    let mut ips: Vec<String> = audit_log::Entity::find()
        .all(&site.t.db)
        .await
        .expect("journal")
        .into_iter()
        .filter_map(|r| r.ip)
        .collect();
    ips.sort();
    assert_eq!(ips, vec!["192.0.2.0/24", "198.51.100.9", "2001:db8:1::/48"]);
    assert_eq!(
        domain::audit::truncate_old_ips(&site.t.db, now)
            .await
            .expect("again"),
        0,
        "once cut, lines stay as they are"
    );
    let privacy = get(&site.router, "/confidentialite", None).await;
    assert_eq!(privacy.status, 200);
    assert!(privacy.body.contains("90 jours"));
    site.t.cleanup().await;
}

/// A failure after the journal line is written (here the mail to the member cannot be
/// queued) rolls back the whole action: status, sessions and journal stay as they were.
async fn a_failing_action_leaves_neither_change_nor_journal_line(backend: Backend) {
    use sea_orm::ConnectionTrait;
    let site = TestApp::start(backend, &[]).await;
    let member = member_of(&site, "zoe@istres.test", "com-13047", "approved").await;
    let zoe = user_by_email(&site, "zoe@istres.test")
        .await
        .expect("row")
        .id
        .to_string();
    let admin = session_cookie(&login(&site.router, ADMIN_EMAIL, ADMIN_PASSWORD).await);
    let sql = match backend {
        Backend::Sqlite => {
            "CREATE TRIGGER refuse_mail BEFORE INSERT ON jobs WHEN NEW.kind = 'mail' \
             BEGIN SELECT RAISE(ABORT, 'mail refused'); END;"
        }
        Backend::Postgres => {
            "ALTER TABLE jobs ADD CONSTRAINT refuse_mail CHECK (kind <> 'mail') NOT VALID"
        }
    };
    site.t
        .db
        .execute_unprepared(sql)
        .await
        .expect("break the outbox");
    let journal_before = audit_log::Entity::find()
        .count(&site.t.db)
        .await
        .expect("n");
    let reply = post(
        &site.router,
        "/api/suspend_member",
        &[("id", &zoe), ("reason", "Démarchage")],
        Some(&admin),
    )
    .await;
    assert!(reply.refused(), "{} {}", reply.status, reply.location);
    assert_eq!(
        user_by_email(&site, "zoe@istres.test")
            .await
            .expect("row")
            .status,
        AccountStatus::Approved
    );
    assert_eq!(
        audit_log::Entity::find()
            .count(&site.t.db)
            .await
            .expect("n"),
        journal_before,
        "no journal line for an action that did not happen"
    );
    assert_eq!(
        get(&site.router, "/compte", Some(&member)).await.status,
        200,
        "sessions kept"
    );
    site.t.cleanup().await;
}

/// Two administrators demoting each other at the same moment leave one; the last one
/// cannot delete their own account.
async fn the_last_administrator_always_stays(backend: Backend) {
    use domain::accounts::{profile::delete_account, stewardship::set_admin};
    use domain::actor::CurrentUser;
    let site = TestApp::start(backend, &[]).await;
    member_of(&site, "second@pairs.test", "com-13047", "approved").await;
    let mut second: user::ActiveModel = user_by_email(&site, "second@pairs.test")
        .await
        .expect("row")
        .into();
    second.is_admin = Set(true);
    let second = second.update(&site.t.db).await.expect("promote");
    let first = user_by_email(&site, ADMIN_EMAIL).await.expect("row");
    let (a, b) = (CurrentUser::from(&first), CurrentUser::from(&second));
    let db = &site.t.db;
    let (x, y) = tokio::join!(
        set_admin(db, &a, b.id, false, "Départ", None),
        set_admin(db, &b, a.id, false, "Départ", None),
    );
    assert!(x.is_err() || y.is_err(), "one demotion is refused");
    let admins = user::Entity::find()
        .filter(user::Column::IsAdmin.eq(true))
        .count(db)
        .await
        .expect("n");
    assert_eq!(admins, 1, "one administrator is left");
    // The refused demotion's actor is the one demoted by the other.
    let (last, password) = if x.is_err() {
        (&b, MEMBER_PASSWORD)
    } else {
        (&a, ADMIN_PASSWORD)
    };
    let last = CurrentUser::from(
        &user::Entity::find_by_id(last.id)
            .one(db)
            .await
            .expect("q")
            .expect("row"),
    );
    let refused = delete_account(db, &last, password)
        .await
        .expect_err("the last administrator stays");
    assert!(
        refused.to_string().contains("dernier administrateur"),
        "{refused}"
    );
    assert!(
        user::Entity::find_by_id(last.id)
            .one(db)
            .await
            .expect("q")
            .is_some()
    );
    site.t.cleanup().await;
}

on_both_backends!(
    the_last_administrator_always_stays,
    a_failing_action_leaves_neither_change_nor_journal_line,
    old_journal_addresses_are_cut_to_their_network,
    profiles_are_reported_and_authorities_described,
    each_member_action_writes_one_journal_line,
    a_label_set_by_an_admin_reaches_search_through_the_outbox,
    reported_requests_are_dismissed_warned_or_their_sender_suspended,
    admin_functions_refuse_everyone_else,
    suspension_ends_sessions_and_hides_the_member_until_restored,
    the_journal_lists_actions_newest_first_with_filters,
    saved_filters_belong_to_their_administrator,
);

/// Every server function the server registers is in the registry, and the registry names
/// nothing that does not exist.
#[test]
fn every_server_function_is_in_the_registry() {
    let registered: Vec<String> = leptos::server_fn::axum::server_fn_paths()
        .map(|(path, _)| path.to_string())
        .collect();
    assert!(registered.len() >= ENDPOINTS.len() / 2, "{registered:?}");
    for path in &registered {
        let name = path.trim_start_matches("/api/");
        assert!(
            access(name).is_some(),
            "{path} is not in app::api::registry: say who may call it"
        );
    }
    for (name, _) in ENDPOINTS {
        assert!(
            registered.contains(&format!("/api/{name}")),
            "the registry lists {name}, which the server does not register"
        );
    }
}
