use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "usages")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub authority_id: i32,
    pub software_id: i32,
    pub status: UsageStatus,
    pub since_year: Option<i32>,
    pub version: Option<String>,
    pub notes: Option<String>,
    pub satisfaction: Option<i16>,
    pub declared_by: Option<i32>,
    pub last_confirmed_at: DateTimeUtc,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

/// How an authority uses a tool. Declared in this order, which is also the display order
/// (in use first).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, EnumIter, DeriveActiveEnum)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::None)")]
pub enum UsageStatus {
    #[sea_orm(string_value = "in_use")]
    InUse,
    #[sea_orm(string_value = "evaluating")]
    Evaluating,
    #[sea_orm(string_value = "planned")]
    Planned,
    #[sea_orm(string_value = "abandoned")]
    Abandoned,
}

impl UsageStatus {
    /// Every status, in display order.
    pub const ALL: [Self; 4] = [
        Self::InUse,
        Self::Evaluating,
        Self::Planned,
        Self::Abandoned,
    ];

    /// The stored code, also used in addresses (`?status=in_use`) and the search index.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::InUse => "in_use",
            Self::Evaluating => "evaluating",
            Self::Planned => "planned",
            Self::Abandoned => "abandoned",
        }
    }

    /// The status a form or a query names (`None` for anything else).
    pub fn from_param(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|status| status.as_str() == s)
    }
}
