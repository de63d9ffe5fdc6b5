//! Pairs' vocabulary, shared by the server and the browser (wasm-safe: serde only, unless
//! the server turns on `orm` for the sea-orm derives and `openapi` for the API's schema).
//! Every stored status or kind is declared here once, with its stored word and its French
//! label (`stored_enum!`); the search parameters are parsed here once, typed; and each plain
//! HTML form's fields are one struct (`forms`).

#[macro_use]
mod stored;

pub mod account;
pub mod authority;
pub mod contact;
pub mod forms;
pub mod job;
pub mod population;
pub mod saved_filter;
pub mod search;
pub mod software;
pub mod usage;
pub mod watch;
