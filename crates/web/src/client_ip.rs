//! The client's address, as rate limits, lockouts and the honeypot must see
//! it: `X-Forwarded-For` is believed only as far as it was written by our own
//! proxies, so a client cannot choose the address it is judged by.

use std::net::IpAddr;

use actix_web::dev::ServiceRequest;
use actix_web::{HttpMessage, HttpRequest};
use ipnet::IpNet;

/// The address of the caller, resolved once per request by [`resolve`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClientIp(pub IpAddr);

/// The client address of a connection from `peer` carrying `forwarded_for`
/// (the `X-Forwarded-For` values, in order): walk the hops from the right,
/// skipping our trusted proxies; the first other address is the client.
/// A malformed hop ends the walk at the last trusted one.
pub fn client_address(peer: IpAddr, forwarded_for: &[&str], trusted: &[IpNet]) -> IpAddr {
    let is_trusted = |ip: &IpAddr| is_proxy(*ip, trusted);
    if !is_trusted(&peer) {
        return peer;
    }
    let mut client = peer;
    for hop in forwarded_for
        .iter()
        .flat_map(|value| value.split(','))
        .rev()
    {
        match hop.trim().parse::<IpAddr>() {
            Ok(ip) => {
                client = ip;
                if !is_trusted(&ip) {
                    break;
                }
            }
            Err(_) => break,
        }
    }
    client
}

/// Whether `ip` is one of our trusted proxies (a client address resolves to
/// one when every hop was ours: it then speaks for many clients).
pub fn is_proxy(ip: IpAddr, trusted: &[IpNet]) -> bool {
    trusted.iter().any(|net| net.contains(&ip))
}

/// Resolves and stores the client address for the rest of the request.
pub fn resolve(request: &ServiceRequest, trusted: &[IpNet]) -> IpAddr {
    let peer = request
        .peer_addr()
        .map_or(IpAddr::from([0, 0, 0, 0]), |address| address.ip());
    let forwarded: Vec<&str> = request
        .headers()
        .get_all("x-forwarded-for")
        .filter_map(|value| value.to_str().ok())
        .collect();
    let ip = client_address(peer, &forwarded, trusted);
    request.extensions_mut().insert(ClientIp(ip));
    ip
}

/// The client address of a request (after the request-context middleware).
pub fn of(request: &HttpRequest) -> IpAddr {
    request
        .extensions()
        .get::<ClientIp>()
        .map(|client| client.0)
        .or_else(|| request.peer_addr().map(|address| address.ip()))
        .unwrap_or(IpAddr::from([0, 0, 0, 0]))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(text: &str) -> IpAddr {
        text.parse().unwrap()
    }

    fn trusted() -> Vec<IpNet> {
        vec![
            "127.0.0.1/32".parse().unwrap(),
            "10.0.0.0/8".parse().unwrap(),
        ]
    }

    #[test]
    fn an_untrusted_peer_is_the_client_whatever_it_claims() {
        assert_eq!(
            client_address(ip("203.0.113.9"), &["1.2.3.4"], &trusted()),
            ip("203.0.113.9")
        );
    }

    #[test]
    fn behind_our_proxies_the_rightmost_untrusted_hop_is_the_client() {
        // A client spoofs 1.2.3.4; nginx appends the real address.
        assert_eq!(
            client_address(ip("127.0.0.1"), &["1.2.3.4, 198.51.100.7"], &trusted()),
            ip("198.51.100.7")
        );
        // Two layers of our proxies.
        assert_eq!(
            client_address(ip("10.0.0.5"), &["198.51.100.7, 10.0.0.9"], &trusted()),
            ip("198.51.100.7")
        );
        // Several headers are one list, in order.
        assert_eq!(
            client_address(ip("127.0.0.1"), &["1.2.3.4", "198.51.100.7"], &trusted()),
            ip("198.51.100.7")
        );
    }

    #[test]
    fn no_or_garbage_forwarding_stays_with_the_last_trusted_hop() {
        assert_eq!(
            client_address(ip("127.0.0.1"), &[], &trusted()),
            ip("127.0.0.1")
        );
        assert_eq!(
            client_address(ip("127.0.0.1"), &["1.2.3.4, not-an-ip"], &trusted()),
            ip("127.0.0.1")
        );
    }
}
