//! A vendor's own profile: its business details as reviewed, and the
//! shipping policy it may change (optimistically locked by `version`).

use domain::money::{AmountError, Currency};
use domain::sellers::shipping::ShippingPolicy;
use persistence::sellers::vendors::{self, ShippingPolicyRow};
pub use persistence::sellers::vendors::{BusinessProfileRow, SellerRow};

use crate::kernel::FieldCode;
use crate::kernel::principals::StaffPrincipal;
use crate::{AppError, Context};

/// Checks a policy; the field at fault is named under `shipping_policy`.
pub(crate) fn shipping_policy(
    policy: ShippingPolicy,
    currency: Currency,
) -> Result<ShippingPolicy, AppError> {
    policy.checked(currency).map_err(|e| {
        let code = match e.error {
            AmountError::Negative => FieldCode::OutOfRange,
            AmountError::Fraction => FieldCode::NotWholeUnits,
            AmountError::TooLarge => FieldCode::OutOfRange,
        };
        AppError::invalid(e.field, code, e.error.to_string())
    })
}

pub(crate) fn policy_row(policy: ShippingPolicy) -> ShippingPolicyRow {
    ShippingPolicyRow {
        shipping_base_fee: policy.base_fee,
        free_shipping_threshold: policy.free_shipping_threshold,
        remote_area_surcharge: policy.remote_area_surcharge,
        return_fee: policy.return_fee,
    }
}

/// The stored policy, its amounts in the currency's minor unit (`NUMERIC(14,2)`
/// reads back as `3000.00`; the won has no decimals).
pub fn policy_of(row: &SellerRow) -> ShippingPolicy {
    let currency = Currency::parse(&row.currency).unwrap_or(Currency::Krw);
    ShippingPolicy {
        base_fee: currency.round(row.shipping_base_fee),
        free_shipping_threshold: row.free_shipping_threshold.map(|t| currency.round(t)),
        remote_area_surcharge: currency.round(row.remote_area_surcharge),
        return_fee: currency.round(row.return_fee),
    }
}

/// Only the last four digits of an account number leave the database (not
/// even its length).
pub fn masked_account(number: Option<&str>) -> String {
    match number {
        Some(n) if n.len() > 4 => format!("****{}", &n[n.len() - 4..]),
        Some(_) => "****".to_owned(),
        None => "(unreadable)".to_owned(),
    }
}

/// Where a vendor's payouts go.
#[derive(Debug, Clone)]
pub struct PayoutAccount {
    pub bank_code: String,
    pub number: String,
    pub holder: String,
}

/// The vendor's settlement account, opened; `None` when it has none or it
/// cannot be read.
pub async fn payout_account(
    conn: &mut persistence::AsyncPgConnection,
    seller_id: uuid::Uuid,
) -> Result<Option<PayoutAccount>, AppError> {
    let Some((_, Some(profile))) = vendors::find(conn, seller_id).await? else {
        return Ok(None);
    };
    Ok(
        match (
            profile.settlement_account_number.value(),
            profile.settlement_account_holder.value(),
        ) {
            (Some(number), Some(holder)) => Some(PayoutAccount {
                bank_code: profile.settlement_bank_code.clone(),
                number: number.to_owned(),
                holder: holder.to_owned(),
            }),
            _ => None,
        },
    )
}

/// The caller's vendor and its business profile.
pub async fn own(
    context: &Context,
    caller: &StaffPrincipal,
) -> Result<(SellerRow, Option<BusinessProfileRow>), AppError> {
    let mut conn = context.db.get().await?;
    vendors::find(&mut conn, caller.own_seller_id()?)
        .await?
        .ok_or(AppError::NotFound { resource: "seller" })
}

/// Replaces the caller's vendor's shipping policy if it is still at
/// `expected_version` (`If-Match`); returns the new version.
pub async fn update_shipping_policy(
    context: &Context,
    caller: &StaffPrincipal,
    expected_version: Option<i32>,
    policy: ShippingPolicy,
) -> Result<i32, AppError> {
    let seller_id = caller.own_seller_id()?;
    let policy = shipping_policy(policy, Currency::Krw)?;
    let mut conn = context.db.get().await?;
    match vendors::update_shipping_policy(
        &mut conn,
        seller_id,
        expected_version,
        policy_row(policy),
    )
    .await?
    {
        Some(version) => Ok(version),
        None if expected_version.is_some() => Err(AppError::PreconditionFailed),
        None => Err(AppError::NotFound { resource: "seller" }),
    }
}
