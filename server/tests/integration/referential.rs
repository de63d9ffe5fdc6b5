//! Import of the national referential: a fixture cut from the real package, then the
//! real package itself, on SQLite and PostgreSQL.

use crate::common;

use common::{Backend, TestDb, import_fixture};
use domain::entities::authority;
use domain::referential::{KindCounts, Referential, import};
use model::authority::AuthorityKind;
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, IntoActiveModel, QueryFilter, Set};

async fn find(db: &domain::db::Db, public_id: &str) -> authority::Model {
    authority::Entity::find()
        .filter(authority::Column::PublicId.eq(public_id))
        .one(db)
        .await
        .expect("query")
        .unwrap_or_else(|| panic!("{public_id} imported"))
}

fn inserted(n: usize) -> KindCounts {
    KindCounts {
        inserted: n,
        updated: 0,
        unchanged: 0,
    }
}

fn unchanged(n: usize) -> KindCounts {
    KindCounts {
        inserted: 0,
        updated: 0,
        unchanged: n,
    }
}

async fn fixture_import(backend: Backend) -> bool {
    let Some(t) = TestDb::migrated(backend).await else {
        return false;
    };
    let first = import_fixture(&t.db).await;
    assert_eq!(
        first.communes,
        inserted(7),
        "delegated communes are skipped"
    );
    assert_eq!(first.epci, inserted(2));
    assert_eq!(first.departements, inserted(4));
    assert_eq!(first.regions, inserted(4));

    let istres = find(&t.db, "com-13047").await;
    assert_eq!(istres.siren.as_deref(), Some("211300470"));
    assert_eq!(istres.postcodes, "13118 13800");
    assert_eq!(istres.slug, "istres");
    let metropole = find(&t.db, "epci-200054807").await;
    assert_eq!(istres.epci_id, Some(metropole.id));
    assert_eq!(metropole.epci_type.as_deref(), Some("METRO"));
    assert_eq!(metropole.departement_code.as_deref(), Some("13"));
    assert_eq!(metropole.region_code.as_deref(), Some("93"));

    // Overseas commune without SIREN, commune without population: kept, not dropped.
    let miquelon = find(&t.db, "com-97501").await;
    assert_eq!(miquelon.siren, None);
    assert_eq!(miquelon.epci_id, None);
    assert_eq!(find(&t.db, "com-98412").await.population, None);
    let bdr = find(&t.db, "dep-13").await;
    assert_eq!(
        bdr.population,
        Some(
            istres.population.unwrap_or(0)
                + find(&t.db, "com-13039").await.population.unwrap_or(0)
                + find(&t.db, "com-13055").await.population.unwrap_or(0)
        )
    );
    assert_eq!(
        find(&t.db, "reg-93").await.name,
        "Provence-Alpes-Côte d'Azur"
    );

    // Second run changes nothing.
    let second = import_fixture(&t.db).await;
    assert_eq!(second.total_changes(), 0);
    assert_eq!(second.communes, unchanged(7));

    // A row edited by hand is restored, keeping its id, public id and membership.
    let mut edited = istres.clone().into_active_model();
    edited.name = Set("Istres (modifié)".into());
    edited.is_member = Set(true);
    edited.update(&t.db).await.expect("edit");
    let third = import_fixture(&t.db).await;
    assert_eq!(
        third.communes,
        KindCounts {
            inserted: 0,
            updated: 1,
            unchanged: 6
        }
    );
    let restored = find(&t.db, "com-13047").await;
    assert_eq!(restored.name, "Istres");
    assert_eq!(restored.id, istres.id);
    assert!(
        restored.is_member,
        "membership is not the referential's to change"
    );
    t.cleanup().await;
    true
}

#[tokio::test]
async fn fixture_import_on_sqlite() {
    assert!(fixture_import(Backend::Sqlite).await);
}

#[tokio::test]
async fn fixture_import_on_postgres() {
    if !fixture_import(Backend::Postgres).await {
        common::skip_postgres("fixture_import_on_postgres");
    }
}

async fn full_import(backend: Backend) -> bool {
    let Some(t) = TestDb::migrated(backend).await else {
        return false;
    };
    let data = Referential::load(&common::real_referential_dir()).expect("real package loads");
    assert_eq!(data.count(AuthorityKind::Commune), 34_969);
    assert_eq!(data.count(AuthorityKind::Epci), 1_255);
    assert_eq!(data.count(AuthorityKind::Departement), 109);
    assert_eq!(data.count(AuthorityKind::Region), 26);

    let started = std::time::Instant::now();
    let first = import(&t.db, &data, |_, _| {}).await.expect("first import");
    eprintln!("full import took {:?}", started.elapsed());
    assert_eq!(first.communes, inserted(34_969));
    assert_eq!(first.epci, inserted(1_255));
    assert_eq!(first.departements, inserted(109));
    assert_eq!(first.regions, inserted(26));

    let rows = authority::Entity::find()
        .all(&t.db)
        .await
        .expect("all rows");
    assert_eq!(rows.len(), 34_969 + 1_255 + 109 + 26);
    let without_siren = rows
        .iter()
        .filter(|r| r.kind == model::authority::AuthorityKind::Commune && r.siren.is_none())
        .count();
    assert_eq!(
        without_siren, 94,
        "overseas communes without SIREN are kept"
    );
    let without_population = rows
        .iter()
        .filter(|r| r.kind == model::authority::AuthorityKind::Commune && r.population.is_none())
        .count();
    assert_eq!(without_population, 6);
    let mut public_ids: Vec<&str> = rows.iter().map(|r| r.public_id.as_str()).collect();
    public_ids.sort_unstable();
    public_ids.dedup();
    assert_eq!(public_ids.len(), rows.len(), "public ids are unique");

    let istres = find(&t.db, "com-13047").await;
    let epci = authority::Entity::find_by_id(istres.epci_id.expect("Istres has an EPCI"))
        .one(&t.db)
        .await
        .expect("query")
        .expect("EPCI row");
    assert_eq!(epci.name, "Métropole d'Aix-Marseille-Provence");

    let second = import(&t.db, &data, |_, _| {})
        .await
        .expect("second import");
    assert_eq!(second.total_changes(), 0, "a second run changes nothing");
    assert_eq!(second.communes, unchanged(34_969));
    t.cleanup().await;
    true
}

#[tokio::test]
async fn full_real_import_on_sqlite() {
    assert!(full_import(Backend::Sqlite).await);
}

#[tokio::test]
async fn full_real_import_on_postgres() {
    if !full_import(Backend::Postgres).await {
        common::skip_postgres("full_real_import_on_postgres");
    }
}
