//! The stored form of one AES-256-GCM encryption:
//! `[version: 1][key id length: 1][key id][nonce: 12][ciphertext || tag: 16]`.

use aes_gcm::aead::{Aead, Payload};
use aes_gcm::{Aes256Gcm, Nonce};

use crate::error::CryptoError;
use crate::keyring::Keyring;
use crate::random::fill_random;

const VERSION: u8 = 1;
const NONCE_LEN: usize = 12;
const TAG_LEN: usize = 16;

/// Encrypts `plaintext` under the keyring's active key, bound to `aad`.
pub fn seal(keyring: &Keyring, aad: &[u8], plaintext: &[u8]) -> Vec<u8> {
    let (key_id, cipher) = keyring.active();
    let mut nonce = [0u8; NONCE_LEN];
    fill_random(&mut nonce);
    let ciphertext = encrypt(cipher, &nonce, aad, plaintext);
    let mut out = Vec::with_capacity(2 + key_id.len() + NONCE_LEN + ciphertext.len());
    out.push(VERSION);
    out.push(u8::try_from(key_id.len()).unwrap_or(u8::MAX));
    out.extend_from_slice(key_id.as_bytes());
    out.extend_from_slice(&nonce);
    out.extend_from_slice(&ciphertext);
    out
}

fn encrypt(cipher: &Aes256Gcm, nonce: &[u8; NONCE_LEN], aad: &[u8], plaintext: &[u8]) -> Vec<u8> {
    let payload = Payload {
        msg: plaintext,
        aad,
    };
    match cipher.encrypt(&Nonce::from(*nonce), payload) {
        Ok(ciphertext) => ciphertext,
        // Only inputs beyond GCM's 64 GiB limit fail; no field comes near it.
        Err(_) => panic!("AES-GCM refused a {}-byte plaintext", plaintext.len()),
    }
}

/// The key id an envelope was sealed with.
pub fn key_id(envelope: &[u8]) -> Result<&str, CryptoError> {
    Ok(parse(envelope)?.0)
}

fn parse(envelope: &[u8]) -> Result<(&str, &[u8; NONCE_LEN], &[u8]), CryptoError> {
    let (&version, rest) = envelope.split_first().ok_or(CryptoError::Malformed)?;
    if version != VERSION {
        return Err(CryptoError::Malformed);
    }
    let (&id_len, rest) = rest.split_first().ok_or(CryptoError::Malformed)?;
    let id_len = usize::from(id_len);
    if rest.len() < id_len + NONCE_LEN + TAG_LEN {
        return Err(CryptoError::Malformed);
    }
    let (id, rest) = rest.split_at(id_len);
    let (nonce, ciphertext) = rest.split_at(NONCE_LEN);
    let id = std::str::from_utf8(id).map_err(|_| CryptoError::Malformed)?;
    let nonce: &[u8; NONCE_LEN] = nonce.try_into().map_err(|_| CryptoError::Malformed)?;
    Ok((id, nonce, ciphertext))
}

/// Decrypts an envelope with whichever key of `keyring` sealed it.
pub fn open(keyring: &Keyring, aad: &[u8], envelope: &[u8]) -> Result<Vec<u8>, CryptoError> {
    let (key_id, nonce, ciphertext) = parse(envelope)?;
    let cipher = keyring.get(key_id)?;
    cipher
        .decrypt(
            &Nonce::from(*nonce),
            Payload {
                msg: ciphertext,
                aad,
            },
        )
        .map_err(|_| CryptoError::Unauthentic)
}
