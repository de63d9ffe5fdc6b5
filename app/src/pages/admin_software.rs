//! `/admin/logiciels`: software proposed by members, to approve, merge or reject.

use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_meta::Title;
use leptos_router::components::A;

use super::not_found::current_path;
use crate::api::catalogue::{ApproveSoftware, MergeSoftware, RejectSoftware, list_proposals};
use crate::components::admin_nav::AdminNav;
use crate::components::failure::Failure;
use crate::components::flash::Flash;
use crate::dto::ProposalView;

/// `/admin/logiciels`: software proposed by members (administrators only).
#[component]
pub fn AdminSoftwarePage() -> impl IntoView {
    let proposals = Resource::new(|| (), |_| list_proposals());
    let here = StoredValue::new(current_path());
    view! {
        <Title text="Logiciels proposés" />
        <h1>"Logiciels proposés"</h1>
        <AdminNav />
        <Flash />
        <Suspense fallback=|| view! { <p class="loading">"Chargement…"</p> }>
            {move || Suspend::new(async move {
                match proposals.await {
                    Ok(list) if list.is_empty() => view! { <p class="empty-state">"Aucune proposition en attente."</p> }.into_any(),
                    Ok(list) => view! {
                        <ul class="cards">{list.into_iter().map(|p| view! { <ProposalCard proposal=p /> }).collect_view()}</ul>
                    }.into_any(),
                    Err(err) => view! { <Failure err here=here.get_value() /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn ProposalCard(proposal: ProposalView) -> impl IntoView {
    let reason_id = format!("reason-{}", proposal.slug);
    let into_id = format!("into-{}", proposal.slug);
    let (slug_approve, slug_merge, slug_reject) = (
        proposal.slug.clone(),
        proposal.slug.clone(),
        proposal.slug.clone(),
    );
    view! {
        <li class="card">
            <h2><A href=format!("/logiciels/{}", proposal.slug)>{proposal.name.clone()}</A></h2>
            <p class="meta">{format!("Proposé le {}", proposal.proposed_on)} {proposal.website.clone().map(|w| format!(" · {w}"))}</p>
            <div class="actions">
                <form method="post" action=ApproveSoftware::PATH class="inline-form">
                    <input type="hidden" name="slug" value=slug_approve />
                    <button type="submit">"Valider"</button>
                </form>
                <form method="post" action=MergeSoftware::PATH class="stack-form">
                    <input type="hidden" name="slug" value=slug_merge />
                    <label for=into_id.clone()>"Fusionner dans (identifiant du logiciel existant, ex. nextcloud)"</label>
                    <input id=into_id name="into" required maxlength="120" />
                    <button type="submit" class="secondary">"Fusionner"</button>
                </form>
                <form method="post" action=RejectSoftware::PATH class="stack-form">
                    <input type="hidden" name="slug" value=slug_reject />
                    <label for=reason_id.clone()>"Motif du refus"</label>
                    <textarea id=reason_id name="reason" required maxlength="1000"></textarea>
                    <button type="submit" class="danger">"Refuser"</button>
                </form>
            </div>
        </li>
    }
}
