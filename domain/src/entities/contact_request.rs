use model::contact::RequestStatus;
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "contact_requests")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub sender_id: Option<i32>,
    pub recipient_id: Option<i32>,
    pub software_id: Option<i32>,
    pub subject: String,
    pub message: String,
    pub status: RequestStatus,
    pub failure_reason: Option<String>,
    pub created_at: DateTimeUtc,
    pub sent_at: Option<DateTimeUtc>,
    /// The question this request belongs to (the id of its first request), when it was
    /// sent to many referents at once.
    pub question_id: Option<i64>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
