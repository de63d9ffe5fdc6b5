use model::software::SoftwareStatus;
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "software")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub slug: String,
    pub name: String,
    /// One per line.
    pub aliases: String,
    /// Similar (often proprietary) names, one per line.
    pub similar_names: String,
    pub category_id: Option<i32>,
    pub description: String,
    pub website: Option<String>,
    pub licence: Option<String>,
    pub is_free: bool,
    pub wikidata: Option<String>,
    pub sill_id: Option<String>,
    pub comptoir_id: Option<String>,
    pub status: SoftwareStatus,
    pub merged_into_id: Option<i32>,
    pub proposed_by: Option<i32>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
