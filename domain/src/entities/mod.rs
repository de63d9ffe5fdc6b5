//! sea-orm entities. Models never leave the `domain` crate: the edge gets DTOs.

pub mod authority;
