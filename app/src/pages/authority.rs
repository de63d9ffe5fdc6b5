//! `/collectivites/:id`: one authority — its details, network standing, members to contact and the tools it runs.

use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_meta::Title;
use leptos_router::{components::A, hooks::use_params_map};

use super::not_found::NotFoundPage;
use crate::api::authorities::{SetAuthorityDetails, SetAuthorityStanding, get_authority};
use crate::api::contact::list_authority_contacts;
use crate::api::usages::get_authority_tools;
use crate::components::failure::ServiceError;
use crate::components::flash::Flash;
use crate::components::{
    authority_list::AuthorityList,
    tools::{ToolsResource, ToolsSection},
};
use crate::dto::{AuthorityLink, AuthorityView, PeerView};
use crate::error::AppError;
use crate::format::{epci_type_label, link_kind_label, population_label};
use model::authority::AuthorityKind;

#[component]
pub fn AuthorityPage() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.read().get("id").unwrap_or_default();
    let authority = Resource::new(id, get_authority);
    // Created here, with the page, not inside the Suspend below: a resource created while a
    // Suspend resolves sometimes ran its server function without the request's context
    // under load (« AppState missing »), and the tools section then failed.
    let tools = Resource::new(id, get_authority_tools);
    let contacts = Resource::new(id, list_authority_contacts);
    view! {
        <Suspense fallback=|| view! { <p class="loading">"Chargement…"</p> }>
            {move || Suspend::new(async move {
                match authority.await {
                    Ok(Some(view)) => view! { <AuthorityDetails view tools contacts /> }.into_any(),
                    Ok(None) => view! { <NotFoundPage /> }.into_any(),
                    Err(err) => view! { <ServiceError err /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

fn link_to(link: &AuthorityLink) -> impl IntoView + use<> {
    let href = format!("/collectivites/{}", link.public_id);
    let name = link.name.clone();
    view! { <A href=href>{name}</A> }
}

#[component]
fn AuthorityDetails(
    view: AuthorityView,
    tools: ToolsResource,
    contacts: ContactsResource,
) -> impl IntoView {
    let a = view.authority.clone();
    let kind = link_kind_label(&a);
    let membership = view.is_member.then(|| {
        let since = view
            .member_since
            .map(|y| format!(" depuis {y}"))
            .unwrap_or_default();
        view! { <span class="badge member">{format!("Membre du réseau{since}")}</span> }
    });
    let label = view.label_level.map(|level| {
        let arobases = "@".repeat(level.clamp(1, 5) as usize);
        let year = view
            .label_year
            .map(|y| format!(" ({y})"))
            .unwrap_or_default();
        view! {
            <span class="badge label" title="Label Villes Internet">
                {format!("Label Villes Internet {arobases}{year}")}
            </span>
        }
    });
    let epci_row = (a.kind == AuthorityKind::Commune).then(|| match &view.epci {
        Some(epci) => {
            let form = epci
                .epci_type
                .as_deref()
                .map(epci_type_label)
                .unwrap_or("Intercommunalité");
            view! {
                <dt>"Intercommunalité"</dt>
                <dd>{link_to(epci)} <span class="meta">{format!(" ({form})")}</span></dd>
            }
            .into_any()
        }
        None => view! {
            <dt>"Intercommunalité"</dt>
            <dd>"Aucune (commune isolée ou statut particulier)"</dd>
        }
        .into_any(),
    });
    let children_title = match a.kind {
        AuthorityKind::Epci => Some("Communes membres"),
        AuthorityKind::Departement => Some("Intercommunalités du département"),
        AuthorityKind::Region => Some("Départements de la région"),
        AuthorityKind::Commune => None,
    };
    let children = children_title.map(|title| {
        let count = view.children.len();
        let items = view.children.clone();
        view! {
            <section class="children" aria-labelledby="children-title">
                <h2 id="children-title">{format!("{title} ({count})")}</h2>
                {if items.is_empty() {
                    view! { <p class="empty">"Aucune dans le référentiel."</p> }.into_any()
                } else {
                    view! { <AuthorityList items /> }.into_any()
                }}
            </section>
        }
    });
    let optional = |value: Option<String>| value.unwrap_or_else(|| "Non attribué".to_string());
    let postcodes = (!view.postcodes.is_empty()).then(|| {
        let label = if view.postcodes.len() > 1 {
            "Codes postaux"
        } else {
            "Code postal"
        };
        view! {
            <dt>{label}</dt>
            <dd>{view.postcodes.join(", ")}</dd>
        }
    });
    let cog_label = match a.kind {
        AuthorityKind::Commune => "Code INSEE (COG)",
        _ => "Code officiel géographique",
    };
    let cog = view
        .cog_code
        .clone()
        .map(|code| view! { <dt>{cog_label}</dt><dd>{code}</dd> });

    view! {
        <Title text=a.name.clone() />
        <article class="authority" data-public-id=a.public_id.clone()>
            <header class="authority-header">
                <p class="eyebrow">{kind.clone()}</p>
                <h1>{a.name.clone()}</h1>
                <p class="badges">{membership} {label}</p>
                <p class="peers-link">
                    <A href=format!("/collectivites/{}/pairs", a.public_id)>
                        "Vos pairs : ce qu'utilisent les collectivités comparables"
                    </A>
                </p>
            </header>
            <Flash />
            <section aria-labelledby="identity-title">
                <h2 id="identity-title">"Identité"</h2>
                <dl class="identity">
                    <dt>"Type"</dt>
                    <dd>{kind}</dd>
                    <dt>"Population"</dt>
                    <dd>{population_label(a.population)}</dd>
                    {view.departement.as_ref().map(|d| view! { <dt>"Département"</dt><dd>{link_to(d)}</dd> })}
                    {view.region.as_ref().map(|r| view! { <dt>"Région"</dt><dd>{link_to(r)}</dd> })}
                    {epci_row}
                    <dt>"SIREN"</dt>
                    <dd>{optional(view.siren.clone())}</dd>
                    {cog}
                    {postcodes}
                    {view.website.clone().map(|w| view! { <dt>"Site web"</dt><dd><a href=w.clone() rel="noopener">{w.clone()}</a></dd> })}
                    {view.description.clone().map(|d| view! { <dt>"Présentation"</dt><dd>{d}</dd> })}
                </dl>
            </section>
            {children}
            <ToolsSection tools public_id=a.public_id.clone() name=a.name.clone() />
            <ContactSection contacts />
            <NetworkAdmin tools view=view.clone() />
        </article>
    }
}

type ContactsResource = Resource<Result<Option<Vec<PeerView>>, AppError>>;

/// « Contacter un membre »: the authority's members who accept requests, for approved
/// members only (nothing is shown to others).
#[component]
fn ContactSection(contacts: ContactsResource) -> impl IntoView {
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                let peers = match contacts.await {
                    Ok(Some(peers)) => peers,
                    _ => return ().into_any(),
                };
                view! {
                    <section aria-labelledby="contact-title" class="contact-members">
                        <h2 id="contact-title">"Contacter un membre"</h2>
                        {if peers.is_empty() {
                            view! { <p class="empty-state">"Aucun membre de cette collectivité ne reçoit de demandes de contact pour l'instant."</p> }.into_any()
                        } else {
                            view! {
                                <ul class="authority-list">
                                    {peers.into_iter().map(|p| {
                                        let href = crate::format::with_query("/contact/nouveau", &[("destinataire", &p.id.to_string())]);
                                        view! {
                                            <li>
                                                <strong>{p.name.clone()}</strong>
                                                <span class="meta">{format!(" {} ", p.job_title)}</span>
                                                <a href=href class="button-link" aria-label=format!("Contacter {}", p.name)>"Contacter"</a>
                                                " "
                                                <a href=format!("/signaler-profil?membre={}", p.id) class="meta">"Signaler ce profil"</a>
                                            </li>
                                        }
                                    }).collect_view()}
                                </ul>
                            }.into_any()
                        }}
                    </section>
                }.into_any()
            })}
        </Suspense>
    }
}

/// Administrators set the authority's network membership and label here (no JavaScript
/// needed); the page shows the result at once and search follows through the outbox.
#[component]
fn NetworkAdmin(tools: ToolsResource, view: AuthorityView) -> impl IntoView {
    let view = StoredValue::new(view);
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                if !tools.await.map(|t| t.can_administer).unwrap_or(false) {
                    return ().into_any();
                }
                let v = view.get_value();
                let level = v.label_level.map(|l| l.to_string()).unwrap_or_default();
                view! {
                    <section id="reseau" aria-labelledby="network-title" class="admin-box">
                        <h2 id="network-title">"Administration : réseau et label"</h2>
                        <form method="post" action=SetAuthorityStanding::PATH class="stack-form" id="standing-form">
                            <input type="hidden" name="authority" value=v.authority.public_id.clone() />
                            <div class="choice">
                                <input type="checkbox" id="standing-member" name="membre" value="on" checked=v.is_member />
                                <label for="standing-member">"Membre du réseau"</label>
                            </div>
                            <label for="standing-since">"Membre depuis (facultatif)"</label>
                            <input type="date" id="standing-since" name="depuis" value=v.member_since_date.clone().unwrap_or_default() />
                            <label for="standing-label">"Label Villes Internet"</label>
                            <select id="standing-label" name="label">
                                <option value="" selected=level.is_empty()>"Aucun"</option>
                                {(1..=5).map(|n: i16| {
                                    let value = n.to_string();
                                    let selected = value == level;
                                    view! { <option value=value selected=selected>{"@".repeat(n as usize)}</option> }
                                }).collect_view()}
                            </select>
                            <label for="standing-year">"Année du label"</label>
                            <input type="number" id="standing-year" name="annee" min="1999" max="2100" value=v.label_year.map(|y| y.to_string()).unwrap_or_default() />
                            <button type="submit">"Enregistrer"</button>
                        </form>
                        <form method="post" action=SetAuthorityDetails::PATH class="stack-form" id="details-form">
                            <input type="hidden" name="authority" value=v.authority.public_id.clone() />
                            <label for="details-site">"Site web officiel"</label>
                            <input type="url" id="details-site" name="site" maxlength="300" value=v.website.clone().unwrap_or_default() />
                            <label for="details-description">"Présentation courte (500 caractères au plus)"</label>
                            <textarea id="details-description" name="description" maxlength="500" rows="3">{v.description.clone().unwrap_or_default()}</textarea>
                            <button type="submit">"Enregistrer l'identité"</button>
                        </form>
                    </section>
                }.into_any()
            })}
        </Suspense>
    }
}
