//! Every integration suite of the server in one test binary: the server, its
//! dependencies and the harness are linked once instead of once per suite.
//! Each module is one suite; `cargo test -p server --test integration <module>::`
//! runs one of them.

#[macro_use]
mod common;

mod account_settings;
mod accounts;
mod admin_access;
mod api_v1;
mod catalogue;
mod contact;
mod export_memory;
mod lookup;
mod migrations;
mod open_data;
mod outage;
mod pages;
mod peers;
mod personal_data;
mod proxy;
mod question;
mod referential;
mod refused_forms_memory;
mod reindex;
mod reminders;
mod reviews;
mod search;
mod server_fn_status;
mod serving;
mod shared_state;
mod single_server;
mod soak;
mod topology;
mod watch;
mod worker;
