//! Categories, brands and product cards every API shows.

use app::catalog::browse::CategoryNode;
use serde::Serialize;
use utoipa::ToSchema;

/// The category tree.
#[derive(Debug, Serialize, ToSchema)]
pub struct CategoryTree {
    pub categories: Vec<Category>,
}

/// A category and its visible subcategories (at most three levels).
#[derive(Debug, Serialize, ToSchema)]
pub struct Category {
    #[schema(example = 12)]
    pub id: i64,
    #[schema(example = "women-dresses")]
    pub slug: String,
    #[schema(example = "Dresses")]
    pub name: String,
    /// 1 for top-level categories.
    #[schema(example = 3, minimum = 1, maximum = 3)]
    pub depth: u8,
    #[schema(no_recursion)]
    pub children: Vec<Category>,
}

impl From<CategoryNode> for Category {
    fn from(node: CategoryNode) -> Self {
        Self {
            id: node.id,
            slug: node.slug,
            name: node.name,
            depth: node.depth,
            children: node.children.into_iter().map(Self::from).collect(),
        }
    }
}

impl CategoryTree {
    pub fn of(tree: Vec<CategoryNode>) -> Self {
        Self {
            categories: tree.into_iter().map(Category::from).collect(),
        }
    }
}

/// A brand as shoppers see it.
#[derive(Debug, Serialize, ToSchema)]
pub struct Brand {
    pub id: i64,
    #[schema(example = "seoul-denim")]
    pub slug: String,
    #[schema(example = "Seoul Denim")]
    pub name: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct BrandList {
    pub brands: Vec<Brand>,
}

/// A product in a list.
#[derive(Debug, Serialize, ToSchema)]
pub struct ProductCard {
    pub id: uuid::Uuid,
    pub name: String,
    pub seller: SellerRef,
    pub brand: Option<BrandRef>,
    pub category_id: i64,
    /// `on_sale` or `sold_out`.
    #[schema(value_type = crate::catalog::vocabulary::ProductStatus, example = "on_sale")]
    pub status: String,
    pub adult_only: bool,
    /// The lowest unit price now (sale prices included), KRW.
    #[schema(value_type = String, example = "49000")]
    pub price: rust_decimal::Decimal,
    /// The lowest list price, KRW.
    #[schema(value_type = String, example = "59000")]
    pub list_price: rust_decimal::Decimal,
    pub on_sale: bool,
    pub in_stock: bool,
    pub review_count: i32,
    /// Average rating 1–5 (null without reviews).
    #[schema(example = 4.5)]
    pub rating: Option<f64>,
    pub like_count: i32,
    /// The first image: a pre-signed URL valid for a few minutes (null
    /// without images).
    pub thumbnail_url: Option<String>,
    pub created_at: chrono::DateTime<chrono::Utc>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SellerRef {
    pub id: uuid::Uuid,
    pub name: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct BrandRef {
    pub id: i64,
    pub name: String,
}

impl From<app::catalog::browse::Card> for ProductCard {
    fn from(card: app::catalog::browse::Card) -> Self {
        let row = card.product;
        let won = app::catalog::browse::in_minor_units;
        Self {
            id: row.id,
            name: row.name,
            seller: SellerRef {
                id: row.seller_id,
                name: row.seller_name,
            },
            brand: row
                .brand_id
                .zip(row.brand_name)
                .map(|(id, name)| BrandRef { id, name }),
            category_id: row.category_id,
            status: row.status,
            adult_only: row.adult_only,
            price: won(row.price.unwrap_or(row.list_price)),
            list_price: won(row.list_price),
            on_sale: row.on_sale,
            in_stock: row.in_stock,
            review_count: row.review_count,
            rating: domain::catalog::review::average_rating(
                row.rating_sum.into(),
                row.review_count.into(),
            ),
            like_count: row.like_count,
            thumbnail_url: card.thumbnail_url,
            created_at: row.created_at,
        }
    }
}

/// A product image: a pre-signed URL valid for a few minutes.
#[derive(Debug, Serialize, ToSchema)]
pub struct ProductImage {
    pub id: uuid::Uuid,
    pub position: i16,
    #[schema(example = "image/jpeg")]
    pub content_type: String,
    pub url: String,
}

impl From<app::catalog::product_images::Image> for ProductImage {
    fn from(image: app::catalog::product_images::Image) -> Self {
        Self {
            id: image.id,
            position: image.position,
            content_type: image.content_type,
            url: image.url,
        }
    }
}
