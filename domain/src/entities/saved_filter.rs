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

stored_enum! {
    /// The page a filter belongs to: an id saved for one page finds nothing on the other.
    pub enum FilterPage {
        /// `/admin/membres`: name, email or authority searched.
        Members = "membres",
        /// `/admin/journal`: the author's email.
        Journal = "journal",
    }
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
