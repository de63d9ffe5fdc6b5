//! Errors of the domain, and the one policy for showing them.
//!
//! What reaches the user word for word (the edge, `app::error::AppError`, passes it on):
//! - `Invalid`: a validation refusal, written in French for the person who typed the
//!   input (« Le mot de passe actuel est incorrect. »). Only for what the user can fix;
//!   never wraps a library's error text.
//! - `NotFound`, `Forbidden`, `Throttled`: shown as fixed French messages.
//! - `Denied`: forbidden, with the reason the member reads (decided in `permissions`).
//!
//! What is internal (logged with its details on the server, shown to the user as one
//! opaque « service momentanément indisponible »):
//! - `Db`, `Io`: the database or the file system failed.
//! - `Engine`: the search engine (tantivy or Meilisearch) failed.
//! - `Mail`: building or sending a mail failed.
//! - `Serialization`: a stored payload could not be written or read back.
//! - `Hashing`: password hashing failed (parameters, worker pool).
//! - `Corrupt`: stored data is not in the shape Pairs wrote (a secret, a hash, a status).
//! - `Config`: the configuration is wrong; raised at start-up (and by the CLI), not as a
//!   catch-all for runtime failures.
//! - `Referential`: the national referential files could not be read (import only).

#[derive(Debug, thiserror::Error)]
pub enum DomainError {
    #[error("database error: {0}")]
    Db(#[from] sea_orm::DbErr),
    #[error("configuration error: {0}")]
    Config(String),
    #[error("referential data error: {0}")]
    Referential(String),
    #[error("i/o error: {0}")]
    Io(#[from] std::io::Error),
    #[error("search engine error: {0}")]
    Engine(String),
    #[error("mail error: {0}")]
    Mail(String),
    #[error("serialization error: {0}")]
    Serialization(#[from] serde_json::Error),
    #[error("password hashing error: {0}")]
    Hashing(String),
    #[error("stored data unreadable: {0}")]
    Corrupt(String),
    #[error("not found")]
    NotFound,
    #[error("forbidden")]
    Forbidden,
    #[error("forbidden: {0}")]
    Denied(&'static str),
    #[error("too many attempts, retry in {0} s")]
    Throttled(u64),
    #[error("invalid input: {0}")]
    Invalid(String),
}

impl DomainError {
    /// Whether the user sees this error's own words (see the policy above).
    pub fn is_for_the_user(&self) -> bool {
        matches!(
            self,
            Self::Invalid(_)
                | Self::NotFound
                | Self::Forbidden
                | Self::Denied(_)
                | Self::Throttled(_)
        )
    }
}

pub type DomainResult<T> = Result<T, DomainError>;

#[cfg(test)]
mod tests {
    use super::DomainError;

    #[test]
    fn only_validation_and_access_errors_reach_the_user() {
        assert!(DomainError::Invalid("Le nom est obligatoire.".into()).is_for_the_user());
        assert!(DomainError::NotFound.is_for_the_user());
        assert!(DomainError::Denied("Votre compte doit être validé.").is_for_the_user());
        assert!(DomainError::Throttled(60).is_for_the_user());
        let bad_json = serde_json::from_str::<u8>("x").expect_err("not json");
        for internal in [
            DomainError::Engine("index locked".into()),
            DomainError::Mail("relay refused".into()),
            DomainError::Serialization(bad_json),
            DomainError::Hashing("pool closed".into()),
            DomainError::Corrupt("bad base64".into()),
            DomainError::Config("PAIRS_DATABASE_URL".into()),
        ] {
            assert!(!internal.is_for_the_user(), "{internal}");
        }
    }
}
