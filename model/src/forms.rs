//! What the plain HTML forms post, one struct per form. Server functions take them
//! flattened (`#[server(flatten)]`), so the field names in the HTML stay flat (`status`,
//! not `usage[status]`) and a form without JavaScript posts exactly these fields. Only
//! strings: a flattened field is read back from text, and the domain validates it.

use serde::{Deserialize, Serialize};

/// A declaration of a tool: add, edit, or alongside a software proposal.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct UsageForm {
    pub status: String,
    pub since_year: String,
    pub version: String,
    pub notes: String,
    pub satisfaction: String,
    /// The checkbox « je suis référent » (present when ticked).
    #[serde(default)]
    pub referent: Option<String>,
    /// For an abandoned tool: what replaced it (a catalogue name), or empty.
    #[serde(default)]
    pub replaced_by: String,
}

/// Sign-up: who, which authority (its public id), and the commune typed to find it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SignupForm {
    pub email: String,
    pub password: String,
    pub first_name: String,
    pub last_name: String,
    #[serde(default)]
    pub position: Option<String>,
    pub job_title: String,
    #[serde(default)]
    pub authority: Option<String>,
    #[serde(default)]
    pub commune: Option<String>,
}

/// A member's public profile, edited by the member or corrected by an administrator.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProfileForm {
    pub first_name: String,
    pub last_name: String,
    pub job_title: String,
    pub phone: String,
    /// The checkbox « profil visible » (present when ticked).
    #[serde(default)]
    pub visible: Option<String>,
}

/// A contact request. French field names: they are the form's, and the recipient's id and
/// the software's slug also travel in the page's address.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContactForm {
    pub destinataire: String,
    #[serde(default)]
    pub logiciel: Option<String>,
    pub objet: String,
    pub message: String,
    #[serde(default)]
    pub consentement: Option<String>,
    /// The honeypot: people leave it empty.
    #[serde(default)]
    pub site_web: Option<String>,
    /// The sealed time the form was shown.
    #[serde(default)]
    pub debut: Option<String>,
}

/// Who a question to many referents is for: the tool and the narrowing (empty: any).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuestionScope {
    pub logiciel: String,
    #[serde(default)]
    pub region: String,
    #[serde(default)]
    pub departement: String,
    #[serde(default)]
    pub kind: String,
    #[serde(default)]
    pub population: String,
}

/// A question to every referent of a tool (the scope, then the text and the traps).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuestionForm {
    #[serde(flatten)]
    pub scope: QuestionScope,
    pub objet: String,
    pub message: String,
    #[serde(default)]
    pub consentement: Option<String>,
    #[serde(default)]
    pub site_web: Option<String>,
    #[serde(default)]
    pub debut: Option<String>,
}
