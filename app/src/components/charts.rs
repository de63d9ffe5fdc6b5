//! Bar charts drawn as SVG on the server (no chart library reaches the browser), each with
//! the same figures as a table for screen readers.

use leptos::prelude::*;

use crate::dto::CountView;

const WIDTH: u64 = 640;
const LABEL_WIDTH: u64 = 230;
const ROW: u64 = 26;

/// A horizontal bar per item, its label on the left and its count at its end.
#[component]
pub fn BarChart(
    /// What the chart shows: the caption of the figure and of its table.
    title: String,
    items: Vec<CountView>,
) -> impl IntoView {
    let max = items.iter().map(|i| i.count).max().unwrap_or(0).max(1);
    let height = ROW * items.len() as u64 + 4;
    let room = WIDTH - LABEL_WIDTH - 60;
    let bars = items
        .iter()
        .enumerate()
        .map(|(i, item)| {
            let y = ROW * i as u64 + 2;
            let width = (item.count * room).div_ceil(max);
            let label = if item.label.chars().count() > 32 {
                format!("{}…", item.label.chars().take(31).collect::<String>())
            } else {
                item.label.clone()
            };
            let text_y = (y + 17).to_string();
            view! {
                <text x=(LABEL_WIDTH - 8).to_string() y=text_y.clone() text-anchor="end" class="chart-label">{label}</text>
                <rect x=LABEL_WIDTH.to_string() y=(y + 3).to_string() width=width.to_string() height=(ROW - 8).to_string() rx="3" class="chart-bar" />
                <text x=(LABEL_WIDTH + width + 6).to_string() y=text_y class="chart-value">{item.count}</text>
            }
        })
        .collect_view();
    let rows = items
        .into_iter()
        .map(|item| view! { <tr><th scope="row">{item.label}</th><td>{item.count}</td></tr> })
        .collect_view();
    let empty = height <= 4;
    view! {
        <figure class="chart">
            <figcaption>{title.clone()}</figcaption>
            {if empty {
                view! { <p class="empty">"Aucune donnée pour l'instant."</p> }.into_any()
            } else {
                view! {
                    <svg viewBox=format!("0 0 {WIDTH} {height}") class="bars" aria-hidden="true" focusable="false">
                        {bars}
                    </svg>
                }.into_any()
            }}
            <table class="sr-only">
                <caption>{title}</caption>
                <thead><tr><th scope="col">"Élément"</th><th scope="col">"Nombre"</th></tr></thead>
                <tbody>{rows}</tbody>
            </table>
        </figure>
    }
}
