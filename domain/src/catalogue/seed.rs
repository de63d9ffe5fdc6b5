//! The curated catalogue shipped with Pairs (`domain/seed/catalogue.json`), loaded
//! idempotently: missing entries are added, changed seeded fields are updated, nothing
//! else is touched (proposed and merged entries, usages).

use std::collections::HashMap;

use chrono::Utc;
use sea_orm::{ActiveModelTrait, ActiveValue::Set, DatabaseConnection, EntityTrait, NotSet};
use serde::Deserialize;

use crate::entities::{category, software};
use crate::error::DomainResult;

const CATALOGUE: &str = include_str!("../../seed/catalogue.json");

#[derive(Deserialize)]
struct SeedCategory {
    slug: String,
    name: String,
}

#[derive(Deserialize)]
pub struct SeedSoftware {
    pub slug: String,
    pub name: String,
    pub category: String,
    pub free: bool,
    pub licence: Option<String>,
    pub website: Option<String>,
    pub aliases: Vec<String>,
    pub similar: Vec<String>,
    pub description: String,
    pub wikidata: Option<String>,
    /// The entry's id in the State's SILL list, when it is the same software.
    #[serde(default)]
    pub sill: Option<String>,
    /// The entry's id on Comptoir du Libre, when it is the same software.
    #[serde(default)]
    pub comptoir: Option<String>,
}

#[derive(Deserialize)]
struct Seed {
    categories: Vec<SeedCategory>,
    software: Vec<SeedSoftware>,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct SeedSummary {
    pub inserted: usize,
    pub updated: usize,
    pub unchanged: usize,
}

fn seed() -> DomainResult<Seed> {
    Ok(serde_json::from_str(CATALOGUE)?)
}

/// How many software entries the shipped catalogue holds.
pub fn seed_size() -> usize {
    seed().map(|s| s.software.len()).unwrap_or(0)
}

pub async fn load_catalogue(db: &DatabaseConnection) -> DomainResult<SeedSummary> {
    let seed = seed()?;
    let txn = crate::db::begin_write(db).await?;
    let mut categories: HashMap<String, category::Model> = category::Entity::find()
        .all(&txn)
        .await?
        .into_iter()
        .map(|c| (c.slug.clone(), c))
        .collect();
    for (position, c) in seed.categories.iter().enumerate() {
        match categories.get(&c.slug) {
            Some(existing) if existing.name == c.name && existing.position == position as i32 => {}
            Some(existing) => {
                let mut active: category::ActiveModel = existing.clone().into();
                active.name = Set(c.name.clone());
                active.position = Set(position as i32);
                let updated = active.update(&txn).await?;
                categories.insert(c.slug.clone(), updated);
            }
            None => {
                let created = category::ActiveModel {
                    id: NotSet,
                    slug: Set(c.slug.clone()),
                    name: Set(c.name.clone()),
                    position: Set(position as i32),
                }
                .insert(&txn)
                .await?;
                categories.insert(c.slug.clone(), created);
            }
        }
    }
    let existing: HashMap<String, software::Model> = software::Entity::find()
        .all(&txn)
        .await?
        .into_iter()
        .map(|s| (s.slug.clone(), s))
        .collect();
    let mut summary = SeedSummary::default();
    let now = Utc::now();
    for s in &seed.software {
        let category_id = categories.get(&s.category).map(|c| c.id);
        let aliases = s.aliases.join("\n");
        let similar = s.similar.join("\n");
        match existing.get(&s.slug) {
            Some(row) => {
                let mut wanted = row.clone();
                wanted.name = s.name.clone();
                wanted.category_id = category_id;
                wanted.is_free = s.free;
                wanted.licence = s.licence.clone();
                wanted.website = s.website.clone();
                wanted.description = s.description.clone();
                wanted.wikidata = s.wikidata.clone();
                wanted.sill_id = s.sill.clone();
                wanted.comptoir_id = s.comptoir.clone();
                // Aliases gained by merges are kept: the seed's are added to them.
                let mut all: Vec<&str> = row.aliases.lines().filter(|l| !l.is_empty()).collect();
                for a in &s.aliases {
                    if !all.contains(&a.as_str()) {
                        all.push(a);
                    }
                }
                wanted.aliases = all.join("\n");
                wanted.similar_names = similar;
                if wanted == *row {
                    summary.unchanged += 1;
                } else {
                    wanted.updated_at = now;
                    let active: software::ActiveModel = wanted.into();
                    active.reset_all().update(&txn).await?;
                    summary.updated += 1;
                }
            }
            None => {
                software::ActiveModel {
                    id: NotSet,
                    slug: Set(s.slug.clone()),
                    name: Set(s.name.clone()),
                    aliases: Set(aliases),
                    similar_names: Set(similar),
                    category_id: Set(category_id),
                    description: Set(s.description.clone()),
                    website: Set(s.website.clone()),
                    licence: Set(s.licence.clone()),
                    is_free: Set(s.free),
                    wikidata: Set(s.wikidata.clone()),
                    sill_id: Set(s.sill.clone()),
                    comptoir_id: Set(s.comptoir.clone()),
                    status: Set(model::software::SoftwareStatus::Approved),
                    merged_into_id: Set(None),
                    proposed_by: Set(None),
                    created_at: Set(now),
                    updated_at: Set(now),
                }
                .insert(&txn)
                .await?;
                summary.inserted += 1;
            }
        }
    }
    txn.commit().await?;
    Ok(summary)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The State's SILL list as published in 2021 (public data), kept beside the seed as
    /// the source of the identifiers carried over.
    const SILL_2021: &str = include_str!("../../seed/sources/sill-softwares-2021.json");

    #[derive(Deserialize)]
    struct SillEntry {
        #[serde(rename = "_id")]
        id: u32,
        #[serde(rename = "_name")]
        name: String,
        #[serde(rename = "wikidataId")]
        wikidata: Option<String>,
        #[serde(rename = "comptoirDuLibreOrgId")]
        comptoir: Option<u32>,
    }

    /// On the shipped catalogue, the domain words of a category are carried by the tools
    /// that are about them, and only by those: they rank first on both engines.
    #[test]
    fn domain_words_are_carried_by_the_tools_about_them() {
        let seed = seed().expect("valid JSON");
        let carrying = |word: &str| {
            let mut slugs: Vec<&str> = seed
                .software
                .iter()
                .filter(|s| {
                    let Some(c) = seed.categories.iter().find(|c| c.slug == s.category) else {
                        return false;
                    };
                    let own: Vec<&str> = [s.name.as_str(), s.description.as_str()]
                        .into_iter()
                        .chain(s.aliases.iter().chain(&s.similar).map(String::as_str))
                        .collect();
                    crate::search::matching::carried_category_words(&c.name, &own)
                        .iter()
                        .any(|w| w == word)
                })
                .map(|s| s.slug.as_str())
                .collect();
            slugs.sort();
            slugs
        };
        assert_eq!(carrying("elections"), vec!["melodie", "openelec"]);
        assert_eq!(carrying("cimetieres"), vec!["gescime", "opencimetiere"]);
        assert_eq!(carrying("courrier"), vec!["elise", "maarch-courrier"]);
    }

    /// Every SILL or Comptoir du Libre id in the seed is a fact of the SILL list: the entry
    /// with that id has the same name (or one of our aliases), the same Comptoir id and,
    /// when it gives one, the same Wikidata id.
    #[test]
    fn identifiers_carried_from_the_sill_match_it() {
        let seed = seed().expect("valid JSON");
        let sill: Vec<SillEntry> = serde_json::from_str(SILL_2021).expect("SILL JSON");
        let fold = |s: &str| {
            crate::text::fold(s)
                .chars()
                .filter(|c| c.is_alphanumeric())
                .collect::<String>()
        };
        let mut carried = 0;
        for s in &seed.software {
            let Some(id) = &s.sill else {
                assert!(
                    s.comptoir.is_none(),
                    "{}: a Comptoir id comes with its SILL entry",
                    s.slug
                );
                continue;
            };
            let entry = sill
                .iter()
                .find(|e| e.id.to_string() == *id)
                .unwrap_or_else(|| panic!("{}: no SILL entry {id}", s.slug));
            let names: Vec<String> = std::iter::once(&s.name)
                .chain(&s.aliases)
                .map(|n| fold(n))
                .collect();
            assert!(
                names.contains(&fold(&entry.name)),
                "{} is not {}",
                s.slug,
                entry.name
            );
            assert_eq!(
                s.comptoir,
                entry.comptoir.map(|c| c.to_string()),
                "{}",
                s.slug
            );
            if let Some(q) = &entry.wikidata {
                assert_eq!(
                    s.wikidata.as_deref(),
                    Some(q.to_uppercase().as_str()),
                    "{}",
                    s.slug
                );
            }
            carried += 1;
        }
        assert!(carried >= 50, "identifiers carried for {carried} entries");
        let openoffice = seed
            .software
            .iter()
            .find(|s| s.slug == "openoffice")
            .expect("Apache OpenOffice, still run in many town halls");
        assert!(openoffice.aliases.iter().any(|a| a == "OpenOffice"));
    }

    #[test]
    fn the_shipped_catalogue_is_consistent() {
        let seed = seed().expect("valid JSON");
        assert!(seed.software.len() >= 150, "at least 150 software");
        let categories: Vec<&str> = seed.categories.iter().map(|c| c.slug.as_str()).collect();
        let mut slugs = std::collections::HashSet::new();
        for s in &seed.software {
            assert!(
                categories.contains(&s.category.as_str()),
                "{} has a known category",
                s.slug
            );
            assert!(slugs.insert(s.slug.clone()), "{} is unique", s.slug);
            assert!(!s.description.is_empty(), "{} is described", s.slug);
            assert_eq!(
                crate::text::slugify(&s.slug),
                s.slug,
                "{} is a clean slug",
                s.slug
            );
        }
        let odoo = seed
            .software
            .iter()
            .find(|s| s.slug == "odoo")
            .expect("odoo");
        assert!(odoo.aliases.iter().any(|a| a == "OpenERP"));
        let teams_alternatives = seed
            .software
            .iter()
            .filter(|s| s.similar.iter().any(|n| n == "Microsoft Teams"))
            .map(|s| s.slug.as_str())
            .collect::<Vec<_>>();
        assert!(
            teams_alternatives.contains(&"mattermost")
                && teams_alternatives.contains(&"nextcloud-talk")
        );
    }
}
