//! `retours`: the published retours d'expérience, signed by their authority — never the
//! person who wrote them.

use sea_orm::prelude::DateTimeUtc;
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use serde::Serialize;

use super::{PAGE, Table};
use crate::entities::{authority, software, software_review};
use crate::error::DomainResult;

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ReviewRow {
    pub collectivite: String,
    pub nom: String,
    pub logiciel: String,
    pub texte: String,
    pub modifie_le: String,
}

pub struct Reviews;

impl Table for Reviews {
    type Row = ReviewRow;
    const NAME: &'static str = "retours";
    const TITLE: &'static str = "Retours d'expérience des collectivités";
    const COLUMNS: &'static [&'static str] =
        &["collectivite", "nom", "logiciel", "texte", "modifie_le"];
    const DESCRIPTIONS: &'static [&'static str] = &[
        "Identifiant Pairs de la collectivité qui signe le retour",
        "Nom de la collectivité",
        "Identifiant du logiciel dans le catalogue",
        "Le retour d'expérience (1 000 caractères au plus)",
        "Date de la dernière modification (AAAA-MM-JJ)",
    ];

    fn values(r: &ReviewRow) -> Vec<String> {
        vec![
            r.collectivite.clone(),
            r.nom.clone(),
            r.logiciel.clone(),
            r.texte.clone(),
            r.modifie_le.clone(),
        ]
    }

    async fn page_after(
        db: &DatabaseConnection,
        after: i32,
    ) -> DomainResult<(Vec<ReviewRow>, Option<i32>)> {
        let rows = software_review::Entity::find()
            .filter(software_review::Column::Id.gt(after))
            .filter(software_review::Column::Hidden.eq(false))
            .find_also_related(authority::Entity)
            .find_also_related(software::Entity)
            .order_by_asc(software_review::Column::Id)
            .limit(PAGE)
            .all(db)
            .await?;
        let last = rows.last().map(|(r, _, _)| r.id);
        let out = rows
            .into_iter()
            .filter_map(|(r, a, s)| {
                let a = a?;
                Some(ReviewRow {
                    collectivite: a.public_id,
                    nom: a.name,
                    logiciel: s?.slug,
                    texte: r.text,
                    modifie_le: r.updated_at.format("%Y-%m-%d").to_string(),
                })
            })
            .collect();
        Ok((out, last))
    }

    async fn extent(db: &DatabaseConnection) -> DomainResult<(u64, Option<DateTimeUtc>)> {
        use sea_orm::PaginatorTrait;
        let visible =
            || software_review::Entity::find().filter(software_review::Column::Hidden.eq(false));
        let rows = visible().count(db).await?;
        let updated = super::latest(db, visible(), software_review::Column::UpdatedAt).await?;
        Ok((rows, updated))
    }
}
