//! `GET /donnees/{declarations,logiciels,collectivites-membres}.{csv,jsonl}`: the network's
//! public tables as open data (never a person), streamed page by page so memory stays flat
//! whatever the size.

use axum::{
    Router,
    body::{Body, Bytes},
    extract::State,
    http::header,
    response::{IntoResponse, Response},
    routing::get,
};
use domain::AppState;
use domain::open_data::{Declarations, Members, Reviews, Software, Table, csv_line};

#[derive(Clone, Copy)]
enum Format {
    Csv,
    JsonLines,
}

/// The routes of every table in both formats.
pub fn routes() -> Router<AppState> {
    fn both<T: Table + 'static>(router: Router<AppState>) -> Router<AppState> {
        router
            .route(
                &format!("/donnees/{}.csv", T::NAME),
                get(|State(state): State<AppState>| async move { stream::<T>(state, Format::Csv) }),
            )
            .route(
                &format!("/donnees/{}.jsonl", T::NAME),
                get(|State(state): State<AppState>| async move {
                    stream::<T>(state, Format::JsonLines)
                }),
            )
    }
    let router = Router::new();
    let router = both::<Declarations>(router);
    let router = both::<Software>(router);
    let router = both::<Members>(router);
    both::<Reviews>(router)
}

fn encode<T: Table>(rows: &[T::Row], format: Format) -> String {
    let mut out = String::new();
    for row in rows {
        match format {
            Format::Csv => out.push_str(&csv_line(&T::values(row))),
            Format::JsonLines => {
                out.push_str(&serde_json::to_string(row).unwrap_or_default());
                out.push('\n');
            }
        }
    }
    out
}

fn stream<T: Table + 'static>(state: AppState, format: Format) -> Response {
    // (next id to read after, header written, finished)
    let start = (0, false, false);
    let body = futures::stream::unfold(start, move |(after, started, done)| {
        let db = state.db.clone();
        async move {
            if done {
                return None;
            }
            let mut chunk = String::new();
            if !started && matches!(format, Format::Csv) {
                chunk.push_str(&csv_line(T::COLUMNS));
            }
            match T::page_after(&db, after).await {
                Ok((rows, Some(last))) => {
                    chunk.push_str(&encode::<T>(&rows, format));
                    Some((
                        Ok::<_, std::io::Error>(Bytes::from(chunk)),
                        (last, true, false),
                    ))
                }
                Ok((_, None)) => Some((Ok(Bytes::from(chunk)), (after, true, true))),
                Err(err) => {
                    // Headers are sent: cut the body so the client sees an incomplete file.
                    tracing::error!(error = %err, table = T::NAME, "open data export failed");
                    Some((
                        Err(std::io::Error::other("export interrompu")),
                        (after, true, true),
                    ))
                }
            }
        }
    });
    let (content_type, extension) = match format {
        Format::Csv => ("text/csv; charset=utf-8", "csv"),
        Format::JsonLines => ("application/x-ndjson; charset=utf-8", "jsonl"),
    };
    (
        [
            (header::CONTENT_TYPE, content_type.to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{}.{extension}\"", T::NAME),
            ),
            (header::CACHE_CONTROL, "public, max-age=300".to_string()),
            (header::ACCESS_CONTROL_ALLOW_ORIGIN, "*".to_string()),
        ],
        Body::from_stream(body),
    )
        .into_response()
}
