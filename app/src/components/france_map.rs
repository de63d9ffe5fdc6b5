//! The map of France's départements shaded by a count, drawn as SVG on the server; each
//! département links to the search filtered on it, names itself and its count, and the
//! same figures follow as a table.

use leptos::prelude::*;

use crate::dto::{MapView, OutlineView};

/// Text safe inside SVG markup.
fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// The map's inner SVG markup. Built as text because SVG links and titles share their
/// names with HTML elements, and markup set on the `<svg>` is parsed as SVG wherever the
/// page is rendered.
fn svg_markup(map: &MapView, search: &str, unit: (&str, &str)) -> String {
    let mut out = String::new();
    for area in &map.areas {
        let what = if area.count == 1 { unit.0 } else { unit.1 };
        let label = escape(&format!(
            "{} ({}) : {} {what}",
            area.name, area.code, area.count
        ));
        let href = escape(&format!("{search}{}", area.code));
        out.push_str(&format!(
            "<a href=\"{href}\" aria-label=\"{label}\" class=\"dep shade-{}\"><title>{label}</title>",
            area.shade
        ));
        match &area.outline {
            OutlineView::Path(d) => out.push_str(&format!("<path d=\"{}\"/>", escape(d))),
            OutlineView::Inset([x, y, w, h]) => {
                out.push_str(&format!(
                    "<rect x=\"{x}\" y=\"{y}\" width=\"{w}\" height=\"{h}\" rx=\"4\"/>\
                     <text x=\"{}\" y=\"{}\" text-anchor=\"middle\" class=\"inset-label\">{}</text>",
                    x + w / 2,
                    y + h / 2 + 5,
                    escape(&area.name)
                ));
            }
        }
        out.push_str("</a>");
    }
    out
}

/// `search` is the search address the département code is appended to, e.g.
/// `/recherche?q=GLPI&departement=`; `unit` the counted thing (singular, plural).
#[component]
pub fn FranceMap(
    map: MapView,
    title: String,
    search: String,
    unit: (&'static str, &'static str),
) -> impl IntoView {
    let markup = svg_markup(&map, &search, unit);
    let legend = map
        .legend
        .iter()
        .map(|(shade, low, high)| {
            let text = if low == high { format!("{low}") } else { format!("{low} à {high}") };
            view! { <li><span class=format!("swatch shade-{shade}") aria-hidden="true"></span>{text}</li> }
        })
        .collect_view();
    let mut listed: Vec<_> = map.areas.iter().filter(|a| a.count > 0).cloned().collect();
    listed.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.code.cmp(&b.code)));
    let none = listed.is_empty();
    let rows = listed
        .into_iter()
        .map(|a| {
            let href = format!("{search}{}", a.code);
            view! {
                <tr>
                    <th scope="row"><a href=href>{format!("{} ({})", a.name, a.code)}</a></th>
                    <td>{a.count}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <figure class="map">
            <figcaption>{title.clone()}</figcaption>
            <svg viewBox=map.view_box.clone() class="france" role="group" aria-label=title.clone() inner_html=markup></svg>
            <ul class="legend" aria-label="Légende">
                <li><span class="swatch shade-0" aria-hidden="true"></span>"aucune"</li>
                {legend}
            </ul>
            <p class="credit">{map.credit.clone()}</p>
            <details>
                <summary>"Les mêmes chiffres en tableau"</summary>
                {if none {
                    view! { <p class="empty">"Aucun département pour l'instant."</p> }.into_any()
                } else {
                    view! {
                        <table>
                            <caption>{title}</caption>
                            <thead><tr><th scope="col">"Département"</th><th scope="col">"Nombre"</th></tr></thead>
                            <tbody>{rows}</tbody>
                        </table>
                    }.into_any()
                }}
            </details>
        </figure>
    }
}
