//! Names behind facet codes (régions, départements, categories), read once per process:
//! they change only with a referential import or a catalogue release, both followed by a
//! restart in practice, and the search page needs them on every request.

use std::collections::HashMap;
use std::sync::Arc;

use tokio::sync::OnceCell;

use crate::error::DomainResult;
use model::authority::AuthorityKind;

#[derive(Clone, Debug, Default)]
pub struct FacetLabels {
    pub regions: HashMap<String, String>,
    pub departements: HashMap<String, String>,
    pub categories: HashMap<String, String>,
}

#[derive(Clone, Debug, Default)]
pub struct LabelCache(Arc<OnceCell<FacetLabels>>);

impl LabelCache {
    pub async fn get(&self, db: &crate::db::Db) -> DomainResult<&FacetLabels> {
        self.0
            .get_or_try_init(|| async {
                Ok(FacetLabels {
                    regions: crate::authorities::names_by_code(db, AuthorityKind::Region).await?,
                    departements: crate::authorities::names_by_code(db, AuthorityKind::Departement)
                        .await?,
                    categories: crate::catalogue::query::category_names(db).await?,
                })
            })
            .await
    }
}
