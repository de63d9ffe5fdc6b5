//! Administration: the queue of accounts waiting for approval, the list of members,
//! suspension and restoration. Every function checks that the caller is an approved
//! administrator (`domain::permissions`), whatever the UI shows.

use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::dto::MemberRowView;
use crate::dto::{MemberPageView, PendingMemberView};
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
            position: p.position,
            job_title: p.job_title,
            authority_name: p.authority_name,
            authority_public_id: p.authority_public_id,
            requested_on: p.created_at.format("%d/%m/%Y").to_string(),
        })
        .collect())
}

#[server(endpoint = "approve_member")]
pub async fn approve_member(id: i32) -> Result<(), AppError> {
    super::session::admin_act(
        "/admin/membres?info=membre-valide",
        "/admin/membres",
        |state, me, ip| async move {
            domain::accounts::admin::approve(&state.db, &me, id, ip, &state.config.public_url)
                .await?;
            Ok(())
        },
    )
    .await
}

#[server(endpoint = "reject_member")]
pub async fn reject_member(id: i32, reason: String) -> Result<(), AppError> {
    super::session::admin_act(
        "/admin/membres?info=membre-refuse",
        "/admin/membres",
        |state, me, ip| async move {
            domain::accounts::admin::reject(
                &state.db,
                &state.config.public_url,
                &me,
                id,
                &reason,
                ip,
            )
            .await?;
            Ok(())
        },
    )
    .await
}

/// The members search form, posted: the searched text is kept server-side behind an id
/// (`domain::accounts::saved_filters`) and the page's URL carries only that id and the
/// status, so no name or address lands in a URL or an access log.
#[server(endpoint = "filter_members")]
pub async fn filter_members(q: String, statut: String) -> Result<(), AppError> {
    let result = async {
        let state = super::state()?;
        let me = super::session::require_admin().await?;
        member_status(&statut)?;
        if q.chars().count() > 100 {
            return Err(AppError::Invalid(
                "La recherche est trop longue (100 caractères au plus).".into(),
            ));
        }
        let id = saved_filter(&state, &me, FilterPage::Members, &q).await?;
        Ok(crate::format::with_query(
            "/admin/membres",
            &[("f", &id), ("statut", &statut)],
        ))
    }
    .await;
    let ok = result.clone().unwrap_or_default();
    super::session::finish(result.map(drop), &ok, "/admin/membres", &[("q", &q)]).await
}

/// The journal filter form, posted: the author's address goes behind an id, the action,
/// target and dates (no personal data) stay in the URL.
#[server(endpoint = "filter_journal")]
pub async fn filter_journal(
    acteur: String,
    action: String,
    cible: String,
    du: String,
    au: String,
) -> Result<(), AppError> {
    let result = async {
        let state = super::state()?;
        let me = super::session::require_admin().await?;
        let id = saved_filter(&state, &me, FilterPage::Journal, &acteur).await?;
        Ok(crate::format::with_query(
            "/admin/journal",
            &[
                ("f", &id),
                ("action", action.trim()),
                ("cible", cible.trim()),
                ("du", du.trim()),
                ("au", au.trim()),
            ],
        ))
    }
    .await;
    let ok = result.clone().unwrap_or_default();
    super::session::finish(
        result.map(drop),
        &ok,
        "/admin/journal",
        &[("acteur", &acteur)],
    )
    .await
}

#[cfg(feature = "ssr")]
use model::saved_filter::FilterPage;

/// Saves a non-empty filter text and returns its id (empty text: no id).
#[cfg(feature = "ssr")]
async fn saved_filter(
    state: &domain::AppState,
    me: &domain::actor::CurrentUser,
    page: FilterPage,
    text: &str,
) -> Result<String, AppError> {
    if text.trim().is_empty() {
        return Ok(String::new());
    }
    let id = domain::accounts::saved_filters::save(&state.db, me, page, text, chrono::Utc::now())
        .await?;
    Ok(id)
}

/// The text behind a filter id of the URL (empty id: no filter).
#[cfg(feature = "ssr")]
async fn filter_text(
    state: &domain::AppState,
    me: &domain::actor::CurrentUser,
    page: FilterPage,
    id: &str,
) -> Result<String, AppError> {
    if id.is_empty() {
        return Ok(String::new());
    }
    match domain::accounts::saved_filters::load(&state.db, me, page, id, chrono::Utc::now()).await {
        Ok(text) => Ok(text),
        Err(domain::DomainError::NotFound) => Err(AppError::Invalid(
            "Cette recherche a expiré : lancez-la à nouveau.".into(),
        )),
        Err(err) => Err(err.into()),
    }
}

#[cfg(feature = "ssr")]
fn member_status(raw: &str) -> Result<Option<model::account::AccountStatus>, AppError> {
    match raw {
        "" => Ok(None),
        s => model::account::AccountStatus::parse(s)
            .map(Some)
            .ok_or_else(|| AppError::Invalid("Ce statut n'existe pas.".into())),
    }
}

/// Members by name, email or authority (the saved filter `filter`), optionally of one
/// status, 30 per page.
#[server(endpoint = "search_members")]
pub async fn search_members(
    filter: String,
    status: String,
    page: u64,
) -> Result<MemberPageView, AppError> {
    let state = super::state()?;
    let me = super::session::require_admin().await?;
    let q = filter_text(&state, &me, FilterPage::Members, &filter).await?;
    let status = member_status(&status)?;
    let page = page.clamp(1, 100_000);
    let found = domain::accounts::moderation::search(&state.db, &me, &q, status, page).await?;
    let size = domain::accounts::moderation::PAGE_SIZE;
    Ok(MemberPageView {
        query: q,
        total: found.total,
        page,
        pages: found.total.div_ceil(size).max(1),
        rows: found
            .rows
            .into_iter()
            .map(|r| MemberRowView {
                id: r.id,
                name: r.name,
                email: r.email,
                job_title: r.job_title,
                status: r.status,
                is_admin: r.is_admin,
                authority_name: r.authority_name,
                authority_public_id: r.authority_public_id,
            })
            .collect(),
    })
}

#[server(endpoint = "suspend_member")]
pub async fn suspend_member(id: i32, reason: String) -> Result<(), AppError> {
    super::session::admin_act(
        "/admin/membres?info=membre-suspendu",
        "/admin/membres",
        |state, me, ip| async move {
            domain::accounts::moderation::suspend(&state.db, &me, id, &reason, ip).await?;
            Ok(())
        },
    )
    .await
}

#[server(endpoint = "restore_member")]
pub async fn restore_member(id: i32, reason: String) -> Result<(), AppError> {
    super::session::admin_act(
        "/admin/membres?info=membre-retabli",
        "/admin/membres",
        |state, me, ip| async move {
            domain::accounts::moderation::restore(&state.db, &me, id, &reason, ip).await?;
            Ok(())
        },
    )
    .await
}

/// One page of the journal, newest first, filtered by actor (the email behind the saved
/// filter `filtre`), action (or its start), target id and date range (`AAAA-MM-JJ`,
/// inclusive).
#[server(endpoint = "list_journal")]
pub async fn list_journal(
    filtre: String,
    action: String,
    cible: String,
    du: String,
    au: String,
    page: u64,
) -> Result<crate::dto::JournalPageView, AppError> {
    let state = super::state()?;
    let me = super::session::require_admin().await?;
    let acteur = filter_text(&state, &me, FilterPage::Journal, &filtre).await?;
    let date = |raw: &str| -> Result<Option<chrono::NaiveDate>, AppError> {
        match raw.trim() {
            "" => Ok(None),
            text => chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d")
                .map(Some)
                .map_err(|_| {
                    AppError::Invalid(format!(
                        "La date « {text} » n'est pas valide : écrivez-la AAAA-MM-JJ."
                    ))
                }),
        }
    };
    if [&acteur, &action, &cible]
        .iter()
        .any(|f| f.chars().count() > 254)
    {
        return Err(AppError::Invalid("Un filtre est trop long.".into()));
    }
    let filter = domain::audit::JournalFilter {
        actor_email: acteur.clone(),
        action,
        target: cible,
        from: date(&du)?,
        to: date(&au)?,
    };
    let page = page.clamp(1, 100_000);
    let (total, rows) = domain::audit::journal(&state.db, &me, &filter, page).await?;
    Ok(crate::dto::JournalPageView {
        actor_filter: acteur,
        total,
        page,
        pages: total.div_ceil(domain::audit::JOURNAL_PAGE_SIZE).max(1),
        entries: rows
            .into_iter()
            .map(|r| crate::dto::JournalEntryView {
                at: r.at.format("%d/%m/%Y %H:%M UTC").to_string(),
                actor: r.actor,
                action: r.action,
                target: format!("{} {}", r.target_type, r.target_id),
                reason: r.reason,
                ip: r.ip,
            })
            .collect(),
    })
}

#[server(endpoint = "get_dashboard")]
pub async fn get_dashboard() -> Result<crate::dto::DashboardView, AppError> {
    use model::account::AccountStatus;
    let state = super::state()?;
    let me = super::session::require_admin().await?;
    let d = domain::accounts::dashboard::dashboard(&state.db, &me).await?;
    let label = |s: AccountStatus| match s {
        AccountStatus::Approved => "validés",
        AccountStatus::Pending => "en attente de validation",
        AccountStatus::Unverified => "adresse non confirmée",
        AccountStatus::Suspended => "suspendus",
        AccountStatus::Rejected => "refusés",
    };
    Ok(crate::dto::DashboardView {
        members: d
            .members
            .into_iter()
            .map(|(s, n)| (s.as_str().to_string(), label(s).to_string(), n))
            .collect(),
        network_members: d.network_members,
        declarations: d.declarations,
        software: d.software,
        pending_members: d.pending_members,
        proposals: d.proposals,
        open_reports: d.open_reports,
        mail_queued: d.mail_queued,
        mail_failed: d.mail_failed,
    })
}

/// Reported contact requests, then reported profiles, awaiting a decision, oldest first.
#[server(endpoint = "list_reports")]
pub async fn list_reports() -> Result<Vec<crate::dto::ReportView>, AppError> {
    let state = super::state()?;
    let me = super::session::require_admin().await?;
    let mut out: Vec<crate::dto::ReportView> = domain::contact::reports::queue(&state.db, &me)
        .await?
        .into_iter()
        .map(|q| crate::dto::ReportView {
            id: q.report.id,
            kind: "request".into(),
            reason: q.report.reason,
            subject: q.report.subject,
            message: q.report.message,
            sender_name: q.sender_name,
            sender_email: q.sender_email,
            reporter_name: q.reporter_name,
            reported_on: q.report.reported_at.format("%d/%m/%Y").to_string(),
        })
        .collect();
    out.extend(
        domain::accounts::profile_reports::queue(&state.db, &me)
            .await?
            .into_iter()
            .map(|p| crate::dto::ReportView {
                id: p.id,
                kind: "profile".into(),
                reason: p.reason,
                subject: format!("Profil de {}", p.profile_name),
                message: format!("Fonction affichée : {}", p.profile_job_title),
                sender_name: Some(p.profile_name),
                sender_email: Some(p.profile_email),
                reporter_name: None,
                reported_on: p.reported_at.format("%d/%m/%Y").to_string(),
            }),
    );
    Ok(out)
}

/// Dismisses a report, warns its sender, or suspends its sender (`decision`: `classer`,
/// `avertir`, `suspendre`), with a note that is journaled and mailed to a warned or
/// suspended sender.
#[server(endpoint = "decide_report")]
pub async fn decide_report(
    id: String,
    decision: String,
    note: String,
    #[server(default)] kind: Option<String>,
) -> Result<(), AppError> {
    super::session::admin_act(
        "/admin/signalements?info=signalement-traite",
        "/admin/signalements",
        |state, me, ip| async move {
            let decision = domain::contact::reports::Decision::parse(&decision)
                .ok_or_else(|| AppError::Invalid("Choisissez une décision.".into()))?;
            let id: i64 = id
                .trim()
                .parse()
                .map_err(|_| AppError::Invalid("Ce signalement est introuvable.".into()))?;
            if kind.as_deref() == Some("profile") {
                domain::accounts::profile_reports::decide(&state.db, &me, id, decision, &note, ip)
                    .await?;
            } else {
                domain::contact::reports::decide(&state.db, &me, id, decision, &note, ip).await?;
            }
            Ok(())
        },
    )
    .await
}

/// One member's file: profile, authority, declarations, referent roles, contact counts and
/// the latest journal lines about them.
#[server(endpoint = "get_member_file")]
pub async fn get_member_file(id: i32) -> Result<crate::dto::MemberFileView, AppError> {
    let state = super::state()?;
    let me = super::session::require_admin().await?;
    let f = domain::accounts::stewardship::file(&state.db, &me, id).await?;
    Ok(crate::dto::MemberFileView {
        id: f.account.id,
        first_name: f.account.first_name,
        last_name: f.account.last_name,
        email: f.account.email,
        job_title: f.account.job_title,
        phone: f.account.phone,
        visible: f.account.visible,
        status: f.account.status,
        is_admin: f.account.is_admin,
        authority: f.authority,
        declarations: f
            .declarations
            .into_iter()
            .map(|(name, status)| (name, status.label().to_string()))
            .collect(),
        referent_of: f.referent_of,
        requests_sent: f.requests_sent,
        requests_received: f.requests_received,
        journal: f
            .journal
            .into_iter()
            .map(|(at, action, reason)| {
                (at.format("%d/%m/%Y %H:%M UTC").to_string(), action, reason)
            })
            .collect(),
    })
}

#[cfg(feature = "ssr")]
fn member_page(id: i32, info: &str) -> String {
    format!("/admin/membres/{id}?info={info}")
}

/// Corrects or hides a member's profile (name, job title, phone, visibility).
#[server(endpoint = "correct_member")]
pub async fn correct_member(
    id: i32,
    reason: String,
    #[server(flatten)] profile: model::forms::ProfileForm,
) -> Result<(), AppError> {
    let back = format!("/admin/membres/{id}");
    super::session::admin_act(
        &member_page(id, "profil-corrige"),
        &back,
        |state, me, ip| async move {
            let correction = domain::accounts::stewardship::Correction {
                first_name: profile.first_name,
                last_name: profile.last_name,
                job_title: profile.job_title,
                phone: profile.phone,
                visible: profile.visible.is_some(),
            };
            domain::accounts::stewardship::correct(&state.db, &me, id, &correction, &reason, ip)
                .await?;
            Ok(())
        },
    )
    .await
}

/// Moves a member to another authority (its public id, e.g. `com-13047`).
#[server(endpoint = "move_member")]
pub async fn move_member(id: i32, authority: String, reason: String) -> Result<(), AppError> {
    let back = format!("/admin/membres/{id}");
    super::session::admin_act(
        &member_page(id, "membre-deplace"),
        &back,
        |state, me, ip| async move {
            domain::accounts::stewardship::move_to(&state.db, &me, id, &authority, &reason, ip)
                .await?;
            Ok(())
        },
    )
    .await
}

/// Grants (`role=accorder`) or withdraws (`role=retirer`) the administrator role.
#[server(endpoint = "set_member_admin")]
pub async fn set_member_admin(id: i32, role: String, reason: String) -> Result<(), AppError> {
    let back = format!("/admin/membres/{id}");
    super::session::admin_act(
        &member_page(id, "role-modifie"),
        &back,
        |state, me, ip| async move {
            let grant = match role.as_str() {
                "accorder" => true,
                "retirer" => false,
                _ => {
                    return Err(AppError::Invalid(
                        "Choisissez d'accorder ou de retirer le rôle.".into(),
                    ));
                }
            };
            domain::accounts::stewardship::set_admin(&state.db, &me, id, grant, &reason, ip)
                .await?;
            Ok(())
        },
    )
    .await
}

/// Deletes a member's account (the same erasure as self-deletion).
#[server(endpoint = "delete_member")]
pub async fn delete_member(id: i32, reason: String) -> Result<(), AppError> {
    let back = format!("/admin/membres/{id}");
    super::session::admin_act(
        "/admin/membres?info=membre-supprime",
        &back,
        |state, me, ip| async move {
            domain::accounts::stewardship::delete(&state.db, &me, id, &reason, ip).await?;
            Ok(())
        },
    )
    .await
}
