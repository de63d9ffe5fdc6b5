//! The islands: the few interactive parts that hydrate (the home search box, the search
//! page, the authority chooser at sign-up). Every other page is server-rendered HTML and
//! loads no wasm at all.

use leptos::prelude::*;

/// The pages holding an island: only these get the hydration script.
pub const PAGES_WITH_ISLANDS: &[&str] = &["/", "/recherche", "/inscription"];

pub fn has_islands(path: &str) -> bool {
    PAGES_WITH_ISLANDS.contains(&path)
}

/// Called by each island: once it is hydrated, `<body data-hydrated="true">` (what tests
/// and styles wait for). Effects never run on the server.
pub fn mark_hydrated() {
    Effect::new(move |_| {
        if let Some(body) = document().body() {
            let _ = body.set_attribute("data-hydrated", "true");
        }
    });
}

#[cfg(test)]
mod tests {
    #[test]
    fn only_interactive_pages_load_the_wasm() {
        assert!(super::has_islands("/recherche"));
        assert!(!super::has_islands("/donnees"));
        assert!(!super::has_islands("/recherche/autre"));
    }
}
