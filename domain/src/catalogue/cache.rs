//! The catalogue as its public pages read it, kept per process: the categories with their
//! approved entries and counts, each software page's public part and each tool's
//! counts per département. Those pages used to read hundreds of rows per request for
//! data that changes only through declarations and moderation.
//!
//! Every read first asks the database for a stamp, in one statement: the newest job's id
//! (each change of declarations, and each merge or rejection, enqueues an index job in
//! its own transaction, whichever process makes it) and the number of approved entries
//! (approval changes it without a job). A stamp that moved empties the cache. Entries also
//! expire after `TTL`, for what changes without either (a catalogue seed run by another
//! process; on PostgreSQL, a job id taken before a later one but committed after it).

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use sea_orm::{ConnectionTrait, Statement};

use super::query::{self, Catalogue, CategoryGroup, Lookup};
use crate::error::DomainResult;

/// How long an entry serves at most, even when the stamp did not move.
pub const TTL: Duration = Duration::from_secs(60);
/// Software pages and maps kept at most; past it they are read afresh (the catalogue
/// holds a few hundred entries: a full cache means slugs that do not exist).
const MAX_PAGES: usize = 1024;

/// What the stamp reads: (newest job id, approved entries).
type Stamp = (i64, i64);

#[derive(Debug, Default)]
pub struct Cache {
    state: Mutex<State>,
}

#[derive(Debug, Default)]
struct State {
    stamp: Option<(Stamp, Instant)>,
    catalogue: Option<Arc<Catalogue>>,
    pages: HashMap<String, Arc<Lookup>>,
    maps: HashMap<String, Arc<Option<HashMap<String, u64>>>>,
}

impl State {
    /// Empties the cache when the stamp moved or the entries are too old.
    fn align(&mut self, stamp: Stamp) {
        let fresh = self
            .stamp
            .is_some_and(|(s, at)| s == stamp && at.elapsed() < TTL);
        if !fresh {
            *self = State {
                stamp: Some((stamp, Instant::now())),
                ..State::default()
            };
        }
    }

    /// Whether what was read under `stamp` may be kept.
    fn current(&self, stamp: Stamp) -> bool {
        self.stamp.is_some_and(|(s, _)| s == stamp)
    }
}

async fn stamp(db: &impl ConnectionTrait) -> DomainResult<Stamp> {
    let backend = db.get_database_backend();
    let approved = model::software::SoftwareStatus::Approved.as_str();
    // A constant word of our own in the SQL: nothing a user typed.
    let sql = format!(
        "SELECT (SELECT COALESCE(MAX(id), 0) FROM jobs) AS jobs, \
         (SELECT COUNT(*) FROM software WHERE status = '{approved}') AS approved"
    );
    let row = db
        .query_one_raw(Statement::from_string(backend, sql))
        .await?;
    Ok(match row {
        Some(r) => (r.try_get("", "jobs")?, r.try_get("", "approved")?),
        None => (0, 0),
    })
}

impl Cache {
    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        // A panic while holding the lock leaves plain data behind: still usable.
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The approved entries by category, filtered as `query::by_category` does.
    pub async fn groups(
        &self,
        db: &impl ConnectionTrait,
        filter: &str,
    ) -> DomainResult<Vec<CategoryGroup>> {
        let stamp = stamp(db).await?;
        let cached = {
            let mut state = self.lock();
            state.align(stamp);
            state.catalogue.clone()
        };
        let catalogue = match cached {
            Some(c) => c,
            None => {
                let c = Arc::new(query::load(db, false).await?);
                let mut state = self.lock();
                if state.current(stamp) {
                    state.catalogue = Some(c.clone());
                }
                c
            }
        };
        Ok(catalogue.groups(filter))
    }

    /// A software page as `query::detail` reads it; referents, which change with people's
    /// accounts rather than with declarations, are read afresh for members.
    pub async fn detail(
        &self,
        db: &impl ConnectionTrait,
        slug: &str,
        viewer_is_member: bool,
    ) -> DomainResult<Lookup> {
        let stamp = stamp(db).await?;
        let cached = {
            let mut state = self.lock();
            state.align(stamp);
            state.pages.get(slug).cloned()
        };
        let public = match cached {
            Some(p) => p,
            None => {
                let p = Arc::new(query::detail(db, slug, false).await?);
                let mut state = self.lock();
                // An unknown slug is not kept: anyone can ask for any number of them.
                if state.current(stamp)
                    && !matches!(*p, Lookup::NotFound)
                    && state.pages.len() < MAX_PAGES
                {
                    state.pages.insert(slug.to_string(), p.clone());
                }
                p
            }
        };
        let mut lookup = (*public).clone();
        if viewer_is_member && let Lookup::Found(d) = &mut lookup {
            d.referents = query::referents(db, d.id).await?;
        }
        Ok(lookup)
    }

    /// A tool's counts per département, as `count` reads them from its row id (`None`: no
    /// entry with this slug). The reading is the caller's, so that the catalogue does not
    /// depend on the statistics, which depend on it.
    pub async fn map_counts<F, Fut>(
        &self,
        db: &impl ConnectionTrait,
        slug: &str,
        count: F,
    ) -> DomainResult<Arc<Option<HashMap<String, u64>>>>
    where
        F: FnOnce(i32) -> Fut,
        Fut: std::future::Future<Output = DomainResult<HashMap<String, u64>>>,
    {
        let stamp = stamp(db).await?;
        let cached = {
            let mut state = self.lock();
            state.align(stamp);
            state.maps.get(slug).cloned()
        };
        if let Some(counts) = cached {
            return Ok(counts);
        }
        let counts = Arc::new(match query::find_by_slug(db, slug).await? {
            Some(s) => Some(count(s.id).await?),
            None => None,
        });
        let mut state = self.lock();
        if state.current(stamp) && counts.is_some() && state.maps.len() < MAX_PAGES {
            state.maps.insert(slug.to_string(), counts.clone());
        }
        Ok(counts)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_moved_stamp_empties_the_cache_and_the_same_one_keeps_it() {
        let mut state = State::default();
        state.align((1, 10));
        state.maps.insert("glpi".into(), Arc::new(None));
        state.align((1, 10));
        assert_eq!(state.maps.len(), 1, "same stamp: kept");
        assert!(state.current((1, 10)) && !state.current((2, 10)));
        state.align((2, 10));
        assert!(state.maps.is_empty(), "a new job: emptied");
        state.maps.insert("glpi".into(), Arc::new(None));
        state.align((2, 11));
        assert!(state.maps.is_empty(), "an approval: emptied");
    }

    #[test]
    fn entries_older_than_the_ttl_are_read_again() {
        let mut state = State::default();
        state.align((1, 1));
        state.maps.insert("glpi".into(), Arc::new(None));
        let old = Instant::now().checked_sub(TTL + Duration::from_secs(1));
        state.stamp = old.map(|at| ((1, 1), at));
        state.align((1, 1));
        assert!(state.maps.is_empty());
    }
}
