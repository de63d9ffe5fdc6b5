//! The national referential of local authorities, from the npm package
//! `@etalab/decoupage-administratif` (pinned version below).
//!
//! Public identifiers are derived once, at first import, and never change afterwards:
//! `com-{COG}` for communes, `epci-{SIREN}` for EPCI, `dep-{code}` for départements and
//! `reg-{code}` for régions. Rows are matched on later imports by SIREN when the entry has
//! one, otherwise by kind and COG code, so a commune that gains a SIREN keeps its page.

mod fetch;
mod import;
mod source;

pub use fetch::{PACKAGE_NAME, PACKAGE_VERSION, fetch_pinned_package};
pub use import::{ImportSummary, KindCounts, import};
pub use source::{AuthorityRecord, Referential};
