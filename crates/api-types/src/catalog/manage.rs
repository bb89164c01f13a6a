//! A seller's product editor: products, options, SKUs, prices and stock.

use app::catalog::manage::SkuInput;
use chrono::{DateTime, Utc};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OptionBody {
    #[schema(example = "Colour")]
    pub name: String,
    #[schema(example = json!(["Black", "Indigo"]))]
    pub values: Vec<String>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PricingBody {
    #[schema(value_type = String, example = "59000")]
    pub list_price: Decimal,
    #[schema(value_type = Option<String>, example = "49000")]
    #[serde(default)]
    pub sale_price: Option<Decimal>,
    #[serde(default)]
    pub sale_starts_at: Option<DateTime<Utc>>,
    #[serde(default)]
    pub sale_ends_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SkuBody {
    /// Unique among the vendor's SKUs.
    #[schema(example = "SDW-JKT-BLK-M")]
    pub code: String,
    /// One value per option, in option order.
    #[serde(default)]
    #[schema(example = json!(["Black", "M"]))]
    pub option_values: Vec<String>,
    #[serde(flatten)]
    pub pricing: PricingBody,
    /// Initial stock on hand (recorded as an `initial` movement).
    #[serde(default)]
    pub stock: i32,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ProductRequest {
    pub category_id: i64,
    #[serde(default)]
    pub brand_id: Option<i64>,
    #[schema(example = "Selvedge denim trucker jacket")]
    pub name: String,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub adult_only: bool,
    #[serde(default)]
    pub max_per_order: Option<i32>,
    /// At most three; every combination of their values needs one SKU.
    #[serde(default)]
    pub options: Vec<OptionBody>,
    pub skus: Vec<SkuBody>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SkuView {
    pub id: Uuid,
    pub code: String,
    pub option_values: Vec<String>,
    #[schema(value_type = String)]
    pub list_price: Decimal,
    #[schema(value_type = Option<String>)]
    pub sale_price: Option<Decimal>,
    pub sale_starts_at: Option<DateTime<Utc>>,
    pub sale_ends_at: Option<DateTime<Utc>>,
    /// The unit price at this moment.
    #[schema(value_type = String)]
    pub price: Decimal,
    pub on_hand: i32,
    pub reserved: i32,
    pub version: i32,
}

impl From<app::catalog::manage::SkuRow> for SkuView {
    fn from(row: app::catalog::manage::SkuRow) -> Self {
        let won = app::catalog::browse::in_minor_units;
        Self {
            price: won(app::catalog::browse::price_now(&row)),
            id: row.id,
            code: row.code,
            option_values: row.option_values.into_iter().flatten().collect(),
            list_price: won(row.list_price),
            sale_price: row.sale_price.map(won),
            sale_starts_at: row.sale_starts_at,
            sale_ends_at: row.sale_ends_at,
            on_hand: row.on_hand,
            reserved: row.reserved,
            version: row.version,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct OptionView {
    pub name: String,
    pub values: Vec<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ProductSummary {
    pub id: Uuid,
    pub name: String,
    /// `draft`, `on_sale`, `sold_out`, `hidden` or `banned`.
    #[schema(value_type = crate::catalog::vocabulary::ProductStatus, example = "draft")]
    pub status: String,
    pub category_id: i64,
    pub brand_id: Option<i64>,
    #[schema(value_type = String)]
    pub min_price: Decimal,
    pub version: i32,
    pub created_at: DateTime<Utc>,
}

impl From<app::catalog::manage::ProductRow> for ProductSummary {
    fn from(row: app::catalog::manage::ProductRow) -> Self {
        Self {
            id: row.id,
            name: row.name,
            status: row.status,
            category_id: row.category_id,
            brand_id: row.brand_id,
            min_price: app::catalog::browse::in_minor_units(row.min_price),
            version: row.version,
            created_at: row.created_at,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ProductView {
    #[serde(flatten)]
    pub summary: ProductSummary,
    pub description: String,
    pub adult_only: bool,
    pub max_per_order: Option<i32>,
    /// Why operations banned it, if they did.
    pub moderation_note: Option<String>,
    pub options: Vec<OptionView>,
    pub skus: Vec<SkuView>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct PageQuery {
    /// From 1.
    pub page: Option<i64>,
    /// 1–100, default 20.
    pub size: Option<i64>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ProductPage {
    pub items: Vec<ProductSummary>,
    pub total: i64,
    pub page: i64,
    pub size: i64,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ProductPatchBody {
    pub name: Option<String>,
    pub description: Option<String>,
    pub category_id: Option<i64>,
    /// `null` removes the brand.
    #[serde(
        default,
        deserialize_with = "crate::kernel::double_option::deserialize"
    )]
    #[schema(value_type = Option<i64>)]
    pub brand_id: Option<Option<i64>>,
    /// `on_sale`, `sold_out` or `hidden` (`banned` is for operations).
    #[schema(value_type = Option<crate::catalog::vocabulary::ProductStatus>)]
    pub status: Option<String>,
    pub adult_only: Option<bool>,
    #[serde(
        default,
        deserialize_with = "crate::kernel::double_option::deserialize"
    )]
    #[schema(value_type = Option<i32>)]
    pub max_per_order: Option<Option<i32>>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StockBody {
    /// Added to stock on hand (negative removes).
    pub delta: i32,
    /// `restock`, `adjustment`, `damaged` or `returned`.
    #[schema(value_type = crate::catalog::vocabulary::StockAdjustmentReason, example = "restock")]
    pub reason: String,
    pub reference: Option<String>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SkuPatchBody {
    /// New prices (recorded in the price history).
    pub pricing: Option<PricingBody>,
    /// A stock movement (recorded in the inventory ledger).
    pub stock: Option<StockBody>,
}

impl From<PricingBody> for app::catalog::manage::Pricing {
    fn from(body: PricingBody) -> Self {
        Self {
            list_price: body.list_price,
            sale_price: body.sale_price,
            sale_starts_at: body.sale_starts_at,
            sale_ends_at: body.sale_ends_at,
        }
    }
}

impl From<SkuBody> for SkuInput {
    fn from(body: SkuBody) -> Self {
        Self {
            code: body.code,
            option_values: body.option_values,
            pricing: body.pricing.into(),
            stock: body.stock,
        }
    }
}
