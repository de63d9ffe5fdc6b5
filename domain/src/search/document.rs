//! The searchable document of one authority.

use serde::{Deserialize, Serialize};

/// A tool an authority declared, with the words that should find it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ToolDoc {
    pub slug: String,
    pub name: String,
    pub aliases: Vec<String>,
    pub similar: Vec<String>,
    pub category: Option<String>,
    pub category_name: Option<String>,
    /// The words of its category it carries itself (`matching::carried_category_words`):
    /// they rank it as its aliases do, above tools that only share the category.
    #[serde(default)]
    pub keywords: Vec<String>,
    pub status: String,
    /// For an abandoned tool: the slug and name of what replaced it, when said.
    #[serde(default)]
    pub replaced_by: Option<(String, String)>,
    /// Folded words of the names above, computed once (`AuthorityDoc::prepare`).
    #[serde(skip)]
    pub words: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuthorityDoc {
    /// Database row id (stable key inside the engines).
    pub key: u64,
    pub id: String,
    pub name: String,
    pub kind: String,
    pub departement: Option<String>,
    pub departement_name: Option<String>,
    pub region: Option<String>,
    pub region_name: Option<String>,
    pub population: Option<i64>,
    pub population_band: String,
    pub is_member: bool,
    pub label_level: Option<i16>,
    pub postcodes: Vec<String>,
    /// COG code and SIREN, so codes find the authority too.
    #[serde(default)]
    pub codes: Vec<String>,
    pub tools: Vec<ToolDoc>,
    /// The key of the commune's EPCI (for « Vos pairs »; absent from documents indexed
    /// before it was added).
    #[serde(default)]
    pub epci: Option<u64>,
    /// Approved members with a visible profile (a count, never who).
    pub contactable_members: u32,
    /// Folded words of the identity, computed once (`prepare`).
    #[serde(skip)]
    pub identity_words: Vec<String>,
}

/// A catalogue entry, for suggestions while typing.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SoftwareDoc {
    pub slug: String,
    pub name: String,
    pub aliases: Vec<String>,
    pub similar: Vec<String>,
    /// The category's slug (absent from documents indexed before it was added).
    #[serde(default)]
    pub category: Option<String>,
    pub category_name: Option<String>,
    /// How many authorities declared it (more used first).
    pub users: u64,
}

impl AuthorityDoc {
    /// Computes the folded words used for matching, so searches do not redo it.
    pub fn prepare(mut self) -> Self {
        self.identity_words = crate::text::words(&self.identity_text());
        for t in &mut self.tools {
            t.words = t.compute_words();
        }
        self
    }

    /// Text that finds the authority itself (name, codes).
    pub fn identity_text(&self) -> String {
        let mut t = self.name.clone();
        for p in self.postcodes.iter().chain(&self.codes) {
            t.push(' ');
            t.push_str(p);
        }
        t
    }

    /// Names of its tools.
    pub fn tools_text(&self) -> String {
        self.tools
            .iter()
            .map(|t| t.name.as_str())
            .collect::<Vec<_>>()
            .join(" ")
    }

    /// Aliases, similar names and categories of its tools.
    pub fn related_text(&self) -> String {
        let mut parts = Vec::new();
        for t in &self.tools {
            parts.extend(t.aliases.iter().map(String::as_str));
            parts.extend(t.similar.iter().map(String::as_str));
            if let Some(c) = &t.category_name {
                parts.push(c);
            }
        }
        parts.join(" ")
    }
}

impl ToolDoc {
    /// The folded words that find this tool: its name, aliases, similar names, category.
    pub fn compute_words(&self) -> Vec<String> {
        let mut all = crate::text::words(&self.name);
        for t in self.aliases.iter().chain(&self.similar) {
            all.extend(crate::text::words(t));
        }
        if let Some(c) = &self.category_name {
            all.extend(crate::text::words(c));
        }
        all
    }
}
