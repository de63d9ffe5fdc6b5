//! Configuration from the environment (and an optional `.env` file).
//! Every variable read here is listed in the README with its default.

use std::path::PathBuf;

use crate::error::DomainError;

/// `Debug` hides secrets (passwords in URLs, keys, tokens): configurations end up in logs.
#[derive(Clone)]
pub struct Config {
    /// `PAIRS_DATA_DIR`: where the SQLite file, the search index and mails live.
    pub data_dir: PathBuf,
    /// `DATABASE_URL`: SQLite file in the data dir unless set (postgres://... in production).
    pub database_url: String,
    /// `PAIRS_PUBLIC_URL`: the address users reach, used to build links in emails.
    pub public_url: String,
    /// `LEPTOS_SITE_ADDR`: the socket address the HTTP server binds.
    pub site_addr: String,
    /// `SMTP_URL`: e.g. `smtp://127.0.0.1:2525` or `smtps://user:pass@host`; unset = files.
    pub smtp_url: Option<String>,
    /// `PAIRS_MAIL_DIR`: where the file mailer writes .eml files.
    pub mail_dir: PathBuf,
    /// `PAIRS_MAIL_FROM`: the sender of every email.
    pub mail_from: String,
    /// `PAIRS_SESSION_IDLE_MINUTES`: a session unused this long ends.
    pub session_idle_minutes: i64,
    /// `PAIRS_SESSION_MAX_HOURS`: a session ends this long after login, used or not.
    pub session_max_hours: i64,
    /// `PAIRS_THROTTLE_MAX`: attempts allowed per account and per IP in a window.
    pub throttle_max: u32,
    /// `PAIRS_THROTTLE_WINDOW_SECONDS`: the throttling window.
    pub throttle_window_seconds: u64,
    /// `MEILI_URL`: a Meilisearch server; unset = the embedded engine.
    pub meili_url: Option<String>,
    /// `MEILI_MASTER_KEY` (or `MEILI_API_KEY`, e.g. a scoped key). Never sent to browsers.
    pub meili_key: Option<String>,
    /// `MEILI_INDEX`: the index uid.
    pub meili_index: String,
    /// `PAIRS_SEARCH_CACHE`: search results kept (entries, one second each); 0 = none.
    pub search_cache: usize,
    /// `PAIRS_API_RATE_LIMIT`: requests per minute each client may make to `/api/v1/`
    /// (a minute's worth may come at once); 0 = no limit.
    pub api_rate_limit: u32,
    /// `PAIRS_DB_TIMEOUT_SECONDS`: longest wait to connect to the database or to get a
    /// connection from the pool, so an outage is answered in seconds, not after 30.
    pub db_timeout_seconds: u64,
    /// `PAIRS_METRICS_TOKEN`: bearer token that opens `/metrics` on the site's address.
    pub metrics_token: Option<String>,
    /// `PAIRS_METRICS_ADDR`: a separate address serving `/metrics` only (no token needed).
    pub metrics_addr: Option<String>,
    /// `PAIRS_TRUSTED_PROXIES`: reverse proxies allowed to name the client (addresses or
    /// CIDR ranges); empty = the TCP peer is the client.
    pub trusted_proxies: Vec<crate::security::client::Cidr>,
    /// `PAIRS_CONTACT_SENDER_DAILY`, `PAIRS_CONTACT_RECIPIENT_DAILY`,
    /// `PAIRS_CONTACT_MIN_FILL_SECONDS`: the contact requests' limits.
    pub contact: Limits,
    /// `PAIRS_DRAIN_SECONDS`: after SIGTERM, how long the server keeps serving while
    /// `/healthz` answers 503, so balancers stop sending before it stops accepting.
    pub drain_seconds: u64,
    /// `PAIRS_SHUTDOWN_TIMEOUT_SECONDS`: longest wait for in-flight requests, then for the
    /// worker's pass, once the server stops accepting.
    pub shutdown_timeout_seconds: u64,
}

pub const DEFAULT_SITE_ADDR: &str = "127.0.0.1:3000";

impl Config {
    /// Reads `.env` (if present) then the process environment.
    pub fn from_env() -> Result<Self, DomainError> {
        // A missing .env is the normal case; a malformed one is worth a warning only.
        if let Err(err) = dotenvy::dotenv()
            && !err.not_found()
        {
            tracing::warn!("ignoring unreadable .env file: {err}");
        }
        Self::from_lookup(|key| std::env::var(key).ok())
    }

    /// Builds the configuration from any key lookup (tests pass a map).
    pub fn from_lookup(get: impl Fn(&str) -> Option<String>) -> Result<Self, DomainError> {
        let non_empty = |key: &str| get(key).filter(|v| !v.trim().is_empty());
        let data_dir =
            PathBuf::from(non_empty("PAIRS_DATA_DIR").unwrap_or_else(|| "./data".into()));
        let database_url = match non_empty("DATABASE_URL") {
            Some(url) => url,
            None => {
                let file = data_dir.join("pairs.sqlite");
                let path = file.to_str().ok_or_else(|| {
                    DomainError::Config("PAIRS_DATA_DIR must be valid UTF-8".into())
                })?;
                format!("sqlite://{path}?mode=rwc")
            }
        };
        let site_addr = non_empty("LEPTOS_SITE_ADDR").unwrap_or_else(|| DEFAULT_SITE_ADDR.into());
        let public_url = non_empty("PAIRS_PUBLIC_URL")
            .unwrap_or_else(|| format!("http://{site_addr}"))
            .trim_end_matches('/')
            .to_string();
        if !(public_url.starts_with("http://") || public_url.starts_with("https://")) {
            return Err(DomainError::Config(format!(
                "PAIRS_PUBLIC_URL must start with http:// or https:// (got {public_url})"
            )));
        }
        let number = |key: &str, default: i64| -> Result<i64, DomainError> {
            match non_empty(key) {
                None => Ok(default),
                Some(v) => v
                    .trim()
                    .parse::<i64>()
                    .ok()
                    .filter(|n| *n > 0)
                    .ok_or_else(|| {
                        DomainError::Config(format!(
                            "{key} must be a positive whole number (got {v})"
                        ))
                    }),
            }
        };
        let seconds = |key: &str, default: u64| -> Result<u64, DomainError> {
            match non_empty(key) {
                None => Ok(default),
                Some(v) => v.trim().parse::<u64>().map_err(|_| {
                    DomainError::Config(format!(
                        "{key} must be a whole number of seconds (got {v})"
                    ))
                }),
            }
        };
        let contact = Limits {
            sender_daily: number("PAIRS_CONTACT_SENDER_DAILY", 20)? as u64,
            recipient_daily: number("PAIRS_CONTACT_RECIPIENT_DAILY", 10)? as u64,
            pair_weekly: number("PAIRS_CONTACT_PAIR_WEEKLY", 3)? as u64,
            min_fill_seconds: seconds("PAIRS_CONTACT_MIN_FILL_SECONDS", 3)?,
            question_recipients: number("PAIRS_QUESTION_MAX_RECIPIENTS", 30)? as u64,
            question_daily: number("PAIRS_QUESTION_DAILY", 2)? as u64,
        };
        let mail_dir = non_empty("PAIRS_MAIL_DIR")
            .map(PathBuf::from)
            .unwrap_or_else(|| data_dir.join("mail"));
        Ok(Self {
            smtp_url: non_empty("SMTP_URL"),
            mail_dir,
            mail_from: non_empty("PAIRS_MAIL_FROM")
                .unwrap_or_else(|| "Pairs <ne-pas-repondre@pairs.localhost>".into()),
            session_idle_minutes: number("PAIRS_SESSION_IDLE_MINUTES", 60 * 24 * 7)?,
            session_max_hours: number("PAIRS_SESSION_MAX_HOURS", 24 * 30)?,
            throttle_max: number("PAIRS_THROTTLE_MAX", 10)? as u32,
            throttle_window_seconds: number("PAIRS_THROTTLE_WINDOW_SECONDS", 900)? as u64,
            meili_url: non_empty("MEILI_URL"),
            meili_key: non_empty("MEILI_MASTER_KEY").or_else(|| non_empty("MEILI_API_KEY")),
            meili_index: non_empty("MEILI_INDEX").unwrap_or_else(|| "pairs_authorities".into()),
            search_cache: match non_empty("PAIRS_SEARCH_CACHE") {
                None => 0,
                Some(v) => v.trim().parse::<usize>().map_err(|_| {
                    DomainError::Config(format!(
                        "PAIRS_SEARCH_CACHE must be a whole number of entries (got {v})"
                    ))
                })?,
            },
            // 0 turns the limit off (the benchmarks do), unlike the other counts.
            api_rate_limit: match non_empty("PAIRS_API_RATE_LIMIT") {
                None => 300,
                Some(v) => v.trim().parse::<u32>().map_err(|_| {
                    DomainError::Config(format!(
                        "PAIRS_API_RATE_LIMIT must be a whole number of requests per minute, 0 for no limit (got {v})"
                    ))
                })?,
            },
            db_timeout_seconds: number("PAIRS_DB_TIMEOUT_SECONDS", 3)? as u64,
            metrics_token: non_empty("PAIRS_METRICS_TOKEN"),
            metrics_addr: non_empty("PAIRS_METRICS_ADDR"),
            trusted_proxies: crate::security::client::parse_trusted(
                &non_empty("PAIRS_TRUSTED_PROXIES").unwrap_or_default(),
            )
            .map_err(|bad| {
                DomainError::Config(format!(
                    "PAIRS_TRUSTED_PROXIES: « {bad} » n'est ni une adresse IP ni une plage CIDR"
                ))
            })?,
            contact,
            drain_seconds: seconds("PAIRS_DRAIN_SECONDS", 5)?,
            shutdown_timeout_seconds: seconds("PAIRS_SHUTDOWN_TIMEOUT_SECONDS", 30)?,
            data_dir,
            database_url,
            public_url,
            site_addr,
        })
    }

    /// True when cookies must be `Secure` and `__Host-` prefixed.
    pub fn is_https(&self) -> bool {
        self.public_url.starts_with("https://")
    }

    pub fn is_sqlite(&self) -> bool {
        self.database_url.starts_with("sqlite:")
    }
}

/// `scheme://user:password@host` with the password replaced.
fn redact_url(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_string();
    };
    match rest.split_once('@') {
        Some((credentials, host)) if credentials.contains(':') => {
            let user = credentials.split(':').next().unwrap_or_default();
            format!("{scheme}://{user}:***@{host}")
        }
        _ => url.to_string(),
    }
}

impl std::fmt::Debug for Config {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let hidden = |v: &Option<String>| v.as_ref().map(|_| "***");
        f.debug_struct("Config")
            .field("data_dir", &self.data_dir)
            .field("database_url", &redact_url(&self.database_url))
            .field("public_url", &self.public_url)
            .field("site_addr", &self.site_addr)
            .field("smtp_url", &self.smtp_url.as_deref().map(redact_url))
            .field("mail_dir", &self.mail_dir)
            .field("mail_from", &self.mail_from)
            .field("session_idle_minutes", &self.session_idle_minutes)
            .field("session_max_hours", &self.session_max_hours)
            .field("throttle_max", &self.throttle_max)
            .field("throttle_window_seconds", &self.throttle_window_seconds)
            .field("meili_url", &self.meili_url)
            .field("meili_key", &hidden(&self.meili_key))
            .field("meili_index", &self.meili_index)
            .field("search_cache", &self.search_cache)
            .field("api_rate_limit", &self.api_rate_limit)
            .field("db_timeout_seconds", &self.db_timeout_seconds)
            .field("metrics_token", &hidden(&self.metrics_token))
            .field("metrics_addr", &self.metrics_addr)
            .field("trusted_proxies", &self.trusted_proxies)
            .field("contact", &self.contact)
            .field("drain_seconds", &self.drain_seconds)
            .field("shutdown_timeout_seconds", &self.shutdown_timeout_seconds)
            .finish()
    }
}

/// Contact limits, configurable (see the README for the variables and their defaults).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limits {
    /// Requests one member may send in 24 hours.
    pub sender_daily: u64,
    /// Requests one member may receive in 24 hours (those of senders they blocked aside).
    pub recipient_daily: u64,
    /// Requests one member may send to the same member in 7 days, so one sender cannot
    /// use up a recipient's whole daily quota.
    pub pair_weekly: u64,
    /// A form sent sooner than this after it was shown is refused (bots fill instantly).
    pub min_fill_seconds: u64,
    /// Referents one question may go to at most.
    pub question_recipients: u64,
    /// Questions to many referents one member may ask in 24 hours.
    pub question_daily: u64,
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn config(pairs: &[(&str, &str)]) -> Result<Config, DomainError> {
        let map: HashMap<String, String> = pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        Config::from_lookup(|k| map.get(k).cloned())
    }

    #[test]
    fn defaults_use_sqlite_under_data_dir() {
        let c = config(&[]).expect("defaults are valid");
        assert_eq!(c.data_dir, PathBuf::from("./data"));
        assert_eq!(c.database_url, "sqlite://./data/pairs.sqlite?mode=rwc");
        assert_eq!(c.site_addr, "127.0.0.1:3000");
        assert_eq!(c.public_url, "http://127.0.0.1:3000");
        assert!(c.is_sqlite());
    }

    #[test]
    fn explicit_values_win_and_public_url_loses_trailing_slash() {
        let c = config(&[
            ("PAIRS_DATA_DIR", "/srv/pairs"),
            ("DATABASE_URL", "postgres://localhost/pairs"),
            ("PAIRS_PUBLIC_URL", "https://pairs.example.org/"),
            ("LEPTOS_SITE_ADDR", "0.0.0.0:8080"),
        ])
        .expect("valid");
        assert_eq!(c.database_url, "postgres://localhost/pairs");
        assert_eq!(c.public_url, "https://pairs.example.org");
        assert_eq!(c.site_addr, "0.0.0.0:8080");
        assert!(!c.is_sqlite());
    }

    #[test]
    fn api_rate_limit_accepts_zero_as_no_limit_and_refuses_junk() {
        assert_eq!(config(&[]).expect("defaults").api_rate_limit, 300);
        let off = config(&[("PAIRS_API_RATE_LIMIT", "0")]).expect("0 is no limit");
        assert_eq!(off.api_rate_limit, 0);
        let set = config(&[("PAIRS_API_RATE_LIMIT", " 42 ")]).expect("a number");
        assert_eq!(set.api_rate_limit, 42);
        for bad in ["-1", "beaucoup", "1.5"] {
            assert!(
                config(&[("PAIRS_API_RATE_LIMIT", bad)]).is_err(),
                "{bad} must be refused"
            );
        }
    }

    #[test]
    fn mail_and_session_settings_have_defaults_and_are_validated() {
        let c = config(&[]).expect("defaults");
        assert_eq!(c.mail_dir, PathBuf::from("./data/mail"));
        assert_eq!(c.smtp_url, None);
        assert_eq!(c.session_idle_minutes, 10080);
        assert!(!c.is_https());
        assert!(config(&[("PAIRS_THROTTLE_MAX", "zero")]).is_err());
        assert!(config(&[("PAIRS_SESSION_MAX_HOURS", "-1")]).is_err());
        let c = config(&[
            ("SMTP_URL", "smtp://127.0.0.1:2525"),
            ("PAIRS_PUBLIC_URL", "https://x.fr"),
        ])
        .expect("valid");
        assert_eq!(c.smtp_url.as_deref(), Some("smtp://127.0.0.1:2525"));
        assert!(c.is_https());
    }

    #[test]
    fn contact_limits_have_defaults_and_accept_a_zero_fill_time() {
        let c = config(&[]).expect("defaults");
        assert_eq!(c.contact.sender_daily, 20);
        assert_eq!(c.contact.recipient_daily, 10);
        assert_eq!(c.contact.min_fill_seconds, 3);
        let c = config(&[("PAIRS_CONTACT_MIN_FILL_SECONDS", "0")]).expect("zero");
        assert_eq!(c.contact.min_fill_seconds, 0);
        assert!(config(&[("PAIRS_CONTACT_SENDER_DAILY", "0")]).is_err());
        assert!(config(&[("PAIRS_CONTACT_MIN_FILL_SECONDS", "-2")]).is_err());
    }

    #[test]
    fn rejects_public_url_without_scheme() {
        assert!(config(&[("PAIRS_PUBLIC_URL", "pairs.example.org")]).is_err());
    }

    #[test]
    fn debug_output_hides_secrets() {
        let config = Config::from_lookup(|key| match key {
            "DATABASE_URL" => Some("postgres://pairs:motdepasse-db@db:5432/pairs".into()),
            "SMTP_URL" => Some("smtps://relay:motdepasse-smtp@mail.example:465".into()),
            "MEILI_MASTER_KEY" => Some("cle-meili-secrete".into()),
            "PAIRS_METRICS_TOKEN" => Some("jeton-metriques".into()),
            _ => None,
        })
        .expect("config");
        let shown = format!("{config:?}");
        for secret in [
            "motdepasse-db",
            "motdepasse-smtp",
            "cle-meili-secrete",
            "jeton-metriques",
        ] {
            assert!(!shown.contains(secret), "{secret} in {shown}");
        }
        assert!(
            shown.contains("postgres://pairs:***@db:5432/pairs"),
            "{shown}"
        );
        assert!(
            shown.contains("smtps://relay:***@mail.example:465"),
            "{shown}"
        );
    }
}
