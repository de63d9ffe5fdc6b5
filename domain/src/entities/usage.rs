use model::usage::UsageStatus;
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "usages")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub authority_id: i32,
    pub software_id: i32,
    pub status: UsageStatus,
    pub since_year: Option<i32>,
    pub version: Option<String>,
    pub notes: Option<String>,
    pub satisfaction: Option<i16>,
    pub declared_by: Option<i32>,
    pub last_confirmed_at: DateTimeUtc,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    /// For an abandoned tool: the catalogue entry that replaced it, when said.
    pub replaced_by_id: Option<i32>,
    /// Reminders sent since the last confirmation and not answered (`crate::watch::reminders`):
    /// from the second, the declaration shows as unconfirmed and its referents are hidden.
    pub reminders_sent: i32,
    pub reminded_at: Option<DateTimeUtc>,
}

/// The joins queries make from a declaration (its authority, its catalogue entry), so they
/// are one SQL statement instead of ids gathered and looked up by hand.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::authority::Entity",
        from = "Column::AuthorityId",
        to = "super::authority::Column::Id"
    )]
    Authority,
    #[sea_orm(
        belongs_to = "super::software::Entity",
        from = "Column::SoftwareId",
        to = "super::software::Column::Id"
    )]
    Software,
}

impl Related<super::authority::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Authority.def()
    }
}

impl Related<super::software::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Software.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
