//! argon2id hashing at the OWASP floor (m=19 MiB, t=2, p=1), run off the async runtime
//! with a bound on concurrent hashes so a burst of logins cannot exhaust memory or CPU.

use std::sync::OnceLock;

use argon2::{
    Algorithm, Argon2, Params, PasswordHash, PasswordHasher, PasswordVerifier, Version,
    password_hash::SaltString,
};
use tokio::sync::Semaphore;

use crate::error::{DomainError, DomainResult};

const MEMORY_KIB: u32 = 19 * 1024;
const ITERATIONS: u32 = 2;
const PARALLELISM: u32 = 1;
const MAX_CONCURRENT_HASHES: usize = 4;

fn hasher() -> DomainResult<Argon2<'static>> {
    let params = Params::new(MEMORY_KIB, ITERATIONS, PARALLELISM, None)
        .map_err(|e| DomainError::Hashing(format!("argon2 parameters: {e}")))?;
    Ok(Argon2::new(Algorithm::Argon2id, Version::V0x13, params))
}

fn new_salt() -> DomainResult<SaltString> {
    use rand::RngCore;
    let mut bytes = [0u8; 16];
    rand::rng().fill_bytes(&mut bytes);
    SaltString::encode_b64(&bytes).map_err(|e| DomainError::Hashing(format!("argon2 salt: {e}")))
}

fn permits() -> &'static Semaphore {
    static PERMITS: OnceLock<Semaphore> = OnceLock::new();
    PERMITS.get_or_init(|| Semaphore::new(MAX_CONCURRENT_HASHES))
}

async fn bounded<T: Send + 'static>(
    work: impl FnOnce() -> DomainResult<T> + Send + 'static,
) -> DomainResult<T> {
    let _permit = permits()
        .acquire()
        .await
        .map_err(|_| DomainError::Hashing("hashing pool closed".into()))?;
    tokio::task::spawn_blocking(work)
        .await
        .map_err(|e| DomainError::Hashing(format!("hashing task failed: {e}")))?
}

/// A PHC string (`$argon2id$v=19$m=19456,t=2,p=1$...`).
pub async fn hash(password: String) -> DomainResult<String> {
    bounded(move || {
        let salt = new_salt()?;
        hasher()?
            .hash_password(password.as_bytes(), &salt)
            .map(|h| h.to_string())
            .map_err(|e| DomainError::Hashing(format!("argon2 hash: {e}")))
    })
    .await
}

/// Checks a password against a stored hash. With no hash (unknown account) it still spends
/// the same time on a dummy hash, so timing does not reveal which emails have accounts.
pub async fn verify(password: String, stored: Option<String>) -> DomainResult<bool> {
    bounded(move || {
        let dummy;
        let phc = match &stored {
            Some(s) => s.as_str(),
            None => {
                dummy = dummy_hash()?;
                dummy.as_str()
            }
        };
        let parsed = PasswordHash::new(phc)
            .map_err(|e| DomainError::Corrupt(format!("stored hash unreadable: {e}")))?;
        let ok = hasher()?
            .verify_password(password.as_bytes(), &parsed)
            .is_ok();
        Ok(ok && stored.is_some())
    })
    .await
}

fn dummy_hash() -> DomainResult<String> {
    static DUMMY: OnceLock<String> = OnceLock::new();
    if let Some(h) = DUMMY.get() {
        return Ok(h.clone());
    }
    let salt = new_salt()?;
    let h = hasher()?
        .hash_password(b"pairs-dummy-password", &salt)
        .map_err(|e| DomainError::Hashing(format!("argon2 hash: {e}")))?
        .to_string();
    Ok(DUMMY.get_or_init(|| h).clone())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn hashes_with_argon2id_at_the_owasp_floor_and_verifies() {
        let h = hash("correct horse battery".into()).await.expect("hash");
        assert!(h.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{h}");
        assert!(
            verify("correct horse battery".into(), Some(h.clone()))
                .await
                .expect("verify")
        );
        assert!(
            !verify("wrong horse battery".into(), Some(h))
                .await
                .expect("verify")
        );
        assert!(!verify("anything".into(), None).await.expect("verify"));
    }
}
