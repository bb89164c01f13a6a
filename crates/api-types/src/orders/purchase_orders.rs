//! A purchase order, its seller orders and product orders, and the queries
//! shoppers, guests and vendors find them by.

use app::catalog::browse::in_minor_units as won;
use app::orders::purchase_orders::OrderDetail;
use app::orders::purchase_orders::{ProductOrderRow, PurchaseOrderRow, SellerOrderRow};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

/// One SKU line with its share of every discount and payment source (KRW).
#[derive(Debug, Serialize, ToSchema)]
pub struct ProductOrder {
    pub id: Uuid,
    pub seller_order_id: Uuid,
    pub product_id: Uuid,
    pub sku_id: Uuid,
    pub product_name: String,
    pub sku_code: String,
    pub option_values: Vec<String>,
    #[schema(value_type = super::vocabulary::ProductOrderStatus, example = "pending_payment")]
    pub status: String,
    pub quantity: i32,
    #[schema(value_type = String, example = "59000")]
    pub unit_list_price: rust_decimal::Decimal,
    #[schema(value_type = String, example = "49000")]
    pub unit_price: rust_decimal::Decimal,
    #[schema(value_type = String)]
    pub list_amount: rust_decimal::Decimal,
    #[schema(value_type = String)]
    pub product_discount: rust_decimal::Decimal,
    #[schema(value_type = String)]
    pub seller_coupon_discount: rust_decimal::Decimal,
    #[schema(value_type = String)]
    pub platform_coupon_discount: rust_decimal::Decimal,
    /// The vendor-funded part of the platform coupon discount.
    #[schema(value_type = String)]
    pub platform_coupon_seller_funded: rust_decimal::Decimal,
    #[schema(value_type = String)]
    pub points: rust_decimal::Decimal,
    #[schema(value_type = String)]
    pub cash: rust_decimal::Decimal,
    #[schema(value_type = String)]
    pub payable_amount: rust_decimal::Decimal,
}

impl From<ProductOrderRow> for ProductOrder {
    fn from(row: ProductOrderRow) -> Self {
        Self {
            id: row.id,
            seller_order_id: row.seller_order_id,
            product_id: row.product_id,
            sku_id: row.sku_id,
            product_name: row.product_name,
            sku_code: row.sku_code,
            option_values: row.option_values.into_iter().flatten().collect(),
            status: row.status,
            quantity: row.quantity,
            unit_list_price: won(row.unit_list_price),
            unit_price: won(row.unit_price),
            list_amount: won(row.list_amount),
            product_discount: won(row.product_discount),
            seller_coupon_discount: won(row.seller_coupon_discount),
            platform_coupon_discount: won(row.platform_coupon_discount),
            platform_coupon_seller_funded: won(row.platform_coupon_seller_funded),
            points: won(row.points),
            cash: won(row.cash),
            payable_amount: won(row.payable_amount),
        }
    }
}

/// One vendor's part of a purchase, with its product orders.
#[derive(Debug, Serialize, ToSchema)]
pub struct SellerOrder {
    pub id: Uuid,
    pub purchase_order_id: Uuid,
    pub seller_id: Uuid,
    #[schema(value_type = super::vocabulary::OrderStatus, example = "paid")]
    pub status: String,
    /// After sale prices and the vendor coupon.
    #[schema(value_type = String)]
    pub items_amount: rust_decimal::Decimal,
    #[schema(value_type = String)]
    pub shipping_fee: rust_decimal::Decimal,
    #[schema(value_type = String)]
    pub shipping_points: rust_decimal::Decimal,
    #[schema(value_type = String)]
    pub shipping_cash: rust_decimal::Decimal,
    #[schema(value_type = String)]
    pub shipping_payable: rust_decimal::Decimal,
    pub created_at: DateTime<Utc>,
    pub product_orders: Vec<ProductOrder>,
}

impl SellerOrder {
    pub fn of(row: SellerOrderRow, products: Vec<ProductOrderRow>) -> Self {
        Self {
            id: row.id,
            purchase_order_id: row.purchase_order_id,
            seller_id: row.seller_id,
            status: row.status,
            items_amount: won(row.items_amount),
            shipping_fee: won(row.shipping_fee),
            shipping_points: won(row.shipping_points),
            shipping_cash: won(row.shipping_cash),
            shipping_payable: won(row.shipping_payable),
            created_at: row.created_at,
            product_orders: products.into_iter().map(ProductOrder::from).collect(),
        }
    }
}

/// Where the order goes (shown to the shopper who placed it).
#[derive(Debug, Serialize, ToSchema)]
pub struct DeliveryDetails {
    /// Null when the stored value cannot be decrypted.
    pub recipient_name: Option<String>,
    pub recipient_phone: Option<String>,
    pub postal_code: String,
    /// `{line1, line2}`.
    #[schema(value_type = Object)]
    pub address: Option<serde_json::Value>,
}

/// One customer payment with its vendor orders and their product orders.
#[derive(Debug, Serialize, ToSchema)]
pub struct PurchaseOrder {
    pub id: Uuid,
    #[schema(example = "2026120200000042")]
    pub order_no: String,
    /// `pending_payment`, `paid`, `cancelled` or `expired`.
    #[schema(value_type = super::vocabulary::OrderStatus, example = "pending_payment")]
    pub status: String,
    #[schema(example = "KRW")]
    pub currency: String,
    #[schema(value_type = String)]
    pub list_amount: rust_decimal::Decimal,
    #[schema(value_type = String)]
    pub product_discount: rust_decimal::Decimal,
    #[schema(value_type = String)]
    pub seller_coupon_discount: rust_decimal::Decimal,
    #[schema(value_type = String)]
    pub platform_coupon_discount: rust_decimal::Decimal,
    #[schema(value_type = String)]
    pub platform_coupon_seller_funded: rust_decimal::Decimal,
    #[schema(value_type = String)]
    pub shipping_fee: rust_decimal::Decimal,
    #[schema(value_type = String)]
    pub points: rust_decimal::Decimal,
    #[schema(value_type = String)]
    pub cash: rust_decimal::Decimal,
    /// Left to pay through the payment provider.
    #[schema(value_type = String)]
    pub payable_amount: rust_decimal::Decimal,
    /// Unpaid orders: when the stock hold ends.
    pub expires_at: Option<DateTime<Utc>>,
    pub payment_method: Option<String>,
    pub paid_at: Option<DateTime<Utc>>,
    pub cancelled_at: Option<DateTime<Utc>>,
    pub cancel_reason: Option<String>,
    pub created_at: DateTime<Utc>,
    /// Only for the shopper who placed the order.
    pub delivery: Option<DeliveryDetails>,
    pub seller_orders: Vec<SellerOrder>,
}

impl PurchaseOrder {
    /// `with_delivery`: include the decrypted delivery details (the buyer's
    /// own order only).
    pub fn of(detail: OrderDetail, with_delivery: bool) -> Self {
        let OrderDetail {
            purchase,
            sellers,
            products,
        } = detail;
        let seller_orders = sellers
            .into_iter()
            .map(|s| {
                let lines = products
                    .iter()
                    .filter(|p| p.seller_order_id == s.id)
                    .cloned()
                    .collect();
                SellerOrder::of(s, lines)
            })
            .collect();
        let delivery = with_delivery.then(|| delivery_of(&purchase));
        Self {
            id: purchase.id,
            expires_at: app::orders::holds::hold_ends(&purchase),
            order_no: purchase.order_no,
            status: purchase.status,
            currency: purchase.currency,
            list_amount: won(purchase.list_amount),
            product_discount: won(purchase.product_discount),
            seller_coupon_discount: won(purchase.seller_coupon_discount),
            platform_coupon_discount: won(purchase.platform_coupon_discount),
            platform_coupon_seller_funded: won(purchase.platform_coupon_seller_funded),
            shipping_fee: won(purchase.shipping_fee),
            points: won(purchase.points),
            cash: won(purchase.cash),
            payable_amount: won(purchase.payable_amount),
            payment_method: purchase.payment_method,
            paid_at: purchase.paid_at,
            cancelled_at: purchase.cancelled_at,
            cancel_reason: purchase.cancel_reason,
            created_at: purchase.created_at,
            delivery,
            seller_orders,
        }
    }
}

pub fn delivery_of(purchase: &PurchaseOrderRow) -> DeliveryDetails {
    DeliveryDetails {
        recipient_name: purchase.recipient_name.value().map(str::to_owned),
        recipient_phone: purchase.recipient_phone.value().map(str::to_owned),
        postal_code: purchase.postal_code.clone(),
        address: purchase
            .shipping_address
            .value()
            .and_then(|a| serde_json::from_str(a).ok()),
    }
}

/// A page of purchase orders (newest first).
#[derive(Debug, Serialize, ToSchema)]
pub struct PurchaseOrderPage {
    pub items: Vec<PurchaseOrder>,
    pub total: i64,
    pub page: i64,
    pub size: i64,
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct SellerOrderQuery {
    /// `pending_payment`, `paid`, `cancelled` or `expired`.
    #[param(value_type = Option<super::vocabulary::OrderStatus>)]
    pub status: Option<String>,
    pub page: Option<i64>,
    pub size: Option<i64>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SellerOrderPage {
    pub items: Vec<SellerOrder>,
    pub total: i64,
    pub page: i64,
    pub size: i64,
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct PageQuery {
    pub page: Option<i64>,
    pub size: Option<i64>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TestConfirm {
    pub purchase_order_id: Uuid,
}

/// Finds a guest's order. In a body, not a query string, so the phone never
/// reaches an access log.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct GuestOrderLookup {
    #[schema(example = "2026120200000042")]
    pub order_no: String,
    /// The orderer's phone given at checkout.
    #[schema(example = "010-1234-5678")]
    pub phone: String,
}
