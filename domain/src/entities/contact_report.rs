use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "contact_reports")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub request_id: i64,
    pub reporter_id: Option<i32>,
    pub reason: String,
    pub status: ReportStatus,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

stored_enum! {
    /// A report's state in the moderators' queue (contact requests' and profiles' reports).
    pub enum ReportStatus {
        /// Waiting for an administrator.
        Open = "open",
        /// Closed without action.
        Dismissed = "dismissed",
        /// Closed with a warning or a suspension.
        Actioned = "actioned",
    }
}

impl ReportStatus {
    /// Its French label (in the member's data export).
    pub fn label(self) -> &'static str {
        match self {
            Self::Open => "en attente d'examen",
            Self::Dismissed => "classé sans suite",
            Self::Actioned => "suivi d'une mesure",
        }
    }
}
