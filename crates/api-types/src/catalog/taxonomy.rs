//! Categories and brands as operations staff manage them.

use crate::catalog::views::Brand;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

#[derive(Debug, Serialize, ToSchema)]
pub struct ManagedCategoryView {
    pub id: i64,
    pub parent_id: Option<i64>,
    #[schema(example = "women-outer")]
    pub slug: String,
    pub name: String,
    pub depth: i16,
    pub display_order: i32,
    pub is_active: bool,
    pub version: i32,
}

impl From<app::catalog::taxonomy::ManagedCategory> for ManagedCategoryView {
    fn from(row: app::catalog::taxonomy::ManagedCategory) -> Self {
        Self {
            id: row.id,
            parent_id: row.parent_id,
            slug: row.slug,
            name: row.name,
            depth: row.depth,
            display_order: row.display_order,
            is_active: row.is_active,
            version: row.version,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ManagedCategoryList {
    pub items: Vec<ManagedCategoryView>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CategoryRequest {
    pub parent_id: Option<i64>,
    #[schema(example = "women-outer")]
    pub slug: String,
    #[schema(example = "Outerwear")]
    pub name: String,
    #[serde(default)]
    pub display_order: i32,
    #[serde(default = "active")]
    pub is_active: bool,
}

pub fn active() -> bool {
    true
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CategoryPatchBody {
    /// `null` makes it top-level; a category with subcategories cannot move.
    #[serde(
        default,
        deserialize_with = "crate::kernel::double_option::deserialize"
    )]
    #[schema(value_type = Option<i64>)]
    pub parent_id: Option<Option<i64>>,
    pub name: Option<String>,
    pub display_order: Option<i32>,
    /// An inactive category hides its whole subtree from shoppers.
    pub is_active: Option<bool>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ManagedBrand {
    #[serde(flatten)]
    pub brand: Brand,
    pub is_active: bool,
    pub version: i32,
}

impl From<app::catalog::taxonomy::BrandRow> for ManagedBrand {
    fn from(row: app::catalog::taxonomy::BrandRow) -> Self {
        Self {
            is_active: row.is_active,
            version: row.version,
            brand: Brand {
                id: row.id,
                slug: row.slug,
                name: row.name,
            },
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ManagedBrandList {
    pub items: Vec<ManagedBrand>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct BrandRequest {
    #[schema(example = "seoul-denim")]
    pub slug: String,
    #[schema(example = "Seoul Denim")]
    pub name: String,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct BrandPatchBody {
    pub name: Option<String>,
    pub is_active: Option<bool>,
}
