//! Pairs coming to its members: what happened to declarations (`events`, written in each
//! declaration's transaction), who follows which tool or category (`follows`), the digest
//! each follower gets at their frequency (`digest`, run by the worker) and the public Atom
//! feed of a tool (`feed`), and the reminders of declarations unconfirmed for a year
//! (`reminders`).

pub mod digest;
pub mod events;
pub mod feed;
pub mod follows;
pub mod reminders;

/// An authority as digests and feeds name it: « Istres (13) ».
pub(crate) fn named(a: &crate::entities::authority::Model) -> String {
    match &a.departement_code {
        Some(d) => format!("{} ({d})", a.name),
        None => a.name.clone(),
    }
}
