//! The parameters of a search (`/recherche`, `/api/v1/search`, `/api/v1/collectivites`),
//! typed once: the page reads them from its address, the server function and the REST
//! handlers deserialize them (through the same `set`), and the domain turns them into its
//! query (`TryFrom`), where the rules that span values (lengths, ranges, code shapes) are
//! checked. A bad value gets a French message naming its parameter.

use std::fmt;

use serde::de::{self, MapAccess, Visitor};
use serde::ser::SerializeMap;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::authority::AuthorityKind;
use crate::usage::UsageStatus;

/// The order of the results.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Sort {
    #[default]
    Relevance,
    Population,
    Name,
}

impl Sort {
    /// The word in addresses.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Relevance => "relevance",
            Self::Population => "population",
            Self::Name => "name",
        }
    }

    /// The order a word names, in English or French.
    pub fn parse(word: &str) -> Option<Self> {
        match word {
            "relevance" | "pertinence" => Some(Self::Relevance),
            "population" => Some(Self::Population),
            "name" | "nom" => Some(Self::Name),
            _ => None,
        }
    }
}

/// The last page one may ask for.
pub const MAX_PAGE: u64 = 1000;
/// Results per page: at most, and when not said.
pub const MAX_PER_PAGE: u64 = 100;
pub const DEFAULT_PER_PAGE: u64 = 20;

/// The refusal of a page number outside 1..=`max` (or not a number), in French.
pub fn number_message(param: &str, max: u64) -> String {
    format!("Le paramètre « {param} » doit être un nombre entre 1 et {max}.")
}

/// A parameter whose value is not one it accepts; its message is the one a person reads.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParamError {
    pub param: &'static str,
    pub message: String,
}

impl fmt::Display for ParamError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for ParamError {}

/// The search parameters, all optional (unknown ones are ignored).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
pub struct SearchParams {
    /// Words: a tool's name (typos forgiven), an authority's name, a postcode, a COG code.
    #[cfg_attr(feature = "openapi", param(value_type = Option<String>))]
    pub q: String,
    /// `commune`, `epci`, `departement` or `region`.
    #[cfg_attr(feature = "openapi", param(value_type = Option<String>))]
    pub kind: Option<AuthorityKind>,
    /// COG code of a région (ex. 93).
    pub region: Option<String>,
    /// COG code of a département (ex. 13, 2A, 974).
    pub departement: Option<String>,
    /// Population band (see the `population` facet for the values).
    pub population: Option<String>,
    /// Category identifier (ex. `sig`): authorities running a matching tool of it.
    pub category: Option<String>,
    /// `in_use`, `evaluating`, `planned` or `abandoned`, for the matching tools.
    #[cfg_attr(feature = "openapi", param(value_type = Option<String>))]
    pub status: Option<UsageStatus>,
    /// `true`: member authorities only; `false`: the others.
    pub member: Option<bool>,
    /// Villes Internet label level, 1 to 5.
    pub label: Option<i16>,
    /// `relevance` (default), `population` or `name`.
    #[cfg_attr(feature = "openapi", param(value_type = Option<String>))]
    pub sort: Option<Sort>,
    /// Page number, from 1 (at most 1000).
    pub page: Option<u64>,
    /// Results per page, 1 to 100 (default 20).
    pub per_page: Option<u64>,
}

/// Every parameter's name, in the order addresses write them.
pub const NAMES: [&str; 12] = [
    "q",
    "kind",
    "region",
    "departement",
    "population",
    "category",
    "status",
    "member",
    "label",
    "sort",
    "page",
    "per_page",
];

fn refuse(param: &'static str, message: &str) -> ParamError {
    ParamError {
        param,
        message: message.to_string(),
    }
}

fn text(value: &str) -> Option<String> {
    (!value.is_empty()).then(|| value.to_string())
}

fn word<T>(
    value: &str,
    parse: impl Fn(&str) -> Option<T>,
    param: &'static str,
    message: &str,
) -> Result<Option<T>, ParamError> {
    if value.is_empty() {
        return Ok(None);
    }
    parse(value).map(Some).ok_or_else(|| refuse(param, message))
}

impl SearchParams {
    /// Reads parameters from (name, value) pairs: an address's query, a form.
    pub fn parse<'a>(
        pairs: impl IntoIterator<Item = (&'a str, &'a str)>,
    ) -> Result<Self, ParamError> {
        let mut params = Self::default();
        for (name, value) in pairs {
            params.set(name, value)?;
        }
        Ok(params)
    }

    /// Sets one parameter by its name from text (an empty value clears it; unknown names
    /// change nothing). A value it cannot read changes nothing either.
    pub fn set(&mut self, name: &str, value: &str) -> Result<(), ParamError> {
        let value = value.trim();
        match name {
            "q" => self.q = value.to_string(),
            "kind" => {
                self.kind = word(
                    value,
                    AuthorityKind::parse,
                    "kind",
                    "Le paramètre « kind » accepte commune, epci, departement ou region.",
                )?
            }
            "region" => self.region = text(value),
            "departement" => self.departement = text(value),
            "population" => self.population = text(value),
            "category" => self.category = text(value),
            "status" => {
                self.status = word(
                    value,
                    UsageStatus::parse,
                    "status",
                    "Le paramètre « status » accepte in_use, evaluating, planned ou abandoned.",
                )?
            }
            "member" => {
                self.member = word(
                    value,
                    |v| match v {
                        "true" | "1" | "oui" => Some(true),
                        "false" | "0" | "non" => Some(false),
                        _ => None,
                    },
                    "member",
                    "Le paramètre « member » accepte true ou false.",
                )?
            }
            "label" => {
                self.label = word(
                    value,
                    |v| v.parse().ok(),
                    "label",
                    "Le paramètre « label » accepte un niveau de 1 à 5.",
                )?
            }
            "sort" => {
                self.sort = word(
                    value,
                    Sort::parse,
                    "sort",
                    "Le paramètre « sort » accepte relevance, population ou name.",
                )?
            }
            "page" => {
                self.page = word(
                    value,
                    |v| v.parse().ok(),
                    "page",
                    &number_message("page", MAX_PAGE),
                )?
            }
            "per_page" => {
                self.per_page = word(
                    value,
                    |v| v.parse().ok(),
                    "per_page",
                    &number_message("per_page", MAX_PER_PAGE),
                )?
            }
            _ => {}
        }
        Ok(())
    }

    /// Every parameter as (name, text), empty when unset: what an address or a form holds.
    pub fn pairs(&self) -> Vec<(&'static str, String)> {
        let opt = |v: &Option<String>| v.clone().unwrap_or_default();
        let num = |v: Option<u64>| v.map(|n| n.to_string()).unwrap_or_default();
        vec![
            ("q", self.q.clone()),
            (
                "kind",
                self.kind.map(|k| k.as_str()).unwrap_or_default().into(),
            ),
            ("region", opt(&self.region)),
            ("departement", opt(&self.departement)),
            ("population", opt(&self.population)),
            ("category", opt(&self.category)),
            (
                "status",
                self.status.map(|s| s.as_str()).unwrap_or_default().into(),
            ),
            (
                "member",
                self.member.map(|m| m.to_string()).unwrap_or_default(),
            ),
            (
                "label",
                self.label.map(|l| l.to_string()).unwrap_or_default(),
            ),
            (
                "sort",
                self.sort.map(|s| s.as_str()).unwrap_or_default().into(),
            ),
            ("page", num(self.page)),
            ("per_page", num(self.per_page)),
        ]
    }

    /// One parameter's text (empty when unset or unknown).
    pub fn get(&self, name: &str) -> String {
        self.pairs()
            .into_iter()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| v)
            .unwrap_or_default()
    }
}

/// As a flat map of texts, every name present (empty when unset): what an address and a
/// form encoding carry, read back by `Deserialize` through `set`.
impl Serialize for SearchParams {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let pairs = self.pairs();
        let mut map = serializer.serialize_map(Some(pairs.len()))?;
        for (name, value) in &pairs {
            map.serialize_entry(name, value)?;
        }
        map.end()
    }
}

impl<'de> Deserialize<'de> for SearchParams {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Params;

        impl<'de> Visitor<'de> for Params {
            type Value = SearchParams;

            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("search parameters")
            }

            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<SearchParams, A::Error> {
                let mut params = SearchParams::default();
                while let Some((name, value)) = map.next_entry::<String, String>()? {
                    params.set(&name, &value).map_err(de::Error::custom)?;
                }
                Ok(params)
            }
        }

        deserializer.deserialize_map(Params)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_typed_values_and_names_the_bad_parameter() {
        let p = SearchParams::parse([
            ("q", " glpi "),
            ("kind", "commune"),
            ("status", "in_use"),
            ("member", "oui"),
            ("sort", "nom"),
            ("page", "2"),
            ("region", ""),
            ("inconnu", "x"),
        ])
        .expect("valid");
        assert_eq!(p.q, "glpi");
        assert_eq!(p.kind, Some(AuthorityKind::Commune));
        assert_eq!(p.status, Some(UsageStatus::InUse));
        assert_eq!(p.member, Some(true));
        assert_eq!(p.sort, Some(Sort::Name));
        assert_eq!(p.page, Some(2));
        assert_eq!(p.region, None);
        for bad in [
            ("kind", "canton"),
            ("status", "installed"),
            ("member", "peut-etre"),
            ("label", "or"),
            ("sort", "hasard"),
            ("page", "abc"),
            ("per_page", "-1"),
        ] {
            let err = SearchParams::parse([bad]).expect_err("invalid");
            assert_eq!(err.param, bad.0);
            assert!(err.message.contains(bad.0), "{bad:?}: {err}");
        }
    }

    #[test]
    fn what_it_writes_it_reads_back() {
        let p = SearchParams::parse([("q", "libre ofice"), ("kind", "epci"), ("label", "3")])
            .expect("valid");
        let pairs = p.pairs();
        assert_eq!(pairs.len(), NAMES.len());
        assert!(pairs.iter().map(|(n, _)| *n).eq(NAMES));
        let back = SearchParams::parse(pairs.iter().map(|(n, v)| (*n, v.as_str())));
        assert_eq!(back, Ok(p.clone()));
        assert_eq!(p.get("kind"), "epci");
        assert_eq!(p.get("sort"), "");
    }

    #[test]
    fn serde_goes_through_the_same_reading() {
        let p = SearchParams::parse([("q", "glpi"), ("status", "planned")]).expect("valid");
        let json = serde_json::to_string(&p).expect("serialize");
        assert_eq!(serde_json::from_str::<SearchParams>(&json).ok(), Some(p));
        let err =
            serde_json::from_str::<SearchParams>(r#"{"kind":"canton"}"#).expect_err("refused");
        assert!(err.to_string().contains("« kind »"), "{err}");
    }
}
