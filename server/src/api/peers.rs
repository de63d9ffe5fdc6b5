//! « Vos pairs » of one authority: the most comparable authorities, what they run most and
//! what they left (`domain::peers`). Never a person.

use axum::{
    Json,
    extract::{Path, State},
};
use domain::AppState;
use serde::Serialize;
use utoipa::ToSchema;

use super::problem::Problem;

#[derive(Serialize, ToSchema)]
pub struct PeerAuthority {
    pub id: String,
    pub name: String,
    /// `commune`, `epci`, `departement` or `region`.
    pub kind: String,
    pub departement: Option<String>,
    pub region: Option<String>,
    pub population: Option<i64>,
    /// Names of the tools it has in use.
    pub tools_in_use: Vec<String>,
}

#[derive(Serialize, ToSchema)]
pub struct ToolShare {
    pub slug: String,
    pub name: String,
    /// How many of the peers run it (or left it).
    pub count: u32,
    /// Whether the authority itself declared it.
    pub declared_here: bool,
    /// For an abandoned tool: what the peers that left it say replaced it.
    pub moved_to: Vec<MovedTo>,
}

#[derive(Serialize, ToSchema)]
pub struct MovedTo {
    pub slug: String,
    pub name: String,
    /// How many of the peers say so.
    pub count: u32,
}

#[derive(Serialize, ToSchema)]
pub struct Peers {
    pub id: String,
    pub name: String,
    /// The peers, nearest first (at most 50): same kind, nearest population band, same
    /// région first, then the same EPCI, then the rest of the country.
    pub peers: Vec<PeerAuthority>,
    /// Tools in use among the peers, most shared first (`count` out of `peers`' length).
    pub most_used: Vec<ToolShare>,
    /// Tools the peers abandoned, most abandoned first.
    pub abandoned: Vec<ToolShare>,
}

fn share(t: domain::peers::ToolShare) -> ToolShare {
    ToolShare {
        slug: t.slug,
        name: t.name,
        count: t.count,
        declared_here: t.declared_here,
        moved_to: t
            .moved_to
            .into_iter()
            .map(|(slug, name, count)| MovedTo { slug, name, count })
            .collect(),
    }
}

/// The authorities most comparable to this one and what they run.
#[utoipa::path(
    get,
    path = "/api/v1/collectivites/{id}/pairs",
    tag = "collectivites",
    params(("id" = String, Path, description = "Public identifier (ex. com-13047)")),
    responses(
        (status = 200, description = "Its peers and their tools", body = Peers),
        (status = 404, description = "No such authority", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn peers(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Json<Peers>, Problem> {
    let (target, peers) =
        domain::peers::source::for_authority(&state.db, state.search.as_ref(), &state.peers, &id)
            .await?
            .ok_or_else(|| {
                Problem::not_found(format!("Aucune collectivité d'identifiant « {id} »."))
            })?;
    Ok(Json(Peers {
        id: target.public_id,
        name: target.name,
        peers: peers
            .peers
            .into_iter()
            .map(|p| PeerAuthority {
                id: p.public_id,
                name: p.name,
                kind: p.kind,
                departement: p.departement,
                region: p.region,
                population: p.population,
                tools_in_use: p.tools,
            })
            .collect(),
        most_used: peers.most_used.into_iter().map(share).collect(),
        abandoned: peers.abandoned.into_iter().map(share).collect(),
    }))
}
