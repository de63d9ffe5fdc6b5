//! Building documents from the database (the source of truth).

use std::collections::HashMap;

use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};

use super::matching::carried_category_words;
use super::{AuthorityDoc, ToolDoc};
use crate::catalogue::lines;
use crate::entities::{authority, category, software, usage, user};
use crate::error::DomainResult;
use model::authority::AuthorityKind;
use model::software::SoftwareStatus;

/// Documents for these authorities (all of them when `only` is `None`).
pub async fn documents(
    db: &impl ConnectionTrait,
    only: Option<&[i32]>,
) -> DomainResult<Vec<AuthorityDoc>> {
    let mut select = authority::Entity::find();
    if let Some(ids) = only {
        select = select.filter(authority::Column::Id.is_in(ids.to_vec()));
    }
    let authorities = select.all(db).await?;
    // Names of départements and régions by code.
    let parents = authority::Entity::find()
        .filter(authority::Column::Kind.is_in([AuthorityKind::Departement, AuthorityKind::Region]))
        .all(db)
        .await?;
    let name_of = |kind: AuthorityKind, code: &Option<String>| {
        code.as_ref().and_then(|c| {
            parents
                .iter()
                .find(|p| p.kind == kind && p.cog_code.as_ref() == Some(c))
                .map(|p| p.name.clone())
        })
    };
    let categories: HashMap<i32, category::Model> = category::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .map(|c| (c.id, c))
        .collect();
    let software: HashMap<i32, software::Model> = software::Entity::find()
        .filter(software::Column::Status.ne(SoftwareStatus::Merged))
        .all(db)
        .await?
        .into_iter()
        .map(|s| (s.id, s))
        .collect();
    // Once per catalogue entry, not once per declaration.
    let keywords: HashMap<i32, Vec<String>> = software
        .values()
        .filter_map(|s| {
            let category = categories.get(&s.category_id?)?;
            let (aliases, similar) = (lines(&s.aliases), lines(&s.similar_names));
            let own: Vec<&str> = [s.name.as_str(), s.description.as_str()]
                .into_iter()
                .chain(aliases.iter().chain(&similar).map(String::as_str))
                .collect();
            Some((s.id, carried_category_words(&category.name, &own)))
        })
        .collect();
    let mut usages_by_authority: HashMap<i32, Vec<usage::Model>> = HashMap::new();
    let mut usage_select = usage::Entity::find();
    if let Some(ids) = only {
        usage_select = usage_select.filter(usage::Column::AuthorityId.is_in(ids.to_vec()));
    }
    for u in usage_select.all(db).await? {
        usages_by_authority
            .entry(u.authority_id)
            .or_default()
            .push(u);
    }
    let mut contactable: HashMap<i32, u32> = HashMap::new();
    let members = user::Entity::find()
        .filter(user::Column::Status.eq(model::account::AccountStatus::Approved))
        .filter(user::Column::Visible.eq(true))
        .filter(user::Column::AcceptsContact.eq(true))
        .all(db)
        .await?;
    for m in members {
        if let Some(a) = m.authority_id {
            *contactable.entry(a).or_default() += 1;
        }
    }
    Ok(authorities
        .into_iter()
        .map(|a| {
            let tools = usages_by_authority
                .get(&a.id)
                .map(|list| {
                    list.iter()
                        .filter_map(|u| {
                            let s = software.get(&u.software_id)?;
                            let cat = s.category_id.and_then(|id| categories.get(&id));
                            Some(ToolDoc {
                                slug: s.slug.clone(),
                                name: s.name.clone(),
                                aliases: lines(&s.aliases),
                                similar: lines(&s.similar_names),
                                category: cat.map(|c| c.slug.clone()),
                                category_name: cat.map(|c| c.name.clone()),
                                keywords: keywords.get(&s.id).cloned().unwrap_or_default(),
                                status: u.status.as_str().to_string(),
                                replaced_by: u
                                    .replaced_by_id
                                    .and_then(|id| software.get(&id))
                                    .map(|r| (r.slug.clone(), r.name.clone())),
                                words: Vec::new(),
                            })
                        })
                        .collect()
                })
                .unwrap_or_default();
            let codes = a.cog_code.iter().chain(a.siren.iter()).cloned().collect();
            AuthorityDoc {
                codes,
                key: a.id as u64,
                departement_name: name_of(AuthorityKind::Departement, &a.departement_code),
                region_name: name_of(AuthorityKind::Region, &a.region_code),
                id: a.public_id,
                name: a.name,
                kind: a.kind.as_str().to_string(),
                departement: a.departement_code,
                region: a.region_code,
                population_band: model::population::band(a.population).to_string(),
                population: a.population,
                is_member: a.is_member,
                label_level: a.label_level,
                postcodes: a.postcodes.split_whitespace().map(str::to_string).collect(),
                tools,
                epci: a.epci_id.map(|id| id as u64),
                contactable_members: contactable.get(&a.id).copied().unwrap_or(0),
                identity_words: Vec::new(),
            }
        })
        .collect())
}

/// Synonyms for engines that want them: each alias or similar name maps to the name.
pub async fn synonyms(db: &impl ConnectionTrait) -> DomainResult<Vec<(String, Vec<String>)>> {
    let mut out = Vec::new();
    for s in software::Entity::find()
        .filter(software::Column::Status.ne(SoftwareStatus::Merged))
        .all(db)
        .await?
    {
        let name = crate::text::fold(&s.name);
        for alias in lines(&s.aliases) {
            let alias = crate::text::fold(&alias);
            if !alias.is_empty() && alias != name {
                out.push((alias, vec![name.clone()]));
            }
        }
    }
    Ok(out)
}

/// One suggestion document per catalogue entry (approved or proposed).
pub async fn software_documents(
    db: &impl ConnectionTrait,
) -> DomainResult<Vec<super::document::SoftwareDoc>> {
    let categories: HashMap<i32, category::Model> = category::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .map(|c| (c.id, c))
        .collect();
    let mut users: HashMap<i32, u64> = HashMap::new();
    for u in usage::Entity::find().all(db).await? {
        *users.entry(u.software_id).or_default() += 1;
    }
    Ok(software::Entity::find()
        .filter(software::Column::Status.ne(SoftwareStatus::Merged))
        .all(db)
        .await?
        .into_iter()
        .map(|s| super::document::SoftwareDoc {
            users: users.get(&s.id).copied().unwrap_or(0),
            category: s
                .category_id
                .and_then(|id| categories.get(&id).map(|c| c.slug.clone())),
            category_name: s
                .category_id
                .and_then(|id| categories.get(&id).map(|c| c.name.clone())),
            aliases: lines(&s.aliases),
            similar: lines(&s.similar_names),
            slug: s.slug,
            name: s.name,
        })
        .collect())
}
