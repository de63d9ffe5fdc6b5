use sea_orm::entity::prelude::*;

/// A retour d'expérience: one authority's public text about one tool.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "software_reviews")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub software_id: i32,
    pub authority_id: i32,
    /// Who wrote it; `None` once their account is deleted (the text stays, signed by the
    /// authority).
    pub author_id: Option<i32>,
    pub text: String,
    /// Hidden by an administrator.
    pub hidden: bool,
    pub report_reason: Option<String>,
    pub reported_at: Option<DateTimeUtc>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

/// A retour is shown with its authority and its tool, read in the same statement.
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
