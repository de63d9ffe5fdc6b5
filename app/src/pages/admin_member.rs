//! `/admin/membres/:id`: one member's file and the moderation actions on it (suspend, correct, move, role, delete).

use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_meta::Title;
use leptos_router::{components::A, hooks::use_params_map};

use super::not_found::current_path;
use crate::api::admin::{
    CorrectMember, DeleteMember, MoveMember, RestoreMember, SetMemberAdmin, SuspendMember,
    get_member_file,
};
use crate::components::admin_nav::AdminNav;
use crate::components::failure::Failure;
use crate::components::fields::HiddenId;
use crate::components::flash::Flash;
use crate::dto::MemberFileView;
use model::account::AccountStatus;

/// `/admin/membres/{id}`: one member's file and every action on it, each with a reason
/// (administrators only).
#[component]
pub fn AdminMemberPage() -> impl IntoView {
    let params = use_params_map();
    let id = move || {
        params
            .read()
            .get("id")
            .and_then(|v| v.parse::<i32>().ok())
            .unwrap_or(0)
    };
    let file = Resource::new(id, get_member_file);
    let here = StoredValue::new(current_path());
    view! {
        <Title text="Fiche membre" />
        <h1>"Fiche membre"</h1>
        <AdminNav />
        <Flash />
        <Suspense fallback=|| view! { <p class="loading">"Chargement…"</p> }>
            {move || Suspend::new(async move {
                match file.await {
                    Ok(f) => view! { <MemberFile file=f /> }.into_any(),
                    Err(err) => view! { <Failure err here=here.get_value() /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// One action's form: hidden id, the fields given, a required reason, a button.
#[component]
fn ActionForm(
    path: &'static str,
    id: i32,
    key: &'static str,
    button: &'static str,
    #[prop(optional)] danger: bool,
    #[prop(optional)] children: Option<Children>,
) -> impl IntoView {
    let reason_id = format!("{key}-reason");
    view! {
        <form method="post" action=path class="stack-form" id=format!("{key}-form")>
            <HiddenId value=id />
            {children.map(|c| c())}
            <label for=reason_id.clone()>"Motif (journalisé)"</label>
            <textarea id=reason_id name="reason" required maxlength="1000" rows="2"></textarea>
            <button type="submit" class=if danger { "danger" } else { "" }>{button}</button>
        </form>
    }
}

#[component]
fn MemberFile(file: MemberFileView) -> impl IntoView {
    let id = file.id;
    let authority = file.authority.clone().map(|(public_id, name)| {
        view! { <A href=format!("/collectivites/{public_id}")>{name}</A> }
    });
    let status_action = match file.status {
        AccountStatus::Approved => Some((SuspendMember::PATH, "suspend", "Suspendre", true)),
        AccountStatus::Suspended => Some((RestoreMember::PATH, "restore", "Rétablir", false)),
        AccountStatus::Unverified | AccountStatus::Pending | AccountStatus::Rejected => None,
    };
    let (admin_role, admin_button) = if file.is_admin {
        ("retirer", "Retirer le rôle d'administrateur")
    } else {
        ("accorder", "Accorder le rôle d'administrateur")
    };
    view! {
        <section aria-labelledby="file-title">
            <h2 id="file-title">{format!("{} {}", file.first_name, file.last_name)}</h2>
            <dl class="identity">
                <dt>"Adresse"</dt><dd>{file.email.clone()}</dd>
                <dt>"Fonction"</dt><dd>{file.job_title.clone()}</dd>
                <dt>"Téléphone"</dt><dd>{file.phone.clone().unwrap_or_else(|| "—".into())}</dd>
                <dt>"Collectivité"</dt><dd>{authority}</dd>
                <dt>"Statut"</dt><dd>{file.status.label()}{file.is_admin.then_some(" · administrateur")}</dd>
                <dt>"Profil visible"</dt><dd>{if file.visible { "oui" } else { "non" }}</dd>
                <dt>"Demandes de contact"</dt><dd>{format!("{} envoyées · {} reçues", file.requests_sent, file.requests_received)}</dd>
                <dt>"Déclarations"</dt>
                <dd>{if file.declarations.is_empty() { "aucune".to_string() } else {
                    file.declarations.iter().map(|(s, st)| format!("{s} ({st})")).collect::<Vec<_>>().join(", ")
                }}</dd>
                <dt>"Référent de"</dt>
                <dd>{if file.referent_of.is_empty() { "aucun logiciel".to_string() } else { file.referent_of.join(", ") }}</dd>
            </dl>
        </section>
        <section aria-labelledby="file-journal-title">
            <h2 id="file-journal-title">"Journal récent"</h2>
            {if file.journal.is_empty() {
                view! { <p class="empty-state">"Aucune action enregistrée pour ce membre."</p> }.into_any()
            } else {
                view! {
                    <ul>
                        {file.journal.iter().map(|(at, action, reason)| view! {
                            <li>{format!("{at} · ")}<code>{action.clone()}</code>{reason.clone().map(|r| format!(" · {r}"))}</li>
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
            <p><a href=format!("/admin/journal?cible={id}")>"Tout le journal de ce membre"</a></p>
        </section>
        <section aria-labelledby="file-actions-title">
            <h2 id="file-actions-title">"Actions"</h2>
            {status_action.map(|(path, key, button, danger)| view! {
                <h3>{button}</h3>
                <ActionForm path id key button danger />
            })}
            <h3>"Corriger ou masquer le profil"</h3>
            <ActionForm path=CorrectMember::PATH id key="correct" button="Enregistrer la correction">
                <label for="correct-first">"Prénom"</label>
                <input id="correct-first" name="first_name" required maxlength="100" value=file.first_name.clone() />
                <label for="correct-last">"Nom"</label>
                <input id="correct-last" name="last_name" required maxlength="100" value=file.last_name.clone() />
                <label for="correct-job">"Fonction"</label>
                <input id="correct-job" name="job_title" required maxlength="120" value=file.job_title.clone() />
                <label for="correct-phone">"Téléphone"</label>
                <input id="correct-phone" name="phone" type="tel" maxlength="30" value=file.phone.clone().unwrap_or_default() />
                <div class="choice">
                    <input type="checkbox" id="correct-visible" name="visible" value="on" checked=file.visible />
                    <label for="correct-visible">"Profil visible des autres membres"</label>
                </div>
            </ActionForm>
            <h3>"Rattacher à une autre collectivité"</h3>
            <ActionForm path=MoveMember::PATH id key="move" button="Rattacher">
                <label for="move-authority">"Identifiant de la collectivité (ex. com-13047, dans l'adresse de sa page)"</label>
                <input id="move-authority" name="authority" required maxlength="40" />
            </ActionForm>
            <h3>{admin_button}</h3>
            <ActionForm path=SetMemberAdmin::PATH id key="admin" button=admin_button>
                <input type="hidden" name="role" value=admin_role />
            </ActionForm>
            <h3>"Supprimer le compte"</h3>
            <p class="hint">"Les mêmes effacements que la suppression par le membre : profil, sessions, contenu de ses demandes de contact."</p>
            <ActionForm path=DeleteMember::PATH id key="delete" button="Supprimer définitivement" danger=true />
        </section>
    }
}
