use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "usage_referents")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub usage_id: i32,
    #[sea_orm(primary_key, auto_increment = false)]
    pub user_id: i32,
}

/// A referent link joins its declaration and its member.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::usage::Entity",
        from = "Column::UsageId",
        to = "super::usage::Column::Id"
    )]
    Usage,
    #[sea_orm(
        belongs_to = "super::user::Entity",
        from = "Column::UserId",
        to = "super::user::Column::Id"
    )]
    User,
}

impl Related<super::usage::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Usage.def()
    }
}

impl Related<super::user::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::User.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
