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

/// A catalogue entry's standing: shipped or accepted, proposed by a member and waiting for
/// the administrators, or merged into another entry (its page redirects there).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::None)")]
pub enum SoftwareStatus {
    #[sea_orm(string_value = "approved")]
    Approved,
    #[sea_orm(string_value = "proposed")]
    Proposed,
    #[sea_orm(string_value = "merged")]
    Merged,
}

impl SoftwareStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Approved => "approved",
            Self::Proposed => "proposed",
            Self::Merged => "merged",
        }
    }
}
