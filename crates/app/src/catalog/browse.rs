//! Catalog use cases.

pub use domain::catalog::category::CategoryNode;
use domain::catalog::category::build_visible_tree;

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::Utc;
use domain::catalog::product::{Pricing, ProductOption};
use persistence::catalog::listing::{self, After, ListingFilter};
pub use persistence::catalog::listing::{ListedProduct, ListingSort};
use persistence::catalog::products::{self, SkuRow};
use rust_decimal::Decimal;
use uuid::Uuid;

use crate::kernel::FieldCode;
use crate::{AppError, Context};

/// The category tree shoppers browse: active categories only, ordered.
pub async fn category_tree(context: &Context) -> Result<Vec<CategoryNode>, AppError> {
    let mut conn = context.db.get().await?;
    let records = persistence::catalog::categories::list_all(&mut conn).await?;
    Ok(build_visible_tree(&records))
}

/// A shopper's list request, as received.
#[derive(Debug, Default)]
pub struct ListQuery {
    pub category_id: Option<i64>,
    pub brand_id: Option<i64>,
    pub seller_id: Option<Uuid>,
    pub min_price: Option<Decimal>,
    pub max_price: Option<Decimal>,
    pub on_sale: bool,
    pub in_stock: bool,
    pub q: Option<String>,
    pub sort: Option<String>,
    pub page: Option<i64>,
    pub size: Option<i64>,
    pub cursor: Option<String>,
}

/// A list entry as shoppers see it: the listed product and a URL of its
/// first image.
pub struct Card {
    pub product: ListedProduct,
    pub thumbnail_url: Option<String>,
}

/// The cards of listed products; the image URLs are shared across requests
/// (see `Objects::shared_download_url`), so a page signs almost nothing.
pub(crate) async fn cards(
    context: &Context,
    products: Vec<ListedProduct>,
) -> Result<Vec<Card>, AppError> {
    let mut cards = Vec::with_capacity(products.len());
    for product in products {
        let thumbnail_url = match &product.thumbnail_key {
            Some(key) => Some(context.objects.shared_download_url(key).await?.to_string()),
            None => None,
        };
        cards.push(Card {
            product,
            thumbnail_url,
        });
    }
    Ok(cards)
}

/// One page: with a total in page mode, with the next cursor in cursor mode.
pub struct ProductPage {
    pub items: Vec<Card>,
    pub total: Option<i64>,
    pub page: Option<i64>,
    pub size: i64,
    pub next_cursor: Option<String>,
}

fn sort_of(value: Option<&str>) -> Result<ListingSort, AppError> {
    Ok(match value.unwrap_or("newest") {
        "newest" => ListingSort::Newest,
        "price_asc" => ListingSort::PriceAsc,
        "price_desc" => ListingSort::PriceDesc,
        "popular" => ListingSort::Popular,
        "rating" => ListingSort::Rating,
        _ => {
            return Err(AppError::invalid(
                "sort",
                FieldCode::InvalidValue,
                "one of newest, price_asc, price_desc, popular, rating",
            ));
        }
    })
}

/// Cursors are opaque to clients: the sort they were made for, the last
/// sort key and id.
fn encode_cursor(sort: &str, key: &str, id: Uuid) -> String {
    URL_SAFE_NO_PAD.encode(format!("{sort}\n{key}\n{id}"))
}

fn decode_cursor(sort_name: &str, sort: ListingSort, cursor: &str) -> Result<After, AppError> {
    let invalid = || {
        AppError::invalid(
            "cursor",
            FieldCode::InvalidCursor,
            "not a cursor of this list and sort",
        )
    };
    let bytes = URL_SAFE_NO_PAD.decode(cursor).map_err(|_| invalid())?;
    let text = String::from_utf8(bytes).map_err(|_| invalid())?;
    let mut parts = text.splitn(3, '\n');
    let (Some(made_for), Some(key), Some(id)) = (parts.next(), parts.next(), parts.next()) else {
        return Err(invalid());
    };
    if made_for != sort_name || key.len() > 64 {
        return Err(invalid());
    }
    // The database casts the key to the sort's type: only a value of that
    // type gets that far.
    let well_typed = match sort {
        ListingSort::Newest => {
            chrono::DateTime::parse_from_str(&format!("{key}00"), "%Y-%m-%d %H:%M:%S%.f%z").is_ok()
        }
        ListingSort::PriceAsc | ListingSort::PriceDesc => key.parse::<Decimal>().is_ok(),
        ListingSort::Popular | ListingSort::Rating => key.parse::<f64>().is_ok_and(f64::is_finite),
    };
    if !well_typed {
        return Err(invalid());
    }
    Ok(After {
        key: key.to_owned(),
        id: id.parse().map_err(|_| invalid())?,
    })
}

fn price_bound(field: &'static str, value: Option<Decimal>) -> Result<Option<Decimal>, AppError> {
    match value {
        Some(v) if v.is_sign_negative() => Err(AppError::invalid(
            field,
            FieldCode::OutOfRange,
            "not below zero",
        )),
        other => Ok(other),
    }
}

/// Listed products by filters and sort; page mode (`page`, with the total)
/// unless a cursor is given.
pub async fn list_products(context: &Context, query: ListQuery) -> Result<ProductPage, AppError> {
    let sort_name = query.sort.clone().unwrap_or_else(|| "newest".to_owned());
    let sort = sort_of(Some(&sort_name))?;
    let size = match query.size {
        None => 20,
        Some(s) if (1..=100).contains(&s) => s,
        Some(_) => {
            return Err(AppError::invalid(
                "size",
                FieldCode::OutOfRange,
                "between 1 and 100",
            ));
        }
    };
    let pattern = match query.q.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(q) if q.chars().count() > 100 => {
            return Err(AppError::invalid(
                "q",
                FieldCode::InvalidLength,
                "at most 100 characters",
            ));
        }
        Some(q) => Some(format!("%{}%", products::escape_like(q))),
    };
    let filter = ListingFilter {
        category_id: query.category_id,
        brand_id: query.brand_id,
        seller_id: query.seller_id,
        min_price: price_bound("min_price", query.min_price)?,
        max_price: price_bound("max_price", query.max_price)?,
        on_sale: query.on_sale,
        in_stock: query.in_stock,
        pattern,
    };
    let mut conn = context.db.get().await?;
    if let Some(cursor) = query.cursor.as_deref() {
        if query.page.is_some() {
            return Err(AppError::invalid(
                "cursor",
                FieldCode::Conflicting,
                "use page or cursor, not both",
            ));
        }
        let after = decode_cursor(&sort_name, sort, cursor)?;
        let mut items = listing::list(&mut conn, &filter, sort, Some(&after), size + 1, 0).await?;
        let more = items.len() > usize::try_from(size).unwrap_or(usize::MAX);
        items.truncate(usize::try_from(size).unwrap_or(usize::MAX));
        let next_cursor = more
            .then(|| {
                items
                    .last()
                    .map(|l| encode_cursor(&sort_name, &l.sort_key, l.id))
            })
            .flatten();
        drop(conn);
        return Ok(ProductPage {
            items: cards(context, items).await?,
            total: None,
            page: None,
            size,
            next_cursor,
        });
    }
    let page = match query.page {
        None => 1,
        Some(p) if p >= 1 => p,
        Some(_) => return Err(AppError::invalid("page", FieldCode::OutOfRange, "from 1")),
    };
    let items = listing::list(&mut conn, &filter, sort, None, size, (page - 1) * size).await?;
    let total = listing::count(&mut conn, &filter).await?;
    let next_cursor = (page * size < total)
        .then(|| {
            items
                .last()
                .map(|l| encode_cursor(&sort_name, &l.sort_key, l.id))
        })
        .flatten();
    drop(conn);
    Ok(ProductPage {
        items: cards(context, items).await?,
        total: Some(total),
        page: Some(page),
        size,
        next_cursor,
    })
}

/// How much of a SKU is left, as shoppers are told (never the count itself).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StockState {
    InStock,
    /// Five or fewer left.
    LowStock,
    SoldOut,
}

impl StockState {
    pub fn of(sku: &SkuRow) -> Self {
        Self::of_available(sku.on_hand - sku.reserved)
    }

    /// The state of `available` units (on hand minus reserved).
    pub fn of_available(available: i32) -> Self {
        match available {
            n if n <= 0 => Self::SoldOut,
            n if n <= 5 => Self::LowStock,
            _ => Self::InStock,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::InStock => "in_stock",
            Self::LowStock => "low_stock",
            Self::SoldOut => "sold_out",
        }
    }
}

/// A product page: the list entry plus description, options and SKUs.
pub struct ProductPageDetail {
    pub card: Card,
    pub description: String,
    pub max_per_order: Option<i32>,
    pub options: Vec<ProductOption>,
    pub skus: Vec<SkuRow>,
    pub images: Vec<crate::catalog::product_images::Image>,
}

/// An amount as shoppers and vendors read it: in the currency's minor unit
/// (`NUMERIC(14,2)` reads back as `59000.00`; the won has no decimals).
pub fn in_minor_units(amount: Decimal) -> Decimal {
    domain::money::Currency::Krw.round(amount)
}

/// What a SKU costs now.
pub fn price_now(sku: &SkuRow) -> Decimal {
    Pricing {
        list_price: sku.list_price,
        sale_price: sku.sale_price,
        sale_starts_at: sku.sale_starts_at,
        sale_ends_at: sku.sale_ends_at,
    }
    .effective_at(Utc::now())
}

/// A listed product's page (404 for drafts, hidden, banned or unapproved
/// vendors' products).
pub async fn product_detail(context: &Context, id: Uuid) -> Result<ProductPageDetail, AppError> {
    let mut conn = context.db.get().await?;
    let page = listing::find_listed(&mut conn, id)
        .await?
        .ok_or(AppError::NotFound {
            resource: "product",
        })?;
    let options = products::options_of(&mut conn, id)
        .await?
        .into_iter()
        .map(|o| ProductOption {
            name: o.name,
            values: o.values.into_iter().flatten().collect(),
        })
        .collect();
    let skus = products::skus_of(&mut conn, id).await?;
    drop(conn);
    let images = crate::catalog::product_images::of_product(context, id).await?;
    Ok(ProductPageDetail {
        card: Card {
            product: page.product,
            thumbnail_url: images.first().map(|image| image.url.clone()),
        },
        description: page.description,
        max_per_order: page.max_per_order,
        options,
        skus,
        images,
    })
}

/// The statements the benchmarked requests run, by name (for the SQL
/// ceiling): the first page of 20 without filters (no parameter) and its
/// count; the first page of 20 of a keyword search (`$1` the `LIKE`
/// pattern) and its count (`$1`); a product page (`$1` the product id).
pub fn benchmark_statements() -> Vec<(&'static str, String)> {
    let none = ListingFilter::default();
    let search = ListingFilter {
        pattern: Some(String::new()),
        ..ListingFilter::default()
    };
    vec![
        (
            "list",
            listing::list_sql(&none, ListingSort::Newest, false, 20, 0),
        ),
        ("count", listing::count_sql(&none)),
        (
            "search",
            listing::list_sql(&search, ListingSort::Newest, false, 20, 0),
        ),
        ("search-count", listing::count_sql(&search)),
        ("product", listing::product_sql()),
    ]
}

/// Keeps list prices right as sale windows open and close (no write marks
/// that moment, so a schedule looks every minute).
#[derive(Debug, Default, serde::Serialize, serde::Deserialize)]
pub struct RefreshSaleWindows;

impl jobs::Job for RefreshSaleWindows {
    const KIND: &'static str = "catalog.refresh_sale_windows";
    const MAX_ATTEMPTS: i32 = 3;
}

pub async fn refresh_sale_windows(context: &Context) -> Result<usize, AppError> {
    let mut conn = context.db.get().await?;
    Ok(products::refresh_sale_windows(&mut conn).await?)
}
