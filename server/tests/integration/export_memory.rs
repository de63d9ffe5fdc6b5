//! The declarations export at scale, against the real binary: 40,000 declarations over the
//! real referential stream as CSV while the server's peak resident memory (VmHWM) grows by
//! far less than the file, and the file read by Python's csv module holds exactly the
//! database's declarations.

use std::io::Read;
use std::path::Path;
use std::process::{Command, Stdio};

use crate::common::binary::{Server, memory_kb, run};

const DECLARATIONS: usize = 40_000;
/// The server's peak memory may grow this much while it streams the file. Measured here:
/// 0.5 to 6 MB streaming page by page (a few pages' worth, whatever the size); 16 MB for a
/// variant that reads every row before writing, which this limit catches.
const GROWTH_LIMIT_KB: u64 = 10 * 1024;

fn curl(url: &str) -> Vec<u8> {
    let out = Command::new("curl")
        .args(["-sf", url])
        .output()
        .expect("curl");
    assert!(out.status.success(), "GET {url}");
    out.stdout
}

/// Compares the CSV on stdin with the declarations in the SQLite database, as multisets of
/// (authority, software, status, since); prints `rows same`.
const COMPARE: &str = r#"
import csv, sqlite3, sys
from collections import Counter
reader = csv.reader(sys.stdin)
header = next(reader)
col = {name: i for i, name in enumerate(header)}
keys = ("collectivite", "logiciel", "statut", "depuis")
rows = Counter(tuple(r[col[k]] for k in keys) for r in reader)
db = sqlite3.connect(sys.argv[1])
expected = Counter(
    (a, s, st, "" if since is None else str(since))
    for a, s, st, since in db.execute(
        "SELECT a.public_id, s.slug, u.status, u.since_year FROM usages u "
        "JOIN authorities a ON a.id = u.authority_id JOIN software s ON s.id = u.software_id"
    )
)
print(sum(rows.values()), rows == expected)
"#;

#[test]
fn forty_thousand_declarations_stream_in_bounded_memory() {
    let dir = tempfile::tempdir().expect("tempdir");
    let data = dir.path();
    let referential = std::env::var("PAIRS_REFERENTIAL_DIR").unwrap_or_else(|_| {
        let cache = Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/referential-cache");
        domain::referential::fetch_pinned_package(&cache)
            .expect("npm pack of the pinned referential")
            .display()
            .to_string()
    });
    run(data, &["migrate"]);
    run(data, &["import-referential", "--from", &referential]);
    run(
        data,
        &[
            "seed-bench",
            "--authorities",
            "1000",
            "--usages",
            &DECLARATIONS.to_string(),
        ],
    );
    // Indexed now, so the server starts with no indexing job running beside the export.
    run(data, &["reindex"]);
    let server = Server::start(data, "warn");
    let (base, pid) = (server.base(), server.pid());
    // The server builds its search index at start: wait until its memory settles.
    let mut last = memory_kb(pid).1;
    let mut steady = 0;
    for _ in 0..240 {
        std::thread::sleep(std::time::Duration::from_millis(250));
        let now = memory_kb(pid).1;
        steady = if now.abs_diff(last) < 256 {
            steady + 1
        } else {
            0
        };
        last = now;
        if steady >= 8 {
            break;
        }
    }
    // Warm up the streaming path on a small table (the catalogue).
    curl(&format!("{base}/donnees/logiciels.csv"));
    std::thread::sleep(std::time::Duration::from_millis(500));
    let (peak_before, rss_before) = memory_kb(pid);

    let mut download = Command::new("curl")
        .args(["-sfN", &format!("{base}/donnees/declarations.csv")])
        .stdout(Stdio::piped())
        .spawn()
        .expect("curl");
    let mut compare = Command::new("/usr/bin/python3")
        .args([
            "-c",
            COMPARE,
            &data.join("pairs.sqlite").display().to_string(),
        ])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("python3");
    let mut body = download.stdout.take().expect("body");
    let mut sink = compare.stdin.take().expect("stdin");
    let mut size = 0usize;
    let mut buf = vec![0u8; 64 * 1024];
    loop {
        let n = body.read(&mut buf).expect("read");
        if n == 0 {
            break;
        }
        size += n;
        std::io::Write::write_all(&mut sink, &buf[..n]).expect("pipe");
    }
    drop(sink);
    assert!(
        download.wait().expect("curl").success(),
        "the download completes"
    );
    let out = compare.wait_with_output().expect("compare");
    let (peak_after, rss_after) = memory_kb(pid);
    let verdict = String::from_utf8_lossy(&out.stdout).trim().to_string();
    let growth = peak_after.saturating_sub(peak_before);
    println!(
        "declarations.csv: {size} bytes; server peak RSS {peak_before} kB before (RSS {rss_before} kB), {peak_after} kB after (+{growth} kB), RSS now {rss_after} kB; csv check: {verdict}"
    );
    assert_eq!(
        verdict,
        format!("{DECLARATIONS} True"),
        "every declaration, exactly once, as in the database"
    );
    assert!(size > 2 * 1024 * 1024, "a file of some size: {size} bytes");
    assert!(
        growth < GROWTH_LIMIT_KB,
        "the export grew the server's peak memory by {growth} kB ({size} bytes streamed)"
    );
}
