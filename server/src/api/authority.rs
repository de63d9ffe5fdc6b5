//! One authority: identity, membership, label and declared tools. Never a person: not the
//! members, not the referents, not the notes a member wrote on a declaration.

use axum::{
    Json,
    extract::{Path, State},
};
use domain::AppState;
use serde::Serialize;
use utoipa::ToSchema;

use super::problem::Problem;

#[derive(Serialize, ToSchema)]
pub struct DeclaredTool {
    pub slug: String,
    pub name: String,
    /// `in_use`, `evaluating`, `planned` or `abandoned`.
    pub status: String,
    /// Year it came into use.
    pub since: Option<i32>,
    pub version: Option<String>,
    /// Date of the last confirmation (YYYY-MM-DD).
    pub confirmed_on: String,
}

#[derive(Serialize, ToSchema)]
pub struct AuthorityDetail {
    pub id: String,
    pub name: String,
    /// `commune`, `epci`, `departement` or `region`.
    pub kind: String,
    /// Official code (COG) of a commune, département or région.
    pub cog_code: Option<String>,
    pub siren: Option<String>,
    pub departement: Option<String>,
    pub population: Option<i64>,
    pub postcodes: Vec<String>,
    pub is_member: bool,
    /// Member since (YYYY-MM-DD).
    pub member_since: Option<String>,
    /// Villes Internet label level (1 to 5) and its year.
    pub label_level: Option<i16>,
    pub label_year: Option<i32>,
    pub website: Option<String>,
    /// Declared tools, in use first.
    pub tools: Vec<DeclaredTool>,
}

/// One authority and the tools it declared.
#[utoipa::path(
    get,
    path = "/api/v1/collectivites/{id}",
    tag = "collectivites",
    params(("id" = String, Path, description = "Public identifier (ex. com-13047, epci-200054807, dep-13)")),
    responses(
        (status = 200, description = "The authority", body = AuthorityDetail),
        (status = 404, description = "No such authority", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn one(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Json<AuthorityDetail>, Problem> {
    let missing = || Problem::not_found(format!("Aucune collectivité d'identifiant « {id} »."));
    let detail = domain::authorities::get_detail(&state.db, &id)
        .await?
        .ok_or_else(missing)?;
    let row_id = domain::authorities::id_of(&state.db, &id)
        .await?
        .ok_or_else(missing)?;
    let usages = domain::usages::for_authority(&state.db, row_id, None).await?;
    Ok(Json(AuthorityDetail {
        id: detail.summary.public_id,
        name: detail.summary.name,
        kind: detail.summary.kind.as_str().to_string(),
        cog_code: detail.cog_code,
        siren: detail.siren,
        departement: detail.summary.departement_code,
        population: detail.summary.population,
        postcodes: detail.postcodes,
        is_member: detail.is_member,
        member_since: detail.member_since.map(|d| d.to_string()),
        label_level: detail.label_level,
        label_year: detail.label_year,
        website: detail.website,
        tools: usages
            .into_iter()
            .map(|u| DeclaredTool {
                slug: u.software_slug,
                name: u.software_name,
                status: u.status.as_str().to_string(),
                since: u.since_year,
                version: u.version,
                confirmed_on: u.confirmed_on.date_naive().to_string(),
            })
            .collect(),
    }))
}
