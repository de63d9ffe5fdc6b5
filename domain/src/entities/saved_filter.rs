use model::saved_filter::FilterPage;
use sea_orm::entity::prelude::*;

/// The part of an administration filter that names people (a name, an email), kept
/// server-side behind `id` so it never travels in a URL (`crate::accounts::saved_filters`).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "saved_filters")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub user_id: i32,
    pub page: FilterPage,
    pub text: String,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
