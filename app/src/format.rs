//! French labels and number formatting for the UI.

use model::authority::AuthorityKind;

use crate::dto::AuthorityLink;

/// Full name of an EPCI legal form, as the referential abbreviates it.
pub fn epci_type_label(code: &str) -> &str {
    match code {
        "CC" => "Communauté de communes",
        "CA" => "Communauté d'agglomération",
        "CU" => "Communauté urbaine",
        "METRO" => "Métropole",
        "MET69" => "Métropole de Lyon",
        other => other,
    }
}

/// The most precise kind label: an EPCI says which kind of EPCI it is.
pub fn link_kind_label(link: &AuthorityLink) -> String {
    match (&link.kind, &link.epci_type) {
        (AuthorityKind::Epci, Some(t)) => epci_type_label(t).to_string(),
        (kind, _) => kind.label().to_string(),
    }
}

/// 44292 -> "44 292" with a narrow no-break space, as French typography wants.
pub fn thousands(n: i64) -> String {
    let digits = n.unsigned_abs().to_string();
    let mut out = String::new();
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push('\u{202f}');
        }
        out.push(ch);
    }
    if n < 0 { format!("-{out}") } else { out }
}

pub fn population_label(population: Option<i64>) -> String {
    match population {
        Some(1) => "1 habitant".to_string(),
        Some(p) => format!("{} habitants", thousands(p)),
        None => "Population non renseignée".to_string(),
    }
}

/// French label of a usage status named by its code (a facet value from the engine).
pub fn status_label(code: &str) -> &'static str {
    model::usage::UsageStatus::parse(code).map_or("Statut inconnu", |s| s.label())
}

/// Percent-encodes a query-string value (spaces as `+`).
pub fn url_encode(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for byte in value.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(byte as char)
            }
            b' ' => out.push('+'),
            other => out.push_str(&format!("%{other:02X}")),
        }
    }
    out
}

/// Builds `path?k=v&...`, skipping empty values.
pub fn with_query(path: &str, pairs: &[(&str, &str)]) -> String {
    let query: Vec<String> = pairs
        .iter()
        .filter(|(_, v)| !v.is_empty())
        .map(|(k, v)| format!("{k}={}", url_encode(v)))
        .collect();
    if query.is_empty() {
        path.to_string()
    } else {
        format!("{path}?{}", query.join("&"))
    }
}

/// "Résultat" / "résultats" agreement.
pub fn plural(n: u64, singular: &str, plural: &str) -> String {
    format!(
        "{} {}",
        thousands(n as i64),
        if n > 1 { plural } else { singular }
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn groups_thousands_with_narrow_spaces() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(44292), "44\u{202f}292");
        assert_eq!(thousands(1234567), "1\u{202f}234\u{202f}567");
    }

    #[test]
    fn population_handles_missing_and_singular() {
        assert_eq!(population_label(None), "Population non renseignée");
        assert_eq!(population_label(Some(1)), "1 habitant");
        assert_eq!(population_label(Some(860)), "860 habitants");
    }

    #[test]
    fn builds_query_strings() {
        assert_eq!(url_encode("Saint Étienne"), "Saint+%C3%89tienne");
        assert_eq!(
            with_query("/connexion", &[("erreur", "a&b"), ("email", "")]),
            "/connexion?erreur=a%26b"
        );
        assert_eq!(with_query("/", &[]), "/");
    }

    #[test]
    fn labels_epci_forms() {
        assert_eq!(epci_type_label("METRO"), "Métropole");
        assert_eq!(epci_type_label("XYZ"), "XYZ");
    }
}
