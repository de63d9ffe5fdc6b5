//! Administration: the queue of accounts waiting for approval. Every function checks
//! that the caller is an approved administrator, whatever the UI shows.

use leptos::prelude::*;

use crate::dto::PendingMemberView;
use crate::error::AppError;

#[server(endpoint = "list_pending_members")]
pub async fn list_pending_members() -> Result<Vec<PendingMemberView>, AppError> {
    let state = super::state()?;
    let me = super::session::require_admin().await?;
    let pending = domain::accounts::admin::pending_members(&state.db, &me).await?;
    Ok(pending
        .into_iter()
        .map(|p| PendingMemberView {
            id: p.id,
            name: format!("{} {}", p.first_name, p.last_name),
            email: p.email,
            position: p.position.as_str().to_string(),
            job_title: p.job_title,
            authority_name: p.authority_name,
            authority_public_id: p.authority_public_id,
            requested_on: p.created_at.format("%d/%m/%Y").to_string(),
        })
        .collect())
}

#[server(endpoint = "approve_member")]
pub async fn approve_member(id: i32) -> Result<(), AppError> {
    super::session::act(
        "/admin/membres?info=membre-valide",
        "/admin/membres",
        &[],
        |state| async move {
            let me = super::session::require_admin().await?;
            let ip = super::session::client_ip();
            domain::accounts::admin::approve(&state.db, &me, id, ip, &state.config.public_url)
                .await?;
            Ok(())
        },
    )
    .await
}

#[server(endpoint = "reject_member")]
pub async fn reject_member(id: i32, reason: String) -> Result<(), AppError> {
    super::session::act(
        "/admin/membres?info=membre-refuse",
        "/admin/membres",
        &[],
        |state| async move {
            let me = super::session::require_admin().await?;
            let ip = super::session::client_ip();
            domain::accounts::admin::reject(&state.db, &me, id, &reason, ip).await?;
            Ok(())
        },
    )
    .await
}
