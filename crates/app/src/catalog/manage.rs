//! A vendor's catalog: products with options whose combinations become
//! SKUs, SKU prices and stock, each change in its ledger. Only an approved
//! vendor lists products; every query is scoped to the caller's vendor.

use diesel_async::AsyncConnection;
use domain::catalog::product::{OptionError, ProductStatus, StockReason, combinations};
pub use domain::catalog::product::{Pricing, ProductOption};
use domain::money::{Currency, check_amount};
use domain::tenant::Tenant;
use persistence::StoreError;
use persistence::catalog::products::{self, NewProduct, NewSku, ProductChanges};
pub use persistence::catalog::products::{ProductRow, SkuRow};
use persistence::sellers::vendors::{self, seller_status};
use rust_decimal::Decimal;
use uuid::Uuid;

use crate::kernel::FieldCode;
use crate::kernel::ProblemCode;
use crate::kernel::principals::StaffPrincipal;
use crate::kernel::text_fields;
use crate::{AppError, Context};

fn not_found() -> AppError {
    AppError::NotFound {
        resource: "product",
    }
}

/// One SKU's terms as the vendor gives them.
pub struct SkuInput {
    pub code: String,
    /// One value per option, in option order (empty without options).
    pub option_values: Vec<String>,
    pub pricing: Pricing,
    pub stock: i32,
}

pub struct ProductInput {
    pub category_id: i64,
    pub brand_id: Option<i64>,
    pub name: String,
    pub description: String,
    pub adult_only: bool,
    pub max_per_order: Option<i32>,
    pub options: Vec<ProductOption>,
    pub skus: Vec<SkuInput>,
}

fn pricing(pricing: Pricing) -> Result<Pricing, AppError> {
    let checked = pricing
        .checked()
        .map_err(|e| AppError::invalid(e.field(), FieldCode::InvalidPrice, e.to_string()))?;
    for (field, amount) in [
        ("list_price", Some(checked.list_price)),
        ("sale_price", checked.sale_price),
    ] {
        if let Some(amount) = amount {
            check_amount(Currency::Krw, amount)
                .map_err(|e| AppError::invalid(field, FieldCode::InvalidPrice, e.to_string()))?;
        }
    }
    Ok(checked)
}

fn new_sku(seller_id: Uuid, product_id: Uuid, input: SkuInput) -> Result<NewSku, AppError> {
    let code = input.code.trim().to_owned();
    let well_formed = !code.is_empty()
        && code.len() <= 64
        && code
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"._-".contains(&b))
        && code.as_bytes()[0].is_ascii_alphanumeric();
    if !well_formed {
        return Err(AppError::invalid(
            "code",
            FieldCode::InvalidFormat,
            "letters, digits, . _ - (at most 64)",
        ));
    }
    if input.stock < 0 {
        return Err(AppError::invalid(
            "stock",
            FieldCode::OutOfRange,
            "not below zero",
        ));
    }
    let p = pricing(input.pricing)?;
    Ok(NewSku {
        id: Uuid::new_v4(),
        product_id,
        seller_id,
        code,
        option_values: input.option_values,
        list_price: p.list_price,
        sale_price: p.sale_price,
        sale_starts_at: p.sale_starts_at,
        sale_ends_at: p.sale_ends_at,
        on_hand: input.stock,
    })
}

fn max_per_order(value: Option<i32>) -> Result<Option<i32>, AppError> {
    match value {
        Some(n) if !(1..=999).contains(&n) => Err(AppError::invalid(
            "max_per_order",
            FieldCode::OutOfRange,
            "between 1 and 999",
        )),
        other => Ok(other),
    }
}

fn sku_conflict(error: StoreError) -> AppError {
    match error {
        StoreError::MissingReference(constraint) => {
            let field = if constraint.contains("brand") {
                "brand_id"
            } else {
                "category_id"
            };
            AppError::invalid(field, FieldCode::UnknownReference, "no such record")
        }
        StoreError::Conflict(constraint) if constraint.contains("code") => AppError::Conflict {
            code: ProblemCode::SkuCodeTaken,
            message: "this vendor already uses that SKU code".into(),
        },
        StoreError::Conflict(_) => AppError::Conflict {
            code: ProblemCode::SkuOptionsTaken,
            message: "a SKU with these option values exists".into(),
        },
        other => other.into(),
    }
}

/// Creates a draft product; each SKU names one combination of the options,
/// and every combination needs its SKU.
pub async fn create(
    context: &Context,
    caller: &StaffPrincipal,
    input: ProductInput,
) -> Result<Uuid, AppError> {
    let seller_id = caller.own_seller_id()?;
    let name = text_fields::required("name", &input.name, 200)?;
    let description = text_fields::optional("description", &input.description, 20000)?;
    let max_per_order = max_per_order(input.max_per_order)?;
    let expected = combinations(&input.options).map_err(|e| {
        let code = match e {
            OptionError::TooManyOptions | OptionError::TooManyCombinations => FieldCode::TooMany,
            OptionError::Malformed => FieldCode::InvalidOptions,
        };
        AppError::invalid("options", code, e.to_string())
    })?;
    let given: std::collections::HashSet<Vec<String>> =
        input.skus.iter().map(|s| s.option_values.clone()).collect();
    if given.len() != input.skus.len()
        || expected.len() != given.len()
        || expected.iter().any(|c| !given.contains(c))
    {
        return Err(AppError::invalid(
            "skus",
            FieldCode::OptionsMismatch,
            "exactly one SKU per combination of option values",
        ));
    }
    let id = Uuid::new_v4();
    let new_skus = input
        .skus
        .into_iter()
        .map(|s| new_sku(seller_id, id, s))
        .collect::<Result<Vec<_>, _>>()?;
    let min_price = new_skus
        .iter()
        .map(|s| s.list_price)
        .min()
        .unwrap_or(Decimal::ZERO);
    let options: Vec<(String, Vec<String>)> = input
        .options
        .into_iter()
        .map(|o| {
            (
                o.name.trim().to_owned(),
                o.values.iter().map(|v| v.trim().to_owned()).collect(),
            )
        })
        .collect();
    let mut conn = context.db.get().await?;
    conn.transaction(async |conn| {
        require_approved(conn, seller_id).await?;
        products::insert(
            conn,
            NewProduct {
                id,
                seller_id,
                category_id: input.category_id,
                brand_id: input.brand_id,
                name: &name,
                description: &description,
                adult_only: input.adult_only,
                max_per_order,
                min_price,
            },
            &options,
            &new_skus,
            caller.id,
        )
        .await
        .map_err(sku_conflict)
    })
    .await?;
    Ok(id)
}

async fn require_approved(
    conn: &mut persistence::AsyncPgConnection,
    seller_id: Uuid,
) -> Result<(), AppError> {
    if vendors::lock_status(conn, seller_id).await?.as_deref() != Some(seller_status::APPROVED) {
        return Err(AppError::Forbidden {
            code: ProblemCode::SellerNotApproved,
        });
    }
    Ok(())
}

/// A product with its options and SKUs.
pub struct ProductDetail {
    pub product: ProductRow,
    pub options: Vec<ProductOption>,
    pub skus: Vec<SkuRow>,
}

pub async fn detail(
    context: &Context,
    caller: &StaffPrincipal,
    id: Uuid,
) -> Result<ProductDetail, AppError> {
    let seller_id = caller.own_seller_id()?;
    let mut conn = context.db.get().await?;
    let product = products::find(&mut conn, Tenant::Seller(seller_id), id)
        .await?
        .ok_or_else(not_found)?;
    let options = products::options_of(&mut conn, id)
        .await?
        .into_iter()
        .map(|o| ProductOption {
            name: o.name,
            values: o.values.into_iter().flatten().collect(),
        })
        .collect();
    let skus = products::skus_of(&mut conn, id).await?;
    Ok(ProductDetail {
        product,
        options,
        skus,
    })
}

pub async fn list(
    context: &Context,
    caller: &StaffPrincipal,
    page: i64,
    size: i64,
) -> Result<(Vec<ProductRow>, i64), AppError> {
    let seller_id = caller.own_seller_id()?;
    let size = size.clamp(1, 100);
    let page = page.max(1);
    let mut conn = context.db.get().await?;
    Ok(products::list_of_seller(&mut conn, seller_id, size, (page - 1) * size).await?)
}

/// What a vendor changes on a product (absent: unchanged).
pub struct ProductPatch {
    pub name: Option<String>,
    pub description: Option<String>,
    pub category_id: Option<i64>,
    pub brand_id: Option<Option<i64>>,
    pub status: Option<String>,
    pub adult_only: Option<bool>,
    pub max_per_order: Option<Option<i32>>,
}

/// Changes a product at `version` (`If-Match`); returns the new version.
pub async fn update(
    context: &Context,
    caller: &StaffPrincipal,
    id: Uuid,
    version: i32,
    patch: ProductPatch,
) -> Result<i32, AppError> {
    let seller_id = caller.own_seller_id()?;
    let mut conn = context.db.get().await?;
    let current = products::find(&mut conn, Tenant::Seller(seller_id), id)
        .await?
        .ok_or_else(not_found)?;
    let status = match patch.status.as_deref() {
        None => None,
        Some(value) => {
            let next = ProductStatus::parse(value).ok_or_else(|| {
                AppError::invalid(
                    "status",
                    FieldCode::InvalidValue,
                    "one of draft, on_sale, sold_out, hidden",
                )
            })?;
            let from = ProductStatus::parse(&current.status)
                .ok_or_else(|| AppError::internal(format!("unknown status {}", current.status)))?;
            if !from.vendor_may_set(next) {
                return Err(AppError::Conflict {
                    code: ProblemCode::InvalidStatusChange,
                    message: format!(
                        "a {} product cannot become {}",
                        from.as_str(),
                        next.as_str()
                    ),
                });
            }
            Some(next.as_str().to_owned())
        }
    };
    let changes = ProductChanges {
        name: patch
            .name
            .as_deref()
            .map(|n| text_fields::required("name", n, 200))
            .transpose()?,
        description: patch
            .description
            .as_deref()
            .map(|d| text_fields::optional("description", d, 20000))
            .transpose()?,
        category_id: patch.category_id,
        brand_id: patch.brand_id,
        status,
        adult_only: patch.adult_only,
        max_per_order: patch.max_per_order.map(max_per_order).transpose()?,
    };
    conn.transaction(async |conn| {
        require_approved(conn, seller_id).await?;
        products::update(conn, seller_id, id, version, changes)
            .await
            .map_err(sku_conflict)?
            .ok_or(AppError::PreconditionFailed)
    })
    .await
}

/// Deletes a draft; a product shoppers have seen is hidden instead.
pub async fn delete(context: &Context, caller: &StaffPrincipal, id: Uuid) -> Result<(), AppError> {
    let seller_id = caller.own_seller_id()?;
    let mut conn = context.db.get().await?;
    if products::delete_draft(&mut conn, seller_id, id).await? {
        return Ok(());
    }
    match products::find(&mut conn, Tenant::Seller(seller_id), id).await? {
        None => Err(not_found()),
        Some(_) => Err(AppError::Conflict {
            code: ProblemCode::ProductNotDraft,
            message: "only drafts are deleted; hide a listed product instead".into(),
        }),
    }
}

/// Adds a SKU to a product (its option values must be new).
pub async fn add_sku(
    context: &Context,
    caller: &StaffPrincipal,
    product_id: Uuid,
    input: SkuInput,
) -> Result<Uuid, AppError> {
    let seller_id = caller.own_seller_id()?;
    let mut conn = context.db.get().await?;
    products::find(&mut conn, Tenant::Seller(seller_id), product_id)
        .await?
        .ok_or_else(not_found)?;
    let option_count = products::options_of(&mut conn, product_id).await?.len();
    if input.option_values.len() != option_count {
        return Err(AppError::invalid(
            "option_values",
            FieldCode::OptionsMismatch,
            format!("one value for each of the product's {option_count} options"),
        ));
    }
    let sku = new_sku(seller_id, product_id, input)?;
    let id = sku.id;
    conn.transaction(async |conn| {
        require_approved(conn, seller_id).await?;
        products::insert_skus(conn, std::slice::from_ref(&sku), caller.id)
            .await
            .map_err(sku_conflict)?;
        products::refresh_min_price(conn, product_id).await?;
        Ok::<_, AppError>(())
    })
    .await?;
    Ok(id)
}

/// A change to one SKU: new prices, a stock movement, or both.
pub struct SkuPatch {
    pub pricing: Option<Pricing>,
    pub stock: Option<StockChange>,
}

pub struct StockChange {
    pub delta: i32,
    pub reason: String,
    pub reference: Option<String>,
}

/// Applies a SKU change at `version` (`If-Match`), ledgers included;
/// returns the SKU as it now is.
pub async fn update_sku(
    context: &Context,
    caller: &StaffPrincipal,
    id: Uuid,
    version: i32,
    patch: SkuPatch,
) -> Result<SkuRow, AppError> {
    let seller_id = caller.own_seller_id()?;
    let pricing = patch.pricing.map(pricing).transpose()?;
    let stock = match patch.stock {
        None => None,
        Some(change) => {
            let reason = StockReason::manual(&change.reason).ok_or_else(|| {
                AppError::invalid(
                    "reason",
                    FieldCode::InvalidValue,
                    "one of restock, adjustment, damaged, returned",
                )
            })?;
            if change.delta == 0 {
                return Err(AppError::invalid(
                    "delta",
                    FieldCode::OutOfRange,
                    "not zero",
                ));
            }
            let reference = change
                .reference
                .as_deref()
                .map(|r| text_fields::optional("reference", r, 200))
                .transpose()?;
            Some((change.delta, reason, reference))
        }
    };
    let mut conn = context.db.get().await?;
    conn.transaction(async |conn| {
        let sku = products::lock_sku(conn, seller_id, id)
            .await?
            .ok_or(AppError::NotFound { resource: "sku" })?;
        if sku.version != version {
            return Err(AppError::PreconditionFailed);
        }
        if let Some(p) = pricing {
            products::set_prices(
                conn,
                id,
                p.list_price,
                p.sale_price,
                p.sale_starts_at,
                p.sale_ends_at,
                caller.id,
            )
            .await?;
            products::refresh_min_price(conn, sku.product_id).await?;
        }
        if let Some((delta, reason, reference)) = stock {
            let on_hand = products::move_stock(
                conn,
                id,
                delta,
                reason.as_str(),
                reference.as_deref(),
                Some(caller.id),
            )
            .await?
            .ok_or_else(|| AppError::Conflict {
                code: ProblemCode::InsufficientStock,
                message: "stock on hand cannot go below what is reserved".into(),
            })?;
            crate::catalog::restock_alerts::on_stock_change(
                conn,
                id,
                sku.on_hand - sku.reserved,
                on_hand - sku.reserved,
            )
            .await?;
        }
        products::lock_sku(conn, seller_id, id)
            .await?
            .ok_or(AppError::NotFound { resource: "sku" })
    })
    .await
}
