//! `/admin/journal`: the audit log, newest first, filtered by author, action, target and dates.

use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use super::not_found::current_path;
use crate::api::admin::{FilterJournal, list_journal};
use crate::components::admin_nav::AdminNav;
use crate::components::failure::Failure;
use crate::dto::JournalPageView;
use crate::error::AppError;

/// `/admin/journal?f=…&action=…&cible=…&du=…&au=…&page=…`: every administrative and
/// account action, newest first, read-only (administrators only). The filter form is
/// posted: the author's address is kept behind the id `f`, never in the URL.
#[component]
pub fn AdminJournalPage() -> impl IntoView {
    let q = use_query_map().read_untracked().clone();
    let field = |k: &str| q.get(k).unwrap_or_default();
    let filters = [
        field("f"),
        field("action"),
        field("cible"),
        field("du"),
        field("au"),
    ];
    let page = q.get("page").and_then(|p| p.parse().ok()).unwrap_or(1u64);
    let journal = Resource::new(
        {
            let filters = filters.clone();
            move || (filters.clone(), page)
        },
        |([filtre, action, cible, du, au], page)| list_journal(filtre, action, cible, du, au, page),
    );
    let here = StoredValue::new(current_path());
    let kept = StoredValue::new(filters);
    view! {
        <Title text="Journal" />
        <h1>"Journal des actions"</h1>
        <AdminNav />
        <Suspense fallback=|| view! { <p class="loading">"Chargement…"</p> }>
            {move || Suspend::new(async move {
                let [_, action, cible, du, au] = kept.get_value();
                match journal.await {
                    Ok(found) => view! {
                        <JournalForm values=[found.actor_filter.clone(), action, cible, du, au] />
                        <JournalTable found kept=kept.get_value() />
                    }.into_any(),
                    Err(AppError::Invalid(msg)) => view! {
                        <JournalForm values=[crate::components::flash::kept("acteur"), action, cible, du, au] />
                        <div class="notice error" role="alert"><p>{msg}</p></div>
                    }.into_any(),
                    Err(err) => view! { <Failure err here=here.get_value() /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// The filter form, posted (`FilterJournal`), pre-filled with the filters in force.
#[component]
fn JournalForm(values: [String; 5]) -> impl IntoView {
    let [acteur, action, cible, du, au] = values;
    let acteur = if acteur.is_empty() {
        crate::components::flash::kept("acteur")
    } else {
        acteur
    };
    view! {
        <form method="post" action=FilterJournal::PATH class="filters stack-form" role="search">
            <label for="journal-actor">"Auteur (adresse)"</label>
            <input id="journal-actor" name="acteur" type="email" maxlength="254" value=acteur />
            <label for="journal-action">"Action (ou son début, ex. « member. »)"</label>
            <input id="journal-action" name="action" maxlength="64" value=action />
            <label for="journal-target">"Cible (numéro de membre, identifiant…)"</label>
            <input id="journal-target" name="cible" maxlength="64" value=cible />
            <label for="journal-from">"Du"</label>
            <input id="journal-from" name="du" type="date" value=du />
            <label for="journal-to">"Au"</label>
            <input id="journal-to" name="au" type="date" value=au />
            <button type="submit" class="secondary">"Filtrer"</button>
        </form>
    }
}

#[component]
fn JournalTable(found: JournalPageView, kept: [String; 5]) -> impl IntoView {
    if found.entries.is_empty() {
        return view! { <p class="empty-state">"Aucune action ne correspond à ces filtres."</p> }
            .into_any();
    }
    let link = move |page: u64| {
        let [filtre, action, cible, du, au] = &kept;
        crate::format::with_query(
            "/admin/journal",
            &[
                ("f", filtre),
                ("action", action),
                ("cible", cible),
                ("du", du),
                ("au", au),
                ("page", &page.to_string()),
            ],
        )
    };
    let prev = (found.page > 1).then(|| link(found.page - 1));
    let next = (found.page < found.pages).then(|| link(found.page + 1));
    view! {
        <p class="result-count">{crate::format::plural(found.total, "action", "actions")}</p>
        <div class="table-scroll">
            <table class="journal">
                <caption>"Actions, les plus récentes d'abord"</caption>
                <thead>
                    <tr>
                        <th scope="col">"Quand"</th>
                        <th scope="col">"Auteur"</th>
                        <th scope="col">"Action"</th>
                        <th scope="col">"Cible"</th>
                        <th scope="col">"Motif"</th>
                        <th scope="col">"Adresse IP"</th>
                    </tr>
                </thead>
                <tbody>
                    {found.entries.into_iter().map(|e| view! {
                        <tr>
                            <td>{e.at}</td>
                            <td>{e.actor.unwrap_or_else(|| "système".into())}</td>
                            <td><code>{e.action}</code></td>
                            <td>{e.target}</td>
                            <td>{e.reason.unwrap_or_default()}</td>
                            <td>{e.ip.unwrap_or_default()}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
        {(found.pages > 1).then(|| view! {
            <nav class="pagination" aria-label="Pagination">
                {prev.map(|href| view! { <a href=href rel="prev">"← Plus récentes"</a> })}
                <span>{format!("Page {} sur {}", found.page, found.pages)}</span>
                {next.map(|href| view! { <a href=href rel="next">"Plus anciennes →"</a> })}
            </nav>
        })}
    }
    .into_any()
}
