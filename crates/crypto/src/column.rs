//! `Sealed<F>`: a `bytea` column that encrypts on write and decrypts on read.

use std::fmt;
use std::io::Write;
use std::marker::PhantomData;

use diesel::deserialize::{self, FromSql, FromSqlRow};
use diesel::expression::AsExpression;
use diesel::pg::{Pg, PgValue};
use diesel::serialize::{self, IsNull, Output, ToSql};
use diesel::sql_types::Binary;

use crate::vault::{DataClass, installed};

/// One encrypted column: its `table.column` (the associated data) and class.
pub trait Field: 'static {
    const COLUMN: &'static str;
    const CLASS: DataClass;
}

/// A decrypted value, or the explicit state of one that could not be decrypted
/// (wrong or missing key, tampered bytes, copied from another column).
#[derive(Clone, PartialEq, Eq)]
pub enum Revealed {
    Value(String),
    Unreadable,
}

#[derive(AsExpression, FromSqlRow)]
#[diesel(sql_type = Binary)]
pub struct Sealed<F: Field> {
    revealed: Revealed,
    field: PhantomData<F>,
}

impl fmt::Debug for Revealed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Value(_) => "Value(redacted)",
            Self::Unreadable => "Unreadable",
        })
    }
}

impl<F: Field> Sealed<F> {
    pub fn new(value: impl Into<String>) -> Self {
        Self {
            revealed: Revealed::Value(value.into()),
            field: PhantomData,
        }
    }

    pub fn revealed(&self) -> &Revealed {
        &self.revealed
    }

    /// The plaintext, unless it was unreadable.
    pub fn value(&self) -> Option<&str> {
        match &self.revealed {
            Revealed::Value(value) => Some(value),
            Revealed::Unreadable => None,
        }
    }
}

impl<F: Field> Clone for Sealed<F> {
    fn clone(&self) -> Self {
        Self {
            revealed: self.revealed.clone(),
            field: PhantomData,
        }
    }
}

impl<F: Field> PartialEq for Sealed<F> {
    fn eq(&self, other: &Self) -> bool {
        self.revealed == other.revealed
    }
}

/// Personal data never reaches a log through `Debug`.
impl<F: Field> fmt::Debug for Sealed<F> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.revealed {
            Revealed::Value(_) => write!(f, "Sealed<{}>(redacted)", F::COLUMN),
            Revealed::Unreadable => write!(f, "Sealed<{}>(unreadable)", F::COLUMN),
        }
    }
}

impl<F: Field> ToSql<Binary, Pg> for Sealed<F> {
    fn to_sql<'b>(&'b self, out: &mut Output<'b, '_, Pg>) -> serialize::Result {
        let Revealed::Value(value) = &self.revealed else {
            return Err(
                format!("{}: an unreadable value cannot be written back", F::COLUMN).into(),
            );
        };
        let sealed = installed()?.seal(F::CLASS, F::COLUMN, value.as_bytes());
        out.write_all(&sealed)?;
        Ok(IsNull::No)
    }
}

impl<F: Field> FromSql<Binary, Pg> for Sealed<F> {
    fn from_sql(bytes: PgValue<'_>) -> deserialize::Result<Self> {
        let sealed = <Vec<u8> as FromSql<Binary, Pg>>::from_sql(bytes)?;
        let opened = installed()
            .and_then(|vault| vault.open(F::CLASS, F::COLUMN, &sealed))
            .and_then(|plain| {
                String::from_utf8(plain).map_err(|_| crate::error::CryptoError::Malformed)
            });
        let revealed = match opened {
            Ok(value) => Revealed::Value(value),
            Err(error) => {
                tracing::error!(column = F::COLUMN, %error, "an encrypted value could not be decrypted");
                Revealed::Unreadable
            }
        };
        Ok(Self {
            revealed,
            field: PhantomData,
        })
    }
}
