//! `declarations`: which authority runs which tool, how, since when — never a person.

use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use serde::Serialize;

use sea_orm::prelude::DateTimeUtc;

use super::{PAGE, Table};
use crate::entities::usage;
use crate::error::DomainResult;

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
            (s.status != model::software::SoftwareStatus::Merged).then(|| DeclarationRow {
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

pub struct Declarations;

impl Table for Declarations {
    type Row = DeclarationRow;
    const NAME: &'static str = "declarations";
    const TITLE: &'static str =
        "Déclarations : quelle collectivité utilise quel logiciel, et comment";
    const COLUMNS: &'static [&'static str] = &DeclarationRow::COLUMNS;
    const DESCRIPTIONS: &'static [&'static str] = &[
        "Identifiant Pairs de la collectivité (ex. com-13047)",
        "Nom de la collectivité",
        "Type : commune, epci, departement ou region",
        "Code officiel géographique (INSEE), vide pour un EPCI",
        "Numéro SIREN",
        "Identifiant du logiciel dans le catalogue (voir logiciels.csv)",
        "Nom du logiciel",
        "Statut : in_use (en service), evaluating (à l'essai), planned (prévu), abandoned (abandonné)",
        "Année de mise en service, si elle est connue",
        "Version déclarée, si elle est connue",
        "Date de la dernière confirmation par la collectivité (AAAA-MM-JJ)",
    ];

    fn values(row: &DeclarationRow) -> Vec<String> {
        row.values().to_vec()
    }

    async fn page_after(
        db: &sea_orm::DatabaseConnection,
        after: i32,
    ) -> DomainResult<(Vec<DeclarationRow>, Option<i32>)> {
        declarations_after(db, after).await
    }

    async fn extent(db: &sea_orm::DatabaseConnection) -> DomainResult<(u64, Option<DateTimeUtc>)> {
        use sea_orm::PaginatorTrait;
        let rows = usage::Entity::find().count(db).await?;
        let updated = super::latest(db, usage::Entity::find(), usage::Column::UpdatedAt).await?;
        Ok((rows, updated))
    }
}
