//! Throttling of sensitive attempts (login, sign-up, reset) per key: an account's email
//! or a client IP. A sliding window kept in memory: it protects one instance; several
//! instances each apply the limit.

use std::collections::{HashMap, VecDeque};
use std::sync::Mutex;
use std::time::{Duration, Instant};

#[derive(Debug)]
pub struct Throttle {
    max: u32,
    window: Duration,
    hits: Mutex<HashMap<String, VecDeque<Instant>>>,
}

impl Throttle {
    pub fn new(max: u32, window: Duration) -> Self {
        Self {
            max,
            window,
            hits: Mutex::new(HashMap::new()),
        }
    }

    /// Records an attempt under every key; `Err(seconds)` says how long to wait when any
    /// key is over its limit (the attempt is then not recorded).
    pub fn check(&self, keys: &[String]) -> Result<(), u64> {
        self.check_at(keys, Instant::now())
    }

    /// Forgets the attempts under these keys (a successful login clears its counters).
    pub fn reset(&self, keys: &[String]) {
        let mut hits = self
            .hits
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        for key in keys {
            hits.remove(key);
        }
    }

    fn check_at(&self, keys: &[String], now: Instant) -> Result<(), u64> {
        let mut hits = self
            .hits
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        let mut wait = Duration::ZERO;
        for key in keys {
            let queue = hits.entry(key.clone()).or_default();
            while queue
                .front()
                .is_some_and(|t| now.duration_since(*t) >= self.window)
            {
                queue.pop_front();
            }
            if queue.len() as u32 >= self.max
                && let Some(oldest) = queue.front()
            {
                wait = wait.max(self.window - now.duration_since(*oldest));
            }
        }
        if !wait.is_zero() {
            return Err(wait.as_secs().max(1));
        }
        for key in keys {
            hits.entry(key.clone()).or_default().push_back(now);
        }
        // Keep memory bounded: forget keys whose window has passed.
        if hits.len() > 10_000 {
            hits.retain(|_, q| {
                q.back()
                    .is_some_and(|t| now.duration_since(*t) < self.window)
            });
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_after_the_limit_and_lifts_after_the_window() {
        let t = Throttle::new(3, Duration::from_secs(60));
        let keys = vec!["ip:1.2.3.4".to_string()];
        let start = Instant::now();
        for _ in 0..3 {
            assert!(t.check_at(&keys, start).is_ok());
        }
        let wait = t
            .check_at(&keys, start + Duration::from_secs(10))
            .expect_err("blocked");
        assert_eq!(wait, 50);
        assert!(
            t.check_at(&["ip:5.6.7.8".to_string()], start).is_ok(),
            "other keys unaffected"
        );
        assert!(
            t.check_at(&keys, start + Duration::from_secs(61)).is_ok(),
            "lifted"
        );
    }
}
