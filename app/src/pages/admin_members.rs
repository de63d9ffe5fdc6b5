//! `/admin/membres`: the pending queue, then every member searched by name, email or authority.

use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_meta::Title;
use leptos_router::{components::A, hooks::use_query_map};

use super::not_found::current_path;
use crate::api::admin::{
    ApproveMember, FilterMembers, RejectMember, RestoreMember, SuspendMember, list_pending_members,
    search_members,
};
use crate::components::admin_nav::AdminNav;
use crate::components::failure::Failure;
use crate::components::fields::HiddenId;
use crate::components::flash::Flash;
use crate::dto::{MemberRowView, PendingMemberView};
use crate::error::AppError;
use model::account::AccountStatus;

/// `/admin/membres?f=…&statut=…&page=…`: accounts waiting for approval, then every member
/// (search by name, email or authority; filter by status) with suspend and restore
/// (administrators only). The search form is posted and the text kept behind the id `f`,
/// so no searched name or address appears in the URL.
#[component]
pub fn AdminMembersPage() -> impl IntoView {
    let pending = Resource::new(|| (), |_| list_pending_members());
    let q = use_query_map().read_untracked().clone();
    let (filter, status) = (
        q.get("f").unwrap_or_default(),
        q.get("statut").unwrap_or_default(),
    );
    let page = q.get("page").and_then(|p| p.parse().ok()).unwrap_or(1u64);
    let members = Resource::new(
        move || (filter.clone(), status.clone(), page),
        |(q, s, p)| search_members(q, s, p),
    );
    let here = StoredValue::new(current_path());
    view! {
        <Title text="Membres" />
        <h1>"Membres"</h1>
        <AdminNav />
        <Flash />
        <h2>"Demandes d'adhésion"</h2>
        <Suspense fallback=|| view! { <p class="loading">"Chargement…"</p> }>
            {move || Suspend::new(async move {
                match pending.await {
                    Ok(list) if list.is_empty() => view! {
                        <p class="empty-state">"Aucune demande en attente."</p>
                    }.into_any(),
                    Ok(list) => view! {
                        <ul class="cards">
                            {list.into_iter().map(|m| view! { <PendingCard member=m /> }).collect_view()}
                        </ul>
                    }.into_any(),
                    Err(err) => view! { <Failure err here=here.get_value() /> }.into_any(),
                }
            })}
        </Suspense>
        <MemberList members />
    }
}

type MembersResource = Resource<Result<crate::dto::MemberPageView, AppError>>;

#[component]
fn MemberList(members: MembersResource) -> impl IntoView {
    let q = use_query_map().read_untracked().clone();
    let (filter, status) = (
        q.get("f").unwrap_or_default(),
        q.get("statut").unwrap_or_default(),
    );
    view! {
        <section aria-labelledby="members-title">
            <h2 id="members-title">"Tous les membres"</h2>
            <Suspense fallback=|| view! { <p class="loading">"Chargement…"</p> }>
                {move || {
                    let (filter, status) = (filter.clone(), status.clone());
                    Suspend::new(async move {
                    match members.await {
                        Ok(found) if found.rows.is_empty() => view! {
                            <MembersForm query=found.query status />
                            <p class="empty-state">"Aucun membre ne correspond."</p>
                        }.into_any(),
                        Ok(found) => {
                            let link = |page: u64| crate::format::with_query(
                                "/admin/membres",
                                &[("f", &filter), ("statut", &status), ("page", &page.to_string())],
                            );
                            let prev = (found.page > 1).then(|| link(found.page - 1));
                            let next = (found.page < found.pages).then(|| link(found.page + 1));
                            view! {
                                <MembersForm query=found.query status=status.clone() />
                                <p class="result-count">{crate::format::plural(found.total, "membre", "membres")}</p>
                                <ul class="cards">
                                    {found.rows.into_iter().map(|m| view! { <MemberCard member=m /> }).collect_view()}
                                </ul>
                                {(found.pages > 1).then(|| view! {
                                    <nav class="pagination" aria-label="Pagination">
                                        {prev.map(|href| view! { <a href=href rel="prev">"← Page précédente"</a> })}
                                        <span>{format!("Page {} sur {}", found.page, found.pages)}</span>
                                        {next.map(|href| view! { <a href=href rel="next">"Page suivante →"</a> })}
                                    </nav>
                                })}
                            }.into_any()
                        }
                        Err(AppError::Unauthorized) => ().into_any(),
                        Err(err) => view! {
                            <MembersForm query=crate::components::flash::kept("q") status />
                            <div class="notice error" role="alert"><p>{err.to_string()}</p></div>
                        }.into_any(),
                    }
                })}}
            </Suspense>
        </section>
    }
}

/// The search form, posted (`FilterMembers`): what is typed never goes in a URL.
#[component]
fn MembersForm(query: String, status: String) -> impl IntoView {
    let query = if query.is_empty() {
        crate::components::flash::kept("q")
    } else {
        query
    };
    view! {
        <form method="post" action=FilterMembers::PATH class="stack-form" role="search">
            <label for="members-q">"Nom, adresse ou collectivité"</label>
            <input id="members-q" name="q" type="search" maxlength="100" value=query />
            <label for="members-status">"Statut"</label>
            <select id="members-status" name="statut">
                <option value="" selected=status.is_empty()>"Tous"</option>
                {AccountStatus::FILTER_ORDER.iter().map(|s| view! {
                    <option value=s.as_str() selected=status == s.as_str()>{s.plural_label()}</option>
                }).collect_view()}
            </select>
            <button type="submit" class="secondary">"Chercher"</button>
        </form>
    }
}

#[component]
fn MemberCard(member: MemberRowView) -> impl IntoView {
    let reason_id = format!("moderation-reason-{}", member.id);
    let authority = match (
        member.authority_name.clone(),
        member.authority_public_id.clone(),
    ) {
        (Some(name), Some(id)) => {
            view! { <A href=format!("/collectivites/{id}")>{name}</A> }.into_any()
        }
        _ => view! { <span>"Sans collectivité"</span> }.into_any(),
    };
    let action = match member.status {
        AccountStatus::Approved => Some((
            SuspendMember::PATH,
            "Motif de la suspension (envoyé au membre)",
            "Suspendre",
            "danger",
        )),
        AccountStatus::Suspended => Some((
            RestoreMember::PATH,
            "Motif du rétablissement (journalisé)",
            "Rétablir",
            "",
        )),
        AccountStatus::Unverified | AccountStatus::Pending | AccountStatus::Rejected => None,
    };
    view! {
        <li class="card member" data-id=member.id.to_string()>
            <h3><A href=format!("/admin/membres/{}", member.id)>{member.name.clone()}</A> {member.is_admin.then_some(" (administrateur)")}</h3>
            <p>{format!("{} — ", member.job_title)} {authority}</p>
            <p class="meta">{format!("{} · {}", member.email, member.status.label())}</p>
            {action.map(|(path, label, button, class)| view! {
                <form method="post" action=path class="stack-form">
                    <HiddenId value=member.id />
                    <label for=reason_id.clone()>{label}</label>
                    <textarea id=reason_id.clone() name="reason" required maxlength="1000" rows="2"></textarea>
                    <button type="submit" class=class>{button}</button>
                </form>
            })}
        </li>
    }
}

#[component]
fn PendingCard(member: PendingMemberView) -> impl IntoView {
    let position = member.position.label();
    let authority = match (
        member.authority_name.clone(),
        member.authority_public_id.clone(),
    ) {
        (Some(name), Some(id)) => {
            view! { <A href=format!("/collectivites/{id}")>{name}</A> }.into_any()
        }
        _ => view! { <span>"Collectivité inconnue"</span> }.into_any(),
    };
    let reason_id = format!("reason-{}", member.id);
    view! {
        <li class="card">
            <h3>{member.name.clone()}</h3>
            <p>{format!("{position} — {} — ", member.job_title)} {authority}</p>
            <p class="meta">{format!("{} · demande du {}", member.email, member.requested_on)}</p>
            <div class="actions">
                <form method="post" action=ApproveMember::PATH class="inline-form">
                    <HiddenId value=member.id />
                    <button type="submit">"Valider"</button>
                </form>
                <form method="post" action=RejectMember::PATH class="stack-form">
                    <HiddenId value=member.id />
                    <label for=reason_id.clone()>"Motif du refus (envoyé au demandeur)"</label>
                    <textarea id=reason_id name="reason" required maxlength="1000"></textarea>
                    <button type="submit" class="danger">"Refuser"</button>
                </form>
            </div>
        </li>
    }
}
