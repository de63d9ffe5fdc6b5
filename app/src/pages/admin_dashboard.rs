//! `/admin`: the administrators' dashboard — what waits for a decision and the network's figures.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;

use super::not_found::current_path;
use crate::api::admin::get_dashboard;
use crate::components::admin_nav::AdminNav;
use crate::components::failure::Failure;
use crate::dto::DashboardView;

/// `/admin`: counts of members, authorities, declarations and software, and what waits in
/// each queue, with links (administrators only).
#[component]
pub fn AdminDashboardPage() -> impl IntoView {
    let dashboard = Resource::new(|| (), |_| get_dashboard());
    let here = StoredValue::new(current_path());
    view! {
        <Title text="Administration" />
        <h1>"Administration"</h1>
        <AdminNav />
        <Suspense fallback=|| view! { <p class="loading">"Chargement…"</p> }>
            {move || Suspend::new(async move {
                match dashboard.await {
                    Ok(d) => view! { <Counts counts=d /> }.into_any(),
                    Err(err) => view! { <Failure err here=here.get_value() /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Counts(counts: DashboardView) -> impl IntoView {
    let n = |v: u64| v.to_string();
    view! {
        <section aria-labelledby="queues-title">
            <h2 id="queues-title">"À traiter"</h2>
            <ul class="dashboard">
                <li><A href="/admin/membres">{format!("Demandes d'adhésion : {}", counts.pending_members)}</A></li>
                <li><A href="/admin/logiciels">{format!("Logiciels proposés : {}", counts.proposals)}</A></li>
                <li><A href="/admin/signalements">{format!("Demandes de contact signalées : {}", counts.open_reports)}</A></li>
                <li>{format!("Courriels en attente d'envoi : {} · en échec définitif : {}", counts.mail_queued, counts.mail_failed)}</li>
            </ul>
        </section>
        <section aria-labelledby="directory-title">
            <h2 id="directory-title">"L'annuaire"</h2>
            <dl class="identity">
                <dt>"Collectivités membres du réseau"</dt><dd>{n(counts.network_members)}</dd>
                <dt>"Déclarations d'usage"</dt><dd>{n(counts.declarations)}</dd>
                <dt>"Logiciels au catalogue"</dt><dd>{n(counts.software)}</dd>
                {counts.members.into_iter().map(|(code, label, count)| {
                    let href = format!("/admin/membres?statut={code}");
                    view! { <dt>{format!("Comptes {label}")}</dt><dd><A href=href>{count.to_string()}</A></dd> }
                }).collect_view()}
            </dl>
        </section>
    }
}
