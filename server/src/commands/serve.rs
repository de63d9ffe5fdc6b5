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
    options.site_addr = config
        .site_addr
        .parse()
        .with_context(|| format!("LEPTOS_SITE_ADDR invalide : {}", config.site_addr))?;
    let addr = options.site_addr;
    let mailer = domain::mail::Mailer::from_config(&config)?;
    tracing::info!("mail delivery: {mailer:?}");
    domain::jobs::worker::spawn(
        db.clone(),
        mailer,
        config.mail_from.clone(),
        std::time::Duration::from_secs(2),
    );
    let state = AppState::new(db, config);
    let app = crate::router::build(state, options);
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .with_context(|| format!("impossible d'écouter sur {addr}"))?;
    tracing::info!("Pairs écoute sur http://{addr}");
    let app = app.into_make_service_with_connect_info::<std::net::SocketAddr>();
    axum::serve(listener, app)
        .with_graceful_shutdown(shutdown_signal())
        .await?;
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
