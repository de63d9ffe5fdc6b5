//! `declarations`: which authority runs which tool, how, since when — never a person.

use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, FromQueryResult, QueryFilter, QueryOrder,
    QuerySelect,
};
use serde::Serialize;

use sea_orm::prelude::DateTimeUtc;

use super::{PAGE, Table};
use crate::entities::{authority, software, usage};
use crate::error::DomainResult;
use model::software::SoftwareStatus;

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

/// What a page of the export reads: one joined row per declaration, only the columns
/// published (whole rows of the three tables came to 17 MB more peak memory at 40,000).
#[derive(Debug, FromQueryResult)]
struct Joined {
    id: i32,
    authority_public_id: String,
    authority_name: String,
    authority_kind: model::authority::AuthorityKind,
    cog_code: Option<String>,
    siren: Option<String>,
    software_slug: String,
    software_name: String,
    software_status: SoftwareStatus,
    status: model::usage::UsageStatus,
    since_year: Option<i32>,
    version: Option<String>,
    last_confirmed_at: DateTimeUtc,
}

/// The declarations with an id above `after`, at most `PAGE` of them, in id order, and the
/// last id read (to ask for the next page). Entries merged away are skipped.
pub async fn declarations_after(
    db: &impl ConnectionTrait,
    after: i32,
) -> DomainResult<(Vec<DeclarationRow>, Option<i32>)> {
    let joined = usage::Entity::find()
        .select_only()
        .column(usage::Column::Id)
        .column_as(authority::Column::PublicId, "authority_public_id")
        .column_as(authority::Column::Name, "authority_name")
        .column_as(authority::Column::Kind, "authority_kind")
        .column(authority::Column::CogCode)
        .column(authority::Column::Siren)
        .column_as(software::Column::Slug, "software_slug")
        .column_as(software::Column::Name, "software_name")
        .column_as(software::Column::Status, "software_status")
        .column(usage::Column::Status)
        .column(usage::Column::SinceYear)
        .column(usage::Column::Version)
        .column(usage::Column::LastConfirmedAt)
        .inner_join(authority::Entity)
        .inner_join(software::Entity)
        .filter(usage::Column::Id.gt(after))
        .order_by_asc(usage::Column::Id)
        .limit(PAGE)
        .into_model::<Joined>()
        .all(db)
        .await?;
    let last = joined.last().map(|j| j.id);
    let rows = joined
        .into_iter()
        .filter(|j| j.software_status != SoftwareStatus::Merged)
        .map(|j| DeclarationRow {
            collectivite: j.authority_public_id,
            collectivite_nom: j.authority_name,
            collectivite_type: j.authority_kind.as_str(),
            code_insee: j.cog_code,
            siren: j.siren,
            logiciel: j.software_slug,
            logiciel_nom: j.software_name,
            statut: j.status.as_str(),
            depuis: j.since_year,
            version: j.version,
            confirmee_le: j.last_confirmed_at.format("%Y-%m-%d").to_string(),
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
