use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::{components::A, hooks::use_query_map};

use super::authority::{ServiceError, count_label};
use crate::api::authorities::find_authorities;
use crate::components::{authority_finder::AuthorityFinder, authority_list::AuthorityList};
use crate::dto::AuthorityResults;
use crate::format::with_query;

/// `/recherche?q=...&page=...`: authorities by name or code, server-rendered so it works
/// without JavaScript and every search has a shareable URL.
#[component]
pub fn LookupPage() -> impl IntoView {
    let query = use_query_map();
    let q = move || query.read().get("q").unwrap_or_default();
    let page = move || {
        query
            .read()
            .get("page")
            .and_then(|p| p.parse::<u64>().ok())
            .unwrap_or(1)
    };
    let results = Resource::new(move || (q(), page()), |(q, page)| find_authorities(q, page));

    view! {
        <Title text="Trouver une collectivité" />
        <h1>"Trouver une collectivité"</h1>
        {move || view! { <AuthorityFinder initial=q() /> }}
        <Suspense fallback=|| view! { <p class="loading">"Recherche…"</p> }>
            {move || Suspend::new(async move {
                match results.await {
                    Ok(found) => view! { <Results found /> }.into_any(),
                    Err(err) => view! { <ServiceError err /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

fn page_href(query: &str, page: u64) -> String {
    with_query("/recherche", &[("q", query), ("page", &page.to_string())])
}

#[component]
fn Results(found: AuthorityResults) -> impl IntoView {
    if found.query.is_empty() {
        return view! {
            <p class="empty-state">"Saisissez le nom d'une collectivité, un code postal, un code INSEE ou un SIREN."</p>
        }
        .into_any();
    }
    if found.total == 0 {
        return view! {
            <div class="empty-state" role="status">
                <p>{format!("Aucune collectivité ne correspond à « {} ».", found.query)}</p>
                <p>"Vérifiez l'orthographe, essayez une partie du nom (« marseille »), un code postal (« 13800 ») ou un numéro SIREN à 9 chiffres."</p>
            </div>
        }
        .into_any();
    }
    let pages = found.page_count();
    let prev = (found.page > 1).then(|| page_href(&found.query, found.page - 1));
    let next = (found.page < pages).then(|| page_href(&found.query, found.page + 1));
    view! {
        <p class="result-count" role="status">
            {format!("{} pour « {} »", count_label(found.total), found.query)}
        </p>
        <AuthorityList items=found.items />
        {(pages > 1).then(|| view! {
            <nav class="pagination" aria-label="Pagination">
                {prev.map(|href| view! { <A href=href attr:rel="prev">"← Page précédente"</A> })}
                <span>{format!("Page {} sur {}", found.page, pages)}</span>
                {next.map(|href| view! { <A href=href attr:rel="next">"Page suivante →"</A> })}
            </nav>
        })}
    }
    .into_any()
}

#[cfg(test)]
mod tests {
    use super::page_href;

    #[test]
    fn page_links_encode_the_query() {
        assert_eq!(
            page_href("Saint Étienne", 2),
            "/recherche?q=Saint+%C3%89tienne&page=2"
        );
        assert_eq!(page_href("a&b", 1), "/recherche?q=a%26b&page=1");
    }
}
