//! The authorities peers are drawn from, as bitsets: every authority with at least one
//! declaration, by kind, région, population band and EPCI, and each tool's authorities in
//! use and abandoned. Built once from search documents (the embedded engine's snapshot, or
//! documents read from the database for Meilisearch) and then only read: a peers page is
//! set algebra over it, never a scan of the declarations.

use std::collections::HashMap;
use std::sync::Arc;

use crate::search::AuthorityDoc;
use crate::search::bitset::Bitset;
use model::usage::UsageStatus;

/// One tool and the authorities (ordinals) that run it or left it.
#[derive(Debug)]
pub struct ToolSets {
    pub slug: String,
    pub name: String,
    pub in_use: Bitset,
    pub abandoned: Bitset,
}

#[derive(Debug, Default)]
pub struct Universe {
    /// The authorities with a declaration, by key; an ordinal is an index here.
    pub(super) docs: Vec<Arc<AuthorityDoc>>,
    pub(super) kind: HashMap<String, Bitset>,
    pub(super) region: HashMap<String, Bitset>,
    pub(super) band: HashMap<String, Bitset>,
    pub(super) epci: HashMap<u64, Bitset>,
    pub(super) tools: Vec<ToolSets>,
}

impl Universe {
    /// The universe of these documents (those without any tool are left out: a peer that
    /// declared nothing teaches nothing).
    pub fn from_docs<'a>(all: impl IntoIterator<Item = &'a Arc<AuthorityDoc>>) -> Self {
        let mut docs: Vec<Arc<AuthorityDoc>> = all
            .into_iter()
            .filter(|d| !d.tools.is_empty())
            .cloned()
            .collect();
        docs.sort_by_key(|d| d.key);
        let n = docs.len();
        let mut universe = Self::default();
        let mut tool_ids: HashMap<&str, usize> = HashMap::new();
        let in_use = UsageStatus::InUse.as_str();
        let abandoned = UsageStatus::Abandoned.as_str();
        for (ordinal, d) in docs.iter().enumerate() {
            let ordinal = ordinal as u32;
            let add = |map: &mut HashMap<String, Bitset>, value: &str| {
                map.entry(value.to_string())
                    .or_insert_with(|| Bitset::empty(n))
                    .insert(ordinal);
            };
            add(&mut universe.kind, &d.kind);
            add(&mut universe.band, &d.population_band);
            if let Some(region) = &d.region {
                add(&mut universe.region, region);
            }
            if let Some(epci) = d.epci {
                universe
                    .epci
                    .entry(epci)
                    .or_insert_with(|| Bitset::empty(n))
                    .insert(ordinal);
            }
            for t in &d.tools {
                let id = *tool_ids.entry(t.slug.as_str()).or_insert_with(|| {
                    universe.tools.push(ToolSets {
                        slug: t.slug.clone(),
                        name: t.name.clone(),
                        in_use: Bitset::empty(n),
                        abandoned: Bitset::empty(n),
                    });
                    universe.tools.len() - 1
                });
                let sets = &mut universe.tools[id];
                if t.status == in_use {
                    sets.in_use.insert(ordinal);
                } else if t.status == abandoned {
                    sets.abandoned.insert(ordinal);
                }
            }
        }
        universe.docs = docs;
        universe
    }

    pub fn len(&self) -> usize {
        self.docs.len()
    }

    pub fn is_empty(&self) -> bool {
        self.docs.is_empty()
    }

    pub(super) fn ordinal(&self, key: u64) -> Option<u32> {
        self.docs
            .binary_search_by_key(&key, |d| d.key)
            .ok()
            .map(|i| i as u32)
    }

    /// A copy of `set`, or the empty set of this universe.
    pub(super) fn or_empty(&self, set: Option<&Bitset>) -> Bitset {
        set.cloned().unwrap_or_else(|| Bitset::empty(self.len()))
    }
}
