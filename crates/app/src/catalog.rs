//! Catalog use cases.

pub use domain::catalog::category::CategoryNode;
use domain::catalog::category::build_visible_tree;

use crate::{AppError, Context};

/// The category tree shoppers browse: active categories only, ordered.
pub async fn category_tree(context: &Context) -> Result<Vec<CategoryNode>, AppError> {
    let mut conn = context.db.get().await?;
    let records = persistence::categories::list_all(&mut conn).await?;
    Ok(build_visible_tree(&records))
}
