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

/// A `pairs serve` process with the environment given (on top of a quiet default), for the
/// suites that run several processes on one database; killed when dropped unless stopped.
pub fn serve_with(port: u16, envs: &[(&str, String)]) -> Server {
    let mut command = Command::new(bin());
    command
        .arg("serve")
        .env("LEPTOS_SITE_ADDR", format!("127.0.0.1:{port}"))
        .env("LEPTOS_OUTPUT_NAME", "pairs")
        .env("RUST_LOG", "warn")
        .stdout(Stdio::null());
    for (key, value) in envs {
        command.env(key, value);
    }
    let child = command.spawn().expect("pairs serve");
    let server = Server { child, port };
    let up = (0..300).any(|_| {
        let ok = TcpStream::connect(("127.0.0.1", port)).is_ok();
        if !ok {
            std::thread::sleep(std::time::Duration::from_millis(100));
        }
        ok
    });
    assert!(up, "the server listens on {port}");
    server
}

impl Server {
    /// Sends SIGTERM, as a service manager stopping the process does.
    pub fn terminate(&self) {
        let status = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status()
            .expect("kill runs");
        assert!(status.success(), "SIGTERM sent");
    }

    /// Waits up to `limit` for the process to exit; its exit status, or `None` if it runs on.
    pub fn wait_exit(&mut self, limit: std::time::Duration) -> Option<std::process::ExitStatus> {
        let deadline = std::time::Instant::now() + limit;
        loop {
            if let Ok(Some(status)) = self.child.try_wait() {
                return Some(status);
            }
            if std::time::Instant::now() > deadline {
                return None;
            }
            std::thread::sleep(std::time::Duration::from_millis(50));
        }
    }
}

/// One answer over plain HTTP/1.1.
#[derive(Debug)]
pub struct Answer {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: String,
}

impl Answer {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// `name=value` of the cookie `name` the answer sets (not a clearing one).
    pub fn cookie(&self, name: &str) -> Option<String> {
        self.headers
            .iter()
            .filter(|(k, _)| k.eq_ignore_ascii_case("set-cookie"))
            .filter_map(|(_, v)| v.split(';').next())
            .find(|c| c.starts_with(&format!("{name}=")) && c.len() > name.len() + 1)
            .map(str::to_string)
    }
}

/// A request over a fresh connection (`Connection: close`), as a browser without
/// JavaScript sends forms (same origin): `body` form-encoded when given.
pub fn http(
    port: u16,
    method: &str,
    path: &str,
    cookie: Option<&str>,
    body: Option<&str>,
) -> std::io::Result<Answer> {
    use std::io::{Read, Write};
    let mut stream = TcpStream::connect(("127.0.0.1", port))?;
    stream.set_read_timeout(Some(std::time::Duration::from_secs(30)))?;
    let mut head = format!(
        "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nAccept: text/html\r\n\
         Sec-Fetch-Site: same-origin\r\nConnection: close\r\n"
    );
    if let Some(cookie) = cookie {
        head.push_str(&format!("Cookie: {cookie}\r\n"));
    }
    if let Some(body) = body {
        head.push_str(&format!(
            "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n",
            body.len()
        ));
    }
    head.push_str("\r\n");
    stream.write_all(head.as_bytes())?;
    if let Some(body) = body {
        stream.write_all(body.as_bytes())?;
    }
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw)?;
    let split = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .ok_or_else(|| std::io::Error::other("no end of headers"))?;
    let head = String::from_utf8_lossy(&raw[..split]).into_owned();
    let body = &raw[split + 4..];
    let mut lines = head.lines();
    let status = lines
        .next()
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| std::io::Error::other(format!("no status line in {head:?}")))?;
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_string(), v.trim().to_string()))
        .collect();
    let chunked = headers.iter().any(|(k, v)| {
        k.eq_ignore_ascii_case("transfer-encoding") && v.eq_ignore_ascii_case("chunked")
    });
    let body = if chunked {
        dechunk(body)
    } else {
        body.to_vec()
    };
    let body = String::from_utf8_lossy(&body).into_owned();
    Ok(Answer {
        status,
        headers,
        body,
    })
}

/// The body of a chunked answer.
fn dechunk(mut rest: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    while let Some(eol) = rest.windows(2).position(|w| w == b"\r\n") {
        let size = String::from_utf8_lossy(&rest[..eol]);
        let Ok(size) = usize::from_str_radix(size.trim(), 16) else {
            break;
        };
        let after = &rest[eol + 2..];
        let size = size.min(after.len());
        out.extend_from_slice(&after[..size]);
        if size == 0 {
            break;
        }
        rest = after[size..]
            .strip_prefix(b"\r\n")
            .unwrap_or(&after[size..]);
    }
    out
}
