//! Every server function and who may call it, in one list. A test walks the functions the
//! server actually registers: one missing here fails it, and every `Admin` one is called by a
//! visitor, an approved member and a suspended administrator, who must all be refused with
//! nothing changed. Each function still checks its caller itself; this list is what the
//! tests hold them to.

/// Who a server function serves.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Access {
    /// Anyone (pages, search, sign-up, login, links from emails).
    Public,
    /// Signed-in members (their own account, declarations, contact requests).
    Member,
    /// Approved administrators only.
    Admin,
}

pub const ENDPOINTS: &[(&str, Access)] = &[
    // Public pages and forms.
    ("find_authorities", Access::Public),
    ("get_authority", Access::Public),
    ("get_authority_tools", Access::Public),
    ("get_peers", Access::Public),
    ("list_reviews", Access::Public),
    ("list_catalogue", Access::Public),
    ("list_datasets", Access::Public),
    ("get_statistics", Access::Public),
    ("software_map", Access::Public),
    ("get_software", Access::Public),
    ("search", Access::Public),
    ("suggest_software", Access::Public),
    ("list_authority_contacts", Access::Public),
    ("sign_up", Access::Public),
    ("verify_email", Access::Public),
    ("pending_sign_up", Access::Public),
    ("resend_verification", Access::Public),
    ("login", Access::Public),
    ("logout", Access::Public),
    ("get_me", Access::Public),
    ("request_password_reset", Access::Public),
    ("reset_password", Access::Public),
    ("confirm_email_change", Access::Public),
    ("erase_by_link", Access::Public),
    ("contact_opt_out", Access::Public),
    ("contact_block", Access::Public),
    ("contact_report", Access::Public),
    ("unsubscribe_digest", Access::Public),
    ("get_reminder_link", Access::Public),
    ("use_reminder_link", Access::Public),
    // The member's own account and authority.
    ("update_profile", Access::Member),
    ("change_password", Access::Member),
    ("change_email", Access::Member),
    ("delete_account", Access::Member),
    ("declare_usage", Access::Member),
    ("update_usage", Access::Member),
    ("confirm_usage", Access::Member),
    ("remove_usage", Access::Member),
    ("propose_software", Access::Member),
    ("get_contact_form", Access::Member),
    ("send_contact_request", Access::Member),
    ("preview_question", Access::Member),
    ("ask_referents", Access::Member),
    ("get_review_draft", Access::Member),
    ("save_review", Access::Member),
    ("withdraw_review", Access::Member),
    ("report_review", Access::Member),
    ("list_messages", Access::Member),
    ("block_sender", Access::Member),
    ("unblock_sender", Access::Member),
    ("report_request", Access::Member),
    ("set_contact_preference", Access::Member),
    ("report_profile", Access::Member),
    ("follow", Access::Member),
    ("unfollow", Access::Member),
    ("get_follows", Access::Member),
    ("set_digest_frequency", Access::Member),
    ("set_reminders", Access::Member),
    // Administration.
    ("list_pending_members", Access::Admin),
    ("list_reported_reviews", Access::Admin),
    ("moderate_review", Access::Admin),
    ("approve_member", Access::Admin),
    ("reject_member", Access::Admin),
    ("filter_members", Access::Admin),
    ("search_members", Access::Admin),
    ("suspend_member", Access::Admin),
    ("restore_member", Access::Admin),
    ("list_proposals", Access::Admin),
    ("approve_software", Access::Admin),
    ("reject_software", Access::Admin),
    ("merge_software", Access::Admin),
    ("filter_journal", Access::Admin),
    ("list_journal", Access::Admin),
    ("get_dashboard", Access::Admin),
    ("list_reports", Access::Admin),
    ("decide_report", Access::Admin),
    ("set_authority_standing", Access::Admin),
    ("set_authority_details", Access::Admin),
    ("get_member_file", Access::Admin),
    ("correct_member", Access::Admin),
    ("move_member", Access::Admin),
    ("set_member_admin", Access::Admin),
    ("delete_member", Access::Admin),
];

/// Who may call the server function at `/api/{endpoint}`, if it is listed.
pub fn access(endpoint: &str) -> Option<Access> {
    ENDPOINTS
        .iter()
        .find(|(name, _)| *name == endpoint)
        .map(|(_, a)| *a)
}
