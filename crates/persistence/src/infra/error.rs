//! The storage error, with the distinctions callers act on.

/// What can go wrong talking to PostgreSQL, Redis or the object store.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// No connection could be had in time: the database is down or saturated.
    #[error("database unavailable: {0}")]
    Unavailable(String),
    #[error("row not found")]
    NotFound,
    /// A unique constraint was hit; carries the constraint name.
    #[error("conflict on {0}")]
    Conflict(String),
    #[error("database error: {0}")]
    Query(diesel::result::Error),
    #[error("redis error: {0}")]
    Redis(#[from] redis::RedisError),
    /// A check constraint (or a trigger raising `check_violation`) refused the
    /// change; carries the constraint name.
    #[error("check {0} refused the change")]
    Check(String),
    /// A foreign key named a row that does not exist; carries the constraint name.
    #[error("missing reference {0}")]
    MissingReference(String),
    #[error("object store error: {0}")]
    Objects(String),
}

impl From<diesel::result::Error> for StoreError {
    fn from(error: diesel::result::Error) -> Self {
        use diesel::result::{DatabaseErrorKind, Error};
        match error {
            Error::NotFound => Self::NotFound,
            Error::DatabaseError(DatabaseErrorKind::UniqueViolation, info) => {
                Self::Conflict(info.constraint_name().unwrap_or("unique").to_owned())
            }
            Error::DatabaseError(DatabaseErrorKind::CheckViolation, info) => {
                Self::Check(info.constraint_name().unwrap_or("check").to_owned())
            }
            Error::DatabaseError(DatabaseErrorKind::ForeignKeyViolation, info) => {
                Self::MissingReference(info.constraint_name().unwrap_or("foreign key").to_owned())
            }
            other => Self::Query(other),
        }
    }
}

impl From<diesel_async::pooled_connection::deadpool::PoolError> for StoreError {
    fn from(error: diesel_async::pooled_connection::deadpool::PoolError) -> Self {
        Self::Unavailable(error.to_string())
    }
}
