//! `pairs reindex` on the embedded engine: while a server holds the index it asks that
//! server to rebuild (through the jobs table) and waits; with no server it rebuilds itself.

use crate::common;

use common::{Backend, TestDb, import_fixture};
use domain::search::SearchIndex;
use server::commands::reindex::{Rebuilt, reindex};

async fn reindex_works_with_and_without_a_running_server(backend: Backend) {
    let t = TestDb::migrated(backend).await.expect("database");
    import_fixture(&t.db).await;
    let config = t.config(&[]);
    // The running server: it holds the index and its worker follows the jobs table.
    let index = std::sync::Arc::new(
        domain::search::embedded::EmbeddedIndex::open(&config.data_dir.join("search"))
            .expect("the server opens the index"),
    );
    assert_eq!(
        index.count().await.expect("count"),
        0,
        "nothing indexed yet"
    );
    let worker = {
        let (db, index) = (t.db.clone(), index.clone());
        tokio::spawn(async move {
            loop {
                domain::search::sync::run_index_pass(&db, index.as_ref())
                    .await
                    .expect("index pass");
                tokio::time::sleep(std::time::Duration::from_millis(100)).await;
            }
        })
    };
    let steps = std::sync::Mutex::new(Vec::<String>::new());
    let rebuilt = reindex(&config, |step| {
        steps.lock().expect("steps").push(step.to_string())
    })
    .await
    .expect("the command succeeds while the server runs");
    assert_eq!(rebuilt, Rebuilt::ByServer);
    assert!(
        steps
            .lock()
            .expect("steps")
            .iter()
            .any(|s| s.contains("demandée au serveur")),
        "it says what it does"
    );
    let indexed = index.count().await.expect("count");
    assert!(indexed > 0, "the server rebuilt the index: {indexed}");

    // The server stops: the command rebuilds by itself.
    worker.abort();
    let _ = worker.await;
    drop(index);
    match reindex(&config, |_| {}).await.expect("rebuilt here") {
        Rebuilt::Here {
            authorities,
            engine,
        } => {
            assert_eq!(engine, "embedded");
            assert_eq!(authorities as u64, indexed);
        }
        other => panic!("expected a rebuild here, got {other:?}"),
    }
    t.cleanup().await;
}

on_both_backends!(reindex_works_with_and_without_a_running_server);
