//! An order's life after checkout: paid (stock committed, coupons used, the
//! outbox written) or cancelled unpaid (its hold released); and who may read
//! which tier.

use diesel_async::AsyncConnection;
use futures_util::future::try_join;
use persistence::AsyncPgConnection;
use persistence::orders::holds;
use persistence::orders::purchase_orders::{self, status};
pub use persistence::orders::purchase_orders::{
    OrderSearch, ProductOrderRow, PurchaseOrderRow, SellerOrderRow,
};
use persistence::pricing::coupons;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::kernel::ProblemCode;
use crate::kernel::order_mail;
use crate::kernel::principals::Buyer;
use crate::kernel::principals::StaffPrincipal;
use crate::{AppError, Context};

/// Outbox: an order was paid (tell the shopper; vendors see it in their list).
#[derive(Debug, Serialize, Deserialize)]
pub struct OrderPaid {
    pub purchase_order_id: Uuid,
}

impl jobs::Job for OrderPaid {
    const KIND: &'static str = "orders.paid";
}

/// Outbox: a vendor has a new paid order (tell the vendor).
#[derive(Debug, Serialize, Deserialize)]
pub struct NewSellerOrder {
    pub seller_order_id: Uuid,
}

impl jobs::Job for NewSellerOrder {
    const KIND: &'static str = "orders.new_for_seller";
}

/// A purchase order with its vendor orders and product orders.
pub struct OrderDetail {
    pub purchase: PurchaseOrderRow,
    pub sellers: Vec<SellerOrderRow>,
    pub products: Vec<ProductOrderRow>,
}

/// Marks a locked unpaid order paid: its stock leaves the shelves, its
/// coupons are used, and the outbox learns of it, all in the caller's
/// transaction. Points and cash were drawn at checkout. The hold's end is
/// the caller's to check: a provider payment started in time is honoured
/// (the expiry schedule leaves its order alone while it is under way).
pub async fn settle_paid(
    conn: &mut AsyncPgConnection,
    order: &PurchaseOrderRow,
    payment_method: &str,
) -> Result<(), AppError> {
    if order.status != status::PENDING_PAYMENT {
        return Err(AppError::Conflict {
            code: ProblemCode::OrderNotPayable,
            message: format!("the order is {}", order.status),
        });
    }
    // Statements sent in pairs (ADR 0011).
    let shared: &AsyncPgConnection = conn;
    let (_, seller_orders) = try_join(
        coupons::use_order(shared, order.id),
        purchase_orders::set_status(
            shared,
            order.id,
            status::PAID,
            Some(payment_method),
            None,
            Some(crate::fulfilment::dispatch::due_if_paid_at(
                chrono::Utc::now(),
            )),
        ),
    )
    .await?;
    let mut outbox = vec![jobs::due_now(&OrderPaid {
        purchase_order_id: order.id,
    })?];
    for seller_order_id in seller_orders {
        outbox.push(jobs::due_now(&NewSellerOrder { seller_order_id })?);
    }
    // The stock last: other orders of the same SKUs wait for these rows
    // until commit.
    try_join(
        jobs::enqueue_all(shared, &outbox),
        holds::finish(shared, order.id, true, &order.order_no),
    )
    .await?;
    Ok(())
}

/// What an order is called to people and payment providers: its first
/// product, and how many more ("Denim jacket and 2 more").
pub fn order_name(product_names: &[&str]) -> String {
    match product_names {
        [] => String::new(),
        [only] => (*only).to_owned(),
        [first, rest @ ..] => format!("{first} and {} more", rest.len()),
    }
}

/// The shopper cancels one of their unpaid orders.
pub async fn cancel_unpaid(
    context: &Context,
    buyer: &Buyer,
    id: Uuid,
) -> Result<OrderDetail, AppError> {
    let key = buyer.key();
    let mut conn = context.db.get().await?;
    conn.transaction(async |conn| {
        let order = purchase_orders::lock_purchase(conn, id, Some(&key))
            .await?
            .ok_or(AppError::NotFound { resource: "order" })?;
        if order.status != status::PENDING_PAYMENT {
            return Err(AppError::Conflict {
                code: ProblemCode::OrderNotCancellable,
                message: format!(
                    "the order is {}; paid orders are cancelled through a claim",
                    order.status
                ),
            });
        }
        crate::orders::holds::release(
            conn,
            order.id,
            &order.order_no,
            order.user_id,
            status::CANCELLED,
            "cancelled by the shopper before payment",
        )
        .await?;
        Ok::<_, AppError>(())
    })
    .await?;
    detail(&mut conn, id, Some(&key)).await
}

pub(crate) async fn detail(
    conn: &mut AsyncPgConnection,
    id: Uuid,
    buyer: Option<&str>,
) -> Result<OrderDetail, AppError> {
    let (purchase, sellers, products) = purchase_orders::find_with_tiers(conn, id, buyer)
        .await?
        .ok_or(AppError::NotFound { resource: "order" })?;
    Ok(OrderDetail {
        purchase,
        sellers,
        products,
    })
}

/// Details of many purchase orders, in their order.
async fn details(
    conn: &mut AsyncPgConnection,
    purchases: Vec<PurchaseOrderRow>,
) -> Result<Vec<OrderDetail>, AppError> {
    let ids: Vec<Uuid> = purchases.iter().map(|p| p.id).collect();
    let (sellers, products) = purchase_orders::tiers_of(conn, &ids).await?;
    Ok(purchases
        .into_iter()
        .map(|purchase| OrderDetail {
            sellers: sellers
                .iter()
                .filter(|s| s.purchase_order_id == purchase.id)
                .cloned()
                .collect(),
            products: products
                .iter()
                .filter(|p| p.purchase_order_id == purchase.id)
                .cloned()
                .collect(),
            purchase,
        })
        .collect())
}

/// The buyer's own orders, newest first, with the total count.
pub async fn list_own(
    context: &Context,
    buyer: &Buyer,
    limit: i64,
    offset: i64,
) -> Result<(Vec<OrderDetail>, i64), AppError> {
    let own = OrderSearch {
        buyer: Some(buyer.key()),
        ..OrderSearch::default()
    };
    search(context, &own, limit, offset).await
}

/// One of the buyer's own orders, all three tiers.
pub async fn own(context: &Context, buyer: &Buyer, id: Uuid) -> Result<OrderDetail, AppError> {
    let mut conn = context.db.get().await?;
    detail(&mut conn, id, Some(&buyer.key())).await
}

/// Guesses at order numbers and phones allowed per IP and hour.
const GUEST_LOOKUPS_PER_HOUR: u32 = 30;

/// A guest's order, found by its number and the orderer's phone.
pub async fn guest_order(
    context: &Context,
    ip: &str,
    order_no: &str,
    phone: &str,
) -> Result<OrderDetail, AppError> {
    crate::kernel::limits::guard(
        context,
        "guest-order-ip",
        ip,
        GUEST_LOOKUPS_PER_HOUR,
        crate::kernel::limits::HOUR,
    )
    .await?;
    let phone = crate::identity::phone::Phone::parse(phone)?;
    let mut conn = context.db.get().await?;
    let purchase =
        purchase_orders::find_by_number_and_phone(&mut conn, order_no.trim(), &phone.index)
            .await?
            .ok_or(AppError::NotFound { resource: "order" })?;
    detail(&mut conn, purchase.id, None).await
}

/// A vendor's own orders, newest first.
pub async fn list_for_seller(
    context: &Context,
    caller: &StaffPrincipal,
    status_filter: Option<&str>,
    limit: i64,
    offset: i64,
) -> Result<(Vec<(SellerOrderRow, Vec<ProductOrderRow>)>, i64), AppError> {
    let seller_id = caller.own_seller_id()?;
    let mut conn = context.db.get().await?;
    let (rows, total) =
        purchase_orders::list_for_seller(&mut conn, seller_id, status_filter, limit, offset)
            .await?;
    let ids: Vec<Uuid> = rows.iter().map(|r| r.id).collect();
    let products = purchase_orders::products_of_seller_orders(&mut conn, &ids).await?;
    Ok((
        rows.into_iter()
            .map(|order| {
                let lines = products
                    .iter()
                    .filter(|p| p.seller_order_id == order.id)
                    .cloned()
                    .collect();
                (order, lines)
            })
            .collect(),
        total,
    ))
}

/// One of the vendor's own orders (another vendor's is not found).
pub async fn for_seller(
    context: &Context,
    caller: &StaffPrincipal,
    id: Uuid,
) -> Result<(SellerOrderRow, Vec<ProductOrderRow>), AppError> {
    let seller_id = caller.own_seller_id()?;
    let mut conn = context.db.get().await?;
    purchase_orders::find_for_seller(&mut conn, seller_id, id)
        .await?
        .ok_or(AppError::NotFound { resource: "order" })
}

/// Operations: every order matching the filter.
pub async fn search(
    context: &Context,
    filter: &OrderSearch,
    limit: i64,
    offset: i64,
) -> Result<(Vec<OrderDetail>, i64), AppError> {
    let mut conn = context.db.get().await?;
    let (rows, total) = purchase_orders::search(&mut conn, filter, limit, offset).await?;
    Ok((details(&mut conn, rows).await?, total))
}

/// Operations: any order.
pub async fn any(context: &Context, id: Uuid) -> Result<OrderDetail, AppError> {
    let mut conn = context.db.get().await?;
    detail(&mut conn, id, None).await
}

/// Purchase orders whose money does not add up (should be none).
pub async fn allocation_mismatches(context: &Context) -> Result<Vec<Uuid>, AppError> {
    let mut conn = context.db.get().await?;
    Ok(purchase_orders::allocation_mismatches(&mut conn).await?)
}

/// Emails the shopper that their order is paid.
pub(crate) async fn send_order_paid(
    context: &Context,
    job: OrderPaid,
) -> Result<(), jobs::JobError> {
    order_mail::tell_buyer(context, job.purchase_order_id, |purchase| {
        let no = &purchase.order_no;
        let amount = domain::money::Currency::Krw.round(purchase.payable_amount);
        (
            format!("Order {no} is confirmed"),
            format!("Thank you. Order {no} is paid ({amount} KRW).\n"),
            format!("<p>Thank you. Order <b>{no}</b> is paid ({amount} KRW).</p>"),
        )
    })
    .await
}

/// Emails a vendor's contact address about a new paid order.
pub(crate) async fn send_new_seller_order(
    context: &Context,
    job: NewSellerOrder,
) -> Result<(), jobs::JobError> {
    order_mail::tell_vendor(context, job.seller_order_id, |notice| {
        let no = &notice.order_no;
        let items = notice.pieces;
        let amount = domain::money::Currency::Krw.round(notice.items_amount);
        (
            format!("New order {no}"),
            format!("Order {no} is paid: {items} item(s), {amount} KRW. Ship it from your order list.\n"),
            format!("<p>Order <b>{no}</b> is paid: {items} item(s), {amount} KRW. Ship it from your order list.</p>"),
        )
    })
    .await
}
