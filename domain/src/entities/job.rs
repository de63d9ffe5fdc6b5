use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "jobs")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub kind: String,
    pub payload: String,
    pub dedup_key: Option<String>,
    pub status: JobStatus,
    pub attempts: i32,
    pub run_at: DateTimeUtc,
    pub locked_until: Option<DateTimeUtc>,
    pub last_error: Option<String>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

stored_enum! {
    /// Where a job is in its life: waiting (or waiting to be retried), claimed by a worker,
    /// done, or abandoned.
    pub enum JobStatus {
        Pending = "pending",
        Running = "running",
        Done = "done",
        Failed = "failed",
    }
}

impl JobStatus {
    /// Not finished: still to be delivered, or abandoned with its payload (a mail's
    /// addresses) until cleared.
    pub const UNFINISHED: [Self; 3] = [Self::Pending, Self::Running, Self::Failed];
}
