//! Several data-modifying statements sent as one: `WITH a AS (step), b AS
//! (step) main`. A write spanning several tables then costs one round trip
//! and one execution instead of one per table. PostgreSQL runs every step
//! to completion on the same snapshot and checks foreign keys at the end of
//! the statement, so a step may insert rows that reference rows another
//! step inserts.

use diesel::QueryResult;
use diesel::pg::Pg;
use diesel::query_builder::{AstPass, Query, QueryFragment};

type Step<'a> = Box<dyn QueryFragment<Pg> + Send + 'a>;

/// `main`, preceded by the steps added with [`Together::with`]; answers
/// what `main` answers. It has no query id, so it runs only inside
/// [`crate::infra::reusable_sql::Reusable`], which keys the prepared statement by
/// its text.
pub struct Together<'a, M> {
    steps: Vec<(&'static str, Step<'a>)>,
    main: M,
}

impl<'a, M> Together<'a, M> {
    pub fn new(main: M) -> Self {
        Self {
            steps: Vec::new(),
            main,
        }
    }

    /// Runs `step` in the same statement, as the clause `name` (quoted).
    pub fn with(mut self, name: &'static str, step: impl QueryFragment<Pg> + Send + 'a) -> Self {
        self.steps.push((name, Box::new(step)));
        self
    }
}

impl<M: Query> Query for Together<'_, M> {
    type SqlType = M::SqlType;
}

impl<M: QueryFragment<Pg>> QueryFragment<Pg> for Together<'_, M> {
    fn walk_ast<'b>(&'b self, mut pass: AstPass<'_, 'b, Pg>) -> QueryResult<()> {
        for (at, (name, step)) in self.steps.iter().enumerate() {
            pass.push_sql(if at == 0 { "WITH " } else { ", " });
            pass.push_identifier(name)?;
            pass.push_sql(" AS (");
            step.walk_ast(pass.reborrow())?;
            pass.push_sql(")");
        }
        if !self.steps.is_empty() {
            pass.push_sql(" ");
        }
        self.main.walk_ast(pass.reborrow())
    }
}

#[cfg(test)]
mod tests {
    use diesel::prelude::*;

    use super::*;
    use crate::schema::{carts, idempotency_keys};

    #[test]
    fn steps_come_first_as_named_clauses_and_binds_number_through() {
        let statement = Together::new(
            diesel::insert_into(carts::table)
                .values(carts::owner.eq("buyer"))
                .returning(carts::id),
        )
        .with(
            "answered",
            diesel::update(idempotency_keys::table.filter(idempotency_keys::key.eq("k")))
                .set(idempotency_keys::response_status.eq(201)),
        )
        .with(
            "emptied",
            diesel::delete(carts::table.filter(carts::owner.eq("other"))),
        );
        let sql = diesel::debug_query::<Pg, _>(&statement).to_string();
        let expected = concat!(
            r#"WITH "answered" AS (UPDATE "idempotency_keys" SET "response_status" = $1 WHERE ("idempotency_keys"."key" = $2)), "#,
            r#""emptied" AS (DELETE FROM "carts" WHERE ("carts"."owner" = $3)) "#,
            r#"INSERT INTO "carts" ("owner") VALUES ($4) RETURNING "carts"."id""#,
        );
        assert!(sql.starts_with(expected), "{sql}");
    }
}
