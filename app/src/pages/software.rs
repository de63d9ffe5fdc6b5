use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::{
    components::{A, Redirect},
    hooks::use_params_map,
};

use super::authority::ServiceError;
use super::not_found::{NotFoundPage, moved_permanently};
use crate::api::catalogue::get_software;
use crate::components::authority_list::AuthorityList;
use crate::dto::{SoftwareLookup, SoftwareView};
use crate::format::{plural, status_label};

/// `/logiciels/{slug}`: a software, its links, and the authorities that run it.
#[component]
pub fn SoftwarePage() -> impl IntoView {
    let params = use_params_map();
    let slug = move || params.read().get("slug").unwrap_or_default();
    let software = Resource::new(slug, get_software);
    view! {
        <Suspense fallback=|| view! { <p class="loading">"Chargement…"</p> }>
            {move || Suspend::new(async move {
                match software.await {
                    Ok(SoftwareLookup::Found(s)) => view! { <SoftwareDetails s=*s /> }.into_any(),
                    Ok(SoftwareLookup::Moved(target)) => {
                        let path = format!("/logiciels/{target}");
                        moved_permanently(&path);
                        view! { <Redirect path /> }.into_any()
                    }
                    Ok(SoftwareLookup::Missing) => view! { <NotFoundPage /> }.into_any(),
                    Err(err) => view! { <ServiceError err /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn SoftwareDetails(s: SoftwareView) -> impl IntoView {
    let mut links = Vec::new();
    if let Some(w) = &s.website {
        links.push((w.clone(), "Site officiel".to_string()));
    }
    if let Some(q) = &s.wikidata {
        links.push((
            format!("https://www.wikidata.org/wiki/{q}"),
            format!("Wikidata ({q})"),
        ));
    }
    if let Some(id) = &s.sill_id {
        links.push((
            format!("https://code.gouv.fr/sill/detail?id={id}"),
            "Socle interministériel de logiciels libres".into(),
        ));
    }
    if let Some(id) = &s.comptoir_id {
        links.push((
            format!("https://comptoir-du-libre.org/fr/softwares/{id}"),
            "Comptoir du Libre".into(),
        ));
    }
    let counts = s
        .counts
        .iter()
        .filter(|(_, n)| *n > 0)
        .map(|(st, n)| format!("{} : {n}", status_label(st)))
        .collect::<Vec<_>>()
        .join(" · ");
    let total = s.users.len() as u64;
    let groups: Vec<(String, Vec<crate::dto::AuthorityLink>)> = crate::format::STATUS_CHOICES
        .iter()
        .map(|(code, label)| {
            (
                label.to_string(),
                s.users
                    .iter()
                    .filter(|u| u.status == *code)
                    .map(|u| u.authority.clone())
                    .collect(),
            )
        })
        .filter(|(_, items): &(String, Vec<_>)| !items.is_empty())
        .collect();
    let referents = if s.viewer_is_member {
        if s.referents.is_empty() {
            view! { <p class="hint">"Aucun référent ne s'est encore déclaré pour ce logiciel."</p> }
                .into_any()
        } else {
            view! {
                <ul class="authority-list">
                    {s.referents.clone().into_iter().map(|r| view! {
                        <li>
                            <strong>{r.name}</strong>
                            <span class="meta">{format!(" {} — ", r.job_title)}</span>
                            <A href=format!("/collectivites/{}", r.authority_public_id)>{r.authority_name}</A>
                        </li>
                    }).collect_view()}
                </ul>
            }.into_any()
        }
    } else {
        view! { <p class="hint">"Les référents (membres qui acceptent d'être contactés) sont visibles des membres connectés. " <A href="/connexion">"Se connecter"</A></p> }.into_any()
    };
    view! {
        <Title text=s.name.clone() />
        <article class="software" data-slug=s.slug.clone()>
            <p class="eyebrow">{s.category.clone().unwrap_or_else(|| "Logiciel".into())}</p>
            <h1>{s.name.clone()}</h1>
            {s.proposed.then(|| view! { <p class="notice" role="status">"Proposé par un membre, en attente de validation par un administrateur."</p> })}
            <p class="lead">{s.description.clone()}</p>
            <dl class="identity">
                <dt>"Type"</dt>
                <dd>{if s.is_free { "Logiciel libre" } else { "Logiciel propriétaire" }}</dd>
                {s.licence.clone().map(|l| view! { <dt>"Licence"</dt><dd>{l}</dd> })}
                {(!s.aliases.is_empty()).then(|| view! { <dt>"Aussi appelé"</dt><dd>{s.aliases.join(", ")}</dd> })}
                {(!s.similar_names.is_empty()).then(|| view! { <dt>"Équivalent à"</dt><dd>{s.similar_names.join(", ")}</dd> })}
                {(!links.is_empty()).then(|| view! {
                    <dt>"Liens"</dt>
                    <dd><ul class="links">{links.into_iter().map(|(href, label)| view! { <li><a href=href rel="noopener">{label}</a></li> }).collect_view()}</ul></dd>
                })}
            </dl>
            <section aria-labelledby="users-title">
                <h2 id="users-title">{format!("Collectivités qui l'utilisent ({})", total)}</h2>
                {if total == 0 {
                    view! { <p class="empty-state">"Aucune collectivité n'a encore déclaré ce logiciel."</p> }.into_any()
                } else {
                    view! {
                        <p class="counts">{counts}</p>
                        {groups.into_iter().map(|(label, items)| view! {
                            <h3>{format!("{label} ({})", plural(items.len() as u64, "collectivité", "collectivités"))}</h3>
                            <AuthorityList items />
                        }).collect_view()}
                    }.into_any()
                }}
            </section>
            <section aria-labelledby="referents-title">
                <h2 id="referents-title">"Référents"</h2>
                {referents}
            </section>
        </article>
    }
}
