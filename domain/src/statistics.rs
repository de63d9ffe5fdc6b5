//! What the network runs, counted: members, active authorities by kind, région and
//! département, declarations by status, the most used tools, adoption by year, the free
//! share, how fresh declarations are. Public figures only (never a person); every count is
//! one `GROUP BY`, so the page costs the same whatever the number of declarations.

use std::collections::HashMap;

use chrono::{Duration, Utc};
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, FromQueryResult, PaginatorTrait, QueryFilter,
    Statement,
};
use serde::Serialize;
use utoipa::ToSchema;

use crate::entities::{authority, usage, user};
use crate::error::DomainResult;
use model::authority::AuthorityKind;
use model::usage::UsageStatus;

/// How many tools the overall ranking keeps, and how many per category.
pub const TOP_TOOLS: usize = 10;
pub const TOP_PER_CATEGORY: usize = 3;

/// One bar of a chart: what is counted (a stable key and its French label) and how many.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, ToSchema)]
pub struct Count {
    /// Stable identifier (code, slug, year…).
    pub key: String,
    /// French label.
    pub label: String,
    pub count: u64,
}

/// The most used tools of one category.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, ToSchema)]
pub struct CategoryTop {
    pub key: String,
    pub label: String,
    pub tools: Vec<Count>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, ToSchema)]
pub struct Statistics {
    /// Member authorities.
    pub member_authorities: u64,
    /// Approved member accounts (a number, never who).
    pub members: u64,
    /// Authorities with at least one declaration.
    pub active_authorities: u64,
    pub declarations: u64,
    /// Active authorities by kind.
    pub authorities_by_kind: Vec<Count>,
    /// Active authorities by région (key: COG code of the région).
    pub authorities_by_region: Vec<Count>,
    /// Authorities with a tool in use, by département (key: COG code); the map's shades.
    pub authorities_by_departement: Vec<Count>,
    pub declarations_by_status: Vec<Count>,
    /// Tools by the number of authorities that have them in use, most used first.
    pub top_tools: Vec<Count>,
    pub top_tools_by_category: Vec<CategoryTop>,
    /// Declarations by the year the tool came into use (key: the year).
    pub adoption_by_year: Vec<Count>,
    /// Tools in use: free software or not (keys `libre`, `proprietaire`).
    pub free_share: Vec<Count>,
    /// Declarations by the age of their last confirmation.
    pub freshness: Vec<Count>,
}

#[derive(FromQueryResult)]
struct KeyCount {
    key: Option<String>,
    n: i64,
}

#[derive(FromQueryResult)]
struct ToolCount {
    slug: String,
    name: String,
    category: Option<String>,
    category_name: Option<String>,
    n: i64,
}

async fn key_counts(db: &impl ConnectionTrait, sql: &str) -> DomainResult<Vec<(String, u64)>> {
    let rows = KeyCount::find_by_statement(Statement::from_string(
        db.get_database_backend(),
        sql.to_string(),
    ))
    .all(db)
    .await?;
    Ok(rows
        .into_iter()
        .filter_map(|r| Some((r.key?, u64::try_from(r.n).unwrap_or(0))))
        .collect())
}

/// Counts labelled from a name table, largest first (then by key, so the order is stable).
fn labelled(counts: Vec<(String, u64)>, names: &HashMap<String, String>) -> Vec<Count> {
    let mut out: Vec<Count> = counts
        .into_iter()
        .map(|(key, count)| Count {
            label: names.get(&key).cloned().unwrap_or_else(|| key.clone()),
            key,
            count,
        })
        .collect();
    out.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.key.cmp(&b.key)));
    out
}

/// Counts for a fixed list of (key, label), in its order, zero for a key not counted.
fn in_order<'a>(
    counts: &[(String, u64)],
    keys: impl Iterator<Item = (&'a str, &'a str)>,
) -> Vec<Count> {
    keys.map(|(key, label)| Count {
        key: key.to_string(),
        label: label.to_string(),
        count: counts.iter().find(|(k, _)| k == key).map_or(0, |(_, n)| *n),
    })
    .collect()
}

const ACTIVE: &str = "FROM usages u JOIN authorities a ON a.id = u.authority_id";
const LIVE_TOOLS: &str =
    "FROM usages u JOIN software s ON s.id = u.software_id WHERE s.status <> 'merged'";

pub async fn compute(db: &impl ConnectionTrait) -> DomainResult<Statistics> {
    let member_authorities = authority::Entity::find()
        .filter(authority::Column::IsMember.eq(true))
        .count(db)
        .await?;
    let members = user::Entity::find()
        .filter(user::Column::Status.eq(model::account::AccountStatus::Approved))
        .count(db)
        .await?;
    let declarations = usage::Entity::find().count(db).await?;
    let active_authorities = key_counts(
        db,
        &format!("SELECT 'all' AS key, COUNT(DISTINCT a.id) AS n {ACTIVE}"),
    )
    .await?
    .first()
    .map_or(0, |(_, n)| *n);

    let by_kind = key_counts(
        db,
        &format!("SELECT a.kind AS key, COUNT(DISTINCT a.id) AS n {ACTIVE} GROUP BY a.kind"),
    )
    .await?;
    let authorities_by_kind = in_order(
        &by_kind,
        AuthorityKind::ALL
            .iter()
            .map(|k| (k.as_str(), k.plural_label())),
    );
    let regions = crate::authorities::names_by_code(db, AuthorityKind::Region).await?;
    let departements = crate::authorities::names_by_code(db, AuthorityKind::Departement).await?;
    let authorities_by_region = labelled(
        key_counts(
            db,
            &format!(
                "SELECT a.region_code AS key, COUNT(DISTINCT a.id) AS n {ACTIVE} \
                 GROUP BY a.region_code"
            ),
        )
        .await?,
        &regions,
    );
    let authorities_by_departement = labelled(
        key_counts(
            db,
            &format!(
                "SELECT a.departement_code AS key, COUNT(DISTINCT a.id) AS n {ACTIVE} \
                 WHERE u.status = 'in_use' GROUP BY a.departement_code"
            ),
        )
        .await?,
        &departements,
    );

    let by_status = key_counts(
        db,
        "SELECT status AS key, COUNT(*) AS n FROM usages GROUP BY status",
    )
    .await?;
    let declarations_by_status = in_order(
        &by_status,
        UsageStatus::ALL.iter().map(|st| (st.as_str(), st.label())),
    );

    let tools = ToolCount::find_by_statement(Statement::from_string(
        db.get_database_backend(),
        "SELECT s.slug AS slug, s.name AS name, c.slug AS category, c.name AS category_name, \
         COUNT(DISTINCT u.authority_id) AS n \
         FROM usages u JOIN software s ON s.id = u.software_id \
         LEFT JOIN categories c ON c.id = s.category_id \
         WHERE u.status = 'in_use' AND s.status <> 'merged' \
         GROUP BY s.id, s.slug, s.name, c.slug, c.name, c.position \
         ORDER BY c.position, s.slug"
            .to_string(),
    ))
    .all(db)
    .await?;
    let (top_tools, top_tools_by_category) = rank_tools(tools);

    let mut adoption_by_year: Vec<Count> = key_counts(
        db,
        "SELECT CAST(since_year AS TEXT) AS key, COUNT(*) AS n FROM usages \
         WHERE since_year IS NOT NULL GROUP BY since_year",
    )
    .await?
    .into_iter()
    .map(|(key, count)| Count {
        label: key.clone(),
        key,
        count,
    })
    .collect();
    adoption_by_year.sort_by(|a, b| a.key.cmp(&b.key));

    let free = key_counts(
        db,
        &format!(
            "SELECT CASE WHEN s.is_free THEN 'libre' ELSE 'proprietaire' END AS key, \
             COUNT(*) AS n {LIVE_TOOLS} AND u.status = 'in_use' \
             GROUP BY CASE WHEN s.is_free THEN 'libre' ELSE 'proprietaire' END"
        ),
    )
    .await?;
    let free_share = in_order(
        &free,
        [
            ("libre", "Logiciels libres"),
            ("proprietaire", "Logiciels propriétaires"),
        ]
        .into_iter(),
    );

    let now = Utc::now();
    let confirmed_since = |days: i64| {
        usage::Entity::find()
            .filter(usage::Column::LastConfirmedAt.gte(now - Duration::days(days)))
            .count(db)
    };
    let recent = confirmed_since(182).await?;
    let within_year = confirmed_since(crate::usages::STALE_AFTER_DAYS).await?;
    let freshness = vec![
        Count {
            key: "moins-de-6-mois".into(),
            label: "Confirmées depuis moins de 6 mois".into(),
            count: recent,
        },
        Count {
            key: "6-a-12-mois".into(),
            label: "Confirmées il y a 6 à 12 mois".into(),
            count: within_year.saturating_sub(recent),
        },
        Count {
            key: "plus-d-un-an".into(),
            label: "À reconfirmer (plus d'un an)".into(),
            count: declarations.saturating_sub(within_year),
        },
    ];

    Ok(Statistics {
        member_authorities,
        members,
        active_authorities,
        declarations,
        authorities_by_kind,
        authorities_by_region,
        authorities_by_departement,
        declarations_by_status,
        top_tools,
        top_tools_by_category,
        adoption_by_year,
        free_share,
        freshness,
    })
}

/// The overall ranking and each category's (rows come in category order).
fn rank_tools(rows: Vec<ToolCount>) -> (Vec<Count>, Vec<CategoryTop>) {
    let count = |r: &ToolCount| Count {
        key: r.slug.clone(),
        label: r.name.clone(),
        count: u64::try_from(r.n).unwrap_or(0),
    };
    let by_use = |a: &Count, b: &Count| b.count.cmp(&a.count).then_with(|| a.key.cmp(&b.key));
    let mut top: Vec<Count> = rows.iter().map(count).collect();
    top.sort_by(by_use);
    top.truncate(TOP_TOOLS);
    let mut categories: Vec<CategoryTop> = Vec::new();
    for r in &rows {
        let Some(key) = &r.category else { continue };
        if categories.last().is_none_or(|c| &c.key != key) {
            categories.push(CategoryTop {
                key: key.clone(),
                label: r.category_name.clone().unwrap_or_else(|| key.clone()),
                tools: Vec::new(),
            });
        }
        if let Some(c) = categories.last_mut() {
            c.tools.push(count(r));
        }
    }
    for c in &mut categories {
        c.tools.sort_by(by_use);
        c.tools.truncate(TOP_PER_CATEGORY);
    }
    (top, categories)
}

/// Authorities that have this tool in use, by département (COG code -> count).
pub async fn tool_by_departement(
    db: &impl ConnectionTrait,
    software_id: i32,
) -> DomainResult<HashMap<String, u64>> {
    // An integer id of our own, formatted into the SQL: nothing a user typed.
    Ok(key_counts(
        db,
        &format!(
            "SELECT a.departement_code AS key, COUNT(DISTINCT a.id) AS n {ACTIVE} \
             WHERE u.status = 'in_use' AND u.software_id = {software_id} \
             GROUP BY a.departement_code"
        ),
    )
    .await?
    .into_iter()
    .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tool(slug: &str, category: Option<&str>, n: i64) -> ToolCount {
        ToolCount {
            slug: slug.into(),
            name: slug.to_uppercase(),
            category: category.map(str::to_string),
            category_name: category.map(|c| format!("Catégorie {c}")),
            n,
        }
    }

    #[test]
    fn ranks_overall_and_per_category() {
        let rows = vec![
            tool("a", Some("x"), 3),
            tool("b", Some("x"), 9),
            tool("c", Some("x"), 1),
            tool("d", Some("x"), 5),
            tool("e", Some("y"), 7),
            tool("f", None, 8),
        ];
        let (top, categories) = rank_tools(rows);
        let keys: Vec<&str> = top.iter().map(|c| c.key.as_str()).collect();
        assert_eq!(keys, ["b", "f", "e", "d", "a", "c"]);
        assert_eq!(categories.len(), 2);
        let x: Vec<&str> = categories[0].tools.iter().map(|c| c.key.as_str()).collect();
        assert_eq!(x, ["b", "d", "a"], "three per category, most used first");
        assert_eq!(categories[1].label, "Catégorie y");
    }

    #[test]
    fn labels_and_orders_counts() {
        let names = HashMap::from([("13".to_string(), "Bouches-du-Rhône".to_string())]);
        let out = labelled(
            vec![("75".into(), 2), ("13".into(), 2), ("01".into(), 5)],
            &names,
        );
        let got: Vec<(&str, &str, u64)> = out
            .iter()
            .map(|c| (c.key.as_str(), c.label.as_str(), c.count))
            .collect();
        assert_eq!(
            got,
            [
                ("01", "01", 5),
                ("13", "Bouches-du-Rhône", 2),
                ("75", "75", 2)
            ]
        );
    }
}
