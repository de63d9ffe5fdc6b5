//! The naive SQL baseline the benchmark compares the engines with: `LIKE` over joined
//! tables, no typo tolerance, no facets. Only served when `PAIRS_BENCH_BASELINE=1`.

use sea_orm::{ConnectionTrait, FromQueryResult, Statement};

use crate::error::DomainResult;

#[derive(Debug, FromQueryResult, serde::Serialize)]
pub struct BaselineHit {
    pub public_id: String,
    pub name: String,
}

pub async fn search_sql(db: &impl ConnectionTrait, q: &str) -> DomainResult<Vec<BaselineHit>> {
    let backend = db.get_database_backend();
    let pattern = format!("%{}%", crate::text::fold(q));
    let p = if backend == sea_orm::DbBackend::Postgres {
        ["$1", "$2", "$3"]
    } else {
        ["?", "?", "?"]
    };
    let sql = format!(
        "SELECT a.public_id AS public_id, a.name AS name FROM authorities a \
         LEFT JOIN usages u ON u.authority_id = a.id LEFT JOIN software s ON s.id = u.software_id \
         WHERE lower(s.name) LIKE {} OR lower(s.aliases) LIKE {} OR a.search_name LIKE {} \
         GROUP BY a.id, a.public_id, a.name, a.population ORDER BY a.population DESC NULLS LAST, a.id LIMIT 20",
        p[0], p[1], p[2]
    );
    let stmt = Statement::from_sql_and_values(
        backend,
        sql,
        [
            pattern.clone().into(),
            pattern.clone().into(),
            pattern.into(),
        ],
    );
    Ok(BaselineHit::find_by_statement(stmt).all(db).await?)
}
