//! Statements whose text comes from a bounded set (never from request
//! data) may be prepared once per connection and reused. diesel caches no
//! `sql_query` statement, since their text could be anything, nor any
//! UPDATE, upsert, multi-row INSERT or INSERT with optional columns, since
//! their text varies with the values; PostgreSQL would then parse and plan
//! every execution. For the catalog's list and page statements planning
//! costs several times the execution.

use std::collections::HashSet;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::sync::{LazyLock, Mutex, PoisonError};

use diesel::QueryResult;
use diesel::pg::Pg;
use diesel::query_builder::{AstPass, Query, QueryFragment, QueryId};

/// Composed texts kept prepared, at most, per process (so per connection):
/// clients choose the filters, sorts and paging that compose a list's text,
/// and every text kept prepared costs each connection memory.
const MAX_COMPOSED_TEXTS: usize = 256;

/// Row counts of multi-row INSERTs kept prepared (an order's vendors,
/// lines and holds are few).
pub const MAX_PREPARED_ROWS: usize = 4;

static ADMITTED: LazyLock<Mutex<HashSet<u64>>> = LazyLock::new(Mutex::default);

/// A statement diesel-async keeps prepared, keyed by its SQL text.
#[derive(Debug, Clone)]
pub struct Reusable<Q> {
    query: Q,
    prepared: bool,
}

impl<Q> Reusable<Q> {
    /// A statement whose text never varies, or varies only within a set
    /// the code bounds: a diesel UPDATE whose changeset skips absent
    /// fields, an upsert, an INSERT writing DEFAULT for absent optional
    /// columns. diesel keeps none of these prepared on its own, so each
    /// would cost a Parse of its own per execution.
    pub fn fixed(query: Q) -> Self {
        Self {
            query,
            prepared: true,
        }
    }

    /// A multi-row INSERT, whose text has one tuple per row: row counts up
    /// to [`MAX_PREPARED_ROWS`] are kept prepared, larger ones planned each
    /// time.
    pub fn rows(query: Q, rows: usize) -> Self {
        Self {
            query,
            prepared: rows <= MAX_PREPARED_ROWS,
        }
    }

    /// A statement whose text `sql` is composed from constants: kept
    /// prepared if it is among the first [`MAX_COMPOSED_TEXTS`] texts seen,
    /// else planned on every execution as any `sql_query`.
    pub fn composed(sql: &str, query: Q) -> Self {
        let mut hasher = DefaultHasher::new();
        sql.hash(&mut hasher);
        let key = hasher.finish();
        let mut admitted = ADMITTED.lock().unwrap_or_else(PoisonError::into_inner);
        let prepared = admitted.contains(&key)
            || (admitted.len() < MAX_COMPOSED_TEXTS && admitted.insert(key));
        Self { query, prepared }
    }
}

impl<Q: Query> Query for Reusable<Q> {
    type SqlType = Q::SqlType;
}

impl<Q: QueryFragment<Pg>> QueryFragment<Pg> for Reusable<Q> {
    fn walk_ast<'b>(&'b self, pass: AstPass<'_, 'b, Pg>) -> QueryResult<()> {
        self.query.walk_ast(pass)
    }

    fn is_safe_to_cache_prepared(&self, _backend: &Pg) -> QueryResult<bool> {
        Ok(self.prepared)
    }
}

/// No static id: the cache is keyed by the SQL text and bind types.
impl<Q> QueryId for Reusable<Q> {
    type QueryId = ();
    const HAS_STATIC_QUERY_ID: bool = false;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn composed_texts_are_prepared_only_up_to_the_bound() {
        let first = Reusable::composed("SELECT 'bound test 0'", ());
        assert!(first.prepared);
        let admitted: Vec<bool> = (1..=MAX_COMPOSED_TEXTS)
            .map(|n| Reusable::composed(&format!("SELECT 'bound test {n}'"), ()).prepared)
            .collect();
        assert!(!admitted.iter().all(|p| *p), "some text past the bound");
        assert!(
            Reusable::composed("SELECT 'bound test 0'", ()).prepared,
            "seen before"
        );
        assert!(Reusable::fixed(()).prepared);
    }

    #[test]
    fn multi_row_inserts_are_prepared_only_up_to_the_row_bound() {
        assert!(Reusable::rows((), 1).prepared);
        assert!(Reusable::rows((), MAX_PREPARED_ROWS).prepared);
        assert!(!Reusable::rows((), MAX_PREPARED_ROWS + 1).prepared);
    }
}
