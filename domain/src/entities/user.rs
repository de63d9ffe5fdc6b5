use model::account::AccountStatus;
use model::account::Position;
use model::watch::DigestFrequency;
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "users")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub email: String,
    pub password_hash: String,
    pub first_name: String,
    pub last_name: String,
    pub position: Position,
    pub job_title: String,
    pub phone: Option<String>,
    pub authority_id: Option<i32>,
    pub status: AccountStatus,
    pub is_admin: bool,
    pub visible: bool,
    /// False once the member opts out of contact requests.
    pub accepts_contact: bool,
    pub rejection_reason: Option<String>,
    pub email_verified_at: Option<DateTimeUtc>,
    pub approved_at: Option<DateTimeUtc>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    /// How often the digest of what they follow is sent (`crate::watch::digest`).
    pub digest_frequency: DigestFrequency,
    /// The end of the last period a digest covered: the next one starts there.
    pub digest_until: Option<DateTimeUtc>,
    /// Whether the member gets the reminders of their stale declarations.
    pub reminders_on: bool,
    /// When the member last got a reminder (one a month at most).
    pub reminded_at: Option<DateTimeUtc>,
}

/// A member's own authority, joined where a person is shown with it.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::authority::Entity",
        from = "Column::AuthorityId",
        to = "super::authority::Column::Id"
    )]
    Authority,
}

impl Related<super::authority::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Authority.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
