//! Filtering, facet counts, sorting and paging over candidate documents, written as a
//! straightforward scan. It defines what a search means: the embedded engine's snapshot
//! must give the same authorities and counts (a property test holds them together), and
//! Meilisearch hits are shaped by `hit`.

use std::collections::BTreeSet;

use super::matching::tool_matches;
use super::{AuthorityDoc, Facets, Hit, MatchedTool, SearchQuery, SearchResults, ToolDoc};
use model::search::Sort;

/// The tools of a document that the query is about: those matching the words, or without
/// words those meeting the category/status filters.
pub fn relevant_tools<'a>(
    doc: &'a AuthorityDoc,
    query: &SearchQuery,
    words: &[String],
) -> Vec<&'a ToolDoc> {
    doc.tools
        .iter()
        .filter(|t| {
            if words.is_empty() {
                query
                    .category
                    .as_ref()
                    .is_none_or(|c| t.category.as_ref() == Some(c))
                    && query.status.as_ref().is_none_or(|s| &t.status == s)
                    && (query.category.is_some() || query.status.is_some())
            } else {
                tool_matches(t, words)
            }
        })
        .collect()
}

fn passes(doc: &AuthorityDoc, query: &SearchQuery, words: &[String]) -> bool {
    let tool_filter = query.category.is_some() || query.status.is_some();
    query.kind.as_ref().is_none_or(|k| &doc.kind == k)
        && query
            .region
            .as_ref()
            .is_none_or(|r| doc.region.as_ref() == Some(r))
        && query
            .departement
            .as_ref()
            .is_none_or(|d| doc.departement.as_ref() == Some(d))
        && query
            .population_band
            .as_ref()
            .is_none_or(|b| &doc.population_band == b)
        && query.member.is_none_or(|m| doc.is_member == m)
        && query.label.is_none_or(|l| doc.label_level == Some(l))
        && (!tool_filter
            || relevant_tools(doc, query, words).iter().any(|t| {
                query
                    .category
                    .as_ref()
                    .is_none_or(|c| t.category.as_ref() == Some(c))
                    && query.status.as_ref().is_none_or(|s| &t.status == s)
            }))
}

fn bump(map: &mut std::collections::BTreeMap<String, u64>, key: &str) {
    // Allocate the key only the first time it is seen.
    match map.get_mut(key) {
        Some(n) => *n += 1,
        None => {
            map.insert(key.to_string(), 1);
        }
    }
}

fn facets(docs: &[(&AuthorityDoc, f32)], query: &SearchQuery, words: &[String]) -> Facets {
    let mut f = Facets::default();
    for (d, _) in docs {
        bump(&mut f.kind, &d.kind);
        if let Some(r) = &d.region {
            bump(&mut f.region, r);
        }
        if let Some(dep) = &d.departement {
            bump(&mut f.departement, dep);
        }
        bump(&mut f.population, &d.population_band);
        bump(&mut f.member, if d.is_member { "true" } else { "false" });
        if let Some(l) = d.label_level {
            bump(&mut f.label, &l.to_string());
        }
        let tools: Vec<&ToolDoc> = if words.is_empty() {
            d.tools.iter().collect()
        } else {
            relevant_tools(d, query, words)
        };
        let categories: BTreeSet<&str> =
            tools.iter().filter_map(|t| t.category.as_deref()).collect();
        for c in categories {
            bump(&mut f.category, c);
        }
        let statuses: BTreeSet<&str> = tools.iter().map(|t| t.status.as_str()).collect();
        for s in statuses {
            bump(&mut f.status, s);
        }
    }
    f
}

pub fn hit(doc: &AuthorityDoc, query: &SearchQuery, words: &[String]) -> Hit {
    hit_with(doc, relevant_tools(doc, query, words))
}

/// A hit showing these of the document's tools.
pub fn hit_with<'a>(doc: &'a AuthorityDoc, tools: impl IntoIterator<Item = &'a ToolDoc>) -> Hit {
    Hit {
        id: doc.id.clone(),
        name: doc.name.clone(),
        kind: doc.kind.clone(),
        departement: doc.departement.clone(),
        departement_name: doc.departement_name.clone(),
        region: doc.region.clone(),
        region_name: doc.region_name.clone(),
        population: doc.population,
        is_member: doc.is_member,
        label_level: doc.label_level,
        matched_tools: tools
            .into_iter()
            .map(|t| MatchedTool {
                slug: t.slug.clone(),
                name: t.name.clone(),
                status: t.status.clone(),
            })
            .collect(),
        contactable_members: doc.contactable_members,
    }
}

/// Filters, counts facets, sorts and pages `candidates` (document, relevance score).
pub fn finish(
    mut candidates: Vec<(&AuthorityDoc, f32)>,
    query: &SearchQuery,
    words: &[String],
) -> SearchResults {
    candidates.retain(|(d, _)| passes(d, query, words));
    let facets = facets(&candidates, query, words);
    match query.sort {
        Sort::Relevance => candidates.sort_by(|a, b| {
            b.1.total_cmp(&a.1)
                .then(b.0.is_member.cmp(&a.0.is_member))
                .then(b.0.population.cmp(&a.0.population))
                .then(a.0.key.cmp(&b.0.key))
        }),
        Sort::Population => candidates.sort_by(|a, b| {
            b.0.population
                .cmp(&a.0.population)
                .then(a.0.key.cmp(&b.0.key))
        }),
        Sort::Name => candidates.sort_by(|a, b| {
            crate::text::fold(&a.0.name)
                .cmp(&crate::text::fold(&b.0.name))
                .then(a.0.key.cmp(&b.0.key))
        }),
    }
    let total = candidates.len() as u64;
    let hits = candidates
        .iter()
        .skip(query.offset())
        .take(query.per_page as usize)
        .map(|(d, _)| hit(d, query, words))
        .collect();
    SearchResults {
        total,
        page: query.page,
        per_page: query.per_page,
        hits,
        facets,
        processing_time_ms: 0.0,
        engine: String::new(),
    }
}

/// The reference search: every document checked against every word, then `finish`.
/// Relevance is not scored here (all candidates tie), so only sets, counts and the
/// population and name orders are comparable.
pub fn reference(docs: &[AuthorityDoc], query: &SearchQuery) -> SearchResults {
    let words = crate::text::words(&query.q);
    let candidates = docs
        .iter()
        .filter(|d| words.is_empty() || super::matching::doc_matches(d, &words))
        .map(|d| (d, 0.0))
        .collect();
    finish(candidates, query, &words)
}
