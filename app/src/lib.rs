#![recursion_limit = "256"]
//! The Pairs user interface: pages, server functions and the DTOs they exchange.
//! Compiled twice: with `ssr` into the server, with `hydrate` into the wasm bundle.

pub mod api;
pub mod components;
pub mod dto;
pub mod error;
pub mod format;
pub mod pages;

use leptos::prelude::*;
use leptos_meta::{HashedStylesheet, MetaTags, Title, provide_meta_context};
use leptos_router::{
    SsrMode,
    components::{Route, Router, Routes},
    path,
};

use components::layout::Layout;
use pages::*;

/// The HTML document around the app, rendered on the server only.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    let islands = has_islands();
    // `HydrationScripts islands=true` is what tells Leptos that only islands hydrate; a
    // page without islands never renders it, and Leptos would then serialize every
    // resource into the page for a hydration that never comes (127 KB of JSON on a
    // software page). Nothing hydrates there: say so before the body renders.
    #[cfg(feature = "ssr")]
    if !islands && let Some(context) = leptos::reactive::owner::Owner::current_shared_context() {
        context.set_is_hydrating(false);
    }
    view! {
        <!DOCTYPE html>
        <html lang="fr">
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                <meta name="description" content="Pairs, l'annuaire d'entraide des collectivités : trouvez celles qui utilisent les mêmes logiciels que vous." />
                <link rel="icon" href="/favicon.svg" type="image/svg+xml" />
                <HashedStylesheet options=options.clone() id="leptos" />
                <AutoReload options=options.clone() />
                {islands.then(|| view! { <HydrationScripts options islands=true /> })}
                <MetaTags />
            </head>
            <body>
                <App />
            </body>
        </html>
    }
}

/// Whether this request's page holds an island (and so needs the wasm).
fn has_islands() -> bool {
    #[cfg(feature = "ssr")]
    {
        use_context::<http::request::Parts>()
            .is_some_and(|parts| components::islands::has_islands(parts.uri.path()))
    }
    #[cfg(not(feature = "ssr"))]
    false
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    components::flash::provide_flash();
    view! {
        <Title formatter=|text| format!("{text} · Pairs") />
        <Router>
            <Layout>
                <Routes fallback=|| view! { <NotFoundPage /> }>
                    <Route path=path!("") view=HomePage />
                    <Route path=path!("/recherche") view=SearchPage ssr=SsrMode::Async />
                    <Route path=path!("/collectivites/:id") view=AuthorityPage ssr=SsrMode::Async />
                    <Route path=path!("/collectivites/:id/pairs") view=PeersPage ssr=SsrMode::Async />
                    <Route path=path!("/inscription") view=SignupPage ssr=SsrMode::Async />
                    <Route path=path!("/inscription/envoyee") view=SignupSentPage />
                    <Route path=path!("/verifier") view=VerifyEmailPage ssr=SsrMode::Async />
                    <Route path=path!("/connexion") view=LoginPage />
                    <Route path=path!("/mot-de-passe-oublie") view=ForgotPasswordPage />
                    <Route path=path!("/reinitialiser") view=ResetPasswordPage />
                    <Route path=path!("/supprimer-mes-donnees") view=EraseDataPage />
                    <Route path=path!("/confirmer-adresse") view=ConfirmEmailPage />
                    <Route path=path!("/compte") view=AccountPage ssr=SsrMode::Async />
                    <Route path=path!("/compte/messages") view=MessagesPage ssr=SsrMode::Async />
                    <Route path=path!("/contact/nouveau") view=ContactNewPage ssr=SsrMode::Async />
                    <Route path=path!("/contact/desinscription") view=ContactOptOutPage />
                    <Route path=path!("/desabonnement") view=UnsubscribePage />
                    <Route path=path!("/rappel") view=ReminderPage ssr=SsrMode::Async />
                    <Route path=path!("/contact/bloquer") view=ContactBlockPage />
                    <Route path=path!("/contact/signaler") view=ContactReportPage />
                    <Route path=path!("/signaler-profil") view=ReportProfilePage />
                    <Route path=path!("/confidentialite") view=PrivacyPage />
                    <Route path=path!("/donnees") view=OpenDataPage ssr=SsrMode::Async />
                    <Route path=path!("/statistiques") view=StatisticsPage ssr=SsrMode::Async />
                    <Route path=path!("/api") view=ApiDocsPage />
                    <Route path=path!("/admin") view=AdminDashboardPage ssr=SsrMode::Async />
                    <Route path=path!("/admin/membres") view=AdminMembersPage ssr=SsrMode::Async />
                    <Route path=path!("/admin/logiciels") view=AdminSoftwarePage ssr=SsrMode::Async />
                    <Route path=path!("/admin/membres/:id") view=AdminMemberPage ssr=SsrMode::Async />
                    <Route path=path!("/admin/signalements") view=AdminReportsPage ssr=SsrMode::Async />
                    <Route path=path!("/admin/journal") view=AdminJournalPage ssr=SsrMode::Async />
                    <Route path=path!("/logiciels") view=SoftwareListPage ssr=SsrMode::Async />
                    <Route path=path!("/logiciels/:slug") view=SoftwarePage ssr=SsrMode::Async />
                    <Route path=path!("/logiciels/:slug/question") view=QuestionPage ssr=SsrMode::Async />
                    <Route path=path!("/logiciels/:slug/retour") view=ReviewPage ssr=SsrMode::Async />
                </Routes>
            </Layout>
        </Router>
    }
}
