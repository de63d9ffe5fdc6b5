//! A list of authorities as links, with kind, département and population.

use leptos::prelude::*;
use leptos_router::components::A;

use crate::dto::AuthorityLink;
use crate::format::{link_kind_label, population_label};

#[component]
pub fn AuthorityList(items: Vec<AuthorityLink>) -> impl IntoView {
    view! {
        <ul class="authority-list">
            {items
                .into_iter()
                .map(|item| {
                    let href = format!("/collectivites/{}", item.public_id);
                    let kind = link_kind_label(&item);
                    let dep = item
                        .departement_code
                        .clone()
                        .map(|d| format!(" · {d}"))
                        .unwrap_or_default();
                    let population = population_label(item.population);
                    view! {
                        <li>
                            <A href=href>{item.name}</A>
                            <span class="meta">{format!("{kind}{dep} · {population}")}</span>
                        </li>
                    }
                })
                .collect_view()}
        </ul>
    }
}
