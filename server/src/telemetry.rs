//! Logging to stderr, filtered by `RUST_LOG` (default: info for Pairs, warn for the rest),
//! as text or, with `PAIRS_LOG_FORMAT=json`, one JSON object per line for log collectors.

pub fn init() {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| "warn,server=info,domain=info,app=info,pairs=info".into());
    let json = std::env::var("PAIRS_LOG_FORMAT").is_ok_and(|v| v.eq_ignore_ascii_case("json"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    // Ignore the error when a test harness already installed a subscriber.
    let _ = if json {
        builder.json().try_init()
    } else {
        builder.try_init()
    };
}
