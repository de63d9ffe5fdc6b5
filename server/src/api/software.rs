//! The catalogue: every tool with its identifiers elsewhere and how many authorities
//! declared it, one tool with the authorities that did, and the categories.

use axum::{
    Json,
    extract::{Path, Query, State},
    response::{IntoResponse, Response},
};
use domain::AppState;
use domain::catalogue::query::{self, Entry};
use domain::open_data::{Software, SoftwareRow};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::problem::Problem;

/// Authorities that declared a tool, by status.
#[derive(Serialize, ToSchema)]
pub struct StatusCounts {
    pub in_use: u64,
    pub evaluating: u64,
    pub planned: u64,
    pub abandoned: u64,
}

#[derive(Serialize, ToSchema)]
pub struct SoftwareSummary {
    /// The catalogue identifier, stable (`/logiciels/{slug}` on the site).
    pub slug: String,
    pub name: String,
    /// Category identifier.
    pub category: Option<String>,
    /// Approved by the administrators (false: a member's proposal awaiting review).
    pub approved: bool,
    /// Free (libre) software.
    pub free: bool,
    /// Licence, as an SPDX identifier when there is one.
    pub licence: Option<String>,
    pub website: Option<String>,
    /// Wikidata item (ex. Q698).
    pub wikidata: Option<String>,
    /// Identifier in the State's SILL.
    pub sill: Option<String>,
    /// Identifier on Comptoir du Libre.
    pub comptoir_du_libre: Option<String>,
    pub counts: StatusCounts,
}

fn u(n: i64) -> u64 {
    u64::try_from(n).unwrap_or(0)
}

impl From<SoftwareRow> for SoftwareSummary {
    fn from(r: SoftwareRow) -> Self {
        Self {
            counts: StatusCounts {
                in_use: u(r.en_service),
                evaluating: u(r.en_evaluation),
                planned: u(r.prevu),
                abandoned: u(r.abandonne),
            },
            slug: r.logiciel,
            name: r.nom,
            category: r.categorie,
            approved: r.valide,
            free: r.libre,
            licence: r.licence,
            website: r.site,
            wikidata: r.wikidata,
            sill: r.sill,
            comptoir_du_libre: r.comptoir_du_libre,
        }
    }
}

/// Page-numbered pagination of a list in a stable order.
#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PageParams {
    /// Page number, from 1.
    pub page: Option<u64>,
    /// Items per page, 1 to 200 (default 50).
    pub per_page: Option<u64>,
}

impl PageParams {
    /// (page, per page), checked.
    pub fn checked(&self) -> Result<(u64, u64), Problem> {
        let page = self.page.unwrap_or(1);
        let per_page = self.per_page.unwrap_or(50);
        if page == 0 {
            return Err(Problem::bad_request("Le paramètre « page » commence à 1."));
        }
        if !(1..=200).contains(&per_page) {
            return Err(Problem::bad_request(
                "Le paramètre « per_page » doit être un nombre entre 1 et 200.",
            ));
        }
        Ok((page, per_page))
    }
}

#[derive(Serialize, ToSchema)]
pub struct SoftwarePage {
    pub total: u64,
    pub page: u64,
    pub per_page: u64,
    /// By slug.
    pub items: Vec<SoftwareSummary>,
}

/// The catalogue, by slug, with counts by status.
#[utoipa::path(
    get,
    path = "/api/v1/logiciels",
    tag = "logiciels",
    params(PageParams),
    responses(
        (status = 200, description = "One page of the catalogue", body = SoftwarePage),
        (status = 400, description = "A parameter is invalid", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn list(
    State(state): State<AppState>,
    params: Result<Query<PageParams>, axum::extract::rejection::QueryRejection>,
) -> Response {
    let Ok(Query(params)) = params else {
        return Problem::bad_request("« page » et « per_page » doivent être des nombres.")
            .into_response();
    };
    let (page, per_page) = match params.checked() {
        Ok(p) => p,
        Err(problem) => return problem.into_response(),
    };
    match domain::open_data::software_rows(&state.db).await {
        Ok(rows) => {
            let total = rows.len() as u64;
            let items = rows
                .into_iter()
                .skip(usize::try_from((page - 1) * per_page).unwrap_or(usize::MAX))
                .take(usize::try_from(per_page).unwrap_or(0))
                .map(SoftwareSummary::from)
                .collect();
            Json(SoftwarePage {
                total,
                page,
                per_page,
                items,
            })
            .into_response()
        }
        Err(err) => Problem::unavailable("software list", &err).into_response(),
    }
}

/// An authority that declared the tool.
#[derive(Serialize, ToSchema)]
pub struct Declarant {
    /// Public identifier (`/api/v1/collectivites/{id}`).
    pub id: String,
    pub name: String,
    /// `commune`, `epci`, `departement` or `region`.
    pub kind: String,
    pub departement: Option<String>,
    /// `in_use`, `evaluating`, `planned` or `abandoned`.
    pub status: String,
    /// Year it came into use.
    pub since: Option<i32>,
}

/// A retour d'expérience, signed by its authority (never a person).
#[derive(Serialize, ToSchema)]
pub struct Retour {
    /// The authority's public identifier.
    pub authority: String,
    pub authority_name: String,
    pub text: String,
    /// Last change (YYYY-MM-DD).
    pub updated_on: String,
}

#[derive(Serialize, ToSchema)]
pub struct SoftwareDetail {
    #[serde(flatten)]
    pub summary: SoftwareSummary,
    pub description: String,
    pub aliases: Vec<String>,
    /// Every authority that declared it, by status then name.
    pub authorities: Vec<Declarant>,
    /// The published retours d'expérience, newest first.
    pub retours: Vec<Retour>,
}

/// One tool with the authorities that declared it.
#[utoipa::path(
    get,
    path = "/api/v1/logiciels/{slug}",
    tag = "logiciels",
    params(("slug" = String, Path, description = "Catalogue identifier (ex. glpi)")),
    responses(
        (status = 200, description = "The tool", body = SoftwareDetail),
        (status = 404, description = "No such tool", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn one(
    State(state): State<AppState>,
    Path(slug): Path<String>,
) -> Result<Json<SoftwareDetail>, Problem> {
    let missing = || Problem::not_found(format!("Aucun logiciel « {slug} » dans le catalogue."));
    let entry = match query::entry(&state.db, &slug).await? {
        Entry::Live(entry) => entry,
        Entry::Moved(target) => {
            return Err(Problem::not_found(format!(
                "Ce logiciel a été fusionné avec « {target} » : voir /api/v1/logiciels/{target}."
            )));
        }
        Entry::Missing => return Err(missing()),
    };
    let row = Software::row_by_slug(&state.db, &entry.slug)
        .await?
        .ok_or_else(missing)?;
    let declarants = query::declarants(&state.db, entry.id).await?;
    let retours = domain::catalogue::reviews::for_software(&state.db, entry.id)
        .await?
        .into_iter()
        .map(|r| Retour {
            authority: r.authority_public_id,
            authority_name: r.authority_name,
            text: r.text,
            updated_on: r.updated_at.date_naive().to_string(),
        })
        .collect();
    Ok(Json(SoftwareDetail {
        summary: row.into(),
        description: entry.description,
        aliases: domain::catalogue::lines(&entry.aliases),
        authorities: declarants
            .into_iter()
            .map(|d| Declarant {
                id: d.authority.public_id,
                name: d.authority.name,
                kind: d.authority.kind.as_str().to_string(),
                departement: d.authority.departement_code,
                status: d.status.as_str().to_string(),
                since: d.since_year,
            })
            .collect(),
        retours,
    }))
}

#[derive(Serialize, ToSchema)]
pub struct Category {
    /// Identifier, the `category` filter of `/search`.
    pub slug: String,
    pub name: String,
    /// Approved tools in it.
    pub software: u64,
}

#[derive(Serialize, ToSchema)]
pub struct Categories {
    /// In the catalogue's order.
    pub items: Vec<Category>,
}

/// The catalogue's categories that hold at least one approved tool.
#[utoipa::path(
    get,
    path = "/api/v1/categories",
    tag = "logiciels",
    responses((status = 200, description = "Every category", body = Categories))
)]
pub async fn categories(State(state): State<AppState>) -> Result<Json<Categories>, Problem> {
    let groups = state.catalogue.groups(&state.db, "").await?;
    Ok(Json(Categories {
        items: groups
            .into_iter()
            .filter(|g| g.slug != "autres")
            .map(|g| Category {
                software: g.software.len() as u64,
                slug: g.slug,
                name: g.name,
            })
            .collect(),
    }))
}
