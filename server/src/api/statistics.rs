//! The network's figures, as `/statistiques` shows them.

use axum::{Json, extract::State};
use domain::AppState;
use domain::statistics::Statistics;

use super::problem::Problem;

/// Members, active authorities by kind, région and département, declarations by status,
/// the most used tools, adoption by year, the free share and freshness.
#[utoipa::path(
    get,
    path = "/api/v1/statistiques",
    tag = "statistiques",
    responses((status = 200, description = "The figures", body = Statistics))
)]
pub async fn statistics(State(state): State<AppState>) -> Result<Json<Statistics>, Problem> {
    Ok(Json(domain::statistics::compute(&state.db).await?))
}
