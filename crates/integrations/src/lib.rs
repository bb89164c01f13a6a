#![doc = include_str!("../README.md")]

pub mod app_store;
pub mod delivery_tracker;
pub mod email;
pub mod google_play;
pub mod google_push;
pub mod identity;
pub mod payments;
pub mod sms;
pub mod sso;
mod token_cache;

/// Percent-encodes all but RFC 3986's unreserved characters
/// (`[A-Za-z0-9._~-]`), and a segment of dots entirely: ids placed in a URL
/// path are never trusted.
pub(crate) fn path_segment(value: &str) -> String {
    let only_dots = !value.is_empty() && value.bytes().all(|b| b == b'.');
    value
        .bytes()
        .map(|b| {
            let unreserved = b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~');
            if unreserved && !only_dots {
                char::from(b).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    #[test]
    fn path_segments_keep_unreserved_characters_and_nothing_else() {
        assert_eq!(super::path_segment("com.example.app"), "com.example.app");
        assert_eq!(super::path_segment("a/b?c"), "a%2Fb%3Fc");
        assert_eq!(super::path_segment(".."), "%2E%2E");
    }
}
