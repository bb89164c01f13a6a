#![doc = include_str!("../README.md")]

pub mod email;
pub mod identity;
pub mod payments;
pub mod sms;
pub mod sso;

/// Percent-encodes all but `[A-Za-z0-9_-]`: ids placed in a URL path are
/// never trusted.
pub(crate) fn path_segment(value: &str) -> String {
    value
        .bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b == b'-' || b == b'_' {
                char::from(b).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}
