//! `/recherche`: authorities by the software they run — query, facets, sort, pagination.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use model::search::SearchParams;

use crate::api::search::search;
use crate::components::failure::InlineError;
use crate::dto::{SearchHitView, SearchView};
use crate::error::AppError;
use crate::format::{plural, population_label, with_query};

const FACET_LABELS: [(&str, &str); 8] = [
    ("kind", "Type de collectivité"),
    ("region", "Région"),
    ("departement", "Département"),
    ("population", "Population"),
    ("category", "Domaine du logiciel"),
    ("status", "Statut d'usage"),
    ("member", "Réseau"),
    ("label", "Label Villes Internet"),
];

fn url(params: &SearchParams) -> String {
    let pairs = params.pairs();
    let pairs: Vec<(&str, &str)> = pairs.iter().map(|(k, v)| (*k, v.as_str())).collect();
    with_query("/recherche", &pairs)
}

/// `/recherche`: who runs which tool. A GET form that works without JavaScript; the
/// results are an island: once hydrated, they follow the typing and the URL always holds
/// the whole search.
#[component]
pub fn SearchPage() -> impl IntoView {
    let query = use_query_map().read_untracked();
    let parsed = SearchParams::parse(
        model::search::NAMES
            .iter()
            .filter_map(|name| query.get_str(name).map(|value| (*name, value))),
    );
    // An address with a value no filter offers: say which, and search without filters.
    let (initial, refused) = match parsed {
        Ok(params) => (params, None),
        Err(err) => {
            let q = query.get_str("q").unwrap_or_default().to_string();
            (
                SearchParams {
                    q,
                    ..Default::default()
                },
                Some(err.message),
            )
        }
    };
    view! {
        <Title text="Rechercher" />
        <h1>"Qui utilise quel logiciel ?"</h1>
        {refused.map(|message| view! {
            <section class="notice error" role="alert"><InlineError err=AppError::Invalid(message) /></section>
        })}
        <SearchIsland initial />
    }
}

/// The search form and its results. Without JavaScript, a plain GET form; hydrated,
/// typing (debounced 250 ms) and filters search again at once and keep the URL in step
/// (`history.replaceState`, so the address can be shared).
#[island(lazy)]
fn SearchIsland(initial: SearchParams) -> impl IntoView {
    crate::components::islands::mark_hydrated();
    let params = RwSignal::new(initial.clone());
    let results = Resource::new(move || params.get(), search);
    let pending = StoredValue::new(None::<leptos::prelude::TimeoutHandle>);
    let on_input = move |ev: leptos::ev::Event| {
        let value = event_target_value(&ev);
        if let Some(handle) = pending.get_value() {
            handle.clear();
        }
        let handle = set_timeout_with_handle(
            move || {
                let mut next = params.get_untracked();
                next.q = value;
                next.page = None;
                show(&next);
                params.set(next);
            },
            std::time::Duration::from_millis(250),
        );
        pending.set_value(handle.ok());
    };
    let on_filter = move |ev: leptos::ev::Event| {
        use leptos::wasm_bindgen::JsCast;
        let Some(select) = ev
            .target()
            .and_then(|t| t.dyn_into::<leptos::web_sys::HtmlSelectElement>().ok())
        else {
            return;
        };
        let mut next = params.get_untracked();
        // The choices are the facets' own values; one the parameters refuse changes nothing.
        if next.set(&select.name(), &select.value()).is_err() {
            return;
        }
        next.page = None;
        show(&next);
        params.set(next);
    };
    view! {
        <form method="get" action="/recherche" class="search-form" role="search">
            <label for="search-q">"Un logiciel, un domaine ou une collectivité"</label>
            <div class="finder-row">
                <input id="search-q" name="q" type="search" maxlength="200" autocomplete="off"
                    placeholder="ex. GLPI, libre ofice, cimetière, Teams, Istres"
                    value=initial.q.clone() on:input=on_input />
                <button type="submit">"Rechercher"</button>
            </div>
            <Transition fallback=|| view! { <p class="loading">"Recherche…"</p> }>
                {move || Suspend::new(async move {
                    match results.await {
                        Ok(found) => view! { <Results found params=params.get_untracked() on_filter /> }.into_any(),
                        Err(err) => view! {
                            <section class="notice error" role="alert"><InlineError err /></section>
                        }.into_any(),
                    }
                })}
            </Transition>
        </form>
    }
}

/// Puts the search in the address bar without reloading (in the browser only).
fn show(params: &SearchParams) {
    #[cfg(feature = "hydrate")]
    if let Ok(history) = leptos::prelude::window().history() {
        let _ = history.replace_state_with_url(
            &leptos::wasm_bindgen::JsValue::NULL,
            "",
            Some(&url(params)),
        );
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = params;
}

// Views below render inside the island: plain `<a>` links (no client router here).
#[component]
fn Filters(
    found: SearchView,
    params: SearchParams,
    on_filter: impl Fn(leptos::ev::Event) + Clone + Send + Sync + 'static,
) -> impl IntoView {
    let current = |name: &str| params.get(name);
    view! {
        <fieldset class="filters">
            <legend>"Affiner"</legend>
            {FACET_LABELS.iter().map(|(name, label)| {
                let selected = current(name);
                let values = found.facets.iter().find(|(n, _)| n == name).map(|(_, v)| v.clone()).unwrap_or_default();
                let id = format!("facet-{name}");
                let on_filter = on_filter.clone();
                view! {
                    <div class="filter">
                        <label for=id.clone()>{*label}</label>
                        <select id=id name=*name on:change=on_filter>
                            <option value="" selected=selected.is_empty()>"Tous"</option>
                            {values.into_iter().map(|v| {
                                let is = v.value == selected;
                                view! { <option value=v.value selected=is>{format!("{} ({})", v.label, v.count)}</option> }
                            }).collect_view()}
                        </select>
                    </div>
                }
            }).collect_view()}
            <div class="filter">
                <label for="search-sort">"Trier par"</label>
                <select id="search-sort" name="sort" on:change=on_filter>
                    <option value="" selected=current("sort").is_empty()>"Pertinence"</option>
                    <option value="population" selected=current("sort") == "population">"Population"</option>
                    <option value="name" selected=current("sort") == "name">"Nom"</option>
                </select>
            </div>
            <noscript><button type="submit" class="secondary">"Appliquer les filtres"</button></noscript>
        </fieldset>
    }
}

#[component]
fn Results(
    found: SearchView,
    params: SearchParams,
    on_filter: impl Fn(leptos::ev::Event) + Clone + Send + Sync + 'static,
) -> impl IntoView {
    let pages = found.total.div_ceil(found.per_page.max(1));
    let page_link = |page: u64| {
        let mut p = params.clone();
        p.page = Some(page);
        url(&p)
    };
    let prev = (found.page > 1).then(|| page_link(found.page - 1));
    let next = (found.page < pages).then(|| page_link(found.page + 1));
    let summary = format!(
        "{} · {:.1} ms",
        plural(
            found.total,
            "collectivité trouvée",
            "collectivités trouvées"
        ),
        found.processing_time_ms
    );
    let empty = (found.total == 0).then(|| {
        let suggestions = found.suggestions.clone();
        view! {
            <div class="empty-state" role="status">
                <p>{if params.q.is_empty() { "Aucune collectivité ne correspond à ces filtres.".to_string() } else { format!("Aucune collectivité ne correspond à « {} ».", params.q) }}</p>
                {(!suggestions.is_empty()).then(|| view! {
                    <p>"Vouliez-vous dire : "
                        {suggestions.into_iter().map(|(slug, name)| view! {
                            <a href=with_query("/recherche", &[("q", name.as_str())]) data-slug=slug>{name.clone()}</a>" "
                        }).collect_view()}
                    </p>
                })}
                <p>"Essayez un autre nom, un logiciel équivalent ou retirez des filtres."</p>
                {(!params.q.is_empty()).then(|| view! {
                    <p class="propose-hint">
                        "Ce logiciel manque au catalogue ? Les membres le proposent depuis la page de leur collectivité (« Le logiciel n'est pas dans la liste ? Proposez-le ») ; elle est liée depuis "
                        <a href="/compte">"Mon compte"</a>
                        "."
                    </p>
                })}
            </div>
        }
    });
    view! {
        <Filters found=found.clone() params=params.clone() on_filter />
        <p class="result-count" role="status" data-testid="result-count">{summary}</p>
        {empty}
        <ul class="results">
            {found.hits.into_iter().map(|hit| view! { <ResultCard hit /> }).collect_view()}
        </ul>
        {(pages > 1).then(|| view! {
            <nav class="pagination" aria-label="Pagination">
                {prev.map(|href| view! { <a href=href rel="prev">"← Page précédente"</a> })}
                <span>{format!("Page {} sur {}", found.page, pages)}</span>
                {next.map(|href| view! { <a href=href rel="next">"Page suivante →"</a> })}
            </nav>
        })}
    }
}

#[component]
fn ResultCard(hit: SearchHitView) -> impl IntoView {
    let place = match (&hit.departement_name, &hit.departement) {
        (Some(name), Some(code)) => format!(" · {name} ({code})"),
        _ => hit
            .region_name
            .clone()
            .map(|r| format!(" · {r}"))
            .unwrap_or_default(),
    };
    let meta = format!(
        "{}{} · {}",
        hit.kind_label,
        place,
        population_label(hit.population)
    );
    let member = hit.is_member.then(|| {
        let label = hit
            .label_level
            .map(|l| format!(" · label {}", "@".repeat(l.clamp(1, 5) as usize)))
            .unwrap_or_default();
        view! { <span class="badge member">{format!("Membre{label}")}</span> }
    });
    let contacts = (hit.contactable_members > 0).then(|| {
        view! { <span class="meta">{plural(hit.contactable_members as u64, " membre joignable", " membres joignables")}</span> }
    });
    view! {
        <li class="result" data-id=hit.id.clone()>
            <h2><a href=format!("/collectivites/{}", hit.id)>{hit.name.clone()}</a></h2>
            <p class="meta">{meta} " " {member} " " {contacts}</p>
            {(!hit.matched_tools.is_empty()).then(|| view! {
                <ul class="matched-tools">
                    {hit.matched_tools.into_iter().map(|t| view! {
                        <li>
                            <a href=format!("/logiciels/{}", t.slug)>{t.name}</a>
                            <span class=format!("badge status-{}", t.status.as_str())>{t.status.label()}</span>
                        </li>
                    }).collect_view()}
                </ul>
            })}
        </li>
    }
}
