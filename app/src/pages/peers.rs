//! `/collectivites/:id/pairs`: « Vos pairs » — the authorities most comparable to one, what
//! they run most and what they left; for its approved members, one-click declarations of
//! the tools it has not declared.

use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_meta::Title;
use leptos_router::{components::A, hooks::use_params_map};

use super::not_found::NotFoundPage;
use crate::api::peers::get_peers;
use crate::api::usages::DeclareUsage;
use crate::components::failure::ServiceError;
use crate::dto::{PeerAuthorityView, PeersView, ToolShareView};
use crate::format::{plural, population_label};

#[component]
pub fn PeersPage() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.read().get("id").unwrap_or_default();
    let peers = Resource::new(id, get_peers);
    view! {
        <Suspense fallback=|| view! { <p class="loading">"Chargement…"</p> }>
            {move || Suspend::new(async move {
                match peers.await {
                    Ok(Some(view)) => view! { <Peers view /> }.into_any(),
                    Ok(None) => view! { <NotFoundPage /> }.into_any(),
                    Err(err) => view! { <ServiceError err /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// « 31 sur 50 ».
fn share_label(count: u32, of: usize) -> String {
    format!("{count} sur {of}")
}

/// The one-click declaration of a suggested tool (in service; the member refines it on
/// the authority page, where the form sends them back).
fn declare_button(public_id: &str, tool: &ToolShareView) -> impl IntoView + use<> {
    let label = format!("Déclarer {} comme utilisé", tool.name);
    view! {
        <form method="post" action=DeclareUsage::PATH class="inline-form">
            <input type="hidden" name="authority" value=public_id.to_string() />
            <input type="hidden" name="software" value=tool.slug.clone() />
            <input type="hidden" name="status" value="in_use" />
            <input type="hidden" name="since_year" value="" />
            <input type="hidden" name="version" value="" />
            <input type="hidden" name="notes" value="" />
            <input type="hidden" name="satisfaction" value="" />
            <button type="submit" aria-label=label>"Nous l'utilisons aussi"</button>
        </form>
    }
}

#[component]
fn ToolShares(
    tools: Vec<ToolShareView>,
    of: usize,
    public_id: String,
    can_declare: bool,
) -> impl IntoView {
    view! {
        <table class="peer-tools">
            <thead>
                <tr>
                    <th scope="col">"Logiciel"</th>
                    <th scope="col">"Collectivités"</th>
                    {can_declare.then(|| view! { <th scope="col">"Chez vous"</th> })}
                </tr>
            </thead>
            <tbody>
                {tools
                    .into_iter()
                    .map(|t| {
                        let href = format!("/logiciels/{}", t.slug);
                        let mine = can_declare.then(|| {
                            if t.declared_here {
                                view! { <td>"Déjà déclaré"</td> }.into_any()
                            } else {
                                view! { <td>{declare_button(&public_id, &t)}</td> }.into_any()
                            }
                        });
                        let moved = (!t.moved_to.is_empty()).then(|| {
                            let list = t
                                .moved_to
                                .iter()
                                .map(|(_, name, n)| format!("{name} ({n})"))
                                .collect::<Vec<_>>()
                                .join(", ");
                            view! { <span class="meta">{format!(" — remplacé par {list}")}</span> }
                        });
                        view! {
                            <tr>
                                <td><A href=href>{t.name.clone()}</A>{moved}</td>
                                <td>{share_label(t.count, of)}</td>
                                {mine}
                            </tr>
                        }
                    })
                    .collect_view()}
            </tbody>
        </table>
    }
}

fn peer_item(p: PeerAuthorityView) -> impl IntoView {
    let href = format!("/collectivites/{}", p.authority.public_id);
    let place = match (&p.departement_name, &p.authority.departement_code) {
        (Some(name), Some(code)) => format!("{name} ({code})"),
        (None, Some(code)) => code.clone(),
        _ => String::new(),
    };
    let meta = [
        p.authority.kind.label().to_string(),
        place,
        population_label(p.authority.population),
    ]
    .into_iter()
    .filter(|s| !s.is_empty())
    .collect::<Vec<_>>()
    .join(" · ");
    let tools = if p.tools.is_empty() {
        "Aucun logiciel utilisé déclaré".to_string()
    } else {
        format!("Utilise : {}", p.tools.join(", "))
    };
    view! {
        <li>
            <A href=href>{p.authority.name.clone()}</A>
            <span class="meta">{format!(" — {meta}")}</span>
            <p class="hint">{tools}</p>
        </li>
    }
}

#[component]
fn Peers(view: PeersView) -> impl IntoView {
    let n = view.peers.len();
    let back = format!("/collectivites/{}", view.public_id);
    let title = format!("Pairs de {}", view.name);
    let body = if n == 0 {
        view! {
            <p class="empty-state">
                "Aucune collectivité comparable n'a encore déclaré de logiciel. Revenez quand le réseau aura grandi."
            </p>
        }
        .into_any()
    } else {
        let abandoned = if view.abandoned.is_empty() {
            view! { <p class="hint">"Aucun de ces pairs n'a déclaré avoir abandonné un logiciel."</p> }.into_any()
        } else {
            view! {
                <ToolShares tools=view.abandoned of=n public_id=view.public_id.clone() can_declare=false />
            }
            .into_any()
        };
        view! {
            <section aria-labelledby="most-used-title">
                <h2 id="most-used-title">"Ce que vos pairs utilisent le plus"</h2>
                <ToolShares tools=view.most_used of=n public_id=view.public_id.clone() can_declare=view.can_declare />
            </section>
            <section aria-labelledby="abandoned-title">
                <h2 id="abandoned-title">"Ce que vos pairs ont abandonné"</h2>
                {abandoned}
            </section>
            <section aria-labelledby="peers-title">
                <h2 id="peers-title">{format!("Les {} les plus comparables", plural(n as u64, "collectivité", "collectivités"))}</h2>
                <ol class="authority-list peers">{view.peers.into_iter().map(peer_item).collect_view()}</ol>
            </section>
        }
        .into_any()
    };
    view! {
        <Title text=title.clone() />
        <article class="peers-page">
            <p class="eyebrow"><A href=back>{view.name.clone()}</A></p>
            <h1>{title}</h1>
            <p class="lead">
                "Les collectivités du même type qui ont déclaré leurs logiciels, de population la plus proche, de la même région d'abord, puis de la même intercommunalité, puis de toute la France."
            </p>
            {body}
        </article>
    }
}
