//! `pairs bench-shared-state`: what the limits and flashes cost per check, in memory and in
//! the configured database (the shared stores several processes use on PostgreSQL), so
//! `make bench` can say what a login and an API request pay for them.

use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime};

use domain::Config;
use domain::security::flash::{Flash, FlashStore, MemoryFlash, SharedFlash};
use domain::security::limits::{LimitStore, MemoryLimits, Rule, SharedLimits};
use domain::security::synced_limits::SyncedLimits;

/// p50 and p99 of `samples`, in microseconds.
fn quantiles(mut samples: Vec<Duration>) -> (f64, f64) {
    samples.sort();
    let at = |q: f64| {
        let i = ((samples.len() as f64 - 1.0) * q).round() as usize;
        samples.get(i).map_or(0.0, |d| d.as_secs_f64() * 1e6)
    };
    (at(0.5), at(0.99))
}

/// One API request's check (one key) and one login's (two keys), `rounds` times each.
async fn limits(store: Arc<dyn LimitStore>, rounds: usize) -> ((f64, f64), (f64, f64)) {
    let rule = Rule::per_minute(1_000_000);
    let mut api = Vec::with_capacity(rounds);
    let mut login = Vec::with_capacity(rounds);
    for n in 0..rounds {
        let key = [format!("api:bench:{}", n % 100)];
        let started = Instant::now();
        let _ = store.admit(&key, rule, SystemTime::now()).await;
        api.push(started.elapsed());
        let keys = [
            format!("login:ip:bench{}", n % 100),
            format!("login:account:bench{n}@pairs.test"),
        ];
        let started = Instant::now();
        let _ = store.admit(&keys, rule, SystemTime::now()).await;
        login.push(started.elapsed());
    }
    store
        .sweep(SystemTime::now() + Duration::from_secs(3600))
        .await;
    (quantiles(api), quantiles(login))
}

/// A refused form's flash left then read by the next page, `rounds` times.
async fn flashes(store: Arc<dyn FlashStore>, rounds: usize) -> (f64, f64) {
    let mut samples = Vec::with_capacity(rounds);
    for _ in 0..rounds {
        let started = Instant::now();
        let token = store
            .put(Flash {
                path: "/connexion".into(),
                error: "Adresse ou mot de passe incorrect.".into(),
                values: vec![("email".into(), "banc@pairs.test".into())],
            })
            .await;
        let _ = store.take(&token).await;
        samples.push(started.elapsed());
    }
    quantiles(samples)
}

pub async fn bench_shared_state(config: &Config, rounds: usize) -> anyhow::Result<()> {
    let db = domain::db::connect(config).await?;
    domain::db::migrate(&db).await?;
    let backend = format!("{:?}", db.get_database_backend()).to_lowercase();
    let rows = [
        (
            "memory".to_string(),
            limits(Arc::new(MemoryLimits::default()), rounds).await,
            flashes(Arc::new(MemoryFlash::default()), rounds).await,
        ),
        (
            backend.clone(),
            limits(Arc::new(SharedLimits::new(db.clone())), rounds).await,
            flashes(Arc::new(SharedFlash::new(db.clone())), rounds).await,
        ),
        (
            // The store the public API uses on PostgreSQL; its login column is what a new
            // client pays each time (the table decides).
            format!("{backend}, the API's synced copy"),
            limits(Arc::new(SyncedLimits::new(db.clone())), rounds).await,
            flashes(Arc::new(SharedFlash::new(db.clone())), rounds).await,
        ),
    ];
    for (store, (api, login), flash) in rows {
        println!(
            "shared state {store}: api check p50={:.1} p99={:.1} µs; login check p50={:.1} p99={:.1} µs; flash put+take p50={:.1} p99={:.1} µs",
            api.0, api.1, login.0, login.1, flash.0, flash.1
        );
    }
    Ok(())
}
