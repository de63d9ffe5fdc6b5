//! What a refused form leaves for the page it returns to: the French message and the
//! values typed, so nothing is lost. Kept under a random token that only the browser's
//! cookie holds, read once, gone after a few minutes: no email, name or token ever
//! travels in a URL, and a crafted link cannot make a page show an alert. Two stores
//! behind [`FlashStore`]: [`MemoryFlash`] for one process, [`SharedFlash`] in the database
//! (under the token's digest) when several processes serve, so the page that shows the
//! message may come from another process than the one that refused the form. Bounded in
//! entries and in bytes; a value longer than any field allows is not kept.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use chrono::Utc;
use sea_orm::{ConnectionTrait, DatabaseConnection, DbBackend, Statement};
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

/// Where flashes wait for their page.
#[async_trait::async_trait]
pub trait FlashStore: Send + Sync + std::fmt::Debug {
    /// Keeps `flash` and returns the token for the browser's cookie. A store that cannot
    /// keep it (the database is down) still returns a token: the form comes back empty.
    async fn put(&self, flash: Flash) -> String;

    /// The flash under `token`, removed: a page shows it once.
    async fn take(&self, token: &str) -> Option<Flash>;

    /// Bytes held now (for the memory tests).
    async fn bytes(&self) -> u64;
}

/// What a flash may keep of what was typed: values no field allows go, the path is cut.
fn trimmed(mut flash: Flash) -> Flash {
    flash
        .values
        .retain(|(k, v)| k.len() + v.len() <= MAX_VALUE_BYTES);
    let mut end = flash.path.len().min(MAX_VALUE_BYTES);
    while !flash.path.is_char_boundary(end) {
        end -= 1;
    }
    flash.path.truncate(end);
    flash
}

/// The in-process store.
#[derive(Debug, Default)]
pub struct MemoryFlash {
    entries: Mutex<HashMap<String, (Instant, Flash)>>,
}

#[async_trait::async_trait]
impl FlashStore for MemoryFlash {
    async fn put(&self, flash: Flash) -> String {
        self.put_at(flash, Instant::now())
    }

    async fn take(&self, token: &str) -> Option<Flash> {
        self.take_at(token, Instant::now())
    }

    async fn bytes(&self) -> u64 {
        self.lock().values().map(|(_, f)| f.size()).sum::<usize>() as u64
    }
}

impl MemoryFlash {
    fn put_at(&self, flash: Flash, now: Instant) -> String {
        let (token, _) = super::token::generate();
        let flash = trimmed(flash);
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

/// The store in the database table `flashes`, shared by every process. The table holds
/// the token's digest, never the token: reading the table finds no cookie to replay.
#[derive(Debug, Clone)]
pub struct SharedFlash {
    db: DatabaseConnection,
}

impl SharedFlash {
    pub fn new(db: DatabaseConnection) -> Self {
        Self { db }
    }

    fn statement(&self, sql: &str, values: Vec<sea_orm::Value>) -> Statement {
        crate::sql::numbered(self.db.get_database_backend(), sql, values)
    }

    async fn try_take(&self, token: &str) -> Result<Option<Flash>, sea_orm::DbErr> {
        let stmt = self.statement(
            "DELETE FROM flashes WHERE token_digest = $1 RETURNING path, error, fields, created_at",
            vec![super::token::digest(token).into()],
        );
        let Some(row) = self.db.query_one_raw(stmt).await? else {
            return Ok(None);
        };
        let created: chrono::DateTime<Utc> = row.try_get("", "created_at")?;
        if Utc::now() - created >= lifetime() {
            return Ok(None);
        }
        let fields: String = row.try_get("", "fields")?;
        Ok(Some(Flash {
            path: row.try_get("", "path")?,
            error: row.try_get("", "error")?,
            values: serde_json::from_str(&fields).unwrap_or_default(),
        }))
    }
}

fn lifetime() -> chrono::Duration {
    chrono::Duration::seconds(LIFETIME.as_secs() as i64)
}

#[async_trait::async_trait]
impl FlashStore for SharedFlash {
    async fn put(&self, flash: Flash) -> String {
        let (token, digest) = super::token::generate();
        let flash = trimmed(flash);
        let fields = serde_json::to_string(&flash.values).unwrap_or_else(|_| "[]".into());
        let stmt = self.statement(
            "INSERT INTO flashes (token_digest, path, error, fields, created_at) \
             VALUES ($1, $2, $3, $4, $5)",
            vec![
                digest.into(),
                flash.path.into(),
                flash.error.into(),
                fields.into(),
                Utc::now().into(),
            ],
        );
        if let Err(err) = self.db.execute_raw(stmt).await {
            tracing::error!(error = %err, "flash not kept; the form comes back empty");
        }
        token
    }

    async fn take(&self, token: &str) -> Option<Flash> {
        self.try_take(token).await.unwrap_or_else(|err| {
            tracing::error!(error = %err, "flash not read");
            None
        })
    }

    async fn bytes(&self) -> u64 {
        let stmt = self.statement(
            "SELECT COALESCE(SUM(LENGTH(path) + LENGTH(error) + LENGTH(fields)), 0) AS n FROM flashes",
            vec![],
        );
        match self.db.query_one_raw(stmt).await {
            Ok(Some(row)) => row.try_get::<i64>("", "n").unwrap_or(0) as u64,
            _ => 0,
        }
    }
}

/// Deletes the flashes past their lifetime, then the oldest beyond the store's capacity.
pub async fn sweep_table(
    db: &impl ConnectionTrait,
    now: chrono::DateTime<Utc>,
) -> Result<u64, sea_orm::DbErr> {
    let backend = db.get_database_backend();
    let (expired, beyond) = match backend {
        DbBackend::Postgres => (
            "DELETE FROM flashes WHERE created_at <= $1".to_string(),
            format!("OFFSET {CAPACITY}"),
        ),
        _ => (
            "DELETE FROM flashes WHERE created_at <= ?1".to_string(),
            format!("LIMIT -1 OFFSET {CAPACITY}"),
        ),
    };
    let mut gone = db
        .execute_raw(Statement::from_sql_and_values(
            backend,
            expired,
            [(now - lifetime()).into()],
        ))
        .await?
        .rows_affected();
    gone += db
        .execute_raw(Statement::from_string(
            backend,
            format!(
                "DELETE FROM flashes WHERE token_digest IN \
                 (SELECT token_digest FROM flashes ORDER BY created_at DESC {beyond})"
            ),
        ))
        .await?
        .rows_affected();
    Ok(gone)
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

    #[tokio::test]
    async fn a_flash_is_read_once() {
        let store = MemoryFlash::default();
        let token = store.put(flash("Mot de passe incorrect.")).await;
        let got = store.take(&token).await.expect("kept");
        assert_eq!(got.error, "Mot de passe incorrect.");
        assert_eq!(got.value("email"), "a@b.fr");
        assert_eq!(got.value("nom"), "");
        assert_eq!(
            store.take(&token).await,
            None,
            "a second read finds nothing"
        );
        assert_eq!(store.take("forged").await, None);
    }

    #[test]
    fn a_flash_expires() {
        let store = MemoryFlash::default();
        let start = Instant::now();
        let token = store.put_at(flash("x"), start);
        assert_eq!(store.take_at(&token, start + LIFETIME), None);
    }

    #[test]
    fn the_store_is_bounded() {
        let store = MemoryFlash::default();
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
        let store = MemoryFlash::default();
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
        let bytes = store.lock().values().map(|(_, f)| f.size()).sum::<usize>();
        assert!(bytes <= BUDGET_BYTES, "{bytes} bytes");
        let kept = store.take_at(&last, start).expect("the newest is kept");
        assert_eq!(
            kept.value("email"),
            "",
            "a value no field allows is dropped"
        );
        assert_eq!(kept.value("nom").len(), 10_000);
    }
}
