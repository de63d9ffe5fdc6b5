//! The software catalogue: the shipped seed, browsing, proposals and their moderation.

pub mod cache;
pub mod moderation;
pub mod query;
pub mod reviews;
pub mod seed;

/// Splits a one-per-line text column.
pub fn lines(text: &str) -> Vec<String> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(str::to_string)
        .collect()
}
