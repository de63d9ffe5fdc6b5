//! A database outage, as production meets it: PostgreSQL reached through a TCP proxy that
//! the test cuts and restores. Health check and pages must answer within seconds (503,
//! French message) and the service must come back by itself.

use crate::common;

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use axum::http::StatusCode;
use common::web::{TestApp, get};
use common::{Backend, TestDb, import_fixture, postgres_server, skip_postgres};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::watch;

/// Forwards connections to PostgreSQL while `up`; cutting it closes every open connection
/// and refuses new ones, as a stopped server would.
struct Proxy {
    port: u16,
    up: Arc<AtomicBool>,
    cut: watch::Sender<u64>,
}

impl Proxy {
    async fn start(target: String) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let port = listener.local_addr().expect("addr").port();
        let up = Arc::new(AtomicBool::new(true));
        let (cut, _) = watch::channel(0u64);
        let (flag, cuts) = (up.clone(), cut.clone());
        tokio::spawn(async move {
            while let Ok((mut client, _)) = listener.accept().await {
                if !flag.load(Ordering::SeqCst) {
                    drop(client);
                    continue;
                }
                let target = target.clone();
                let mut cut = cuts.subscribe();
                tokio::spawn(async move {
                    let Ok(mut server) = TcpStream::connect(&target).await else {
                        return;
                    };
                    tokio::select! {
                        _ = tokio::io::copy_bidirectional(&mut client, &mut server) => {}
                        _ = cut.changed() => {}
                    }
                });
            }
        });
        Self { port, up, cut }
    }

    fn set_up(&self, up: bool) {
        self.up.store(up, Ordering::SeqCst);
        if !up {
            self.cut.send_modify(|n| *n += 1);
        }
    }
}

#[tokio::test]
async fn a_database_outage_is_answered_in_seconds_and_service_resumes() {
    let Some(server) = postgres_server() else {
        skip_postgres("a_database_outage_is_answered_in_seconds_and_service_resumes");
        return;
    };
    let t = TestDb::migrated(Backend::Postgres).await.expect("postgres");
    import_fixture(&t.db).await;
    let host = server
        .rsplit('@')
        .next()
        .unwrap_or("127.0.0.1:5432")
        .to_string();
    let proxy = Proxy::start(host.clone()).await;
    let through_proxy = t.url.replace(&host, &format!("127.0.0.1:{}", proxy.port));
    assert_ne!(through_proxy, t.url, "the app goes through the proxy");

    let config = t.config(&[("PAIRS_DB_TIMEOUT_SECONDS", "2")]);
    let config = domain::Config {
        database_url: through_proxy.clone(),
        ..config
    };
    let db = domain::db::connect(&config).await.expect("connect");
    let search = Arc::new(domain::search::embedded::EmbeddedIndex::in_memory().expect("index"));
    let state = domain::AppState::new(db, config, search);
    let site = TestApp::with_state(t, state);

    let page = get(&site.router, "/collectivites/com-13047", None).await;
    assert_eq!(page.status, StatusCode::OK);
    assert_eq!(
        get(&site.router, "/healthz", None).await.status,
        StatusCode::OK
    );

    proxy.set_up(false);
    let started = Instant::now();
    let health = get(&site.router, "/healthz", None).await;
    assert!(
        started.elapsed() < Duration::from_millis(1500),
        "health answered in {:?}",
        started.elapsed()
    );
    assert_eq!(
        health.status,
        StatusCode::SERVICE_UNAVAILABLE,
        "{}",
        health.body
    );
    assert!(
        health.body.contains("\"database\":false"),
        "{}",
        health.body
    );

    let started = Instant::now();
    let page = get(&site.router, "/collectivites/com-13047", None).await;
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "page answered in {:?}",
        started.elapsed()
    );
    assert_eq!(page.status, StatusCode::SERVICE_UNAVAILABLE);
    assert!(
        page.body.contains("momentanément indisponible"),
        "{}",
        page.body
    );

    proxy.set_up(true);
    let deadline = Instant::now() + Duration::from_secs(15);
    loop {
        if get(&site.router, "/healthz", None).await.status == StatusCode::OK {
            break;
        }
        assert!(Instant::now() < deadline, "service did not resume");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    let page = get(&site.router, "/collectivites/com-13047", None).await;
    assert_eq!(page.status, StatusCode::OK, "pages work again");
    site.t.cleanup().await;
}
