//! sea-orm entities. Models never leave the `domain` crate: the edge gets DTOs.

pub mod audit_log;
pub mod authority;
pub mod job;
pub mod session;
pub mod user;
pub mod user_token;
