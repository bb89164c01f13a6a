//! Security records: honeypot hits.

use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};

use crate::StoreError;
use crate::schema::honeypot_hits;

#[derive(Debug, Insertable)]
#[diesel(table_name = honeypot_hits)]
pub struct NewHoneypotHit<'a> {
    pub ip: &'a str,
    pub user_agent: &'a str,
    pub path: &'a str,
    pub username: &'a str,
}

pub async fn insert_honeypot_hit(
    conn: &mut AsyncPgConnection,
    hit: &NewHoneypotHit<'_>,
) -> Result<(), StoreError> {
    diesel::insert_into(honeypot_hits::table)
        .values(hit)
        .execute(conn)
        .await?;
    Ok(())
}

#[derive(Debug, Insertable)]
#[diesel(table_name = crate::schema::login_attempts)]
pub struct NewLoginAttempt<'a> {
    pub audience: &'a str,
    pub email_index: Option<&'a [u8]>,
    pub ip: &'a str,
    pub user_agent: &'a str,
    pub outcome: &'a str,
}

pub async fn insert_login_attempt(
    conn: &mut AsyncPgConnection,
    attempt: &NewLoginAttempt<'_>,
) -> Result<(), StoreError> {
    diesel::insert_into(crate::schema::login_attempts::table)
        .values(attempt)
        .execute(conn)
        .await?;
    Ok(())
}
