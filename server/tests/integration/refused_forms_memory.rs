//! Refused forms cannot grow the server's memory, against the real binary: 10,000 login
//! attempts from one client, each with its own 100 KB address, leave the resident memory
//! within a stated bound (an earlier throttle and flash kept every attempt's key and
//! value: 2,000 such attempts grew a release server by 485 MB).

use std::io::{Read, Write};
use std::net::TcpStream;

use crate::common::binary::{Server, memory_kb, run};

const ATTEMPTS: usize = 10_000;
/// What the resident memory may grow by over the whole run (request buffers the allocator
/// keeps for reuse, the flashes' tokens); the kept addresses alone would be 1 GB.
const GROWTH_LIMIT_KB: u64 = 64 * 1024;

/// One form POST over a fresh connection; the status line of the answer.
fn post_form(port: u16, path: &str, body: &str) -> String {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).expect("connect");
    let request = format!(
        "POST {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\
         Content-Type: application/x-www-form-urlencoded\r\nAccept: text/html\r\n\
         Sec-Fetch-Site: same-origin\r\nConnection: close\r\nContent-Length: {}\r\n\r\n",
        body.len()
    );
    stream.write_all(request.as_bytes()).expect("write head");
    stream.write_all(body.as_bytes()).expect("write body");
    let mut answer = Vec::new();
    stream.read_to_end(&mut answer).expect("read");
    String::from_utf8_lossy(&answer)
        .lines()
        .next()
        .unwrap_or_default()
        .to_string()
}

#[test]
fn ten_thousand_refused_logins_with_huge_addresses_stay_in_bounded_memory() {
    let dir = tempfile::tempdir().expect("tempdir");
    let data = dir.path();
    run(data, &["migrate"]);
    let server = Server::start(data, "error");
    let (port, pid) = (server.port, server.pid());
    // Warm the path (allocator arenas, the router) before the baseline.
    for n in 0..20 {
        post_form(
            port,
            "/api/login",
            &format!("email=avant{n}%40pairs.test&password=x"),
        );
    }
    std::thread::sleep(std::time::Duration::from_millis(500));
    let before = memory_kb(pid).1;

    let padding = "a".repeat(100_000);
    let mut answered = 0;
    for n in 0..ATTEMPTS {
        let body = format!("email={n}{padding}%40pairs.test&password=mauvais");
        let status = post_form(port, "/api/login", &body);
        if status.starts_with("HTTP/1.1 3") || status.starts_with("HTTP/1.1 4") {
            answered += 1;
        }
    }
    std::thread::sleep(std::time::Duration::from_millis(500));
    let after = memory_kb(pid).1;
    let growth = after.saturating_sub(before);
    println!(
        "resident memory: {before} kB before, {after} kB after {ATTEMPTS} refused logins \
         with 100 KB addresses (+{growth} kB; limit +{GROWTH_LIMIT_KB} kB)"
    );
    assert_eq!(
        answered, ATTEMPTS,
        "every attempt got a refusal, none a 5xx"
    );
    assert!(
        growth < GROWTH_LIMIT_KB,
        "memory grew by {growth} kB over {ATTEMPTS} refused forms"
    );
    // The server still answers a normal page afterwards.
    let status = post_form(port, "/api/login", "email=apres%40pairs.test&password=x");
    assert!(status.starts_with("HTTP/1.1 3"), "{status}");
}
