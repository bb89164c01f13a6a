//! Coupons: platform coupons defined by operations, vendor coupons by
//! vendors; members get them by download, by code or automatically (on
//! sign-up). Issuance limits hold under concurrency: each claim takes a slot
//! with one conditional UPDATE that also locks the coupon, so claims of one
//! coupon take turns and the per-member count is read after the lock.

use chrono::{DateTime, Duration, Utc};
use diesel_async::AsyncConnection;
use domain::money::Currency;
use domain::pricing::coupon::{Benefit, Coupon, Funding, Scope, generated_code, normalized_code};
use domain::tenant::Tenant;
use persistence::pricing::coupons;
pub use persistence::pricing::coupons::CouponRow;
use persistence::{AsyncPgConnection, StoreError};
use rust_decimal::Decimal;
use serde_json::json;
use uuid::Uuid;

use crate::kernel::FieldCode;
use crate::kernel::ProblemCode;
use crate::kernel::audit::{self, AuditEvent};
use crate::kernel::principals::StaffPrincipal;
use crate::kernel::{limits, text_fields};
use crate::{AppError, Context};

/// How a coupon reaches members.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IssueMethod {
    Download,
    Code,
    /// Issued by the platform when an event happens (sign-up).
    Auto,
}

/// A coupon as operations or a vendor define it.
#[derive(Debug, Clone)]
pub struct CouponDefinition {
    pub name: String,
    pub issue_method: IssueMethod,
    pub code: Option<String>,
    pub benefit: Benefit,
    pub min_purchase: Decimal,
    pub scope: Scope,
    pub excluded_product_ids: Vec<Uuid>,
    pub valid_from: DateTime<Utc>,
    pub valid_until: DateTime<Utc>,
    pub usable_days: Option<i32>,
    /// Platform coupons only.
    pub seller_share_percent: Decimal,
    pub stacks_with_seller_coupons: bool,
    pub per_user_limit: i32,
    pub total_limit: Option<i32>,
}

/// The automatic-issuance event of `auto` coupons.
pub const SIGNUP_TRIGGER: &str = "signup";

fn benefit_columns(
    benefit: &Benefit,
) -> (
    &'static str,
    Option<Decimal>,
    Option<Decimal>,
    Option<Decimal>,
) {
    match benefit {
        Benefit::Fixed(amount) => ("fixed", Some(*amount), None, None),
        Benefit::Percent { percent, max } => ("percent", None, Some(*percent), *max),
    }
}

fn scope_columns(scope: &Scope) -> (&'static str, Vec<Option<i64>>, Vec<Option<Uuid>>) {
    match scope {
        Scope::All => ("all", vec![], vec![]),
        Scope::Categories(ids) => (
            "categories",
            ids.iter().copied().map(Some).collect(),
            vec![],
        ),
        Scope::Sellers(ids) => ("sellers", vec![], ids.iter().copied().map(Some).collect()),
        Scope::Products(ids) => ("products", vec![], ids.iter().copied().map(Some).collect()),
    }
}

/// The pricing engine's view of a stored coupon.
pub(crate) fn to_domain(row: &CouponRow) -> Coupon {
    let benefit = match row.discount_kind.as_str() {
        "percent" => Benefit::Percent {
            percent: row.discount_percent.unwrap_or_default(),
            max: row.max_discount,
        },
        _ => Benefit::Fixed(row.discount_amount.unwrap_or_default()),
    };
    let ids = || row.scope_ids.iter().flatten().copied().collect();
    let scope = match row.scope.as_str() {
        "categories" => {
            Scope::Categories(row.scope_category_ids.iter().flatten().copied().collect())
        }
        "sellers" => Scope::Sellers(ids()),
        "products" => Scope::Products(ids()),
        _ => Scope::All,
    };
    Coupon {
        id: row.id,
        benefit,
        min_purchase: row.min_purchase,
        scope,
        excluded_products: row.excluded_product_ids.iter().flatten().copied().collect(),
        valid_from: row.valid_from,
        valid_until: row.valid_until,
        funding: match row.seller_id {
            Some(seller) => Funding::Seller(seller),
            None => Funding::Platform {
                seller_share_percent: row.seller_share_percent,
            },
        },
        stacks_with_seller_coupons: row.stacks_with_seller_coupons,
    }
}

fn checked_row(
    definition: CouponDefinition,
    issuer: Tenant,
    created_by: Uuid,
) -> Result<CouponRow, AppError> {
    let seller_id = issuer.seller_id();
    let name = text_fields::required("name", &definition.name, 100)?;
    if seller_id.is_some() && matches!(definition.scope, Scope::Sellers(_)) {
        return Err(AppError::invalid(
            "scope",
            FieldCode::NotAllowed,
            "a vendor coupon always covers only the vendor's own items",
        ));
    }
    if seller_id.is_some() && definition.issue_method == IssueMethod::Auto {
        return Err(AppError::invalid(
            "issue_method",
            FieldCode::NotAllowed,
            "only platform coupons are issued automatically",
        ));
    }
    let code = match (definition.issue_method, definition.code) {
        (IssueMethod::Code, Some(code)) => Some(normalized_code(&code).ok_or_else(|| {
            AppError::invalid(
                "code",
                FieldCode::InvalidFormat,
                "8 to 32 letters, digits or hyphens",
            )
        })?),
        (IssueMethod::Code, None) => Some(made_up_code()),
        (_, Some(_)) => {
            return Err(AppError::invalid(
                "code",
                FieldCode::NotAllowed,
                "only code coupons have a code",
            ));
        }
        (_, None) => None,
    };
    if !(1..=100).contains(&definition.per_user_limit) {
        return Err(AppError::invalid(
            "per_user_limit",
            FieldCode::OutOfRange,
            "between 1 and 100",
        ));
    }
    if definition.total_limit.is_some_and(|t| t < 1) {
        return Err(AppError::invalid(
            "total_limit",
            FieldCode::OutOfRange,
            "at least 1",
        ));
    }
    if definition
        .usable_days
        .is_some_and(|d| !(1..=3650).contains(&d))
    {
        return Err(AppError::invalid(
            "usable_days",
            FieldCode::OutOfRange,
            "between 1 and 3650",
        ));
    }
    let funding = match seller_id {
        Some(id) => Funding::Seller(id),
        None => Funding::Platform {
            seller_share_percent: definition.seller_share_percent,
        },
    };
    let coupon = Coupon {
        id: Uuid::new_v4(),
        benefit: definition.benefit,
        min_purchase: definition.min_purchase,
        scope: definition.scope,
        excluded_products: definition.excluded_product_ids,
        valid_from: definition.valid_from,
        valid_until: definition.valid_until,
        funding,
        stacks_with_seller_coupons: definition.stacks_with_seller_coupons,
    }
    .checked(Currency::Krw)
    .map_err(|e| AppError::invalid(e.field, FieldCode::InvalidValue, e.reason))?;
    let (kind, amount, percent, max) = benefit_columns(&coupon.benefit);
    let (scope, category_ids, scope_ids) = scope_columns(&coupon.scope);
    Ok(CouponRow {
        id: coupon.id,
        seller_id,
        name,
        issue_method: match definition.issue_method {
            IssueMethod::Download => "download",
            IssueMethod::Code => "code",
            IssueMethod::Auto => "auto",
        }
        .to_owned(),
        code,
        auto_trigger: (definition.issue_method == IssueMethod::Auto)
            .then(|| SIGNUP_TRIGGER.to_owned()),
        discount_kind: kind.to_owned(),
        discount_amount: amount,
        discount_percent: percent,
        max_discount: max,
        min_purchase: coupon.min_purchase,
        scope: scope.to_owned(),
        scope_category_ids: category_ids,
        scope_ids,
        excluded_product_ids: coupon.excluded_products.iter().copied().map(Some).collect(),
        valid_from: coupon.valid_from,
        valid_until: coupon.valid_until,
        usable_days: definition.usable_days,
        seller_share_percent: if seller_id.is_some() {
            Decimal::ZERO
        } else {
            definition.seller_share_percent
        },
        stacks_with_seller_coupons: coupon.stacks_with_seller_coupons,
        per_user_limit: definition.per_user_limit,
        total_limit: definition.total_limit,
        issued_count: 0,
        is_active: true,
        created_by: Some(created_by),
    })
}

/// Defines a coupon: the caller's vendor's own, or (operations) a platform one.
pub async fn define(
    context: &Context,
    caller: &StaffPrincipal,
    definition: CouponDefinition,
) -> Result<CouponRow, AppError> {
    let row = checked_row(definition, caller.tenant(), caller.id)?;
    let mut conn = context.db.get().await?;
    conn.transaction(async |conn| {
        coupons::insert(conn, &row).await.map_err(|e| match e {
            StoreError::Conflict(_) => AppError::Conflict {
                code: ProblemCode::CouponCodeTaken,
                message: "another coupon has this code".into(),
            },
            other => other.into(),
        })?;
        audit::record(
            conn,
            &AuditEvent {
                actor: caller.actor.clone(),
                action: "coupon.defined",
                subject: Some(("coupon", row.id.to_string())),
                details: json!({ "name": row.name, "seller_id": row.seller_id }),
            },
        )
        .await?;
        Ok::<_, AppError>(())
    })
    .await?;
    Ok(row)
}

/// The caller's vendor's coupons, or (operations) the platform's.
pub async fn list(
    context: &Context,
    caller: &StaffPrincipal,
    limit: i64,
    offset: i64,
) -> Result<(Vec<CouponRow>, i64), AppError> {
    let mut conn = context.db.get().await?;
    Ok(coupons::list(&mut conn, caller.tenant(), limit, offset).await?)
}

/// When a coupon claimed now stops being usable.
fn issue_expiry(coupon: &CouponRow, now: DateTime<Utc>) -> DateTime<Utc> {
    match coupon.usable_days {
        Some(days) => (now + Duration::days(i64::from(days))).min(coupon.valid_until),
        None => coupon.valid_until,
    }
}

/// Why a coupon was not issued.
enum NotIssued {
    /// Inactive, outside its window, or none left.
    Unavailable,
    /// The member already holds the most one member may.
    LimitReached,
}

/// Issues one of `coupon_id` to a member inside the caller's transaction.
/// The coupon is locked first, so concurrent claims of it take turns and the
/// member's count read next is exact.
async fn issue_one(
    conn: &mut AsyncPgConnection,
    coupon_id: Uuid,
    user_id: Uuid,
) -> Result<Result<Uuid, NotIssued>, StoreError> {
    let Some(coupon) = coupons::lock(conn, coupon_id).await? else {
        return Ok(Err(NotIssued::Unavailable));
    };
    if coupons::issued_to(conn, coupon_id, user_id).await? >= i64::from(coupon.per_user_limit) {
        return Ok(Err(NotIssued::LimitReached));
    }
    let now = Utc::now();
    let Some(coupon) = coupons::take_issue_slot(conn, coupon_id, now).await? else {
        return Ok(Err(NotIssued::Unavailable));
    };
    let issue_id = Uuid::new_v4();
    coupons::insert_issue(
        conn,
        issue_id,
        coupon_id,
        user_id,
        issue_expiry(&coupon, now),
    )
    .await?;
    Ok(Ok(issue_id))
}

/// A claim or a redemption: the coupon, or why not.
async fn issue(
    conn: &mut AsyncPgConnection,
    coupon_id: Uuid,
    user_id: Uuid,
) -> Result<Uuid, AppError> {
    match issue_one(conn, coupon_id, user_id).await? {
        Ok(issue_id) => Ok(issue_id),
        Err(NotIssued::Unavailable) => Err(AppError::Conflict {
            code: ProblemCode::CouponUnavailable,
            message: "the coupon is not being issued now or none are left".into(),
        }),
        Err(NotIssued::LimitReached) => Err(AppError::Conflict {
            code: ProblemCode::CouponLimitReached,
            message: "you already have as many of this coupon as one member may".into(),
        }),
    }
}

/// Downloads a coupon offered for download.
pub async fn claim(context: &Context, user_id: Uuid, coupon_id: Uuid) -> Result<Uuid, AppError> {
    let mut conn = context.db.get().await?;
    let coupon = coupons::find(&mut conn, coupon_id)
        .await?
        .filter(|c| c.issue_method == "download")
        .ok_or(AppError::NotFound { resource: "coupon" })?;
    conn.transaction(async |conn| issue(conn, coupon.id, user_id).await)
        .await
}

/// A code the platform makes up for a code coupon defined without one.
fn made_up_code() -> String {
    loop {
        let mut random = [0u8; 32];
        crypto::fill_random(&mut random);
        if let Some(code) = generated_code(&random) {
            return code;
        }
    }
}

/// Redeems a coupon code. Tries are limited per member and per address, so
/// codes cannot be found by guessing.
pub async fn redeem(
    context: &Context,
    user_id: Uuid,
    code: &str,
    ip: &str,
) -> Result<Uuid, AppError> {
    limits::guard(
        context,
        "coupon-redeem-member",
        &user_id.to_string(),
        20,
        limits::HOUR,
    )
    .await?;
    limits::guard(context, "coupon-redeem-ip", ip, 60, limits::HOUR).await?;
    let code = code.trim().to_ascii_uppercase();
    let mut conn = context.db.get().await?;
    let coupon = coupons::find_by_code(&mut conn, &code)
        .await?
        .ok_or_else(|| {
            AppError::invalid("code", FieldCode::UnknownCode, "no coupon has this code")
        })?;
    conn.transaction(async |conn| issue(conn, coupon.id, user_id).await)
        .await
}

/// Issues every active automatic coupon of `trigger` to a member (in the
/// caller's transaction); exhausted ones are skipped.
pub(crate) async fn issue_automatic(
    conn: &mut AsyncPgConnection,
    trigger: &str,
    user_id: Uuid,
) -> Result<usize, StoreError> {
    let mut issued = 0;
    for coupon in coupons::automatic(conn, trigger, Utc::now()).await? {
        if issue_one(conn, coupon.id, user_id).await?.is_ok() {
            issued += 1;
        }
    }
    Ok(issued)
}

/// A coupon a member holds and can use.
pub struct HeldCoupon {
    pub issue_id: Uuid,
    pub expires_at: DateTime<Utc>,
    pub coupon: CouponRow,
}

/// The member's usable coupons, soonest to expire first.
pub async fn usable(context: &Context, user_id: Uuid) -> Result<Vec<HeldCoupon>, AppError> {
    let mut conn = context.db.get().await?;
    Ok(coupons::usable(&mut conn, user_id, Utc::now())
        .await?
        .into_iter()
        .map(|(issue, coupon)| HeldCoupon {
            issue_id: issue.id,
            expires_at: issue.expires_at,
            coupon,
        })
        .collect())
}
