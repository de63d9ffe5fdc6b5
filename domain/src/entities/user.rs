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
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

/// Account lifecycle. Only `Approved` members see what is reserved to members. Stored as
/// text; a value Pairs did not write is a read error, never a silent default.
#[derive(
    Clone,
    Copy,
    Debug,
    PartialEq,
    Eq,
    Hash,
    EnumIter,
    DeriveActiveEnum,
    serde::Serialize,
    serde::Deserialize,
)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::None)")]
pub enum AccountStatus {
    #[sea_orm(string_value = "unverified")]
    Unverified,
    #[sea_orm(string_value = "pending")]
    Pending,
    #[sea_orm(string_value = "approved")]
    Approved,
    #[sea_orm(string_value = "rejected")]
    Rejected,
    #[sea_orm(string_value = "suspended")]
    Suspended,
}

impl AccountStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Unverified => "unverified",
            Self::Pending => "pending",
            Self::Approved => "approved",
            Self::Rejected => "rejected",
            Self::Suspended => "suspended",
        }
    }

    /// A status named in a filter or a form (`None` for anything else).
    pub fn from_param(s: &str) -> Option<Self> {
        <Self as sea_orm::Iterable>::iter().find(|status| status.as_str() == s)
    }
}

/// Elected official or staff.
#[derive(
    Clone,
    Copy,
    Debug,
    PartialEq,
    Eq,
    Hash,
    EnumIter,
    DeriveActiveEnum,
    serde::Serialize,
    serde::Deserialize,
)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::None)")]
pub enum Position {
    #[sea_orm(string_value = "elu")]
    Elu,
    #[sea_orm(string_value = "agent")]
    Agent,
}

impl Position {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Elu => "elu",
            Self::Agent => "agent",
        }
    }

    /// The position chosen in a form (`None` for anything else).
    pub fn parse(s: &str) -> Option<Self> {
        <Self as sea_orm::Iterable>::iter().find(|p| p.as_str() == s)
    }
}
