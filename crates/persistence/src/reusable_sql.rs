//! Hand-written SQL whose text comes from a fixed set (never from request
//! data) may be prepared once per connection and reused. diesel caches no
//! `sql_query` statement, since their text could be anything, so PostgreSQL
//! would plan every execution; for the catalog's list and page statements
//! planning costs several times the execution.

use diesel::QueryResult;
use diesel::pg::Pg;
use diesel::query_builder::{AstPass, Query, QueryFragment, QueryId};

/// A statement diesel-async keeps prepared, keyed by its SQL text. Only
/// wrap SQL built from constants: each distinct text stays prepared for the
/// connection's lifetime.
#[derive(Debug, Clone)]
pub struct Reusable<Q>(pub Q);

impl<Q: Query> Query for Reusable<Q> {
    type SqlType = Q::SqlType;
}

impl<Q: QueryFragment<Pg>> QueryFragment<Pg> for Reusable<Q> {
    fn walk_ast<'b>(&'b self, pass: AstPass<'_, 'b, Pg>) -> QueryResult<()> {
        self.0.walk_ast(pass)
    }

    fn is_safe_to_cache_prepared(&self, _backend: &Pg) -> QueryResult<bool> {
        Ok(true)
    }
}

/// No static id: the cache is keyed by the SQL text and bind types.
impl<Q> QueryId for Reusable<Q> {
    type QueryId = ();
    const HAS_STATIC_QUERY_ID: bool = false;
}
