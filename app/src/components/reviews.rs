//! « Retours d'expérience » on a software page: each authority's public text, signed by the
//! authority; approved members may report one or write their own authority's, and
//! administrators hide one in one click.

use leptos::prelude::*;
use leptos::server_fn::ServerFn;

use crate::api::reviews::{ModerateReview, ReportReview};
use crate::components::failure::InlineError;
use crate::dto::{ReviewView, ReviewsView};

/// A tool's retours, fetched by the page (`list_reviews`): created inside the page's
/// Suspend, as it was, the resource sometimes ran without the request's context under load
/// (« AppState missing »), and the section then said no authority had written one.
pub type ReviewsResource = Resource<Result<ReviewsView, crate::error::AppError>>;

#[component]
pub fn ReviewsSection(slug: String, reviews: ReviewsResource) -> impl IntoView {
    let slug = StoredValue::new(slug);
    view! {
        <section aria-labelledby="retours-title" id="retours">
            <h2 id="retours-title">"Retours d'expérience"</h2>
            <Suspense fallback=|| view! { <p class="loading">"Chargement…"</p> }>
                {move || Suspend::new(async move {
                    let view = match reviews.await {
                        Ok(view) => view,
                        Err(err) => {
                            return view! { <div class="notice error" role="alert"><InlineError err /></div> }
                                .into_any();
                        }
                    };
                    let slug = slug.get_value();
                    let write = view.viewer_is_member.then(|| view! {
                        <p><a href=format!("/logiciels/{slug}/retour") class="button-link">"Écrire le retour de votre collectivité"</a></p>
                    });
                    let list = if view.reviews.is_empty() {
                        view! { <p class="empty-state">"Aucune collectivité n'a encore publié de retour d'expérience sur ce logiciel."</p> }.into_any()
                    } else {
                        let (member, admin) = (view.viewer_is_member, view.viewer_is_admin);
                        view! {
                            <ul class="reviews">
                                {view.reviews.into_iter().map(|r| review(r, &slug, member, admin)).collect_view()}
                            </ul>
                        }.into_any()
                    };
                    view! { {list} {write} }.into_any()
                })}
            </Suspense>
        </section>
    }
}

fn review(r: ReviewView, slug: &str, member: bool, admin: bool) -> impl IntoView + use<> {
    let href = format!("/collectivites/{}", r.authority_public_id);
    let reason_id = format!("motif-retour-{}", r.id);
    let id = r.id.to_string();
    let report = member.then(|| view! {
        <details>
            <summary>"Signaler ce retour"</summary>
            <form method="post" action=ReportReview::PATH class="stack-form">
                <input type="hidden" name="logiciel" value=slug.to_string() />
                <input type="hidden" name="retour" value=id.clone() />
                <label for=reason_id.clone()>"Ce qui pose problème"</label>
                <textarea id=reason_id name="motif" required maxlength="1000" rows="2"></textarea>
                <button type="submit">"Signaler aux administrateurs"</button>
            </form>
        </details>
    });
    let hide = admin.then(|| view! {
        <form method="post" action=ModerateReview::PATH class="inline-form">
            <input type="hidden" name="retour" value=id.clone() />
            <button type="submit" name="decision" value="masquer" class="danger">"Masquer ce retour"</button>
        </form>
    });
    view! {
        <li class="review" data-id=r.id.to_string()>
            <blockquote class="quoted">{r.text.clone()}</blockquote>
            <p class="meta">"— " <a href=href>{r.authority_name.clone()}</a> {format!(", le {}", r.updated_on)}</p>
            {report}
            {hide}
        </li>
    }
}
