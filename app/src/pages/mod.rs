//! One file per page.

mod account;
mod admin_dashboard;
mod admin_journal;
mod admin_members;
mod admin_software;
mod authority;
mod contact_links;
mod contact_new;
mod forgot_password;
mod home;
mod login;
mod messages;
mod not_found;
mod search;
mod signup;
mod software;
mod software_list;
mod token_pages;

pub use account::AccountPage;
pub use admin_dashboard::AdminDashboardPage;
pub use admin_journal::AdminJournalPage;
pub use admin_members::AdminMembersPage;
pub use admin_software::AdminSoftwarePage;
pub use authority::AuthorityPage;
pub use contact_links::{ContactBlockPage, ContactOptOutPage, ContactReportPage};
pub use contact_new::ContactNewPage;
pub use forgot_password::ForgotPasswordPage;
pub use home::HomePage;
pub use login::LoginPage;
pub use messages::MessagesPage;
pub use not_found::NotFoundPage;
pub use search::SearchPage;
pub use signup::{SignupPage, SignupSentPage};
pub use software::SoftwarePage;
pub use software_list::SoftwareListPage;
pub use token_pages::{ConfirmEmailPage, ResetPasswordPage, VerifyEmailPage};
