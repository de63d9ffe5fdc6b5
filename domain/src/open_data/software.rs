//! `logiciels`: the catalogue (every entry not merged away; `valide` says whether the
//! administrators approved it or it is a member's proposal) with their identifiers elsewhere and how
//! many authorities declared each, by status.

use std::collections::HashMap;

use sea_orm::prelude::DateTimeUtc;
use sea_orm::{
    ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
    sea_query::{Expr, ExprTrait},
};
use serde::Serialize;

use super::{PAGE, Table, flag, opt};
use crate::entities::{category, software, usage};
use crate::error::DomainResult;
use model::software::SoftwareStatus;
use model::usage::UsageStatus;

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct SoftwareRow {
    pub logiciel: String,
    pub nom: String,
    pub categorie: Option<String>,
    pub valide: bool,
    pub libre: bool,
    pub licence: Option<String>,
    pub site: Option<String>,
    pub wikidata: Option<String>,
    pub sill: Option<String>,
    pub comptoir_du_libre: Option<String>,
    pub en_service: i64,
    pub en_evaluation: i64,
    pub prevu: i64,
    pub abandonne: i64,
}

pub struct Software;

impl Table for Software {
    type Row = SoftwareRow;
    const NAME: &'static str = "logiciels";
    const TITLE: &'static str =
        "Logiciels du catalogue, avec leurs identifiants et leurs utilisateurs";
    const DESCRIPTIONS: &'static [&'static str] = &[
        "Identifiant du logiciel dans le catalogue",
        "Nom du logiciel",
        "Identifiant de la catégorie (ex. sig, bureautique)",
        "true si validé par l'équipe, false si proposé par un membre et en attente",
        "true pour un logiciel libre",
        "Licence (identifiant SPDX quand il existe)",
        "Site officiel",
        "Identifiant Wikidata (ex. Q698)",
        "Identifiant dans le Socle interministériel de logiciels libres (SILL)",
        "Identifiant sur Comptoir du Libre",
        "Nombre de collectivités qui l'ont en service",
        "Nombre de collectivités qui l'essaient",
        "Nombre de collectivités qui le prévoient",
        "Nombre de collectivités qui l'ont abandonné",
    ];
    const COLUMNS: &'static [&'static str] = &[
        "logiciel",
        "nom",
        "categorie",
        "valide",
        "libre",
        "licence",
        "site",
        "wikidata",
        "sill",
        "comptoir_du_libre",
        "en_service",
        "en_evaluation",
        "prevu",
        "abandonne",
    ];

    fn values(r: &SoftwareRow) -> Vec<String> {
        vec![
            r.logiciel.clone(),
            r.nom.clone(),
            opt(&r.categorie),
            flag(r.valide),
            flag(r.libre),
            opt(&r.licence),
            opt(&r.site),
            opt(&r.wikidata),
            opt(&r.sill),
            opt(&r.comptoir_du_libre),
            r.en_service.to_string(),
            r.en_evaluation.to_string(),
            r.prevu.to_string(),
            r.abandonne.to_string(),
        ]
    }

    async fn page_after(
        db: &DatabaseConnection,
        after: i32,
    ) -> DomainResult<(Vec<SoftwareRow>, Option<i32>)> {
        let entries = software::Entity::find()
            .filter(software::Column::Id.gt(after))
            .order_by_asc(software::Column::Id)
            .limit(PAGE)
            .all(db)
            .await?;
        let last = entries.last().map(|s| s.id);
        Ok((rows_of(db, entries).await?, last))
    }

    async fn extent(db: &DatabaseConnection) -> DomainResult<(u64, Option<DateTimeUtc>)> {
        use sea_orm::PaginatorTrait;
        let live =
            || software::Entity::find().filter(software::Column::Status.ne(SoftwareStatus::Merged));
        let rows = live().count(db).await?;
        let updated = super::latest(db, live(), software::Column::UpdatedAt).await?;
        Ok((rows, updated))
    }
}

/// The rows of these catalogue entries (merged ones left out), with their counts.
async fn rows_of(
    db: &DatabaseConnection,
    entries: Vec<software::Model>,
) -> DomainResult<Vec<SoftwareRow>> {
    let categories: HashMap<i32, String> = category::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .map(|c| (c.id, c.slug))
        .collect();
    let counts: HashMap<(i32, UsageStatus), i64> = usage::Entity::find()
        .select_only()
        .column(usage::Column::SoftwareId)
        .column(usage::Column::Status)
        .column_as(Expr::col(usage::Column::Id).count(), "n")
        .filter(usage::Column::SoftwareId.is_in(entries.iter().map(|s| s.id)))
        .group_by(usage::Column::SoftwareId)
        .group_by(usage::Column::Status)
        .into_tuple::<(i32, UsageStatus, i64)>()
        .all(db)
        .await?
        .into_iter()
        .map(|(id, status, n)| ((id, status), n))
        .collect();
    let count = |id: i32, status| counts.get(&(id, status)).copied().unwrap_or(0);
    let rows = entries
        .into_iter()
        .filter(|s| s.status != SoftwareStatus::Merged)
        .map(|s| SoftwareRow {
            valide: s.status == SoftwareStatus::Approved,
            en_service: count(s.id, UsageStatus::InUse),
            en_evaluation: count(s.id, UsageStatus::Evaluating),
            prevu: count(s.id, UsageStatus::Planned),
            abandonne: count(s.id, UsageStatus::Abandoned),
            logiciel: s.slug,
            nom: s.name,
            categorie: s.category_id.and_then(|c| categories.get(&c).cloned()),
            libre: s.is_free,
            licence: s.licence,
            site: s.website,
            wikidata: s.wikidata,
            sill: s.sill_id,
            comptoir_du_libre: s.comptoir_id,
        })
        .collect();
    Ok(rows)
}

impl Software {
    /// The row of one live entry, by slug.
    pub async fn row_by_slug(
        db: &DatabaseConnection,
        slug: &str,
    ) -> DomainResult<Option<SoftwareRow>> {
        let entries = software::Entity::find()
            .filter(software::Column::Slug.eq(slug))
            .all(db)
            .await?;
        Ok(rows_of(db, entries).await?.into_iter().next())
    }
}

/// Every live catalogue entry with its counts, by slug (the catalogue is a few hundred
/// entries: the API pages this list in memory).
pub async fn all_rows(db: &DatabaseConnection) -> DomainResult<Vec<SoftwareRow>> {
    let mut rows = Vec::new();
    let mut after = 0;
    loop {
        let (page, last) = Software::page_after(db, after).await?;
        rows.extend(page);
        match last {
            Some(last) => after = last,
            None => break,
        }
    }
    rows.sort_by(|a, b| a.logiciel.cmp(&b.logiciel));
    Ok(rows)
}
