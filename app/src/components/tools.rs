//! The tools section of an authority page: its declarations, and for its approved
//! members the forms to declare, edit, confirm, remove and propose.

use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_router::components::A;

use crate::api::usages::{ConfirmUsage, DeclareUsage, ProposeSoftware, RemoveUsage, UpdateUsage};
use crate::components::fields::HiddenId;
use crate::dto::{AuthorityTools, UsageView};
use model::usage::UsageStatus;

/// The authority's tools, loaded by the page alongside its identity.
pub type ToolsResource = Resource<Result<AuthorityTools, crate::error::AppError>>;

#[component]
pub fn ToolsSection(tools: ToolsResource, public_id: String, name: String) -> impl IntoView {
    let public_id = StoredValue::new(public_id);
    let name = StoredValue::new(name);
    view! {
        <section class="tools" id="outils" aria-labelledby="tools-title">
            <h2 id="tools-title">"Logiciels utilisés"</h2>
            <Suspense fallback=|| view! { <p class="loading">"Chargement…"</p> }>
                {move || Suspend::new(async move {
                    let tools = tools.await.unwrap_or_default();
                    view! { <Tools tools public_id=public_id.get_value() name=name.get_value() /> }
                })}
            </Suspense>
        </section>
    }
}

#[component]
fn Tools(tools: AuthorityTools, public_id: String, name: String) -> impl IntoView {
    let can_edit = tools.can_edit;
    let list = if tools.usages.is_empty() {
        view! {
            <div class="empty-state">
                <p>{format!("Aucun logiciel n'a encore été déclaré pour {name}.")}</p>
                {(!can_edit).then(|| view! {
                    <p>"Vous êtes élu·e ou agent·e de cette collectivité ? " <A href="/inscription">"Rejoignez Pairs"</A> " pour déclarer les outils que vous utilisez et aider vos pairs."</p>
                })}
            </div>
        }
        .into_any()
    } else {
        let pid = public_id.clone();
        view! {
            <ul class="usages">
                {tools.usages.into_iter().map(|u| view! { <UsageItem usage=u can_edit public_id=pid.clone() /> }).collect_view()}
            </ul>
        }
        .into_any()
    };
    view! {
        {list}
        {can_edit.then(|| view! { <DeclareForms public_id=public_id.clone() choices=tools.choices.clone() categories=tools.categories.clone() /> })}
    }
}

fn stars(n: i16) -> String {
    let n = n.clamp(0, 5) as usize;
    format!("{}{} ({n}/5)", "★".repeat(n), "☆".repeat(5 - n))
}

#[component]
fn UsageItem(usage: UsageView, can_edit: bool, public_id: String) -> impl IntoView {
    let mut facts = vec![usage.status.label().to_string()];
    if let Some(r) = &usage.replaced_by {
        facts.push(format!("remplacé par {r}"));
    }
    if let Some(y) = usage.since_year {
        facts.push(format!("depuis {y}"));
    }
    if let Some(v) = &usage.version {
        facts.push(format!("version {v}"));
    }
    if usage.referents > 0 {
        facts.push(if usage.referents > 1 {
            format!("{} référents", usage.referents)
        } else {
            "1 référent".into()
        });
    }
    let freshness = if let Some(months) = usage.unconfirmed_months {
        format!(
            "Non confirmée depuis {months} mois (dernière confirmation le {}) : ses référents ne sont plus proposés au contact",
            usage.confirmed_on
        )
    } else if usage.stale {
        format!(
            "À confirmer : dernière confirmation le {}",
            usage.confirmed_on
        )
    } else {
        format!("Confirmé le {}", usage.confirmed_on)
    };
    // Type-erased: keeps the view type (and compile times) small.
    let actions =
        can_edit.then(|| view! { <UsageActions usage=usage.clone() public_id /> }.into_any());
    let slug = usage.software_slug.clone();
    view! {
        <li class="usage" class:stale=usage.stale data-software=slug.clone()>
            <div class="usage-head">
                <A href=format!("/logiciels/{slug}")>{usage.software_name.clone()}</A>
                {usage.software_proposed.then(|| view! { <span class="badge">"proposé"</span> })}
                <span class=format!("badge status-{}", usage.status.as_str())>{facts.join(" · ")}</span>
            </div>
            {usage.satisfaction.map(|s| view! { <p class="meta">{format!("Satisfaction : {}", stars(s))}</p> })}
            {usage.notes.clone().map(|n| view! { <p class="notes">{n}</p> })}
            <p class=if usage.stale { "freshness stale" } else { "freshness" }>{freshness}</p>
            {actions}
        </li>
    }
}

/// Confirm (when stale), edit and remove, for members of the authority.
#[component]
fn UsageActions(usage: UsageView, public_id: String) -> impl IntoView {
    let id = usage.id;
    let (pid_confirm, pid_update, pid_remove) = (public_id.clone(), public_id.clone(), public_id);
    let confirm_form = usage.stale.then(move || {
        view! {
            <form method="post" action=ConfirmUsage::PATH class="inline-form">
                <input type="hidden" name="authority" value=pid_confirm />
                <HiddenId value=id />
                <button type="submit">"Toujours d'actualité"</button>
            </form>
        }
    });
    let prefix = format!("u{id}");
    view! {
        <div class="actions">
            {confirm_form}
            <details>
                <summary>"Modifier"</summary>
                <form method="post" action=UpdateUsage::PATH class="stack-form">
                    <input type="hidden" name="authority" value=pid_update />
                    <HiddenId value=id />
                    <UsageFields prefix current=Some(usage) />
                    <button type="submit">"Enregistrer"</button>
                </form>
            </details>
            <form method="post" action=RemoveUsage::PATH class="inline-form">
                <input type="hidden" name="authority" value=pid_remove />
                <HiddenId value=id />
                <button type="submit" class="secondary">"Retirer"</button>
            </form>
        </div>
    }
}

/// Status, year, version, notes, satisfaction and referent fields, shared by the forms.
#[component]
fn UsageFields(prefix: String, current: Option<UsageView>) -> impl IntoView {
    let id = |name: &str| format!("{prefix}-{name}");
    let status = current.as_ref().map_or(UsageStatus::InUse, |c| c.status);
    let satisfaction = current.as_ref().and_then(|c| c.satisfaction);
    view! {
        <label for=id("status")>"Statut"</label>
        <select id=id("status") name="status">
            {UsageStatus::ALL.iter().map(|s| view! {
                <option value=s.as_str() selected=status == *s>{s.label()}</option>
            }).collect_view()}
        </select>
        <label for=id("since")>"En service depuis (année, facultatif)"</label>
        <input id=id("since") name="since_year" type="number" min="1970" max="2100" inputmode="numeric"
            value=current.as_ref().and_then(|c| c.since_year).map(|y| y.to_string()).unwrap_or_default() />
        <label for=id("version")>"Version (facultatif)"</label>
        <input id=id("version") name="version" maxlength="60" value=current.as_ref().and_then(|c| c.version.clone()).unwrap_or_default() />
        <label for=id("notes")>"Contexte : usage, hébergement, retours (facultatif)"</label>
        <textarea id=id("notes") name="notes" maxlength="2000">{current.as_ref().and_then(|c| c.notes.clone()).unwrap_or_default()}</textarea>
        <label for=id("replaced")>"Remplacé par (si abandonné, facultatif)"</label>
        <input id=id("replaced") name="replaced_by" list="software-names" maxlength="120" autocomplete="off"
            value=current.as_ref().and_then(|c| c.replaced_by.clone()).unwrap_or_default() />
        <label for=id("satisfaction")>"Satisfaction"</label>
        <select id=id("satisfaction") name="satisfaction">
            <option value="" selected=satisfaction.is_none()>"Non renseignée"</option>
            {(1..=5).map(|n: i16| view! {
                <option value=n.to_string() selected=satisfaction == Some(n)>{format!("{n} sur 5")}</option>
            }).collect_view()}
        </select>
        <div class="choice">
            <input type="checkbox" id=id("referent") name="referent" value="on" checked=current.as_ref().is_some_and(|c| c.viewer_is_referent) />
            <label for=id("referent")>"J'accepte d'être contacté·e par d'autres membres à propos de ce logiciel (référent)"</label>
        </div>
    }
}

#[component]
fn DeclareForms(
    public_id: String,
    choices: Vec<(String, String)>,
    categories: Vec<(String, String)>,
) -> impl IntoView {
    let pid_declare = public_id.clone();
    view! {
        <section class="declare" aria-labelledby="declare-title">
            <h3 id="declare-title">"Déclarer un logiciel"</h3>
            <datalist id="software-names">
                {choices.iter().map(|(_, name)| view! { <option value=name.clone()></option> }).collect_view()}
            </datalist>
            <form method="post" action=DeclareUsage::PATH class="stack-form" id="declare-form">
                <input type="hidden" name="authority" value=pid_declare />
                <label for="declare-software">"Logiciel"</label>
                <select id="declare-software" name="software" required>
                    <option value="">"Choisissez un logiciel…"</option>
                    {choices.into_iter().map(|(slug, name)| view! { <option value=slug>{name}</option> }).collect_view()}
                </select>
                <UsageFields prefix="declare".to_string() current=None />
                <button type="submit">"Déclarer"</button>
            </form>
            <details>
                <summary>"Le logiciel n'est pas dans la liste ? Proposez-le"</summary>
                <form method="post" action=ProposeSoftware::PATH class="stack-form" id="propose-form">
                    <input type="hidden" name="authority" value=public_id />
                    <label for="propose-name">"Nom du logiciel"</label>
                    <input id="propose-name" name="name" maxlength="120" required />
                    <label for="propose-category">"Domaine"</label>
                    <select id="propose-category" name="category">
                        {categories.into_iter().map(|(slug, name)| view! { <option value=slug>{name}</option> }).collect_view()}
                    </select>
                    <label for="propose-website">"Site web (facultatif)"</label>
                    <input id="propose-website" name="website" type="url" maxlength="300" placeholder="https://" />
                    <UsageFields prefix="propose".to_string() current=None />
                    <button type="submit">"Proposer et déclarer"</button>
                </form>
            </details>
        </section>
    }
}
