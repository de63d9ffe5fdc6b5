//! `/donnees`: the network's public data to download, with a data dictionary.

use leptos::prelude::*;
use leptos_meta::Title;

use crate::api::open_data::list_datasets;
use crate::components::failure::ServiceError;
use crate::format::plural;

/// `/donnees`: each table as CSV and JSON Lines, its size, its last change and what its
/// columns mean.
#[component]
pub fn OpenDataPage() -> impl IntoView {
    let datasets = Resource::new(|| (), |_| list_datasets());
    view! {
        <Title text="Données ouvertes" />
        <h1>"Données ouvertes"</h1>
        <p class="lead">"Ce que le réseau utilise, pour que chacun puisse le réutiliser : les collectivités membres, le catalogue et les déclarations d'usage. Aucune donnée personnelle : jamais le nom, l'adresse ou le téléphone d'un membre."</p>
        <p>"Licence : " <a href="https://www.etalab.gouv.fr/licence-ouverte-open-licence/">"Licence Ouverte 2.0 (Etalab)"</a> ". Mention de la source : « Pairs, annuaire d'entraide des collectivités »."</p>
        <p>"Formats : CSV en UTF-8, séparateur virgule, guillemets doubles au besoin, une ligne d'en-tête ; JSON Lines (un objet JSON par ligne, mêmes champs). Les fichiers sont produits à la demande, toujours à jour."</p>
        <Suspense fallback=|| view! { <p class="loading">"Chargement…"</p> }>
            {move || Suspend::new(async move {
                match datasets.await {
                    Ok(list) => list.into_iter().map(|d| {
                        let id = format!("jeu-{}", d.name);
                        let labelled_by = id.clone();
                        let size = plural(d.rows, "ligne", "lignes");
                        let updated = d.updated.map(|u| format!(", mise à jour le {u}")).unwrap_or_default();
                        view! {
                            <section class="dataset" aria-labelledby=labelled_by>
                                <h2 id=id>{d.title}</h2>
                                <p>
                                    <a href=format!("/donnees/{}.csv", d.name) download="">{format!("{}.csv", d.name)}</a>
                                    " · "
                                    <a href=format!("/donnees/{}.jsonl", d.name) download="">{format!("{}.jsonl", d.name)}</a>
                                    <span class="meta">{format!(" — {size}{updated}")}</span>
                                </p>
                                <table>
                                    <caption>"Dictionnaire des colonnes"</caption>
                                    <thead><tr><th scope="col">"Colonne"</th><th scope="col">"Signification"</th></tr></thead>
                                    <tbody>
                                        {d.columns.into_iter().map(|(c, m)| view! {
                                            <tr><th scope="row"><code>{c}</code></th><td>{m}</td></tr>
                                        }).collect_view()}
                                    </tbody>
                                </table>
                            </section>
                        }
                    }).collect_view().into_any(),
                    Err(err) => view! { <ServiceError err /> }.into_any(),
                }
            })}
        </Suspense>
    }
}
