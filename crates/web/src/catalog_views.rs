//! Catalog representations shared by the APIs that serve them (shoppers,
//! partners).

use app::catalog::CategoryNode;
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
