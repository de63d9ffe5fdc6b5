//! `collectivites-membres`: the member authorities with their codes, their Villes Internet
//! label and how many tools they declared — the authority, never its people.

use std::collections::HashMap;

use sea_orm::prelude::DateTimeUtc;
use sea_orm::{
    ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
    sea_query::{Expr, ExprTrait},
};
use serde::Serialize;

use super::{PAGE, Table, opt};
use crate::entities::{authority, usage};
use crate::error::DomainResult;

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct MemberRow {
    pub collectivite: String,
    pub nom: String,
    pub collectivite_type: &'static str,
    pub code_insee: Option<String>,
    pub siren: Option<String>,
    pub departement: Option<String>,
    pub region: Option<String>,
    pub population: Option<i64>,
    pub membre_depuis: Option<String>,
    pub label_villes_internet: Option<i16>,
    pub label_annee: Option<i32>,
    pub declarations: i64,
}

pub struct Members;

impl Table for Members {
    type Row = MemberRow;
    const NAME: &'static str = "collectivites-membres";
    const TITLE: &'static str = "Collectivités membres du réseau";
    const DESCRIPTIONS: &'static [&'static str] = &[
        "Identifiant Pairs de la collectivité",
        "Nom de la collectivité",
        "Type : commune, epci, departement ou region",
        "Code officiel géographique (INSEE), vide pour un EPCI",
        "Numéro SIREN",
        "Code du département",
        "Code de la région",
        "Population municipale",
        "Date d'adhésion au réseau (AAAA-MM-JJ)",
        "Niveau du label Villes Internet (1 à 5), s'il y en a un",
        "Année de ce label",
        "Nombre de logiciels déclarés",
    ];
    const COLUMNS: &'static [&'static str] = &[
        "collectivite",
        "nom",
        "collectivite_type",
        "code_insee",
        "siren",
        "departement",
        "region",
        "population",
        "membre_depuis",
        "label_villes_internet",
        "label_annee",
        "declarations",
    ];

    fn values(r: &MemberRow) -> Vec<String> {
        vec![
            r.collectivite.clone(),
            r.nom.clone(),
            r.collectivite_type.to_string(),
            opt(&r.code_insee),
            opt(&r.siren),
            opt(&r.departement),
            opt(&r.region),
            opt(&r.population),
            opt(&r.membre_depuis),
            opt(&r.label_villes_internet),
            opt(&r.label_annee),
            r.declarations.to_string(),
        ]
    }

    async fn page_after(
        db: &DatabaseConnection,
        after: i32,
    ) -> DomainResult<(Vec<MemberRow>, Option<i32>)> {
        let members = authority::Entity::find()
            .filter(authority::Column::Id.gt(after))
            .filter(authority::Column::IsMember.eq(true))
            .order_by_asc(authority::Column::Id)
            .limit(PAGE)
            .all(db)
            .await?;
        let last = members.last().map(|a| a.id);
        let counts: HashMap<i32, i64> = usage::Entity::find()
            .select_only()
            .column(usage::Column::AuthorityId)
            .column_as(Expr::col(usage::Column::Id).count(), "n")
            .filter(usage::Column::AuthorityId.is_in(members.iter().map(|a| a.id)))
            .group_by(usage::Column::AuthorityId)
            .into_tuple::<(i32, i64)>()
            .all(db)
            .await?
            .into_iter()
            .collect();
        let rows = members
            .into_iter()
            .map(|a| MemberRow {
                declarations: counts.get(&a.id).copied().unwrap_or(0),
                collectivite: a.public_id,
                nom: a.name,
                collectivite_type: a.kind.as_str(),
                code_insee: a.cog_code,
                siren: a.siren,
                departement: a.departement_code,
                region: a.region_code,
                population: a.population,
                membre_depuis: a.member_since.map(|d| d.format("%Y-%m-%d").to_string()),
                label_villes_internet: a.label_level,
                label_annee: a.label_year,
            })
            .collect();
        Ok((rows, last))
    }

    async fn extent(db: &DatabaseConnection) -> DomainResult<(u64, Option<DateTimeUtc>)> {
        use sea_orm::PaginatorTrait;
        let members = || authority::Entity::find().filter(authority::Column::IsMember.eq(true));
        let rows = members().count(db).await?;
        let updated = super::latest(db, members(), authority::Column::UpdatedAt).await?;
        Ok((rows, updated))
    }
}
