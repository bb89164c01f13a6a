//! What a shopper asks: a quote of a claim, the claim itself (a cancel is
//! carried out at once), taking a return back, and their claims.

use std::collections::BTreeSet;

use chrono::{DateTime, Utc};
use crypto::Sealed;
use diesel_async::AsyncConnection;
use domain::claims::quote::{self as refund_quote, ClaimRequest, RefundPlan};
use domain::claims::reasons::{Kind, Reason};
use domain::claims::steps::{Action, Claim, Status};
use domain::claims::windows::claim_deadline;
pub use integrations::payments::RefundAccount;
use integrations::payments::toss::is_virtual_account;
use persistence::AsyncPgConnection;
use persistence::claims::exchanges;
use persistence::claims::orders::{self as order_store, LineRow};
use persistence::claims::requests::{
    self as store, ClaimFilter, ClaimLineRow, ClaimRefundAccount, ClaimRow, Lister, Step,
};
use persistence::orders::purchase_orders::status as order_status;
use persistence::payments::attempts::{self as payment_store, status as payment_status};
use uuid::Uuid;

use super::exchanges::{exchange_ends, exchange_of};
use super::execution::{self, CardStep};
use super::notices::{self, Event};
pub use super::priced::QuoteView;
use super::priced::{Quoted, quote_failure, quoted};
use super::snapshot::{currency_of, snapshot_of};
use super::views::{self, ClaimView};
use crate::kernel::principals::{Buyer, StaffPrincipal};
use crate::kernel::provider_refunds::checked_account;
use crate::kernel::{FieldCode, ProblemCode, text_fields};
use crate::{AppError, Context};

/// At most this many product orders in one claim.
const MAX_LINES: usize = 100;

/// What the shopper asks for.
pub struct ClaimInput {
    pub kind: String,
    pub reason: String,
    pub product_order_ids: Vec<Uuid>,
    pub note: Option<String>,
    /// An exchange's other option (a SKU of the same product).
    pub exchange_sku_id: Option<Uuid>,
    /// Where the money goes back when the order was paid by bank transfer
    /// (a Toss virtual account).
    pub refund_account: Option<RefundAccount>,
}

/// Who makes a claim: the shopper, on their own order; or a vendor (any,
/// for operations) that cannot ship lines of one of its vendor orders.
enum Claimant {
    Shopper(String),
    Vendor {
        seller_order_id: Uuid,
        seller: Option<Uuid>,
    },
}

impl Claimant {
    fn as_str(&self) -> &'static str {
        match self {
            Self::Shopper(_) => "shopper",
            Self::Vendor {
                seller: Some(_), ..
            } => "vendor",
            Self::Vendor { seller: None, .. } => "staff",
        }
    }
}

struct Checked {
    kind: Kind,
    reason: Reason,
    lines: BTreeSet<Uuid>,
    note: Option<String>,
    exchange_sku_id: Option<Uuid>,
    refund_account: Option<RefundAccount>,
}

fn checked(input: ClaimInput, by_vendor: bool) -> Result<Checked, AppError> {
    let kind = Kind::parse(&input.kind).ok_or_else(|| {
        AppError::invalid(
            "kind",
            FieldCode::InvalidValue,
            "cancel, return or exchange",
        )
    })?;
    let reason = Reason::parse(&input.reason).ok_or_else(|| {
        AppError::invalid("reason", FieldCode::InvalidValue, "not a reason we know")
    })?;
    let vendors_reason = matches!(reason, Reason::SoldOut | Reason::DispatchDelayed);
    let allowed = if by_vendor {
        kind == Kind::Cancel && vendors_reason
    } else {
        !reason.vendor_only()
    };
    if !reason.fits(kind) || !allowed {
        return Err(AppError::invalid(
            "reason",
            FieldCode::InvalidValue,
            format!("not a reason for a {}", kind.as_str()),
        ));
    }
    if input.product_order_ids.is_empty() {
        return Err(AppError::invalid(
            "product_order_ids",
            FieldCode::Required,
            "name the product orders the claim is for",
        ));
    }
    if input.product_order_ids.len() > MAX_LINES {
        return Err(AppError::invalid(
            "product_order_ids",
            FieldCode::TooMany,
            format!("at most {MAX_LINES} product orders"),
        ));
    }
    let lines: BTreeSet<Uuid> = input.product_order_ids.iter().copied().collect();
    if lines.len() != input.product_order_ids.len() {
        return Err(AppError::invalid(
            "product_order_ids",
            FieldCode::Duplicate,
            "a product order is named twice",
        ));
    }
    match (kind, input.exchange_sku_id) {
        (Kind::Exchange, None) => {
            return Err(AppError::invalid(
                "exchange_sku_id",
                FieldCode::Required,
                "the option to exchange for",
            ));
        }
        (Kind::Exchange, Some(_)) if lines.len() > 1 => {
            return Err(AppError::invalid(
                "product_order_ids",
                FieldCode::TooMany,
                "an exchange is of one product order",
            ));
        }
        (Kind::Cancel | Kind::Return, Some(_)) => {
            return Err(AppError::invalid(
                "exchange_sku_id",
                FieldCode::NotAllowed,
                "only an exchange names another option",
            ));
        }
        _ => {}
    }
    let note = input
        .note
        .map(|note| text_fields::optional("note", &note, 1000))
        .transpose()?
        .filter(|note| !note.is_empty());
    Ok(Checked {
        kind,
        reason,
        lines,
        note,
        exchange_sku_id: input.exchange_sku_id,
        refund_account: input.refund_account.map(checked_account).transpose()?,
    })
}

/// Whether a line is at a step the claim can be made from, by `now`.
fn claimable(
    line: &LineRow,
    kind: Kind,
    reason: Reason,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let not_claimable = |why: &str| {
        AppError::invalid(
            "product_order_ids",
            FieldCode::NotClaimable,
            format!("product order {}: {why}", line.id),
        )
    };
    if line.claim_id.is_some() {
        return Err(not_claimable("already cancelled or returned"));
    }
    match kind {
        Kind::Cancel => {
            if !matches!(line.status.as_str(), "paid" | "preparing") {
                return Err(not_claimable(
                    "it has shipped: ask for a return once it arrives",
                ));
            }
        }
        Kind::Return | Kind::Exchange => {
            let lost = reason == Reason::LostInTransit && line.status == "shipped";
            if !lost && !matches!(line.status.as_str(), "delivered" | "confirmed") {
                return Err(not_claimable("it has not been delivered"));
            }
            if kind == Kind::Exchange && line.status != "delivered" {
                return Err(not_claimable(
                    "a confirmed purchase is returned, not exchanged",
                ));
            }
            let from = line.delivered_at.or(line.shipped_at).unwrap_or(now);
            if now > claim_deadline(reason, from) {
                return Err(AppError::invalid(
                    "product_order_ids",
                    FieldCode::ClaimWindowClosed,
                    format!("product order {}: the time to ask has passed", line.id),
                ));
            }
        }
    }
    Ok(())
}

/// Locks the shopper's order and prices the claim on it.
async fn priced(
    conn: &mut AsyncPgConnection,
    claimant: &Claimant,
    checked: &Checked,
    now: DateTime<Utc>,
) -> Result<Quoted, AppError> {
    let first = checked
        .lines
        .first()
        .copied()
        .ok_or_else(|| AppError::internal("a checked claim without lines"))?;
    let not_found = || AppError::NotFound {
        resource: "product order",
    };
    let order_id = order_store::order_of_line(conn, first)
        .await?
        .ok_or_else(not_found)?;
    let buyer = match claimant {
        Claimant::Shopper(key) => Some(key.as_str()),
        Claimant::Vendor { .. } => None,
    };
    let found = order_store::lock(conn, order_id, buyer)
        .await?
        .ok_or_else(not_found)?;
    // A vendor names lines of its own vendor order, or finds nothing.
    if let Claimant::Vendor {
        seller_order_id,
        seller,
    } = claimant
    {
        let theirs = |id: &Uuid| {
            found.lines.iter().any(|l| {
                l.id == *id
                    && l.seller_order_id == *seller_order_id
                    && seller.is_none_or(|s| l.seller_id == s)
            })
        };
        if !checked.lines.iter().all(theirs) {
            return Err(not_found());
        }
    }
    if found.order.status != order_status::PAID {
        return Err(AppError::Conflict {
            code: ProblemCode::OrderNotPaid,
            message: format!("the order is {}", found.order.status),
        });
    }
    if store::open_on_order(conn, order_id).await?.is_some() {
        return Err(AppError::Conflict {
            code: ProblemCode::ClaimInProgress,
            message: "the order already has an open claim".into(),
        });
    }
    let mut vendors = BTreeSet::new();
    for id in &checked.lines {
        let line = found.lines.iter().find(|l| l.id == *id).ok_or_else(|| {
            AppError::invalid(
                "product_order_ids",
                FieldCode::Conflicting,
                format!("product order {id} is not part of the same order"),
            )
        })?;
        claimable(line, checked.kind, checked.reason, now)?;
        vendors.insert(line.seller_id);
    }
    // A return goes back to one vendor, who decides on it.
    if checked.kind.comes_back() && vendors.len() > 1 {
        return Err(AppError::invalid(
            "product_order_ids",
            FieldCode::Conflicting,
            "a return is for one vendor's items: make one per vendor",
        ));
    }
    let request = ClaimRequest {
        kind: checked.kind,
        fault: checked.reason.fault(),
        lines: checked.lines.clone(),
    };
    if let Some(sku_id) = checked.exchange_sku_id {
        let exchange = exchange_of(conn, &found, first, sku_id, checked.reason, now).await?;
        return Ok(Quoted {
            found,
            request,
            reason: checked.reason,
            plan: RefundPlan::default(),
            shipping_released: 0,
            fees: 0,
            exchange: Some(exchange),
        });
    }
    let snapshot = snapshot_of(&found)?;
    let plan = refund_quote::quote(&snapshot, &request).map_err(quote_failure)?;
    Ok(quoted(found, &snapshot, request, checked.reason, plan))
}

/// What the claim would give back, before anything happens.
pub async fn quote(
    context: &Context,
    buyer: &Buyer,
    input: ClaimInput,
    now: DateTime<Utc>,
) -> Result<QuoteView, AppError> {
    let checked = checked(input, false)?;
    let claimant = Claimant::Shopper(buyer.key());
    let mut conn = context.db.get().await?;
    conn.transaction(async |conn| priced(conn, &claimant, &checked, now).await?.view())
        .await
}

/// Makes a claim as quoted. A cancel is carried out at once: the lines
/// leave the order, points and cash go back to their lots and the card's
/// part is asked of the provider.
pub async fn create(
    context: &Context,
    buyer: &Buyer,
    input: ClaimInput,
    now: DateTime<Utc>,
) -> Result<ClaimView, AppError> {
    let checked = checked(input, false)?;
    let claimant = Claimant::Shopper(buyer.key());
    let id = make(context, &claimant, &checked, now).await?;
    views::one(context, id, Some(&buyer.key()), None).await
}

/// What a vendor says it cannot ship.
pub struct VendorCancelInput {
    pub reason: String,
    pub product_order_ids: Vec<Uuid>,
    pub note: Option<String>,
}

/// The vendor cannot ship product orders of one of its vendor orders (sold
/// out, or it cannot dispatch them): they are cancelled and refunded at
/// once, at the vendor's cost (its fault: shipping back too once nothing
/// of the vendor order remains).
pub async fn cancel_by_vendor(
    context: &Context,
    caller: &StaffPrincipal,
    seller_order_id: Uuid,
    input: VendorCancelInput,
    now: DateTime<Utc>,
) -> Result<ClaimView, AppError> {
    let checked = checked(
        ClaimInput {
            kind: Kind::Cancel.as_str().to_owned(),
            reason: input.reason,
            product_order_ids: input.product_order_ids,
            note: input.note,
            exchange_sku_id: None,
            refund_account: None,
        },
        true,
    )?;
    let seller = caller.tenant().seller_id();
    let claimant = Claimant::Vendor {
        seller_order_id,
        seller,
    };
    let id = make(context, &claimant, &checked, now).await?;
    views::one(context, id, None, seller).await
}

/// Records a claim as quoted; a cancel is carried out at once, and its
/// card part asked of the provider after the commit.
async fn make(
    context: &Context,
    claimant: &Claimant,
    checked: &Checked,
    now: DateTime<Utc>,
) -> Result<Uuid, AppError> {
    let claim_id = Uuid::now_v7();
    let settings = context.fulfilment;
    let mut conn = context.db.get().await?;
    let steps: Vec<CardStep> = conn
        .transaction(async |conn| {
            let quoted = priced(conn, claimant, checked, now).await?;
            let mut row = claim_row(claim_id, &quoted, checked, claimant.as_str(), now)?;
            row.refund_account = refund_account_for(conn, &quoted, checked).await?;
            if let Some(exchange) = &quoted.exchange
                && !exchanges::reserve(conn, exchange.option.id, exchange.quantity).await?
            {
                return Err(AppError::Conflict {
                    code: ProblemCode::InsufficientStock,
                    message: "the option asked for is out of stock".into(),
                });
            }
            let lines: Vec<ClaimLineRow> = quoted
                .found
                .lines
                .iter()
                .filter(|l| quoted.request.lines.contains(&l.id))
                .map(|l| ClaimLineRow {
                    claim_id,
                    product_order_id: l.id,
                    seller_order_id: l.seller_order_id,
                    seller_id: l.seller_id,
                    restocked: false,
                })
                .collect();
            if !store::insert(conn, &row, &lines).await? {
                return Err(AppError::Conflict {
                    code: ProblemCode::ClaimInProgress,
                    message: "the order already has an open claim".into(),
                });
            }
            if checked.kind == Kind::Cancel {
                let claim = Claim::new(Kind::Cancel)
                    .apply(Action::Complete)
                    .map_err(|e| AppError::internal(e.to_string()))?;
                return execution::carry_out(conn, &settings, &quoted, &row, claim, now).await;
            }
            notices::enqueue(conn, claim_id, Event::Requested).await?;
            Ok(vec![])
        })
        .await?;
    execution::ask_provider_all(context, &steps).await?;
    Ok(claim_id)
}

/// The account a bank-transfer payment's refund goes back to, sealed: the
/// shopper must name it when the card part of the plan goes back to one.
async fn refund_account_for(
    conn: &mut AsyncPgConnection,
    quoted: &Quoted,
    checked: &Checked,
) -> Result<Option<Sealed<ClaimRefundAccount>>, AppError> {
    if quoted.plan.refund.payable <= 0 {
        return Ok(None);
    }
    let by_transfer = payment_store::of_order(conn, quoted.found.order.id)
        .await?
        .iter()
        .any(|p| {
            p.status == payment_status::SUCCEEDED
                && p.method.as_deref().is_some_and(is_virtual_account)
        });
    if !by_transfer {
        return Ok(None);
    }
    let account = checked.refund_account.as_ref().ok_or_else(|| {
        AppError::invalid(
            "refund_account",
            FieldCode::Required,
            "the order was paid by bank transfer: give the account the money goes back to",
        )
    })?;
    let json = serde_json::to_string(account).map_err(AppError::internal)?;
    Ok(Some(Sealed::new(json)))
}

fn claim_row(
    id: Uuid,
    quoted: &Quoted,
    checked: &Checked,
    requested_by: &str,
    now: DateTime<Utc>,
) -> Result<ClaimRow, AppError> {
    let currency = currency_of(&quoted.found)?;
    let money = |units: i64| currency.from_minor(units);
    let plan = &quoted.plan;
    Ok(ClaimRow {
        id,
        purchase_order_id: quoted.found.order.id,
        user_id: quoted.found.order.user_id,
        kind: checked.kind.as_str().to_owned(),
        reason: checked.reason.as_str().to_owned(),
        fault: checked.reason.fault().as_str().to_owned(),
        note: checked.note.clone(),
        requested_by: requested_by.to_owned(),
        status: Status::Requested.as_str().to_owned(),
        held_back: false,
        holdback_reason: None,
        decision_note: None,
        refund_payable: money(plan.refund.payable),
        refund_points: money(plan.refund.points),
        refund_cash: money(plan.refund.cash),
        seller_coupon_released: money(plan.seller_coupon_released),
        platform_coupon_released: money(plan.platform_coupon_released),
        platform_seller_funded_released: money(plan.platform_seller_funded_released),
        shipping_released: money(quoted.shipping_released),
        fees_kept: money(quoted.fees),
        plan: serde_json::to_value(plan).map_err(AppError::internal)?,
        received_at: None,
        refund_due: None,
        executed_at: None,
        created_at: now,
        exchange_sku_id: quoted.exchange.as_ref().map(|e| e.option.id),
        exchange_from_sku_id: quoted.exchange.as_ref().map(|e| e.from_sku),
        exchange_price_difference: quoted.exchange.as_ref().map(|e| e.price_difference),
        exchange_fee: quoted.exchange.as_ref().map(|e| e.fee),
        refund_account: None,
    })
}

/// The shopper takes back a return the vendor has not received yet.
pub async fn withdraw(context: &Context, buyer: &Buyer, id: Uuid) -> Result<ClaimView, AppError> {
    let key = buyer.key();
    let mut conn = context.db.get().await?;
    conn.transaction(async |conn| {
        let (row, lines) = store::lock(conn, id, Some(&key), None)
            .await?
            .ok_or(AppError::NotFound { resource: "claim" })?;
        let next = views::state_of(&row)?
            .apply(Action::Withdraw)
            .map_err(views::step_refused)?;
        exchange_ends(conn, &row, &lines).await?;
        store::record_step(
            conn,
            id,
            &Step {
                status: next.status.as_str(),
                held_back: next.held_back,
                ..views::step_of(&row)
            },
        )
        .await?;
        Ok::<_, AppError>(())
    })
    .await?;
    views::one(context, id, Some(&key), None).await
}

/// The shopper's claims, newest first.
pub async fn list_own(
    context: &Context,
    buyer: &Buyer,
    before: Option<Uuid>,
    limit: i64,
) -> Result<Vec<ClaimView>, AppError> {
    let key = buyer.key();
    let filter = ClaimFilter {
        before,
        ..ClaimFilter::default()
    };
    views::list(context, Lister::Buyer(&key), filter, limit).await
}

/// One of the shopper's claims.
pub async fn get_own(context: &Context, buyer: &Buyer, id: Uuid) -> Result<ClaimView, AppError> {
    views::one(context, id, Some(&buyer.key()), None).await
}

#[cfg(test)]
mod tests {
    use super::*;

    fn checked_by_shopper(input: ClaimInput) -> Result<Checked, AppError> {
        checked(input, false)
    }

    #[test]
    fn the_input_is_checked_field_by_field() {
        let input = |kind: &str, reason: &str, ids: Vec<Uuid>| ClaimInput {
            kind: kind.into(),
            reason: reason.into(),
            product_order_ids: ids,
            note: None,
            exchange_sku_id: None,
            refund_account: None,
        };
        let id = Uuid::now_v7();
        let field = |result: Result<Checked, AppError>| match result {
            Err(AppError::Invalid { field, code, .. }) => (field, code),
            _ => ("", FieldCode::Invalid),
        };
        assert_eq!(
            field(checked_by_shopper(input(
                "swap",
                "change_of_mind",
                vec![id]
            ))),
            ("kind", FieldCode::InvalidValue)
        );
        assert_eq!(
            field(checked_by_shopper(input("cancel", "defective", vec![id]))),
            ("reason", FieldCode::InvalidValue)
        );
        assert_eq!(
            field(checked_by_shopper(input("cancel", "sold_out", vec![id]))),
            ("reason", FieldCode::InvalidValue)
        );
        assert_eq!(
            field(checked_by_shopper(input("return", "defective", vec![]))),
            ("product_order_ids", FieldCode::Required)
        );
        assert_eq!(
            field(checked_by_shopper(input(
                "return",
                "defective",
                vec![id, id]
            ))),
            ("product_order_ids", FieldCode::Duplicate)
        );
        assert!(checked_by_shopper(input("return", "not_as_described", vec![id])).is_ok());
    }
}
