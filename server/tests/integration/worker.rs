//! The background worker as `pairs serve` runs it: its first pass delivers what is queued,
//! and at shutdown it stops within its pass instead of waiting out its interval, leaving
//! no job claimed.

use std::time::{Duration, Instant};

use crate::common;
use common::Backend;
use common::smtp::SmtpServer;
use common::web::TestApp;
use domain::mail::outbox;

async fn the_worker_delivers_then_stops_when_asked(backend: Backend) {
    let site = TestApp::start(backend, &[]).await;
    let maildir = site.t.dir.path().join("worker-maildir");
    let smtp = SmtpServer::start(site.smtp_port, &maildir);
    outbox::enqueue(
        &site.t.db,
        &domain::mail::templates::email_changed("zoe@istres.test", "Zoé"),
    )
    .await
    .expect("queued");
    let mail = common::web::mail_context(&site.t, site.smtp_port);
    // A long interval: only the first pass runs before the shutdown.
    let worker = domain::worker::spawn(
        site.t.db.clone(),
        mail,
        site.state.search.clone(),
        Duration::from_secs(3600),
        site.state.config.public_url.clone(),
    );
    let deadline = Instant::now() + Duration::from_secs(30);
    while outbox::queue_counts(&site.t.db)
        .await
        .expect("counts")
        .pending
        > 0
    {
        assert!(Instant::now() < deadline, "the first pass delivers");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let asked = Instant::now();
    worker.shutdown().await;
    assert!(
        asked.elapsed() < Duration::from_secs(10),
        "the worker stops without waiting out its interval"
    );
    assert_eq!(smtp.messages().len(), 1, "the mail was delivered once");
    // The worker is gone: a mail queued now stays queued.
    outbox::enqueue(
        &site.t.db,
        &domain::mail::templates::email_changed("zoe@istres.test", "Zoé"),
    )
    .await
    .expect("queued");
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(
        outbox::queue_counts(&site.t.db)
            .await
            .expect("counts")
            .pending,
        1
    );
    drop(smtp);
    site.t.cleanup().await;
}

on_both_backends!(the_worker_delivers_then_stops_when_asked);
