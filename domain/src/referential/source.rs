//! Reading the package's JSON files and turning them into one record per authority.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::error::{DomainError, DomainResult};
use crate::text::{fold, slugify};
use model::authority::AuthorityKind;

#[derive(Deserialize)]
struct RawCommune {
    code: String,
    nom: String,
    #[serde(rename = "type")]
    kind: String,
    departement: String,
    region: String,
    siren: Option<String>,
    #[serde(rename = "codesPostaux", default)]
    postcodes: Vec<String>,
    population: Option<i64>,
}

#[derive(Deserialize)]
struct RawEpciMember {
    code: String,
}

#[derive(Deserialize)]
struct RawEpci {
    code: String,
    nom: String,
    #[serde(rename = "type")]
    kind: String,
    #[serde(rename = "populationMunicipale")]
    population: Option<i64>,
    membres: Vec<RawEpciMember>,
}

#[derive(Deserialize)]
struct RawDepartement {
    code: String,
    nom: String,
    region: String,
}

#[derive(Deserialize)]
struct RawRegion {
    code: String,
    nom: String,
}

/// The desired state of one authority, as the referential describes it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AuthorityRecord {
    pub kind: AuthorityKind,
    pub siren: Option<String>,
    pub cog_code: Option<String>,
    pub epci_type: Option<String>,
    pub name: String,
    pub departement_code: Option<String>,
    pub region_code: Option<String>,
    pub population: Option<i64>,
    pub postcodes: Vec<String>,
    /// For communes: SIREN of the EPCI they belong to.
    pub epci_siren: Option<String>,
}

impl AuthorityRecord {
    /// The public identifier given at first import (see the module docs).
    pub fn public_id(&self) -> String {
        let code = match self.kind {
            AuthorityKind::Epci => self.siren.as_deref(),
            _ => self.cog_code.as_deref(),
        }
        .unwrap_or_default();
        format!("{}-{}", self.kind.id_prefix(), code)
    }

    pub fn slug(&self) -> String {
        slugify(&self.name)
    }

    pub fn search_name(&self) -> String {
        fold(&self.name)
    }
}

/// Every current authority of the referential, in import order (régions first, so that
/// later lookups by code always find their parents).
pub struct Referential {
    pub records: Vec<AuthorityRecord>,
}

fn read_json<T: serde::de::DeserializeOwned>(dir: &Path, file: &str) -> DomainResult<T> {
    let path = dir.join(file);
    let bytes = std::fs::read(&path)
        .map_err(|e| DomainError::Referential(format!("cannot read {}: {e}", path.display())))?;
    serde_json::from_slice(&bytes)
        .map_err(|e| DomainError::Referential(format!("invalid JSON in {}: {e}", path.display())))
}

/// Most frequent value, ties broken by the smallest value so the result is stable.
fn most_common<'a>(values: impl Iterator<Item = &'a str>) -> Option<String> {
    let mut counts: HashMap<&str, usize> = HashMap::new();
    for v in values {
        *counts.entry(v).or_default() += 1;
    }
    counts
        .into_iter()
        .max_by(|a, b| a.1.cmp(&b.1).then(b.0.cmp(a.0)))
        .map(|(v, _)| v.to_string())
}

impl Referential {
    /// Accepts the package root (holding `data/`) or the `data/` folder itself.
    pub fn data_dir(dir: &Path) -> PathBuf {
        let nested = dir.join("data");
        if nested.join("communes.json").is_file() {
            nested
        } else {
            dir.to_path_buf()
        }
    }

    pub fn load(dir: &Path) -> DomainResult<Self> {
        let dir = Self::data_dir(dir);
        let regions: Vec<RawRegion> = read_json(&dir, "regions.json")?;
        let departements: Vec<RawDepartement> = read_json(&dir, "departements.json")?;
        let epcis: Vec<RawEpci> = read_json(&dir, "epci.json")?;
        let communes: Vec<RawCommune> = read_json(&dir, "communes.json")?;
        let communes: Vec<RawCommune> = communes
            .into_iter()
            .filter(|c| c.kind == "commune-actuelle")
            .collect();
        Self::build(regions, departements, epcis, communes)
    }

    fn build(
        regions: Vec<RawRegion>,
        departements: Vec<RawDepartement>,
        epcis: Vec<RawEpci>,
        communes: Vec<RawCommune>,
    ) -> DomainResult<Self> {
        let by_code: HashMap<&str, &RawCommune> =
            communes.iter().map(|c| (c.code.as_str(), c)).collect();
        let mut epci_of: HashMap<&str, &str> = HashMap::new();
        for epci in &epcis {
            for member in &epci.membres {
                epci_of.insert(member.code.as_str(), epci.code.as_str());
            }
        }
        let sum_population = |pred: &dyn Fn(&RawCommune) -> bool| -> Option<i64> {
            let total: i64 = communes
                .iter()
                .filter(|c| pred(c))
                .filter_map(|c| c.population)
                .sum();
            (total > 0).then_some(total)
        };

        let mut records =
            Vec::with_capacity(regions.len() + departements.len() + epcis.len() + communes.len());
        for r in &regions {
            records.push(AuthorityRecord {
                kind: AuthorityKind::Region,
                siren: None,
                cog_code: Some(r.code.clone()),
                epci_type: None,
                name: r.nom.clone(),
                departement_code: None,
                region_code: Some(r.code.clone()),
                population: sum_population(&|c| c.region == r.code),
                postcodes: Vec::new(),
                epci_siren: None,
            });
        }
        for d in &departements {
            records.push(AuthorityRecord {
                kind: AuthorityKind::Departement,
                siren: None,
                cog_code: Some(d.code.clone()),
                epci_type: None,
                name: d.nom.clone(),
                departement_code: Some(d.code.clone()),
                region_code: Some(d.region.clone()),
                population: sum_population(&|c| c.departement == d.code),
                postcodes: Vec::new(),
                epci_siren: None,
            });
        }
        for e in &epcis {
            let members: Vec<&RawCommune> = e
                .membres
                .iter()
                .filter_map(|m| by_code.get(m.code.as_str()).copied())
                .collect();
            if members.len() != e.membres.len() {
                return Err(DomainError::Referential(format!(
                    "EPCI {} lists a member commune that is not a current commune",
                    e.code
                )));
            }
            records.push(AuthorityRecord {
                kind: AuthorityKind::Epci,
                siren: Some(e.code.clone()),
                cog_code: None,
                epci_type: Some(e.kind.clone()),
                name: e.nom.clone(),
                departement_code: most_common(members.iter().map(|c| c.departement.as_str())),
                region_code: most_common(members.iter().map(|c| c.region.as_str())),
                population: e.population,
                postcodes: Vec::new(),
                epci_siren: None,
            });
        }
        for c in &communes {
            records.push(AuthorityRecord {
                kind: AuthorityKind::Commune,
                siren: c.siren.clone(),
                cog_code: Some(c.code.clone()),
                epci_type: None,
                name: c.nom.clone(),
                departement_code: Some(c.departement.clone()),
                region_code: Some(c.region.clone()),
                population: c.population,
                postcodes: c.postcodes.clone(),
                epci_siren: epci_of.get(c.code.as_str()).map(|s| s.to_string()),
            });
        }
        Ok(Self { records })
    }

    pub fn count(&self, kind: AuthorityKind) -> usize {
        self.records.iter().filter(|r| r.kind == kind).count()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn most_common_is_stable_on_ties() {
        assert_eq!(
            most_common(["13", "84", "13"].into_iter()),
            Some("13".into())
        );
        assert_eq!(most_common(["84", "13"].into_iter()), Some("13".into()));
        assert_eq!(most_common(std::iter::empty()), None);
    }

    #[test]
    fn public_ids_follow_the_scheme() {
        let mut r = AuthorityRecord {
            kind: AuthorityKind::Commune,
            siren: Some("211300470".into()),
            cog_code: Some("13047".into()),
            epci_type: None,
            name: "Istres".into(),
            departement_code: Some("13".into()),
            region_code: Some("93".into()),
            population: Some(44292),
            postcodes: vec!["13118".into(), "13800".into()],
            epci_siren: None,
        };
        assert_eq!(r.public_id(), "com-13047");
        r.kind = AuthorityKind::Epci;
        assert_eq!(r.public_id(), "epci-211300470");
        r.kind = AuthorityKind::Departement;
        r.cog_code = Some("2A".into());
        assert_eq!(r.public_id(), "dep-2A");
    }
}
