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
    let app = crate::router::build(state, options);
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .with_context(|| format!("impossible d'écouter sur {addr}"))?;
    tracing::info!("Pairs écoute sur http://{addr}");
    let app = app.into_make_service_with_connect_info::<std::net::SocketAddr>();
    axum::serve(crate::listener::no_delay(listener), app)
        .with_graceful_shutdown(shutdown_signal())
        .await?;
    // Requests are done; the worker finishes its pass, so no job is left claimed.
    worker.shutdown().await;
    Ok(())
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        if let Ok(mut sig) =
            tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        {
            sig.recv().await;
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = terminate => {},
    }
}
