//! Open data: every table (declarations, software, member authorities) streams page after
//! page as CSV a standard parser reads back row for row, and as JSON Lines; no personal
//! value in any of them; `/donnees` lists them with their size and columns.

use crate::common;

use common::Backend;

use chrono::Utc;
use common::web::*;
use domain::entities::{authority, software, usage};
use model::usage::UsageStatus;
use sea_orm::{ActiveValue::Set, ColumnTrait, EntityTrait, NotSet, PaginatorTrait, QueryFilter};

/// Declarations for every (authority, software) pair until `n` exist (across pages).
async fn many_declarations(app: &TestApp, n: usize) {
    let authorities = authority::Entity::find()
        .all(&app.t.db)
        .await
        .expect("authorities");
    let tools = software::Entity::find()
        .all(&app.t.db)
        .await
        .expect("software");
    let taken: std::collections::HashSet<(i32, i32)> = usage::Entity::find()
        .all(&app.t.db)
        .await
        .expect("usages")
        .into_iter()
        .map(|u| (u.authority_id, u.software_id))
        .collect();
    let now = Utc::now();
    let rows: Vec<usage::ActiveModel> = authorities
        .iter()
        .flat_map(|a| tools.iter().map(move |s| (a.id, s.id)))
        .filter(|pair| !taken.contains(pair))
        .take(n)
        .enumerate()
        .map(|(i, (authority_id, software_id))| usage::ActiveModel {
            id: NotSet,
            authority_id: Set(authority_id),
            software_id: Set(software_id),
            status: Set(UsageStatus::ALL[i % 4]),
            since_year: Set(Some(2015 + (i % 10) as i32)),
            version: Set((i % 3 == 0).then(|| format!("v{i}, \"stable\""))),
            notes: Set(None),
            satisfaction: Set(None),
            declared_by: Set(None),
            last_confirmed_at: Set(now),
            created_at: Set(now),
            updated_at: Set(now),
            replaced_by_id: Set(None),
            ..Default::default()
        })
        .collect();
    assert_eq!(rows.len(), n, "enough pairs in the fixture");
    for chunk in rows.chunks(500) {
        usage::Entity::insert_many(chunk.to_vec())
            .exec(&app.t.db)
            .await
            .expect("declarations");
    }
}

/// `text` read by Python's csv module: rows of fields.
fn parse_csv(text: &str) -> Vec<Vec<String>> {
    use std::io::Write;
    let mut child = std::process::Command::new("/usr/bin/python3")
        .args([
            "-c",
            "import csv, json, sys; print(json.dumps(list(csv.reader(sys.stdin))))",
        ])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("python3");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(text.as_bytes())
        .expect("write");
    let out = child.wait_with_output().expect("parse");
    serde_json::from_slice(&out.stdout).expect("rows")
}

async fn declarations_export_round_trips_and_holds_no_person(backend: Backend) {
    let app = TestApp::start(backend, &[]).await;
    domain::catalogue::seed::load_catalogue(&app.t.db)
        .await
        .expect("catalogue");
    // A member with recognizable values declares a tool: the export names the authority.
    let cookie = app.approved_member("zoe@istres.test", "com-13047").await;
    let reply = app
        .post(
            "declare_usage",
            &[
                ("authority", "com-13047"),
                ("software", "glpi"),
                ("status", "in_use"),
                ("since_year", "2019"),
                ("version", "10.0"),
                ("notes", "Note interne de Zoé"),
                ("satisfaction", "4"),
                ("referent", "on"),
            ],
            Some(&cookie),
        )
        .await;
    assert!(!reply.refused(), "{}", reply.error);
    many_declarations(&app, 2_500).await;
    let in_db = usage::Entity::find().count(&app.t.db).await.expect("count");
    assert!(in_db as u64 > 2 * domain::open_data::PAGE, "several pages");

    let csv = app.get("/donnees/declarations.csv", None).await;
    assert_eq!(csv.status, axum::http::StatusCode::OK);
    let rows = parse_csv(&csv.body);
    assert_eq!(
        rows[0],
        domain::open_data::DeclarationRow::COLUMNS.map(String::from)
    );
    assert_eq!(rows.len() as u64 - 1, in_db, "one row per declaration");
    let glpi = rows
        .iter()
        .find(|r| r[0] == "com-13047" && r[5] == "glpi" && r[8] == "2019")
        .expect("Istres runs GLPI");
    assert_eq!(
        (
            glpi[1].as_str(),
            glpi[2].as_str(),
            glpi[3].as_str(),
            glpi[7].as_str(),
            glpi[9].as_str()
        ),
        ("Istres", "commune", "13047", "in_use", "10.0")
    );
    assert!(
        rows.iter().any(|r| r[9].contains(", \"stable\"")),
        "quotes and commas survive the round trip"
    );

    let jsonl = app.get("/donnees/declarations.jsonl", None).await;
    let lines: Vec<serde_json::Value> = jsonl
        .body
        .lines()
        .map(|l| serde_json::from_str(l).expect("one JSON object per line"))
        .collect();
    assert_eq!(lines.len() as u64, in_db);

    // The catalogue: one row per entry not merged away, with its declarations by status.
    let software_csv = app.get("/donnees/logiciels.csv", None).await;
    let software_rows = parse_csv(&software_csv.body);
    assert_eq!(software_rows[0][0], "logiciel");
    let live = software::Entity::find()
        .filter(software::Column::Status.ne(model::software::SoftwareStatus::Merged))
        .count(&app.t.db)
        .await
        .expect("count");
    assert_eq!(software_rows.len() as u64 - 1, live);
    let column = |name: &str| {
        software_rows[0]
            .iter()
            .position(|c| c == name)
            .expect("column")
    };
    let glpi_row = software_rows.iter().find(|r| r[0] == "glpi").expect("GLPI");
    let glpi_id = software::Entity::find()
        .filter(software::Column::Slug.eq("glpi"))
        .one(&app.t.db)
        .await
        .expect("q")
        .expect("glpi")
        .id;
    let glpi_in_use = usage::Entity::find()
        .filter(usage::Column::SoftwareId.eq(glpi_id))
        .filter(usage::Column::Status.eq(UsageStatus::InUse))
        .count(&app.t.db)
        .await
        .expect("count");
    assert_eq!(glpi_row[column("en_service")], glpi_in_use.to_string());
    let total: u64 = software_rows[1..]
        .iter()
        .flat_map(|r| {
            ["en_service", "en_evaluation", "prevu", "abandonne"]
                .map(|c| r[column(c)].parse::<u64>().expect("a count"))
        })
        .sum();
    assert_eq!(total, in_db, "every declaration counted once");

    // Member authorities: Istres joins the network, with its label.
    let istres = authority::Entity::find()
        .filter(authority::Column::PublicId.eq("com-13047"))
        .one(&app.t.db)
        .await
        .expect("q")
        .expect("Istres");
    let mut istres: authority::ActiveModel = istres.into();
    istres.is_member = Set(true);
    istres.member_since = Set(chrono::NaiveDate::from_ymd_opt(2024, 3, 1));
    istres.label_level = Set(Some(4));
    sea_orm::ActiveModelTrait::update(istres, &app.t.db)
        .await
        .expect("member");
    let members_csv = app.get("/donnees/collectivites-membres.csv", None).await;
    let member_rows = parse_csv(&members_csv.body);
    let members = authority::Entity::find()
        .filter(authority::Column::IsMember.eq(true))
        .count(&app.t.db)
        .await
        .expect("count");
    assert!(members >= 1);
    assert_eq!(member_rows.len() as u64 - 1, members);
    assert!(
        member_rows
            .iter()
            .any(|r| r[0] == "com-13047" && r[3] == "13047")
    );
    let members_jsonl = app.get("/donnees/collectivites-membres.jsonl", None).await;
    assert_eq!(members_jsonl.body.lines().count() as u64, members);
    let software_jsonl = app.get("/donnees/logiciels.jsonl", None).await;
    assert_eq!(software_jsonl.body.lines().count() as u64, live);

    for body in [
        &csv.body,
        &jsonl.body,
        &software_csv.body,
        &software_jsonl.body,
        &members_csv.body,
        &members_jsonl.body,
    ] {
        for personal in ["zoe@istres.test", "Zoé", "Martin", "Note interne"] {
            assert!(!body.contains(personal), "{personal} is not open data");
        }
    }

    // The page lists every file with its size and explains its columns.
    let page = app.get("/donnees", None).await;
    assert_eq!(page.status, axum::http::StatusCode::OK);
    for file in [
        "declarations.csv",
        "logiciels.jsonl",
        "collectivites-membres.csv",
    ] {
        assert!(page.body.contains(&format!("/donnees/{file}")), "{file}");
    }
    let declarations_size = app::format::plural(in_db, "ligne", "lignes");
    assert!(
        page.body.contains(&declarations_size),
        "the size of the declarations file: {declarations_size}"
    );
    assert!(page.body.contains("comptoir_du_libre") && page.body.contains("Licence Ouverte"));
    app.t.cleanup().await;
}

on_both_backends!(declarations_export_round_trips_and_holds_no_person);
