//! The embedded engine: a tantivy index under the data dir for matching and scoring, and
//! the documents kept in memory (they are stored in the index too, and reloaded from it at
//! start) for filters, facets and sorting.

use std::collections::HashMap;
use std::path::Path;
use std::sync::{Arc, Mutex, RwLock};

use async_trait::async_trait;
use tantivy::{
    DocAddress, DocId, Index, IndexReader, IndexWriter, ReloadPolicy, Score, SegmentReader,
    TantivyDocument, Term,
    collector::{Collector, SegmentCollector},
    directory::MmapDirectory,
    doc,
    query::{BooleanQuery, BoostQuery, FuzzyTermQuery, Occur, Query, TermQuery},
    schema::{
        Field, IndexRecordOption, NumericOptions, STORED, Schema, TextFieldIndexing, TextOptions,
        Value,
    },
    tokenizer::{AsciiFoldingFilter, LowerCaser, RemoveLongFilter, SimpleTokenizer, TextAnalyzer},
};

use super::matching::{doc_matches, typos_allowed, words};
use super::{AuthorityDoc, SearchError, SearchIndex, SearchQuery, SearchResults};

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
    reader: IndexReader,
    writer: Mutex<IndexWriter>,
    fields: Fields,
    docs: RwLock<HashMap<u64, Arc<AuthorityDoc>>>,
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
        let this = Self {
            reader,
            writer: Mutex::new(writer),
            fields,
            docs: RwLock::new(HashMap::new()),
            software: RwLock::new(Vec::new()),
        };
        this.load_documents()?;
        Ok(this)
    }

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
        *self.docs.write().map_err(engine_err)? = docs;
        Ok(())
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

    fn text_query(&self, query_words: &[String]) -> BooleanQuery {
        let f = self.fields;
        let mut must: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        for w in query_words {
            let mut should: Vec<(Occur, Box<dyn Query>)> = Vec::new();
            for (field, boost) in [(f.tools, 3.0), (f.identity, 2.0), (f.related, 1.0)] {
                let term = Term::from_field_text(field, w);
                should.push((
                    Occur::Should,
                    Box::new(BoostQuery::new(
                        Box::new(TermQuery::new(term.clone(), IndexRecordOption::WithFreqs)),
                        boost * 2.0,
                    )),
                ));
                if w.chars().count() >= 3 {
                    should.push((
                        Occur::Should,
                        Box::new(BoostQuery::new(
                            Box::new(FuzzyTermQuery::new_prefix(term.clone(), 0, true)),
                            boost,
                        )),
                    ));
                }
                let typos = typos_allowed(w.chars().count());
                if typos > 0 {
                    should.push((
                        Occur::Should,
                        Box::new(BoostQuery::new(
                            Box::new(FuzzyTermQuery::new(term, typos as u8, true)),
                            boost * 0.5,
                        )),
                    ));
                }
            }
            must.push((Occur::Must, Box::new(BooleanQuery::new(should))));
        }
        BooleanQuery::new(must)
    }

    fn run(&self, query: &SearchQuery) -> Result<SearchResults, SearchError> {
        let query_words = words(&query.q);
        let docs = self.docs.read().map_err(engine_err)?;
        let candidates: Vec<(&AuthorityDoc, f32)> = if query_words.is_empty() {
            docs.values().map(|d| (d.as_ref(), 0.0)).collect()
        } else {
            let searcher = self.reader.searcher();
            let found = searcher
                .search(&self.text_query(&query_words), &AllScored)
                .map_err(engine_err)?;
            found
                .into_iter()
                .filter_map(|(score, key)| docs.get(&key).map(|d| (d.as_ref(), score)))
                .filter(|(d, _)| doc_matches(d, &query_words))
                .collect()
        };
        Ok(super::results::finish(candidates, query, &query_words))
    }
}

/// Collects every matching document with its score and key, without the bounded heap of
/// `TopDocs` (every match is needed anyway for filters and facets).
struct AllScored;

struct AllScoredSegment {
    keys: Option<tantivy::columnar::Column<u64>>,
    hits: Vec<(f32, u64)>,
}

impl Collector for AllScored {
    type Fruit = Vec<(f32, u64)>;
    type Child = AllScoredSegment;

    fn for_segment(&self, _ord: u32, segment: &SegmentReader) -> tantivy::Result<AllScoredSegment> {
        Ok(AllScoredSegment {
            keys: segment.fast_fields().u64("key").ok(),
            hits: Vec::new(),
        })
    }

    fn requires_scoring(&self) -> bool {
        true
    }

    fn merge_fruits(&self, fruits: Vec<Vec<(f32, u64)>>) -> tantivy::Result<Vec<(f32, u64)>> {
        Ok(fruits.concat())
    }
}

impl SegmentCollector for AllScoredSegment {
    type Fruit = Vec<(f32, u64)>;

    fn collect(&mut self, doc: DocId, score: Score) {
        if let Some(key) = self.keys.as_ref().and_then(|c| c.first(doc)) {
            self.hits.push((score, key));
        }
    }

    fn harvest(self) -> Self::Fruit {
        self.hits
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
        let mut writer = self.writer.lock().map_err(engine_err)?;
        for d in &docs {
            writer.delete_term(Term::from_field_u64(self.fields.key, d.key));
            self.add(&writer, d)?;
        }
        self.commit(&mut writer)?;
        let mut memory = self.docs.write().map_err(engine_err)?;
        for d in docs {
            memory.insert(d.key, Arc::new(d.prepare()));
        }
        Ok(())
    }

    async fn remove(&self, keys: Vec<u64>) -> Result<(), SearchError> {
        let mut writer = self.writer.lock().map_err(engine_err)?;
        for k in &keys {
            writer.delete_term(Term::from_field_u64(self.fields.key, *k));
        }
        self.commit(&mut writer)?;
        let mut memory = self.docs.write().map_err(engine_err)?;
        for k in keys {
            memory.remove(&k);
        }
        Ok(())
    }

    async fn rebuild(&self, docs: Vec<AuthorityDoc>) -> Result<(), SearchError> {
        let mut writer = self.writer.lock().map_err(engine_err)?;
        let staged = writer
            .delete_all_documents()
            .map_err(engine_err)
            .and_then(|_| docs.iter().try_for_each(|d| self.add(&writer, d)));
        if let Err(err) = staged {
            // A failed rebuild leaves the previous index: nothing staged may reach the next
            // commit (an update's), or searches would see half an index.
            writer.rollback().map_err(engine_err)?;
            return Err(err);
        }
        // Readers keep the previous content until this single commit.
        self.commit(&mut writer)?;
        *self.docs.write().map_err(engine_err)? = docs
            .into_iter()
            .map(|d| (d.key, Arc::new(d.prepare())))
            .collect();
        Ok(())
    }

    async fn search(&self, query: &SearchQuery) -> Result<SearchResults, SearchError> {
        let started = std::time::Instant::now();
        let mut results = self.run(query)?;
        results.processing_time_ms = started.elapsed().as_secs_f64() * 1000.0;
        results.engine = self.engine_name().into();
        Ok(results)
    }

    async fn count(&self) -> Result<u64, SearchError> {
        Ok(self.docs.read().map_err(engine_err)?.len() as u64)
    }

    async fn rebuild_software(
        &self,
        mut docs: Vec<super::document::SoftwareDoc>,
    ) -> Result<(), SearchError> {
        docs.sort_by(|a, b| b.users.cmp(&a.users).then(a.name.cmp(&b.name)));
        *self.software.write().map_err(engine_err)? = docs;
        Ok(())
    }

    async fn suggest_software(
        &self,
        prefix: &str,
        limit: usize,
    ) -> Result<Vec<super::document::SoftwareDoc>, SearchError> {
        let query_words = words(prefix);
        Ok(self
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
