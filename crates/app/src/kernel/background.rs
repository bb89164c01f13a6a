//! How a context declares its background work: each context's `jobs.rs`
//! registers the handler of every job kind it owns, and the schedules that
//! enqueue them, on a [`Jobs`]; the worker composes every context's.

use std::collections::HashSet;
use std::future::Future;

use jobs::{Job, JobError, Registry, Schedule, ScheduleError};

use crate::Context;

/// Job handlers and schedules being declared, each handler given the context.
pub struct Jobs {
    context: Context,
    registry: Registry,
    schedules: Vec<Schedule>,
    /// The job kinds with a handler, and the kind each schedule enqueues.
    handled: HashSet<&'static str>,
    scheduled: Vec<(String, &'static str)>,
    invalid: Option<ScheduleError>,
}

impl Jobs {
    pub fn new(context: &Context) -> Self {
        Self {
            context: context.clone(),
            registry: Registry::new(),
            schedules: Vec::new(),
            handled: HashSet::new(),
            scheduled: Vec::new(),
            invalid: None,
        }
    }

    /// Runs every job of kind `J` through `handler`.
    pub fn handle<J, F, Fut>(&mut self, handler: F) -> &mut Self
    where
        J: Job,
        F: Fn(Context, J) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = Result<(), JobError>> + Send + 'static,
    {
        let context = self.context.clone();
        self.handled.insert(J::KIND);
        self.registry
            .register::<J, _, _>(move |_run, job| handler(context.clone(), job));
        self
    }

    /// Enqueues the job `make` builds at every tick of the cron `expression`
    /// (UTC), under `name`.
    pub fn every<J: Job>(
        &mut self,
        name: &str,
        expression: &str,
        make: impl Fn() -> J + Send + Sync + 'static,
    ) -> &mut Self {
        self.scheduled.push((name.to_owned(), J::KIND));
        match Schedule::new(name, expression, move |_tick| make()) {
            Ok(schedule) => self.schedules.push(schedule),
            Err(error) => {
                self.invalid.get_or_insert(error);
            }
        }
        self
    }

    /// The handlers alone (to run queued jobs without schedules).
    pub fn registry(self) -> Registry {
        self.registry
    }

    /// The handlers and the schedules; refused when a schedule is invalid
    /// or enqueues a kind no handler runs (its jobs would only ever fail).
    pub fn into_parts(self) -> Result<(Registry, Vec<Schedule>), ScheduleError> {
        if let Some(error) = self.invalid {
            return Err(error);
        }
        if let Some((name, kind)) = self
            .scheduled
            .into_iter()
            .find(|(_, kind)| !self.handled.contains(kind))
        {
            return Err(ScheduleError::Unhandled { name, kind });
        }
        Ok((self.registry, self.schedules))
    }
}
