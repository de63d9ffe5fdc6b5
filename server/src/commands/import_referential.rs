use std::path::PathBuf;

use anyhow::Context;
use domain::Config;
use domain::referential::{self, ImportSummary, KindCounts, Referential};
use indicatif::{ProgressBar, ProgressStyle};

/// `pairs import-referential [--from DIR] [--if-empty]`.
pub async fn import_referential(
    config: &Config,
    from: Option<PathBuf>,
    if_empty: bool,
) -> anyhow::Result<()> {
    let db = domain::db::connect(config).await?;
    domain::db::migrate(&db).await?;
    if if_empty && domain::authorities::count(&db).await? > 0 {
        println!("Référentiel déjà importé : rien à faire.");
        return Ok(());
    }
    let dir = match from {
        Some(dir) => dir,
        None => {
            let cache = config.data_dir.join("referential");
            println!(
                "Téléchargement de {}@{}…",
                referential::PACKAGE_NAME,
                referential::PACKAGE_VERSION
            );
            let cache_for_task = cache.clone();
            tokio::task::spawn_blocking(move || referential::fetch_pinned_package(&cache_for_task))
                .await?
                .context("impossible d'obtenir le paquet du référentiel (npm est-il installé ?)")?
        }
    };
    let started = std::time::Instant::now();
    let data = tokio::task::spawn_blocking(move || Referential::load(&dir)).await??;
    let bar = ProgressBar::new(data.records.len() as u64).with_style(
        ProgressStyle::with_template("{bar:40} {pos}/{len} collectivités ({elapsed})")
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    let summary = referential::import(&db, &data, |done, _| bar.set_position(done as u64)).await?;
    bar.finish_and_clear();
    if summary.total_changes() > 0 {
        domain::search::sync::enqueue(&db, domain::search::sync::IndexJob::All).await?;
    }
    print_summary(&summary, started.elapsed());
    Ok(())
}

fn print_summary(summary: &ImportSummary, elapsed: std::time::Duration) {
    let line = |label: &str, c: KindCounts| {
        println!(
            "  {label:<14} {:>6} ajoutées, {:>6} mises à jour, {:>6} inchangées",
            c.inserted, c.updated, c.unchanged
        );
    };
    println!("Référentiel importé en {:.1} s :", elapsed.as_secs_f64());
    line("régions", summary.regions);
    line("départements", summary.departements);
    line("EPCI", summary.epci);
    line("communes", summary.communes);
}
