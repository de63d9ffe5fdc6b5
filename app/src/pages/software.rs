//! `/logiciels/:slug`: one software — what it is and which authorities run it.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::{
    components::{A, Redirect},
    hooks::use_params_map,
};

use super::not_found::{NotFoundPage, moved_permanently};
use crate::api::catalogue::get_software;
use crate::api::reviews::list_reviews;
use crate::api::statistics::software_map;
use crate::components::authority_list::AuthorityList;
use crate::components::failure::ServiceError;
use crate::components::flash::Flash;
use crate::components::follow::FollowButton;
use crate::components::france_map::FranceMap;
use crate::components::reviews::{ReviewsResource, ReviewsSection};
use crate::dto::{SoftwareLookup, SoftwareView};
use crate::format::plural;
use model::usage::UsageStatus;

/// `/logiciels/{slug}`: a software, its links, and the authorities that run it.
/// A status, the authorities shown under it, and the link to all of them when more exist.
type StatusGroup = (
    String,
    Vec<crate::dto::AuthorityLink>,
    Option<(String, u64)>,
);

/// The map of where a tool is in service, fetched once per page.
type MapResource = Resource<Result<Option<crate::dto::MapView>, crate::error::AppError>>;

#[component]
pub fn SoftwarePage() -> impl IntoView {
    let params = use_params_map();
    let slug = move || params.read().get("slug").unwrap_or_default();
    let software = Resource::new(slug, get_software);
    // Created here, once per page, and fetched beside the software: created inside the
    // details, it was fetched twice per render on the server.
    let map = Resource::new(slug, software_map);
    let reviews = Resource::new(slug, list_reviews);
    view! {
        <Suspense fallback=|| view! { <p class="loading">"Chargement…"</p> }>
            {move || Suspend::new(async move {
                match software.await {
                    Ok(SoftwareLookup::Found(s)) => view! { <SoftwareDetails software=*s map reviews /> }.into_any(),
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

/// Where the tool is in use, département by département.
#[component]
fn SoftwareMap(map: MapResource, name: String) -> impl IntoView {
    let search = format!(
        "{}&departement=",
        crate::format::with_query("/recherche", &[("q", name.as_str()), ("status", "in_use")])
    );
    view! {
        <section aria-labelledby="map-title">
            <h2 id="map-title">"Où il est en service"</h2>
            <Suspense fallback=|| view! { <p class="loading">"Chargement de la carte…"</p> }>
                {move || {
                    let search = search.clone();
                    Suspend::new(async move {
                        match map.await {
                            Ok(Some(map)) => view! {
                                <FranceMap
                                    map
                                    title="Collectivités qui l'ont en service, par département".to_string()
                                    search
                                    unit=("collectivité", "collectivités")
                                />
                            }.into_any(),
                            Ok(None) => ().into_any(),
                            Err(err) => view! { <ServiceError err /> }.into_any(),
                        }
                    })
                }}
            </Suspense>
        </section>
    }
}

#[component]
fn SoftwareDetails(
    software: SoftwareView,
    map: MapResource,
    reviews: ReviewsResource,
) -> impl IntoView {
    let mut links = Vec::new();
    if let Some(w) = &software.website {
        links.push((w.clone(), "Site officiel".to_string()));
    }
    if let Some(q) = &software.wikidata {
        links.push((
            format!("https://www.wikidata.org/wiki/{q}"),
            format!("Wikidata ({q})"),
        ));
    }
    if let Some(id) = &software.sill_id {
        links.push((
            format!("https://code.gouv.fr/sill/detail?id={id}"),
            "Socle interministériel de logiciels libres".into(),
        ));
    }
    if let Some(id) = &software.comptoir_id {
        links.push((
            format!("https://comptoir-du-libre.org/fr/softwares/{id}"),
            "Comptoir du Libre".into(),
        ));
    }
    let counts = software
        .counts
        .iter()
        .filter(|(_, n)| *n > 0)
        .map(|(st, n)| format!("{} : {n}", st.label()))
        .collect::<Vec<_>>()
        .join(" · ");
    let total: u64 = software.counts.iter().map(|(_, n)| n).sum();
    let count_of = |status: UsageStatus| {
        software
            .counts
            .iter()
            .find(|(st, _)| *st == status)
            .map_or(0, |(_, n)| *n)
    };
    // Each group lists the most populated few; past them, a link to the search page,
    // which lists them all with pagination and filters.
    let groups: Vec<StatusGroup> = UsageStatus::ALL
        .iter()
        .map(|status| {
            let items: Vec<_> = software
                .users
                .iter()
                .filter(|u| u.status == *status)
                .map(|u| u.authority.clone())
                .collect();
            let all = count_of(*status);
            let more = (all > items.len() as u64).then(|| {
                (
                    crate::format::with_query(
                        "/recherche",
                        &[("q", software.name.as_str()), ("status", status.as_str())],
                    ),
                    all,
                )
            });
            (status.label().to_string(), items, more)
        })
        .filter(|(_, items, _)| !items.is_empty())
        .collect();
    let slug = software.slug.clone();
    let referents = if software.viewer_is_member {
        if software.referents.is_empty() {
            view! { <p class="hint">"Aucun référent ne s'est encore déclaré pour ce logiciel."</p> }
                .into_any()
        } else {
            view! {
                <ul class="authority-list">
                    {software.referents.clone().into_iter().map(|r| {
                        let contact = r.contact_id.map(|id| {
                            let href = crate::format::with_query(
                                "/contact/nouveau",
                                &[("destinataire", &id.to_string()), ("logiciel", &slug)],
                            );
                            view! { " " <a href=href class="button-link" aria-label=format!("Contacter {}", r.name)>"Contacter"</a> }
                        });
                        view! {
                            <li>
                                <strong>{r.name.clone()}</strong>
                                <span class="meta">{format!(" {} — ", r.job_title)}</span>
                                <A href=format!("/collectivites/{}", r.authority_public_id)>{r.authority_name}</A>
                                {contact}
                            </li>
                        }
                    }).collect_view()}
                </ul>
                <p class="question-link">
                    <a href=format!("/logiciels/{slug}/question") class="button-link">"Poser une question aux référents"</a>
                    " — une seule question, envoyée à chacun, restreinte à une région, un département, un type ou une taille de collectivité si vous le souhaitez."
                </p>
            }.into_any()
        }
    } else {
        view! { <p class="hint">"Les référents (membres qui acceptent d'être contactés) sont visibles des membres connectés. " <A href="/connexion">"Se connecter"</A></p> }.into_any()
    };
    view! {
        <Title text=software.name.clone() />
        <article class="software" data-slug=software.slug.clone()>
            <p class="eyebrow">{software.category.clone().unwrap_or_else(|| "Logiciel".into())}</p>
            <h1>{software.name.clone()}</h1>
            <Flash />
            <p class="follow">
                {software.viewer_follows.map(|following| view! {
                    <FollowButton target=model::watch::FollowTarget::Software slug=software.slug.clone() name=software.name.clone() following />
                    " "
                })}
                <a href=format!("/logiciels/{}/flux.atom", software.slug) type="application/atom+xml">"Flux Atom des adoptions et abandons"</a>
            </p>
            {software.proposed.then(|| view! { <p class="notice" role="status">"Proposé par un membre, en attente de validation par un administrateur."</p> })}
            <p class="lead">{software.description.clone()}</p>
            <dl class="identity">
                <dt>"Type"</dt>
                <dd>{if software.is_free { "Logiciel libre" } else { "Logiciel propriétaire" }}</dd>
                {software.licence.clone().map(|l| view! { <dt>"Licence"</dt><dd>{l}</dd> })}
                {(!software.aliases.is_empty()).then(|| view! { <dt>"Aussi appelé"</dt><dd>{software.aliases.join(", ")}</dd> })}
                {(!software.similar_names.is_empty()).then(|| view! { <dt>"Équivalent à"</dt><dd>{software.similar_names.join(", ")}</dd> })}
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
                        {groups.into_iter().map(|(label, items, more)| {
                            let shown = items.len() as u64;
                            let all = more.as_ref().map_or(shown, |(_, n)| *n);
                            view! {
                                <h3>{format!("{label} ({})", plural(all, "collectivité", "collectivités"))}</h3>
                                <AuthorityList items />
                                {more.map(|(href, n)| view! {
                                    <p class="more"><a href=href>{format!("Voir les {n} collectivités, page par page")}</a></p>
                                })}
                            }
                        }).collect_view()}
                    }.into_any()
                }}
            </section>
            <SoftwareMap map name=software.name.clone() />
            <section aria-labelledby="referents-title">
                <h2 id="referents-title">"Référents"</h2>
                {referents}
            </section>
            <ReviewsSection slug=software.slug.clone() reviews />
        </article>
    }
}
