//! Persistence helpers against a real PostgreSQL.

mod cart_read;
mod pipelined;
mod plan_cache;
mod worker_pools;
