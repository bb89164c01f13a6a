//! Persistence helpers against a real PostgreSQL.

mod cart_read;
mod pipelined;
mod worker_pools;
