#![doc = include_str!("../README.md")]

mod backoff;
mod enqueue;
mod registry;
mod schedule;
mod worker;

pub use backoff::retry_delay;
pub use enqueue::{EnqueueOptions, Job, due_now, enqueue, enqueue_all, enqueue_with};
pub use registry::{JobContext, JobError, Registry};
pub use schedule::{Schedule, ScheduleError, Scheduler};
pub use worker::{Worker, WorkerSettings};
