//! Email: messages, French templates, delivery backends, and the outbox that queues them.

pub mod outbox;
pub mod templates;
pub mod transport;

use serde::{Deserialize, Serialize};

/// One email, as queued in the outbox (a `jobs` row of kind `mail`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Email {
    pub to: String,
    pub subject: String,
    pub text: String,
    pub html: String,
    pub reply_to: Option<String>,
    /// A stable Message-ID (without angle brackets): every retry of one queued message
    /// carries the same, so a receiving server can tell a repeat from a new message.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message_id: Option<String>,
}

pub use transport::{Mailer, SendError};
