use model::watch::FollowTarget;
use sea_orm::entity::prelude::*;

/// A member follows a tool or a category (`crate::watch::follows`).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "follows")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub user_id: i32,
    pub target: FollowTarget,
    /// A `software` id or a `categories` id, as `target` says.
    pub target_id: i32,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
