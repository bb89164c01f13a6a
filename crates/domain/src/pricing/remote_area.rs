//! Remote areas (islands) where carriers charge a surcharge, by postal code.

/// Inclusive ranges of five-digit postal codes: Jeju (63000–63644) and
/// Ulleung (40200–40240), the areas every Korean carrier surcharges.
const REMOTE_RANGES: [(u32, u32); 2] = [(63000, 63644), (40200, 40240)];

/// Whether a shipment to `postal_code` carries the remote-area surcharge.
/// Anything that is not a five-digit code is not remote.
pub fn is_remote(postal_code: &str) -> bool {
    if postal_code.len() != 5 || !postal_code.bytes().all(|b| b.is_ascii_digit()) {
        return false;
    }
    let Ok(code) = postal_code.parse::<u32>() else {
        return false;
    };
    REMOTE_RANGES
        .iter()
        .any(|(low, high)| (*low..=*high).contains(&code))
}

#[cfg(test)]
mod tests {
    use super::is_remote;

    #[test]
    fn islands_are_remote_and_the_mainland_is_not() {
        assert!(is_remote("63000"));
        assert!(is_remote("63644"));
        assert!(is_remote("40220"));
        assert!(!is_remote("63645"));
        assert!(!is_remote("06236"), "Seoul, Gangnam");
        assert!(!is_remote("6300"));
        assert!(!is_remote("63a00"));
    }
}
