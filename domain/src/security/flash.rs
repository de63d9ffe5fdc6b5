//! What a refused form leaves for the page it returns to: the French message and the
//! values typed, so nothing is lost. Kept in memory under a random token that only the
//! browser's cookie holds, read once, gone after a few minutes: no email, name or token
//! ever travels in a URL, and a crafted link cannot make a page show an alert. Like the
//! throttle it protects one instance; behind a load balancer, keep a member on one
//! instance (sticky sessions) or accept that a refused form may come back empty. Bounded
//! in entries and in bytes; a value longer than any field allows is not kept.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};

/// The cookie that holds a flash's token.
pub const COOKIE: &str = "pairs_flash";
/// How long a flash waits for its page.
pub const LIFETIME: Duration = Duration::from_secs(300);
/// Most flashes held at once, and most bytes they may hold together; beyond either the
/// oldest are dropped (a flood of refused forms cannot grow memory without bound).
const CAPACITY: usize = 10_000;
const BUDGET_BYTES: usize = 8 * 1024 * 1024;
/// A typed value longer than any form field allows is not kept (the form comes back
/// without it): the longest field, a contact message, is far shorter.
pub const MAX_VALUE_BYTES: usize = 16 * 1024;

/// The `Set-Cookie` value that hands a flash's token to the browser.
pub fn cookie(token: &str, secure: bool) -> String {
    let secure = if secure { "; Secure" } else { "" };
    let max_age = LIFETIME.as_secs();
    format!("{COOKIE}={token}; Path=/; HttpOnly; SameSite=Lax; Max-Age={max_age}{secure}")
}

/// The `Set-Cookie` value that clears it once its page has shown it.
pub fn clearing_cookie(secure: bool) -> String {
    let secure = if secure { "; Secure" } else { "" };
    format!("{COOKIE}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0{secure}")
}

/// One refused form: the page it returns to, the message, the values to put back.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Flash {
    /// The path (no query) of the page that shows it; other pages ignore it.
    pub path: String,
    pub error: String,
    pub values: Vec<(String, String)>,
}

impl Flash {
    /// Bytes this flash holds.
    fn size(&self) -> usize {
        self.path.len()
            + self.error.len()
            + self
                .values
                .iter()
                .map(|(k, v)| k.len() + v.len())
                .sum::<usize>()
    }

    /// The value kept under `name`, or empty.
    pub fn value(&self, name: &str) -> String {
        self.values
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    }
}

#[derive(Debug, Default)]
pub struct FlashStore {
    entries: Mutex<HashMap<String, (Instant, Flash)>>,
}

impl FlashStore {
    /// Keeps `flash` and returns the token for the browser's cookie.
    pub fn put(&self, flash: Flash) -> String {
        self.put_at(flash, Instant::now())
    }

    /// The flash under `token`, removed: a page shows it once.
    pub fn take(&self, token: &str) -> Option<Flash> {
        self.take_at(token, Instant::now())
    }

    fn put_at(&self, mut flash: Flash, now: Instant) -> String {
        let (token, _) = super::token::generate();
        flash
            .values
            .retain(|(k, v)| k.len() + v.len() <= MAX_VALUE_BYTES);
        flash.path.truncate(flash.path.len().min(MAX_VALUE_BYTES));
        let mut entries = self.lock();
        entries.retain(|_, (at, _)| now.duration_since(*at) < LIFETIME);
        let mut bytes: usize = entries.values().map(|(_, f)| f.size()).sum();
        if entries.len() >= CAPACITY || bytes + flash.size() > BUDGET_BYTES {
            let mut ages: Vec<(Instant, String)> = entries
                .iter()
                .map(|(k, (at, _))| (*at, k.clone()))
                .collect();
            ages.sort();
            for (_, key) in ages {
                if entries.len() < CAPACITY && bytes + flash.size() <= BUDGET_BYTES {
                    break;
                }
                if let Some((_, gone)) = entries.remove(&key) {
                    bytes -= gone.size();
                }
            }
        }
        entries.insert(token.clone(), (now, flash));
        token
    }

    /// Bytes held now (for the memory tests).
    pub fn bytes(&self) -> usize {
        self.lock().values().map(|(_, f)| f.size()).sum()
    }

    fn take_at(&self, token: &str, now: Instant) -> Option<Flash> {
        let (at, flash) = self.lock().remove(token)?;
        (now.duration_since(at) < LIFETIME).then_some(flash)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, (Instant, Flash)>> {
        self.entries
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn flash(error: &str) -> Flash {
        Flash {
            path: "/connexion".into(),
            error: error.into(),
            values: vec![("email".into(), "a@b.fr".into())],
        }
    }

    #[test]
    fn a_flash_is_read_once() {
        let store = FlashStore::default();
        let token = store.put(flash("Mot de passe incorrect."));
        let got = store.take(&token).expect("kept");
        assert_eq!(got.error, "Mot de passe incorrect.");
        assert_eq!(got.value("email"), "a@b.fr");
        assert_eq!(got.value("nom"), "");
        assert_eq!(store.take(&token), None, "a second read finds nothing");
        assert_eq!(store.take("forged"), None);
    }

    #[test]
    fn a_flash_expires() {
        let store = FlashStore::default();
        let start = Instant::now();
        let token = store.put_at(flash("x"), start);
        assert_eq!(store.take_at(&token, start + LIFETIME), None);
    }

    #[test]
    fn the_store_is_bounded() {
        let store = FlashStore::default();
        let start = Instant::now();
        let first = store.put_at(flash("first"), start);
        for i in 0..CAPACITY {
            store.put_at(flash("more"), start + Duration::from_millis(i as u64 + 1));
        }
        assert_eq!(store.lock().len(), CAPACITY);
        assert_eq!(store.take_at(&first, start), None, "the oldest went first");
    }

    #[test]
    fn the_store_is_bounded_in_bytes_and_drops_oversized_values() {
        let store = FlashStore::default();
        let start = Instant::now();
        let mut last = String::new();
        for i in 0..2_000 {
            let mut big = flash("Trop de tentatives");
            big.values = vec![
                ("email".into(), "x".repeat(100_000)),
                ("nom".into(), "y".repeat(10_000)),
            ];
            last = store.put_at(big, start + Duration::from_millis(i));
        }
        assert!(store.bytes() <= BUDGET_BYTES, "{} bytes", store.bytes());
        let kept = store.take_at(&last, start).expect("the newest is kept");
        assert_eq!(
            kept.value("email"),
            "",
            "a value no field allows is dropped"
        );
        assert_eq!(kept.value("nom").len(), 10_000);
    }
}
