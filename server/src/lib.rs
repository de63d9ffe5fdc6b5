//! The `pairs` process: configuration, wiring, HTTP edges and the command line.

pub mod cli;
pub mod commands;
pub mod health;
pub mod router;
pub mod telemetry;
