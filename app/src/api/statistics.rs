//! The network's figures and maps (public: counts only, never a person).

use leptos::prelude::*;

use crate::dto::{MapView, StatisticsView};
use crate::error::AppError;

#[cfg(feature = "ssr")]
mod convert {
    use crate::dto::{CountView, MapAreaView, MapView, OutlineView};

    pub fn counts(list: Vec<domain::statistics::Count>) -> Vec<CountView> {
        list.into_iter()
            .map(|c| CountView {
                key: c.key,
                label: c.label,
                count: c.count,
            })
            .collect()
    }

    pub fn map(map: domain::map::Map) -> MapView {
        MapView {
            view_box: map.view_box,
            areas: map
                .areas
                .into_iter()
                .map(|a| MapAreaView {
                    outline: match a.outline {
                        domain::map::Outline::Path(p) => OutlineView::Path(p),
                        domain::map::Outline::Inset(b) => OutlineView::Inset(b),
                    },
                    code: a.code,
                    name: a.name,
                    count: a.count,
                    shade: a.shade,
                })
                .collect(),
            legend: map.legend,
            credit: domain::map::CREDIT.to_string(),
        }
    }
}

#[server(endpoint = "get_statistics")]
pub async fn get_statistics() -> Result<StatisticsView, AppError> {
    // Public figures: no authorization needed.
    let state = super::state()?;
    let s = domain::statistics::compute(&state.db).await?;
    let by_departement = s
        .authorities_by_departement
        .iter()
        .map(|c| (c.key.clone(), c.count))
        .collect();
    Ok(StatisticsView {
        member_authorities: s.member_authorities,
        members: s.members,
        active_authorities: s.active_authorities,
        declarations: s.declarations,
        authorities_by_kind: convert::counts(s.authorities_by_kind),
        authorities_by_region: convert::counts(s.authorities_by_region),
        declarations_by_status: convert::counts(s.declarations_by_status),
        top_tools: convert::counts(s.top_tools),
        top_tools_by_category: s
            .top_tools_by_category
            .into_iter()
            .map(|c| crate::dto::CategoryTopView {
                key: c.key,
                label: c.label,
                tools: convert::counts(c.tools),
            })
            .collect(),
        adoption_by_year: convert::counts(s.adoption_by_year),
        free_share: convert::counts(s.free_share),
        freshness: convert::counts(s.freshness),
        map: convert::map(domain::map::shaded(&by_departement)),
    })
}

/// Where a tool is in use: authorities by département. `None` for an unknown slug.
#[server(endpoint = "software_map")]
pub async fn software_map(slug: String) -> Result<Option<MapView>, AppError> {
    // Public figures: no authorization needed.
    if slug.len() > 120 {
        return Ok(None);
    }
    let state = super::state()?;
    let counts = state
        .catalogue
        .map_counts(&state.db, &slug, |id| {
            domain::statistics::tool_by_departement(&state.db, id)
        })
        .await?;
    Ok(counts
        .as_ref()
        .as_ref()
        .map(|c| convert::map(domain::map::shaded(c))))
}
