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

stored_enum! {
    /// Where a request stands (the `status` column).
    #[derive(serde::Serialize, serde::Deserialize)]
    pub enum RequestStatus {
        /// Queued; retried while the mail server is unreachable.
        Pending = "pending",
        /// Accepted by the mail server.
        Sent = "sent",
        /// Refused for good; the reason is shown to the sender.
        Failed = "failed",
    }
}

impl RequestStatus {
    /// The French word members read.
    pub fn label(self) -> &'static str {
        match self {
            Self::Pending => "en attente",
            Self::Sent => "envoyé",
            Self::Failed => "échec définitif",
        }
    }
}
