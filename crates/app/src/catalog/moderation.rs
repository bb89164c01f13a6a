//! Operations search products and take them off the shelves: hide (the
//! vendor may list it again) or ban (only operations lift a ban).

use diesel_async::AsyncConnection;
use domain::catalog::product::ProductStatus;
use domain::tenant::Tenant;
use persistence::catalog::products::{self, ModerationFilter, ProductRow};
use serde_json::json;
use uuid::Uuid;

use crate::kernel::FieldCode;
use crate::kernel::ProblemCode;
use crate::kernel::audit::{self, AuditEvent};
use crate::kernel::principals::StaffPrincipal;
use crate::{AppError, Context};

pub struct Search {
    pub q: Option<String>,
    pub seller_id: Option<Uuid>,
    pub status: Option<String>,
    pub page: i64,
    pub size: i64,
}

pub async fn search(context: &Context, search: Search) -> Result<(Vec<ProductRow>, i64), AppError> {
    if let Some(status) = &search.status
        && ProductStatus::parse(status).is_none()
    {
        return Err(AppError::invalid(
            "status",
            FieldCode::InvalidValue,
            "one of draft, on_sale, sold_out, hidden, banned",
        ));
    }
    let size = search.size.clamp(1, 100);
    let offset = (search.page.max(1) - 1) * size;
    let filter = ModerationFilter {
        q: search
            .q
            .map(|q| q.trim().to_owned())
            .filter(|q| !q.is_empty()),
        seller_id: search.seller_id,
        status: search.status,
    };
    let mut conn = context.db.get().await?;
    Ok(products::search_for_moderation(&mut conn, &filter, size, offset).await?)
}

/// What operations do to a product.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Moderation {
    Hide,
    Ban,
    /// Lifts a ban; the product stays hidden until the vendor lists it.
    Unban,
}

pub async fn moderate(
    context: &Context,
    caller: &StaffPrincipal,
    id: Uuid,
    action: Moderation,
    reason: Option<String>,
) -> Result<ProductRow, AppError> {
    let reason = reason
        .map(|r| r.trim().to_owned())
        .filter(|r| !r.is_empty());
    if action != Moderation::Unban && reason.is_none() {
        return Err(AppError::invalid(
            "reason",
            FieldCode::Required,
            "tell the vendor why",
        ));
    }
    if reason.as_ref().is_some_and(|r| r.chars().count() > 1000) {
        return Err(AppError::invalid(
            "reason",
            FieldCode::InvalidLength,
            "at most 1000 characters",
        ));
    }
    let mut conn = context.db.get().await?;
    let current = products::find(&mut conn, Tenant::Operations, id)
        .await?
        .ok_or(AppError::NotFound {
            resource: "product",
        })?;
    let banned = current.status == ProductStatus::Banned.as_str();
    let (status, action_name) = match action {
        Moderation::Hide if banned => {
            return Err(AppError::Conflict {
                code: ProblemCode::ProductBanned,
                message: "a banned product stays banned until the ban is lifted".into(),
            });
        }
        Moderation::Hide => (ProductStatus::Hidden, "product.hidden"),
        Moderation::Ban => (ProductStatus::Banned, "product.banned"),
        Moderation::Unban if !banned => {
            return Err(AppError::Conflict {
                code: ProblemCode::ProductNotBanned,
                message: "the product is not banned".into(),
            });
        }
        Moderation::Unban => (ProductStatus::Hidden, "product.unbanned"),
    };
    conn.transaction(async |conn| {
        products::moderate(conn, id, status.as_str(), reason.as_deref()).await?;
        audit::record(
            conn,
            &AuditEvent {
                actor: caller.actor.clone(),
                action: action_name,
                subject: Some(("product", id.to_string())),
                details: json!({ "seller_id": current.seller_id, "from": current.status }),
            },
        )
        .await?;
        Ok::<_, AppError>(())
    })
    .await?;
    products::find(&mut conn, Tenant::Operations, id)
        .await?
        .ok_or(AppError::NotFound {
            resource: "product",
        })
}
