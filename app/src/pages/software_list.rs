//! `/logiciels`: the catalogue, filtered by name.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::{components::A, hooks::use_query_map};

use crate::api::catalogue::list_catalogue;
use crate::components::failure::ServiceError;
use crate::components::flash::Flash;
use crate::components::follow::FollowButton;
use crate::format::plural;

/// `/logiciels?filtre=...`: the catalogue by category, filtered by name or alias.
#[component]
pub fn SoftwareListPage() -> impl IntoView {
    let query = use_query_map();
    let filter = move || query.read().get("filtre").unwrap_or_default();
    let groups = Resource::new(filter, list_catalogue);
    view! {
        <Title text="Catalogue des logiciels" />
        <h1>"Catalogue des logiciels"</h1>
        <Flash />
        <p class="lead">"Les logiciels utilisés par les collectivités, classés par domaine. Les noms proches et les équivalents propriétaires mènent aussi au bon logiciel."</p>
        <form method="get" action="/logiciels" class="finder" role="search">
            <label for="filtre">"Filtrer par nom"</label>
            <div class="finder-row">
                <input id="filtre" name="filtre" type="search" maxlength="100" placeholder="ex. GLPI, cimetière, Teams" value=filter() />
                <button type="submit">"Filtrer"</button>
            </div>
        </form>
        <Suspense fallback=|| view! { <p class="loading">"Chargement…"</p> }>
            {move || Suspend::new(async move {
                match groups.await {
                    Ok(groups) if groups.is_empty() => view! {
                        <div class="empty-state" role="status">
                            <p>"Aucun logiciel ne correspond à ce filtre."</p>
                            <p>"Essayez une partie du nom, ou un logiciel équivalent. Un logiciel manque ? Les membres peuvent le proposer depuis la page de leur collectivité."</p>
                        </div>
                    }.into_any(),
                    Ok(groups) => groups.into_iter().map(|g| {
                        let count = plural(g.software.len() as u64, "logiciel", "logiciels");
                        let follow = g.viewer_follows.map(|following| view! {
                            <FollowButton target=model::watch::FollowTarget::Category slug=g.slug.clone() name=g.name.clone() following />
                        });
                        view! {
                            <section class="category" aria-labelledby=format!("cat-{}", g.slug)>
                                <h2 id=format!("cat-{}", g.slug)>{g.name.clone()} <span class="meta">{format!(" ({count})")}</span></h2>
                                {follow}
                                <ul class="software-grid">
                                    {g.software.into_iter().map(|s| {
                                        let users = if s.users == 0 { String::new() } else { format!(" · {}", plural(s.users, "collectivité", "collectivités")) };
                                        let kind = if s.is_free { "Libre" } else { "Propriétaire" };
                                        view! {
                                            <li>
                                                <A href=format!("/logiciels/{}", s.slug)>{s.name}</A>
                                                <span class="meta">{format!(" {kind}{users}")}</span>
                                                <p class="desc">{s.description}</p>
                                            </li>
                                        }
                                    }).collect_view()}
                                </ul>
                            </section>
                        }
                    }).collect_view().into_any(),
                    Err(err) => view! { <ServiceError err /> }.into_any(),
                }
            })}
        </Suspense>
    }
}
