//! Every context's background work, composed: the worker runs these
//! handlers and schedules, and tests run the same handlers.

use jobs::{Registry, Schedule, ScheduleError};

use crate::kernel::background::Jobs;
use crate::{
    Context, catalog, claims, fulfilment, identity, maintenance, orders, payments, settlement,
    staff, wallet,
};

/// Every context's job handlers and schedules.
pub fn jobs(context: &Context) -> Jobs {
    let mut jobs = Jobs::new(context);
    for register in [
        identity::jobs::register,
        staff::jobs::register,
        catalog::jobs::register,
        orders::jobs::register,
        fulfilment::jobs::register,
        claims::jobs::register,
        settlement::jobs::register,
        payments::jobs::register,
        wallet::jobs::register,
        maintenance::jobs::register,
    ] {
        register(&mut jobs);
    }
    jobs
}

/// Every job kind with its handler.
pub fn registry(context: &Context) -> Registry {
    jobs(context).registry()
}

/// The handlers and the recurring schedules (UTC) the worker runs.
pub fn worker_parts(context: &Context) -> Result<(Registry, Vec<Schedule>), ScheduleError> {
    jobs(context).into_parts()
}
