//! Random secrets (session cookies, email links) and their stored form.

use base64::Engine;
use rand::RngCore;
use sha2::{Digest, Sha256};

/// A fresh 256-bit secret, URL-safe, and the SHA-256 hex digest to store.
pub fn generate() -> (String, String) {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    let plain = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes);
    let hashed = digest(&plain);
    (plain, hashed)
}

/// What the database holds for a secret: only its digest.
pub fn digest(plain: &str) -> String {
    let out = Sha256::digest(plain.as_bytes());
    out.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_random_and_stored_hashed() {
        let (a, ha) = generate();
        let (b, _) = generate();
        assert_ne!(a, b);
        assert_eq!(a.len(), 43, "256 bits in unpadded base64url");
        assert_eq!(ha, digest(&a));
        assert_eq!(ha.len(), 64);
        assert_ne!(ha, a);
    }
}
