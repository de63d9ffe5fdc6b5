//! A search request, its validation, and its results.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::error::DomainError;

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Sort {
    #[default]
    Relevance,
    Population,
    Name,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct SearchQuery {
    pub q: String,
    pub kind: Option<String>,
    pub region: Option<String>,
    pub departement: Option<String>,
    pub population_band: Option<String>,
    pub category: Option<String>,
    pub status: Option<String>,
    pub member: Option<bool>,
    /// Villes Internet label level (1 to 5), exactly.
    pub label: Option<i16>,
    pub sort: Sort,
    pub page: u64,
    pub per_page: u64,
}

pub const MAX_PER_PAGE: u64 = 100;
pub const DEFAULT_PER_PAGE: u64 = 20;

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

impl SearchQuery {
    /// Builds a query from URL parameters; unknown parameters are ignored, bad values get
    /// a French message naming the parameter.
    pub fn from_params(params: &BTreeMap<String, String>) -> Result<Self, DomainError> {
        let get = |k: &str| params.get(k).map(|v| v.trim()).filter(|v| !v.is_empty());
        let q = get("q").unwrap_or_default().to_string();
        if q.chars().count() > 200 {
            return Err(invalid(
                "La recherche est trop longue (200 caractères au plus).".into(),
            ));
        }
        let kind = match get("kind") {
            None => None,
            Some(k @ ("commune" | "epci" | "departement" | "region")) => Some(k.to_string()),
            Some(_) => {
                return Err(invalid(
                    "Le paramètre « kind » accepte commune, epci, departement ou region.".into(),
                ));
            }
        };
        let region = get("region").map(|v| code(v, "region")).transpose()?;
        let departement = get("departement")
            .map(|v| code(v, "departement"))
            .transpose()?;
        let population_band = match get("population") {
            None => None,
            Some(b) if super::document::POPULATION_BANDS.contains(&b) => Some(b.to_string()),
            Some(_) => {
                return Err(invalid(format!(
                    "Le paramètre « population » accepte : {}.",
                    super::document::POPULATION_BANDS.join(", ")
                )));
            }
        };
        let category = match get("category") {
            None => None,
            Some(c)
                if c.len() <= 64
                    && c.chars()
                        .all(|ch| ch.is_ascii_lowercase() || ch.is_ascii_digit() || ch == '-') =>
            {
                Some(c.to_string())
            }
            Some(_) => {
                return Err(invalid(
                    "Le paramètre « category » doit être l'identifiant d'une catégorie (ex. sig)."
                        .into(),
                ));
            }
        };
        let status = match get("status") {
            None => None,
            Some(s) if crate::entities::usage::UsageStatus::parse(s).is_some() => {
                Some(s.to_string())
            }
            Some(_) => {
                return Err(invalid(
                    "Le paramètre « status » accepte in_use, evaluating, planned ou abandoned."
                        .into(),
                ));
            }
        };
        let member = match get("member") {
            None => None,
            Some("true" | "1" | "oui") => Some(true),
            Some("false" | "0" | "non") => Some(false),
            Some(_) => {
                return Err(invalid(
                    "Le paramètre « member » accepte true ou false.".into(),
                ));
            }
        };
        let label = match get("label") {
            None => None,
            Some(l) => match l.parse::<i16>() {
                Ok(n) if (1..=5).contains(&n) => Some(n),
                _ => {
                    return Err(invalid(
                        "Le paramètre « label » accepte un niveau de 1 à 5.".into(),
                    ));
                }
            },
        };
        let sort = match get("sort") {
            None | Some("relevance" | "pertinence") => Sort::Relevance,
            Some("population") => Sort::Population,
            Some("name" | "nom") => Sort::Name,
            Some(_) => {
                return Err(invalid(
                    "Le paramètre « sort » accepte relevance, population ou name.".into(),
                ));
            }
        };
        let number = |k: &str, default: u64, max: u64| -> Result<u64, DomainError> {
            match get(k) {
                None => Ok(default),
                Some(v) => v
                    .parse::<u64>()
                    .ok()
                    .filter(|n| (1..=max).contains(n))
                    .ok_or_else(|| {
                        invalid(format!(
                            "Le paramètre « {k} » doit être un nombre entre 1 et {max}."
                        ))
                    }),
            }
        };
        Ok(Self {
            q,
            kind,
            region,
            departement,
            population_band,
            category,
            status,
            member,
            label,
            sort,
            page: number("page", 1, 1000)?,
            per_page: number("per_page", DEFAULT_PER_PAGE, MAX_PER_PAGE)?,
        })
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

    fn params(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn parses_and_validates() {
        let q = SearchQuery::from_params(&params(&[
            ("q", "glpi"),
            ("region", "93"),
            ("departement", "2a"),
            ("sort", "population"),
            ("page", "2"),
            ("per_page", "50"),
            ("member", "true"),
        ]))
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
        ] {
            let err = SearchQuery::from_params(&params(&[bad])).expect_err("invalid");
            assert!(err.to_string().contains(bad.0), "{bad:?}: {err}");
        }
        let defaults = SearchQuery::from_params(&BTreeMap::new()).expect("empty is valid");
        assert_eq!((defaults.page, defaults.per_page), (1, 20));
    }
}
