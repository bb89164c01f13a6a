//! Randomness from the operating system's generator.

/// Fills `buffer` from the operating system's generator.
pub fn fill_random(buffer: &mut [u8]) {
    // The OS generator failing is unrecoverable: never encrypt with a weak nonce.
    if let Err(error) = getrandom::fill(buffer) {
        panic!("the operating system's random generator failed: {error}");
    }
}

/// `bytes` random bytes as unpadded base64url: bearer secrets (refresh
/// tokens, challenges, states, credentials) that are stored only as digests
/// or sealed.
pub fn random_token(bytes: usize) -> String {
    use base64::Engine;
    let mut raw = zeroize::Zeroizing::new(vec![0u8; bytes]);
    fill_random(&mut raw);
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(raw.as_slice())
}
