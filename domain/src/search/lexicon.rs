//! A sorted vocabulary of folded words with an FST over it, so one query word is matched
//! against every word at once by the rule of `matching::word_matches` (equal, a prefix from
//! 3 characters, or within the allowed typos): exact by lookup, prefixes by a range of the
//! sorted list, typos by intersecting a Levenshtein automaton with the FST. The cost grows
//! with the matches, not with the vocabulary.

use std::sync::LazyLock;

use levenshtein_automata::{DFA, Distance, LevenshteinAutomatonBuilder, SINK_STATE};
use tantivy_fst::{IntoStreamer, Map, MapBuilder, Streamer};

use super::matching::typos_allowed;

/// How a query word found a vocabulary word, best first.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum MatchKind {
    Typo,
    Prefix,
    Exact,
}

// Plain Levenshtein (a transposition is two edits), as `matching::distance_within`.
static BUILDERS: LazyLock<[LevenshteinAutomatonBuilder; 2]> = LazyLock::new(|| {
    [
        LevenshteinAutomatonBuilder::new(1, false),
        LevenshteinAutomatonBuilder::new(2, false),
    ]
});

struct Automaton<'a>(&'a DFA);

impl tantivy_fst::Automaton for Automaton<'_> {
    type State = u32;

    fn start(&self) -> u32 {
        self.0.initial_state()
    }

    fn is_match(&self, state: &u32) -> bool {
        matches!(self.0.distance(*state), Distance::Exact(_))
    }

    fn can_match(&self, state: &u32) -> bool {
        *state != SINK_STATE
    }

    fn accept(&self, state: &u32, byte: u8) -> u32 {
        self.0.transition(*state, byte)
    }
}

/// A query word ready to be matched against several lexicons: its Levenshtein automaton
/// (tens of microseconds to build for two typos) is built once, and only if a lexicon has
/// not already walked this word.
pub struct Probe<'a> {
    word: &'a str,
    len: usize,
    typos: usize,
    dfa: std::cell::OnceCell<DFA>,
}

impl<'a> Probe<'a> {
    pub fn new(word: &'a str) -> Self {
        let len = word.chars().count();
        Self {
            word,
            len,
            typos: typos_allowed(len),
            dfa: std::cell::OnceCell::new(),
        }
    }

    fn dfa(&self) -> &DFA {
        self.dfa
            .get_or_init(|| BUILDERS[self.typos.clamp(1, 2) - 1].build_dfa(self.word))
    }
}

/// How many query words' typo expansions a lexicon remembers (then it starts over).
const MEMO_CAPACITY: usize = 20_000;

pub struct Lexicon {
    /// Sorted, distinct; a word's id is its position.
    words: Vec<Box<str>>,
    /// Query word -> ids of the words it finds by typos. Walking the FST with a two-typo
    /// automaton is the costliest step of a search, and a lexicon never changes once built
    /// (the identity lexicon lives as long as the referential), so each word is walked once.
    typo_memo: std::sync::Mutex<std::collections::HashMap<Box<str>, std::sync::Arc<[u32]>>>,
    /// Word -> id, searched with Levenshtein automata for typos.
    fst: Option<Map<Vec<u8>>>,
}

impl std::fmt::Debug for Lexicon {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Lexicon")
            .field("words", &self.words.len())
            .finish()
    }
}

impl Lexicon {
    /// Builds the lexicon of these words (any order, duplicates allowed).
    pub fn new<'a>(words: impl IntoIterator<Item = &'a str>) -> Self {
        let mut words: Vec<Box<str>> = words.into_iter().map(Box::from).collect();
        words.sort_unstable();
        words.dedup();
        let mut builder = MapBuilder::memory();
        for (id, w) in words.iter().enumerate() {
            // Keys are inserted sorted and distinct, which is all the builder checks.
            let _ = builder.insert(w.as_bytes(), id as u64);
        }
        // Building in memory cannot fail on I/O; without a map only typos go unmatched.
        let fst = builder
            .into_inner()
            .ok()
            .and_then(|b| Map::from_bytes(b).ok());
        Self {
            words,
            typo_memo: Default::default(),
            fst,
        }
    }

    pub fn len(&self) -> usize {
        self.words.len()
    }

    pub fn is_empty(&self) -> bool {
        self.words.is_empty()
    }

    /// The id of a word exactly.
    pub fn id(&self, word: &str) -> Option<u32> {
        self.words
            .binary_search_by(|w| w.as_ref().cmp(word))
            .ok()
            .map(|i| i as u32)
    }

    pub fn word(&self, id: u32) -> &str {
        self.words.get(id as usize).map_or("", |w| w)
    }

    /// Every word `probe` finds, each once with its best kind.
    pub fn matches(&self, probe: &Probe, out: &mut Vec<(u32, MatchKind)>) {
        out.clear();
        let query = probe.word;
        if query.is_empty() {
            return;
        }
        if probe.len >= 3 {
            // Prefixes include the word itself when present.
            let start = self.words.partition_point(|w| w.as_ref() < query);
            for (i, w) in self.words[start..].iter().enumerate() {
                if !w.starts_with(query) {
                    break;
                }
                let kind = if w.len() == query.len() {
                    MatchKind::Exact
                } else {
                    MatchKind::Prefix
                };
                out.push(((start + i) as u32, kind));
            }
        } else if let Some(id) = self.id(query) {
            out.push((id, MatchKind::Exact));
        }
        let already = out.len();
        for id in self.typos(probe).iter().copied() {
            // Words found above (a contiguous range of ids) keep their better kind.
            let seen = already > 0 && id >= out[0].0 && id <= out[already - 1].0;
            if !seen {
                out.push((id, MatchKind::Typo));
            }
        }
    }

    /// The ids of the words within the probe's typos (exact and prefix ones included).
    fn typos(&self, probe: &Probe) -> std::sync::Arc<[u32]> {
        let Some(fst) = self.fst.as_ref().filter(|_| probe.typos > 0) else {
            return std::sync::Arc::from([]);
        };
        if let Ok(memo) = self.typo_memo.lock()
            && let Some(found) = memo.get(probe.word)
        {
            return found.clone();
        }
        let mut found = Vec::new();
        let mut stream = fst.search(Automaton(probe.dfa())).into_stream();
        while let Some((_, id)) = stream.next() {
            found.push(id as u32);
        }
        let found: std::sync::Arc<[u32]> = found.into();
        if let Ok(mut memo) = self.typo_memo.lock() {
            if memo.len() >= MEMO_CAPACITY {
                memo.clear();
            }
            memo.insert(probe.word.into(), found.clone());
        }
        found
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::search::matching::word_matches;

    #[test]
    fn finds_what_word_matches_finds() {
        let vocabulary = [
            "nextcloud",
            "next",
            "office",
            "libreoffice",
            "opencimetiere",
            "cimetieres",
            "gimp",
            "glpi",
            "gis",
            "qgis",
            "saint",
            "sainte",
            "13001",
            "marseille",
        ];
        let lexicon = Lexicon::new(vocabulary.iter().copied());
        let mut out = Vec::new();
        for query in [
            "nexcloud",
            "nextlcoud",
            "next",
            "ofice",
            "opencim",
            "cimetiere",
            "glp",
            "gis",
            "sai",
            "1300",
            "13001",
            "marseile",
            "zz",
            "",
        ] {
            lexicon.matches(&Probe::new(query), &mut out);
            let mut found: Vec<&str> = out.iter().map(|(id, _)| lexicon.word(*id)).collect();
            found.sort_unstable();
            let mut expected: Vec<&str> = vocabulary
                .iter()
                .copied()
                .filter(|w| !query.is_empty() && word_matches(query, w))
                .collect();
            expected.sort_unstable();
            assert_eq!(found, expected, "{query}");
        }
        lexicon.matches(&Probe::new("next"), &mut out);
        assert!(out.contains(&(lexicon.id("next").unwrap_or(u32::MAX), MatchKind::Exact)));
        assert!(out.contains(&(
            lexicon.id("nextcloud").unwrap_or(u32::MAX),
            MatchKind::Prefix
        )));
    }
}
