use model::usage::UsageStatus;
use model::watch::EventKind;
use sea_orm::entity::prelude::*;

/// What happened to one declaration (`crate::watch::events`): an authority, a tool, the
/// statuses before and after, when. No person.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "declaration_events")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub authority_id: i32,
    pub software_id: i32,
    pub kind: EventKind,
    pub old_status: Option<UsageStatus>,
    pub new_status: Option<UsageStatus>,
    pub at: DateTimeUtc,
}

/// An event names its authority and its tool.
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
