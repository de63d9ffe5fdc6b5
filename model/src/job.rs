//! The outbox's job states.

stored_enum! {
    /// Where a job is in its life: waiting (or waiting to be retried), claimed by a worker,
    /// done, or abandoned.
    pub enum JobStatus {
        Pending = "pending" => "En attente",
        Running = "running" => "En cours",
        Done = "done" => "Fait",
        Failed = "failed" => "Abandonné",
    }
}

impl JobStatus {
    /// Not finished: still to be delivered, or abandoned with its payload (a mail's
    /// addresses) until cleared.
    pub const UNFINISHED: [Self; 3] = [Self::Pending, Self::Running, Self::Failed];
}
