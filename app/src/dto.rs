//! Data exchanged between server functions and pages. Wasm-safe: plain serde types,
//! never entity models, never personal data unless the caller may see it.

use model::account::{AccountStatus, Position};
use model::authority::AuthorityKind;
use model::usage::UsageStatus;
use serde::{Deserialize, Serialize};

/// A link to an authority, with what a list shows about it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuthorityLink {
    pub public_id: String,
    pub name: String,
    pub kind: AuthorityKind,
    pub epci_type: Option<String>,
    pub departement_code: Option<String>,
    pub population: Option<i64>,
}

/// The authority page's data.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuthorityView {
    pub authority: AuthorityLink,
    pub siren: Option<String>,
    pub cog_code: Option<String>,
    pub postcodes: Vec<String>,
    pub departement: Option<AuthorityLink>,
    pub region: Option<AuthorityLink>,
    pub epci: Option<AuthorityLink>,
    pub children: Vec<AuthorityLink>,
    pub is_member: bool,
    /// Year the authority joined the network.
    pub member_since: Option<i32>,
    /// The same, as `AAAA-MM-JJ` (the administrators' form).
    pub member_since_date: Option<String>,
    /// Set by administrators.
    pub website: Option<String>,
    pub description: Option<String>,
    pub label_level: Option<i16>,
    pub label_year: Option<i32>,
}

/// One page of authorities found by name or code.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuthorityResults {
    pub query: String,
    pub page: u64,
    pub per_page: u64,
    pub total: u64,
    pub items: Vec<AuthorityLink>,
}

impl AuthorityResults {
    pub fn page_count(&self) -> u64 {
        self.total.div_ceil(self.per_page.max(1))
    }
}

/// What a refused form left for the page it returns to (kept on the server, read once
/// through a cookie; see `domain::security::flash`).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FlashView {
    /// The page (path, no query) it belongs to.
    pub path: String,
    pub error: String,
    pub values: Vec<(String, String)>,
}

/// One item the member follows.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FollowedView {
    pub target: model::watch::FollowTarget,
    pub slug: String,
    pub name: String,
}

/// What the member follows and how often their digest comes.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FollowsView {
    pub items: Vec<FollowedView>,
    pub frequency: model::watch::DigestFrequency,
    /// Approved members only follow.
    pub may_follow: bool,
    pub reminders_on: bool,
}

/// What a reminder's link does, for its page.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReminderLinkView {
    pub action: model::watch::ReminderAction,
    pub tool: String,
    pub authority: String,
    pub authority_public_id: String,
}

/// The signed-in member's own account (shown only to them).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MeView {
    pub first_name: String,
    pub last_name: String,
    pub email: String,
    pub position: Position,
    pub job_title: String,
    pub phone: Option<String>,
    pub visible: bool,
    pub status: AccountStatus,
    pub is_admin: bool,
    pub authority: Option<AuthorityLink>,
    /// False once the member opted out of contact requests.
    pub accepts_contact: bool,
}

/// An account waiting for an administrator's decision (admins only).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PendingMemberView {
    pub id: i32,
    pub name: String,
    pub email: String,
    pub position: Position,
    pub job_title: String,
    pub authority_name: Option<String>,
    pub authority_public_id: Option<String>,
    /// "29/11/2026"
    pub requested_on: String,
}

/// A software in the catalogue list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SoftwareItem {
    pub slug: String,
    pub name: String,
    pub is_free: bool,
    pub proposed: bool,
    pub description: String,
    pub users: u64,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CategoryView {
    pub slug: String,
    pub name: String,
    pub software: Vec<SoftwareItem>,
    /// Whether the viewer follows the category (`None`: the viewer may not follow).
    pub viewer_follows: Option<bool>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SoftwareUserView {
    pub authority: AuthorityLink,
    pub status: UsageStatus,
    pub since_year: Option<i32>,
}

/// A member who accepts to be contacted about a software (members only; no address).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReferentView {
    /// Set when the viewer may write to this referent (`/contact/nouveau?destinataire=`).
    pub contact_id: Option<i32>,
    pub name: String,
    pub job_title: String,
    pub authority_name: String,
    pub authority_public_id: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SoftwareView {
    pub slug: String,
    pub name: String,
    pub proposed: bool,
    pub aliases: Vec<String>,
    pub similar_names: Vec<String>,
    pub category: Option<String>,
    pub description: String,
    pub website: Option<String>,
    pub licence: Option<String>,
    pub is_free: bool,
    pub wikidata: Option<String>,
    pub sill_id: Option<String>,
    pub comptoir_id: Option<String>,
    pub users: Vec<SoftwareUserView>,
    pub counts: Vec<(UsageStatus, u64)>,
    pub viewer_is_member: bool,
    pub referents: Vec<ReferentView>,
    /// Whether the viewer follows the tool (`None`: the viewer may not follow).
    pub viewer_follows: Option<bool>,
}

/// One declaration on an authority page.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct UsageView {
    pub id: i32,
    pub software_slug: String,
    pub software_name: String,
    pub software_proposed: bool,
    pub status: UsageStatus,
    pub since_year: Option<i32>,
    pub version: Option<String>,
    pub notes: Option<String>,
    pub satisfaction: Option<i16>,
    /// "29/11/2026"
    pub confirmed_on: String,
    pub stale: bool,
    /// After unanswered reminders: months without confirmation.
    pub unconfirmed_months: Option<i64>,
    pub viewer_is_referent: bool,
    pub referents: u64,
    /// For an abandoned tool: the name of what replaced it, when said.
    pub replaced_by: Option<String>,
}

/// The tools section of an authority page, with what the viewer may do.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuthorityTools {
    pub usages: Vec<UsageView>,
    /// True for approved members of this authority.
    pub can_edit: bool,
    /// (slug, name) of approved software, for the declaration form (only when `can_edit`).
    pub choices: Vec<(String, String)>,
    /// (slug, name) of categories, for the proposal form (only when `can_edit`).
    pub categories: Vec<(String, String)>,
    /// True for administrators: the network membership and label form.
    pub can_administer: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProposalView {
    pub slug: String,
    pub name: String,
    pub website: Option<String>,
    pub proposed_on: String,
}

/// What `/logiciels/{slug}` finds.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum SoftwareLookup {
    Found(Box<SoftwareView>),
    /// Merged into another entry: the page moved to this slug.
    Moved(String),
    Missing,
}

/// A search facet value with its label and count.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FacetValue {
    pub value: String,
    pub label: String,
    pub count: u64,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MatchedToolView {
    pub slug: String,
    pub name: String,
    pub status: UsageStatus,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SearchHitView {
    pub id: String,
    pub name: String,
    pub kind_label: String,
    pub departement: Option<String>,
    pub departement_name: Option<String>,
    pub region_name: Option<String>,
    pub population: Option<i64>,
    pub is_member: bool,
    pub label_level: Option<i16>,
    pub matched_tools: Vec<MatchedToolView>,
    pub contactable_members: u32,
}

/// One page of search results with its facets, as `/recherche` shows it.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct SearchView {
    pub total: u64,
    pub page: u64,
    pub per_page: u64,
    pub hits: Vec<SearchHitView>,
    /// (facet name, values), in display order.
    pub facets: Vec<(String, Vec<FacetValue>)>,
    pub processing_time_ms: f64,
    /// Catalogue names close to the query, offered when nothing matched.
    pub suggestions: Vec<(String, String)>,
}

/// A member one may write to (never their address).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PeerView {
    pub id: i32,
    pub name: String,
    pub job_title: String,
    pub authority_name: String,
    pub authority_public_id: String,
}

/// What the contact form needs.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContactFormView {
    /// `None` when this member cannot receive requests (the page says so).
    pub recipient: Option<PeerView>,
    /// (slug, name) of the catalogue's software.
    pub software: Vec<(String, String)>,
    /// The sealed time the form was shown.
    pub stamp: String,
    /// The limits, as the form states them.
    pub subject_max: usize,
    pub message_max: usize,
}

/// One request on `/compte/messages`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MessageView {
    pub id: i64,
    pub sent_by_me: bool,
    pub other_id: Option<i32>,
    pub other_name: Option<String>,
    pub other_authority: Option<String>,
    pub software: Option<(String, String)>,
    pub subject: String,
    /// "pending", "sent" or "failed".
    pub status: String,
    pub status_label: String,
    pub failure_reason: Option<String>,
    /// "29/11/2026"
    pub sent_on: String,
    pub sender_blocked: bool,
    /// A question the viewer asked many referents: each recipient and their state.
    pub question: Vec<QuestionRecipientView>,
}

/// One recipient of a question to many referents (never an address).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuestionRecipientView {
    pub name: Option<String>,
    pub authority: Option<String>,
    pub status_label: String,
    pub failure_reason: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MessagesView {
    pub page: u64,
    pub has_next: bool,
    pub items: Vec<MessageView>,
}

/// One member in the administrators' list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MemberRowView {
    pub id: i32,
    pub name: String,
    pub email: String,
    pub job_title: String,
    pub status: AccountStatus,
    pub is_admin: bool,
    pub authority_name: Option<String>,
    pub authority_public_id: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MemberPageView {
    /// The searched text, read back from its saved filter (never from the URL).
    pub query: String,
    pub total: u64,
    pub page: u64,
    pub pages: u64,
    pub rows: Vec<MemberRowView>,
}

/// One journal line on `/admin/journal`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct JournalEntryView {
    /// "29/11/2026 10:05 UTC"
    pub at: String,
    pub actor: Option<String>,
    pub action: String,
    pub target: String,
    pub reason: Option<String>,
    pub ip: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct JournalPageView {
    /// The author's address filtered on, read back from its saved filter.
    pub actor_filter: String,
    pub total: u64,
    pub page: u64,
    pub pages: u64,
    pub entries: Vec<JournalEntryView>,
}

/// `/admin`: what the directory holds and what waits for the administrators.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DashboardView {
    /// (status code, French label, count)
    pub members: Vec<(String, String, u64)>,
    pub network_members: u64,
    pub declarations: u64,
    pub software: u64,
    pub pending_members: u64,
    pub proposals: u64,
    pub open_reports: u64,
    pub mail_queued: u64,
    pub mail_failed: u64,
}

/// One reported contact request in the moderators' queue (administrators see the sender's
/// address: they may need to write to them).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReportView {
    pub id: i64,
    /// "request" (a contact request) or "profile" (a member's profile).
    pub kind: String,
    pub reason: String,
    pub subject: String,
    pub message: String,
    pub sender_name: Option<String>,
    pub sender_email: Option<String>,
    pub reporter_name: Option<String>,
    /// "29/11/2026"
    pub reported_on: String,
}

/// A member's file on `/admin/membres/{id}`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MemberFileView {
    pub id: i32,
    pub first_name: String,
    pub last_name: String,
    pub email: String,
    pub job_title: String,
    pub phone: Option<String>,
    pub visible: bool,
    pub status: AccountStatus,
    pub is_admin: bool,
    /// (public id, name)
    pub authority: Option<(String, String)>,
    /// (software, status label)
    pub declarations: Vec<(String, String)>,
    pub referent_of: Vec<String>,
    pub requests_sent: u64,
    pub requests_received: u64,
    /// (when, action, reason)
    pub journal: Vec<(String, String, Option<String>)>,
}

/// One open-data table on `/donnees`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DatasetView {
    /// File stem under `/donnees/`.
    pub name: String,
    pub title: String,
    pub rows: u64,
    /// Last change, `AAAA-MM-JJ`.
    pub updated: Option<String>,
    /// (column, meaning)
    pub columns: Vec<(String, String)>,
}

/// One bar of a chart on `/statistiques`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CountView {
    pub key: String,
    pub label: String,
    pub count: u64,
}

/// The most used tools of one category.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CategoryTopView {
    pub key: String,
    pub label: String,
    pub tools: Vec<CountView>,
}

/// How a département is drawn: an SVG path, or an inset box (x, y, width, height).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum OutlineView {
    Path(String),
    Inset([u16; 4]),
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MapAreaView {
    pub code: String,
    pub name: String,
    pub outline: OutlineView,
    pub count: u64,
    /// 0 (none) to 4 (most).
    pub shade: u8,
}

/// The départements shaded by a count.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MapView {
    pub view_box: String,
    pub areas: Vec<MapAreaView>,
    /// (shade, lowest count, highest count)
    pub legend: Vec<(u8, u64, u64)>,
    /// The geometry's credit line.
    pub credit: String,
}

/// Everything `/statistiques` shows.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StatisticsView {
    pub member_authorities: u64,
    pub members: u64,
    pub active_authorities: u64,
    pub declarations: u64,
    pub authorities_by_kind: Vec<CountView>,
    pub authorities_by_region: Vec<CountView>,
    pub declarations_by_status: Vec<CountView>,
    pub top_tools: Vec<CountView>,
    pub top_tools_by_category: Vec<CategoryTopView>,
    pub adoption_by_year: Vec<CountView>,
    pub free_share: Vec<CountView>,
    pub freshness: Vec<CountView>,
    /// Authorities with a tool in use, by département.
    pub map: MapView,
}

/// Who a verification link signs up, and for which authority: shown before its button,
/// so whoever opens it sees what they confirm. Only to the holder of the link.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PendingSignUpView {
    pub name: String,
    pub authority: String,
}

/// « Vos pairs » (`/collectivites/{id}/pairs`): the authorities most comparable to one,
/// what they run most and what they left. Never a person.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PeersView {
    pub public_id: String,
    pub name: String,
    /// The viewer is an approved member of this authority: tools it has not declared are
    /// offered to declare.
    pub can_declare: bool,
    pub peers: Vec<PeerAuthorityView>,
    pub most_used: Vec<ToolShareView>,
    pub abandoned: Vec<ToolShareView>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PeerAuthorityView {
    pub authority: AuthorityLink,
    pub departement_name: Option<String>,
    /// Names of the tools it has in use.
    pub tools: Vec<String>,
}

/// A tool and how many of the peers run (or left) it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ToolShareView {
    pub slug: String,
    pub name: String,
    pub count: u32,
    pub declared_here: bool,
    /// For an abandoned tool: (slug, name, how many peers say it replaced it).
    pub moved_to: Vec<(String, String, u32)>,
}

/// The question-to-referents page: the scope chosen, who it would reach (a count) and who
/// it leaves out and why (counts), never who.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuestionPreviewView {
    pub software_slug: String,
    pub software_name: String,
    pub recipients: u32,
    pub max_recipients: u32,
    pub opted_out: u32,
    pub blocked: u32,
    pub over_limit: u32,
    pub own_authority: u32,
    pub unreachable: u32,
    /// (code, name), by name.
    pub regions: Vec<(String, String)>,
    pub departements: Vec<(String, String)>,
    /// The sealed time the form was shown.
    pub stamp: String,
    pub subject_max: usize,
    pub message_max: usize,
}

/// « Retours d'expérience » on a software page.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReviewsView {
    pub reviews: Vec<ReviewView>,
    /// Approved members may report a retour and write their authority's.
    pub viewer_is_member: bool,
    pub viewer_is_admin: bool,
}

/// One retour, signed by its authority.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReviewView {
    pub id: i32,
    pub authority_public_id: String,
    pub authority_name: String,
    pub text: String,
    /// "29/11/2026"
    pub updated_on: String,
}

/// The retour page: the member's authority's retour on a tool.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReviewDraftView {
    pub software_slug: String,
    pub software_name: String,
    pub authority_name: String,
    pub declared: bool,
    pub text: Option<String>,
    pub hidden: bool,
    pub max: usize,
}

/// A reported retour on the administrators' reports page.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReportedReviewView {
    pub id: i32,
    pub software_slug: String,
    pub software_name: String,
    pub authority_name: String,
    pub text: String,
    pub reason: String,
    pub reported_on: String,
}
