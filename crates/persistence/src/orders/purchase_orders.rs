//! Three-tier orders: the purchase (one payment), its vendor orders, and
//! their product orders with every amount allocated to them.

use chrono::{DateTime, NaiveDate, Utc};
use crypto::{DataClass, Field, Sealed};
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use rust_decimal::Decimal;
use uuid::Uuid;

use crate::StoreError;
use crate::infra::reusable_sql::Reusable;
use crate::infra::together::Together;
use crate::orders::holds::NewHold;
use crate::schema::{inventory_reservations, product_orders, purchase_orders, seller_orders};

macro_rules! contact_field {
    ($name:ident, $column:literal) => {
        pub struct $name;
        impl Field for $name {
            const COLUMN: &'static str = $column;
            const CLASS: DataClass = DataClass::Contact;
        }
    };
}

contact_field!(OrdererName, "purchase_orders.orderer_name");
contact_field!(OrdererPhone, "purchase_orders.orderer_phone");
contact_field!(OrdererEmail, "purchase_orders.orderer_email");
contact_field!(RecipientName, "purchase_orders.recipient_name");
contact_field!(RecipientPhone, "purchase_orders.recipient_phone");
contact_field!(ShippingAddress, "purchase_orders.shipping_address");

/// Order states as stored (the same words on all three tiers).
pub mod status {
    pub const PENDING_PAYMENT: &str = "pending_payment";
    pub const PAID: &str = "paid";
    pub const CANCELLED: &str = "cancelled";
    pub const EXPIRED: &str = "expired";
    /// Product orders only, after payment.
    pub const SHIPPED: &str = "shipped";
    pub const DELIVERED: &str = "delivered";
    pub const CONFIRMED: &str = "confirmed";
}

#[derive(Debug, Insertable)]
#[diesel(table_name = purchase_orders)]
pub struct NewPurchaseOrder {
    pub id: Uuid,
    pub buyer: String,
    pub user_id: Option<Uuid>,
    pub list_amount: Decimal,
    pub product_discount: Decimal,
    pub seller_coupon_discount: Decimal,
    pub platform_coupon_discount: Decimal,
    pub platform_coupon_seller_funded: Decimal,
    pub shipping_fee: Decimal,
    pub points: Decimal,
    pub cash: Decimal,
    pub payable_amount: Decimal,
    pub platform_coupon_issue_id: Option<Uuid>,
    pub orderer_name: Sealed<OrdererName>,
    pub orderer_phone: Sealed<OrdererPhone>,
    pub orderer_phone_index: Vec<u8>,
    pub orderer_email: Option<Sealed<OrdererEmail>>,
    pub recipient_name: Sealed<RecipientName>,
    pub recipient_phone: Sealed<RecipientPhone>,
    pub shipping_address: Sealed<ShippingAddress>,
    pub postal_code: String,
    pub expires_at: DateTime<Utc>,
}

#[derive(Debug, Clone, Insertable, Queryable, Selectable)]
#[diesel(table_name = seller_orders, check_for_backend(diesel::pg::Pg))]
pub struct SellerOrderRow {
    pub id: Uuid,
    pub purchase_order_id: Uuid,
    pub seller_id: Uuid,
    pub status: String,
    pub seller_coupon_issue_id: Option<Uuid>,
    pub items_amount: Decimal,
    pub shipping_fee: Decimal,
    pub shipping_points: Decimal,
    pub shipping_cash: Decimal,
    pub shipping_payable: Decimal,
    pub settlement_status: String,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Clone, Insertable, Queryable, Selectable)]
#[diesel(table_name = product_orders, check_for_backend(diesel::pg::Pg))]
pub struct ProductOrderRow {
    pub id: Uuid,
    pub seller_order_id: Uuid,
    pub purchase_order_id: Uuid,
    pub seller_id: Uuid,
    pub product_id: Uuid,
    pub sku_id: Uuid,
    pub product_name: String,
    pub sku_code: String,
    pub option_values: Vec<Option<String>>,
    pub status: String,
    pub quantity: i32,
    pub unit_list_price: Decimal,
    pub unit_price: Decimal,
    pub list_amount: Decimal,
    pub product_discount: Decimal,
    pub seller_coupon_discount: Decimal,
    pub platform_coupon_discount: Decimal,
    pub platform_coupon_seller_funded: Decimal,
    pub points: Decimal,
    pub cash: Decimal,
    pub payable_amount: Decimal,
    pub seller_coupon_applies: bool,
    pub platform_coupon_applies: bool,
}

#[derive(Debug, Queryable, Selectable)]
#[diesel(table_name = purchase_orders, check_for_backend(diesel::pg::Pg))]
pub struct PurchaseOrderRow {
    pub id: Uuid,
    pub order_no: String,
    pub buyer: String,
    pub user_id: Option<Uuid>,
    pub status: String,
    pub currency: String,
    pub list_amount: Decimal,
    pub product_discount: Decimal,
    pub seller_coupon_discount: Decimal,
    pub platform_coupon_discount: Decimal,
    pub platform_coupon_seller_funded: Decimal,
    pub shipping_fee: Decimal,
    pub points: Decimal,
    pub cash: Decimal,
    pub payable_amount: Decimal,
    pub orderer_email: Option<Sealed<OrdererEmail>>,
    pub recipient_name: Sealed<RecipientName>,
    pub recipient_phone: Sealed<RecipientPhone>,
    pub shipping_address: Sealed<ShippingAddress>,
    pub postal_code: String,
    pub expires_at: DateTime<Utc>,
    pub payment_method: Option<String>,
    pub paid_at: Option<DateTime<Utc>>,
    pub cancelled_at: Option<DateTime<Utc>>,
    pub cancel_reason: Option<String>,
    pub created_at: DateTime<Utc>,
}

/// A placed order's rows: the purchase order, its vendor orders, its
/// product orders, and the holds on its stock.
pub struct NewOrder<'a> {
    pub purchase: &'a NewPurchaseOrder,
    pub sellers: &'a [SellerOrderRow],
    pub products: &'a [ProductOrderRow],
    pub holds: &'a [NewHold],
}

/// Inserts a placed order, all four tables in one statement; returns its
/// order number.
pub async fn insert(
    mut conn: &AsyncPgConnection,
    order: &NewOrder<'_>,
) -> Result<String, StoreError> {
    let rows = order
        .sellers
        .len()
        .max(order.products.len())
        .max(order.holds.len());
    let statement = Together::new(
        diesel::insert_into(purchase_orders::table)
            .values(order.purchase)
            .returning(purchase_orders::order_no),
    )
    .with(
        "sellers",
        diesel::insert_into(seller_orders::table).values(order.sellers),
    )
    .with(
        "products",
        diesel::insert_into(product_orders::table).values(order.products),
    )
    .with(
        "holds",
        diesel::insert_into(inventory_reservations::table).values(order.holds),
    );
    Ok(Reusable::rows(statement, rows)
        .get_result(&mut conn)
        .await?)
}

/// `status = 'pending_payment'` written into the statement, not bound: a
/// kept (generic) plan can use the partial indexes of unpaid orders only
/// when it sees the value.
fn is_pending_payment() -> diesel::expression::SqlLiteral<diesel::sql_types::Bool> {
    diesel::dsl::sql(PENDING_PAYMENT_CONDITION)
}

const PENDING_PAYMENT_CONDITION: &str = "\"purchase_orders\".\"status\" = 'pending_payment'";

/// A purchase order, locked; `buyer` `Some` limits it to that buyer's.
pub async fn lock_purchase(
    mut conn: &AsyncPgConnection,
    id: Uuid,
    buyer: Option<&str>,
) -> Result<Option<PurchaseOrderRow>, StoreError> {
    let query = purchase_orders::table
        .filter(purchase_orders::id.eq(id))
        .for_update()
        .select(PurchaseOrderRow::as_select());
    Ok(match buyer {
        Some(buyer) => {
            query
                .filter(purchase_orders::buyer.eq(buyer))
                .first(&mut conn)
                .await
        }
        None => query.first(&mut conn).await,
    }
    .optional()?)
}

/// The unpaid order whose hold ended first, locked (skipping any another
/// worker holds): id, order number and member.
pub async fn lock_next_expired(
    conn: &mut AsyncPgConnection,
    now: DateTime<Utc>,
) -> Result<Option<(Uuid, String, Option<Uuid>)>, StoreError> {
    use crate::payments::attempts::status as payment;
    use crate::schema::payments;
    // An order whose payment is under way at a provider waits for its
    // outcome (reconciliation settles it either way).
    let payment_in_flight = payments::table
        .filter(payments::purchase_order_id.eq(purchase_orders::id.nullable()))
        .filter(payments::status.eq_any([
            payment::CONFIRMING,
            payment::IN_DOUBT,
            payment::AWAITING_DEPOSIT,
        ]));
    Ok(purchase_orders::table
        .filter(is_pending_payment())
        .filter(purchase_orders::expires_at.le(now))
        .filter(diesel::dsl::not(diesel::dsl::exists(payment_in_flight)))
        .order(purchase_orders::expires_at.asc())
        .limit(1)
        .for_update()
        .skip_locked()
        .select((
            purchase_orders::id,
            purchase_orders::order_no,
            purchase_orders::user_id,
        ))
        .get_result(conn)
        .await
        .optional()?)
}

/// Moves all three tiers of an order to `to` (from unpaid) in one
/// statement, starting the vendor orders' dispatch deadline when paid;
/// returns the ids of its vendor orders.
pub async fn set_status(
    mut conn: &AsyncPgConnection,
    id: Uuid,
    to: &str,
    payment_method: Option<&str>,
    reason: Option<&str>,
    dispatch_due: Option<NaiveDate>,
) -> Result<Vec<Uuid>, StoreError> {
    let rows: Vec<SellerOrderId> = Reusable::fixed(
        diesel::sql_query(
            "WITH purchase AS ( \
             UPDATE purchase_orders \
             SET status = $2, version = version + 1, payment_method = $3, cancel_reason = $4, \
                 paid_at = CASE WHEN $5 THEN now() END, \
                 cancelled_at = CASE WHEN $5 THEN NULL ELSE now() END \
             WHERE id = $1), \
         products AS (UPDATE product_orders SET status = $2 WHERE purchase_order_id = $1) \
         UPDATE seller_orders SET status = $2, dispatch_due = $6 WHERE purchase_order_id = $1 RETURNING id",
        )
        .bind::<diesel::sql_types::Uuid, _>(id)
        .bind::<diesel::sql_types::Text, _>(to)
        .bind::<diesel::sql_types::Nullable<diesel::sql_types::Text>, _>(payment_method)
        .bind::<diesel::sql_types::Nullable<diesel::sql_types::Text>, _>(reason)
        .bind::<diesel::sql_types::Bool, _>(to == status::PAID)
        .bind::<diesel::sql_types::Nullable<diesel::sql_types::Date>, _>(dispatch_due),
    )
    .load(&mut conn)
    .await?;
    let mut ids: Vec<Uuid> = rows.into_iter().map(|row| row.id).collect();
    ids.sort();
    Ok(ids)
}

#[derive(QueryableByName)]
struct SellerOrderId {
    #[diesel(sql_type = diesel::sql_types::Uuid)]
    id: Uuid,
}

/// Moves a purchase's product orders that are in one of `from` to `to`
/// (fulfilment's steps after payment); returns how many moved.
pub async fn advance_product_orders(
    conn: &mut AsyncPgConnection,
    purchase_order_id: Uuid,
    from: &[&str],
    to: &str,
) -> Result<usize, StoreError> {
    Ok(diesel::update(
        product_orders::table
            .filter(product_orders::purchase_order_id.eq(purchase_order_id))
            .filter(product_orders::status.eq_any(from)),
    )
    .set(product_orders::status.eq(to))
    .execute(conn)
    .await?)
}

/// What orders are searched by (operations; a buyer's own list).
#[derive(Debug, Default)]
pub struct OrderSearch {
    pub buyer: Option<String>,
    pub order_no: Option<String>,
    pub status: Option<String>,
    pub user_id: Option<Uuid>,
    pub from: Option<DateTime<Utc>>,
    pub until: Option<DateTime<Utc>>,
}

pub async fn search(
    conn: &mut AsyncPgConnection,
    filter: &OrderSearch,
    limit: i64,
    offset: i64,
) -> Result<(Vec<PurchaseOrderRow>, i64), StoreError> {
    let build = || {
        let mut query = purchase_orders::table.into_boxed();
        if let Some(buyer) = &filter.buyer {
            query = query.filter(purchase_orders::buyer.eq(buyer.clone()));
        }
        if let Some(no) = &filter.order_no {
            query = query.filter(purchase_orders::order_no.eq(no.clone()));
        }
        if let Some(status) = &filter.status {
            query = query.filter(purchase_orders::status.eq(status.clone()));
        }
        if let Some(user_id) = filter.user_id {
            query = query.filter(purchase_orders::user_id.eq(user_id));
        }
        if let Some(from) = filter.from {
            query = query.filter(purchase_orders::created_at.ge(from));
        }
        if let Some(until) = filter.until {
            query = query.filter(purchase_orders::created_at.lt(until));
        }
        query
    };
    let rows = build()
        .order((
            purchase_orders::created_at.desc(),
            purchase_orders::id.desc(),
        ))
        .limit(limit)
        .offset(offset)
        .select(PurchaseOrderRow::as_select())
        .load(conn)
        .await?;
    let total = build().count().get_result(conn).await?;
    Ok((rows, total))
}

/// A purchase order; `buyer` `Some` limits it to that buyer's.
pub async fn find_purchase(
    conn: &mut AsyncPgConnection,
    id: Uuid,
    buyer: Option<&str>,
) -> Result<Option<PurchaseOrderRow>, StoreError> {
    let mut query = purchase_orders::table
        .filter(purchase_orders::id.eq(id))
        .select(PurchaseOrderRow::as_select())
        .into_boxed();
    if let Some(buyer) = buyer {
        query = query.filter(purchase_orders::buyer.eq(buyer));
    }
    Ok(Reusable::fixed(query.limit(1))
        .get_result(conn)
        .await
        .optional()?)
}

/// A purchase order with its vendor orders (by vendor) and product orders
/// (by vendor order), in one statement; `buyer` limits it to that buyer's.
/// Every vendor order has at least one product order, so the join misses none.
pub async fn find_with_tiers(
    conn: &mut AsyncPgConnection,
    id: Uuid,
    buyer: Option<&str>,
) -> Result<Option<(PurchaseOrderRow, Vec<SellerOrderRow>, Vec<ProductOrderRow>)>, StoreError> {
    let mut query = product_orders::table
        .inner_join(seller_orders::table.inner_join(purchase_orders::table))
        .filter(purchase_orders::id.eq(id))
        .order((product_orders::seller_order_id, product_orders::id))
        .select((
            PurchaseOrderRow::as_select(),
            SellerOrderRow::as_select(),
            ProductOrderRow::as_select(),
        ))
        .into_boxed();
    if let Some(buyer) = buyer {
        query = query.filter(purchase_orders::buyer.eq(buyer));
    }
    let rows: Vec<(PurchaseOrderRow, SellerOrderRow, ProductOrderRow)> =
        Reusable::fixed(query).load(conn).await?;
    let mut rows = rows.into_iter();
    let Some((purchase, first_seller, first_product)) = rows.next() else {
        return Ok(None);
    };
    let mut sellers = vec![first_seller];
    let mut products = vec![first_product];
    for (_, seller, product) in rows {
        if !sellers.iter().any(|s| s.id == seller.id) {
            sellers.push(seller);
        }
        products.push(product);
    }
    sellers.sort_by_key(|s| s.seller_id);
    Ok(Some((purchase, sellers, products)))
}

/// A guest's order by its number and the orderer's phone (blind index);
/// members' orders are only found through their account.
pub async fn find_by_number_and_phone(
    conn: &mut AsyncPgConnection,
    order_no: &str,
    phone_index: &[u8],
) -> Result<Option<PurchaseOrderRow>, StoreError> {
    Ok(purchase_orders::table
        .filter(purchase_orders::user_id.is_null())
        .filter(purchase_orders::order_no.eq(order_no))
        .filter(purchase_orders::orderer_phone_index.eq(phone_index))
        .select(PurchaseOrderRow::as_select())
        .first(conn)
        .await
        .optional()?)
}

/// The vendor orders and product orders of purchases.
pub async fn tiers_of(
    conn: &mut AsyncPgConnection,
    purchase_ids: &[Uuid],
) -> Result<(Vec<SellerOrderRow>, Vec<ProductOrderRow>), StoreError> {
    let sellers = seller_orders::table
        .filter(seller_orders::purchase_order_id.eq_any(purchase_ids))
        .order((seller_orders::purchase_order_id, seller_orders::seller_id))
        .select(SellerOrderRow::as_select())
        .load(conn)
        .await?;
    let products = product_orders::table
        .filter(product_orders::purchase_order_id.eq_any(purchase_ids))
        .order((product_orders::seller_order_id, product_orders::id))
        .select(ProductOrderRow::as_select())
        .load(conn)
        .await?;
    Ok((sellers, products))
}

/// A vendor's own orders, newest first, with the total count.
pub async fn list_for_seller(
    conn: &mut AsyncPgConnection,
    seller_id: Uuid,
    status_filter: Option<&str>,
    limit: i64,
    offset: i64,
) -> Result<(Vec<SellerOrderRow>, i64), StoreError> {
    let build = || {
        let mut query = seller_orders::table
            .filter(seller_orders::seller_id.eq(seller_id))
            .into_boxed();
        if let Some(s) = status_filter {
            query = query.filter(seller_orders::status.eq(s.to_owned()));
        }
        query
    };
    let rows = build()
        .order((seller_orders::created_at.desc(), seller_orders::id.desc()))
        .limit(limit)
        .offset(offset)
        .select(SellerOrderRow::as_select())
        .load(conn)
        .await?;
    let total = build().count().get_result(conn).await?;
    Ok((rows, total))
}

/// One of a vendor's orders with its product orders (ownership in the query).
pub async fn find_for_seller(
    conn: &mut AsyncPgConnection,
    seller_id: Uuid,
    id: Uuid,
) -> Result<Option<(SellerOrderRow, Vec<ProductOrderRow>)>, StoreError> {
    let Some(order) = seller_orders::table
        .filter(seller_orders::id.eq(id))
        .filter(seller_orders::seller_id.eq(seller_id))
        .select(SellerOrderRow::as_select())
        .first(conn)
        .await
        .optional()?
    else {
        return Ok(None);
    };
    let products = product_orders::table
        .filter(product_orders::seller_order_id.eq(id))
        .filter(product_orders::seller_id.eq(seller_id))
        .order(product_orders::id)
        .select(ProductOrderRow::as_select())
        .load(conn)
        .await?;
    Ok(Some((order, products)))
}

/// The product orders of vendor orders (for lists).
pub async fn products_of_seller_orders(
    conn: &mut AsyncPgConnection,
    seller_order_ids: &[Uuid],
) -> Result<Vec<ProductOrderRow>, StoreError> {
    Ok(product_orders::table
        .filter(product_orders::seller_order_id.eq_any(seller_order_ids))
        .order((product_orders::seller_order_id, product_orders::id))
        .select(ProductOrderRow::as_select())
        .load(conn)
        .await?)
}

/// Purchase orders whose money does not add up: for each source, the sum
/// over its product orders still in the order, its shipping and the fees
/// claims kept, plus what claims gave back (or released, for discounts),
/// must equal the purchase order's total. Empty when every order is exact.
pub async fn allocation_mismatches(conn: &mut AsyncPgConnection) -> Result<Vec<Uuid>, StoreError> {
    #[derive(QueryableByName)]
    struct Mismatch {
        #[diesel(sql_type = diesel::sql_types::Uuid)]
        id: Uuid,
    }
    let rows: Vec<Mismatch> = diesel::sql_query(ALLOCATION_CHECK).load(conn).await?;
    Ok(rows.into_iter().map(|m| m.id).collect())
}

/// The SQL of [`allocation_mismatches`], also run by `worker check-orders`.
pub const ALLOCATION_CHECK: &str = "\
WITH p AS (
    SELECT purchase_order_id AS id,
           sum(list_amount) AS list_amount, sum(product_discount) AS product_discount,
           COALESCE(sum(seller_coupon_discount) FILTER (WHERE claim_id IS NULL), 0) AS seller_coupon_discount,
           COALESCE(sum(platform_coupon_discount) FILTER (WHERE claim_id IS NULL), 0) AS platform_coupon_discount,
           COALESCE(sum(platform_coupon_seller_funded) FILTER (WHERE claim_id IS NULL), 0)
               AS platform_coupon_seller_funded,
           COALESCE(sum(points) FILTER (WHERE claim_id IS NULL), 0) AS points,
           COALESCE(sum(cash) FILTER (WHERE claim_id IS NULL), 0) AS cash,
           COALESCE(sum(payable_amount) FILTER (WHERE claim_id IS NULL), 0) AS payable
    FROM product_orders GROUP BY purchase_order_id),
s AS (
    SELECT purchase_order_id AS id, sum(shipping_fee) AS shipping_fee,
           sum(shipping_points + claim_fees_points) AS points,
           sum(shipping_cash + claim_fees_cash) AS cash,
           sum(shipping_payable + claim_fees_payable) AS payable
    FROM seller_orders GROUP BY purchase_order_id),
c AS (
    SELECT purchase_order_id AS id,
           sum(seller_coupon_released) AS seller_coupon, sum(platform_coupon_released) AS platform_coupon,
           sum(platform_seller_funded_released) AS platform_funded, sum(shipping_released) AS shipping,
           sum(refund_points) AS points, sum(refund_cash) AS cash, sum(refund_payable) AS payable
    FROM claims WHERE executed_at IS NOT NULL GROUP BY purchase_order_id)
SELECT o.id FROM purchase_orders o
LEFT JOIN p ON p.id = o.id LEFT JOIN s ON s.id = o.id LEFT JOIN c ON c.id = o.id
WHERE (o.list_amount, o.product_discount, o.seller_coupon_discount, o.platform_coupon_discount,
       o.platform_coupon_seller_funded, o.shipping_fee, o.points, o.cash, o.payable_amount)
   IS DISTINCT FROM
      (p.list_amount, p.product_discount, p.seller_coupon_discount + COALESCE(c.seller_coupon, 0),
       p.platform_coupon_discount + COALESCE(c.platform_coupon, 0),
       p.platform_coupon_seller_funded + COALESCE(c.platform_funded, 0),
       s.shipping_fee + COALESCE(c.shipping, 0), p.points + s.points + COALESCE(c.points, 0),
       p.cash + s.cash + COALESCE(c.cash, 0), p.payable + s.payable + COALESCE(c.payable, 0))
ORDER BY o.created_at";

/// The buyer's order with this number, locked.
pub async fn lock_purchase_by_number(
    conn: &mut AsyncPgConnection,
    order_no: &str,
    buyer: &str,
) -> Result<Option<PurchaseOrderRow>, StoreError> {
    Ok(purchase_orders::table
        .filter(purchase_orders::order_no.eq(order_no))
        .filter(purchase_orders::buyer.eq(buyer))
        .for_update()
        .select(PurchaseOrderRow::as_select())
        .first(conn)
        .await
        .optional()?)
}

/// The id of the order with this number.
pub async fn id_by_number(
    conn: &mut AsyncPgConnection,
    order_no: &str,
) -> Result<Option<Uuid>, StoreError> {
    Ok(purchase_orders::table
        .filter(purchase_orders::order_no.eq(order_no))
        .select(purchase_orders::id)
        .first(conn)
        .await
        .optional()?)
}

/// What a vendor is told of a new order: its number, the vendor order's
/// item amount and pieces, and the vendor's contact address.
pub struct SellerOrderNotice {
    pub order_no: String,
    pub items_amount: Decimal,
    pub pieces: i64,
    pub contact_email: Sealed<crate::sellers::vendors::SellerContactEmail>,
}

/// In one statement, as the worker sends one per vendor of every paid
/// order. `None` when the vendor order or the vendor's business profile is gone.
pub async fn seller_order_notice(
    conn: &mut AsyncPgConnection,
    seller_order_id: Uuid,
) -> Result<Option<SellerOrderNotice>, StoreError> {
    use crate::schema::seller_business_profiles as profiles;
    let pieces = product_orders::table
        .filter(product_orders::seller_order_id.eq(seller_order_id))
        .select(diesel::dsl::sum(product_orders::quantity))
        .single_value();
    let found: Option<(
        String,
        Decimal,
        Option<i64>,
        Sealed<crate::sellers::vendors::SellerContactEmail>,
    )> = seller_orders::table
        .inner_join(purchase_orders::table)
        .inner_join(profiles::table.on(profiles::id.eq(seller_orders::seller_id)))
        .filter(seller_orders::id.eq(seller_order_id))
        .select((
            purchase_orders::order_no,
            seller_orders::items_amount,
            pieces,
            profiles::contact_email,
        ))
        .first(conn)
        .await
        .optional()?;
    Ok(found.map(
        |(order_no, items_amount, pieces, contact_email)| SellerOrderNotice {
            order_no,
            items_amount,
            pieces: pieces.unwrap_or(0),
            contact_email,
        },
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_written_out_condition_names_the_pending_status() {
        assert!(PENDING_PAYMENT_CONDITION.ends_with(&format!("'{}'", status::PENDING_PAYMENT)));
    }
}
