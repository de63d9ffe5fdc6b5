//! Text helpers shared by imports and lookups: accent folding and slugs.

/// The words of a query or a text, folded (what both search engines match on).
pub fn words(text: &str) -> Vec<String> {
    fold(text).split_whitespace().map(str::to_string).collect()
}

/// Lower-cases and strips French diacritics, keeping letters, digits and single spaces.
/// "L'Abergement-Clémenciat" -> "l abergement clemenciat".
pub fn fold(input: &str) -> String {
    let mut out = String::with_capacity(input.len());
    let mut pending_space = false;
    for ch in input.chars().flat_map(char::to_lowercase) {
        let mut buf = [0u8; 4];
        let base: &str = match ch {
            'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' => "a",
            'æ' => "ae",
            'ç' => "c",
            'è' | 'é' | 'ê' | 'ë' => "e",
            'ì' | 'í' | 'î' | 'ï' => "i",
            'ñ' => "n",
            'ò' | 'ó' | 'ô' | 'õ' | 'ö' => "o",
            'œ' => "oe",
            'ù' | 'ú' | 'û' | 'ü' => "u",
            'ý' | 'ÿ' => "y",
            c if c.is_alphanumeric() => c.encode_utf8(&mut buf),
            _ => {
                pending_space = true;
                continue;
            }
        };
        if pending_space && !out.is_empty() {
            out.push(' ');
        }
        pending_space = false;
        out.push_str(base);
    }
    out
}

/// URL slug: folded text with dashes. "Saint-Étienne" -> "saint-etienne".
pub fn slugify(input: &str) -> String {
    fold(input).replace(' ', "-")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_accents_case_and_punctuation() {
        assert_eq!(fold("L'Abergement-Clémenciat"), "l abergement clemenciat");
        assert_eq!(fold("  Île-de-France "), "ile de france");
        assert_eq!(fold("Œuilly"), "oeuilly");
        assert_eq!(
            fold("Provence-Alpes-Côte d'Azur"),
            "provence alpes cote d azur"
        );
    }

    #[test]
    fn slugs_are_dashed() {
        assert_eq!(slugify("Saint-Étienne"), "saint-etienne");
        assert_eq!(
            slugify("Métropole d'Aix-Marseille-Provence"),
            "metropole-d-aix-marseille-provence"
        );
    }
}
