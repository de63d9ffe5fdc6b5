//! `/api`: the public read API explained to a person: endpoints, parameters, examples,
//! rules and the licence. The machine-readable version is `/api/v1/openapi.json`.

use leptos::prelude::*;
use leptos_meta::Title;

/// (path, what it returns, parameters, example)
const ENDPOINTS: &[(&str, &str, &str, &str)] = &[
    (
        "/api/v1/logiciels",
        "Le catalogue, par identifiant : nom, catégorie, licence, libre ou non, identifiants Wikidata, SILL et Comptoir du Libre, nombre de collectivités par statut.",
        "page (à partir de 1), per_page (1 à 200, 50 par défaut)",
        "/api/v1/logiciels?per_page=5",
    ),
    (
        "/api/v1/logiciels/{slug}",
        "Un logiciel et toutes les collectivités qui l'ont déclaré, avec le statut et l'année de mise en service.",
        "slug : l'identifiant du logiciel",
        "/api/v1/logiciels/glpi",
    ),
    (
        "/api/v1/collectivites",
        "Les collectivités, filtrées comme la recherche du site, avec les décomptes par filtre.",
        "q, kind, region, departement, population, category, status, member, label, sort, page, per_page",
        "/api/v1/collectivites?q=nextcloud&departement=13",
    ),
    (
        "/api/v1/collectivites/{id}",
        "Une collectivité : identité (codes COG et SIREN), adhésion, label, logiciels déclarés avec statut, année, version et date de confirmation. Jamais une personne.",
        "id : l'identifiant public (ex. com-13047)",
        "/api/v1/collectivites/reg-93",
    ),
    (
        "/api/v1/collectivites/{id}/pairs",
        "Ses pairs : les 50 collectivités les plus comparables (même type, population la plus proche, même région d'abord) avec leurs logiciels en service, ce qu'elles utilisent le plus (« 31 sur 50 ») et ce qu'elles ont abandonné. Jamais une personne.",
        "id : l'identifiant public (ex. com-13047)",
        "/api/v1/collectivites/com-13047/pairs",
    ),
    (
        "/api/v1/search",
        "Identique à /api/v1/collectivites (le nom utilisé par le champ de recherche du site).",
        "les mêmes",
        "/api/v1/search?q=glpi&kind=commune",
    ),
    (
        "/api/v1/suggest",
        "Les logiciels du catalogue qui commencent par le texte saisi (8 au plus).",
        "q : le texte (100 caractères au plus)",
        "/api/v1/suggest?q=nex",
    ),
    (
        "/api/v1/categories",
        "Les catégories du catalogue qui comptent au moins un logiciel validé.",
        "aucun",
        "/api/v1/categories",
    ),
    (
        "/api/v1/statistiques",
        "Les chiffres de la page Statistiques : membres, collectivités actives par type, région et département, déclarations par statut, logiciels les plus utilisés, adoption par année, part du libre, fraîcheur.",
        "aucun",
        "/api/v1/statistiques",
    ),
    (
        "/api/v1/openapi.json",
        "La description OpenAPI 3.1 de cette API, générée à partir du code.",
        "aucun",
        "/api/v1/openapi.json",
    ),
];

/// The endpoints' paths, for the test that this page names every documented one.
pub fn documented_paths() -> impl Iterator<Item = &'static str> {
    ENDPOINTS.iter().map(|(path, ..)| *path)
}

#[component]
pub fn ApiDocsPage() -> impl IntoView {
    view! {
        <Title text="API" />
        <h1>"API de données ouvertes"</h1>
        <p class="lead">"Les données publiques du réseau en JSON, pour vos propres outils : le catalogue, les collectivités et leurs logiciels, les statistiques. Lecture seule, sans inscription ni clé."</p>
        <p>
            "Description complète (OpenAPI 3.1) : " <a href="/api/v1/openapi.json" rel="external">"/api/v1/openapi.json"</a>
            ". Fichiers complets : " <a href="/donnees">"données ouvertes"</a> "."
        </p>
        <h2>"Licence"</h2>
        <p>"Les données sont publiées sous " <a href="https://www.etalab.gouv.fr/licence-ouverte-open-licence/">"Licence Ouverte 2.0 (Etalab)"</a> " : réutilisation libre, y compris commerciale, en mentionnant la source « Pairs, annuaire d'entraide des collectivités ». Elles ne contiennent aucune donnée personnelle : jamais le nom, l'adresse électronique ou le téléphone d'un membre."</p>
        <h2>"Règles communes"</h2>
        <ul>
            <li>"Réponses en JSON (UTF-8). Les listes sont paginées par " <code>"page"</code> " et " <code>"per_page"</code> ", dans un ordre stable, avec le total."</li>
            <li>"Chaque réponse porte un " <code>"ETag"</code> " et un " <code>"Cache-Control"</code> " : renvoyez l'ETag dans " <code>"If-None-Match"</code> " pour recevoir " <code>"304 Not Modified"</code> " si rien n'a changé."</li>
            <li>"CORS ouvert en lecture (GET) : l'API s'appelle depuis n'importe quelle page web."</li>
            <li>"Chaque client a une limite de requêtes par minute ; au-delà, la réponse est " <code>"429"</code> " avec " <code>"Retry-After"</code> " (en secondes). Pour tout récupérer, préférez les fichiers complets."</li>
            <li>"Les erreurs sont au format " <code>"application/problem+json"</code> " (RFC 9457) ; le champ " <code>"detail"</code> " dit en français ce qui ne va pas."</li>
        </ul>
        <h2>"Points d'accès"</h2>
        <table class="api-endpoints">
            <caption>"Toutes les adresses acceptent GET"</caption>
            <thead>
                <tr><th scope="col">"Adresse"</th><th scope="col">"Contenu"</th><th scope="col">"Paramètres"</th><th scope="col">"Exemple"</th></tr>
            </thead>
            <tbody>
                {ENDPOINTS.iter().map(|(path, what, params, example)| view! {
                    <tr>
                        <th scope="row"><code>{*path}</code></th>
                        <td>{*what}</td>
                        <td>{*params}</td>
                        <td><a href=*example rel="external">{*example}</a></td>
                    </tr>
                }).collect_view()}
            </tbody>
        </table>
        <h2>"Exemple"</h2>
        <pre><code>"curl -s 'https://pairs.example/api/v1/collectivites?q=glpi&per_page=2'\n# => {\"total\": 12, \"page\": 1, \"per_page\": 2, \"hits\": [{\"id\": \"com-13047\", \"name\": \"Istres\", …}], \"facets\": {…}}"</code></pre>
    }
}
