//! The worker: its command line, and the background work it composes from
//! every context.

mod cli;
mod jobs;
