//! A refund a payment provider made, answered and recorded the same way
//! whether a claim on an order or the cash wallet asked for it.

use integrations::payments::{ProviderPayment, RefundAccount, mask};
use persistence::payments::attempts as store;
use persistence::{AsyncPgConnection, StoreError};
use uuid::Uuid;

use crate::AppError;
use crate::kernel::{FieldCode, text_fields};

/// Records a refund the provider made of a payment: the step, and how
/// much of the payment is cancelled now. The row is read under lock, and a
/// replayed (older) answer never lowers what a later cancellation recorded.
pub(crate) async fn record_refund(
    conn: &mut AsyncPgConnection,
    payment_id: Uuid,
    answer: &ProviderPayment,
) -> Result<(), StoreError> {
    let Some(current) = store::lock(conn, payment_id).await? else {
        return Ok(());
    };
    store::record_event(
        conn,
        current.id,
        "refund",
        "cancelled",
        Some(&mask(&answer.raw)),
    )
    .await?;
    let cancelled_amount = Some(
        answer
            .cancelled
            .max(current.cancelled_amount)
            .min(current.amount),
    );
    let transition = store::Transition {
        cancelled_amount,
        ..store::Transition::default()
    };
    store::transition(conn, current.id, &current.status, &transition).await?;
    Ok(())
}

/// The account a bank transfer's money goes back to, as a shopper names it:
/// a two-digit bank code, 8 to 20 digits, a holder.
pub(crate) fn checked_account(account: RefundAccount) -> Result<RefundAccount, AppError> {
    let bank_code = account.bank_code.trim();
    if bank_code.len() != 2 || !bank_code.bytes().all(|b| b.is_ascii_digit()) {
        return Err(AppError::invalid(
            "refund_account.bank_code",
            FieldCode::InvalidFormat,
            "the bank's two-digit code",
        ));
    }
    Ok(RefundAccount {
        bank_code: bank_code.to_owned(),
        account_number: text_fields::bank_account_number(
            "refund_account.account_number",
            &account.account_number,
        )?,
        holder_name: text_fields::required("refund_account.holder_name", &account.holder_name, 60)?,
    })
}
