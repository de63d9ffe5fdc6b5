//! `GET /donnees/declarations.csv` and `.jsonl`: every declaration of the network as open
//! data (authority, tool, status, since, version — never a person), streamed page by page
//! so memory stays flat whatever the size.

use axum::{
    body::{Body, Bytes},
    extract::State,
    http::header,
    response::{IntoResponse, Response},
};
use domain::AppState;
use domain::open_data::{DeclarationRow, csv_line, declarations_after};

#[derive(Clone, Copy)]
enum Format {
    Csv,
    JsonLines,
}

pub async fn declarations_csv(State(state): State<AppState>) -> Response {
    stream(state, Format::Csv)
}

pub async fn declarations_jsonl(State(state): State<AppState>) -> Response {
    stream(state, Format::JsonLines)
}

fn encode(rows: &[DeclarationRow], format: Format) -> String {
    let mut out = String::new();
    for row in rows {
        match format {
            Format::Csv => out.push_str(&csv_line(&row.values())),
            Format::JsonLines => {
                out.push_str(&serde_json::to_string(row).unwrap_or_default());
                out.push('\n');
            }
        }
    }
    out
}

fn stream(state: AppState, format: Format) -> Response {
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
                chunk.push_str(&csv_line(&DeclarationRow::COLUMNS));
            }
            match declarations_after(&db, after).await {
                Ok((rows, Some(last))) => {
                    chunk.push_str(&encode(&rows, format));
                    Some((
                        Ok::<_, std::io::Error>(Bytes::from(chunk)),
                        (last, true, false),
                    ))
                }
                Ok((_, None)) => Some((Ok(Bytes::from(chunk)), (after, true, true))),
                Err(err) => {
                    // Headers are sent: cut the body so the client sees an incomplete file.
                    tracing::error!(error = %err, "open data export failed");
                    Some((
                        Err(std::io::Error::other("export interrompu")),
                        (after, true, true),
                    ))
                }
            }
        }
    });
    let (content_type, name) = match format {
        Format::Csv => ("text/csv; charset=utf-8", "declarations.csv"),
        Format::JsonLines => ("application/x-ndjson; charset=utf-8", "declarations.jsonl"),
    };
    (
        [
            (header::CONTENT_TYPE, content_type.to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}\""),
            ),
            (header::CACHE_CONTROL, "public, max-age=300".to_string()),
            (header::ACCESS_CONTROL_ALLOW_ORIGIN, "*".to_string()),
        ],
        Body::from_stream(body),
    )
        .into_response()
}
