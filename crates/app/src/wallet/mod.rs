//! The cash wallet: charged and bonus cash, refunds, and cash bought in the
//! mobile apps.

pub mod cash;
pub mod in_app;
pub mod jobs;
pub mod refunds;
