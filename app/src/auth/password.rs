//! Passwords: the policy (NIST SP 800-63B) and argon2id hashing with OWASP's parameters
//! (m = 19 MiB, t = 2, p = 1), capped in concurrency so a burst of sign-ins cannot exhaust
//! memory.

use std::collections::HashSet;
use std::sync::{Arc, OnceLock};

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};
use tokio::sync::Semaphore;

use crate::domain::account::check_password_shape;
use crate::error::AppError;

/// The 38,452 most common passwords of 8 or more characters among the top 100,000 of the
/// OWASP SecLists "10 million passwords" list (CC BY-SA 3.0), lower-cased.
const COMMON_PASSWORDS: &str = include_str!("common-passwords.txt");

fn common_passwords() -> &'static HashSet<&'static str> {
    static SET: OnceLock<HashSet<&'static str>> = OnceLock::new();
    SET.get_or_init(|| COMMON_PASSWORDS.lines().collect())
}

/// Checks a new password: length, not the sign-in name, not a common password.
pub fn check_new_password(password: &str, username: &str) -> Result<(), AppError> {
    check_password_shape(password, username)
        .map_err(|e| AppError::validation(e.field, e.message))?;
    if common_passwords().contains(password.to_lowercase().as_str()) {
        return Err(AppError::validation(
            "password",
            "That password is too common and easy to guess. Try a few words you will remember.",
        ));
    }
    Ok(())
}

fn hasher() -> Argon2<'static> {
    // OWASP's first recommended argon2id configuration.
    let params = Params::new(19 * 1024, 2, 1, None).unwrap_or_default();
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

/// Hashes and verifies passwords off the async threads, at most `permits` at a time.
#[derive(Clone, Debug)]
pub struct PasswordHasherPool {
    permits: Arc<Semaphore>,
}

impl PasswordHasherPool {
    pub fn new(permits: usize) -> Self {
        Self {
            permits: Arc::new(Semaphore::new(permits.max(1))),
        }
    }

    /// The PHC string for `password`.
    pub async fn hash(&self, password: &str) -> Result<String, AppError> {
        let _permit = self
            .permits
            .acquire()
            .await
            .map_err(|_| AppError::Unavailable)?;
        let password = password.to_owned();
        tokio::task::spawn_blocking(move || {
            let mut salt = [0u8; 16];
            getrandom::fill(&mut salt).map_err(|_| AppError::Internal)?;
            let salt = SaltString::encode_b64(&salt).map_err(|_| AppError::Internal)?;
            hasher()
                .hash_password(password.as_bytes(), &salt)
                .map(|h| h.to_string())
                .map_err(|e| {
                    tracing::error!(error = %e, "password hashing failed");
                    AppError::Internal
                })
        })
        .await
        .map_err(|_| AppError::Internal)?
    }

    /// Whether `password` matches `stored`. With no stored hash it still spends the same
    /// work on a dummy hash, so an unknown user cannot be told apart by timing.
    pub async fn verify(&self, password: &str, stored: Option<&str>) -> Result<bool, AppError> {
        let _permit = self
            .permits
            .acquire()
            .await
            .map_err(|_| AppError::Unavailable)?;
        let password = password.to_owned();
        let stored = stored.map(str::to_owned);
        tokio::task::spawn_blocking(move || {
            let known = stored.is_some();
            let phc = stored.unwrap_or_else(|| dummy_hash().to_owned());
            let Ok(parsed) = PasswordHash::new(&phc) else {
                tracing::error!("a stored password hash could not be parsed");
                return false;
            };
            let matches = hasher()
                .verify_password(password.as_bytes(), &parsed)
                .is_ok();
            known && matches
        })
        .await
        .map_err(|_| AppError::Internal)
    }
}

/// A hash of a random password, made once, to verify against for unknown users.
fn dummy_hash() -> &'static str {
    static HASH: OnceLock<String> = OnceLock::new();
    HASH.get_or_init(|| {
        let mut bytes = [0u8; 32];
        let _ = getrandom::fill(&mut bytes);
        SaltString::encode_b64(&bytes[..16])
            .ok()
            .and_then(|salt| {
                hasher()
                    .hash_password(&bytes, &salt)
                    .ok()
                    .map(|h| h.to_string())
            })
            .unwrap_or_default()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn common_passwords_are_refused_whatever_their_case() {
        assert!(check_new_password("Password1", "ada").is_err());
        assert!(check_new_password("iloveyou1", "ada").is_err());
        assert!(check_new_password("12345678", "ada").is_err());
        assert!(check_new_password("quiet river morning", "ada").is_ok());
    }

    #[tokio::test]
    async fn hashes_are_argon2id_with_owasp_parameters_and_verify() {
        let pool = PasswordHasherPool::new(1);
        let hash = pool.hash("quiet river morning").await.unwrap();
        assert!(
            hash.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"),
            "{hash}"
        );
        assert!(
            pool.verify("quiet river morning", Some(&hash))
                .await
                .unwrap()
        );
        assert!(
            !pool
                .verify("quiet river evening", Some(&hash))
                .await
                .unwrap()
        );
        assert!(!pool.verify("quiet river morning", None).await.unwrap());
    }
}
