//! The real `pairs` binary, for the suites that measure a running server from outside:
//! one-shot commands on a data dir, and `pairs serve` on a free port, killed when dropped.

use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};

pub fn bin() -> &'static str {
    env!("CARGO_BIN_EXE_pairs")
}

/// `pairs ARGS` on the SQLite database and embedded index of `data`; panics with its
/// stderr when it fails.
pub fn run(data: &Path, args: &[&str]) {
    let out = Command::new(bin())
        .args(args)
        .env("PAIRS_DATA_DIR", data)
        .env("DATABASE_URL", "")
        .env("MEILI_URL", "")
        .output()
        .expect("pairs runs");
    assert!(
        out.status.success(),
        "pairs {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// A `pairs serve` process, killed when dropped.
pub struct Server {
    child: Child,
    pub port: u16,
}

impl Server {
    /// Serves `data` on a free port (no SMTP: mails go to files) and waits until it listens.
    pub fn start(data: &Path, log_level: &str) -> Self {
        let port = super::smtp::free_port();
        let child = Command::new(bin())
            .arg("serve")
            .env("PAIRS_DATA_DIR", data)
            .env("DATABASE_URL", "")
            .env("MEILI_URL", "")
            .env("SMTP_URL", "")
            .env("LEPTOS_SITE_ADDR", format!("127.0.0.1:{port}"))
            .env("PAIRS_PUBLIC_URL", format!("http://127.0.0.1:{port}"))
            .env("LEPTOS_OUTPUT_NAME", "pairs")
            .env("RUST_LOG", log_level)
            .stdout(Stdio::null())
            .spawn()
            .expect("pairs serve");
        let server = Self { child, port };
        let up = (0..150).any(|_| {
            let ok = TcpStream::connect(("127.0.0.1", port)).is_ok();
            if !ok {
                std::thread::sleep(std::time::Duration::from_millis(200));
            }
            ok
        });
        assert!(up, "the server listens on {port}");
        server
    }

    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    pub fn base(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Peak (`VmHWM`) and current (`VmRSS`) resident memory of a process, in kB.
pub fn memory_kb(pid: u32) -> (u64, u64) {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).expect("status");
    let field = |name: &str| {
        status
            .lines()
            .find(|l| l.starts_with(name))
            .and_then(|l| l.split_whitespace().nth(1))
            .and_then(|v| v.parse().ok())
            .expect("memory field")
    };
    (field("VmHWM:"), field("VmRSS:"))
}
