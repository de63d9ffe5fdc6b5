//! Passwords, secret tokens and the password policy.

pub mod password;
pub mod policy;
pub mod throttle;
pub mod token;
