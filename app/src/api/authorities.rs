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

    use crate::dto::{AuthorityLink, AuthorityView};

    pub fn link(r: AuthorityRef) -> AuthorityLink {
        AuthorityLink {
            public_id: r.public_id,
            name: r.name,
            kind: r.kind,
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
            member_since_date: d
                .member_since
                .map(|date| date.format("%Y-%m-%d").to_string()),
            label_level: d.label_level,
            label_year: d.label_year,
            website: d.website,
            description: d.description,
        }
    }
}

/// Sets an authority's network membership (and since when) and its Villes Internet label
/// (administrators only).
#[server(endpoint = "set_authority_standing")]
pub async fn set_authority_standing(
    authority: String,
    #[server(default)] membre: Option<String>,
    #[server(default)] depuis: Option<String>,
    #[server(default)] label: Option<String>,
    #[server(default)] annee: Option<String>,
) -> Result<(), AppError> {
    let back = format!("/collectivites/{}", crate::format::url_encode(&authority));
    super::session::admin_act(
        &format!("{back}?info=collectivite-modifiee#reseau"),
        &back,
        |state, me, ip| async move {
            let blank =
                |v: Option<String>| v.map(|v| v.trim().to_string()).filter(|v| !v.is_empty());
            let member_since = blank(depuis)
                .map(|d| {
                    chrono::NaiveDate::parse_from_str(&d, "%Y-%m-%d").map_err(|_| {
                        AppError::Invalid(format!(
                            "La date d'adhésion « {d} » n'est pas valide : écrivez-la AAAA-MM-JJ."
                        ))
                    })
                })
                .transpose()?;
            let label_level = blank(label)
                .map(|l| {
                    l.parse::<i16>().map_err(|_| {
                        AppError::Invalid("Le label Villes Internet va de 1 à 5 « @ ».".into())
                    })
                })
                .transpose()?;
            let label_year = blank(annee)
                .map(|y| {
                    y.parse::<i32>().map_err(|_| {
                        AppError::Invalid(format!("L'année du label « {y} » n'est pas valide."))
                    })
                })
                .transpose()?;
            let standing = domain::network::Standing {
                is_member: membre.is_some(),
                member_since,
                label_level,
                label_year,
            };
            domain::network::set_standing(&state.db, &me, &authority, &standing, ip).await?;
            Ok(())
        },
    )
    .await
}

/// Sets the website and short description of an authority (administrators only).
#[server(endpoint = "set_authority_details")]
pub async fn set_authority_details(
    authority: String,
    site: String,
    description: String,
) -> Result<(), AppError> {
    let back = format!("/collectivites/{}", crate::format::url_encode(&authority));
    super::session::admin_act(
        &format!("{back}?info=collectivite-modifiee#reseau"),
        &back,
        |state, me, ip| async move {
            domain::network::set_details(&state.db, &me, &authority, &site, &description, ip)
                .await?;
            Ok(())
        },
    )
    .await
}
