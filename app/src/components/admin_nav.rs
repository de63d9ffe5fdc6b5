//! The administrators' menu, on every admin page.

use leptos::prelude::*;
use leptos_router::components::A;

/// The administration's own navigation, on every admin page.
#[component]
pub fn AdminNav() -> impl IntoView {
    view! {
        <nav class="admin-nav" aria-label="Administration">
            <ul>
                <li><A href="/admin">"Tableau de bord"</A></li>
                <li><A href="/admin/membres">"Membres"</A></li>
                <li><A href="/admin/logiciels">"Propositions de logiciels"</A></li>
                <li><A href="/admin/signalements">"Signalements"</A></li>
                <li><A href="/admin/journal">"Journal"</A></li>
            </ul>
        </nav>
    }
}
