//! `pairs bench-engine`: engine time alone, in-process, over a workload file (one URL query
//! per line, see `pairs bench-queries`): the documents of the database in an in-memory
//! embedded index, a full rebuild timed, one declaration's update timed, then every query
//! replayed. Prints figures; asserts nothing.

use std::path::Path;
use std::time::Instant;

use anyhow::Context;
use domain::Config;
use domain::search::{SearchIndex, SearchQuery, embedded::EmbeddedIndex, workload};

fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

fn report(name: &str, mut micros: Vec<f64>) {
    micros.sort_by(f64::total_cmp);
    println!(
        "{name}: n={} p50={:.1}us p99={:.1}us max={:.1}us",
        micros.len(),
        percentile(&micros, 0.5),
        percentile(&micros, 0.99),
        micros.last().copied().unwrap_or(0.0)
    );
}

pub async fn bench_engine(config: &Config, queries: &Path, rounds: usize) -> anyhow::Result<()> {
    let text = std::fs::read_to_string(queries)
        .with_context(|| format!("lecture de {}", queries.display()))?;
    let queries: Vec<(bool, SearchQuery)> = text
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let params = workload::params(l);
            let browse = params.get("q").is_none_or(|q| q.trim().is_empty());
            SearchQuery::from_pairs(params.iter().map(|(k, v)| (k.as_str(), v.as_str())))
                .map(|q| (browse, q))
                .map_err(|e| anyhow::anyhow!("{l} : {e}"))
        })
        .collect::<Result<_, _>>()?;
    let db = domain::db::connect(config).await?;
    let docs = domain::search::build::documents(&db, None).await?;
    let index = EmbeddedIndex::in_memory()?;
    let started = Instant::now();
    index.rebuild(docs.clone()).await?;
    println!(
        "rebuild: {} documents in {:.3} s",
        docs.len(),
        started.elapsed().as_secs_f64()
    );
    if let Some(doc) = docs.iter().find(|d| !d.tools.is_empty()) {
        let started = Instant::now();
        index.upsert(vec![doc.clone()]).await?;
        println!(
            "one declaration visible: {:.1} ms",
            started.elapsed().as_secs_f64() * 1000.0
        );
    }
    // The first round meets every query word for the first time (nothing remembered by
    // the lexicons); the next rounds are the steady state of a running server.
    let (mut first, mut all, mut browse) = (Vec::new(), Vec::new(), Vec::new());
    for round in 0..rounds.max(2) {
        for (is_browse, q) in &queries {
            let started = Instant::now();
            index.search(q).await?;
            let us = started.elapsed().as_secs_f64() * 1e6;
            if round == 0 {
                first.push(us);
                continue;
            }
            all.push(us);
            if *is_browse {
                browse.push(us);
            }
        }
    }
    report("engine first round", first);
    report("engine", all);
    report("engine browse", browse);
    Ok(())
}
