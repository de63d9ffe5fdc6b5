//! « Vos pairs »: the authorities most comparable to one, what they run most and what they
//! left. Peers are authorities of the same kind that declared at least one tool, taken by
//! nearest population band; within a band, those of the same région first, then the
//! communes of the same EPCI (for an EPCI spanning régions), then the rest of the country;
//! within each of those, the nearest population first. Computed by set algebra over a
//! `Universe` of bitsets (`universe.rs`), from the embedded engine's snapshot or, on
//! Meilisearch, from documents read from the database and kept a minute per process
//! (`source.rs`).

pub mod source;
pub mod universe;

use crate::search::bitset::Bitset;
pub use universe::Universe;

/// How many peers the lists are computed over.
pub const PEER_COUNT: usize = 50;
/// How many tools each list shows at most.
const LIST_LENGTH: usize = 20;

/// The authority peers are sought for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Target {
    pub key: u64,
    pub public_id: String,
    pub name: String,
    pub kind: String,
    pub region: Option<String>,
    pub population: Option<i64>,
    pub epci: Option<u64>,
    /// Slugs of the tools it declared (any status).
    pub declared: Vec<String>,
}

/// One peer and the tools it has in use.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Peer {
    pub public_id: String,
    pub name: String,
    pub kind: String,
    pub departement: Option<String>,
    pub departement_name: Option<String>,
    pub region: Option<String>,
    pub population: Option<i64>,
    pub population_band: String,
    /// Names of the tools in use, by name.
    pub tools: Vec<String>,
}

/// A tool and how many of the peers run it (or left it).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ToolShare {
    pub slug: String,
    pub name: String,
    pub count: u32,
    /// Whether the target authority declared it already.
    pub declared_here: bool,
    /// For an abandoned tool: what the peers that left it say replaced it, as (slug, name,
    /// how many), most said first. Empty in the « most used » list.
    pub moved_to: Vec<(String, String, u32)>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Peers {
    /// Nearest first, at most `PEER_COUNT`.
    pub peers: Vec<Peer>,
    /// Tools in use among the peers, most shared first.
    pub most_used: Vec<ToolShare>,
    /// Tools the peers abandoned, most abandoned first.
    pub abandoned: Vec<ToolShare>,
}

/// Bands in the order a peer search walks them: the target's own, then one step away
/// (smaller first), two steps…; an unknown population only after every known band.
fn bands_by_distance(population: Option<i64>) -> Vec<&'static str> {
    use model::population::{BANDS, UNKNOWN as unknown, band, position};
    let own = band(population);
    let mut bands: Vec<&'static str> = BANDS
        .iter()
        .map(|(b, _)| *b)
        .filter(|b| *b != unknown)
        .collect();
    match position(own) {
        Some(at) if own != unknown => {
            bands.sort_by_key(|b| {
                let i = position(b).unwrap_or(at);
                (i.abs_diff(at), i)
            });
            bands.push(unknown);
        }
        _ => bands.insert(0, unknown),
    }
    bands
}

/// The peers of `target` in `universe` and the two lists computed over them.
pub fn compute(universe: &Universe, target: &Target, limit: usize) -> Peers {
    let mut candidates = universe.or_empty(universe.kind.get(&target.kind));
    if let Some(me) = universe.ordinal(target.key) {
        candidates.remove(me);
    }
    let region = universe.or_empty(target.region.as_ref().and_then(|r| universe.region.get(r)));
    let epci = universe.or_empty(target.epci.and_then(|e| universe.epci.get(&e)));
    let everyone = Bitset::full(universe.len());
    let mut picked: Vec<u32> = Vec::new();
    let mut taken = Bitset::empty(universe.len());
    'bands: for band in bands_by_distance(target.population) {
        let Some(in_band) = universe.band.get(band) else {
            continue;
        };
        let mut in_band = in_band.clone();
        in_band.and_with(&candidates);
        for tier in [&region, &epci, &everyone] {
            let mut set = in_band.clone();
            set.and_with(tier);
            set.and_not_with(&taken);
            let mut ordinals: Vec<u32> = set.iter().collect();
            ordinals.sort_by_key(|o| {
                let d = &universe.docs[*o as usize];
                let distance = match (d.population, target.population) {
                    (Some(a), Some(b)) => a.abs_diff(b),
                    _ => u64::MAX,
                };
                (distance, d.key)
            });
            for o in ordinals {
                if picked.len() >= limit {
                    break 'bands;
                }
                taken.insert(o);
                picked.push(o);
            }
        }
    }
    let shares = |of: fn(&universe::ToolSets) -> &Bitset| {
        let mut list: Vec<ToolShare> = universe
            .tools
            .iter()
            .filter_map(|t| {
                let count = of(t).and_count(&taken);
                (count > 0).then(|| ToolShare {
                    slug: t.slug.clone(),
                    name: t.name.clone(),
                    count: count as u32,
                    declared_here: target.declared.contains(&t.slug),
                    moved_to: Vec::new(),
                })
            })
            .collect();
        list.sort_by(|a, b| {
            b.count
                .cmp(&a.count)
                .then_with(|| crate::text::fold(&a.name).cmp(&crate::text::fold(&b.name)))
        });
        list.truncate(LIST_LENGTH);
        list
    };
    let in_use = model::usage::UsageStatus::InUse.as_str();
    let mut abandoned = shares(|t| &t.abandoned);
    for share in &mut abandoned {
        let Some(sets) = universe.tools.iter().find(|t| t.slug == share.slug) else {
            continue;
        };
        let mut left = sets.abandoned.clone();
        left.and_with(&taken);
        let mut moved: Vec<(String, String, u32)> = Vec::new();
        for o in left.iter() {
            let replacement = universe.docs[o as usize]
                .tools
                .iter()
                .find(|t| t.slug == share.slug)
                .and_then(|t| t.replaced_by.clone());
            if let Some((slug, name)) = replacement {
                match moved.iter_mut().find(|(s, _, _)| *s == slug) {
                    Some((_, _, n)) => *n += 1,
                    None => moved.push((slug, name, 1)),
                }
            }
        }
        moved.sort_by(|a, b| b.2.cmp(&a.2).then_with(|| a.1.cmp(&b.1)));
        share.moved_to = moved;
    }
    Peers {
        most_used: shares(|t| &t.in_use),
        abandoned,
        peers: picked
            .iter()
            .map(|o| {
                let d = &universe.docs[*o as usize];
                let mut tools: Vec<String> = d
                    .tools
                    .iter()
                    .filter(|t| t.status == in_use)
                    .map(|t| t.name.clone())
                    .collect();
                tools.sort_by_cached_key(|n| crate::text::fold(n));
                Peer {
                    public_id: d.id.clone(),
                    name: d.name.clone(),
                    kind: d.kind.clone(),
                    departement: d.departement.clone(),
                    departement_name: d.departement_name.clone(),
                    region: d.region.clone(),
                    population: d.population,
                    population_band: d.population_band.clone(),
                    tools,
                }
            })
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;
    use crate::search::{AuthorityDoc, ToolDoc};

    fn tool(slug: &str, status: &str) -> ToolDoc {
        ToolDoc {
            slug: slug.into(),
            name: slug.to_uppercase(),
            aliases: Vec::new(),
            similar: Vec::new(),
            category: None,
            category_name: None,
            keywords: Vec::new(),
            status: status.into(),
            words: Vec::new(),
            replaced_by: None,
        }
    }

    fn doc(
        key: u64,
        kind: &str,
        region: &str,
        population: i64,
        tools: &[(&str, &str)],
    ) -> Arc<AuthorityDoc> {
        Arc::new(AuthorityDoc {
            key,
            id: format!("com-{key}"),
            name: format!("Commune {key}"),
            kind: kind.into(),
            departement: None,
            departement_name: None,
            region: Some(region.into()),
            region_name: None,
            population: Some(population),
            population_band: model::population::band(Some(population)).into(),
            is_member: true,
            label_level: None,
            postcodes: Vec::new(),
            codes: Vec::new(),
            epci: None,
            tools: tools.iter().map(|(s, st)| tool(s, st)).collect(),
            contactable_members: 0,
            identity_words: Vec::new(),
        })
    }

    fn target(key: u64, region: &str, population: i64, declared: &[&str]) -> Target {
        Target {
            key,
            public_id: format!("com-{key}"),
            name: "Cible".into(),
            kind: "commune".into(),
            region: Some(region.into()),
            population: Some(population),
            epci: None,
            declared: declared.iter().map(|s| s.to_string()).collect(),
        }
    }

    #[test]
    fn bands_are_walked_nearest_first() {
        assert_eq!(
            bands_by_distance(Some(20_000)),
            [
                "20000-99999",
                "5000-19999",
                "100000+",
                "1000-4999",
                "0-999",
                "inconnue"
            ]
        );
        assert_eq!(bands_by_distance(None)[0], "inconnue");
    }

    #[test]
    fn same_band_and_region_first_then_band_then_nearer_bands() {
        let docs = vec![
            doc(1, "commune", "93", 21_000, &[("glpi", "in_use")]), // the target itself
            doc(2, "commune", "11", 25_000, &[("glpi", "in_use")]),
            doc(
                3,
                "commune",
                "93",
                30_000,
                &[("glpi", "in_use"), ("zimbra", "abandoned")],
            ),
            doc(4, "commune", "93", 8_000, &[("nextcloud", "in_use")]),
            doc(5, "epci", "93", 22_000, &[("glpi", "in_use")]),
            doc(6, "commune", "93", 22_000, &[]),
            doc(
                7,
                "commune",
                "93",
                20_500,
                &[("nextcloud", "in_use"), ("glpi", "evaluating")],
            ),
        ];
        // Commune 3 says Nextcloud replaced Zimbra.
        let mut docs = docs;
        let mut three = (*docs[2]).clone();
        three.tools[1].replaced_by = Some(("nextcloud".into(), "Nextcloud".into()));
        docs[2] = Arc::new(three);
        let universe = Universe::from_docs(&docs);
        let peers = compute(&universe, &target(1, "93", 21_000, &["glpi"]), 50);
        let ids: Vec<&str> = peers.peers.iter().map(|p| p.public_id.as_str()).collect();
        // Same band and région (nearest population first), then the band elsewhere, then
        // the next band; never itself, another kind, or an authority without tools.
        assert_eq!(ids, ["com-7", "com-3", "com-2", "com-4"]);
        assert_eq!(
            peers.most_used,
            [
                ToolShare {
                    slug: "glpi".into(),
                    name: "GLPI".into(),
                    count: 2,
                    declared_here: true,
                    moved_to: Vec::new(),
                },
                ToolShare {
                    slug: "nextcloud".into(),
                    name: "NEXTCLOUD".into(),
                    count: 2,
                    declared_here: false,
                    moved_to: Vec::new(),
                },
            ]
        );
        assert_eq!(peers.abandoned.len(), 1);
        assert_eq!(peers.abandoned[0].slug, "zimbra");
        assert_eq!(
            peers.abandoned[0].moved_to,
            [("nextcloud".to_string(), "Nextcloud".to_string(), 1)]
        );
        let limited = compute(&universe, &target(1, "93", 21_000, &[]), 2);
        assert_eq!(limited.peers.len(), 2);
        assert_eq!(
            limited.most_used.iter().map(|t| t.count).sum::<u32>(),
            2,
            "counts over the two peers only"
        );
    }
}
