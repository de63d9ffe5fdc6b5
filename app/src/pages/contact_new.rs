//! `/contact/nouveau`: the form that writes to a member through Pairs' relay.

use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_meta::Title;
use leptos_router::{components::A, hooks::use_query_map};

use super::not_found::current_path;
use crate::api::contact::{SendContactRequest, get_contact_form};
use crate::components::failure::Failure;
use crate::components::fields::RelayConsent;
use crate::components::flash::{Flash, KeptMessage, kept};
use crate::dto::ContactFormView;
use crate::error::AppError;

/// `/contact/nouveau?destinataire=…&logiciel=…`: writing to a member. A plain form (works
/// without JavaScript); after a refusal the server sends the browser back here with what
/// was typed, so nothing is lost.
#[component]
pub fn ContactNewPage() -> impl IntoView {
    let q = use_query_map().read_untracked().clone();
    let recipient = q.get("destinataire").unwrap_or_default();
    let form = Resource::new(move || recipient.clone(), get_contact_form);
    let here = StoredValue::new(current_path());
    let typed = StoredValue::new((
        q.get("logiciel").unwrap_or_default(),
        kept("objet"),
        kept("message"),
    ));
    view! {
        <Title text="Contacter un membre" />
        <section class="narrow">
            <h1>"Contacter un membre"</h1>
            <Flash />
            <Suspense fallback=|| view! { <p class="loading">"Chargement…"</p> }>
                {move || Suspend::new(async move {
                    match form.await {
                        Ok(view) => {
                            let (software, subject, message) = typed.get_value();
                            view! { <ContactForm view software subject message /> }.into_any()
                        }
                        Err(AppError::Invalid(msg)) => view! {
                            <div class="notice error" role="alert"><p>{msg}</p></div>
                            <KeptMessage />
                        }.into_any(),
                        Err(err) => view! { <Failure err here=here.get_value() /> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

#[component]
fn ContactForm(
    view: ContactFormView,
    software: String,
    subject: String,
    message: String,
) -> impl IntoView {
    let Some(peer) = view.recipient else {
        return view! {
            <div class="empty-state">
                <p>"Ce membre ne peut pas recevoir de demandes de contact : son profil n'est pas visible, il ne les accepte pas, ou ce lien n'est plus valable."</p>
                <p><A href="/logiciels">"Chercher d'autres référents dans le catalogue"</A></p>
            </div>
            <KeptMessage />
        }
        .into_any();
    };
    let to = format!(
        "{} — {}, {}",
        peer.name, peer.job_title, peer.authority_name
    );
    let authority_href = format!("/collectivites/{}", peer.authority_public_id);
    view! {
        <p>"Destinataire : " <strong>{to}</strong> " · " <A href=authority_href>"voir la collectivité"</A></p>
        <p class="hint">"Pairs transmet votre message par courriel ; le destinataire vous répond directement. Son adresse ne vous est pas communiquée."</p>
        <form method="post" action=SendContactRequest::PATH class="stack-form" id="contact-form">
            <input type="hidden" name="destinataire" value=peer.id.to_string() />
            <input type="hidden" name="debut" value=view.stamp />
            <label for="logiciel">"Au sujet du logiciel"</label>
            <select id="logiciel" name="logiciel">
                <option value="" selected=software.is_empty()>"— Aucun en particulier —"</option>
                {view.software.into_iter().map(|(slug, name)| {
                    let selected = slug == software;
                    view! { <option value=slug selected=selected>{name}</option> }
                }).collect_view()}
            </select>
            <label for="objet">"Objet"</label>
            <input id="objet" name="objet" required maxlength=view.subject_max.to_string() value=subject aria-describedby="objet-hint" />
            <p id="objet-hint" class="hint">{format!("{} caractères au plus.", view.subject_max)}</p>
            <label for="message">"Message"</label>
            <textarea id="message" name="message" required rows="10" maxlength=view.message_max.to_string() aria-describedby="message-hint">{message}</textarea>
            <p id="message-hint" class="hint">{format!("{} caractères au plus. Présentez-vous et dites ce que vous aimeriez savoir.", view.message_max)}</p>
            <RelayConsent whom="le destinataire" />
            <button type="submit">"Envoyer la demande"</button>
        </form>
    }
    .into_any()
}
