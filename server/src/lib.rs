//! The `pairs` process: configuration, wiring, HTTP edges and the command line.

pub mod api;
pub mod cli;
pub mod commands;
pub mod export;
pub mod flash;
pub mod health;
pub mod listener;
pub mod metrics;
pub mod open_data;
pub mod router;
pub mod security;
pub mod server_fn_status;
pub mod static_files;
pub mod telemetry;
pub mod watch;
