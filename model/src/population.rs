//! Population bands: the search facet, the narrowing of a question to many referents and the
//! nearness of peers all cut populations the same way, with the same words and labels.

/// Every band as (stored word, French label), smallest first; the unknown band last.
pub const BANDS: [(&str, &str); 6] = [
    ("0-999", "Moins de 1 000 habitants"),
    ("1000-4999", "1 000 à 4 999 habitants"),
    ("5000-19999", "5 000 à 19 999 habitants"),
    ("20000-99999", "20 000 à 99 999 habitants"),
    ("100000+", "100 000 habitants et plus"),
    (UNKNOWN, "Population inconnue"),
];

/// The band of an authority whose population is not known.
pub const UNKNOWN: &str = "inconnue";

/// The band of a population.
pub fn band(population: Option<i64>) -> &'static str {
    match population {
        None => UNKNOWN,
        Some(p) if p < 1_000 => BANDS[0].0,
        Some(p) if p < 5_000 => BANDS[1].0,
        Some(p) if p < 20_000 => BANDS[2].0,
        Some(p) if p < 100_000 => BANDS[3].0,
        Some(_) => BANDS[4].0,
    }
}

/// Whether `word` names a band.
pub fn is_band(word: &str) -> bool {
    BANDS.iter().any(|(w, _)| *w == word)
}

/// The place of a band in `BANDS` (smallest first), `None` for an unknown word.
pub fn position(word: &str) -> Option<usize> {
    BANDS.iter().position(|(w, _)| *w == word)
}

/// The French label of a band (« Population inconnue » for a word that names none).
pub fn label(word: &str) -> &'static str {
    BANDS
        .iter()
        .find(|(w, _)| *w == word)
        .map_or(BANDS[5].1, |(_, l)| *l)
}

/// The band words, comma-separated, for an error message.
pub fn words() -> String {
    BANDS.iter().map(|(w, _)| *w).collect::<Vec<_>>().join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bands() {
        assert_eq!(band(None), "inconnue");
        assert_eq!(band(Some(999)), "0-999");
        assert_eq!(band(Some(1_000)), "1000-4999");
        assert_eq!(band(Some(44_292)), "20000-99999");
        assert_eq!(band(Some(870_000)), "100000+");
        assert!(is_band("100000+") && !is_band("100000"));
        assert_eq!(label("0-999"), "Moins de 1 000 habitants");
        assert_eq!(label("n'importe"), "Population inconnue");
        assert_eq!(position("inconnue"), Some(5));
    }
}
