//! The search box for authorities, an island. A plain GET form to `/recherche` without
//! JavaScript; once hydrated, it also suggests software and authorities while the user
//! types.

use leptos::prelude::*;

use crate::api::authorities::find_authorities;
use crate::api::search::suggest_software;
use crate::format::link_kind_label;
use crate::format::with_query;

/// Suggestions start from this many characters.
const MIN_CHARS: usize = 2;
const MAX_SUGGESTIONS: usize = 8;

#[island(lazy)]
pub fn AuthorityFinder() -> impl IntoView {
    crate::components::islands::mark_hydrated();
    let initial = String::new();
    let query = RwSignal::new(initial.clone());
    let suggestions = LocalResource::new(move || {
        let q = query.get();
        async move {
            if q.trim().chars().count() < MIN_CHARS {
                return None;
            }
            find_authorities(q, 1).await.ok()
        }
    });
    let software = LocalResource::new(move || {
        let q = query.get();
        async move {
            if q.trim().chars().count() < MIN_CHARS {
                return Vec::new();
            }
            suggest_software(q).await.unwrap_or_default()
        }
    });

    view! {
        <form class="finder" method="get" action="/recherche" role="search">
            <label for="finder-q">"Un logiciel, ou le nom, le code postal ou le SIREN d'une collectivité"</label>
            <div class="finder-row">
                <input
                    id="finder-q"
                    name="q"
                    type="search"
                    autocomplete="off"
                    maxlength="100"
                    placeholder="ex. GLPI, libre ofice, Istres, 13800"
                    prop:value=initial
                    on:input=move |ev| query.set(event_target_value(&ev))
                    aria-describedby="finder-hint"
                />
                <button type="submit">"Rechercher"</button>
            </div>
            <p id="finder-hint" class="hint">"Les fautes de frappe, les accents et les anciens noms (OpenERP, ownCloud…) sont tolérés."</p>
            <div class="suggestions" aria-live="polite" data-testid="software-suggestions">
                {move || {
                    let found = software.get().unwrap_or_default();
                    (!found.is_empty()).then(|| view! {
                        <p class="hint">"Logiciels :"</p>
                        <ul>
                            {found.into_iter().map(|(slug, name)| {
                                let href = with_query("/recherche", &[("q", name.as_str())]);
                                view! { <li><a href=href data-slug=slug>{format!("Qui utilise {name} ?")}</a></li> }
                            }).collect_view()}
                        </ul>
                    })
                }}
            </div>
            <div class="suggestions" aria-live="polite" data-testid="suggestions">
                {move || {
                    suggestions
                        .get()
                        .flatten()
                        .map(|found| {
                            if found.items.is_empty() {
                                view! { <p class="empty">"Aucune collectivité ne correspond."</p> }
                                    .into_any()
                            } else {
                                view! {
                                    <ul>
                                        {found
                                            .items
                                            .into_iter()
                                            .take(MAX_SUGGESTIONS)
                                            .map(|item| {
                                                let href = format!("/collectivites/{}", item.public_id);
                                                let kind = link_kind_label(&item);
                                                let dep = item.departement_code.clone().unwrap_or_default();
                                                view! {
                                                    <li>
                                                        <a href=href>{item.name}</a>
                                                        <span class="meta">{format!(" {kind} · {dep}")}</span>
                                                    </li>
                                                }
                                            })
                                            .collect_view()}
                                    </ul>
                                }
                                    .into_any()
                            }
                        })
                }}
            </div>
        </form>
    }
}
