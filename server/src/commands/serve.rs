use std::future::IntoFuture;

use anyhow::Context;
use domain::{AppState, Config};
use leptos::prelude::get_configuration;

/// `pairs serve`: migrate, then serve until Ctrl-C or SIGTERM.
pub async fn serve(config: Config) -> anyhow::Result<()> {
    let db = domain::db::connect(&config)
        .await
        .context("connexion à la base de données impossible")?;
    domain::db::migrate(&db).await?;
    if domain::authorities::count(&db).await? == 0 {
        tracing::warn!("no authority in the database: run `pairs import-referential`");
    }
    let mut options = get_configuration(None)?.leptos_options;
    // Built by cargo-leptos with `hash-files`: pages name the hashed files (unless
    // LEPTOS_HASH_FILES says otherwise).
    if std::env::var_os("LEPTOS_HASH_FILES").is_none() {
        options.hash_files = crate::static_files::hash_file_beside_binary(&options.hash_file);
    }
    options.site_addr = config
        .site_addr
        .parse()
        .with_context(|| format!("LEPTOS_SITE_ADDR invalide : {}", config.site_addr))?;
    let addr = options.site_addr;
    let mailer = domain::mail::Mailer::from_config(&config)?;
    tracing::info!("mail delivery: {mailer:?}");
    // The embedded index has one writer per directory: a second `serve` on the same data
    // directory is refused with what to do (several processes need Meilisearch).
    let search = match domain::search::open(&config) {
        Err(domain::search::SearchError::Busy) => anyhow::bail!(
            "l'index de recherche intégré ({}) est déjà utilisé par un autre processus pairs serve ; \
             un seul processus sert avec le moteur intégré, utilisez Meilisearch (MEILI_URL) pour en lancer plusieurs",
            config.data_dir.join("search").display()
        ),
        other => other.context("moteur de recherche")?,
    };
    tracing::info!("search engine: {}", search.engine_name());
    // Settings are applied at start; an empty index is rebuilt by the worker.
    let synonyms = domain::search::build::synonyms(&db).await?;
    if let Err(err) = search.prepare(&synonyms).await {
        tracing::warn!(error = %err, "search engine settings not applied; will retry with the next rebuild");
    }
    let software = domain::search::build::software_documents(&db).await?;
    if let Err(err) = search.rebuild_software(software).await {
        tracing::warn!(error = %err, "software suggestions not loaded; the next index job will");
    }
    if search.count().await.unwrap_or(0) == 0 && domain::authorities::count(&db).await? > 0 {
        domain::search::sync::enqueue(&db, domain::search::sync::IndexJob::All).await?;
    }
    let worker = domain::worker::spawn(
        db.clone(),
        domain::mail::outbox::MailContext {
            mailer,
            from: config.mail_from.clone(),
        },
        search.clone(),
        std::time::Duration::from_secs(2),
        config.public_url.clone(),
    );
    let state = AppState::new(db, config, search);
    crate::metrics::spawn_upkeep();
    if let Some(metrics_addr) = state.config.metrics_addr.clone() {
        let listener = tokio::net::TcpListener::bind(&metrics_addr)
            .await
            .with_context(|| {
                format!("impossible d'écouter sur {metrics_addr} (PAIRS_METRICS_ADDR)")
            })?;
        tracing::info!("métriques sur http://{metrics_addr}/metrics");
        let metrics = crate::router::metrics_only(state.clone());
        tokio::spawn(async move { axum::serve(listener, metrics).await });
    }
    let draining = state.draining.clone();
    let (drain_for, timeout) = (
        std::time::Duration::from_secs(state.config.drain_seconds),
        std::time::Duration::from_secs(state.config.shutdown_timeout_seconds),
    );
    let app = crate::router::build(state, options);
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .with_context(|| format!("impossible d'écouter sur {addr}"))?;
    tracing::info!("Pairs écoute sur http://{addr}");
    let app = app.into_make_service_with_connect_info::<std::net::SocketAddr>();
    // Told to stop: drain (still serving, `/healthz` at 503), then stop accepting.
    let (stopping, mut stopped) = tokio::sync::watch::channel(false);
    let signal = async move {
        let signal = shutdown_signal().await;
        draining.store(true, std::sync::atomic::Ordering::Relaxed);
        if signal == Signal::Terminate && !drain_for.is_zero() {
            tracing::info!(
                seconds = drain_for.as_secs(),
                "arrêt demandé : /healthz répond 503 pendant la vidange"
            );
            tokio::time::sleep(drain_for).await;
        }
        tracing::info!("arrêt : plus de nouvelle connexion, fin des requêtes en cours");
        let _ = stopping.send(true);
    };
    let serving = axum::serve(crate::listener::no_delay(listener), app)
        .with_graceful_shutdown(signal)
        .into_future();
    let overdue = async move {
        let _ = stopped.wait_for(|s| *s).await;
        tokio::time::sleep(timeout).await;
    };
    tokio::select! {
        served = serving => served?,
        () = overdue => tracing::warn!(seconds = timeout.as_secs(), "requêtes encore en cours abandonnées à l'arrêt"),
    }
    // Requests are done; the worker finishes its pass, so no job is left claimed. A pass
    // that outlasts the timeout is left: its claimed jobs are retried after their lease.
    if tokio::time::timeout(timeout, worker.shutdown())
        .await
        .is_err()
    {
        tracing::warn!(
            "the worker's pass outlasted the shutdown timeout; its jobs will be retried after their lease"
        );
    }
    Ok(())
}

#[derive(Debug, PartialEq, Eq)]
enum Signal {
    Interrupt,
    Terminate,
}

/// Ctrl-C (stop at once, for a terminal) or SIGTERM (a service manager: drain first).
async fn shutdown_signal() -> Signal {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut sig) => {
                sig.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => Signal::Interrupt,
        _ = terminate => Signal::Terminate,
    }
}
