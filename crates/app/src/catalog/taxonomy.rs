//! Operations manage the catalog's shared structure: categories (the tree
//! shoppers browse) and brands. Edits carry the version read (`If-Match`).

use diesel_async::AsyncConnection;
use persistence::StoreError;
pub use persistence::catalog::brands::BrandRow;
use persistence::catalog::brands::{self, BrandChanges};
pub use persistence::catalog::categories::ManagedCategory;
use persistence::catalog::categories::{self, CategoryChanges, NewCategory};
use serde_json::json;

use crate::kernel::FieldCode;
use crate::kernel::ProblemCode;
use crate::kernel::audit::{self, AuditEvent};
use crate::kernel::principals::StaffPrincipal;
use crate::kernel::text_fields;
use crate::{AppError, Context};

fn slug(value: &str) -> Result<String, AppError> {
    let value = value.trim();
    let well_formed = !value.is_empty()
        && value.len() <= 64
        && value.split('-').all(|part| {
            !part.is_empty()
                && part
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        });
    if !well_formed {
        return Err(AppError::invalid(
            "slug",
            FieldCode::InvalidFormat,
            "lower-case letters and digits in dash-separated words, at most 64",
        ));
    }
    Ok(value.to_owned())
}

fn slug_taken(error: StoreError) -> AppError {
    match error {
        StoreError::Conflict(_) => AppError::Conflict {
            code: ProblemCode::SlugTaken,
            message: "another record uses this slug".into(),
        },
        StoreError::MissingReference(_) => {
            AppError::invalid("parent_id", FieldCode::UnknownReference, "no such category")
        }
        StoreError::Check(constraint) if constraint.contains("depth") => AppError::invalid(
            "parent_id",
            FieldCode::TooDeep,
            "categories nest at most three levels",
        ),
        StoreError::Check(constraint) if constraint.contains("children") => AppError::Conflict {
            code: ProblemCode::CategoryHasChildren,
            message: "a category with subcategories cannot move".into(),
        },
        StoreError::Check(_) => {
            AppError::invalid("parent_id", FieldCode::InvalidValue, "not a valid parent")
        }
        other => other.into(),
    }
}

/// The audit entry of a catalog change, in the change's transaction.
async fn audited(
    conn: &mut persistence::AsyncPgConnection,
    caller: &StaffPrincipal,
    action: &'static str,
    subject: (&'static str, String),
) -> Result<(), AppError> {
    audit::record(
        conn,
        &AuditEvent {
            actor: caller.actor.clone(),
            action,
            subject: Some(subject),
            details: json!({}),
        },
    )
    .await?;
    Ok(())
}

pub async fn categories(context: &Context) -> Result<Vec<ManagedCategory>, AppError> {
    let mut conn = context.db.get().await?;
    Ok(categories::list_managed(&mut conn).await?)
}

pub struct CategoryInput {
    pub parent_id: Option<i64>,
    pub slug: String,
    pub name: String,
    pub display_order: i32,
    pub is_active: bool,
}

pub async fn create_category(
    context: &Context,
    caller: &StaffPrincipal,
    input: CategoryInput,
) -> Result<ManagedCategory, AppError> {
    let slug = slug(&input.slug)?;
    let name = text_fields::required("name", &input.name, 100)?;
    let mut conn = context.db.get().await?;
    let id = conn
        .transaction(async |conn| {
            let id = categories::insert(
                conn,
                &NewCategory {
                    parent_id: input.parent_id,
                    slug: &slug,
                    name: &name,
                    display_order: input.display_order,
                    is_active: input.is_active,
                },
            )
            .await
            .map_err(slug_taken)?;
            audited(
                conn,
                caller,
                "catalog.category_created",
                ("category", id.to_string()),
            )
            .await?;
            Ok::<_, AppError>(id)
        })
        .await?;
    categories::find_managed(&mut conn, id)
        .await?
        .ok_or(AppError::NotFound {
            resource: "category",
        })
}

pub struct CategoryPatch {
    pub parent_id: Option<Option<i64>>,
    pub name: Option<String>,
    pub display_order: Option<i32>,
    pub is_active: Option<bool>,
}

pub async fn update_category(
    context: &Context,
    caller: &StaffPrincipal,
    id: i64,
    version: i32,
    patch: CategoryPatch,
) -> Result<ManagedCategory, AppError> {
    let changes = CategoryChanges {
        parent_id: patch.parent_id,
        name: patch
            .name
            .as_deref()
            .map(|n| text_fields::required("name", n, 100))
            .transpose()?,
        display_order: patch.display_order,
        is_active: patch.is_active,
    };
    let mut conn = context.db.get().await?;
    if categories::find_managed(&mut conn, id).await?.is_none() {
        return Err(AppError::NotFound {
            resource: "category",
        });
    }
    conn.transaction(async |conn| {
        categories::update(conn, id, version, changes)
            .await
            .map_err(slug_taken)?
            .ok_or(AppError::PreconditionFailed)?;
        audited(
            conn,
            caller,
            "catalog.category_changed",
            ("category", id.to_string()),
        )
        .await
    })
    .await?;
    categories::find_managed(&mut conn, id)
        .await?
        .ok_or(AppError::NotFound {
            resource: "category",
        })
}

/// Brands; shoppers see the active ones only.
pub async fn brands(context: &Context, active_only: bool) -> Result<Vec<BrandRow>, AppError> {
    let mut conn = context.db.get().await?;
    Ok(brands::list(&mut conn, active_only).await?)
}

pub async fn create_brand(
    context: &Context,
    caller: &StaffPrincipal,
    slug_input: &str,
    name_input: &str,
) -> Result<BrandRow, AppError> {
    let slug = slug(slug_input)?;
    let name = text_fields::required("name", name_input, 100)?;
    let mut conn = context.db.get().await?;
    conn.transaction(async |conn| {
        let row = brands::insert(conn, &slug, &name)
            .await
            .map_err(slug_taken)?;
        audited(
            conn,
            caller,
            "catalog.brand_created",
            ("brand", row.id.to_string()),
        )
        .await?;
        Ok(row)
    })
    .await
}

pub async fn update_brand(
    context: &Context,
    caller: &StaffPrincipal,
    id: i64,
    version: i32,
    new_name: Option<String>,
    is_active: Option<bool>,
) -> Result<BrandRow, AppError> {
    let changes = BrandChanges {
        name: new_name
            .as_deref()
            .map(|n| text_fields::required("name", n, 100))
            .transpose()?,
        is_active,
    };
    let mut conn = context.db.get().await?;
    if brands::find(&mut conn, id).await?.is_none() {
        return Err(AppError::NotFound { resource: "brand" });
    }
    conn.transaction(async |conn| {
        brands::update(conn, id, version, changes)
            .await?
            .ok_or(AppError::PreconditionFailed)?;
        audited(
            conn,
            caller,
            "catalog.brand_changed",
            ("brand", id.to_string()),
        )
        .await
    })
    .await?;
    brands::find(&mut conn, id)
        .await?
        .ok_or(AppError::NotFound { resource: "brand" })
}
