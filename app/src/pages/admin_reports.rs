//! `/admin/signalements`: reported contact requests, profiles and retours d'expérience,
//! with their decisions.

use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_meta::Title;

use super::not_found::current_path;
use crate::api::admin::{DecideReport, list_reports};
use crate::api::reviews::{ModerateReview, list_reported_reviews};
use crate::components::admin_nav::AdminNav;
use crate::components::failure::Failure;
use crate::components::fields::HiddenId;
use crate::components::flash::Flash;
use crate::dto::{ReportView, ReportedReviewView};

/// `/admin/signalements`: contact requests reported by their recipients, with the three
/// decisions (administrators only).
#[component]
pub fn AdminReportsPage() -> impl IntoView {
    let reports = Resource::new(|| (), |_| list_reports());
    let reviews = Resource::new(|| (), |_| list_reported_reviews());
    let here = StoredValue::new(current_path());
    view! {
        <Title text="Signalements" />
        <h1>"Signalements"</h1>
        <AdminNav />
        <Flash />
        <Suspense fallback=|| view! { <p class="loading">"Chargement…"</p> }>
            {move || Suspend::new(async move {
                match reports.await {
                    Ok(list) if list.is_empty() => view! {
                        <p class="empty-state">"Aucun signalement en attente."</p>
                    }.into_any(),
                    Ok(list) => view! {
                        <ul class="cards">
                            {list.into_iter().map(|r| view! { <ReportCard report=r /> }).collect_view()}
                        </ul>
                    }.into_any(),
                    Err(err) => view! { <Failure err here=here.get_value() /> }.into_any(),
                }
            })}
        </Suspense>
        <h2 id="retours-signales">"Retours d'expérience signalés"</h2>
        <Suspense fallback=|| view! { <p class="loading">"Chargement…"</p> }>
            {move || Suspend::new(async move {
                match reviews.await {
                    Ok(list) if list.is_empty() => view! {
                        <p class="empty-state">"Aucun retour d'expérience signalé."</p>
                    }.into_any(),
                    Ok(list) => view! {
                        <ul class="cards">
                            {list.into_iter().map(|r| view! { <ReviewCard review=r /> }).collect_view()}
                        </ul>
                    }.into_any(),
                    Err(err) => view! { <Failure err here=here.get_value() /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn ReviewCard(review: ReportedReviewView) -> impl IntoView {
    let href = format!("/logiciels/{}#retours", review.software_slug);
    view! {
        <li class="card report" data-id=review.id.to_string() data-kind="review">
            <h3>{format!("{} sur {}", review.authority_name, review.software_name)}</h3>
            <p class="meta">{format!("Signalé le {}", review.reported_on)} " · " <a href=href>"voir la fiche"</a></p>
            <p>"Motif du signalement : " {review.reason.clone()}</p>
            <blockquote class="quoted">{review.text.clone()}</blockquote>
            <form method="post" action=ModerateReview::PATH class="stack-form">
                <input type="hidden" name="retour" value=review.id.to_string() />
                <div class="actions">
                    <button type="submit" name="decision" value="garder" class="secondary">"Laisser en ligne"</button>
                    <button type="submit" name="decision" value="masquer" class="danger">"Masquer ce retour"</button>
                </div>
            </form>
        </li>
    }
}

#[component]
fn ReportCard(report: ReportView) -> impl IntoView {
    let note_id = format!("note-{}-{}", report.kind, report.id);
    let owner = if report.kind == "profile" {
        "titulaire du profil"
    } else {
        "expéditeur"
    };
    let sender = match (&report.sender_name, &report.sender_email) {
        (Some(name), Some(email)) => format!("{name} <{email}>"),
        _ => "compte supprimé".into(),
    };
    view! {
        <li class="card report" data-id=report.id.to_string() data-kind=report.kind.clone()>
            <h2>{format!("Objet : {}", report.subject)}</h2>
            <p class="meta">{format!("Signalé le {} par {} · {owner} : {sender}", report.reported_on, report.reporter_name.clone().unwrap_or_else(|| "un membre".into()))}</p>
            <p>"Motif du signalement : " {report.reason.clone()}</p>
            <blockquote class="quoted">{report.message.clone()}</blockquote>
            <form method="post" action=DecideReport::PATH class="stack-form">
                <HiddenId value=report.id />
                <input type="hidden" name="kind" value=report.kind.clone() />
                <label for=note_id.clone()>"Motif de la décision (journalisé ; envoyé à l'expéditeur averti ou suspendu)"</label>
                <textarea id=note_id name="note" required maxlength="1000" rows="2"></textarea>
                <div class="actions">
                    <button type="submit" name="decision" value="classer" class="secondary">"Classer sans suite"</button>
                    <button type="submit" name="decision" value="avertir">"Avertir"</button>
                    <button type="submit" name="decision" value="suspendre" class="danger">"Suspendre le compte"</button>
                </div>
            </form>
        </li>
    }
}
