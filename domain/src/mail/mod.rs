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
    /// The one-click unsubscribe address of a mail sent in series (a digest): sent as
    /// `List-Unsubscribe` with `List-Unsubscribe-Post` (RFC 8058).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub list_unsubscribe: Option<String>,
}

pub use transport::{Mailer, SendError};

/// A mail server's words without the addresses they quote (« 550 <paul@ville.fr>: … »):
/// what may be logged and kept in the jobs table once a mail has failed.
pub fn redact_addresses(text: &str) -> String {
    text.split_inclusive(char::is_whitespace)
        .map(|word| {
            if word.contains('@') {
                let end = &word[word.trim_end().len()..];
                format!("[adresse masquée]{end}")
            } else {
                word.to_string()
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    #[test]
    fn addresses_are_masked_in_server_replies() {
        assert_eq!(
            super::redact_addresses(
                "permanent error (550): 5.1.1 <paul@ville.fr>: mailbox unavailable"
            ),
            "permanent error (550): 5.1.1 [adresse masquée] mailbox unavailable"
        );
        assert_eq!(
            super::redact_addresses("connection refused"),
            "connection refused"
        );
    }
}
