use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_meta::Title;
use leptos_router::components::A;

use super::account::SignInFirst;
use super::authority::ServiceError;
use super::not_found::current_path;
use crate::api::admin::{ApproveMember, RejectMember, list_pending_members};
use crate::components::flash::Flash;
use crate::dto::PendingMemberView;
use crate::error::AppError;

/// `/admin/membres`: accounts waiting for approval (administrators only).
#[component]
pub fn AdminMembersPage() -> impl IntoView {
    let pending = Resource::new(|| (), |_| list_pending_members());
    let here = StoredValue::new(current_path());
    view! {
        <Title text="Demandes d'adhésion" />
        <h1>"Demandes d'adhésion"</h1>
        <Flash />
        <Suspense fallback=|| view! { <p class="loading">"Chargement…"</p> }>
            {move || Suspend::new(async move {
                match pending.await {
                    Ok(list) if list.is_empty() => view! {
                        <p class="empty-state">"Aucune demande en attente."</p>
                    }.into_any(),
                    Ok(list) => view! {
                        <ul class="cards">
                            {list.into_iter().map(|m| view! { <PendingCard m /> }).collect_view()}
                        </ul>
                    }.into_any(),
                    Err(AppError::Unauthorized) => view! { <SignInFirst here=here.get_value() /> }.into_any(),
                    Err(err) => view! { <ServiceError err /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn PendingCard(m: PendingMemberView) -> impl IntoView {
    let position = if m.position == "elu" {
        "Élu·e"
    } else {
        "Agent·e"
    };
    let authority = match (m.authority_name.clone(), m.authority_public_id.clone()) {
        (Some(name), Some(id)) => {
            view! { <A href=format!("/collectivites/{id}")>{name}</A> }.into_any()
        }
        _ => view! { <span>"Collectivité inconnue"</span> }.into_any(),
    };
    let reason_id = format!("reason-{}", m.id);
    view! {
        <li class="card">
            <h2>{m.name.clone()}</h2>
            <p>{format!("{position} — {} — ", m.job_title)} {authority}</p>
            <p class="meta">{format!("{} · demande du {}", m.email, m.requested_on)}</p>
            <div class="actions">
                <form method="post" action=ApproveMember::PATH class="inline-form">
                    <input type="hidden" name="id" value=m.id />
                    <button type="submit">"Valider"</button>
                </form>
                <form method="post" action=RejectMember::PATH class="stack-form">
                    <input type="hidden" name="id" value=m.id />
                    <label for=reason_id.clone()>"Motif du refus (envoyé au demandeur)"</label>
                    <textarea id=reason_id name="reason" required maxlength="1000"></textarea>
                    <button type="submit" class="danger">"Refuser"</button>
                </form>
            </div>
        </li>
    }
}
