//! Who the client is when Pairs sits behind a reverse proxy. Only a peer listed in
//! `PAIRS_TRUSTED_PROXIES` may say who it forwards for; the client is then the rightmost
//! address of `X-Forwarded-For` (or `Forwarded: for=`) that is not itself a trusted proxy,
//! since everything left of it was written by parties nobody vouches for.

use std::net::IpAddr;

/// An address range: `10.0.0.0/8`, `::1/128`, or a bare address.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Cidr {
    net: IpAddr,
    prefix: u8,
}

impl Cidr {
    pub fn parse(text: &str) -> Option<Self> {
        let (addr, prefix) = match text.trim().split_once('/') {
            Some((a, p)) => (a, Some(p.parse::<u8>().ok()?)),
            None => (text.trim(), None),
        };
        let net: IpAddr = addr.parse().ok()?;
        let max = if net.is_ipv4() { 32 } else { 128 };
        let prefix = prefix.unwrap_or(max);
        (prefix <= max).then_some(Self { net, prefix })
    }

    pub fn contains(&self, ip: IpAddr) -> bool {
        match (self.net, canonical(ip)) {
            (IpAddr::V4(net), IpAddr::V4(ip)) => {
                let mask = u32::MAX
                    .checked_shl(32 - u32::from(self.prefix))
                    .unwrap_or(0);
                u32::from(net) & mask == u32::from(ip) & mask
            }
            (IpAddr::V6(net), IpAddr::V6(ip)) => {
                let mask = u128::MAX
                    .checked_shl(128 - u32::from(self.prefix))
                    .unwrap_or(0);
                u128::from(net) & mask == u128::from(ip) & mask
            }
            _ => false,
        }
    }
}

/// Parses `PAIRS_TRUSTED_PROXIES`: addresses or ranges separated by commas or spaces.
pub fn parse_trusted(text: &str) -> Result<Vec<Cidr>, String> {
    text.split([',', ' '])
        .filter(|part| !part.trim().is_empty())
        .map(|part| Cidr::parse(part).ok_or_else(|| part.trim().to_string()))
        .collect()
}

/// IPv4-mapped IPv6 addresses (`::ffff:1.2.3.4`) are the IPv4 client they carry.
fn canonical(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(ip, IpAddr::V4),
        v4 => v4,
    }
}

fn is_trusted(ip: IpAddr, trusted: &[Cidr]) -> bool {
    trusted.iter().any(|c| c.contains(ip))
}

/// One `for=` value of a `Forwarded` header: `1.2.3.4`, `"[2001:db8::1]:443"`, `1.2.3.4:80`.
fn forwarded_node(value: &str) -> Option<IpAddr> {
    let v = value.trim().trim_matches('"');
    if let Some(rest) = v.strip_prefix('[') {
        return rest.split_once(']')?.0.parse().ok();
    }
    v.parse()
        .ok()
        .or_else(|| v.rsplit_once(':').and_then(|(a, _)| a.parse().ok()))
}

/// The addresses a proxy chain reports, client first.
fn chain(forwarded_for: Option<&str>, forwarded: Option<&str>) -> Vec<IpAddr> {
    if let Some(xff) = forwarded_for {
        return xff
            .split(',')
            .filter_map(|a| a.trim().parse().ok())
            .collect();
    }
    forwarded
        .into_iter()
        .flat_map(|h| h.split([',', ';']))
        .filter_map(|pair| pair.trim().split_once('='))
        .filter(|(k, _)| k.trim().eq_ignore_ascii_case("for"))
        .filter_map(|(_, v)| forwarded_node(v))
        .collect()
}

/// Every line of a header that may come several times (`X-Forwarded-For`, `Forwarded`),
/// joined with commas as HTTP combines them (RFC 9110, 5.3): a proxy that adds a line of
/// its own instead of appending to the last one is read in full.
pub fn joined_lines<'a>(lines: impl IntoIterator<Item = &'a str>) -> Option<String> {
    let joined = lines
        .into_iter()
        .map(str::trim)
        .filter(|line| !line.is_empty())
        .collect::<Vec<_>>()
        .join(", ");
    (!joined.is_empty()).then_some(joined)
}

/// The client's address: the peer itself unless it is a trusted proxy.
pub fn client_address(
    peer: IpAddr,
    forwarded_for: Option<&str>,
    forwarded: Option<&str>,
    trusted: &[Cidr],
) -> IpAddr {
    let peer = canonical(peer);
    if !is_trusted(peer, trusted) {
        return peer;
    }
    let hops = chain(forwarded_for, forwarded);
    hops.iter()
        .rev()
        .map(|ip| canonical(*ip))
        .find(|ip| !is_trusted(*ip, trusted))
        .or_else(|| hops.first().copied().map(canonical))
        .unwrap_or(peer)
}

/// The key a client is throttled under: its address, or its /64 for IPv6, since one
/// subscriber usually holds a whole /64 and could otherwise rotate addresses at will.
pub fn throttle_key(ip: IpAddr) -> String {
    match canonical(ip) {
        IpAddr::V4(v4) => v4.to_string(),
        IpAddr::V6(v6) => {
            let s = v6.segments();
            format!("{:x}:{:x}:{:x}:{:x}::/64", s[0], s[1], s[2], s[3])
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(s: &str) -> IpAddr {
        s.parse().expect("ip")
    }

    #[test]
    fn every_forwarded_line_counts() {
        let trusted = parse_trusted("10.0.0.1").expect("valid");
        let xff = joined_lines(["6.6.6.6", " 198.51.100.7 "]);
        assert_eq!(xff.as_deref(), Some("6.6.6.6, 198.51.100.7"));
        assert_eq!(
            client_address(ip("10.0.0.1"), xff.as_deref(), None, &trusted),
            ip("198.51.100.7")
        );
        assert_eq!(joined_lines(["", " "]), None);
    }

    #[test]
    fn ranges_parse_and_match() {
        let trusted = parse_trusted("10.0.0.0/8, 127.0.0.1 ::1/128").expect("valid");
        assert_eq!(trusted.len(), 3);
        assert!(is_trusted(ip("10.1.2.3"), &trusted));
        assert!(is_trusted(ip("::ffff:10.9.9.9"), &trusted));
        assert!(!is_trusted(ip("11.0.0.1"), &trusted));
        assert!(is_trusted(ip("::1"), &trusted));
        assert_eq!(parse_trusted("10.0.0.0/33"), Err("10.0.0.0/33".into()));
        assert_eq!(parse_trusted("proxy.local"), Err("proxy.local".into()));
        assert_eq!(parse_trusted(""), Ok(vec![]));
    }

    #[test]
    fn only_trusted_peers_may_name_the_client() {
        let trusted = parse_trusted("10.0.0.0/8").expect("valid");
        // Untrusted peer: the header is ignored.
        assert_eq!(
            client_address(ip("203.0.113.9"), Some("1.2.3.4"), None, &trusted),
            ip("203.0.113.9")
        );
        // Trusted peer: the rightmost untrusted hop; a spoofed leftmost entry is ignored.
        assert_eq!(
            client_address(
                ip("10.0.0.2"),
                Some("6.6.6.6, 198.51.100.7, 10.0.0.5"),
                None,
                &trusted
            ),
            ip("198.51.100.7")
        );
        // No header from a trusted peer: the peer.
        assert_eq!(
            client_address(ip("10.0.0.2"), None, None, &trusted),
            ip("10.0.0.2")
        );
        // RFC 7239 `Forwarded`.
        assert_eq!(
            client_address(
                ip("10.0.0.2"),
                None,
                Some("for=\"[2001:db8::7]:4711\";proto=https, for=10.0.0.5"),
                &trusted
            ),
            ip("2001:db8::7")
        );
        // Nothing trusted configured: always the peer.
        assert_eq!(
            client_address(ip("10.0.0.2"), Some("1.2.3.4"), None, &[]),
            ip("10.0.0.2")
        );
    }

    #[test]
    fn ipv6_clients_share_their_slash_64() {
        assert_eq!(
            throttle_key(ip("2001:db8:1:2:aaaa::1")),
            "2001:db8:1:2::/64"
        );
        assert_eq!(
            throttle_key(ip("2001:db8:1:2:bbbb::9")),
            throttle_key(ip("2001:db8:1:2:aaaa::1"))
        );
        assert_eq!(throttle_key(ip("192.0.2.1")), "192.0.2.1");
        assert_eq!(throttle_key(ip("::ffff:192.0.2.1")), "192.0.2.1");
    }
}
