//! The authority lookup behind sign-up (by name, postcode, COG code, SIREN) on the real
//! national referential: the expected authorities on SQLite, and exactly the same answers,
//! in the same order, on PostgreSQL.

use crate::common;

use common::{Backend, TestDb, postgres_server, skip_postgres};
use domain::authorities::lookup;
use domain::entities::authority;
use domain::referential::{Referential, import};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

/// Names with and without accents, hyphens and capitals; postcodes; COG codes; words that
/// match thousands of rows (so ordering ties matter).
const QUERIES: &[&str] = &[
    "istres",
    "ISTRES",
    "  Istres ",
    "saint-etienne",
    "Saint Étienne",
    "SAINT-ÉTIENNE",
    "aix-les-bains",
    "Aix les Bains",
    "13800",
    "13047",
    "2A004",
    "2a004",
    "métropole",
    "l'île",
    "sur",
    "saint",
    "zzzzqqq",
];

/// One answer: the query, the total, and the public ids and names of pages 1 and 3.
type Answer = (String, u64, Vec<(String, String)>);

async fn answers(backend: Backend) -> Vec<Answer> {
    let t = TestDb::migrated(backend).await.expect("database");
    let data = Referential::load(&common::real_referential_dir()).expect("real package");
    import(&t.db, &data, |_, _| {}).await.expect("import");
    let istres = authority::Entity::find()
        .filter(authority::Column::PublicId.eq("com-13047"))
        .one(&t.db)
        .await
        .expect("query")
        .expect("Istres");
    let siren = istres.siren.expect("Istres has a SIREN");
    let mut out = Vec::new();
    for q in QUERIES.iter().copied().chain([siren.as_str()]) {
        let mut items = Vec::new();
        let mut total = 0;
        for page in [1, 3] {
            let found = lookup(&t.db, q, page, 10).await.expect("lookup");
            total = found.total;
            items.extend(found.items.into_iter().map(|a| (a.public_id, a.name)));
        }
        out.push((q.to_string(), total, items));
    }
    t.cleanup().await;
    out
}

fn first_name<'a>(answers: &'a [Answer], q: &str) -> &'a str {
    answers
        .iter()
        .find(|a| a.0 == q)
        .and_then(|a| a.2.first())
        .map(|(_, name)| name.as_str())
        .unwrap_or_else(|| panic!("{q} finds something"))
}

#[tokio::test]
async fn lookup_answers_the_same_on_both_databases() {
    let sqlite = answers(Backend::Sqlite).await;
    for q in ["istres", "ISTRES", "  Istres ", "13047"] {
        assert_eq!(first_name(&sqlite, q), "Istres", "{q}");
    }
    for q in ["saint-etienne", "Saint Étienne", "SAINT-ÉTIENNE"] {
        assert_eq!(first_name(&sqlite, q), "Saint-Étienne", "{q}");
    }
    for q in ["aix-les-bains", "Aix les Bains"] {
        assert_eq!(first_name(&sqlite, q), "Aix-les-Bains", "{q}");
    }
    for q in ["2A004", "2a004"] {
        assert_eq!(first_name(&sqlite, q), "Ajaccio", "{q}");
    }
    let by_postcode = sqlite.iter().find(|a| a.0 == "13800").expect("13800");
    assert!(by_postcode.2.iter().any(|(id, _)| id == "com-13047"));
    let siren = sqlite.last().expect("siren answer");
    assert_eq!(
        siren.2.first().map(|(id, _)| id.as_str()),
        Some("com-13047")
    );
    let many = sqlite.iter().find(|a| a.0 == "saint").expect("saint");
    assert!(many.1 > 1000 && many.2.len() == 20, "two full pages");
    let nothing = sqlite.iter().find(|a| a.0 == "zzzzqqq").expect("zzzzqqq");
    assert_eq!((nothing.1, nothing.2.len()), (0, 0));

    if postgres_server().is_none() {
        skip_postgres("lookup_answers_the_same_on_both_databases");
        return;
    }
    let postgres = answers(Backend::Postgres).await;
    for (s, p) in sqlite.iter().zip(&postgres) {
        assert_eq!(s, p, "same answer on PostgreSQL for {:?}", s.0);
    }
}
