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
                    sill_id: Set(None),
                    comptoir_id: Set(None),
                    status: Set(super::SoftwareStatus::Approved),
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
