//! Open data: what the network runs, as public rows (authorities, tools, declarations),
//! never a person. Each table is read in pages by id, so an export of any size holds one
//! page in memory at a time.

mod declarations;
mod members;
mod reviews;
mod software;

use sea_orm::DatabaseConnection;
use sea_orm::prelude::DateTimeUtc;
use serde::Serialize;

use crate::error::DomainResult;

pub use declarations::{DeclarationRow, Declarations, declarations_after};
pub use members::{MemberRow, Members};
pub use reviews::{ReviewRow, Reviews};
pub use software::{Software, SoftwareRow, all_rows as software_rows};

/// How many rows one page reads.
pub const PAGE: u64 = 1_000;

/// One published table: its file name, its columns, and its rows page by page.
pub trait Table {
    type Row: Serialize + Send;
    /// The file stem under `/donnees/`.
    const NAME: &'static str;
    /// What the table holds, in French, for the `/donnees` page.
    const TITLE: &'static str;
    /// The CSV header, in the order of `values`.
    const COLUMNS: &'static [&'static str];
    /// What each column means, in French, in the order of `COLUMNS`.
    const DESCRIPTIONS: &'static [&'static str];
    fn values(row: &Self::Row) -> Vec<String>;
    /// The rows with an id above `after` (at most `PAGE`), and the last id read.
    fn page_after(
        db: &DatabaseConnection,
        after: i32,
    ) -> impl std::future::Future<Output = DomainResult<(Vec<Self::Row>, Option<i32>)>> + Send;
    /// How many rows the table has, and when one last changed.
    fn extent(
        db: &DatabaseConnection,
    ) -> impl std::future::Future<Output = DomainResult<(u64, Option<DateTimeUtc>)>> + Send;
}

/// One published table, described for the `/donnees` page.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Dataset {
    pub name: &'static str,
    pub title: &'static str,
    pub rows: u64,
    pub updated: Option<DateTimeUtc>,
    pub columns: Vec<(&'static str, &'static str)>,
}

async fn dataset<T: Table>(db: &DatabaseConnection) -> DomainResult<Dataset> {
    let (rows, updated) = T::extent(db).await?;
    Ok(Dataset {
        name: T::NAME,
        title: T::TITLE,
        rows,
        updated,
        columns: T::COLUMNS
            .iter()
            .copied()
            .zip(T::DESCRIPTIONS.iter().copied())
            .collect(),
    })
}

/// Every published table with its size and last change.
pub async fn datasets(db: &DatabaseConnection) -> DomainResult<Vec<Dataset>> {
    Ok(vec![
        dataset::<Declarations>(db).await?,
        dataset::<Software>(db).await?,
        dataset::<Members>(db).await?,
        dataset::<Reviews>(db).await?,
    ])
}

/// The latest `updated_at` among the rows a select finds.
async fn latest<E: sea_orm::EntityTrait>(
    db: &DatabaseConnection,
    select: sea_orm::Select<E>,
    column: E::Column,
) -> DomainResult<Option<DateTimeUtc>> {
    use sea_orm::{
        QuerySelect,
        sea_query::{Expr, ExprTrait},
    };
    Ok(select
        .select_only()
        .column_as(Expr::col(column).max(), "latest")
        .into_tuple::<Option<DateTimeUtc>>()
        .one(db)
        .await?
        .flatten())
}

fn flag(b: bool) -> String {
    if b { "true" } else { "false" }.to_string()
}

fn opt<T: ToString>(v: &Option<T>) -> String {
    v.as_ref().map(ToString::to_string).unwrap_or_default()
}

/// One CSV line (comma-separated, RFC 4180 quoting, CRLF). A cell a spreadsheet would
/// read as a formula (starting with `=`, `+`, `-`, `@`, a tab or a carriage return, as
/// members may type in a software name or a version) is neutralized with a leading `'`,
/// as OWASP's CSV-injection guidance says; plain numbers (`-1.5`) stay as they are.
pub fn csv_line<S: AsRef<str>>(fields: &[S]) -> String {
    let mut line = String::new();
    for (i, f) in fields.iter().enumerate() {
        if i > 0 {
            line.push(',');
        }
        let neutralized;
        let mut f = f.as_ref();
        if f.starts_with(['=', '+', '-', '@', '\t', '\r']) && f.parse::<f64>().is_err() {
            neutralized = format!("'{f}");
            f = &neutralized;
        }
        if f.contains([',', '"', '\n', '\r']) {
            line.push('"');
            line.push_str(&f.replace('"', "\"\""));
            line.push('"');
        } else {
            line.push_str(f);
        }
    }
    line.push_str("\r\n");
    line
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_column_is_described() {
        assert_eq!(
            Declarations::COLUMNS.len(),
            Declarations::DESCRIPTIONS.len()
        );
        assert_eq!(Software::COLUMNS.len(), Software::DESCRIPTIONS.len());
        assert_eq!(Members::COLUMNS.len(), Members::DESCRIPTIONS.len());
    }

    #[test]
    fn csv_quotes_what_needs_it() {
        assert_eq!(csv_line(&["a", "b c"]), "a,b c\r\n");
        assert_eq!(
            csv_line(&["Aix, Marseille", "dit \"x\"", "l1\nl2"]),
            "\"Aix, Marseille\",\"dit \"\"x\"\"\",\"l1\nl2\"\r\n"
        );
    }

    #[test]
    fn csv_cells_that_look_like_formulas_are_neutralized() {
        assert_eq!(
            csv_line(&[
                "=HYPERLINK(\"http://x\")",
                "+1",
                "-1.5",
                "@SUM(A1)",
                "\tx",
                "a=b"
            ]),
            "\"'=HYPERLINK(\"\"http://x\"\")\",+1,-1.5,'@SUM(A1),'\tx,a=b\r\n"
        );
        assert_eq!(csv_line(&["-cmd|' /C calc'!A0"]), "'-cmd|' /C calc'!A0\r\n");
    }
}
