//! The embedded engine's published state: authorities as ordinals, tools and filters as
//! bitsets, query words resolved once against two small lexicons (tool words, identity
//! words). A search is a few ANDs and ORs of bitsets, facet counts are popcounts, and the
//! page is a partial sort of precomputed ranks; nothing is re-matched per document.
//!
//! Meaning is `results::reference` (the straightforward scan kept as the reference): a
//! document matches when each query word is found in its identity or in one of its tools;
//! the tools a search is about are those matching every word; category and status filters
//! and facets apply to those tools (to all of them without words).

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use super::bitset::Bitset;
use super::lexicon::{Lexicon, MatchKind, Probe};
use super::{AuthorityDoc, Facets, SearchQuery, SearchResults};
use crate::text::words;
use model::search::Sort;

/// Where a tool word comes from: its name weighs more than its aliases, similar names and
/// the category words it carries itself, which weigh more than the rest of its category
/// (Meilisearch's searchable attributes are in the same order).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Field {
    Name,
    Related,
    Category,
}

/// Relevance weights: tool name 4, identity 3, related 2, category only 1; exact 4,
/// prefix 2, typo 1 (integers, multiplied).
fn weight(field: Option<Field>, kind: MatchKind) -> u32 {
    let field = match field {
        Some(Field::Name) => 4,
        None => 3,
        Some(Field::Related) => 2,
        Some(Field::Category) => 1,
    };
    let kind = match kind {
        MatchKind::Exact => 4,
        MatchKind::Prefix => 2,
        MatchKind::Typo => 1,
    };
    field * kind
}

/// The identity words (names, postcodes, codes) of every authority: they change only when
/// the referential does, so a snapshot built after a declaration reuses them.
#[derive(Debug)]
pub struct IdentityIndex {
    lexicon: Lexicon,
    /// Word id -> ordinals having that word.
    postings: Vec<Vec<u32>>,
    len: usize,
}

impl IdentityIndex {
    fn build(docs: &[Arc<AuthorityDoc>]) -> Self {
        let mut pairs: Vec<(&str, u32)> = Vec::new();
        let computed: Vec<Vec<String>> = docs
            .iter()
            .map(|d| {
                if d.identity_words.is_empty() {
                    words(&d.identity_text())
                } else {
                    Vec::new()
                }
            })
            .collect();
        for (ordinal, d) in docs.iter().enumerate() {
            let list = if d.identity_words.is_empty() {
                &computed[ordinal]
            } else {
                &d.identity_words
            };
            pairs.extend(list.iter().map(|w| (w.as_str(), ordinal as u32)));
        }
        pairs.sort_unstable();
        pairs.dedup();
        let mut distinct: Vec<&str> = Vec::new();
        let mut postings: Vec<Vec<u32>> = Vec::new();
        for (w, ordinal) in pairs {
            if distinct.last() != Some(&w) {
                distinct.push(w);
                postings.push(Vec::new());
            }
            if let Some(p) = postings.last_mut() {
                p.push(ordinal);
            }
        }
        // The lexicon sorts the same distinct words the same way: ids equal positions.
        let lexicon = Lexicon::new(distinct.iter().copied());
        Self {
            lexicon,
            postings,
            len: docs.len(),
        }
    }
}

#[derive(Debug)]
struct Tool {
    category: Option<u16>,
    all: Bitset,
    /// Per status index.
    by_status: Vec<Bitset>,
}

/// One facet: its values, each authority's value, and each value's authorities.
#[derive(Debug, Default)]
struct Facet {
    values: Vec<String>,
    sets: Vec<Bitset>,
    /// Ordinal -> index in `values` (`NONE` without a value), to count small results.
    column: Vec<u16>,
}

const NONE: u16 = u16::MAX;

impl Facet {
    fn build<'a>(n: usize, value_of: impl Fn(usize) -> Option<&'a str>) -> Self {
        let mut index: HashMap<&str, usize> = HashMap::new();
        let mut f = Facet {
            column: vec![NONE; n],
            ..Facet::default()
        };
        for ordinal in 0..n {
            if let Some(v) = value_of(ordinal) {
                let i = *index.entry(v).or_insert_with(|| {
                    f.values.push(v.to_string());
                    f.sets.push(Bitset::empty(n));
                    f.values.len() - 1
                });
                f.sets[i].insert(ordinal as u32);
                f.column[ordinal] = i as u16;
            }
        }
        f
    }

    fn set(&self, value: &str) -> Option<&Bitset> {
        self.values
            .iter()
            .position(|v| v == value)
            .map(|i| &self.sets[i])
    }

    fn to_map(&self, counts: &[u64]) -> BTreeMap<String, u64> {
        self.values
            .iter()
            .zip(counts)
            .filter(|(_, n)| **n > 0)
            .map(|(v, n)| (v.clone(), *n))
            .collect()
    }
}

/// Counts of the six authority facets over `result` (`size` members). Per facet, the
/// cheaper way: one pass over the result's members reading each one's value (cost grows
/// with the result), or a popcount of the result with each value's set (cost grows with the
/// number of values); the passes share one walk over the result.
fn count_facets(facets: [&Facet; 6], result: &Bitset, size: u64) -> [BTreeMap<String, u64>; 6] {
    let words = result.word_count() as u64;
    let walk = facets.map(|f| size * 2 < f.values.len() as u64 * words);
    let mut counts: [Vec<u64>; 6] = facets.map(|f| vec![0; f.values.len()]);
    if walk.iter().any(|w| *w) {
        for o in result.iter() {
            for (i, f) in facets.iter().enumerate() {
                if walk[i]
                    && let Some(c) = counts[i].get_mut(f.column[o as usize] as usize)
                {
                    *c += 1;
                }
            }
        }
    }
    for (i, f) in facets.iter().enumerate() {
        if !walk[i] {
            for (c, set) in counts[i].iter_mut().zip(&f.sets) {
                *c = result.and_count(set);
            }
        }
    }
    let mut maps = facets.map(|_| BTreeMap::new());
    for (i, f) in facets.iter().enumerate() {
        maps[i] = f.to_map(&counts[i]);
    }
    maps
}

/// Orders of the authorities for each sort: `order[rank] = ordinal`, `rank[ordinal]`.
#[derive(Debug, Default)]
struct Order {
    order: Vec<u32>,
    rank: Vec<u32>,
}

impl Order {
    fn build(n: usize, cmp: impl Fn(usize, usize) -> std::cmp::Ordering) -> Self {
        let mut order: Vec<u32> = (0..n as u32).collect();
        order.sort_by(|a, b| cmp(*a as usize, *b as usize));
        let mut rank = vec![0; n];
        for (r, o) in order.iter().enumerate() {
            rank[*o as usize] = r as u32;
        }
        Self { order, rank }
    }
}

#[derive(Debug)]
pub struct Snapshot {
    docs: Vec<Arc<AuthorityDoc>>,
    identity: Arc<IdentityIndex>,
    tool_lexicon: Lexicon,
    /// Tool-lexicon word id -> (tool, field) using it.
    tool_uses: Vec<Vec<(u16, Field)>>,
    tool_ids: HashMap<String, u16>,
    tools: Vec<Tool>,
    categories: Vec<String>,
    statuses: Vec<String>,
    has_category: Vec<Bitset>,
    has_status: Vec<Bitset>,
    /// `[category][status]`: a tool of that category in that status.
    category_status: Vec<Vec<Bitset>>,
    kind: Facet,
    region: Facet,
    departement: Facet,
    population: Facet,
    member: Facet,
    label: Facet,
    relevance: Order,
    population_order: Order,
    name_order: Order,
    /// The facets of every authority (browsing without words or filters).
    all_facets: Facets,
    /// « Vos pairs »' bitsets over these documents, built at the first peers page.
    peers: std::sync::OnceLock<Arc<crate::peers::Universe>>,
}

/// What one query word finds.
struct WordMatch {
    /// Tools with their best weight, best first.
    tools: Vec<(u16, u32)>,
    /// Authorities whose identity has the word exactly, as a prefix, with typos.
    identity: Option<[Bitset; 3]>,
    /// Every authority the word finds.
    all: Bitset,
}

fn intern(list: &mut Vec<String>, value: &str) -> u16 {
    match list.iter().position(|v| v == value) {
        Some(i) => i as u16,
        None => {
            list.push(value.to_string());
            (list.len() - 1) as u16
        }
    }
}

impl Snapshot {
    /// Builds the snapshot of these documents; `identity` is reused when the caller knows
    /// the authorities and their identities are unchanged (same keys, same order).
    pub fn build(mut docs: Vec<Arc<AuthorityDoc>>, identity: Option<Arc<IdentityIndex>>) -> Self {
        docs.sort_by_key(|d| d.key);
        let n = docs.len();
        let identity = identity
            .filter(|i| i.len == n)
            .unwrap_or_else(|| Arc::new(IdentityIndex::build(&docs)));

        let mut tool_ids: HashMap<String, u16> = HashMap::new();
        let mut tools: Vec<Tool> = Vec::new();
        let mut categories: Vec<String> = Vec::new();
        let mut statuses: Vec<String> = Vec::new();
        let mut tool_words: Vec<(String, u16, Field)> = Vec::new();
        let mut declared: Vec<(u16, u16, u32)> = Vec::new();
        for (ordinal, d) in docs.iter().enumerate() {
            for t in &d.tools {
                let id = match tool_ids.get(&t.slug) {
                    Some(id) => *id,
                    None => {
                        let id = tools.len() as u16;
                        tool_ids.insert(t.slug.clone(), id);
                        tools.push(Tool {
                            category: t.category.as_deref().map(|c| intern(&mut categories, c)),
                            all: Bitset::empty(n),
                            by_status: Vec::new(),
                        });
                        for w in words(&t.name) {
                            tool_words.push((w, id, Field::Name));
                        }
                        for text in t.aliases.iter().chain(&t.similar).chain(&t.keywords) {
                            for w in words(text) {
                                tool_words.push((w, id, Field::Related));
                            }
                        }
                        for w in t.category_name.iter().flat_map(|c| words(c)) {
                            tool_words.push((w, id, Field::Category));
                        }
                        id
                    }
                };
                declared.push((id, intern(&mut statuses, &t.status), ordinal as u32));
            }
        }
        let empty_by_status = || vec![Bitset::empty(n); statuses.len()];
        let mut has_category = vec![Bitset::empty(n); categories.len()];
        let mut has_status = empty_by_status();
        let mut category_status = vec![empty_by_status(); categories.len()];
        for tool in &mut tools {
            tool.by_status = empty_by_status();
        }
        for (id, status, ordinal) in declared {
            let tool = &mut tools[id as usize];
            tool.all.insert(ordinal);
            tool.by_status[status as usize].insert(ordinal);
            has_status[status as usize].insert(ordinal);
            if let Some(c) = tool.category {
                has_category[c as usize].insert(ordinal);
                category_status[c as usize][status as usize].insert(ordinal);
            }
        }
        let tool_lexicon = Lexicon::new(tool_words.iter().map(|(w, _, _)| w.as_str()));
        let mut tool_uses: Vec<Vec<(u16, Field)>> = vec![Vec::new(); tool_lexicon.len()];
        for (w, id, field) in &tool_words {
            if let Some(word) = tool_lexicon.id(w) {
                let uses = &mut tool_uses[word as usize];
                if !uses.contains(&(*id, *field)) {
                    uses.push((*id, *field));
                }
            }
        }

        let labels: Vec<Option<String>> = docs
            .iter()
            .map(|d| d.label_level.map(|l| l.to_string()))
            .collect();
        let folded: Vec<String> = docs.iter().map(|d| crate::text::fold(&d.name)).collect();
        let d = &docs;
        let mut snapshot = Self {
            kind: Facet::build(n, |o| Some(d[o].kind.as_str())),
            region: Facet::build(n, |o| d[o].region.as_deref()),
            departement: Facet::build(n, |o| d[o].departement.as_deref()),
            population: Facet::build(n, |o| Some(d[o].population_band.as_str())),
            member: Facet::build(n, |o| Some(if d[o].is_member { "true" } else { "false" })),
            label: Facet::build(n, |o| labels[o].as_deref()),
            relevance: Order::build(n, |a, b| {
                d[b].is_member
                    .cmp(&d[a].is_member)
                    .then(d[b].population.cmp(&d[a].population))
                    .then(d[a].key.cmp(&d[b].key))
            }),
            population_order: Order::build(n, |a, b| {
                d[b].population
                    .cmp(&d[a].population)
                    .then(d[a].key.cmp(&d[b].key))
            }),
            name_order: Order::build(n, |a, b| {
                folded[a].cmp(&folded[b]).then(d[a].key.cmp(&d[b].key))
            }),
            docs,
            identity,
            tool_lexicon,
            tool_uses,
            tool_ids,
            tools,
            categories,
            statuses,
            has_category,
            has_status,
            category_status,
            all_facets: Facets::default(),
            peers: std::sync::OnceLock::new(),
        };
        snapshot.all_facets = snapshot.facets(&Bitset::full(n), n as u64, None);
        snapshot
    }

    pub fn len(&self) -> usize {
        self.docs.len()
    }

    pub fn is_empty(&self) -> bool {
        self.docs.is_empty()
    }

    pub fn docs(&self) -> &[Arc<AuthorityDoc>] {
        &self.docs
    }

    pub fn identity(&self) -> &Arc<IdentityIndex> {
        &self.identity
    }

    /// The peers universe of these documents, built once per snapshot.
    pub fn peer_universe(&self) -> Arc<crate::peers::Universe> {
        self.peers
            .get_or_init(|| Arc::new(crate::peers::Universe::from_docs(&self.docs)))
            .clone()
    }

    fn match_word(&self, word: &str, found: &mut Vec<(u32, MatchKind)>) -> WordMatch {
        let n = self.docs.len();
        let mut tools: Vec<(u16, u32)> = Vec::new();
        let probe = Probe::new(word);
        self.tool_lexicon.matches(&probe, found);
        for (id, kind) in found.iter() {
            for (tool, field) in &self.tool_uses[*id as usize] {
                let w = weight(Some(*field), *kind);
                match tools.iter_mut().find(|(t, _)| t == tool) {
                    Some((_, best)) => *best = (*best).max(w),
                    None => tools.push((*tool, w)),
                }
            }
        }
        tools.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        let mut all = Bitset::empty(n);
        for (t, _) in &tools {
            all.or_with(&self.tools[*t as usize].all);
        }
        self.identity.lexicon.matches(&probe, found);
        let identity = (!found.is_empty()).then(|| {
            let mut by_kind = [Bitset::empty(n), Bitset::empty(n), Bitset::empty(n)];
            for (id, kind) in found.iter() {
                let set = &mut by_kind[match kind {
                    MatchKind::Exact => 0,
                    MatchKind::Prefix => 1,
                    MatchKind::Typo => 2,
                }];
                for ordinal in &self.identity.postings[*id as usize] {
                    set.insert(*ordinal);
                }
            }
            for set in &by_kind {
                all.or_with(set);
            }
            by_kind
        });
        WordMatch {
            tools,
            identity,
            all,
        }
    }

    /// Authorities with a tool among `tools` (all tools when `None`) of that category and
    /// status.
    fn tool_filter(
        &self,
        tools: Option<&[u16]>,
        category: Option<&str>,
        status: Option<&str>,
    ) -> Bitset {
        let n = self.docs.len();
        let category = match category {
            None => None,
            Some(c) => match self.categories.iter().position(|v| v == c) {
                Some(i) => Some(i as u16),
                None => return Bitset::empty(n),
            },
        };
        let status = match status {
            None => None,
            Some(s) => match self.statuses.iter().position(|v| v == s) {
                Some(i) => Some(i),
                None => return Bitset::empty(n),
            },
        };
        match tools {
            None => match (category, status) {
                (Some(c), Some(s)) => self.category_status[c as usize][s].clone(),
                (Some(c), None) => self.has_category[c as usize].clone(),
                (None, Some(s)) => self.has_status[s].clone(),
                (None, None) => Bitset::full(n),
            },
            Some(tools) => {
                let mut set = Bitset::empty(n);
                for t in tools {
                    let tool = &self.tools[*t as usize];
                    if category.is_none_or(|c| tool.category == Some(c)) {
                        set.or_with(status.map_or(&tool.all, |s| &tool.by_status[s]));
                    }
                }
                set
            }
        }
    }

    fn facets(&self, result: &Bitset, size: u64, tools: Option<&[u16]>) -> Facets {
        let [kind, region, departement, population, member, label] = count_facets(
            [
                &self.kind,
                &self.region,
                &self.departement,
                &self.population,
                &self.member,
                &self.label,
            ],
            result,
            size,
        );
        let mut facets = Facets {
            kind,
            region,
            departement,
            population,
            member,
            label,
            ..Facets::default()
        };
        self.tool_facets(result, tools, &mut facets);
        facets
    }

    fn tool_facets(&self, result: &Bitset, tools: Option<&[u16]>, facets: &mut Facets) {
        let put = |map: &mut BTreeMap<String, u64>, name: &str, set: &Bitset| {
            let n = result.and_count(set);
            if n > 0 {
                map.insert(name.to_string(), n);
            }
        };
        match tools {
            None => {
                for (c, set) in self.categories.iter().zip(&self.has_category) {
                    put(&mut facets.category, c, set);
                }
                for (s, set) in self.statuses.iter().zip(&self.has_status) {
                    put(&mut facets.status, s, set);
                }
            }
            Some(tools) => {
                let n = self.docs.len();
                for (c, name) in self.categories.iter().enumerate() {
                    let mut set = Bitset::empty(n);
                    let mut any = false;
                    for t in tools.iter().map(|t| &self.tools[*t as usize]) {
                        if t.category == Some(c as u16) {
                            set.or_with(&t.all);
                            any = true;
                        }
                    }
                    if any {
                        put(&mut facets.category, name, &set);
                    }
                }
                for (s, name) in self.statuses.iter().enumerate() {
                    let mut set = Bitset::empty(n);
                    for t in tools {
                        set.or_with(&self.tools[*t as usize].by_status[s]);
                    }
                    put(&mut facets.status, name, &set);
                }
            }
        }
    }

    /// The `count` best ordinals of `result` by `order`, from `offset`.
    fn page_by_rank(
        &self,
        result: &Bitset,
        order: &Order,
        offset: usize,
        count: usize,
    ) -> Vec<u32> {
        let wanted = offset + count;
        let size = result.len() as usize;
        if size * 8 > self.docs.len() {
            // A large result: walking the precomputed order finds the page quickly.
            return order
                .order
                .iter()
                .filter(|o| result.contains(**o))
                .skip(offset)
                .take(count)
                .copied()
                .collect();
        }
        let mut ranks: Vec<u32> = result.iter().map(|o| order.rank[o as usize]).collect();
        if wanted < ranks.len() {
            ranks.select_nth_unstable(wanted);
            ranks.truncate(wanted);
        }
        ranks.sort_unstable();
        ranks
            .into_iter()
            .skip(offset)
            .map(|r| order.order[r as usize])
            .collect()
    }

    fn page_by_score(
        &self,
        result: &Bitset,
        matches: &[WordMatch],
        offset: usize,
        count: usize,
    ) -> Vec<u32> {
        let wanted = offset + count;
        let mut keys: Vec<u64> = result
            .iter()
            .map(|o| {
                let score: u32 = matches.iter().map(|m| self.score(m, o)).sum();
                (u64::from(u32::MAX - score) << 32) | u64::from(self.relevance.rank[o as usize])
            })
            .collect();
        if wanted < keys.len() {
            keys.select_nth_unstable(wanted);
            keys.truncate(wanted);
        }
        keys.sort_unstable();
        keys.into_iter()
            .skip(offset)
            .map(|k| self.relevance.order[(k & u64::from(u32::MAX)) as usize])
            .collect()
    }

    /// The best weight a word earns for one authority.
    fn score(&self, m: &WordMatch, ordinal: u32) -> u32 {
        let tool = m
            .tools
            .iter()
            .find(|(t, _)| self.tools[*t as usize].all.contains(ordinal))
            .map_or(0, |(_, w)| *w);
        let identity = m.identity.as_ref().map_or(0, |[exact, prefix, typo]| {
            if exact.contains(ordinal) {
                weight(None, MatchKind::Exact)
            } else if prefix.contains(ordinal) {
                weight(None, MatchKind::Prefix)
            } else if typo.contains(ordinal) {
                weight(None, MatchKind::Typo)
            } else {
                0
            }
        });
        tool.max(identity)
    }

    pub fn search(&self, query: &SearchQuery) -> SearchResults {
        let n = self.docs.len();
        let query_words = words(&query.q);
        let mut result = Bitset::full(n);
        let mut matches: Vec<WordMatch> = Vec::with_capacity(query_words.len());
        let mut found = Vec::new();
        for w in &query_words {
            let m = self.match_word(w, &mut found);
            result.and_with(&m.all);
            matches.push(m);
        }
        // The tools the search is about: those every word finds.
        let relevant: Option<Vec<u16>> = matches.split_first().map(|(first, rest)| {
            first
                .tools
                .iter()
                .map(|(t, _)| *t)
                .filter(|t| rest.iter().all(|m| m.tools.iter().any(|(u, _)| u == t)))
                .collect()
        });
        let empty = Bitset::empty(n);
        for (facet, value) in [
            (&self.kind, query.kind.as_deref()),
            (&self.region, query.region.as_deref()),
            (&self.departement, query.departement.as_deref()),
            (&self.population, query.population_band.as_deref()),
        ] {
            if let Some(v) = value {
                result.and_with(facet.set(v).unwrap_or(&empty));
            }
        }
        if let Some(m) = query.member {
            result.and_with(
                self.member
                    .set(if m { "true" } else { "false" })
                    .unwrap_or(&empty),
            );
        }
        if let Some(l) = query.label {
            result.and_with(self.label.set(&l.to_string()).unwrap_or(&empty));
        }
        let tool_filter = query.category.is_some() || query.status.is_some();
        if tool_filter {
            result.and_with(&self.tool_filter(
                relevant.as_deref(),
                query.category.as_deref(),
                query.status.as_deref(),
            ));
        }

        let total = result.len();
        let unfiltered = query_words.is_empty() && !tool_filter && total == n as u64;
        let facets = if unfiltered {
            // Browsing everything: the counts of the whole snapshot, computed once.
            self.all_facets.clone()
        } else {
            self.facets(&result, total, relevant.as_deref())
        };

        let (offset, count) = (query.offset(), query.per_page as usize);
        let page = match (query.sort, query_words.is_empty()) {
            (Sort::Relevance, false) => self.page_by_score(&result, &matches, offset, count),
            (Sort::Relevance, true) => self.page_by_rank(&result, &self.relevance, offset, count),
            (Sort::Population, _) => {
                self.page_by_rank(&result, &self.population_order, offset, count)
            }
            (Sort::Name, _) => self.page_by_rank(&result, &self.name_order, offset, count),
        };
        let relevant_slugs: Vec<u16> = relevant.clone().unwrap_or_default();
        let is_relevant = |t: &super::ToolDoc| -> bool {
            if query_words.is_empty() {
                tool_filter
                    && query
                        .category
                        .as_ref()
                        .is_none_or(|c| t.category.as_ref() == Some(c))
                    && query.status.as_ref().is_none_or(|s| &t.status == s)
            } else {
                self.tool_ids
                    .get(&t.slug)
                    .is_some_and(|id| relevant_slugs.contains(id))
            }
        };
        SearchResults {
            total,
            page: query.page,
            per_page: query.per_page,
            hits: page
                .into_iter()
                .map(|o| {
                    let doc = &self.docs[o as usize];
                    super::results::hit_with(doc, doc.tools.iter().filter(|t| is_relevant(t)))
                })
                .collect(),
            facets,
            processing_time_ms: 0.0,
            engine: String::new(),
        }
    }
}

#[cfg(test)]
mod tests {
    //! The snapshot against the reference scan, on random authorities and random queries.

    use std::collections::BTreeSet;

    use proptest::prelude::*;

    use super::*;
    use crate::search::ToolDoc;
    use crate::search::results::reference;

    /// (slug, name, aliases, category): names that collide on purpose (prefixes, shared
    /// words, typos apart).
    const CATALOGUE: [(&str, &str, &[&str], Option<&str>); 10] = [
        (
            "nextcloud",
            "Nextcloud",
            &["owncloud"],
            Some("collaboration"),
        ),
        (
            "nextcloud-talk",
            "Nextcloud Talk",
            &["teams"],
            Some("collaboration"),
        ),
        (
            "libreoffice",
            "LibreOffice",
            &["office"],
            Some("bureautique"),
        ),
        (
            "openoffice",
            "Apache OpenOffice",
            &["office"],
            Some("bureautique"),
        ),
        ("glpi", "GLPI", &[], Some("parc")),
        ("qgis", "QGIS", &["gis"], Some("sig")),
        ("lizmap", "Lizmap", &[], Some("sig")),
        ("opencimetiere", "openCimetière", &["cimetieres"], None),
        ("odoo", "Odoo", &["openerp"], Some("gestion")),
        (
            "mattermost",
            "Mattermost",
            &["teams"],
            Some("collaboration"),
        ),
    ];
    const STATUSES: [&str; 4] = ["in_use", "evaluating", "planned", "abandoned"];
    const NAME_WORDS: [&str; 10] = [
        "Saint",
        "Sainte",
        "Marseille",
        "Istres",
        "Fos",
        "sur",
        "Mer",
        "Aix",
        "Nexon",
        "Glénic",
    ];
    const QUERY_WORDS: [&str; 24] = [
        "nextcloud",
        "nexcloud",
        "nextlcoud",
        "next",
        "talk",
        "office",
        "ofice",
        "libre",
        "glpi",
        "gis",
        "qgis",
        "openerp",
        "teams",
        "cimetiere",
        "collaboration",
        "sig",
        "saint",
        "sai",
        "marseile",
        "istres",
        "13001",
        "130",
        "fos",
        "zzz",
    ];

    fn tool(i: usize, status: usize) -> ToolDoc {
        let (slug, name, aliases, category) = CATALOGUE[i];
        ToolDoc {
            slug: slug.into(),
            name: name.into(),
            aliases: aliases.iter().map(|a| a.to_string()).collect(),
            similar: Vec::new(),
            category: category.map(str::to_string),
            category_name: category.map(|c| format!("Catégorie {c}")),
            keywords: Vec::new(),
            status: STATUSES[status].into(),
            replaced_by: None,
            words: Vec::new(),
        }
    }

    prop_compose! {
        fn authority(key: u64)(
            name in proptest::collection::vec(0..NAME_WORDS.len(), 1..3),
            postcode in 13000u32..13010,
            kind in 0..3usize,
            departement in proptest::option::of(0..3usize),
            population in proptest::option::of(0i64..200_000),
            is_member in any::<bool>(),
            label in proptest::option::of(1i16..=5),
            tools in proptest::collection::btree_map(0..CATALOGUE.len(), 0..STATUSES.len(), 0..4),
        ) -> AuthorityDoc {
            let departement = departement.map(|d| ["13", "2A", "75"][d].to_string());
            AuthorityDoc {
                key,
                id: format!("a-{key}"),
                name: name.iter().map(|i| NAME_WORDS[*i]).collect::<Vec<_>>().join(" "),
                kind: ["commune", "epci", "departement"][kind].into(),
                region: departement.as_ref().map(|d| if d == "75" { "11".into() } else { "93".into() }),
                departement,
                departement_name: None,
                region_name: None,
                population,
                population_band: model::population::band(population).into(),
                is_member,
                label_level: label,
                postcodes: vec![postcode.to_string()],
                codes: vec![format!("{}", 13000 + key)],
                tools: tools.into_iter().map(|(t, s)| tool(t, s)).collect(),
                epci: None,
            contactable_members: 0,
                identity_words: Vec::new(),
            }
            .prepare()
        }
    }

    fn authorities() -> impl Strategy<Value = Vec<AuthorityDoc>> {
        (0usize..40).prop_flat_map(|n| (0..n as u64).map(authority).collect::<Vec<_>>())
    }

    prop_compose! {
        fn query()(
            q in proptest::collection::vec(0..QUERY_WORDS.len(), 0..3),
            kind in proptest::option::of(prop_oneof![Just("commune"), Just("epci")]),
            departement in proptest::option::of(prop_oneof![Just("13"), Just("75"), Just("974")]),
            category in proptest::option::of(prop_oneof![Just("collaboration"), Just("sig"), Just("inconnue")]),
            status in proptest::option::of(0..STATUSES.len()),
            member in proptest::option::of(any::<bool>()),
            label in proptest::option::of(1i16..=5),
            sort in prop_oneof![Just(Sort::Relevance), Just(Sort::Population), Just(Sort::Name)],
            page in 1u64..4,
            per_page in 1u64..8,
        ) -> SearchQuery {
            SearchQuery {
                q: q.iter().map(|i| QUERY_WORDS[*i]).collect::<Vec<_>>().join(" "),
                kind: kind.map(str::to_string),
                region: None,
                departement: departement.map(str::to_string),
                population_band: None,
                category: category.map(str::to_string),
                status: status.map(|s| STATUSES[s].to_string()),
                member,
                label,
                sort,
                page,
                per_page,
            }
        }
    }

    fn matched(r: &SearchResults) -> BTreeSet<(String, Vec<(String, String)>)> {
        r.hits
            .iter()
            .map(|h| {
                let mut tools: Vec<(String, String)> = h
                    .matched_tools
                    .iter()
                    .map(|t| (t.slug.clone(), t.status.clone()))
                    .collect();
                tools.sort();
                (h.id.clone(), tools)
            })
            .collect()
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(400))]
        #[test]
        fn same_answers_as_the_reference_scan(docs in authorities(), q in query()) {
            let snapshot = Snapshot::build(docs.iter().cloned().map(Arc::new).collect(), None);
            // Whole result on one page: same authorities, matched tools and facets.
            let whole = SearchQuery { page: 1, per_page: 100, ..q.clone() };
            let (fast, slow) = (snapshot.search(&whole), reference(&docs, &whole));
            prop_assert_eq!(fast.total, slow.total);
            prop_assert_eq!(matched(&fast), matched(&slow));
            prop_assert_eq!(&fast.facets, &slow.facets);
            // Sorted by population or name, the same page in the same order.
            if q.sort != Sort::Relevance {
                let (fast, slow) = (snapshot.search(&q), reference(&docs, &q));
                let ids = |r: &SearchResults| r.hits.iter().map(|h| h.id.clone()).collect::<Vec<_>>();
                prop_assert_eq!(ids(&fast), ids(&slow));
            }
        }
    }

    #[test]
    fn relevance_prefers_a_tool_name_to_an_alias_and_members_on_ties() {
        let doc = |key: u64, tools: Vec<ToolDoc>, is_member: bool| {
            AuthorityDoc {
                key,
                id: format!("a-{key}"),
                name: format!("Commune {key}"),
                kind: "commune".into(),
                departement: None,
                departement_name: None,
                region: None,
                region_name: None,
                population: Some(100),
                population_band: "0-999".into(),
                is_member,
                label_level: None,
                postcodes: Vec::new(),
                codes: Vec::new(),
                tools,
                epci: None,
                contactable_members: 0,
                identity_words: Vec::new(),
            }
            .prepare()
        };
        // "office": an alias of LibreOffice, a word of nothing's name; "libreoffice": a name.
        let docs = vec![
            doc(1, vec![tool(2, 0)], false),
            doc(2, vec![tool(2, 0)], true),
            doc(3, vec![tool(7, 0)], true),
        ];
        let snapshot = Snapshot::build(docs.into_iter().map(Arc::new).collect(), None);
        let q = |q: &str| SearchQuery {
            q: q.into(),
            page: 1,
            per_page: 10,
            ..Default::default()
        };
        let ids = |r: SearchResults| r.hits.into_iter().map(|h| h.id).collect::<Vec<_>>();
        assert_eq!(ids(snapshot.search(&q("libreoffice"))), vec!["a-2", "a-1"]);
        assert_eq!(ids(snapshot.search(&q("cimetieres"))), vec!["a-3"]);

        // « élections »: a tool whose own texts say it ranks above one that only shares
        // the category, though the latter's authority wins every tie (a member).
        let civil = |slug: &str, keywords: &[&str]| ToolDoc {
            slug: slug.into(),
            name: slug.into(),
            category: Some("etat-civil-elections".into()),
            category_name: Some("État civil et élections".into()),
            keywords: keywords.iter().map(|k| k.to_string()).collect(),
            ..tool(0, 0)
        };
        let docs = vec![
            doc(1, vec![civil("openrecensement", &[])], true),
            doc(2, vec![civil("melodie", &["elections"])], false),
        ];
        let snapshot = Snapshot::build(docs.into_iter().map(Arc::new).collect(), None);
        assert_eq!(ids(snapshot.search(&q("élections"))), vec!["a-2", "a-1"]);
        assert_eq!(ids(snapshot.search(&q("etat civil"))), vec!["a-1", "a-2"]);
    }
}
