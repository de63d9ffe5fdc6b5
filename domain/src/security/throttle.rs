//! Throttling of sensitive attempts (login, sign-up, reset, emailed links) per key: an
//! account's email, a client address, a token's digest. The limit (`PAIRS_THROTTLE_MAX`
//! attempts at once, the credit coming back over `PAIRS_THROTTLE_WINDOW_SECONDS`) is kept in
//! a [`LimitStore`](super::limits::LimitStore): in memory for one process, in the database
//! when several processes serve, so the limit is one limit whichever process answers.

use std::sync::Arc;
use std::time::{Duration, SystemTime};

use super::limits::{LimitStore, Rule};

#[derive(Debug, Clone)]
pub struct Throttle {
    store: Arc<dyn LimitStore>,
    rule: Rule,
}

impl Throttle {
    pub fn new(store: Arc<dyn LimitStore>, max: u32, window: Duration) -> Self {
        Self {
            store,
            rule: Rule::per_window(max, window),
        }
    }

    /// Records an attempt under every key; `Err(seconds)` says how long to wait when any
    /// key is over its limit (the attempt is then not recorded, under any key).
    pub async fn check(&self, keys: &[String]) -> Result<(), u64> {
        self.check_at(keys, SystemTime::now()).await
    }

    pub async fn check_at(&self, keys: &[String], now: SystemTime) -> Result<(), u64> {
        self.store
            .admit(keys, self.rule, now)
            .await
            .map_err(|wait| wait.as_secs() + u64::from(wait.subsec_nanos() > 0))
    }

    /// Forgets the attempts under these keys (a successful login clears its counter).
    pub async fn reset(&self, keys: &[String]) {
        self.store.forget(keys).await
    }

    /// Keys held now (for the memory tests).
    pub async fn held(&self) -> u64 {
        self.store.held().await
    }
}

#[cfg(test)]
mod tests {
    use super::super::limits::MemoryLimits;
    use super::*;

    #[tokio::test]
    async fn blocks_after_the_limit_and_lifts_as_credit_comes_back() {
        let t = Throttle::new(
            Arc::new(MemoryLimits::default()),
            3,
            Duration::from_secs(60),
        );
        let keys = vec!["ip:1.2.3.4".to_string()];
        let start = SystemTime::now();
        for _ in 0..3 {
            assert!(t.check_at(&keys, start).await.is_ok());
        }
        let wait = t
            .check_at(&keys, start + Duration::from_secs(10))
            .await
            .expect_err("blocked");
        assert_eq!(
            wait, 10,
            "one attempt's credit is back 20 s after the burst"
        );
        assert!(t.check_at(&["ip:5.6.7.8".to_string()], start).await.is_ok());
        t.reset(&keys).await;
        assert!(t.check_at(&keys, start).await.is_ok(), "reset lifts it");
    }
}
