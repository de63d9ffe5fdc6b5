//! Passwords, secret tokens and the password policy.

pub mod client;
pub mod flash;
pub mod limits;
pub mod password;
pub mod policy;
pub mod secrets;
pub mod synced_limits;
pub mod throttle;
pub mod token;
