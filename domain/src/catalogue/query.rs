//! Reading the catalogue: categories with their software, one software with the
//! authorities that run it.

use std::collections::HashMap;

use sea_orm::sea_query::{Expr, ExprTrait, NullOrdering, Order};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};

use super::lines;
use crate::authorities::AuthorityRef;
use crate::entities::{authority, category, software, usage, usage_referent, user};
use crate::error::DomainResult;
use crate::text::fold;
use model::software::SoftwareStatus;
use model::usage::UsageStatus;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SoftwareSummary {
    pub slug: String,
    pub name: String,
    pub is_free: bool,
    pub proposed: bool,
    pub description: String,
    pub users: u64,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CategoryGroup {
    pub slug: String,
    pub name: String,
    pub software: Vec<SoftwareSummary>,
}

fn matches(s: &software::Model, needle: &str) -> bool {
    needle.is_empty()
        || fold(&s.name).contains(needle)
        || lines(&s.aliases).iter().any(|a| fold(a).contains(needle))
        || lines(&s.similar_names)
            .iter()
            .any(|a| fold(a).contains(needle))
}

/// Declarations per software, counted by the database (the catalogue page read every
/// declaration row for this: 1.6 s with 40,000 of them).
async fn user_counts(db: &impl ConnectionTrait) -> DomainResult<HashMap<i32, u64>> {
    Ok(usage::Entity::find()
        .select_only()
        .column(usage::Column::SoftwareId)
        // COUNT(*), not COUNT(id): it is answered from the software_id index alone
        // (1.5 ms instead of 4 ms over 40,000 declarations on SQLite).
        .column_as(Expr::cust("COUNT(*)"), "n")
        .group_by(usage::Column::SoftwareId)
        .into_tuple::<(i32, i64)>()
        .all(db)
        .await?
        .into_iter()
        .map(|(id, n)| (id, u64::try_from(n).unwrap_or(0)))
        .collect())
}

/// The software a form offers to choose from (declaring a tool, writing about one): every
/// approved entry of `groups` once, as (slug, name), in the reader's order of names (folded,
/// so « Écoles » sits beside « ecoles »). One rule for every such list.
pub fn choices(groups: &[CategoryGroup]) -> Vec<(String, String)> {
    let mut seen = std::collections::HashSet::new();
    let mut out: Vec<(String, String)> = groups
        .iter()
        .flat_map(|g| &g.software)
        .filter(|s| !s.proposed && seen.insert(s.slug.as_str()))
        .map(|s| (s.slug.clone(), s.name.clone()))
        .collect();
    out.sort_by_cached_key(|(slug, name)| (fold(name), name.clone(), slug.clone()));
    out
}

/// What the catalogue page is made of, read in three statements: the categories in their
/// order, the entries sorted as a reader expects, and the declarations per entry.
#[derive(Debug)]
pub struct Catalogue {
    categories: Vec<category::Model>,
    software: Vec<software::Model>,
    counts: HashMap<i32, u64>,
}

/// The approved entries (proposed ones too when `include_proposed`) with their categories.
pub async fn load(db: &impl ConnectionTrait, include_proposed: bool) -> DomainResult<Catalogue> {
    let categories = category::Entity::find()
        .order_by_asc(category::Column::Position)
        .all(db)
        .await?;
    let counts = user_counts(db).await?;
    let mut statuses = vec![SoftwareStatus::Approved];
    if include_proposed {
        statuses.push(SoftwareStatus::Proposed);
    }
    let mut software = software::Entity::find()
        .filter(software::Column::Status.is_in(statuses))
        .all(db)
        .await?;
    // Sorted here, as a reader expects (« Écoles » beside « ecoles »), whatever the
    // database's collation.
    software.sort_by_cached_key(|s| (fold(&s.name), s.name.clone()));
    Ok(Catalogue {
        categories,
        software,
        counts,
    })
}

impl Catalogue {
    /// The entries by category, filtered by name, alias or similar name; the ones without a
    /// category under « Autres », empty categories left out.
    pub fn groups(&self, filter: &str) -> Vec<CategoryGroup> {
        let needle = fold(filter);
        let mut groups: Vec<CategoryGroup> = self
            .categories
            .iter()
            .map(|c| CategoryGroup {
                slug: c.slug.clone(),
                name: c.name.clone(),
                software: Vec::new(),
            })
            .collect();
        let mut other = CategoryGroup {
            slug: "autres".into(),
            name: "Autres".into(),
            software: Vec::new(),
        };
        for s in self.software.iter().filter(|s| matches(s, &needle)) {
            let summary = SoftwareSummary {
                slug: s.slug.clone(),
                name: s.name.clone(),
                is_free: s.is_free,
                proposed: s.status == SoftwareStatus::Proposed,
                description: s.description.clone(),
                users: self.counts.get(&s.id).copied().unwrap_or(0),
            };
            let position = s
                .category_id
                .and_then(|id| self.categories.iter().position(|c| c.id == id));
            match position {
                Some(i) => groups[i].software.push(summary),
                None => other.software.push(summary),
            }
        }
        groups.push(other);
        groups.retain(|g| !g.software.is_empty());
        groups
    }
}

/// Approved software by category (proposed ones too when `include_proposed`), filtered by
/// name, alias or similar name, read afresh (pages read it through `super::cache`).
pub async fn by_category(
    db: &impl ConnectionTrait,
    filter: &str,
    include_proposed: bool,
) -> DomainResult<Vec<CategoryGroup>> {
    Ok(load(db, include_proposed).await?.groups(filter))
}

/// How many authorities a software page lists per status.
pub const USERS_SHOWN_PER_STATUS: usize = 30;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SoftwareUser {
    pub authority: AuthorityRef,
    pub status: model::usage::UsageStatus,
    pub since_year: Option<i32>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Referent {
    /// For the « Contacter » link (the address stays in the domain).
    pub user_id: i32,
    /// False when the member opted out of contact requests.
    pub accepts_contact: bool,
    pub name: String,
    pub job_title: String,
    pub authority_name: String,
    pub authority_public_id: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SoftwareDetail {
    /// The row id, for what is read beside the page (its referents).
    pub id: i32,
    pub slug: String,
    pub name: String,
    pub status: SoftwareStatus,
    pub aliases: Vec<String>,
    pub similar_names: Vec<String>,
    pub category: Option<(String, String)>,
    pub description: String,
    pub website: Option<String>,
    pub licence: Option<String>,
    pub is_free: bool,
    pub wikidata: Option<String>,
    pub sill_id: Option<String>,
    pub comptoir_id: Option<String>,
    pub users: Vec<SoftwareUser>,
    /// (status, count), in the order in_use, evaluating, planned, abandoned.
    pub counts: Vec<(model::usage::UsageStatus, u64)>,
    /// Filled only when the viewer is an approved member.
    pub referents: Vec<Referent>,
}

#[derive(Clone, Debug)]
pub enum Lookup {
    Found(Box<SoftwareDetail>),
    /// A merged entry: its page moved to this slug.
    Moved(String),
    NotFound,
}

pub async fn find_by_slug(
    db: &impl ConnectionTrait,
    slug: &str,
) -> DomainResult<Option<software::Model>> {
    Ok(software::Entity::find()
        .filter(software::Column::Slug.eq(slug))
        .one(db)
        .await?)
}

/// A catalogue entry by slug: live, merged into another (its slug), or unknown.
pub enum Entry {
    Live(Box<software::Model>),
    Moved(String),
    Missing,
}

pub async fn entry(db: &impl ConnectionTrait, slug: &str) -> DomainResult<Entry> {
    let Some(s) = find_by_slug(db, slug).await? else {
        return Ok(Entry::Missing);
    };
    if s.status != SoftwareStatus::Merged {
        return Ok(Entry::Live(Box::new(s)));
    }
    if let Some(target) = s.merged_into_id
        && let Some(t) = software::Entity::find_by_id(target).one(db).await?
    {
        return Ok(Entry::Moved(t.slug));
    }
    Ok(Entry::Missing)
}

pub async fn detail(
    db: &impl ConnectionTrait,
    slug: &str,
    viewer_is_member: bool,
) -> DomainResult<Lookup> {
    let s = match entry(db, slug).await? {
        Entry::Live(s) => *s,
        Entry::Moved(target) => return Ok(Lookup::Moved(target)),
        Entry::Missing => return Ok(Lookup::NotFound),
    };
    let category = match s.category_id {
        Some(id) => category::Entity::find_by_id(id)
            .one(db)
            .await?
            .map(|c| (c.slug, c.name)),
        None => None,
    };
    let counts = status_counts(db, s.id).await?;
    // The most populated few per status, each status one joined query that the database
    // sorts and cuts (GLPI has thousands of declarations); the counts say how many there
    // are in all, and the search page lists every one of them, page by page.
    let mut users = Vec::new();
    for (status, n) in &counts {
        if *n == 0 {
            continue;
        }
        let rows = usage::Entity::find()
            .filter(usage::Column::SoftwareId.eq(s.id))
            .filter(usage::Column::Status.eq(*status))
            .find_also_related(authority::Entity)
            .order_by_with_nulls(
                authority::Column::Population,
                Order::Desc,
                NullOrdering::Last,
            )
            .order_by_asc(usage::Column::Id)
            .limit(USERS_SHOWN_PER_STATUS as u64)
            .all(db)
            .await?;
        users.extend(rows.into_iter().filter_map(|(u, a)| {
            a.map(|a| SoftwareUser {
                authority: crate::authorities::to_ref(&a),
                status: u.status,
                since_year: u.since_year,
            })
        }))
    }
    let referents = if viewer_is_member {
        referents(db, s.id).await?
    } else {
        Vec::new()
    };
    Ok(Lookup::Found(Box::new(SoftwareDetail {
        id: s.id,
        slug: s.slug,
        name: s.name,
        status: s.status,
        aliases: lines(&s.aliases),
        similar_names: lines(&s.similar_names),
        category,
        description: s.description,
        website: s.website,
        licence: s.licence,
        is_free: s.is_free,
        wikidata: s.wikidata,
        sill_id: s.sill_id,
        comptoir_id: s.comptoir_id,
        users,
        counts,
        referents,
    })))
}

/// How many declarations of this tool there are per status, every status listed (in the
/// order in use, evaluating, planned, abandoned), counted by the database.
async fn status_counts(
    db: &impl ConnectionTrait,
    software_id: i32,
) -> DomainResult<Vec<(UsageStatus, u64)>> {
    let counted: HashMap<UsageStatus, i64> = usage::Entity::find()
        .select_only()
        .column(usage::Column::Status)
        .column_as(Expr::cust("COUNT(*)"), "n")
        .filter(usage::Column::SoftwareId.eq(software_id))
        .group_by(usage::Column::Status)
        .into_tuple::<(UsageStatus, i64)>()
        .all(db)
        .await?
        .into_iter()
        .collect();
    Ok(UsageStatus::ALL
        .iter()
        .map(|st| {
            let n = counted.get(st).copied().unwrap_or(0);
            (*st, u64::try_from(n).unwrap_or(0))
        })
        .collect())
}

/// The visible approved referents of this tool, for members, each with their own
/// authority, which must be the one whose declaration they are referent of: one statement.
pub async fn referents(db: &impl ConnectionTrait, software_id: i32) -> DomainResult<Vec<Referent>> {
    let rows = usage_referent::Entity::find()
        .inner_join(usage::Entity)
        .filter(usage::Column::SoftwareId.eq(software_id))
        // Unanswered reminders: not offered for contact until someone confirms.
        .filter(usage::Column::RemindersSent.lt(crate::watch::reminders::HIDE_AFTER))
        .find_also_related(user::Entity)
        .and_also_related(authority::Entity)
        .filter(user::Column::Status.eq(model::account::AccountStatus::Approved))
        .filter(user::Column::Visible.eq(true))
        .filter(
            Expr::col((user::Entity, user::Column::AuthorityId))
                .equals((usage::Entity, usage::Column::AuthorityId)),
        )
        .order_by_asc(user::Column::Id)
        .all(db)
        .await?;
    let mut out: Vec<Referent> = rows
        .into_iter()
        .filter_map(|(_, p, a)| {
            let (p, a) = (p?, a?);
            Some(Referent {
                user_id: p.id,
                accepts_contact: p.accepts_contact,
                name: format!("{} {}", p.first_name, p.last_name),
                job_title: p.job_title,
                authority_name: a.name,
                authority_public_id: a.public_id,
            })
        })
        .collect();
    out.sort_by(|a, b| a.authority_name.cmp(&b.authority_name));
    out.dedup_by_key(|r| r.user_id);
    Ok(out)
}

/// Category slug -> name.
pub async fn category_names(db: &impl ConnectionTrait) -> DomainResult<HashMap<String, String>> {
    Ok(category::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .map(|c| (c.slug, c.name))
        .collect())
}

/// Catalogue entries whose names are close to the query words (for "did you mean").
pub async fn close_names(
    db: &impl ConnectionTrait,
    query: &str,
    limit: usize,
) -> DomainResult<Vec<(String, String)>> {
    let query_words = crate::text::words(query);
    if query_words.is_empty() {
        return Ok(Vec::new());
    }
    let all = software::Entity::find()
        .filter(software::Column::Status.eq(SoftwareStatus::Approved))
        .all(db)
        .await?;
    let close = |word: &str| {
        query_words.iter().any(|q| {
            crate::search::matching::word_matches(q, word)
                || (q.chars().count() >= 4 && word.chars().count() >= 4 && {
                    // One more typo than the search allows, to suggest rather than match.
                    let (a, b): (Vec<char>, Vec<char>) =
                        (q.chars().collect(), word.chars().collect());
                    a.len().abs_diff(b.len()) <= 2
                        && a.iter().zip(&b).filter(|(x, y)| x != y).count() <= 2
                })
        })
    };
    Ok(all
        .into_iter()
        .filter(|s| {
            crate::text::words(&s.name).iter().any(|w| close(w))
                || lines(&s.aliases)
                    .iter()
                    .any(|a| crate::text::words(a).iter().any(|w| close(w)))
        })
        .take(limit)
        .map(|s| (s.slug, s.name))
        .collect())
}

/// One authority that declared a tool, for the public API.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Declarant {
    pub authority: AuthorityRef,
    pub status: model::usage::UsageStatus,
    pub since_year: Option<i32>,
}

/// Every authority that declared this tool, by status then name.
pub async fn declarants(
    db: &impl ConnectionTrait,
    software_id: i32,
) -> DomainResult<Vec<Declarant>> {
    let mut out: Vec<Declarant> = usage::Entity::find()
        .filter(usage::Column::SoftwareId.eq(software_id))
        .find_also_related(authority::Entity)
        .all(db)
        .await?
        .into_iter()
        .filter_map(|(u, a)| {
            a.map(|a| Declarant {
                authority: crate::authorities::to_ref(&a),
                status: u.status,
                since_year: u.since_year,
            })
        })
        .collect();
    out.sort_by(|a, b| {
        a.status
            .cmp(&b.status)
            .then_with(|| fold(&a.authority.name).cmp(&fold(&b.authority.name)))
            .then_with(|| a.authority.public_id.cmp(&b.authority.public_id))
    });
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::{CategoryGroup, SoftwareSummary, choices};

    fn entry(slug: &str, name: &str, proposed: bool) -> SoftwareSummary {
        SoftwareSummary {
            slug: slug.into(),
            name: name.into(),
            is_free: true,
            proposed,
            description: String::new(),
            users: 0,
        }
    }

    #[test]
    fn one_choice_per_approved_entry_in_folded_name_order() {
        let groups = vec![
            CategoryGroup {
                slug: "bureautique".into(),
                name: "Bureautique".into(),
                software: vec![
                    entry("zimbra", "Zimbra", false),
                    entry("ecole-directe", "École directe", false),
                    entry("mon-outil", "Mon outil", true),
                ],
            },
            CategoryGroup {
                slug: "autres".into(),
                name: "Autres".into(),
                software: vec![
                    entry("edumoov", "edumoov", false),
                    entry("zimbra", "Zimbra", false),
                ],
            },
        ];
        let names: Vec<String> = choices(&groups).into_iter().map(|(_, n)| n).collect();
        assert_eq!(names, ["École directe", "edumoov", "Zimbra"]);
    }
}
