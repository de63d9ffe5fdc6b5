//! The Meilisearch engine, through meilisearch-sdk. Settings are applied idempotently;
//! a full rebuild fills a fresh index and swaps it with the live one, so searches never
//! see an empty or half index. The key stays on the server.

use std::collections::{BTreeMap, HashMap};
use std::time::Duration;

use async_trait::async_trait;
use meilisearch_sdk::{
    client::{Client, SwapIndexes},
    documents::DocumentsQuery,
    errors::Error as MeiliError,
    search::Selectors,
    settings::{FacetingSettings, PaginationSetting, Settings},
    task_info::TaskInfo,
};
use serde::{Deserialize, Serialize};

use super::document::SoftwareDoc;
use super::{AuthorityDoc, Facets, SearchError, SearchIndex, SearchQuery, SearchResults};
use crate::text::words;
use model::search::Sort;

const FACETS: [&str; 8] = [
    "kind",
    "region",
    "departement",
    "population_band",
    "is_member",
    "label_level",
    "tool_categories",
    "tool_statuses",
];

/// The document as Meilisearch stores it: flat searchable and filterable attributes, and
/// the whole document (not searchable) to rebuild results.
#[derive(Serialize, Deserialize)]
struct MeiliDoc {
    key: u64,
    name: String,
    name_sort: String,
    postcodes: Vec<String>,
    tool_names: Vec<String>,
    tool_related: Vec<String>,
    /// Below `tool_related` in the searchable order: a tool found only by its category
    /// ranks after one that carries the word itself.
    #[serde(default)]
    tool_category_names: Vec<String>,
    kind: String,
    region: Option<String>,
    departement: Option<String>,
    population: i64,
    population_band: String,
    is_member: bool,
    label_level: Option<i16>,
    tool_categories: Vec<String>,
    tool_statuses: Vec<String>,
    /// One key per fact a filter may need of a single tool, so that a category and a
    /// status, or a status and the words, hold for the same tool as on the embedded engine:
    /// `s:{slug}:{status}`, `c:{slug}:{category}`, `cs:{slug}:{category}:{status}`,
    /// `any-cs:{category}:{status}`.
    #[serde(default)]
    tool_keys: Vec<String>,
    doc: AuthorityDoc,
}

impl From<AuthorityDoc> for MeiliDoc {
    fn from(d: AuthorityDoc) -> Self {
        let mut related = Vec::new();
        for t in &d.tools {
            related.extend(t.aliases.iter().cloned());
            related.extend(t.similar.iter().cloned());
            if !t.keywords.is_empty() {
                // One text, so that « état civil » stays two neighbouring words.
                related.push(t.keywords.join(" "));
            }
        }
        let mut category_names: Vec<String> = d
            .tools
            .iter()
            .filter_map(|t| t.category_name.clone())
            .collect();
        category_names.sort();
        category_names.dedup();
        let mut categories: Vec<String> =
            d.tools.iter().filter_map(|t| t.category.clone()).collect();
        categories.sort();
        categories.dedup();
        let mut statuses: Vec<String> = d.tools.iter().map(|t| t.status.clone()).collect();
        statuses.sort();
        statuses.dedup();
        let mut keys = Vec::new();
        for t in &d.tools {
            keys.push(format!("s:{}:{}", t.slug, t.status));
            if let Some(c) = &t.category {
                keys.push(format!("c:{}:{c}", t.slug));
                keys.push(format!("cs:{}:{c}:{}", t.slug, t.status));
                keys.push(format!("any-cs:{c}:{}", t.status));
            }
        }
        keys.sort();
        keys.dedup();
        Self {
            key: d.key,
            name: d.name.clone(),
            name_sort: crate::text::fold(&d.name),
            postcodes: d.postcodes.iter().chain(&d.codes).cloned().collect(),
            tool_names: d.tools.iter().map(|t| t.name.clone()).collect(),
            tool_related: related,
            tool_category_names: category_names,
            kind: d.kind.clone(),
            region: d.region.clone(),
            departement: d.departement.clone(),
            population: d.population.unwrap_or(-1),
            population_band: d.population_band.clone(),
            is_member: d.is_member,
            label_level: d.label_level,
            tool_categories: categories,
            tool_statuses: statuses,
            tool_keys: keys,
            doc: d,
        }
    }
}

pub struct MeiliIndex {
    client: Client,
    uid: String,
    /// The catalogue for the vocabulary step, kept a few seconds (and refreshed by this
    /// process's own catalogue updates) so a search with words costs one round trip.
    catalogue: std::sync::Mutex<Option<(std::time::Instant, std::sync::Arc<Vec<SoftwareDoc>>)>>,
}

/// How long the catalogue read from Meilisearch is reused.
const CATALOGUE_TTL: Duration = Duration::from_secs(5);

/// Above the number of authorities in the national referential (about 36,400).
pub const MAX_TOTAL_HITS: usize = 100_000;
/// Above the number of départements (101) and régions.
pub const MAX_VALUES_PER_FACET: usize = 200;
/// The most catalogue entries read for the vocabulary step: Meilisearch's default cap on a
/// search (the suggestions index keeps it), far above the catalogue (about 200 entries).
const CATALOGUE_MAX: usize = 1_000;

impl std::fmt::Debug for MeiliIndex {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MeiliIndex")
            .field("uid", &self.uid)
            .finish_non_exhaustive()
    }
}

fn classify(e: MeiliError) -> SearchError {
    match e {
        MeiliError::Meilisearch(api) => SearchError::Engine(api.to_string()),
        other => SearchError::Unavailable(other.to_string()),
    }
}

fn quote(v: &str) -> String {
    format!("\"{}\"", v.replace('\\', "\\\\").replace('"', "\\\""))
}

/// The suggestions index's searched and sortable attributes.
const SOFTWARE_SEARCHABLE: [&str; 3] = ["name", "aliases", "similar"];
const SOFTWARE_SORTABLE: [&str; 1] = ["users"];

/// Whether the suggestions index already has its settings (sortable attributes are a set).
fn software_settings_match(current: &Settings) -> bool {
    let searchable = current.searchable_attributes.as_deref().unwrap_or_default();
    let mut sortable = current.sortable_attributes.clone().unwrap_or_default();
    sortable.sort();
    searchable == SOFTWARE_SEARCHABLE && sortable == SOFTWARE_SORTABLE
}

impl MeiliIndex {
    pub fn new(url: &str, key: Option<&str>, uid: &str) -> Result<Self, SearchError> {
        let client = Client::new(url, key).map_err(classify)?;
        Ok(Self {
            client,
            uid: uid.to_string(),
            catalogue: std::sync::Mutex::new(None),
        })
    }

    async fn wait(&self, task: TaskInfo) -> Result<(), SearchError> {
        let done = task
            .wait_for_completion(
                &self.client,
                Some(Duration::from_millis(50)),
                Some(Duration::from_secs(300)),
            )
            .await
            .map_err(classify)?;
        if done.is_failure() {
            return Err(SearchError::Engine(format!("task failed: {done:?}")));
        }
        Ok(())
    }

    fn settings(synonyms: &[(String, Vec<String>)]) -> Settings {
        let synonyms: HashMap<String, Vec<String>> = synonyms.iter().cloned().collect();
        Settings::new()
            .with_searchable_attributes([
                "tool_names",
                "name",
                "tool_related",
                "tool_category_names",
                "postcodes",
            ])
            .with_filterable_attributes(FACETS.iter().copied().chain(["tool_keys"]))
            .with_sortable_attributes(["population", "name_sort"])
            .with_synonyms(synonyms)
            // Meilisearch's defaults (1,000 hits, 100 values per facet) would cap a browse
            // of all authorities and drop départements from the facet: above both.
            .with_pagination(PaginationSetting {
                max_total_hits: MAX_TOTAL_HITS,
            })
            .with_faceting(FacetingSettings {
                max_values_per_facet: MAX_VALUES_PER_FACET,
                sort_facet_values_by: None,
            })
    }

    /// The catalogue vocabulary, from the copy kept for `CATALOGUE_TTL` or the server.
    async fn catalogue(&self) -> Result<std::sync::Arc<Vec<SoftwareDoc>>, SearchError> {
        if let Ok(kept) = self.catalogue.lock()
            && let Some((at, docs)) = kept.as_ref()
            && at.elapsed() < CATALOGUE_TTL
        {
            return Ok(docs.clone());
        }
        let docs = std::sync::Arc::new(self.read_catalogue().await?);
        if let Ok(mut kept) = self.catalogue.lock() {
            *kept = Some((std::time::Instant::now(), docs.clone()));
        }
        Ok(docs)
    }

    /// The whole catalogue vocabulary (a few hundred entries), from the suggestions index.
    async fn read_catalogue(&self) -> Result<Vec<SoftwareDoc>, SearchError> {
        let uid = format!("{}_software", self.uid);
        let found = self
            .client
            .index(&uid)
            .search()
            .with_limit(CATALOGUE_MAX)
            .execute::<SoftwareDoc>()
            .await
            .map_err(classify)?;
        Ok(found.hits.into_iter().map(|h| h.result).collect())
    }

    /// Creates the index if missing, with its primary key: Meilisearch refuses documents
    /// sent with a primary key other than the one the index was created with.
    async fn ensure_index(&self, uid: &str, primary_key: &str) -> Result<(), SearchError> {
        if self.client.get_index(uid).await.is_err() {
            let task = self
                .client
                .create_index(uid, Some(primary_key))
                .await
                .map_err(classify)?;
            self.wait(task).await?;
        }
        Ok(())
    }

    /// The filter expression. `matched` are the catalogue entries the words are about (when
    /// there are words): a category or status filter then applies to those tools only.
    /// Category and status counts over the matched tools only (as the embedded engine
    /// counts them): for each status, and each category of a matched tool, how many of the
    /// result's authorities have a matched tool with it — one count query each, sent
    /// together in one multi-search.
    async fn matched_tool_facets(
        &self,
        query: &SearchQuery,
        filter: &str,
        catalogue: &[SoftwareDoc],
        slugs: &[&str],
    ) -> Result<(BTreeMap<String, u64>, BTreeMap<String, u64>), SearchError> {
        let mut wanted: Vec<(bool, String, Vec<String>)> = Vec::new();
        if !slugs.is_empty() {
            for status in model::usage::UsageStatus::ALL.map(|s| s.as_str()) {
                let keys = slugs.iter().map(|t| format!("s:{t}:{status}")).collect();
                wanted.push((false, status.to_string(), keys));
            }
            let mut categories: BTreeMap<&str, Vec<String>> = BTreeMap::new();
            for doc in catalogue
                .iter()
                .filter(|d| slugs.contains(&d.slug.as_str()))
            {
                if let Some(c) = &doc.category {
                    categories
                        .entry(c.as_str())
                        .or_default()
                        .push(format!("c:{}:{c}", doc.slug));
                }
            }
            for (c, keys) in categories {
                wanted.push((true, c.to_string(), keys));
            }
        }
        let (mut category, mut status) = (BTreeMap::new(), BTreeMap::new());
        if wanted.is_empty() {
            return Ok((category, status));
        }
        let filters: Vec<String> = wanted
            .iter()
            .map(|(_, _, keys)| {
                let keys: Vec<String> = keys.iter().map(|k| quote(k)).collect();
                let tools = format!("tool_keys IN [{}]", keys.join(", "));
                if filter.is_empty() {
                    tools
                } else {
                    format!("({filter}) AND {tools}")
                }
            })
            .collect();
        let index = self.client.index(&self.uid);
        let mut multi = self.client.multi_search();
        for f in &filters {
            let mut count = index.search();
            count
                .with_query(&query.q)
                .with_filter(f)
                .with_page(1)
                .with_hits_per_page(0);
            multi.with_search_query(count.build());
        }
        let answers = multi
            .execute::<serde_json::Value>()
            .await
            .map_err(classify)?;
        for ((is_category, name, _), answer) in wanted.into_iter().zip(answers.results) {
            let n = answer
                .total_hits
                .or(answer.estimated_total_hits)
                .unwrap_or(0) as u64;
            if n > 0 {
                if is_category {
                    category.insert(name, n);
                } else {
                    status.insert(name, n);
                }
            }
        }
        Ok((category, status))
    }

    fn filter(query: &SearchQuery, matched: Option<&[&str]>) -> String {
        let mut parts = Vec::new();
        if let Some(k) = &query.kind {
            parts.push(format!("kind = {}", quote(k)));
        }
        if let Some(r) = &query.region {
            parts.push(format!("region = {}", quote(r)));
        }
        if let Some(d) = &query.departement {
            parts.push(format!("departement = {}", quote(d)));
        }
        if let Some(b) = &query.population_band {
            parts.push(format!("population_band = {}", quote(b)));
        }
        if let Some(m) = query.member {
            parts.push(format!("is_member = {m}"));
        }
        if let Some(l) = query.label {
            parts.push(format!("label_level = {l}"));
        }
        match (matched, &query.category, &query.status) {
            (_, None, None) => {}
            (Some(slugs), category, status) => {
                let key = |slug: &str| match (category, status) {
                    (Some(c), Some(s)) => format!("cs:{slug}:{c}:{s}"),
                    (Some(c), None) => format!("c:{slug}:{c}"),
                    (None, _) => format!("s:{slug}:{}", status.as_deref().unwrap_or_default()),
                };
                let keys: Vec<String> = slugs.iter().map(|slug| quote(&key(slug))).collect();
                parts.push(format!("tool_keys IN [{}]", keys.join(", ")));
            }
            (None, Some(c), Some(s)) => {
                parts.push(format!("tool_keys = {}", quote(&format!("any-cs:{c}:{s}"))))
            }
            (None, Some(c), None) => parts.push(format!("tool_categories = {}", quote(c))),
            (None, None, Some(s)) => parts.push(format!("tool_statuses = {}", quote(s))),
        }
        parts.join(" AND ")
    }
}

fn facet_map(
    dist: &HashMap<String, HashMap<String, usize>>,
    name: &str,
) -> std::collections::BTreeMap<String, u64> {
    dist.get(name)
        .map(|m| m.iter().map(|(k, v)| (k.clone(), *v as u64)).collect())
        .unwrap_or_default()
}

#[async_trait]
impl SearchIndex for MeiliIndex {
    fn engine_name(&self) -> &'static str {
        "meilisearch"
    }

    async fn prepare(&self, synonyms: &[(String, Vec<String>)]) -> Result<(), SearchError> {
        self.ensure_index(&self.uid, "key").await?;
        let task = self
            .client
            .index(&self.uid)
            .set_settings(&Self::settings(synonyms))
            .await
            .map_err(classify)?;
        self.wait(task).await
    }

    async fn upsert(&self, docs: Vec<AuthorityDoc>) -> Result<(), SearchError> {
        if docs.is_empty() {
            return Ok(());
        }
        let docs: Vec<MeiliDoc> = docs.into_iter().map(MeiliDoc::from).collect();
        let task = self
            .client
            .index(&self.uid)
            .add_or_replace(&docs, Some("key"))
            .await
            .map_err(classify)?;
        self.wait(task).await
    }

    async fn remove(&self, keys: Vec<u64>) -> Result<(), SearchError> {
        if keys.is_empty() {
            return Ok(());
        }
        let task = self
            .client
            .index(&self.uid)
            .delete_documents(&keys)
            .await
            .map_err(classify)?;
        self.wait(task).await
    }

    async fn rebuild(&self, docs: Vec<AuthorityDoc>) -> Result<(), SearchError> {
        let fresh = format!("{}_rebuild", self.uid);
        if self.client.get_index(&fresh).await.is_ok() {
            let task = self.client.delete_index(&fresh).await.map_err(classify)?;
            self.wait(task).await?;
        }
        self.ensure_index(&self.uid, "key").await?;
        self.ensure_index(&fresh, "key").await?;
        // The new index gets the live index's settings before its documents.
        let settings = self
            .client
            .index(&self.uid)
            .get_settings()
            .await
            .map_err(classify)?;
        let task = self
            .client
            .index(&fresh)
            .set_settings(&settings)
            .await
            .map_err(classify)?;
        self.wait(task).await?;
        let docs: Vec<MeiliDoc> = docs.into_iter().map(MeiliDoc::from).collect();
        for chunk in docs.chunks(5_000) {
            let task = self
                .client
                .index(&fresh)
                .add_or_replace(chunk, Some("key"))
                .await
                .map_err(classify)?;
            self.wait(task).await?;
        }
        let swap = SwapIndexes {
            indexes: (self.uid.clone(), fresh.clone()),
            rename: None,
        };
        let task = self.client.swap_indexes([&swap]).await.map_err(classify)?;
        self.wait(task).await?;
        let task = self.client.delete_index(&fresh).await.map_err(classify)?;
        self.wait(task).await
    }

    async fn search(&self, query: &SearchQuery) -> Result<SearchResults, SearchError> {
        let started = std::time::Instant::now();
        let index = self.client.index(&self.uid);
        let query_words = words(&query.q);
        // With words, resolve them to catalogue entries first, as the embedded engine does:
        // a tool filter and the category/status facets apply to those entries only.
        let catalogue = if query_words.is_empty() {
            None
        } else {
            Some(self.catalogue().await?)
        };
        let matched = catalogue
            .as_deref()
            .map(|c| super::matching::matched_slugs(c, &query_words));
        let tool_filter = query.category.is_some() || query.status.is_some();
        if tool_filter && matched.as_ref().is_some_and(|m| m.is_empty()) {
            return Ok(SearchResults {
                total: 0,
                page: query.page,
                per_page: query.per_page,
                hits: Vec::new(),
                facets: Facets::default(),
                processing_time_ms: started.elapsed().as_secs_f64() * 1000.0,
                engine: self.engine_name().into(),
            });
        }
        let filter = Self::filter(query, matched.as_deref());
        let sort: Vec<&str> = match query.sort {
            Sort::Relevance => vec![],
            Sort::Population => vec!["population:desc"],
            Sort::Name => vec!["name_sort:asc"],
        };
        let mut request = index.search();
        request
            .with_query(&query.q)
            .with_facets(Selectors::Some(&FACETS))
            .with_page(query.page as usize)
            .with_hits_per_page(query.per_page as usize);
        if !filter.is_empty() {
            request.with_filter(&filter);
        }
        if !sort.is_empty() {
            request.with_sort(&sort);
        }
        let found = request.execute::<MeiliDoc>().await.map_err(classify)?;
        let dist = found.facet_distribution.clone().unwrap_or_default();
        let (category, status) = match (catalogue.as_deref(), matched.as_deref()) {
            (Some(catalogue), Some(slugs)) => {
                self.matched_tool_facets(query, &filter, catalogue, slugs)
                    .await?
            }
            _ => (
                facet_map(&dist, "tool_categories"),
                facet_map(&dist, "tool_statuses"),
            ),
        };
        let facets = Facets {
            kind: facet_map(&dist, "kind"),
            region: facet_map(&dist, "region"),
            departement: facet_map(&dist, "departement"),
            population: facet_map(&dist, "population_band"),
            member: facet_map(&dist, "is_member"),
            label: facet_map(&dist, "label_level"),
            category,
            status,
        };
        Ok(SearchResults {
            total: found.total_hits.or(found.estimated_total_hits).unwrap_or(0) as u64,
            page: query.page,
            per_page: query.per_page,
            hits: found
                .hits
                .iter()
                .map(|h| super::results::hit(&h.result.doc, query, &query_words))
                .collect(),
            facets,
            processing_time_ms: started.elapsed().as_secs_f64() * 1000.0,
            engine: self.engine_name().into(),
        })
    }

    async fn rebuild_software(&self, docs: Vec<SoftwareDoc>) -> Result<(), SearchError> {
        let uid = format!("{}_software", self.uid);
        self.ensure_index(&uid, "slug").await?;
        let index = self.client.index(&uid);
        // Every task costs Meilisearch a batch (about half a second measured for one
        // document), and a settings update re-processes the index even when nothing
        // changed: settings are sent only when they differ, documents only when changed.
        let settings = Settings::new()
            .with_searchable_attributes(SOFTWARE_SEARCHABLE)
            .with_sortable_attributes(SOFTWARE_SORTABLE);
        let current = index.get_settings().await.map_err(classify)?;
        if !software_settings_match(&current) {
            let task = index.set_settings(&settings).await.map_err(classify)?;
            self.wait(task).await?;
        }
        let mut query = DocumentsQuery::new(&index);
        query.with_limit(100_000);
        let stored: HashMap<String, SoftwareDoc> = index
            .get_documents_with::<SoftwareDoc>(&query)
            .await
            .map_err(classify)?
            .results
            .into_iter()
            .map(|d| (d.slug.clone(), d))
            .collect();
        // Replace in place, then drop what left the catalogue: suggestions never go
        // empty while a refresh runs (deleting everything first left a gap at every
        // index job).
        let changed: Vec<&SoftwareDoc> = docs
            .iter()
            .filter(|d| stored.get(&d.slug) != Some(*d))
            .collect();
        if !changed.is_empty() {
            let task = index
                .add_or_replace(&changed, Some("slug"))
                .await
                .map_err(classify)?;
            self.wait(task).await?;
        }
        let keep: std::collections::HashSet<&str> = docs.iter().map(|d| d.slug.as_str()).collect();
        let gone: Vec<&String> = stored
            .keys()
            .filter(|slug| !keep.contains(slug.as_str()))
            .collect();
        if !gone.is_empty() {
            let task = index.delete_documents(&gone).await.map_err(classify)?;
            self.wait(task).await?;
        }
        // This process's next search reads the new catalogue.
        if let Ok(mut kept) = self.catalogue.lock() {
            *kept = None;
        }
        Ok(())
    }

    async fn suggest_software(
        &self,
        prefix: &str,
        limit: usize,
    ) -> Result<Vec<SoftwareDoc>, SearchError> {
        let uid = format!("{}_software", self.uid);
        let index = self.client.index(&uid);
        let found = index
            .search()
            .with_query(prefix)
            .with_limit(limit)
            .execute::<SoftwareDoc>()
            .await
            .map_err(classify)?;
        Ok(found.hits.into_iter().map(|h| h.result).collect())
    }

    async fn count(&self) -> Result<u64, SearchError> {
        match self.client.index(&self.uid).get_stats().await {
            Ok(stats) => Ok(stats.number_of_documents as u64),
            Err(MeiliError::Meilisearch(_)) => Ok(0),
            Err(e) => Err(classify(e)),
        }
    }
}
