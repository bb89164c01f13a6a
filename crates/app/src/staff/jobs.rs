//! The staff context's jobs: invitation, verification and password-reset
//! links.

use crate::kernel::background::Jobs;
use crate::staff::{members, passwords};

pub fn register(jobs: &mut Jobs) {
    jobs.handle(|context, job: members::SendStaffLink| async move {
        members::send_staff_link(&context, job).await
    })
    .handle(
        |context, job: passwords::SendStaffPasswordReset| async move {
            passwords::send_password_reset(&context, job).await
        },
    );
}
