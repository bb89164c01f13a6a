//! The identity context's jobs: the emails of sign-up, password reset and
//! email change.

use crate::identity::{accounts, email_change, passwords};
use crate::kernel::background::Jobs;

pub fn register(jobs: &mut Jobs) {
    jobs.handle(|context, job: accounts::SendEmailVerification| async move {
        accounts::send_email_verification(&context, job).await
    })
    .handle(|context, job: passwords::SendPasswordReset| async move {
        passwords::send_password_reset(&context, job).await
    })
    .handle(|context, job: email_change::SendEmailChange| async move {
        email_change::send_email_change(&context, job).await
    });
}
