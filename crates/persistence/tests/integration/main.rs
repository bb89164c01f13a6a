//! Persistence helpers against a real PostgreSQL.

mod pipelined;
