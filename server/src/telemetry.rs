//! Logging to stderr, filtered by `RUST_LOG` (default: info for Pairs, warn for the rest).

pub fn init() {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| "warn,server=info,domain=info,app=info,pairs=info".into());
    // Ignore the error when a test harness already installed a subscriber.
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .try_init();
}
