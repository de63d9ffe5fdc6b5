//! Open data: the network's declarations as public rows (which authority runs which tool,
//! how, since when), never a person. Read in pages by id, so an export of any size holds
//! one page in memory at a time.

use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use serde::Serialize;

use crate::entities::usage;
use crate::error::DomainResult;

/// How many declarations one page reads.
pub const PAGE: u64 = 1_000;

/// One declaration, as published.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct DeclarationRow {
    pub collectivite: String,
    pub collectivite_nom: String,
    pub collectivite_type: &'static str,
    pub code_insee: Option<String>,
    pub siren: Option<String>,
    pub logiciel: String,
    pub logiciel_nom: String,
    pub statut: &'static str,
    pub depuis: Option<i32>,
    pub version: Option<String>,
    pub confirmee_le: String,
}

impl DeclarationRow {
    /// The column names, in the order of `values` (the CSV header).
    pub const COLUMNS: [&'static str; 11] = [
        "collectivite",
        "collectivite_nom",
        "collectivite_type",
        "code_insee",
        "siren",
        "logiciel",
        "logiciel_nom",
        "statut",
        "depuis",
        "version",
        "confirmee_le",
    ];

    pub fn values(&self) -> [String; 11] {
        [
            self.collectivite.clone(),
            self.collectivite_nom.clone(),
            self.collectivite_type.to_string(),
            self.code_insee.clone().unwrap_or_default(),
            self.siren.clone().unwrap_or_default(),
            self.logiciel.clone(),
            self.logiciel_nom.clone(),
            self.statut.to_string(),
            self.depuis.map(|y| y.to_string()).unwrap_or_default(),
            self.version.clone().unwrap_or_default(),
            self.confirmee_le.clone(),
        ]
    }
}

/// The declarations with an id above `after`, at most `PAGE` of them, in id order, and the
/// last id read (to ask for the next page). Entries merged away are skipped.
pub async fn declarations_after(
    db: &impl ConnectionTrait,
    after: i32,
) -> DomainResult<(Vec<DeclarationRow>, Option<i32>)> {
    let usages = usage::Entity::find()
        .filter(usage::Column::Id.gt(after))
        .order_by_asc(usage::Column::Id)
        .limit(PAGE)
        .all(db)
        .await?;
    let last = usages.last().map(|u| u.id);
    let authorities = crate::authorities::by_ids(db, usages.iter().map(|u| u.authority_id)).await?;
    let software =
        crate::catalogue::query::software_by_ids(db, usages.iter().map(|u| u.software_id)).await?;
    let rows = usages
        .into_iter()
        .filter_map(|u| {
            let a = authorities.get(&u.authority_id)?;
            let s = software.get(&u.software_id)?;
            (s.status != crate::catalogue::SoftwareStatus::Merged).then(|| DeclarationRow {
                collectivite: a.public_id.clone(),
                collectivite_nom: a.name.clone(),
                collectivite_type: a.kind.as_str(),
                code_insee: a.cog_code.clone(),
                siren: a.siren.clone(),
                logiciel: s.slug.clone(),
                logiciel_nom: s.name.clone(),
                statut: u.status.as_str(),
                depuis: u.since_year,
                version: u.version,
                confirmee_le: u.last_confirmed_at.format("%Y-%m-%d").to_string(),
            })
        })
        .collect();
    Ok((rows, last))
}

/// One CSV line (comma-separated, RFC 4180 quoting, CRLF).
pub fn csv_line<S: AsRef<str>>(fields: &[S]) -> String {
    let mut line = String::new();
    for (i, f) in fields.iter().enumerate() {
        if i > 0 {
            line.push(',');
        }
        let f = f.as_ref();
        if f.contains([',', '"', '\n', '\r']) {
            line.push('"');
            line.push_str(&f.replace('"', "\"\""));
            line.push('"');
        } else {
            line.push_str(f);
        }
    }
    line.push_str("\r\n");
    line
}

#[cfg(test)]
mod tests {
    use super::csv_line;

    #[test]
    fn csv_quotes_what_needs_it() {
        assert_eq!(csv_line(&["a", "b c"]), "a,b c\r\n");
        assert_eq!(
            csv_line(&["Aix, Marseille", "dit \"x\"", "l1\nl2"]),
            "\"Aix, Marseille\",\"dit \"\"x\"\"\",\"l1\nl2\"\r\n"
        );
    }
}
