//! Throttling of sensitive attempts (login, sign-up, reset) per key: an account's email
//! or a client IP. Memory stays bounded whatever clients post: a refused attempt records
//! nothing, long keys are kept as digests, aged keys are swept on a timer.
//! A sliding window kept in memory: it protects one instance; several instances each apply
//! the limit.

use std::collections::{HashMap, VecDeque};
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Most keys held at once. A refused attempt records nothing, so one client adds at most
/// `max` account keys per window; the cap only bounds a flood from very many clients.
const CAPACITY: usize = 100_000;

#[derive(Debug)]
pub struct Throttle {
    max: u32,
    window: Duration,
    hits: Mutex<Hits>,
}

#[derive(Debug, Default)]
struct Hits {
    by_key: HashMap<String, VecDeque<Instant>>,
    swept: Option<Instant>,
}

/// The stored form of a key: short keys as they are, long ones (an account part is
/// whatever was typed, checked later) by their digest, so no key holds more than a
/// hundred bytes whatever a client posts.
fn stored_key(key: &str) -> String {
    if key.len() <= 100 {
        key.to_string()
    } else {
        format!("digest:{}", super::token::digest(key))
    }
}

impl Throttle {
    pub fn new(max: u32, window: Duration) -> Self {
        Self {
            max,
            window,
            hits: Mutex::new(Hits::default()),
        }
    }

    /// Records an attempt under every key; `Err(seconds)` says how long to wait when any
    /// key is over its limit (the attempt is then not recorded, under any key).
    pub fn check(&self, keys: &[String]) -> Result<(), u64> {
        self.check_at(keys, Instant::now())
    }

    /// Forgets the attempts under these keys (a successful login clears its counter).
    pub fn reset(&self, keys: &[String]) {
        let mut hits = self.lock();
        for key in keys {
            hits.by_key.remove(&stored_key(key));
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Hits> {
        self.hits
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    fn check_at(&self, keys: &[String], now: Instant) -> Result<(), u64> {
        let mut hits = self.lock();
        // Every tenth of a window, keys whose attempts have all aged out go.
        if hits
            .swept
            .is_none_or(|at| now.duration_since(at) >= self.window / 10)
        {
            let window = self.window;
            hits.by_key
                .retain(|_, q| q.back().is_some_and(|t| now.duration_since(*t) < window));
            hits.swept = Some(now);
        }
        let keys: Vec<String> = keys.iter().map(|k| stored_key(k)).collect();
        let mut wait = Duration::ZERO;
        for key in &keys {
            let Some(queue) = hits.by_key.get_mut(key) else {
                continue;
            };
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
            if !hits.by_key.contains_key(&key) && hits.by_key.len() >= CAPACITY {
                // Full of live keys (a flood from very many clients): drop one to stay
                // bounded rather than grow.
                if let Some(victim) = hits.by_key.keys().next().cloned() {
                    hits.by_key.remove(&victim);
                }
            }
            hits.by_key.entry(key).or_default().push_back(now);
        }
        Ok(())
    }

    /// Keys held now (for the memory tests).
    pub fn len(&self) -> usize {
        self.lock().by_key.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
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

    #[test]
    fn a_refusal_records_nothing_and_long_keys_are_digested() {
        let t = Throttle::new(1, Duration::from_secs(60));
        let start = Instant::now();
        let ip = "login:ip:1.2.3.4".to_string();
        assert!(t.check_at(std::slice::from_ref(&ip), start).is_ok());
        for n in 0..1000 {
            let account = format!("login:account:{}{n}@x.fr", "a".repeat(100_000));
            assert!(t.check_at(&[ip.clone(), account], start).is_err());
        }
        assert_eq!(t.len(), 1, "the refused attempts left no key");
        let long = format!("login:account:{}", "b".repeat(100_000));
        assert!(t.check_at(std::slice::from_ref(&long), start).is_ok());
        assert!(
            t.check_at(&[long], start).is_err(),
            "digested keys still count"
        );
        let held: usize = t.lock().by_key.keys().map(String::len).sum();
        assert!(held < 200, "{held} bytes of keys");
    }

    #[test]
    fn aged_keys_are_swept_on_a_timer() {
        let t = Throttle::new(3, Duration::from_secs(60));
        let start = Instant::now();
        for n in 0..50 {
            assert!(t.check_at(&[format!("k{n}")], start).is_ok());
        }
        assert_eq!(t.len(), 50);
        assert!(
            t.check_at(&["other".into()], start + Duration::from_secs(61))
                .is_ok()
        );
        assert_eq!(t.len(), 1, "only the fresh key is left");
    }
}
