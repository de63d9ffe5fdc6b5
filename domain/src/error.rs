//! Errors of the domain. They carry details for the logs; the edge turns them into
//! opaque, French messages for users.

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
    #[error("not found")]
    NotFound,
    #[error("forbidden")]
    Forbidden,
    #[error("too many attempts, retry in {0} s")]
    Throttled(u64),
    #[error("invalid input: {0}")]
    Invalid(String),
}

pub type DomainResult<T> = Result<T, DomainError>;
