//! The embedded search index has one writer per data directory: a second `pairs serve` on
//! the same directory is refused at start, in French, saying to use Meilisearch for several
//! processes; the first one keeps serving.

use crate::common;

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::smtp::free_port;

#[test]
fn a_second_server_on_the_same_embedded_index_is_refused() {
    let dir = tempfile::tempdir().expect("dir");
    let bin = env!("CARGO_BIN_EXE_pairs");
    let database = format!(
        "sqlite://{}?mode=rwc",
        dir.path().join("pairs.db").display()
    );
    let env = |port: u16| {
        vec![
            ("PAIRS_DATA_DIR", dir.path().display().to_string()),
            ("DATABASE_URL", database.clone()),
            ("LEPTOS_SITE_ADDR", format!("127.0.0.1:{port}")),
            ("LEPTOS_OUTPUT_NAME", "pairs".to_string()),
            ("PAIRS_PUBLIC_URL", format!("http://127.0.0.1:{port}")),
            ("SMTP_URL", String::new()),
        ]
    };
    let first_port = free_port();
    let mut first = Command::new(bin)
        .arg("serve")
        .envs(env(first_port))
        .env_remove("MEILI_URL")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("first server");
    let deadline = Instant::now() + Duration::from_secs(60);
    while std::net::TcpStream::connect(("127.0.0.1", first_port)).is_err() {
        assert!(Instant::now() < deadline, "the first server listens");
        assert!(
            first.try_wait().expect("status").is_none(),
            "the first server runs"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    let second = Command::new(bin)
        .arg("serve")
        .envs(env(free_port()))
        .env_remove("MEILI_URL")
        .output()
        .expect("second server");
    let stderr = String::from_utf8_lossy(&second.stderr);
    let _ = first.kill();
    let _ = first.wait();
    assert!(!second.status.success(), "the second server stops");
    assert!(
        stderr.contains("déjà utilisé par un autre processus") && stderr.contains("Meilisearch"),
        "{stderr}"
    );
}
