//! The OpenAPI 3.1 document of `/api/v1/`, generated from the handlers' annotations.

use axum::{
    Json,
    response::{IntoResponse, Response},
};
use utoipa::OpenApi;

#[derive(OpenApi)]
#[openapi(
    info(
        title = "API Pairs",
        version = "1",
        description = "Données publiques du réseau Pairs : les collectivités, les logiciels \
            qu'elles déclarent et les statistiques du réseau. Aucune donnée personnelle. \
            Lecture seule, sans clé, CORS ouvert en GET ; chaque réponse porte un ETag \
            (If-None-Match donne 304) et Cache-Control. Limite par client : \
            PAIRS_API_RATE_LIMIT requêtes par minute (429 et Retry-After au-delà). Erreurs \
            en application/problem+json. Données sous Licence Ouverte 2.0 (Etalab).",
        license(
            name = "Licence Ouverte 2.0 (données)",
            url = "https://www.etalab.gouv.fr/licence-ouverte-open-licence/"
        )
    ),
    paths(
        super::search::search,
        super::search::authorities,
        super::search::suggest,
        super::authority::one,
        super::peers::peers,
        super::software::list,
        super::software::one,
        super::software::categories,
        super::statistics::statistics,
        openapi_json,
    ),
    tags(
        (name = "collectivites", description = "Les collectivités et leurs logiciels"),
        (name = "logiciels", description = "Le catalogue"),
        (name = "statistiques", description = "Les chiffres du réseau"),
        (name = "documentation", description = "Ce document"),
    )
)]
pub struct ApiDoc;

/// The document as JSON.
pub fn document() -> serde_json::Value {
    serde_json::to_value(ApiDoc::openapi()).unwrap_or_default()
}

/// This document.
#[utoipa::path(
    get,
    path = "/api/v1/openapi.json",
    tag = "documentation",
    responses((status = 200, description = "The OpenAPI 3.1 document of this API", body = Object))
)]
pub async fn openapi_json() -> Response {
    Json(ApiDoc::openapi()).into_response()
}
