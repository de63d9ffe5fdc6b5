//! `/compte/messages`: contact requests sent and received, with their state, blocks and reports.

use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_meta::Title;
use leptos_router::{components::A, hooks::use_query_map};

use super::not_found::current_path;
use crate::api::contact::{BlockSender, ReportRequest, UnblockSender, list_messages};
use crate::components::failure::Failure;
use crate::components::flash::Flash;
use crate::dto::MessageView;

/// `/compte/messages`: the member's contact requests, sent and received, newest first,
/// with their state; the other party by name and authority, never by address.
#[component]
pub fn MessagesPage() -> impl IntoView {
    let page = use_query_map()
        .read_untracked()
        .get("page")
        .and_then(|p| p.parse::<u64>().ok())
        .unwrap_or(1);
    let messages = Resource::new(move || page, list_messages);
    let here = StoredValue::new(current_path());
    view! {
        <Title text="Mes messages" />
        <h1>"Mes messages"</h1>
        <p><A href="/compte">"← Mon compte"</A></p>
        <Flash />
        <Suspense fallback=|| view! { <p class="loading">"Chargement…"</p> }>
            {move || Suspend::new(async move {
                match messages.await {
                    Ok(found) if found.items.is_empty() && found.page == 1 => view! {
                        <div class="empty-state">
                            <p>"Vous n'avez encore envoyé ni reçu aucune demande de contact."</p>
                            <p>"Pour écrire à un membre, ouvrez la page d'un logiciel du " <A href="/logiciels">"catalogue"</A> " et choisissez « Contacter » à côté d'un référent."</p>
                        </div>
                    }.into_any(),
                    Ok(found) => {
                        let prev = (found.page > 1).then(|| format!("/compte/messages?page={}", found.page - 1));
                        let next = found.has_next.then(|| format!("/compte/messages?page={}", found.page + 1));
                        view! {
                            <ul class="message-list">
                                {found.items.into_iter().map(|m| view! { <Message message=m /> }).collect_view()}
                            </ul>
                            {(prev.is_some() || next.is_some()).then(|| view! {
                                <nav class="pagination" aria-label="Pagination">
                                    {prev.map(|href| view! { <a href=href rel="prev">"← Plus récents"</a> })}
                                    <span>{format!("Page {}", found.page)}</span>
                                    {next.map(|href| view! { <a href=href rel="next">"Plus anciens →"</a> })}
                                </nav>
                            })}
                        }.into_any()
                    }
                    Err(err) => view! { <Failure err here=here.get_value() /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Message(message: MessageView) -> impl IntoView {
    let who = match (&message.other_name, &message.other_authority) {
        (Some(name), Some(a)) => format!("{name} ({a})"),
        (Some(name), None) => name.clone(),
        _ => "un ancien membre (compte supprimé)".into(),
    };
    let asked = message.question.len();
    let heading = if asked > 0 {
        format!(
            "Question envoyée à {}",
            crate::format::plural(asked as u64, "référent", "référents")
        )
    } else if message.sent_by_me {
        format!("Envoyée à {who}")
    } else {
        format!("Reçue de {who}")
    };
    let state_class = format!("state-{}", message.status);
    let software = message.software.clone().map(|(slug, name)| {
        view! { " · au sujet de " <A href=format!("/logiciels/{slug}")>{name}</A> }
    });
    let reason = message
        .failure_reason
        .clone()
        .map(|r| view! { <p class="hint">{r}</p> });
    // What a recipient may do about a request whose sender still has an account.
    let actions = (!message.sent_by_me && message.other_id.is_some()).then(|| {
        let id = message.id.to_string();
        let reason_id = format!("motif-{}", message.id);
        let block = if message.sender_blocked {
            let sender = message.other_id.unwrap_or_default().to_string();
            view! {
                <form method="post" action=UnblockSender::PATH class="inline-form">
                    <input type="hidden" name="membre" value=sender />
                    <button type="submit" class="secondary">"Débloquer cet expéditeur"</button>
                </form>
            }
            .into_any()
        } else {
            view! {
                <form method="post" action=BlockSender::PATH class="inline-form">
                    <input type="hidden" name="demande" value=id.clone() />
                    <button type="submit" class="secondary">"Bloquer cet expéditeur"</button>
                </form>
            }
            .into_any()
        };
        view! {
            {block}
            <details>
                <summary>"Signaler cette demande"</summary>
                <form method="post" action=ReportRequest::PATH class="stack-form">
                    <input type="hidden" name="demande" value=id />
                    <label for=reason_id.clone()>"Ce qui pose problème"</label>
                    <textarea id=reason_id name="motif" required maxlength="1000" rows="3"></textarea>
                    <button type="submit">"Signaler aux administrateurs"</button>
                </form>
            </details>
        }
    });
    view! {
        <li class="message" data-id=message.id.to_string()>
            <p><strong>{heading}</strong> <span class="meta">{format!(" le {}", message.sent_on)}</span> {software}</p>
            <p>"Objet : " {message.subject.clone()}</p>
            {if asked > 0 {
                view! {
                    <ul class="question-recipients">
                        {message.question.iter().map(|q| {
                            let who = match (&q.name, &q.authority) {
                                (Some(name), Some(a)) => format!("{name} ({a})"),
                                (Some(name), None) => name.clone(),
                                _ => "un ancien membre (compte supprimé)".into(),
                            };
                            let reason = q.failure_reason.clone().map(|r| format!(" — {r}")).unwrap_or_default();
                            view! { <li>{format!("{who} : {}{reason}", q.status_label)}</li> }
                        }).collect_view()}
                    </ul>
                }.into_any()
            } else {
                view! {
                    <p>"État : " <span class=state_class>{message.status_label.clone()}</span></p>
                    {reason}
                }.into_any()
            }}
            {actions}
        </li>
    }
}
