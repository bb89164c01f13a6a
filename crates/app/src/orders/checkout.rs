//! Checkout: validate the cart, price it through the pricing engine, reserve
//! the stock and create the three order tiers with every allocation, all in
//! one transaction, under the caller's `Idempotency-Key`.

use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, Duration, Utc};
use crypto::BlindIndexKind;
use crypto::Sealed;
use domain::money::Currency;
use domain::pricing::coupon::Coupon;
use domain::pricing::quote::{self, CouponRefusal, Item, Quote, QuoteError, QuoteRequest};
use domain::pricing::remote_area;
use futures_util::TryFutureExt;
use futures_util::future::{try_join, try_join3};
use persistence::AsyncPgConnection;
use persistence::catalog::products;
use persistence::infra::pipelined;
use persistence::kernel::lots::{self, Ledger};
use persistence::orders::carts::{self, CartItemRow};
use persistence::orders::holds;
use persistence::orders::holds::NewHold;
use persistence::orders::purchase_orders::{
    self, NewOrder, NewPurchaseOrder, ProductOrderRow, SellerOrderRow,
};
use persistence::orders::sellable::{self, CartWithSkus, Sellable};
use persistence::pricing::{coupons, points};
use persistence::settlement::rules::{self as settlement_rules, FrozenCommission};
use persistence::wallet::cash;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::kernel::FieldCode;
use crate::kernel::ProblemCode;
use crate::kernel::idempotency::{self, Claim, Idempotent};
use crate::kernel::principals::Buyer;
use crate::kernel::settings::CheckoutSettings;
use crate::kernel::text_fields;
use crate::orders::cart::{available, is_on_sale, pricing, shipping_policy};
use crate::settlement;
use crate::{AppError, Context};

/// What to buy and how to pay for it beyond the payment provider.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Selection {
    /// Cart lines to buy; `None`: every line of the cart.
    pub cart_item_ids: Option<Vec<Uuid>>,
    /// Held vendor coupons (issue ids), at most one per vendor.
    pub seller_coupon_ids: Vec<Uuid>,
    /// A held platform coupon (issue id).
    pub platform_coupon_id: Option<Uuid>,
    pub points: Decimal,
    pub cash: Decimal,
    /// For the remote-area surcharge (quotes without it assume the mainland).
    pub postal_code: Option<String>,
}

/// Who orders and where it goes.
#[derive(Debug, Clone, Serialize)]
pub struct Delivery {
    pub orderer_name: String,
    pub orderer_phone: String,
    /// Required of guests (their order messages go there); members' go to
    /// their account's address.
    pub orderer_email: Option<String>,
    pub recipient_name: String,
    pub recipient_phone: String,
    pub postal_code: String,
    pub address_line1: String,
    pub address_line2: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct CheckoutRequest {
    pub selection: Selection,
    pub delivery: Delivery,
}

/// A unit price that changed since the shopper put the line in the cart.
#[derive(Debug, Clone, Serialize)]
pub struct PriceChange {
    pub cart_item_id: Uuid,
    pub sku_id: Uuid,
    pub cart_price: Decimal,
    pub current_price: Decimal,
}

/// A line that can no longer be bought, and why.
#[derive(Debug, Clone, Serialize)]
pub struct Unavailable {
    pub cart_item_id: Uuid,
    pub sku_id: Uuid,
    pub reason: &'static str,
}

/// The priced preview.
pub struct Priced {
    pub quote: Quote,
    pub price_changes: Vec<PriceChange>,
    /// Per SKU: product name, option values and code, for display.
    pub labels: HashMap<Uuid, (String, Vec<String>)>,
}

/// What the payment step needs (the answer of `POST /v1/checkout`).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Created {
    pub purchase_order_id: Uuid,
    pub order_no: String,
    /// `pending_payment`, or `paid` when points and cash covered it all.
    #[serde(default = "pending_payment")]
    pub status: String,
    pub currency: String,
    pub payable_amount: Decimal,
    pub expires_at: DateTime<Utc>,
    /// A name for the payment window ("Linen shirt and 2 more").
    pub order_name: String,
}

fn pending_payment() -> String {
    purchase_orders::status::PENDING_PAYMENT.to_owned()
}

/// The payment method of an order that points and cash paid in full.
pub const PAID_WITH_POINTS_AND_CASH: &str = "points_and_cash";

/// Everything a checkout decided, before it is written.
struct Prepared {
    lines: Vec<CartItemRow>,
    items: BTreeMap<Uuid, Sellable>,
    quote: Quote,
    price_changes: Vec<PriceChange>,
    seller_coupon_issues: BTreeMap<Uuid, Uuid>,
    platform_coupon_issue: Option<Uuid>,
    point_lots: Vec<domain::pricing::points::Lot>,
    cash_lots: Vec<domain::wallet::Lot>,
}

/// A written order whose stock is still to be reserved.
struct Placed {
    created: Created,
    holds: Vec<(Uuid, i32)>,
    items: BTreeMap<Uuid, Sellable>,
}

fn coupon_refusal(field: &'static str, reason: CouponRefusal) -> AppError {
    AppError::Invalid {
        field,
        code: FieldCode::CouponNotApplicable,
        message: reason.describe().to_owned(),
    }
}

fn quote_error(error: QuoteError, request: &QuoteRequest) -> AppError {
    match error {
        QuoteError::Coupon { coupon_id, reason } => {
            let platform = request
                .platform_coupon
                .as_ref()
                .is_some_and(|c| c.id == coupon_id);
            coupon_refusal(
                if platform {
                    "platform_coupon_id"
                } else {
                    "seller_coupon_ids"
                },
                reason,
            )
        }
        QuoteError::PointsInsufficient { balance } => AppError::invalid(
            "points",
            FieldCode::PointsInsufficient,
            format!("only {balance} points available"),
        ),
        QuoteError::PointsExceedPayable { max } => AppError::invalid(
            "points",
            FieldCode::PointsExceedPayable,
            format!("at most {max} can be used on this order"),
        ),
        QuoteError::CashInsufficient { balance } => AppError::invalid(
            "cash",
            FieldCode::CashInsufficient,
            format!("only {balance} cash available"),
        ),
        QuoteError::CashExceedsPayable { max } => AppError::invalid(
            "cash",
            FieldCode::CashExceedsPayable,
            format!("at most {max} can be used on this order"),
        ),
        QuoteError::Amount { field } => AppError::invalid(
            field,
            FieldCode::InvalidAmount,
            "a non-negative amount in whole won",
        ),
        QuoteError::Empty => {
            AppError::invalid("cart_item_ids", FieldCode::CartEmpty, "nothing to buy")
        }
        other => AppError::internal(other),
    }
}

fn postal_code(value: &str) -> Result<String, AppError> {
    let value = value.trim();
    if value.len() == 5 && value.bytes().all(|b| b.is_ascii_digit()) {
        Ok(value.to_owned())
    } else {
        Err(AppError::invalid(
            "postal_code",
            FieldCode::InvalidFormat,
            "a five-digit postal code",
        ))
    }
}

/// Each category's path to the top (itself first).
async fn category_paths(conn: &mut AsyncPgConnection) -> Result<HashMap<i64, Vec<i64>>, AppError> {
    let parents: HashMap<i64, Option<i64>> = sellable::category_parents(conn)
        .await?
        .into_iter()
        .collect();
    Ok(parents
        .keys()
        .map(|&id| {
            let mut path = vec![id];
            let mut at = id;
            while let Some(Some(parent)) = parents.get(&at) {
                if path.contains(parent) {
                    break;
                }
                path.push(*parent);
                at = *parent;
            }
            (id, path)
        })
        .collect())
}

/// Validates the selection and prices it. `for_order`: lock what the order
/// will take (the member's coupons and points) and refuse price changes.
async fn prepare(
    conn: &mut AsyncPgConnection,
    cart: CartWithSkus,
    buyer: &Buyer,
    adult: bool,
    selection: &Selection,
    for_order: bool,
) -> Result<Prepared, AppError> {
    let now = Utc::now();
    let member = buyer.member_id();
    let uses_benefits = !selection.seller_coupon_ids.is_empty()
        || selection.platform_coupon_id.is_some()
        || !selection.points.is_zero()
        || !selection.cash.is_zero();
    if member.is_none() && uses_benefits {
        return Err(AppError::Forbidden {
            code: ProblemCode::MembersOnly,
        });
    }

    let CartWithSkus {
        mut lines,
        mut items,
    } = cart;
    if let Some(ids) = &selection.cart_item_ids {
        if let Some(unknown) = ids.iter().find(|id| !lines.iter().any(|l| l.id == **id)) {
            return Err(AppError::invalid(
                "cart_item_ids",
                FieldCode::UnknownCartItem,
                format!("{unknown} is not in the cart"),
            ));
        }
        lines.retain(|l| ids.contains(&l.id));
        items.retain(|sku_id, _| lines.iter().any(|l| l.sku_id == *sku_id));
    }
    if lines.is_empty() {
        return Err(AppError::invalid(
            "cart_item_ids",
            FieldCode::CartEmpty,
            "nothing to buy",
        ));
    }

    let mut unavailable = Vec::new();
    let mut price_changes = Vec::new();
    for line in &lines {
        let Some(item) = items.get(&line.sku_id).filter(|item| is_on_sale(item)) else {
            unavailable.push(Unavailable {
                cart_item_id: line.id,
                sku_id: line.sku_id,
                reason: "not_on_sale",
            });
            continue;
        };
        if item.product.adult_only && !adult {
            return Err(AppError::Forbidden {
                code: ProblemCode::AdultVerificationRequired,
            });
        }
        if item
            .product
            .max_per_order
            .is_some_and(|m| line.quantity > m)
        {
            unavailable.push(Unavailable {
                cart_item_id: line.id,
                sku_id: line.sku_id,
                reason: "max_per_order",
            });
        }
        let current = pricing(item).effective_at(now);
        if current != line.price_seen {
            price_changes.push(PriceChange {
                cart_item_id: line.id,
                sku_id: line.sku_id,
                cart_price: line.price_seen,
                current_price: current,
            });
        }
    }
    if !unavailable.is_empty() {
        return Err(AppError::ConflictDetails {
            code: ProblemCode::ItemsUnavailable,
            message: "some items can no longer be bought as they are in the cart".into(),
            name: "items",
            details: serde_json::to_value(&unavailable).unwrap_or_default(),
        });
    }

    // Coupons the member holds and can use now.
    let mut requested: Vec<Uuid> = selection.seller_coupon_ids.clone();
    requested.extend(selection.platform_coupon_id);
    let held = match member {
        Some(user_id) if !requested.is_empty() => {
            coupons::lock_held_by(conn, user_id, &requested).await?
        }
        _ => Vec::new(),
    };
    let usable = |issue_id: Uuid, field: &'static str| -> Result<Coupon, AppError> {
        let (issue, coupon) = held
            .iter()
            .find(|(issue, _)| issue.id == issue_id)
            .ok_or_else(|| {
                AppError::invalid(field, FieldCode::CouponNotFound, "not one of your coupons")
            })?;
        if issue.state != "available" || issue.expires_at <= now || !coupon.is_active {
            return Err(AppError::invalid(
                field,
                FieldCode::CouponNotUsable,
                "used, held by another order, or expired",
            ));
        }
        Ok(crate::pricing::coupons::to_domain(coupon))
    };
    let mut seller_coupons = Vec::new();
    let mut seller_coupon_issues = BTreeMap::new();
    for &issue_id in &selection.seller_coupon_ids {
        let coupon = usable(issue_id, "seller_coupon_ids")?;
        if let domain::pricing::coupon::Funding::Seller(seller) = coupon.funding {
            seller_coupon_issues.insert(seller, issue_id);
        }
        seller_coupons.push(coupon);
    }
    let platform_coupon = selection
        .platform_coupon_id
        .map(|id| usable(id, "platform_coupon_id"))
        .transpose()?;

    let point_lots = match member {
        Some(user_id) if !selection.points.is_zero() => {
            if for_order {
                lots::lock_member(conn, Ledger::Points, user_id).await?;
            }
            points::open_lots(conn, user_id, now)
                .await?
                .into_iter()
                .map(|lot| domain::pricing::points::Lot {
                    id: lot.id,
                    remaining: lot.remaining,
                    expires_at: lot.expires_at,
                })
                .collect()
        }
        _ => Vec::new(),
    };

    let cash_lots = match member {
        Some(user_id) if !selection.cash.is_zero() => {
            if for_order {
                lots::lock_member(conn, Ledger::Cash, user_id).await?;
            }
            cash::open_lots(conn, user_id, now)
                .await?
                .iter()
                .map(crate::wallet::cash::to_domain)
                .collect()
        }
        _ => Vec::new(),
    };

    // Only coupon scopes look at categories.
    let paths = if requested.is_empty() {
        HashMap::new()
    } else {
        category_paths(conn).await?
    };
    let request = QuoteRequest {
        currency: Currency::Krw,
        now,
        items: lines
            .iter()
            .filter_map(|line| {
                let item = items.get(&line.sku_id)?;
                Some(Item {
                    sku_id: line.sku_id,
                    product_id: item.sku.product_id,
                    seller_id: item.sku.seller_id,
                    category_path: paths
                        .get(&item.product.category_id)
                        .cloned()
                        .unwrap_or_else(|| vec![item.product.category_id]),
                    pricing: pricing(item),
                    quantity: u32::try_from(line.quantity).unwrap_or(0),
                })
            })
            .collect(),
        shipping_policies: items
            .values()
            .map(|item| (item.sku.seller_id, shipping_policy(item)))
            .collect(),
        remote_area: selection
            .postal_code
            .as_deref()
            .is_some_and(remote_area::is_remote),
        seller_coupons,
        platform_coupon,
        points: selection.points,
        points_balance: domain::pricing::points::balance(&point_lots),
        cash: selection.cash,
        cash_balance: domain::wallet::balance(&cash_lots).total(),
    };
    let quote = quote::quote(&request).map_err(|e| quote_error(e, &request))?;
    Ok(Prepared {
        lines,
        items,
        quote,
        price_changes,
        seller_coupon_issues,
        platform_coupon_issue: selection.platform_coupon_id,
        point_lots,
        cash_lots,
    })
}

/// Prices the selection without taking anything.
pub async fn quote(
    context: &Context,
    buyer: &Buyer,
    adult: bool,
    selection: &Selection,
) -> Result<Priced, AppError> {
    if let Some(code) = &selection.postal_code {
        postal_code(code)?;
    }
    let mut conn = context.db.get().await?;
    let cart = sellable::cart(&conn, &buyer.key(), None).await?;
    let prepared = prepare(&mut conn, cart, buyer, adult, selection, false).await?;
    Ok(Priced {
        labels: labels(&prepared.items),
        quote: prepared.quote,
        price_changes: prepared.price_changes,
    })
}

fn labels(items: &BTreeMap<Uuid, Sellable>) -> HashMap<Uuid, (String, Vec<String>)> {
    items
        .iter()
        .map(|(id, item)| {
            (
                *id,
                (
                    item.product.name.clone(),
                    item.sku.option_values.iter().flatten().cloned().collect(),
                ),
            )
        })
        .collect()
}

fn checked_delivery(
    delivery: &Delivery,
    buyer: &Buyer,
) -> Result<(Delivery, crate::identity::phone::Phone, String), AppError> {
    let orderer_phone =
        crate::identity::phone::Phone::parse(&delivery.orderer_phone).map_err(|_| {
            AppError::invalid(
                "orderer_phone",
                FieldCode::InvalidFormat,
                "not a valid phone number",
            )
        })?;
    let recipient_phone = crypto::normalize_phone(&delivery.recipient_phone).map_err(|_| {
        AppError::invalid(
            "recipient_phone",
            FieldCode::InvalidFormat,
            "not a valid phone number",
        )
    })?;
    let checked = Delivery {
        orderer_name: text_fields::required("orderer_name", &delivery.orderer_name, 50)?,
        orderer_phone: orderer_phone.e164.clone(),
        orderer_email: match (&delivery.orderer_email, buyer) {
            (Some(email), _) => Some(crypto::normalize_email(email).map_err(|_| {
                AppError::invalid(
                    "orderer_email",
                    FieldCode::InvalidFormat,
                    "not a valid email address",
                )
            })?),
            (None, Buyer::Guest(_)) => {
                return Err(AppError::invalid(
                    "orderer_email",
                    FieldCode::Required,
                    "guests give an email for their order messages",
                ));
            }
            (None, Buyer::Member(_)) => None,
        },
        recipient_name: text_fields::required("recipient_name", &delivery.recipient_name, 50)?,
        recipient_phone,
        postal_code: postal_code(&delivery.postal_code)?,
        address_line1: text_fields::required("address_line1", &delivery.address_line1, 200)?,
        address_line2: text_fields::optional("address_line2", &delivery.address_line2, 200)?,
    };
    let address = serde_json::json!({
        "line1": checked.address_line1,
        "line2": checked.address_line2,
    })
    .to_string();
    Ok((checked, orderer_phone, address))
}

/// Places the order. Replays the first answer for a repeated key and body.
pub async fn checkout(
    context: &Context,
    buyer: &Buyer,
    adult: bool,
    idempotency_key: &str,
    mut request: CheckoutRequest,
) -> Result<Created, AppError> {
    request.selection.postal_code = Some(request.delivery.postal_code.trim().to_owned());
    let holder = buyer.key();
    let claim = Claim::new(format!("checkout:{holder}"), idempotency_key, &request)?;
    let mut conn = context.db.get().await?;
    let mut price_changes = Vec::new();
    let shopper = Shopper {
        buyer,
        holder: &holder,
        adult,
        now: Utc::now(),
    };
    // A key found taken is settled once: its answer replayed, a refusal,
    // or (freed or abandoned since) ours for one more attempt.
    let mut settled = false;
    let result = loop {
        let result = attempt(
            &mut conn,
            context,
            &shopper,
            &claim,
            &request,
            &mut price_changes,
        )
        .await;
        if settled || !matches!(result, Err(Attempt::NotOurs)) {
            break result;
        }
        settled = true;
        if let Idempotent::Replay { body, .. } = claim.settle(&mut conn).await? {
            return serde_json::from_value(body).map_err(AppError::internal);
        }
    };
    let error = match result {
        Ok(created) => return Ok(created),
        Err(Attempt::NotOurs) => return Err(idempotency::in_use()),
        Err(Attempt::Refused(error)) => error,
    };
    claim.release(&mut conn).await?;
    // Refused for changed prices: the shopper has now been shown them.
    for change in price_changes {
        carts::set_price_seen(
            &mut conn,
            &holder,
            change.cart_item_id,
            change.current_price,
        )
        .await?;
    }
    Err(error)
}

/// Why an attempt at placing the order did not.
enum Attempt {
    /// Another request holds the key.
    NotOurs,
    Refused(AppError),
}

impl<E: Into<AppError>> From<E> for Attempt {
    fn from(error: E) -> Self {
        Self::Refused(error.into())
    }
}

/// One attempt: the key's claim leads the pipeline and commits on its own;
/// behind it `BEGIN`, the lock of the key's scope, `checkout:<shopper>`
/// (taken only if the key is ours: one checkout per shopper at a time, so
/// the cap on open orders holds),
/// the open orders and the cart, all read under the lock (ADR 0011).
async fn attempt(
    conn: &mut AsyncPgConnection,
    context: &Context,
    shopper: &Shopper<'_>,
    claim: &Claim,
    request: &CheckoutRequest,
    price_changes: &mut Vec<PriceChange>,
) -> Result<Created, Attempt> {
    let Shopper { holder, now, .. } = *shopper;
    let first = async |shared: &AsyncPgConnection| {
        Ok::<_, Attempt>(
            try_join3(
                claim.lock_scope(shared),
                holds::open_orders(shared, holder, now).err_into(),
                sellable::cart(shared, holder, None).err_into(),
            )
            .await?,
        )
    };
    let lead = async |shared: &AsyncPgConnection| Ok::<_, Attempt>(claim.send(shared).await?);
    pipelined::transaction_after(conn, lead, first, async |conn, (_, (ours, open, cart))| {
        if !ours {
            return Err(Attempt::NotOurs);
        }
        let placed = place(
            conn,
            context.checkout,
            shopper,
            open,
            request,
            cart,
            price_changes,
        )
        .await?;
        let body = serde_json::to_value(&placed.created).map_err(AppError::internal)?;
        // Stored before the stock is taken, so that the SKU locks cover
        // only the hold and the commit; a refusal rolls it back.
        take_stock(conn, &placed, claim, &body).await?;
        Ok(placed.created)
    })
    .await
}

/// 409 `stock_insufficient`, naming each SKU short and what was available.
fn stock_insufficient(skus: &[Uuid], items: &BTreeMap<Uuid, Sellable>) -> AppError {
    let details: Vec<_> = skus
        .iter()
        .map(|sku_id| {
            serde_json::json!({
                "sku_id": sku_id,
                "available": items.get(sku_id).map_or(0, |i| available(i).max(0)),
            })
        })
        .collect();
    AppError::ConflictDetails {
        code: ProblemCode::StockInsufficient,
        message: "not enough stock for some items".into(),
        name: "items",
        details: serde_json::Value::Array(details),
    }
}

/// The shopper at checkout.
struct Shopper<'a> {
    buyer: &'a Buyer,
    /// `buyer.key()`: whose cart, holds and open orders these are.
    holder: &'a str,
    adult: bool,
    now: DateTime<Utc>,
}

async fn place(
    conn: &mut AsyncPgConnection,
    settings: CheckoutSettings,
    shopper: &Shopper<'_>,
    // The shopper's unpaid orders still holding stock, read under their lock.
    open: i64,
    request: &CheckoutRequest,
    cart: CartWithSkus,
    price_changes: &mut Vec<PriceChange>,
) -> Result<Placed, AppError> {
    let Shopper {
        buyer,
        holder,
        adult,
        now,
    } = *shopper;
    let (delivery, orderer_phone, address) = checked_delivery(&request.delivery, buyer)?;
    if open >= settings.max_open_orders {
        return Err(AppError::TooManyRequests {
            code: ProblemCode::TooManyOpenOrders,
            retry_after_secs: u64::from(settings.hold_minutes) * 60,
        });
    }
    let prepared = prepare(conn, cart, buyer, adult, &request.selection, true).await?;
    if !prepared.price_changes.is_empty() {
        let error = AppError::ConflictDetails {
            code: ProblemCode::PricesChanged,
            message: "prices changed since the items were put in the cart".into(),
            name: "changes",
            details: serde_json::to_value(&prepared.price_changes).unwrap_or_default(),
        };
        *price_changes = prepared.price_changes;
        return Err(error);
    }

    let mut holds: Vec<(Uuid, i32)> = prepared
        .lines
        .iter()
        .map(|l| (l.sku_id, l.quantity))
        .collect();
    holds.sort();
    // Fail fast on what is visibly gone (the conditional UPDATE below stays
    // the guarantee): a sold-out flash sale turns buyers away without writes.
    let gone: Vec<Uuid> = holds
        .iter()
        .filter(|(sku_id, quantity)| {
            prepared
                .items
                .get(sku_id)
                .is_none_or(|i| available(i) < *quantity)
        })
        .map(|(sku_id, _)| *sku_id)
        .collect();
    if !gone.is_empty() {
        return Err(stock_insufficient(&gone, &prepared.items));
    }
    let commission_of: Vec<(Uuid, i64)> = prepared
        .items
        .values()
        .map(|i| (i.sku.seller_id, i.product.category_id))
        .collect();
    let commissions = settlement::commission::rules_for(conn, &commission_of, now).await?;
    let quote = &prepared.quote;
    let totals = &quote.totals;
    // Time-ordered ids: the orders' and holds' index entries go to the
    // newest pages instead of random ones across ever-growing indexes.
    let order_id = Uuid::now_v7();
    let expires_at = now + Duration::minutes(i64::from(settings.hold_minutes));
    let vault = crypto::installed().map_err(AppError::internal)?;

    let seller_orders: Vec<SellerOrderRow> = quote
        .sellers
        .iter()
        .map(|s| SellerOrderRow {
            id: Uuid::now_v7(),
            purchase_order_id: order_id,
            seller_id: s.seller_id,
            status: purchase_orders::status::PENDING_PAYMENT.to_owned(),
            seller_coupon_issue_id: prepared.seller_coupon_issues.get(&s.seller_id).copied(),
            items_amount: s.items_amount,
            shipping_fee: s.shipping_fee,
            shipping_points: s.shipping_points,
            shipping_cash: s.shipping_cash,
            shipping_payable: s.shipping_payable,
            settlement_status: "unsettled".to_owned(),
            created_at: now,
        })
        .collect();
    let product_orders: Vec<ProductOrderRow> = quote
        .items
        .iter()
        .filter_map(|line| {
            let item = prepared.items.get(&line.sku_id)?;
            let seller_order = seller_orders
                .iter()
                .find(|s| s.seller_id == line.seller_id)?;
            Some(ProductOrderRow {
                id: Uuid::now_v7(),
                seller_order_id: seller_order.id,
                purchase_order_id: order_id,
                seller_id: line.seller_id,
                product_id: item.sku.product_id,
                sku_id: line.sku_id,
                product_name: item.product.name.clone(),
                sku_code: item.sku.code.clone(),
                option_values: item.sku.option_values.clone(),
                status: purchase_orders::status::PENDING_PAYMENT.to_owned(),
                quantity: i32::try_from(line.quantity).unwrap_or(i32::MAX),
                unit_list_price: line.unit_list_price,
                unit_price: line.unit_price,
                list_amount: line.list_amount,
                product_discount: line.product_discount,
                seller_coupon_discount: line.seller_coupon_discount,
                platform_coupon_discount: line.platform_coupon_discount,
                platform_coupon_seller_funded: line.platform_coupon_seller_funded,
                points: line.points,
                cash: line.cash,
                payable_amount: line.payable,
                seller_coupon_applies: line.seller_coupon_applies,
                platform_coupon_applies: line.platform_coupon_applies,
            })
        })
        .collect();
    let purchase = NewPurchaseOrder {
        id: order_id,
        buyer: holder.to_owned(),
        user_id: buyer.member_id(),
        list_amount: totals.list_amount,
        product_discount: totals.product_discount,
        seller_coupon_discount: totals.seller_coupon_discount,
        platform_coupon_discount: totals.platform_coupon_discount,
        platform_coupon_seller_funded: totals.platform_coupon_seller_funded,
        shipping_fee: totals.shipping_fee,
        points: totals.points,
        cash: totals.cash,
        payable_amount: totals.payable,
        platform_coupon_issue_id: prepared.platform_coupon_issue,
        orderer_name: Sealed::new(delivery.orderer_name.clone()),
        orderer_phone: Sealed::new(delivery.orderer_phone.clone()),
        orderer_phone_index: vault.blind_index(BlindIndexKind::Phone, &orderer_phone.e164),
        orderer_email: delivery.orderer_email.clone().map(Sealed::new),
        recipient_name: Sealed::new(delivery.recipient_name.clone()),
        recipient_phone: Sealed::new(delivery.recipient_phone.clone()),
        shipping_address: Sealed::new(address),
        postal_code: delivery.postal_code.clone(),
        expires_at,
    };
    let new_holds: Vec<NewHold> = holds
        .iter()
        .map(|&(sku_id, quantity)| NewHold {
            id: Uuid::now_v7(),
            sku_id,
            purchase_order_id: order_id,
            holder: holder.to_owned(),
            quantity,
            expires_at,
        })
        .collect();
    let bought: Vec<Uuid> = holds.iter().map(|(id, _)| *id).collect();
    let shared: &AsyncPgConnection = conn;
    let (order_no, ()) = try_join(
        purchase_orders::insert(
            shared,
            &NewOrder {
                purchase: &purchase,
                sellers: &seller_orders,
                products: &product_orders,
                holds: &new_holds,
            },
        ),
        carts::remove_skus(shared, holder, &bought),
    )
    .await?;

    let frozen: Vec<FrozenCommission> = product_orders
        .iter()
        .filter_map(|line| {
            let rule = commissions.get(&(
                line.seller_id,
                prepared.items.get(&line.sku_id)?.product.category_id,
            ))?;
            Some(FrozenCommission {
                product_order_id: line.id,
                rule_id: rule.id,
                rate: rule.rate,
                vat_rate: rule.vat_rate,
            })
        })
        .collect();
    settlement_rules::freeze(conn, &frozen).await?;

    let mut taken_coupons: Vec<Uuid> = prepared.seller_coupon_issues.values().copied().collect();
    taken_coupons.extend(prepared.platform_coupon_issue);
    if !taken_coupons.is_empty()
        && coupons::hold(conn, &taken_coupons, order_id).await? != taken_coupons.len()
    {
        return Err(AppError::Conflict {
            code: ProblemCode::CouponNotUsable,
            message: "a coupon was used by another order".into(),
        });
    }
    if let Some(user_id) = buyer.member_id() {
        let order = format!("order {order_no}");
        if !totals.points.is_zero() {
            let drawn = domain::pricing::points::draw(&prepared.point_lots, totals.points)
                .map_err(|e| {
                    AppError::invalid("points", FieldCode::PointsInsufficient, e.to_string())
                })?;
            spend(conn, Ledger::Points, user_id, drawn, order_id, &order).await?;
        }
        if !totals.cash.is_zero() {
            let drawn = domain::wallet::draw(&prepared.cash_lots, totals.cash).map_err(|e| {
                AppError::invalid("cash", FieldCode::CashInsufficient, e.to_string())
            })?;
            spend(conn, Ledger::Cash, user_id, drawn, order_id, &order).await?;
        }
    }
    let names: Vec<&str> = product_orders
        .iter()
        .map(|p| p.product_name.as_str())
        .collect();
    let order_name = crate::orders::purchase_orders::order_name(&names);
    // Points and cash cover it all: there is nothing for a provider to
    // charge, so the order is paid in this transaction.
    let status = if totals.payable.is_zero() {
        purchase_orders::status::PAID
    } else {
        purchase_orders::status::PENDING_PAYMENT
    };
    Ok(Placed {
        created: Created {
            purchase_order_id: order_id,
            order_no,
            status: status.to_owned(),
            currency: Currency::Krw.code().to_owned(),
            payable_amount: totals.payable,
            expires_at,
            order_name,
        },
        holds,
        items: prepared.items,
    })
}

/// Writes what an order takes from a member's lots (`drawn`: lot, amount).
async fn spend(
    conn: &mut AsyncPgConnection,
    ledger: Ledger,
    user_id: Uuid,
    drawn: Vec<(i64, Decimal)>,
    order_id: Uuid,
    reason: &str,
) -> Result<(), AppError> {
    let entries: Vec<(i64, Decimal)> = drawn.into_iter().map(|(lot, take)| (lot, -take)).collect();
    lots::draw(
        conn,
        ledger,
        user_id,
        lots::kind::SPEND,
        &entries,
        Some(order_id),
        reason,
    )
    .await?;
    Ok(())
}

/// Stores the answer and reserves the placed order's stock, sent together
/// (ADR 0011); the hold is taken last, because the SKU rows are what
/// concurrent checkouts wait for, so their locks are taken just before the
/// commit, all in one statement. Then settles an order with nothing to pay.
async fn take_stock(
    conn: &mut AsyncPgConnection,
    placed: &Placed,
    claim: &Claim,
    answer: &serde_json::Value,
) -> Result<(), AppError> {
    let shared: &AsyncPgConnection = conn;
    let ((), reserved) = try_join(claim.complete(shared, 201, answer), async {
        Ok(holds::reserve(shared, &placed.holds).await?)
    })
    .await?;
    let short: Vec<Uuid> = placed
        .holds
        .iter()
        .map(|(sku_id, _)| *sku_id)
        .filter(|sku_id| !reserved.iter().any(|(id, _)| id == sku_id))
        .collect();
    if !short.is_empty() {
        return Err(stock_insufficient(&short, &placed.items));
    }
    for (sku_id, _) in reserved.iter().filter(|(_, available)| *available == 0) {
        if let Some(item) = placed.items.get(sku_id) {
            products::refresh_listing(conn, item.sku.product_id).await?;
        }
    }
    if placed.created.status == purchase_orders::status::PAID {
        let order = purchase_orders::lock_purchase(conn, placed.created.purchase_order_id, None)
            .await?
            .ok_or_else(|| AppError::internal("the new order vanished"))?;
        crate::orders::purchase_orders::settle_paid(conn, &order, PAID_WITH_POINTS_AND_CASH)
            .await?;
    }
    Ok(())
}
