//! Pieces of view shared by several pages.

pub mod admin_nav;
pub mod authority_finder;
pub mod authority_list;
pub mod charts;
pub mod failure;
pub mod fields;
pub mod flash;
pub mod follow;
pub mod france_map;
pub mod islands;
pub mod layout;
pub mod reviews;
pub mod tools;
