use model::authority::AuthorityKind;
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "authorities")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub public_id: String,
    pub siren: Option<String>,
    pub cog_code: Option<String>,
    pub kind: AuthorityKind,
    pub epci_type: Option<String>,
    pub name: String,
    pub slug: String,
    pub search_name: String,
    pub departement_code: Option<String>,
    pub region_code: Option<String>,
    pub population: Option<i64>,
    pub postcodes: String,
    pub epci_id: Option<i32>,
    pub is_member: bool,
    pub member_since: Option<Date>,
    pub label_level: Option<i16>,
    pub label_year: Option<i32>,
    /// Set by administrators (the referential has none).
    pub website: Option<String>,
    pub description: Option<String>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
