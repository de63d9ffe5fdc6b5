//! The embedded engine: documents stored in a tantivy index under the data dir (so they
//! survive a restart and only one process may write them), searched through an in-memory
//! `Snapshot` of bitsets. Writes build a new snapshot on a blocking thread and publish it
//! atomically; searches read the published one and never wait on a writer.

use std::collections::HashMap;
use std::path::Path;
use std::sync::{Arc, Mutex, RwLock};

use arc_swap::ArcSwap;
use async_trait::async_trait;
use tantivy::{
    DocAddress, Index, IndexReader, IndexWriter, ReloadPolicy, TantivyDocument, Term,
    directory::MmapDirectory,
    doc,
    schema::{
        Field, IndexRecordOption, NumericOptions, STORED, Schema, TextFieldIndexing, TextOptions,
        Value,
    },
    tokenizer::{AsciiFoldingFilter, LowerCaser, RemoveLongFilter, SimpleTokenizer, TextAnalyzer},
};

use super::snapshot::Snapshot;
use super::{AuthorityDoc, SearchError, SearchIndex, SearchQuery, SearchResults};
use crate::text::words;

const TOKENIZER: &str = "pairs_folded";
const WRITER_HEAP: usize = 50_000_000;

#[derive(Clone, Copy, Debug)]
struct Fields {
    key: Field,
    identity: Field,
    tools: Field,
    related: Field,
    stored: Field,
}

pub struct EmbeddedIndex {
    inner: Arc<Inner>,
}

struct Inner {
    reader: IndexReader,
    writer: Mutex<IndexWriter>,
    fields: Fields,
    /// The writers' copy of every document; readers use `snapshot`.
    docs: Mutex<HashMap<u64, Arc<AuthorityDoc>>>,
    snapshot: ArcSwap<Snapshot>,
    /// The catalogue for suggestions: small, so kept in memory and matched directly.
    software: RwLock<Vec<super::document::SoftwareDoc>>,
}

impl std::fmt::Debug for EmbeddedIndex {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("EmbeddedIndex").finish_non_exhaustive()
    }
}

fn engine_err(e: impl std::fmt::Display) -> SearchError {
    SearchError::Engine(e.to_string())
}

fn schema() -> (Schema, Fields) {
    let mut b = Schema::builder();
    let text = TextOptions::default().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer(TOKENIZER)
            .set_index_option(IndexRecordOption::WithFreqs),
    );
    let key = b.add_u64_field("key", NumericOptions::default().set_indexed().set_fast());
    let identity = b.add_text_field("identity", text.clone());
    let tools = b.add_text_field("tools", text.clone());
    let related = b.add_text_field("related", text);
    let stored = b.add_text_field("doc", STORED);
    (
        b.build(),
        Fields {
            key,
            identity,
            tools,
            related,
            stored,
        },
    )
}

impl EmbeddedIndex {
    /// Opens (or creates) the index in `dir`.
    pub fn open(dir: &Path) -> Result<Self, SearchError> {
        std::fs::create_dir_all(dir).map_err(engine_err)?;
        let (schema, fields) = schema();
        let directory = MmapDirectory::open(dir).map_err(engine_err)?;
        let index = Index::open_or_create(directory, schema).map_err(engine_err)?;
        Self::with_index(index, fields)
    }

    /// An index in memory (tests, benchmarks).
    pub fn in_memory() -> Result<Self, SearchError> {
        let (schema, fields) = schema();
        Self::with_index(Index::create_in_ram(schema), fields)
    }

    fn with_index(index: Index, fields: Fields) -> Result<Self, SearchError> {
        let analyzer = TextAnalyzer::builder(SimpleTokenizer::default())
            .filter(RemoveLongFilter::limit(60))
            .filter(LowerCaser)
            .filter(AsciiFoldingFilter)
            .build();
        index.tokenizers().register(TOKENIZER, analyzer);
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()
            .map_err(engine_err)?;
        let writer = index.writer(WRITER_HEAP).map_err(|e| match e {
            tantivy::TantivyError::LockFailure(
                tantivy::directory::error::LockError::LockBusy,
                _,
            ) => SearchError::Busy,
            other => engine_err(other),
        })?;
        let inner = Inner {
            reader,
            writer: Mutex::new(writer),
            fields,
            docs: Mutex::new(HashMap::new()),
            snapshot: ArcSwap::from_pointee(Snapshot::build(Vec::new(), None)),
            software: RwLock::new(Vec::new()),
        };
        inner.load_documents()?;
        Ok(Self {
            inner: Arc::new(inner),
        })
    }

    /// Runs a write off the async threads: committing and building a snapshot take
    /// milliseconds of CPU.
    async fn write<T: Send + 'static>(
        &self,
        work: impl FnOnce(&Inner) -> Result<T, SearchError> + Send + 'static,
    ) -> Result<T, SearchError> {
        let inner = self.inner.clone();
        tokio::task::spawn_blocking(move || work(&inner))
            .await
            .map_err(engine_err)?
    }

    /// The published snapshot (tests, benchmarks).
    pub fn snapshot(&self) -> Arc<Snapshot> {
        self.inner.snapshot.load_full()
    }
}

impl Inner {
    /// Fills the in-memory documents from the stored ones.
    fn load_documents(&self) -> Result<(), SearchError> {
        let searcher = self.reader.searcher();
        let mut docs = HashMap::new();
        for (ord, segment) in searcher.segment_readers().iter().enumerate() {
            for doc_id in segment.doc_ids_alive() {
                let stored: TantivyDocument = searcher
                    .doc(DocAddress::new(ord as u32, doc_id))
                    .map_err(engine_err)?;
                if let Some(json) = stored
                    .get_first(self.fields.stored)
                    .and_then(|v| v.as_str())
                    && let Ok(d) = serde_json::from_str::<AuthorityDoc>(json)
                {
                    docs.insert(d.key, Arc::new(d.prepare()));
                }
            }
        }
        self.publish(&docs, false);
        *self.docs.lock().map_err(engine_err)? = docs;
        Ok(())
    }

    /// Builds and publishes the snapshot of `docs`; `identity_unchanged` says the previous
    /// snapshot's identity words still hold (same authorities, same names and codes).
    fn publish(&self, docs: &HashMap<u64, Arc<AuthorityDoc>>, identity_unchanged: bool) {
        let previous = self.snapshot.load();
        let identity = (identity_unchanged && previous.len() == docs.len())
            .then(|| previous.identity().clone());
        let snapshot = Snapshot::build(docs.values().cloned().collect(), identity);
        self.snapshot.store(Arc::new(snapshot));
    }

    fn add(&self, writer: &IndexWriter, d: &AuthorityDoc) -> Result<(), SearchError> {
        let f = self.fields;
        let json = serde_json::to_string(d).map_err(engine_err)?;
        writer
            .add_document(doc!(
                f.key => d.key,
                f.identity => d.identity_text(),
                f.tools => d.tools_text(),
                f.related => d.related_text(),
                f.stored => json,
            ))
            .map_err(engine_err)?;
        Ok(())
    }

    fn commit(&self, writer: &mut IndexWriter) -> Result<(), SearchError> {
        writer.commit().map_err(engine_err)?;
        self.reader.reload().map_err(engine_err)
    }
}

#[async_trait]
impl SearchIndex for EmbeddedIndex {
    fn engine_name(&self) -> &'static str {
        "embedded"
    }

    async fn prepare(&self, _synonyms: &[(String, Vec<String>)]) -> Result<(), SearchError> {
        // Aliases and similar names are part of each document's text here.
        Ok(())
    }

    async fn upsert(&self, docs: Vec<AuthorityDoc>) -> Result<(), SearchError> {
        self.write(move |inner| {
            let mut writer = inner.writer.lock().map_err(engine_err)?;
            for d in &docs {
                writer.delete_term(Term::from_field_u64(inner.fields.key, d.key));
                inner.add(&writer, d)?;
            }
            inner.commit(&mut writer)?;
            let mut memory = inner.docs.lock().map_err(engine_err)?;
            let mut identity_unchanged = true;
            for d in docs {
                let d = d.prepare();
                identity_unchanged &= memory
                    .get(&d.key)
                    .is_some_and(|old| old.identity_words == d.identity_words);
                memory.insert(d.key, Arc::new(d));
            }
            inner.publish(&memory, identity_unchanged);
            Ok(())
        })
        .await
    }

    async fn remove(&self, keys: Vec<u64>) -> Result<(), SearchError> {
        self.write(move |inner| {
            let mut writer = inner.writer.lock().map_err(engine_err)?;
            for k in &keys {
                writer.delete_term(Term::from_field_u64(inner.fields.key, *k));
            }
            inner.commit(&mut writer)?;
            let mut memory = inner.docs.lock().map_err(engine_err)?;
            let before = memory.len();
            for k in keys {
                memory.remove(&k);
            }
            inner.publish(&memory, memory.len() == before);
            Ok(())
        })
        .await
    }

    async fn rebuild(&self, docs: Vec<AuthorityDoc>) -> Result<(), SearchError> {
        self.write(move |inner| {
            let mut writer = inner.writer.lock().map_err(engine_err)?;
            let staged = writer
                .delete_all_documents()
                .map_err(engine_err)
                .and_then(|_| docs.iter().try_for_each(|d| inner.add(&writer, d)));
            if let Err(err) = staged {
                // A failed rebuild leaves the previous index: nothing staged may reach the
                // next commit (an update's), or searches would see half an index.
                writer.rollback().map_err(engine_err)?;
                return Err(err);
            }
            // Readers keep the previous content until this single commit.
            inner.commit(&mut writer)?;
            let memory: HashMap<u64, Arc<AuthorityDoc>> = docs
                .into_iter()
                .map(|d| (d.key, Arc::new(d.prepare())))
                .collect();
            inner.publish(&memory, false);
            *inner.docs.lock().map_err(engine_err)? = memory;
            Ok(())
        })
        .await
    }

    async fn search(&self, query: &SearchQuery) -> Result<SearchResults, SearchError> {
        let started = std::time::Instant::now();
        let mut results = self.inner.snapshot.load().search(query);
        results.processing_time_ms = started.elapsed().as_secs_f64() * 1000.0;
        results.engine = self.engine_name().into();
        Ok(results)
    }

    async fn count(&self) -> Result<u64, SearchError> {
        Ok(self.inner.snapshot.load().len() as u64)
    }
    fn peer_universe(&self) -> Option<Arc<crate::peers::Universe>> {
        Some(self.inner.snapshot.load().peer_universe())
    }

    async fn rebuild_software(
        &self,
        mut docs: Vec<super::document::SoftwareDoc>,
    ) -> Result<(), SearchError> {
        docs.sort_by(|a, b| b.users.cmp(&a.users).then(a.name.cmp(&b.name)));
        *self.inner.software.write().map_err(engine_err)? = docs;
        Ok(())
    }

    async fn suggest_software(
        &self,
        prefix: &str,
        limit: usize,
    ) -> Result<Vec<super::document::SoftwareDoc>, SearchError> {
        let query_words = words(prefix);
        Ok(self
            .inner
            .software
            .read()
            .map_err(engine_err)?
            .iter()
            .filter(|s| super::matching::software_matches(s, &query_words))
            .take(limit)
            .cloned()
            .collect())
    }
}
