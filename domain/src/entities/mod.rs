//! sea-orm entities. Models never leave the `domain` crate: the edge gets DTOs. The stored
//! enums their columns hold are declared once in the `model` crate, which the browser
//! shares.

pub mod app_secret;
pub mod audit_log;
pub mod authority;
pub mod category;
pub mod contact_block;
pub mod contact_link;
pub mod contact_report;
pub mod contact_request;
pub mod declaration_event;
pub mod follow;
pub mod job;
pub mod profile_report;
pub mod reminder_link;
pub mod saved_filter;
pub mod session;
pub mod software;
pub mod software_review;
pub mod usage;
pub mod usage_referent;
pub mod used_form_stamp;
pub mod user;
pub mod user_token;
