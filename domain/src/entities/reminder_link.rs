use model::watch::ReminderAction;
use sea_orm::entity::prelude::*;

/// One link of a reminder mail: its own token (stored hashed), for one declaration and one
/// action, single use, until it expires (`crate::watch::reminders`).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "reminder_links")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub token_hash: String,
    pub usage_id: i32,
    pub user_id: i32,
    pub action: ReminderAction,
    pub expires_at: DateTimeUtc,
    pub used_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
