//! The limits and flashes that several processes share through the database: the store
//! itself on both databases (burst, refusal recording nothing, concurrency, expiry, a flash
//! read once from another connection), and two whole sites on one PostgreSQL database
//! standing for two processes behind a balancer: a refused login's message shows whichever
//! site serves the next page, and the eleventh wrong password is refused by either.

use crate::common;

use std::sync::Arc;
use std::time::{Duration, SystemTime};

use common::web::*;
use common::{Backend, TestDb};
use domain::security::flash::{Flash, FlashStore, SharedFlash};
use domain::security::limits::{LimitStore, Rule, SharedLimits};
use domain::security::synced_limits::SyncedLimits;

fn keys(list: &[&str]) -> Vec<String> {
    list.iter().map(|k| k.to_string()).collect()
}

/// A second connection to the test's database, as another process would have.
async fn other_connection(t: &TestDb) -> sea_orm::DatabaseConnection {
    sea_orm::Database::connect(t.url.clone())
        .await
        .expect("second connection")
}

async fn shared_limits_admit_a_burst_and_a_refusal_records_nothing(backend: Backend) {
    let t = TestDb::migrated(backend).await.expect("db");
    let one = SharedLimits::new(t.db.clone());
    let two = SharedLimits::new(other_connection(&t).await);
    let rule = Rule::per_minute(3);
    let now = SystemTime::now();
    let ip = keys(&["login:ip:10.0.0.1"]);
    for store in [&one, &two, &one] {
        assert_eq!(store.admit(&ip, rule, now).await, Ok(()));
    }
    let wait = two.admit(&ip, rule, now).await.expect_err("the fourth");
    assert_eq!(wait, Duration::from_secs(20), "one interval");
    // Two keys, one of them over its limit: nothing recorded under the other.
    let both = keys(&["login:ip:10.0.0.1", "login:account:a@b.fr"]);
    assert!(one.admit(&both, rule, now).await.is_err());
    assert_eq!(one.held().await, 1, "the account key was not written");
    // The same key twice counts once.
    let twice = keys(&["k", "k"]);
    assert_eq!(one.admit(&twice, rule, now).await, Ok(()));
    one.forget(&ip).await;
    assert_eq!(two.admit(&ip, rule, now).await, Ok(()), "forgotten");
    // Concurrent attempts from both "processes" on one key: exactly the burst passes.
    let burst = Rule::per_window(10, Duration::from_secs(900));
    let key = keys(&["login:account:race@b.fr"]);
    let (one, two) = (Arc::new(one), Arc::new(two));
    let attempts = (0..30).map(|n| {
        let store = if n % 2 == 0 { one.clone() } else { two.clone() };
        let key = key.clone();
        tokio::spawn(async move { store.admit(&key, burst, now).await.is_ok() })
    });
    let mut admitted = 0;
    for attempt in attempts {
        admitted += u32::from(attempt.await.expect("task"));
    }
    assert_eq!(admitted, 10, "the burst, whichever process counts");
    // Sweeping an hour later leaves nothing that limits anyone.
    let later = now + Duration::from_secs(3600);
    assert!(one.sweep(later).await >= 3);
    assert_eq!(one.held().await, 0);
    t.cleanup().await;
}

async fn a_shared_flash_is_read_once_by_any_process_and_expires(backend: Backend) {
    let t = TestDb::migrated(backend).await.expect("db");
    let one = SharedFlash::new(t.db.clone());
    let two = SharedFlash::new(other_connection(&t).await);
    let flash = Flash {
        path: "/connexion".into(),
        error: "Adresse ou mot de passe incorrect.".into(),
        values: vec![
            ("email".into(), "zoé@istres.fr".into()),
            ("trop".into(), "x".repeat(20_000)),
        ],
    };
    let token = one.put(flash).await;
    let got = two.take(&token).await.expect("read by the other process");
    assert_eq!(got.error, "Adresse ou mot de passe incorrect.");
    assert_eq!(got.value("email"), "zoé@istres.fr");
    assert_eq!(got.value("trop"), "", "a value no field allows is not kept");
    assert_eq!(one.take(&token).await, None, "read once");
    assert_eq!(two.take("forged").await, None);
    // The table holds the token's digest, never the token.
    let kept = one
        .put(Flash {
            path: "/inscription".into(),
            error: "x".into(),
            values: vec![],
        })
        .await;
    let rows = sea_orm::ConnectionTrait::query_all_raw(
        &t.db,
        sea_orm::Statement::from_string(
            sea_orm::ConnectionTrait::get_database_backend(&t.db),
            "SELECT token_digest FROM flashes",
        ),
    )
    .await
    .expect("rows");
    let digest: String = rows[0].try_get("", "token_digest").expect("digest");
    assert_ne!(digest, kept);
    assert_eq!(digest, domain::security::token::digest(&kept));
    // Past its lifetime, the sweep removes it and nothing can read it.
    let later = chrono::Utc::now() + chrono::Duration::minutes(10);
    assert_eq!(
        domain::security::flash::sweep_table(&t.db, later)
            .await
            .expect("sweep"),
        1
    );
    assert_eq!(two.take(&kept).await, None);
    assert_eq!(one.bytes().await, 0);
    t.cleanup().await;
}

/// The API's store: a new client is decided by the table (exact), a known one here; pushes
/// bring each process's copy up to what all of them admitted.
async fn synced_limits_decide_locally_and_meet_in_the_table(backend: Backend) {
    let t = TestDb::migrated(backend).await.expect("db");
    let one = SyncedLimits::new(t.db.clone());
    let two = SyncedLimits::new(other_connection(&t).await);
    let exact = SharedLimits::new(t.db.clone());
    let rule = Rule::per_window(10, Duration::from_secs(900));
    let now = SystemTime::now();
    let key = keys(&["api:10.0.0.9"]);
    for _ in 0..5 {
        assert_eq!(one.admit(&key, rule, now).await, Ok(()));
    }
    one.push(now).await;
    // Unknown to the second process: the table answers, having counted the first's five.
    for n in 6..=10 {
        assert_eq!(two.admit(&key, rule, now).await, Ok(()), "attempt {n}");
    }
    assert!(
        two.admit(&key, rule, now).await.is_err(),
        "the eleventh, in two"
    );
    two.push(now).await;
    assert!(
        exact.admit(&key, rule, now).await.is_err(),
        "the table holds all ten"
    );
    // The first's copy is stale until its next push: one more passes (the documented lag),
    // then the push brings it up to the table and it refuses too.
    assert_eq!(one.admit(&key, rule, now).await, Ok(()));
    one.push(now).await;
    assert!(one.admit(&key, rule, now).await.is_err(), "caught up");
    // Another client is apart; a forgotten one starts afresh everywhere.
    let other = keys(&["api:10.0.0.10"]);
    assert_eq!(one.admit(&other, rule, now).await, Ok(()));
    one.forget(&key).await;
    assert_eq!(one.admit(&key, rule, now).await, Ok(()));
    assert_eq!(
        exact.admit(&key, rule, now).await,
        Ok(()),
        "gone from the table"
    );
    t.cleanup().await;
}

on_both_backends!(
    shared_limits_admit_a_burst_and_a_refusal_records_nothing,
    a_shared_flash_is_read_once_by_any_process_and_expires,
    synced_limits_decide_locally_and_meet_in_the_table,
);

/// Two sites on one PostgreSQL database, as two `pairs serve` processes behind a balancer
/// without sticky sessions: each form's answer and the next page come from different ones.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_processes_on_postgresql_share_messages_and_limits() {
    if common::postgres_server().is_none() {
        common::skip_postgres("two_processes_on_postgresql_share_messages_and_limits");
        return;
    }
    let first = TestApp::start(Backend::Postgres, &[]).await;
    let search =
        Arc::new(domain::search::embedded::EmbeddedIndex::in_memory().expect("in-memory index"));
    let state = domain::AppState::new(
        other_connection(&first.t).await,
        first.t.config(&[]),
        search,
    );
    let options = leptos::prelude::get_configuration(None)
        .expect("leptos options")
        .leptos_options;
    let second = server::router::build(state, options);
    let email = "zoe@istres.test";
    approved_member(&first, email).await;
    let routers = [&first.router, &second];
    let wrong = [("email", email), ("password", "pas le bon mot de passe")];
    // PAIRS_THROTTLE_MAX's default is ten attempts per client; the member's own login
    // above was one. Nine wrong passwords, alternating processes, each message shown by
    // the other process.
    for n in 0..9 {
        let (posting, showing) = (routers[n % 2], routers[(n + 1) % 2]);
        let refused = post_shown_by(posting, showing, "/api/login", &wrong, None).await;
        assert!(refused.retry_after.is_none(), "attempt {n} is answered");
        assert!(
            refused.error.contains("incorrect"),
            "attempt {n}: « {} »",
            refused.error
        );
        assert!(
            refused.page.contains(&format!("value=\"{email}\"")),
            "the typed address comes back"
        );
    }
    for n in 0..2 {
        let (posting, showing) = (routers[n % 2], routers[(n + 1) % 2]);
        let refused = post_shown_by(posting, showing, "/api/login", &wrong, None).await;
        assert!(
            refused.retry_after.is_some(),
            "the eleventh attempt is refused by either process"
        );
        assert!(
            refused.error.contains("Trop de tentatives"),
            "« {} »",
            refused.error
        );
    }
    first.t.cleanup().await;
}
