//! Coupon definitions as sellers and staff manage them.

use app::FieldCode;
use app::pricing::coupons::CouponRow;
use app::pricing::coupons::{CouponDefinition, IssueMethod};
use chrono::{DateTime, Utc};
use domain::pricing::coupon::{Benefit, Scope};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

/// A coupon definition.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CouponBody {
    #[schema(example = "Autumn 10% off")]
    pub name: String,
    /// `download`, `code`, or `auto` (platform only: issued at sign-up).
    #[schema(value_type = super::vocabulary::IssueMethod, example = "download")]
    pub issue_method: String,
    /// For `code` coupons: 8–32 letters, digits or hyphens (case-insensitive);
    /// omitted, the platform makes one up (10 characters none can misread).
    pub code: Option<String>,
    /// `fixed` or `percent`.
    #[schema(value_type = super::vocabulary::DiscountKind, example = "percent")]
    pub discount_kind: String,
    #[schema(value_type = Option<String>, example = "3000")]
    pub discount_amount: Option<Decimal>,
    #[schema(value_type = Option<String>, example = "10")]
    pub discount_percent: Option<Decimal>,
    /// Caps a percent discount.
    #[schema(value_type = Option<String>, example = "5000")]
    pub max_discount: Option<Decimal>,
    #[schema(value_type = Option<String>, example = "30000")]
    pub min_purchase: Option<Decimal>,
    /// `all` (default), `categories`, `sellers` (platform only) or `products`.
    #[schema(value_type = Option<super::vocabulary::CouponScope>)]
    pub scope: Option<String>,
    #[serde(default)]
    pub scope_category_ids: Vec<i64>,
    /// Vendor or product ids for those scopes.
    #[serde(default)]
    pub scope_ids: Vec<Uuid>,
    #[serde(default)]
    pub excluded_product_ids: Vec<Uuid>,
    pub valid_from: DateTime<Utc>,
    pub valid_until: DateTime<Utc>,
    /// A claimed coupon expires this many days after the claim.
    pub usable_days: Option<i32>,
    /// Platform coupons: the percentage of the discount vendors bear.
    #[schema(value_type = Option<String>, example = "0")]
    pub seller_share_percent: Option<Decimal>,
    /// Platform coupons: whether vendor coupons may be used in the same
    /// order (default true).
    pub stacks_with_seller_coupons: Option<bool>,
    /// Default 1.
    pub per_user_limit: Option<i32>,
    /// None: unlimited.
    pub total_limit: Option<i32>,
}

/// A coupon definition as stored.
#[derive(Debug, Serialize, ToSchema)]
pub struct Coupon {
    pub id: Uuid,
    /// The vendor funding it; null for platform coupons.
    pub seller_id: Option<Uuid>,
    pub name: String,
    #[schema(value_type = super::vocabulary::IssueMethod)]
    pub issue_method: String,
    /// A code coupon's code (shoppers see only coupons they hold, so only
    /// codes they redeemed); null for the others.
    pub code: Option<String>,
    #[schema(value_type = super::vocabulary::DiscountKind)]
    pub discount_kind: String,
    #[schema(value_type = Option<String>)]
    pub discount_amount: Option<Decimal>,
    #[schema(value_type = Option<String>)]
    pub discount_percent: Option<Decimal>,
    #[schema(value_type = Option<String>)]
    pub max_discount: Option<Decimal>,
    #[schema(value_type = String)]
    pub min_purchase: Decimal,
    #[schema(value_type = super::vocabulary::CouponScope)]
    pub scope: String,
    pub scope_category_ids: Vec<i64>,
    pub scope_ids: Vec<Uuid>,
    pub excluded_product_ids: Vec<Uuid>,
    pub valid_from: DateTime<Utc>,
    pub valid_until: DateTime<Utc>,
    pub usable_days: Option<i32>,
    #[schema(value_type = String)]
    pub seller_share_percent: Decimal,
    pub stacks_with_seller_coupons: bool,
    pub per_user_limit: i32,
    pub total_limit: Option<i32>,
    pub issued_count: i32,
    pub is_active: bool,
}

impl From<CouponRow> for Coupon {
    fn from(row: CouponRow) -> Self {
        Self {
            id: row.id,
            seller_id: row.seller_id,
            name: row.name,
            issue_method: row.issue_method,
            code: row.code,
            discount_kind: row.discount_kind,
            discount_amount: row
                .discount_amount
                .map(app::catalog::browse::in_minor_units),
            discount_percent: row.discount_percent.map(|d| d.normalize()),
            max_discount: row.max_discount.map(app::catalog::browse::in_minor_units),
            min_purchase: app::catalog::browse::in_minor_units(row.min_purchase),
            scope: row.scope,
            scope_category_ids: row.scope_category_ids.into_iter().flatten().collect(),
            scope_ids: row.scope_ids.into_iter().flatten().collect(),
            excluded_product_ids: row.excluded_product_ids.into_iter().flatten().collect(),
            valid_from: row.valid_from,
            valid_until: row.valid_until,
            usable_days: row.usable_days,
            seller_share_percent: row.seller_share_percent.normalize(),
            stacks_with_seller_coupons: row.stacks_with_seller_coupons,
            per_user_limit: row.per_user_limit,
            total_limit: row.total_limit,
            issued_count: row.issued_count,
            is_active: row.is_active,
        }
    }
}

/// A page of coupon definitions, newest first.
#[derive(Debug, Serialize, ToSchema)]
pub struct CouponPage {
    pub items: Vec<Coupon>,
    pub total: i64,
    pub page: i64,
    pub size: i64,
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
pub struct CouponQuery {
    pub page: Option<i64>,
    pub size: Option<i64>,
}

fn invalid(field: &'static str, message: &str) -> app::AppError {
    app::AppError::invalid(field, FieldCode::InvalidValue, message)
}

impl TryFrom<CouponBody> for CouponDefinition {
    type Error = app::AppError;

    fn try_from(body: CouponBody) -> Result<Self, app::AppError> {
        let issue_method = match body.issue_method.as_str() {
            "download" => IssueMethod::Download,
            "code" => IssueMethod::Code,
            "auto" => IssueMethod::Auto,
            _ => return Err(invalid("issue_method", "one of download, code, auto")),
        };
        let benefit = match body.discount_kind.as_str() {
            "fixed" => {
                if body.discount_percent.is_some() || body.max_discount.is_some() {
                    return Err(invalid(
                        "discount_percent",
                        "a fixed coupon has only discount_amount",
                    ));
                }
                Benefit::Fixed(
                    body.discount_amount
                        .ok_or_else(|| invalid("discount_amount", "required for fixed coupons"))?,
                )
            }
            "percent" => {
                if body.discount_amount.is_some() {
                    return Err(invalid(
                        "discount_amount",
                        "a percent coupon has discount_percent",
                    ));
                }
                Benefit::Percent {
                    percent: body.discount_percent.ok_or_else(|| {
                        invalid("discount_percent", "required for percent coupons")
                    })?,
                    max: body.max_discount,
                }
            }
            _ => return Err(invalid("discount_kind", "fixed or percent")),
        };
        let scope = match body.scope.as_deref().unwrap_or("all") {
            "all" => Scope::All,
            "categories" => Scope::Categories(body.scope_category_ids),
            "sellers" => Scope::Sellers(body.scope_ids),
            "products" => Scope::Products(body.scope_ids),
            _ => {
                return Err(invalid(
                    "scope",
                    "one of all, categories, sellers, products",
                ));
            }
        };
        Ok(CouponDefinition {
            name: body.name,
            issue_method,
            code: body.code,
            benefit,
            min_purchase: body.min_purchase.unwrap_or_default(),
            scope,
            excluded_product_ids: body.excluded_product_ids,
            valid_from: body.valid_from,
            valid_until: body.valid_until,
            usable_days: body.usable_days,
            seller_share_percent: body.seller_share_percent.unwrap_or_default(),
            stacks_with_seller_coupons: body.stacks_with_seller_coupons.unwrap_or(true),
            per_user_limit: body.per_user_limit.unwrap_or(1),
            total_limit: body.total_limit,
        })
    }
}
