//! Contact requests: an approved member writes to a peer through Pairs. The message is
//! relayed by email from the platform's address with `Reply-To` set to the sender, so the
//! recipient answers directly and the sender never learns the recipient's address.
//!
//! - `send`: the checks (limits, honeypot, fill time, lengths, who may send and receive)
//!   and the request written with its mail in one transaction;
//! - `delivery`: the worker records each request's outcome;
//! - `actions`: opt-out, blocks and reports, from the email's links or the member's pages;
//! - `history`: what `/compte/messages` lists; `erase` on account deletion.

pub mod actions;
pub mod delivery;
pub mod history;
pub mod recipients;
pub mod reports;
pub mod send;
pub mod stamp;

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

/// Configurable limits (see the README for the variables and their defaults).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limits {
    /// Requests one member may send in 24 hours.
    pub sender_daily: u64,
    /// Requests one member may receive in 24 hours (those of senders they blocked aside).
    pub recipient_daily: u64,
    /// Requests one member may send to the same member in 7 days, so one sender cannot
    /// use up a recipient's whole daily quota.
    pub pair_weekly: u64,
    /// A form sent sooner than this after it was shown is refused (bots fill instantly).
    pub min_fill_seconds: u64,
}

pub const SUBJECT_MAX: usize = 200;
pub const MESSAGE_MAX: usize = 5000;
pub const REPORT_REASON_MAX: usize = 1000;

/// Where a request stands (the `status` column of `contact_requests`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, EnumIter, DeriveActiveEnum, Serialize, Deserialize)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::None)")]
pub enum RequestStatus {
    /// Queued; retried while the mail server is unreachable.
    #[sea_orm(string_value = "pending")]
    Pending,
    /// Accepted by the mail server.
    #[sea_orm(string_value = "sent")]
    Sent,
    /// Refused for good; the reason is shown to the sender.
    #[sea_orm(string_value = "failed")]
    Failed,
}

impl RequestStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Pending => "pending",
            Self::Sent => "sent",
            Self::Failed => "failed",
        }
    }

    /// The French word members read.
    pub fn label(self) -> &'static str {
        match self {
            Self::Pending => "en attente",
            Self::Sent => "envoyé",
            Self::Failed => "échec définitif",
        }
    }
}

/// A report's state in the moderators' queue (contact requests' and profiles' reports).
#[derive(Clone, Copy, Debug, PartialEq, Eq, EnumIter, DeriveActiveEnum)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::None)")]
pub enum ReportStatus {
    /// Waiting for an administrator.
    #[sea_orm(string_value = "open")]
    Open,
    /// Closed without action.
    #[sea_orm(string_value = "dismissed")]
    Dismissed,
    /// Closed with a warning or a suspension.
    #[sea_orm(string_value = "actioned")]
    Actioned,
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

#[cfg(test)]
mod tests {
    use super::RequestStatus;

    #[test]
    fn statuses_round_trip() {
        // The stored text and the code shown in pages are the same word.
        for s in <RequestStatus as sea_orm::Iterable>::iter() {
            assert_eq!(sea_orm::ActiveEnum::to_value(&s), s.as_str());
        }
        assert_eq!(RequestStatus::Failed.label(), "échec définitif");
    }
}
