//! Reading authorities of the national referential (public data).

use leptos::prelude::*;

use crate::dto::{AuthorityResults, AuthorityView};
use crate::error::AppError;

pub const LOOKUP_PER_PAGE: u64 = 20;
pub const LOOKUP_MAX_LEN: usize = 100;

/// The authority with this public identifier, or `None` when there is none.
#[server(endpoint = "get_authority")]
pub async fn get_authority(public_id: String) -> Result<Option<AuthorityView>, AppError> {
    if public_id.len() > 32 {
        return Ok(None);
    }
    let state = super::state()?;
    let detail = domain::authorities::get_detail(&state.db, &public_id).await?;
    Ok(detail.map(convert::detail))
}

/// Authorities by name, postcode, COG code or SIREN, one page at a time.
#[server(endpoint = "find_authorities")]
pub async fn find_authorities(query: String, page: u64) -> Result<AuthorityResults, AppError> {
    let query = query.trim().to_string();
    if query.chars().count() > LOOKUP_MAX_LEN {
        return Err(AppError::Invalid(format!(
            "La recherche est trop longue ({LOOKUP_MAX_LEN} caractères au plus)."
        )));
    }
    let page = page.clamp(1, 10_000);
    let state = super::state()?;
    let found = domain::authorities::lookup(&state.db, &query, page, LOOKUP_PER_PAGE).await?;
    Ok(AuthorityResults {
        query,
        page,
        per_page: LOOKUP_PER_PAGE,
        total: found.total,
        items: found.items.into_iter().map(convert::link).collect(),
    })
}

#[cfg(feature = "ssr")]
pub(crate) mod convert {
    use chrono::Datelike;
    use domain::authorities::{AuthorityDetail, AuthorityRef};
    use domain::referential::AuthorityKind;

    use crate::dto::{AuthorityKindView, AuthorityLink, AuthorityView};

    pub fn kind(kind: AuthorityKind) -> AuthorityKindView {
        match kind {
            AuthorityKind::Commune => AuthorityKindView::Commune,
            AuthorityKind::Epci => AuthorityKindView::Epci,
            AuthorityKind::Departement => AuthorityKindView::Departement,
            AuthorityKind::Region => AuthorityKindView::Region,
        }
    }

    pub fn link(r: AuthorityRef) -> AuthorityLink {
        AuthorityLink {
            public_id: r.public_id,
            name: r.name,
            kind: kind(r.kind),
            epci_type: r.epci_type,
            departement_code: r.departement_code,
            population: r.population,
        }
    }

    pub fn detail(d: AuthorityDetail) -> AuthorityView {
        AuthorityView {
            authority: link(d.summary),
            siren: d.siren,
            cog_code: d.cog_code,
            postcodes: d.postcodes,
            departement: d.departement.map(link),
            region: d.region.map(link),
            epci: d.epci.map(link),
            children: d.children.into_iter().map(link).collect(),
            is_member: d.is_member,
            member_since: d.member_since.map(|date| date.year()),
            label_level: d.label_level,
            label_year: d.label_year,
        }
    }
}
