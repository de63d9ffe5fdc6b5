//! Search by tool used (and by authority name), through the configured engine.

use leptos::prelude::*;

use model::search::SearchParams;

use crate::dto::SearchView;
use crate::error::AppError;

#[server(endpoint = "search")]
pub async fn search(params: SearchParams) -> Result<SearchView, AppError> {
    let state = super::state()?;
    let query = domain::search::SearchQuery::try_from(&params)?;
    let results = state.search.search(&query).await.map_err(|e| {
        tracing::error!(error = %e, "search failed");
        AppError::Internal
    })?;
    let suggestions = if results.total == 0 {
        domain::catalogue::query::close_names(&state.db, &query.q, 5).await?
    } else {
        Vec::new()
    };
    let labels = state.labels.get(&state.db).await?;
    Ok(convert::view(labels, results, suggestions))
}

#[cfg(feature = "ssr")]
pub mod convert {
    use std::collections::{BTreeMap, HashMap};

    use domain::search::SearchResults;
    use model::authority::AuthorityKind;

    use crate::dto::{FacetValue, MatchedToolView, SearchHitView, SearchView};
    use crate::format::{epci_type_label, status_label};

    fn kind_name(kind: &str) -> String {
        match AuthorityKind::parse(kind) {
            Some(k) => k.label().to_string(),
            None => epci_type_label(kind).to_string(),
        }
    }

    fn values(map: &BTreeMap<String, u64>, label: impl Fn(&str) -> String) -> Vec<FacetValue> {
        let mut out: Vec<FacetValue> = map
            .iter()
            .map(|(v, c)| FacetValue {
                value: v.clone(),
                label: label(v),
                count: *c,
            })
            .collect();
        out.sort_by(|a, b| b.count.cmp(&a.count).then(a.label.cmp(&b.label)));
        out
    }

    pub fn view(
        labels: &domain::search::labels::FacetLabels,
        r: SearchResults,
        suggestions: Vec<(String, String)>,
    ) -> SearchView {
        let (regions, deps, categories) =
            (&labels.regions, &labels.departements, &labels.categories);
        fn named(names: &HashMap<String, String>) -> impl Fn(&str) -> String + '_ {
            move |code| {
                names
                    .get(code)
                    .map(|n| format!("{n} ({code})"))
                    .unwrap_or_else(|| code.to_string())
            }
        }
        let facets = vec![
            ("kind".to_string(), values(&r.facets.kind, kind_name)),
            (
                "region".to_string(),
                values(&r.facets.region, named(regions)),
            ),
            (
                "departement".to_string(),
                values(&r.facets.departement, named(deps)),
            ),
            (
                "population".to_string(),
                values(&r.facets.population, |b| {
                    model::population::label(b).to_string()
                }),
            ),
            (
                "category".to_string(),
                values(&r.facets.category, |c| {
                    categories.get(c).cloned().unwrap_or_else(|| c.to_string())
                }),
            ),
            (
                "status".to_string(),
                values(&r.facets.status, |s| status_label(s).to_string()),
            ),
            (
                "member".to_string(),
                values(&r.facets.member, |m| {
                    if m == "true" {
                        "Membres du réseau".into()
                    } else {
                        "Non membres".into()
                    }
                }),
            ),
            (
                "label".to_string(),
                values(&r.facets.label, |l| {
                    let n = l.parse::<usize>().unwrap_or(0).min(5);
                    format!("Label {}", "@".repeat(n))
                }),
            ),
        ];
        SearchView {
            total: r.total,
            page: r.page,
            per_page: r.per_page,
            hits: r
                .hits
                .into_iter()
                .map(|h| SearchHitView {
                    kind_label: kind_name(&h.kind),
                    id: h.id,
                    name: h.name,
                    departement: h.departement,
                    departement_name: h.departement_name,
                    region_name: h.region_name,
                    population: h.population,
                    is_member: h.is_member,
                    label_level: h.label_level,
                    matched_tools: h
                        .matched_tools
                        .into_iter()
                        // The index holds the codes Pairs wrote; an unknown one is skipped.
                        .filter_map(|t| {
                            Some(MatchedToolView {
                                status: model::usage::UsageStatus::parse(&t.status)?,
                                slug: t.slug,
                                name: t.name,
                            })
                        })
                        .collect(),
                    contactable_members: h.contactable_members,
                })
                .collect(),
            facets,
            processing_time_ms: r.processing_time_ms,
            suggestions,
        }
    }
}

/// Catalogue names for what is being typed (suggestions of the search boxes).
#[server(endpoint = "suggest_software")]
pub async fn suggest_software(query: String) -> Result<Vec<(String, String)>, AppError> {
    if query.chars().count() > 100 {
        return Ok(Vec::new());
    }
    let state = super::state()?;
    let found = state
        .search
        .suggest_software(&query, 6)
        .await
        .map_err(|e| {
            tracing::error!(error = %e, "suggestions failed");
            AppError::Internal
        })?;
    Ok(found.into_iter().map(|s| (s.slug, s.name)).collect())
}
