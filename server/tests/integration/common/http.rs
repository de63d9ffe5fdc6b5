//! Talking to the site over real TCP, as a browser does: the real listener, kept-alive
//! HTTP/1.1 connections.

use std::time::{Duration, Instant};

use leptos::prelude::get_configuration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// Serves the real router on the real listener (as `pairs serve` does) on a free port.
pub async fn serve(state: domain::AppState) -> std::net::SocketAddr {
    let options = get_configuration(None)
        .expect("leptos options")
        .leptos_options;
    let router = server::router::build(state, options)
        .into_make_service_with_connect_info::<std::net::SocketAddr>();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let addr = listener.local_addr().expect("addr");
    tokio::spawn(async move {
        axum::serve(server::listener::no_delay(listener), router)
            .await
            .ok();
    });
    addr
}

/// One GET on an open connection; returns the time to the end of the (chunked or sized)
/// response and its status line.
pub async fn timed_get(conn: &mut TcpStream, path: &str) -> (Duration, String) {
    let started = Instant::now();
    conn.write_all(format!("GET {path} HTTP/1.1\r\nHost: pairs.test\r\nAccept: text/html\r\nAccept-Encoding: gzip\r\n\r\n").as_bytes())
        .await
        .expect("write");
    let mut buf = Vec::new();
    let mut chunk = [0u8; 16 * 1024];
    loop {
        let n = tokio::time::timeout(Duration::from_secs(10), conn.read(&mut chunk))
            .await
            .expect("response within 10 s")
            .expect("read");
        assert!(n > 0, "connection closed mid-response");
        buf.extend_from_slice(&chunk[..n]);
        let text = String::from_utf8_lossy(&buf);
        let Some(head_end) = text.find("\r\n\r\n") else {
            continue;
        };
        let head = text[..head_end].to_ascii_lowercase();
        let body_len = buf.len() - head_end - 4;
        let done = if head.contains("transfer-encoding: chunked") {
            buf.ends_with(b"\r\n0\r\n\r\n")
        } else {
            let length = head
                .lines()
                .find_map(|l| l.strip_prefix("content-length:"))
                .and_then(|v| v.trim().parse::<usize>().ok())
                .unwrap_or(0);
            body_len >= length
        };
        if done {
            let status = text.lines().next().unwrap_or_default().to_string();
            return (started.elapsed(), status);
        }
    }
}
