//! Idempotent upsert of the referential into the `authorities` table.

use std::collections::HashMap;

use chrono::Utc;
use sea_orm::{
    ActiveModelTrait, ActiveValue::NotSet, ColumnTrait, DatabaseConnection, EntityTrait,
    IntoActiveModel, QueryFilter, QuerySelect,
};

use super::source::{AuthorityRecord, Referential};
use crate::entities::authority;
use crate::error::DomainResult;
use model::authority::AuthorityKind;

/// Rows per INSERT statement: well below the bind-parameter limits of SQLite and PostgreSQL.
const BATCH: usize = 500;

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct KindCounts {
    pub inserted: usize,
    pub updated: usize,
    pub unchanged: usize,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ImportSummary {
    pub communes: KindCounts,
    pub epci: KindCounts,
    pub departements: KindCounts,
    pub regions: KindCounts,
}

impl ImportSummary {
    fn counts_mut(&mut self, kind: AuthorityKind) -> &mut KindCounts {
        match kind {
            AuthorityKind::Commune => &mut self.communes,
            AuthorityKind::Epci => &mut self.epci,
            AuthorityKind::Departement => &mut self.departements,
            AuthorityKind::Region => &mut self.regions,
        }
    }

    pub fn total_changes(&self) -> usize {
        [self.communes, self.epci, self.departements, self.regions]
            .iter()
            .map(|c| c.inserted + c.updated)
            .sum()
    }
}

/// Existing rows, findable the way records are matched.
struct Existing {
    rows: Vec<authority::Model>,
    by_siren: HashMap<String, usize>,
    by_kind_cog: HashMap<(AuthorityKind, String), usize>,
}

impl Existing {
    fn new(rows: Vec<authority::Model>) -> Self {
        let mut by_siren = HashMap::new();
        let mut by_kind_cog = HashMap::new();
        for (i, row) in rows.iter().enumerate() {
            if let Some(siren) = &row.siren {
                by_siren.insert(siren.clone(), i);
            }
            if let Some(cog) = &row.cog_code {
                by_kind_cog.insert((row.kind, cog.clone()), i);
            }
        }
        Self {
            rows,
            by_siren,
            by_kind_cog,
        }
    }

    fn find(&self, record: &AuthorityRecord) -> Option<&authority::Model> {
        let by_siren = record.siren.as_ref().and_then(|s| self.by_siren.get(s));
        let by_cog = || {
            record
                .cog_code
                .as_ref()
                .and_then(|c| self.by_kind_cog.get(&(record.kind, c.clone())))
        };
        by_siren.or_else(by_cog).map(|&i| &self.rows[i])
    }
}

/// Applies the referential's values to a row; returns whether anything changed.
fn apply(model: &mut authority::Model, record: &AuthorityRecord, epci_id: Option<i32>) -> bool {
    let before = model.clone();
    model.siren = record.siren.clone();
    model.cog_code = record.cog_code.clone();
    model.kind = record.kind;
    model.epci_type = record.epci_type.clone();
    model.name = record.name.clone();
    model.slug = record.slug();
    model.search_name = record.search_name();
    model.departement_code = record.departement_code.clone();
    model.region_code = record.region_code.clone();
    model.population = record.population;
    model.postcodes = record.postcodes.join(" ");
    model.epci_id = epci_id;
    *model != before
}

fn new_row(record: &AuthorityRecord, epci_id: Option<i32>) -> authority::ActiveModel {
    let now = Utc::now();
    let mut model = authority::Model {
        id: 0,
        public_id: record.public_id(),
        siren: None,
        cog_code: None,
        kind: record.kind,
        epci_type: None,
        name: String::new(),
        slug: String::new(),
        search_name: String::new(),
        departement_code: None,
        region_code: None,
        population: None,
        postcodes: String::new(),
        epci_id: None,
        is_member: false,
        member_since: None,
        label_level: None,
        label_year: None,
        website: None,
        description: None,
        created_at: now,
        updated_at: now,
    };
    apply(&mut model, record, epci_id);
    let mut active = model.into_active_model();
    active.id = NotSet;
    active
}

/// Upserts every record. Runs in one transaction: a failed import changes nothing.
/// `progress(done, total)` is called as records are processed.
pub async fn import(
    db: &DatabaseConnection,
    referential: &Referential,
    mut progress: impl FnMut(usize, usize),
) -> DomainResult<ImportSummary> {
    let total = referential.records.len();
    let txn = crate::db::begin_write(db).await?;
    let existing = Existing::new(authority::Entity::find().all(&txn).await?);
    let mut summary = ImportSummary::default();
    let mut done = 0;

    // Communes point at their EPCI's row id, so everything else is written first.
    let (communes, parents): (Vec<&AuthorityRecord>, Vec<&AuthorityRecord>) = referential
        .records
        .iter()
        .partition(|r| r.kind == AuthorityKind::Commune);

    for phase in [parents, communes] {
        let epci_ids: HashMap<String, i32> =
            if phase.first().map(|r| r.kind) == Some(AuthorityKind::Commune) {
                authority::Entity::find()
                    .select_only()
                    .column(authority::Column::Siren)
                    .column(authority::Column::Id)
                    .filter(authority::Column::Kind.eq(AuthorityKind::Epci))
                    .into_tuple::<(Option<String>, i32)>()
                    .all(&txn)
                    .await?
                    .into_iter()
                    .filter_map(|(siren, id)| siren.map(|s| (s, id)))
                    .collect()
            } else {
                HashMap::new()
            };

        let mut inserts = Vec::new();
        for record in phase {
            let epci_id = record
                .epci_siren
                .as_ref()
                .and_then(|s| epci_ids.get(s).copied());
            let counts = summary.counts_mut(record.kind);
            match existing.find(record) {
                None => {
                    inserts.push(new_row(record, epci_id));
                    counts.inserted += 1;
                }
                Some(row) => {
                    let mut updated = row.clone();
                    if apply(&mut updated, record, epci_id) {
                        updated.updated_at = Utc::now();
                        // reset_all marks every field as changed so the UPDATE writes them.
                        authority::Entity::update(updated.into_active_model().reset_all())
                            .exec(&txn)
                            .await?;
                        counts.updated += 1;
                    } else {
                        counts.unchanged += 1;
                    }
                }
            }
            if inserts.len() >= BATCH {
                authority::Entity::insert_many(std::mem::take(&mut inserts))
                    .exec_without_returning(&txn)
                    .await?;
            }
            done += 1;
            if done % BATCH == 0 {
                progress(done, total);
            }
        }
        if !inserts.is_empty() {
            authority::Entity::insert_many(inserts)
                .exec_without_returning(&txn)
                .await?;
        }
    }
    txn.commit().await?;
    progress(total, total);
    Ok(summary)
}
