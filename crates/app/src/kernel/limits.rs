//! Rate-limit guards shared by the use cases.

use std::time::Duration;

use auth::rate_limit::{Decision, Rate};

use crate::kernel::ProblemCode;
use crate::{AppError, Context};

/// Counts one event of `rule` for `subject`; refuses with 429 and a retry
/// time once the rate is exceeded (on every replica: the budget is in Redis).
pub async fn guard(
    context: &Context,
    rule: &str,
    subject: &str,
    limit: u32,
    period: Duration,
) -> Result<(), AppError> {
    match context
        .limits
        .check(rule, subject, Rate::per(limit, period))
        .await?
    {
        Decision::Allowed => Ok(()),
        Decision::Limited { retry_after } => Err(AppError::TooManyRequests {
            code: ProblemCode::TooManyRequests,
            retry_after_secs: retry_after.as_secs().max(1),
        }),
    }
}

pub const HOUR: Duration = Duration::from_secs(3600);
pub const MINUTE: Duration = Duration::from_secs(60);
