//! `/statistiques`: what the network runs, in figures, charts and a map.

use leptos::prelude::*;
use leptos_meta::Title;

use crate::api::statistics::get_statistics;
use crate::components::charts::BarChart;
use crate::components::failure::ServiceError;
use crate::components::france_map::FranceMap;
use crate::dto::StatisticsView;
use crate::format::thousands;

#[component]
pub fn StatisticsPage() -> impl IntoView {
    let stats = Resource::new(|| (), |_| get_statistics());
    view! {
        <Title text="Statistiques" />
        <h1>"Statistiques du réseau"</h1>
        <p class="lead">"Ce que les collectivités du réseau déclarent utiliser. Les chiffres sont calculés à chaque visite ; ils sont aussi dans l'" <a href="/api">"API"</a> " et en " <a href="/donnees">"données ouvertes"</a> "."</p>
        <Suspense fallback=|| view! { <p class="loading">"Chargement…"</p> }>
            {move || Suspend::new(async move {
                match stats.await {
                    Ok(s) => view! { <Figures s /> }.into_any(),
                    Err(err) => view! { <ServiceError err /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Figures(s: StatisticsView) -> impl IntoView {
    let n = |v: u64| thousands(v as i64);
    let categories = s
        .top_tools_by_category
        .into_iter()
        .map(|c| {
            view! {
                <li>
                    <strong>{c.label}</strong>" : "
                    {c.tools.into_iter().enumerate().map(|(i, t)| view! {
                        {(i > 0).then_some(", ")}
                        <a href=format!("/logiciels/{}", t.key)>{t.label}</a>
                        {format!(" ({})", t.count)}
                    }).collect_view()}
                </li>
            }
        })
        .collect_view();
    view! {
        <dl class="key-figures">
            <div><dt>"Collectivités membres"</dt><dd>{n(s.member_authorities)}</dd></div>
            <div><dt>"Membres inscrits"</dt><dd>{n(s.members)}</dd></div>
            <div><dt>"Collectivités ayant déclaré un logiciel"</dt><dd>{n(s.active_authorities)}</dd></div>
            <div><dt>"Déclarations"</dt><dd>{n(s.declarations)}</dd></div>
        </dl>
        <section aria-labelledby="carte">
            <h2 id="carte">"Où sont les collectivités actives"</h2>
            <FranceMap
                map=s.map
                title="Collectivités ayant au moins un logiciel en service, par département".to_string()
                search="/recherche?departement=".to_string()
                unit=("collectivité", "collectivités")
            />
        </section>
        <section aria-labelledby="outils">
            <h2 id="outils">"Les logiciels les plus utilisés"</h2>
            <BarChart title="Collectivités qui l'ont en service".to_string() items=s.top_tools />
            <h3>"Par catégorie"</h3>
            <ul class="category-tops">{categories}</ul>
            <BarChart title="Part du libre parmi les logiciels en service (déclarations)".to_string() items=s.free_share />
        </section>
        <section aria-labelledby="collectivites">
            <h2 id="collectivites">"Les collectivités actives"</h2>
            <BarChart title="Par type de collectivité".to_string() items=s.authorities_by_kind />
            <BarChart title="Par région".to_string() items=s.authorities_by_region />
        </section>
        <section aria-labelledby="declarations">
            <h2 id="declarations">"Les déclarations"</h2>
            <BarChart title="Par statut".to_string() items=s.declarations_by_status />
            <BarChart title="Par année de mise en service".to_string() items=s.adoption_by_year />
            <BarChart title="Fraîcheur : dernière confirmation par la collectivité".to_string() items=s.freshness />
        </section>
    }
}
