//! `GET /healthz`: always 200, saying whether the database answers.

use axum::{Json, extract::State};
use serde::Serialize;

#[derive(Serialize)]
pub struct Health {
    pub status: &'static str,
    pub database: bool,
}

pub async fn healthz(State(db): State<domain::db::Db>) -> Json<Health> {
    let database = domain::db::is_reachable(&db).await;
    Json(Health {
        status: if database { "ok" } else { "degraded" },
        database,
    })
}
