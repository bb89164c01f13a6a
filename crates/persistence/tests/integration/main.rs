//! Persistence helpers against a real PostgreSQL.

mod infra_pipelined;
mod infra_plan_cache;
mod infra_worker_pools;
mod orders_cart_read;
