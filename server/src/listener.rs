//! The TCP listener the site is served on.

use axum::serve::{ListenerExt, TapIo};
use tokio::net::{TcpListener, TcpStream};

/// The listener `pairs serve` uses (a concrete type, so `ConnectInfo` still works).
pub type SiteListener = TapIo<TcpListener, fn(&mut TcpStream)>;

/// Sets `TCP_NODELAY` on every accepted connection. Streamed pages are written in several
/// small pieces; with Nagle's algorithm on, the later pieces waited for the browser's
/// delayed ACK, so every response after the first on a kept-alive connection took ~40 ms.
pub fn no_delay(listener: TcpListener) -> SiteListener {
    listener.tap_io(set_no_delay as fn(&mut TcpStream))
}

fn set_no_delay(tcp: &mut TcpStream) {
    if let Err(err) = tcp.set_nodelay(true) {
        tracing::warn!(error = %err, "TCP_NODELAY could not be set");
    }
}
