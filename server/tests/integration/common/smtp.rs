//! A real SMTP server for tests: Debian's aiosmtpd, storing each message in a Maildir.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

pub struct SmtpServer {
    child: Child,
    pub port: u16,
    pub maildir: PathBuf,
}

pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("free port")
}

impl SmtpServer {
    /// Starts aiosmtpd on `port`; panics with a clear message when it is not installed
    /// (`make test` installs python3-aiosmtpd).
    pub fn start(port: u16, maildir: &Path) -> Self {
        let child = Command::new("/usr/bin/python3")
            .args(["-m", "aiosmtpd", "-n", "-l", &format!("127.0.0.1:{port}")])
            .args(["-c", "aiosmtpd.handlers.Mailbox"])
            .arg(maildir)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect(
                "aiosmtpd runs (/usr/bin/python3 -m aiosmtpd; apt-get install python3-aiosmtpd)",
            );
        let deadline = Instant::now() + Duration::from_secs(15);
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(
                Instant::now() < deadline,
                "aiosmtpd did not start on port {port}"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
        Self {
            child,
            port,
            maildir: maildir.to_path_buf(),
        }
    }

    /// An SMTP server that refuses every recipient for good (550), quoting the address as
    /// real servers do.
    pub fn start_rejecting(port: u16) -> Self {
        let script = r#"import sys, time
from aiosmtpd.controller import Controller
class Refuse:
    async def handle_RCPT(self, server, session, envelope, address, options):
        return '550 5.1.1 <%s>: mailbox unavailable' % address
Controller(Refuse(), hostname='127.0.0.1', port=int(sys.argv[1])).start()
while True:
    time.sleep(3600)
"#;
        let child = Command::new("/usr/bin/python3")
            .args(["-c", script, &port.to_string()])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("aiosmtpd runs (apt-get install python3-aiosmtpd)");
        let deadline = Instant::now() + Duration::from_secs(15);
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(
                Instant::now() < deadline,
                "rejecting SMTP server did not start"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
        Self {
            child,
            port,
            maildir: PathBuf::new(),
        }
    }

    pub fn url(&self) -> String {
        format!("smtp://127.0.0.1:{}", self.port)
    }

    /// Every message received so far, raw (headers and body).
    pub fn messages(&self) -> Vec<String> {
        messages(&self.maildir)
    }
}

pub fn messages(maildir: &Path) -> Vec<String> {
    let mut out = Vec::new();
    for sub in ["new", "cur"] {
        if let Ok(entries) = std::fs::read_dir(maildir.join(sub)) {
            let mut paths: Vec<_> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
            // In order of arrival: Maildir names do not sort by time (their microseconds
            // are not zero-padded), the files' modification times do.
            paths.sort_by_key(|p| {
                let modified = std::fs::metadata(p).and_then(|m| m.modified()).ok();
                (modified, p.clone())
            });
            for p in paths {
                if let Ok(text) = std::fs::read_to_string(p) {
                    out.push(text);
                }
            }
        }
    }
    out
}

impl Drop for SmtpServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Undoes quoted-printable soft breaks and `=3D` so links can be read from raw mail.
pub fn unfold_qp(raw: &str) -> String {
    raw.replace("=\r\n", "")
        .replace("=\n", "")
        .replace("=3D", "=")
}

/// A raw message with its quoted-printable bodies decoded (UTF-8), to read its French text.
pub fn decode_qp(raw: &str) -> String {
    let unfolded = raw.replace("=\r\n", "").replace("=\n", "");
    let bytes = unfolded.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes
            .get(i + 1..i + 3)
            .and_then(|h| std::str::from_utf8(h).ok())
            .and_then(|h| u8::from_str_radix(h, 16).ok());
        match (bytes[i], hex) {
            (b'=', Some(b)) => {
                out.push(b);
                i += 3;
            }
            (c, _) => {
                out.push(c);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The first link in a raw message that starts with `prefix`.
pub fn link(raw: &str, prefix: &str) -> Option<String> {
    let text = unfold_qp(raw);
    let start = text.find(prefix)?;
    let rest = &text[start..];
    let end = rest
        .find(|c: char| c.is_whitespace() || c == '"' || c == '<')
        .unwrap_or(rest.len());
    Some(rest[..end].to_string())
}
