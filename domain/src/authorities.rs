//! Reading authorities: one page's worth of identity, and lookups by name or code.

use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, EntityTrait, Order, PaginatorTrait, QueryFilter,
    QueryOrder, QuerySelect,
    sea_query::{Expr, NullOrdering},
};

use crate::entities::authority::{self, Column, Entity};
use crate::error::DomainResult;
use crate::sql::{bytewise, contains, starts_with};
use crate::text::fold;
use model::authority::AuthorityKind;

/// A link to another authority.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AuthorityRef {
    pub public_id: String,
    pub name: String,
    pub kind: AuthorityKind,
    pub epci_type: Option<String>,
    pub departement_code: Option<String>,
    pub population: Option<i64>,
}

/// Everything the authority page shows about its identity.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AuthorityDetail {
    pub summary: AuthorityRef,
    pub siren: Option<String>,
    pub cog_code: Option<String>,
    pub postcodes: Vec<String>,
    pub departement: Option<AuthorityRef>,
    pub region: Option<AuthorityRef>,
    /// For a commune: its EPCI.
    pub epci: Option<AuthorityRef>,
    /// EPCI: member communes; département: its EPCI; région: its départements.
    pub children: Vec<AuthorityRef>,
    pub is_member: bool,
    pub member_since: Option<chrono::NaiveDate>,
    pub label_level: Option<i16>,
    pub label_year: Option<i32>,
    pub website: Option<String>,
    pub description: Option<String>,
}

pub fn to_ref(m: &authority::Model) -> AuthorityRef {
    AuthorityRef {
        public_id: m.public_id.clone(),
        name: m.name.clone(),
        kind: m.kind,
        epci_type: m.epci_type.clone(),
        departement_code: m.departement_code.clone(),
        population: m.population,
    }
}

async fn by_kind_code(
    db: &impl ConnectionTrait,
    kind: AuthorityKind,
    code: Option<&str>,
) -> DomainResult<Option<AuthorityRef>> {
    let Some(code) = code else { return Ok(None) };
    Ok(Entity::find()
        .filter(Column::Kind.eq(kind.as_str()))
        .filter(Column::CogCode.eq(code))
        .one(db)
        .await?
        .as_ref()
        .map(to_ref))
}

/// The authority with this public identifier, with its parents and children.
pub async fn get_detail(
    db: &impl ConnectionTrait,
    public_id: &str,
) -> DomainResult<Option<AuthorityDetail>> {
    let Some(m) = Entity::find()
        .filter(Column::PublicId.eq(public_id))
        .one(db)
        .await?
    else {
        return Ok(None);
    };
    let kind = m.kind;
    let departement = match kind {
        AuthorityKind::Departement | AuthorityKind::Region => None,
        _ => {
            by_kind_code(
                db,
                AuthorityKind::Departement,
                m.departement_code.as_deref(),
            )
            .await?
        }
    };
    let region = match kind {
        AuthorityKind::Region => None,
        _ => by_kind_code(db, AuthorityKind::Region, m.region_code.as_deref()).await?,
    };
    let epci = match m.epci_id {
        Some(id) => Entity::find_by_id(id).one(db).await?.as_ref().map(to_ref),
        None => None,
    };
    let children_filter = match kind {
        AuthorityKind::Commune => None,
        AuthorityKind::Epci => Some(Condition::all().add(Column::EpciId.eq(m.id))),
        AuthorityKind::Departement => Some(
            Condition::all()
                .add(Column::Kind.eq(AuthorityKind::Epci.as_str()))
                .add(Column::DepartementCode.eq(m.departement_code.clone())),
        ),
        AuthorityKind::Region => Some(
            Condition::all()
                .add(Column::Kind.eq(AuthorityKind::Departement.as_str()))
                .add(Column::RegionCode.eq(m.region_code.clone())),
        ),
    };
    let children = match children_filter {
        Some(filter) => Entity::find()
            .filter(filter)
            .order_by(
                bytewise(db.get_database_backend(), Column::SearchName),
                Order::Asc,
            )
            .all(db)
            .await?
            .iter()
            .map(to_ref)
            .collect(),
        None => Vec::new(),
    };
    Ok(Some(AuthorityDetail {
        summary: to_ref(&m),
        siren: m.siren.clone(),
        cog_code: m.cog_code.clone(),
        postcodes: m.postcodes.split_whitespace().map(str::to_string).collect(),
        departement,
        region,
        epci,
        children,
        is_member: m.is_member,
        member_since: m.member_since,
        label_level: m.label_level,
        label_year: m.label_year,
        website: m.website.clone(),
        description: m.description.clone(),
    }))
}

/// One page of authorities matching a name, postcode, COG code or SIREN.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LookupPage {
    pub total: u64,
    pub items: Vec<AuthorityRef>,
}

/// Finds authorities by name (accent- and case-insensitive, best matches first), by
/// postcode or COG code (5 characters) or by SIREN (9 digits). Most populated first.
pub async fn lookup(
    db: &impl ConnectionTrait,
    query: &str,
    page: u64,
    per_page: u64,
) -> DomainResult<LookupPage> {
    let raw = query.trim();
    let folded = fold(raw);
    if folded.is_empty() {
        return Ok(LookupPage {
            total: 0,
            items: Vec::new(),
        });
    }
    let compact: String = raw.chars().filter(|c| !c.is_whitespace()).collect();
    let mut condition = Condition::any().add(Column::SearchName.like(contains(&folded)));
    if compact.len() == 9 && compact.chars().all(|c| c.is_ascii_digit()) {
        condition = condition.add(Column::Siren.eq(compact.clone()));
    }
    if compact.len() == 5 && compact.chars().all(|c| c.is_ascii_alphanumeric()) {
        let code = compact.to_ascii_uppercase();
        condition = condition
            .add(Column::CogCode.eq(code.clone()))
            .add(Column::Postcodes.like(contains(&code)));
    }
    let select = Entity::find().filter(condition);
    let total = select.clone().count(db).await?;
    // Exact names first, then names starting with the query, then the most populated.
    // Built with sea-query rather than raw SQL so each backend gets its own placeholders.
    let rank: Expr = Expr::case(Column::SearchName.eq(folded.clone()), 0)
        .case(Column::SearchName.like(starts_with(&folded)), 1)
        .finally(2)
        .into();
    let rows = select
        .order_by(rank, Order::Asc)
        .order_by_with_nulls(Column::Population, Order::Desc, NullOrdering::Last)
        .order_by(
            bytewise(db.get_database_backend(), Column::SearchName),
            Order::Asc,
        )
        .order_by_asc(Column::Id)
        .offset(page.saturating_sub(1) * per_page)
        .limit(per_page)
        .all(db)
        .await?;
    Ok(LookupPage {
        total,
        items: rows.iter().map(to_ref).collect(),
    })
}

/// How many authorities the database holds.
pub async fn count(db: &impl ConnectionTrait) -> DomainResult<u64> {
    Ok(Entity::find().count(db).await?)
}

/// A link to the authority with this row id.
pub async fn get_ref(db: &impl ConnectionTrait, id: i32) -> DomainResult<Option<AuthorityRef>> {
    Ok(Entity::find_by_id(id).one(db).await?.as_ref().map(to_ref))
}

/// The row id behind a public identifier.
pub async fn id_of(db: &impl ConnectionTrait, public_id: &str) -> DomainResult<Option<i32>> {
    Ok(Entity::find()
        .filter(Column::PublicId.eq(public_id))
        .select_only()
        .column(Column::Id)
        .into_tuple::<i32>()
        .one(db)
        .await?)
}

/// Names of départements or régions by code.
pub async fn names_by_code(
    db: &impl ConnectionTrait,
    kind: AuthorityKind,
) -> DomainResult<std::collections::HashMap<String, String>> {
    Ok(Entity::find()
        .filter(Column::Kind.eq(kind.as_str()))
        .all(db)
        .await?
        .into_iter()
        .filter_map(|a| a.cog_code.map(|c| (c, a.name)))
        .collect())
}

/// The authorities with these row ids, by id (for lists that name them).
pub async fn by_ids(
    db: &impl ConnectionTrait,
    ids: impl IntoIterator<Item = i32>,
) -> DomainResult<std::collections::HashMap<i32, authority::Model>> {
    Ok(Entity::find()
        .filter(Column::Id.is_in(ids))
        .all(db)
        .await?
        .into_iter()
        .map(|a| (a.id, a))
        .collect())
}
