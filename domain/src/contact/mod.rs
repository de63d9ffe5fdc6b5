//! Contact requests: an approved member writes to a peer through Pairs. The message is
//! relayed by email from the platform's address with `Reply-To` set to the sender, so the
//! recipient answers directly and the sender never learns the recipient's address.
//!
//! - `send`: the checks (limits, honeypot, fill time, lengths, who may send and receive)
//!   and the request written with its mail in one transaction;
//! - `delivery`: the worker records each request's outcome;
//! - `actions`: opt-out, blocks and reports, from the email's links or the member's pages;
//! - `question`: one question to every referent of a tool, one request per recipient;
//! - `history`: what `/compte/messages` lists; `erase` on account deletion.

pub mod actions;
pub mod delivery;
pub mod history;
pub mod question;
pub mod recipients;
pub mod reports;
pub mod send;
pub mod stamp;

pub const SUBJECT_MAX: usize = 200;
pub const MESSAGE_MAX: usize = 5000;
pub const REPORT_REASON_MAX: usize = 1000;
