//! What counts as a match, shared by both engines so they agree: accent- and
//! case-insensitive words, typo tolerance growing with word length, prefixes while typing.

use super::{AuthorityDoc, ToolDoc};
use crate::text::words;

/// Edit distance with an early exit once `max` is exceeded. Runs on every candidate word
/// of every search, so it avoids allocating for the usual short ASCII words.
fn distance_within(a: &str, b: &str, max: usize) -> bool {
    const STACK: usize = 48;
    if a.len().abs_diff(b.len()) > max && a.is_ascii() && b.is_ascii() {
        return false;
    }
    if a.is_ascii() && b.is_ascii() && b.len() < STACK {
        let (a, b) = (a.as_bytes(), b.as_bytes());
        let mut prev = [0usize; STACK];
        let mut cur = [0usize; STACK];
        for (j, p) in prev.iter_mut().enumerate().take(b.len() + 1) {
            *p = j;
        }
        for (i, ca) in a.iter().enumerate() {
            cur[0] = i + 1;
            let mut row_min = cur[0];
            for (j, cb) in b.iter().enumerate() {
                let cost = usize::from(ca != cb);
                cur[j + 1] = (prev[j] + cost).min(prev[j + 1] + 1).min(cur[j] + 1);
                row_min = row_min.min(cur[j + 1]);
            }
            if row_min > max {
                return false;
            }
            std::mem::swap(&mut prev, &mut cur);
        }
        return prev[b.len()] <= max;
    }
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    if a.len().abs_diff(b.len()) > max {
        return false;
    }
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        let mut row_min = cur[0];
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != cb);
            cur[j + 1] = (prev[j] + cost).min(prev[j + 1] + 1).min(cur[j] + 1);
            row_min = row_min.min(cur[j + 1]);
        }
        if row_min > max {
            return false;
        }
        prev = cur;
    }
    prev[b.len()] <= max
}

/// Typos allowed for a query word of this length (as Meilisearch's defaults: 1 from 5
/// characters, 2 from 9).
pub fn typos_allowed(len: usize) -> usize {
    match len {
        0..=4 => 0,
        5..=8 => 1,
        _ => 2,
    }
}

/// Whether a query word finds an indexed word: equal, a prefix (3+ characters), or within
/// the allowed typos.
pub fn word_matches(query: &str, word: &str) -> bool {
    if query == word {
        return true;
    }
    let len = query.chars().count();
    (len >= 3 && word.starts_with(query)) || {
        let typos = typos_allowed(len);
        typos > 0 && distance_within(query, word, typos)
    }
}

fn any_word(query: &str, text_words: &[String]) -> bool {
    text_words.iter().any(|w| word_matches(query, w))
}

/// The folded words of a tool, cached when the document was prepared.
pub fn tool_words(tool: &ToolDoc) -> std::borrow::Cow<'_, [String]> {
    if tool.words.is_empty() {
        std::borrow::Cow::Owned(tool.compute_words())
    } else {
        std::borrow::Cow::Borrowed(&tool.words)
    }
}

/// A tool matches when every query word is found in its names.
pub fn tool_matches(tool: &ToolDoc, query: &[String]) -> bool {
    let w = tool_words(tool);
    !query.is_empty() && query.iter().all(|q| any_word(q, &w))
}

/// A document matches when every query word is found in its identity or its tools.
pub fn doc_matches(doc: &AuthorityDoc, query: &[String]) -> bool {
    let identity = if doc.identity_words.is_empty() {
        std::borrow::Cow::Owned(words(&doc.identity_text()))
    } else {
        std::borrow::Cow::Borrowed(&doc.identity_words)
    };
    query
        .iter()
        .all(|q| any_word(q, &identity) || doc.tools.iter().any(|t| any_word(q, &tool_words(t))))
}

/// The words of a tool's category that the tool carries itself, in its name, aliases,
/// similar names or description (« élections » for Mélodie, « d'état civil et
/// d'élections »; « courrier » for Maarch Courrier). A search for such a word is about the
/// tool, not only about its category, so both engines rank it above tools that merely
/// share the category. Only category words are kept, so what matches does not change.
pub fn carried_category_words(category_name: &str, own: &[&str]) -> Vec<String> {
    let own: Vec<String> = own.iter().flat_map(|t| words(t)).collect();
    let mut carried: Vec<String> = words(category_name)
        .into_iter()
        // « et », « de », « des »: too short to be about anything.
        .filter(|c| c.chars().count() >= 4)
        .filter(|c| {
            // A plural or a compound still carries it: « cimetieres » in « cimetiere »,
            // « elections » in « openelection ».
            let stem = c.trim_end_matches(['s', 'x']);
            own.iter()
                .any(|w| word_matches(c, w) || (stem.len() >= 5 && w.contains(stem)))
        })
        .collect();
    carried.dedup();
    carried
}

/// The catalogue entries every query word is about, by the rule `tool_matches` applies to an
/// authority's tools (name, aliases, similar names, category): the vocabulary step an
/// engine that cannot run that rule itself (Meilisearch) resolves words with.
pub fn matched_slugs<'a>(
    catalogue: &'a [super::document::SoftwareDoc],
    query: &[String],
) -> Vec<&'a str> {
    catalogue
        .iter()
        .filter(|doc| {
            let mut w = words(&doc.name);
            for t in doc.aliases.iter().chain(&doc.similar) {
                w.extend(words(t));
            }
            if let Some(c) = &doc.category_name {
                w.extend(words(c));
            }
            !query.is_empty() && query.iter().all(|q| any_word(q, &w))
        })
        .map(|doc| doc.slug.as_str())
        .collect()
}

/// Whether a catalogue entry answers what is being typed.
pub fn software_matches(doc: &super::document::SoftwareDoc, query: &[String]) -> bool {
    let mut w = words(&doc.name);
    for t in doc.aliases.iter().chain(&doc.similar) {
        w.extend(words(t));
    }
    !query.is_empty() && query.iter().all(|q| any_word(q, &w))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typos_prefixes_and_accents() {
        assert!(word_matches("ofice", "office"));
        assert!(word_matches("nexcloud", "nextcloud"));
        assert!(word_matches("opencim", "opencimetiere"));
        assert!(word_matches("cimetiere", "cimetieres"));
        assert!(!word_matches("glp", "gimp"));
        assert!(
            !word_matches("qgis", "gis"),
            "short words need exact or prefix matches"
        );
        assert_eq!(
            words("OpenCimetière, Libre-Office"),
            vec!["opencimetiere", "libre", "office"]
        );
    }

    #[test]
    fn a_tool_carries_the_category_words_its_own_texts_say() {
        let category = "État civil et élections";
        assert_eq!(
            carried_category_words(
                category,
                &["Mélodie", "Logiciel d'état civil et d'élections."]
            ),
            vec!["etat", "civil", "elections"]
        );
        assert_eq!(
            carried_category_words(
                category,
                &[
                    "openElec",
                    "openElection",
                    "Gestion des listes électorales."
                ]
            ),
            vec!["elections"]
        );
        assert!(
            carried_category_words(category, &["openRecensement", "Recensement militaire."])
                .is_empty(),
            "sharing the category is not carrying its words"
        );
        assert_eq!(
            carried_category_words("Cimetières", &["Gescime", "Gestion des cimetières."]),
            vec!["cimetieres"]
        );
    }
}
