//! The wasm entry point. Pages are server-rendered HTML; only the islands hydrate
//! (`app::components::islands`), each through the function the islands macro exports
//! from the `app` crate.

#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    // Links the `app` crate, whose islands are this module's other exports.
    std::hint::black_box(app::components::islands::PAGES_WITH_ISLANDS);
    leptos::mount::hydrate_islands();
}
