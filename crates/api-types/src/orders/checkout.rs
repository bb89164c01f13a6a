//! Quote and checkout.

use app::catalog::browse::in_minor_units as won;
use app::orders::checkout::{Created, Priced, Selection};
use chrono::{DateTime, Utc};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct QuoteBody {
    /// Cart lines to buy; omitted: the whole cart.
    pub cart_item_ids: Option<Vec<Uuid>>,
    /// Held vendor coupons (ids from `GET /v1/me/coupons`), one per vendor.
    #[serde(default)]
    pub seller_coupon_ids: Vec<Uuid>,
    /// A held platform coupon.
    pub platform_coupon_id: Option<Uuid>,
    /// Points to use (1 point = 1 KRW).
    #[schema(value_type = Option<String>, example = "1000")]
    pub points: Option<Decimal>,
    /// Wallet cash to use.
    #[schema(value_type = Option<String>, example = "0")]
    pub cash: Option<Decimal>,
    /// For the remote-area surcharge; omitted: a mainland address.
    #[schema(example = "06236")]
    pub postal_code: Option<String>,
}

impl QuoteBody {
    pub fn selection(self) -> Selection {
        Selection {
            cart_item_ids: self.cart_item_ids,
            seller_coupon_ids: self.seller_coupon_ids,
            platform_coupon_id: self.platform_coupon_id,
            points: self.points.unwrap_or_default(),
            cash: self.cash.unwrap_or_default(),
            postal_code: self.postal_code,
        }
    }
}

/// One line through every stage (KRW).
#[derive(Debug, Serialize, ToSchema)]
pub struct QuotedLine {
    pub sku_id: Uuid,
    pub seller_id: Uuid,
    pub product_name: String,
    pub option_values: Vec<String>,
    pub quantity: u32,
    #[schema(value_type = String)]
    pub unit_list_price: Decimal,
    #[schema(value_type = String)]
    pub unit_price: Decimal,
    #[schema(value_type = String)]
    pub list_amount: Decimal,
    /// Stage 1: sale prices.
    #[schema(value_type = String)]
    pub product_discount: Decimal,
    /// Stage 2: the vendor's coupon.
    #[schema(value_type = String)]
    pub seller_coupon_discount: Decimal,
    /// Stage 3: the platform coupon.
    #[schema(value_type = String)]
    pub platform_coupon_discount: Decimal,
    #[schema(value_type = String)]
    pub platform_coupon_seller_funded: Decimal,
    /// Stage 4.
    #[schema(value_type = String)]
    pub points: Decimal,
    /// Stage 5.
    #[schema(value_type = String)]
    pub cash: Decimal,
    #[schema(value_type = String)]
    pub payable: Decimal,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct QuotedSellerOrder {
    pub seller_id: Uuid,
    pub seller_coupon_id: Option<Uuid>,
    #[schema(value_type = String)]
    pub items_amount: Decimal,
    #[schema(value_type = String)]
    pub shipping_fee: Decimal,
    #[schema(value_type = String)]
    pub shipping_points: Decimal,
    #[schema(value_type = String)]
    pub shipping_cash: Decimal,
    #[schema(value_type = String)]
    pub shipping_payable: Decimal,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct QuoteTotals {
    #[schema(value_type = String)]
    pub list_amount: Decimal,
    #[schema(value_type = String)]
    pub product_discount: Decimal,
    #[schema(value_type = String)]
    pub seller_coupon_discount: Decimal,
    #[schema(value_type = String)]
    pub platform_coupon_discount: Decimal,
    #[schema(value_type = String)]
    pub platform_coupon_seller_funded: Decimal,
    #[schema(value_type = String)]
    pub shipping_fee: Decimal,
    #[schema(value_type = String)]
    pub points: Decimal,
    #[schema(value_type = String)]
    pub cash: Decimal,
    #[schema(value_type = String)]
    pub payable: Decimal,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PriceChange {
    pub cart_item_id: Uuid,
    pub sku_id: Uuid,
    #[schema(value_type = String)]
    pub cart_price: Decimal,
    #[schema(value_type = String)]
    pub current_price: Decimal,
}

/// Every stage and every allocation of the order as it would be placed.
#[derive(Debug, Serialize, ToSchema)]
pub struct Quote {
    #[schema(example = "KRW")]
    pub currency: String,
    pub lines: Vec<QuotedLine>,
    pub seller_orders: Vec<QuotedSellerOrder>,
    pub platform_coupon_id: Option<Uuid>,
    pub totals: QuoteTotals,
    /// Prices that changed since the lines were put in the cart (checkout
    /// refuses until the cart has been shown again).
    pub price_changes: Vec<PriceChange>,
}

impl From<Priced> for Quote {
    fn from(priced: Priced) -> Self {
        let Priced {
            quote: priced_quote,
            price_changes,
            labels,
        } = priced;
        let t = priced_quote.totals;
        Self {
            currency: "KRW".to_owned(),
            lines: priced_quote
                .items
                .into_iter()
                .map(|l| {
                    let (name, options) = labels.get(&l.sku_id).cloned().unwrap_or_default();
                    QuotedLine {
                        sku_id: l.sku_id,
                        seller_id: l.seller_id,
                        product_name: name,
                        option_values: options,
                        quantity: l.quantity,
                        unit_list_price: won(l.unit_list_price),
                        unit_price: won(l.unit_price),
                        list_amount: won(l.list_amount),
                        product_discount: won(l.product_discount),
                        seller_coupon_discount: won(l.seller_coupon_discount),
                        platform_coupon_discount: won(l.platform_coupon_discount),
                        platform_coupon_seller_funded: won(l.platform_coupon_seller_funded),
                        points: won(l.points),
                        cash: won(l.cash),
                        payable: won(l.payable),
                    }
                })
                .collect(),
            seller_orders: priced_quote
                .sellers
                .into_iter()
                .map(|s| QuotedSellerOrder {
                    seller_id: s.seller_id,
                    seller_coupon_id: s.seller_coupon_id,
                    items_amount: won(s.items_amount),
                    shipping_fee: won(s.shipping_fee),
                    shipping_points: won(s.shipping_points),
                    shipping_cash: won(s.shipping_cash),
                    shipping_payable: won(s.shipping_payable),
                })
                .collect(),
            platform_coupon_id: priced_quote.platform_coupon_id,
            totals: QuoteTotals {
                list_amount: won(t.list_amount),
                product_discount: won(t.product_discount),
                seller_coupon_discount: won(t.seller_coupon_discount),
                platform_coupon_discount: won(t.platform_coupon_discount),
                platform_coupon_seller_funded: won(t.platform_coupon_seller_funded),
                shipping_fee: won(t.shipping_fee),
                points: won(t.points),
                cash: won(t.cash),
                payable: won(t.payable),
            },
            price_changes: price_changes
                .into_iter()
                .map(|c| PriceChange {
                    cart_item_id: c.cart_item_id,
                    sku_id: c.sku_id,
                    cart_price: won(c.cart_price),
                    current_price: won(c.current_price),
                })
                .collect(),
        }
    }
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Orderer {
    #[schema(example = "Kim Minji")]
    pub name: String,
    /// Guests find their order with this number and the order number.
    #[schema(example = "010-1234-5678")]
    pub phone: String,
    /// Required of guests: their order messages go there.
    #[schema(example = "minji@example.com")]
    pub email: Option<String>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ShippingAddress {
    #[schema(example = "Kim Minji")]
    pub recipient_name: String,
    #[schema(example = "010-1234-5678")]
    pub recipient_phone: String,
    #[schema(example = "06236")]
    pub postal_code: String,
    #[schema(example = "123 Teheran-ro, Gangnam-gu, Seoul")]
    pub address_line1: String,
    #[serde(default)]
    #[schema(example = "Apt 101-1004")]
    pub address_line2: String,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CheckoutBody {
    pub cart_item_ids: Option<Vec<Uuid>>,
    #[serde(default)]
    pub seller_coupon_ids: Vec<Uuid>,
    pub platform_coupon_id: Option<Uuid>,
    #[schema(value_type = Option<String>, example = "1000")]
    pub points: Option<Decimal>,
    #[schema(value_type = Option<String>, example = "0")]
    pub cash: Option<Decimal>,
    pub orderer: Orderer,
    pub shipping: ShippingAddress,
}

/// What the payment step needs.
#[derive(Debug, Serialize, ToSchema)]
pub struct CheckoutCreated {
    pub purchase_order_id: Uuid,
    /// Also the payment provider's order id.
    #[schema(example = "2026120200000042")]
    pub order_no: String,
    /// `pending_payment`; `paid` when points and cash covered the whole
    /// order (there is nothing left to pay).
    #[schema(value_type = super::vocabulary::OrderStatus, example = "pending_payment")]
    pub status: String,
    #[schema(example = "KRW")]
    pub currency: String,
    #[schema(value_type = String, example = "95000")]
    pub payable_amount: Decimal,
    /// Pay before this, or the stock goes back on the shelves.
    pub expires_at: DateTime<Utc>,
    /// For the payment window.
    #[schema(example = "Linen shirt and 1 more")]
    pub order_name: String,
}

impl From<Created> for CheckoutCreated {
    fn from(c: Created) -> Self {
        Self {
            purchase_order_id: c.purchase_order_id,
            order_no: c.order_no,
            status: c.status,
            currency: c.currency,
            payable_amount: won(c.payable_amount),
            expires_at: c.expires_at,
            order_name: c.order_name,
        }
    }
}
