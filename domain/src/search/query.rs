//! A search request, its validation, and its results.

use std::collections::BTreeMap;

use model::search::{DEFAULT_PER_PAGE, MAX_PAGE, MAX_PER_PAGE, SearchParams, Sort, number_message};
use serde::{Deserialize, Serialize};

use crate::error::DomainError;

/// What the engines run: parameters checked, codes normalised, defaults applied.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct SearchQuery {
    pub q: String,
    /// An `AuthorityKind` word.
    pub kind: Option<String>,
    pub region: Option<String>,
    pub departement: Option<String>,
    pub population_band: Option<String>,
    pub category: Option<String>,
    /// A `UsageStatus` word.
    pub status: Option<String>,
    pub member: Option<bool>,
    /// Villes Internet label level (1 to 5), exactly.
    pub label: Option<i16>,
    pub sort: Sort,
    pub page: u64,
    pub per_page: u64,
}

fn invalid(msg: String) -> DomainError {
    DomainError::Invalid(msg)
}

fn code(value: &str, name: &str) -> Result<String, DomainError> {
    let v = value.trim().to_uppercase();
    if (2..=3).contains(&v.len())
        && v.chars()
            .all(|c| c.is_ascii_digit() || c == 'A' || c == 'B')
    {
        Ok(v)
    } else {
        Err(invalid(format!(
            "Le paramètre « {name} » doit être un code INSEE (ex. 13, 2A, 974)."
        )))
    }
}

fn number(value: Option<u64>, name: &str, default: u64, max: u64) -> Result<u64, DomainError> {
    match value {
        None => Ok(default),
        Some(n) if (1..=max).contains(&n) => Ok(n),
        Some(_) => Err(invalid(number_message(name, max))),
    }
}

/// The rules that typed parameters cannot hold by themselves (lengths, ranges, code
/// shapes), each refusal naming its parameter in French.
impl TryFrom<&SearchParams> for SearchQuery {
    type Error = DomainError;

    fn try_from(params: &SearchParams) -> Result<Self, DomainError> {
        let q = params.q.trim().to_string();
        if q.chars().count() > 200 {
            return Err(invalid(
                "La recherche est trop longue (200 caractères au plus).".into(),
            ));
        }
        let present = |v: &Option<String>| -> Option<String> {
            v.as_deref()
                .map(str::trim)
                .filter(|v| !v.is_empty())
                .map(str::to_string)
        };
        let region = present(&params.region)
            .map(|v| code(&v, "region"))
            .transpose()?;
        let departement = present(&params.departement)
            .map(|v| code(&v, "departement"))
            .transpose()?;
        let population_band = match present(&params.population) {
            None => None,
            Some(b) if model::population::is_band(&b) => Some(b),
            Some(_) => {
                return Err(invalid(format!(
                    "Le paramètre « population » accepte : {}.",
                    model::population::words()
                )));
            }
        };
        let category = match present(&params.category) {
            None => None,
            Some(c)
                if c.len() <= 64
                    && c.chars()
                        .all(|ch| ch.is_ascii_lowercase() || ch.is_ascii_digit() || ch == '-') =>
            {
                Some(c)
            }
            Some(_) => {
                return Err(invalid(
                    "Le paramètre « category » doit être l'identifiant d'une catégorie (ex. sig)."
                        .into(),
                ));
            }
        };
        let label = match params.label {
            None => None,
            Some(n) if (1..=5).contains(&n) => Some(n),
            Some(_) => {
                return Err(invalid(
                    "Le paramètre « label » accepte un niveau de 1 à 5.".into(),
                ));
            }
        };
        Ok(Self {
            q,
            kind: params.kind.map(|k| k.as_str().to_string()),
            region,
            departement,
            population_band,
            category,
            status: params.status.map(|s| s.as_str().to_string()),
            member: params.member,
            label,
            sort: params.sort.unwrap_or_default(),
            page: number(params.page, "page", 1, MAX_PAGE)?,
            per_page: number(params.per_page, "per_page", DEFAULT_PER_PAGE, MAX_PER_PAGE)?,
        })
    }
}

impl SearchQuery {
    /// Reads and checks (name, value) pairs: an address's query, a benchmark's workload.
    pub fn from_pairs<'a>(
        pairs: impl IntoIterator<Item = (&'a str, &'a str)>,
    ) -> Result<Self, DomainError> {
        let params = SearchParams::parse(pairs).map_err(|e| invalid(e.message))?;
        Self::try_from(&params)
    }

    pub fn offset(&self) -> usize {
        ((self.page.max(1) - 1) * self.per_page) as usize
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct MatchedTool {
    pub slug: String,
    pub name: String,
    pub status: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Hit {
    pub id: String,
    pub name: String,
    pub kind: String,
    pub departement: Option<String>,
    pub departement_name: Option<String>,
    pub region: Option<String>,
    pub region_name: Option<String>,
    pub population: Option<i64>,
    pub is_member: bool,
    pub label_level: Option<i16>,
    pub matched_tools: Vec<MatchedTool>,
    pub contactable_members: u32,
}

/// Facet value -> count, for each facet.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Facets {
    pub kind: BTreeMap<String, u64>,
    pub region: BTreeMap<String, u64>,
    pub departement: BTreeMap<String, u64>,
    pub population: BTreeMap<String, u64>,
    pub member: BTreeMap<String, u64>,
    pub label: BTreeMap<String, u64>,
    pub category: BTreeMap<String, u64>,
    pub status: BTreeMap<String, u64>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct SearchResults {
    pub total: u64,
    pub page: u64,
    pub per_page: u64,
    pub hits: Vec<Hit>,
    pub facets: Facets,
    pub processing_time_ms: f64,
    pub engine: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_validates() {
        let q = SearchQuery::from_pairs([
            ("q", "glpi"),
            ("region", "93"),
            ("departement", "2a"),
            ("sort", "population"),
            ("page", "2"),
            ("per_page", "50"),
            ("member", "true"),
        ])
        .expect("valid");
        assert_eq!(q.departement.as_deref(), Some("2A"));
        assert_eq!(q.sort, Sort::Population);
        assert_eq!(q.offset(), 50);
        assert_eq!(q.member, Some(true));
        for bad in [
            ("kind", "canton"),
            ("region", "PACA"),
            ("sort", "random"),
            ("page", "0"),
            ("per_page", "1000"),
            ("status", "installed"),
            ("member", "peut-etre"),
            ("category", "SIG!"),
            ("population", "big"),
            ("label", "9"),
        ] {
            let err = SearchQuery::from_pairs([bad]).expect_err("invalid");
            assert!(err.to_string().contains(bad.0), "{bad:?}: {err}");
        }
        let long = "a".repeat(201);
        let err = SearchQuery::from_pairs([("q", long.as_str())]).expect_err("too long");
        assert!(err.to_string().contains("trop longue"), "{err}");
        let defaults = SearchQuery::from_pairs([]).expect("empty is valid");
        assert_eq!((defaults.page, defaults.per_page), (1, 20));
    }
}
