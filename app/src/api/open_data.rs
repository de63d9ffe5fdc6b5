//! The open-data tables, described for the `/donnees` page (public).

use leptos::prelude::*;

use crate::dto::DatasetView;
use crate::error::AppError;

#[server(endpoint = "list_datasets")]
pub async fn list_datasets() -> Result<Vec<DatasetView>, AppError> {
    // Public data only: counts, dates and column meanings; no authorization needed.
    let state = super::state()?;
    Ok(domain::open_data::datasets(&state.db)
        .await?
        .into_iter()
        .map(|d| DatasetView {
            name: d.name.to_string(),
            title: d.title.to_string(),
            rows: d.rows,
            updated: d.updated.map(|u| u.format("%Y-%m-%d").to_string()),
            columns: d
                .columns
                .into_iter()
                .map(|(c, m)| (c.to_string(), m.to_string()))
                .collect(),
        })
        .collect())
}
