//! The benchmark's query workload: a few thousand searches drawn from the catalogue and the
//! referential with a fixed seed, in the proportions people search with (tool names, typos,
//! aliases, prefixes while typing, authority names, browsing, every filter, later pages,
//! nothing found). Written as URL query strings, one per line, so the HTTP benchmark and
//! the in-process engine benchmark replay the same set.

use rand::rngs::StdRng;
use rand::seq::IndexedRandom;
use rand::{Rng, SeedableRng};
use sea_orm::{ConnectionTrait, EntityTrait};

use crate::entities::{authority, category, software};
use crate::error::DomainResult;
use crate::text::fold;
use model::usage::UsageStatus;

/// One word with one to two edits (substitution, deletion, insertion) or a transposition.
fn typo(word: &str, rng: &mut StdRng) -> String {
    let mut chars: Vec<char> = word.chars().collect();
    let edits = if chars.len() >= 9 {
        rng.random_range(1..=2)
    } else {
        1
    };
    for _ in 0..edits {
        if chars.len() < 3 {
            break;
        }
        let i = rng.random_range(1..chars.len() - 1);
        match rng.random_range(0..4) {
            0 => chars[i] = (b'a' + rng.random_range(0..26u8)) as char,
            1 => {
                chars.remove(i);
            }
            2 => chars.insert(i, (b'a' + rng.random_range(0..26u8)) as char),
            _ => chars.swap(i, i + 1),
        }
    }
    chars.into_iter().collect()
}

fn encode(q: &str) -> String {
    q.split_whitespace().collect::<Vec<_>>().join("%20")
}

/// `count` query strings (without the leading `?`), the same for the same seed and data.
pub async fn generate(
    db: &impl ConnectionTrait,
    count: usize,
    seed: u64,
) -> DomainResult<Vec<String>> {
    let mut rng = StdRng::seed_from_u64(seed);
    let mut tools: Vec<software::Model> = software::Entity::find().all(db).await?;
    tools.sort_by_key(|s| s.id);
    let mut categories: Vec<String> = category::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .map(|c| c.slug)
        .collect();
    categories.sort();
    let mut places: Vec<(String, Option<String>, Option<String>)> = authority::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .map(|a| (a.name, a.departement_code, a.region_code))
        .collect();
    places.sort();
    if tools.is_empty() || places.is_empty() {
        return Ok(Vec::new());
    }
    let statuses = UsageStatus::ALL;
    let aliases: Vec<String> = tools
        .iter()
        .flat_map(|t| {
            crate::catalogue::lines(&t.aliases)
                .into_iter()
                .chain(crate::catalogue::lines(&t.similar_names))
                .map(|a| fold(&a))
        })
        .collect();
    let mut out = Vec::with_capacity(count);
    for _ in 0..count {
        let tool = tools.choose(&mut rng).map_or("", |t| t.name.as_str());
        let tool_word = fold(tool)
            .split_whitespace()
            .max_by_key(|w| w.len())
            .unwrap_or("")
            .to_string();
        let (place, departement, region) = places.choose(&mut rng).cloned().unwrap_or_default();
        let mut params: Vec<String> = Vec::new();
        match rng.random_range(0..100) {
            // A tool by its name.
            0..25 => params.push(format!("q={}", encode(&fold(tool)))),
            // Typing: a prefix.
            25..35 => {
                let len = tool_word.chars().count();
                let prefix: String = tool_word.chars().take(len.min(3 + len / 3)).collect();
                params.push(format!("q={prefix}"));
            }
            // A typo.
            35..50 => params.push(format!("q={}", typo(&tool_word, &mut rng))),
            // An alias or a similar (often proprietary) name.
            50..60 => {
                let name = aliases
                    .choose(&mut rng)
                    .cloned()
                    .unwrap_or_else(|| fold(tool));
                params.push(format!("q={}", encode(&name)));
            }
            // An authority by its name.
            60..70 => params.push(format!("q={}", encode(&fold(&place)))),
            // Browsing everything, sorted.
            70..80 => {
                let sort = ["name", "population", "relevance"]
                    .choose(&mut rng)
                    .copied()
                    .unwrap_or("name");
                params.push(format!("sort={sort}"));
            }
            // A tool with a filter.
            80..95 => {
                params.push(format!("q={}", encode(&fold(tool))));
                match rng.random_range(0..7) {
                    0 => params.push(format!(
                        "status={}",
                        statuses.choose(&mut rng).map_or("in_use", |s| s.as_str())
                    )),
                    1 => params.push(format!(
                        "category={}",
                        categories.choose(&mut rng).map_or("sig", String::as_str)
                    )),
                    2 => params.extend(departement.map(|d| format!("departement={d}"))),
                    3 => params.extend(region.map(|r| format!("region={r}"))),
                    4 => params.push("kind=commune".into()),
                    5 => params.push("member=true".into()),
                    _ => params.push("population=1000-4999".into()),
                }
            }
            // Nothing to find.
            _ => {
                let word: String = (0..8)
                    .map(|_| (b'a' + rng.random_range(0..26u8)) as char)
                    .collect();
                params.push(format!("q=zq{word}"));
            }
        }
        if rng.random_range(0..10) < 3 {
            params.push(format!("page={}", rng.random_range(2..=5)));
        }
        out.push(params.join("&"));
    }
    Ok(out)
}

/// Parses one workload line back into URL parameters.
pub fn params(line: &str) -> std::collections::BTreeMap<String, String> {
    line.split('&')
        .filter_map(|kv| kv.split_once('='))
        .map(|(k, v)| (k.to_string(), v.replace("%20", " ")))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typos_stay_close_and_lines_parse_back() {
        let mut rng = StdRng::seed_from_u64(7);
        for _ in 0..200 {
            let t = typo("nextcloud", &mut rng);
            assert!(t != "nextcloud" || t.len() == 9, "{t}");
            assert!(t.len().abs_diff(9) <= 2, "{t}");
        }
        let p = params("q=libre%20office&page=2");
        assert_eq!(p.get("q").map(String::as_str), Some("libre office"));
        assert_eq!(p.get("page").map(String::as_str), Some("2"));
    }
}
