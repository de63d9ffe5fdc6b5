//! `pairs reindex`: rebuilds the search index. With Meilisearch, or with the embedded
//! engine when no server holds it, the rebuild runs here. While `pairs serve` runs on the
//! embedded engine it owns the index (one writer per directory): the command then asks the
//! server to rebuild, through the jobs table its worker follows, and waits for the answer.

use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use domain::search::{SearchError, sync};
use model::job::JobStatus;

/// How long the command waits for a running server to finish the rebuild.
const WAIT: Duration = Duration::from_secs(600);

/// What the rebuild did, for the message printed at the end.
#[derive(Debug, PartialEq, Eq)]
pub enum Rebuilt {
    /// Here, by this process: that many authorities, on that engine.
    Here {
        authorities: usize,
        engine: &'static str,
    },
    /// By the running server, which was asked through the jobs table.
    ByServer,
}

/// Rebuilds the index; `progress` hears each step (or the wait) as French text.
pub async fn reindex(config: &domain::Config, progress: impl Fn(&str)) -> anyhow::Result<Rebuilt> {
    let db = domain::db::connect(config).await?;
    domain::db::migrate(&db).await?;
    match domain::search::open(config) {
        Ok(search) => {
            let authorities = sync::reindex_all_with(&db, search.as_ref(), |step| progress(step))
                .await
                .map_err(|e| {
                    tracing::error!(error = %e, "reindex failed");
                    anyhow::anyhow!(
                        "la reconstruction de l'index a échoué ; le détail est dans le journal du processus"
                    )
                })?;
            Ok(Rebuilt::Here {
                authorities,
                engine: search.engine_name(),
            })
        }
        Err(SearchError::Busy) => {
            progress("le site est en service : reconstruction demandée au serveur");
            ask_the_server(&db, &progress, WAIT).await?;
            Ok(Rebuilt::ByServer)
        }
        Err(SearchError::Unavailable(detail)) => {
            tracing::error!(%detail, "search engine unavailable");
            bail!(
                "le moteur de recherche ne répond pas ; vérifiez MEILI_URL et que le serveur Meilisearch tourne"
            )
        }
        Err(SearchError::Engine(detail)) => {
            tracing::error!(%detail, "search engine refused to open");
            bail!(
                "l'index de recherche n'a pas pu être ouvert dans {} ; le détail est dans le journal du processus",
                config.data_dir.join("search").display()
            )
        }
    }
}

/// Index jobs (pending or running, failed) in the queue.
async fn index_jobs(db: &domain::db::Db) -> anyhow::Result<(i64, i64)> {
    let counts = domain::jobs::counts(db)
        .await
        .context("lecture de la file des tâches")?;
    let of = |wanted: &[JobStatus]| {
        counts
            .iter()
            .filter(|(kind, status, _)| kind == sync::JOB_KIND && wanted.contains(status))
            .map(|(_, _, n)| *n)
            .sum::<i64>()
    };
    Ok((
        of(&[JobStatus::Pending, JobStatus::Running]),
        of(&[JobStatus::Failed]),
    ))
}

/// Queues a full rebuild for the server's worker and waits until the index queue is
/// drained, or says why not.
async fn ask_the_server(
    db: &domain::db::Db,
    progress: &impl Fn(&str),
    wait: Duration,
) -> anyhow::Result<()> {
    let (_, failed_before) = index_jobs(db).await?;
    sync::enqueue(db, sync::IndexJob::All)
        .await
        .context("demande de reconstruction")?;
    let started = Instant::now();
    loop {
        tokio::time::sleep(Duration::from_millis(250)).await;
        let (waiting, failed) = index_jobs(db).await?;
        if failed > failed_before {
            bail!("le serveur n'a pas pu reconstruire l'index ; voyez son journal");
        }
        if waiting == 0 {
            return Ok(());
        }
        if started.elapsed() > wait {
            bail!(
                "le serveur n'a pas reconstruit l'index en {} s : son processus de fond tourne-t-il ? La demande reste dans la file",
                wait.as_secs()
            );
        }
        progress(&format!(
            "en attente du serveur ({} s)",
            started.elapsed().as_secs()
        ));
    }
}
