//! One file per page.

mod authority;
mod home;
mod lookup;
mod not_found;

pub use authority::AuthorityPage;
pub use home::HomePage;
pub use lookup::LookupPage;
pub use not_found::NotFoundPage;
