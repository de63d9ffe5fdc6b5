//! Small SQL pieces that must mean the same on SQLite and PostgreSQL. Raw SQL strings are
//! where the two backends part ways (placeholders, collations, `NULL` order, `LIKE`
//! escapes), so queries build these through sea-query instead.

use sea_orm::{
    ColumnTrait, DbBackend,
    sea_query::{Expr, LikeExpr},
};

/// Characters `LIKE` treats as wildcards, escaped so user input matches literally.
fn escape_like(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(c, '%' | '_' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// `LIKE '%text%'`, the text taken literally. Only for folded (lower-case) columns and
/// input: PostgreSQL's `LIKE` is case-sensitive where SQLite's is not for ASCII.
pub fn contains(text: &str) -> LikeExpr {
    LikeExpr::new(format!("%{}%", escape_like(text))).escape('\\')
}

/// `LIKE 'text%'`, the text taken literally (same caveat as [`contains`]).
pub fn starts_with(text: &str) -> LikeExpr {
    LikeExpr::new(format!("{}%", escape_like(text))).escape('\\')
}

/// An `ORDER BY` key comparing a text column byte by byte, as SQLite does by default:
/// PostgreSQL otherwise sorts by the database's locale (which skips spaces and hyphens
/// under most locales), so the same rows would come back in another order.
pub fn bytewise(backend: DbBackend, column: impl ColumnTrait) -> Expr {
    match backend {
        DbBackend::Postgres => Expr::cust(format!("\"{}\" COLLATE \"C\"", column.as_str())),
        _ => Expr::col(column),
    }
}

/// A raw statement written with `$1`-style placeholders, for either backend (SQLite reads
/// `?1` for the same thing). Only for the few statements sea-query cannot say the same on
/// both (the job claim, the shared limits' conditional upsert, the flash's `DELETE …
/// RETURNING`); the text must hold no `$` of its own.
pub fn numbered(backend: DbBackend, sql: &str, values: Vec<sea_orm::Value>) -> sea_orm::Statement {
    let sql = match backend {
        DbBackend::Postgres => sql.to_string(),
        _ => sql.replace('$', "?"),
    };
    sea_orm::Statement::from_sql_and_values(backend, sql, values)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wildcards_in_input_are_escaped() {
        assert_eq!(escape_like("50%_a\\b"), "50\\%\\_a\\\\b");
        assert_eq!(escape_like("istres"), "istres");
    }
}
