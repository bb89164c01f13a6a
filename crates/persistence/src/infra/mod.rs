//! The stores themselves: connection pools, Redis, object storage, the job
//! queue, migrations, and the statement helpers every context uses.

pub mod db;
pub mod error;
pub mod jobs;
pub mod kv;
pub mod migrations;
pub mod objects;
pub mod pipelined;
pub mod reusable_sql;
pub mod together;
