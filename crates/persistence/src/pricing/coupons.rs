//! Coupon definitions and the coupons members hold.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use domain::tenant::Tenant;
use rust_decimal::Decimal;
use uuid::Uuid;

use crate::StoreError;
use crate::infra::reusable_sql::Reusable;
use crate::schema::{coupon_issues, coupons};

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = coupons, check_for_backend(diesel::pg::Pg))]
pub struct CouponRow {
    pub id: Uuid,
    pub seller_id: Option<Uuid>,
    pub name: String,
    pub issue_method: String,
    pub code: Option<String>,
    pub auto_trigger: Option<String>,
    pub discount_kind: String,
    pub discount_amount: Option<Decimal>,
    pub discount_percent: Option<Decimal>,
    pub max_discount: Option<Decimal>,
    pub min_purchase: Decimal,
    pub scope: String,
    pub scope_category_ids: Vec<Option<i64>>,
    pub scope_ids: Vec<Option<Uuid>>,
    pub excluded_product_ids: Vec<Option<Uuid>>,
    pub valid_from: DateTime<Utc>,
    pub valid_until: DateTime<Utc>,
    pub usable_days: Option<i32>,
    pub seller_share_percent: Decimal,
    pub stacks_with_seller_coupons: bool,
    pub per_user_limit: i32,
    pub total_limit: Option<i32>,
    pub issued_count: i32,
    pub is_active: bool,
    pub created_by: Option<Uuid>,
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = coupon_issues, check_for_backend(diesel::pg::Pg))]
pub struct IssueRow {
    pub id: Uuid,
    pub coupon_id: Uuid,
    pub user_id: Uuid,
    pub state: String,
    pub purchase_order_id: Option<Uuid>,
    pub expires_at: DateTime<Utc>,
    pub created_at: DateTime<Utc>,
}

pub async fn insert(conn: &mut AsyncPgConnection, coupon: &CouponRow) -> Result<(), StoreError> {
    diesel::insert_into(coupons::table)
        .values(coupon)
        .execute(conn)
        .await?;
    Ok(())
}

/// The coupons `tenant` issued (operations: the platform's), newest first.
pub async fn list(
    conn: &mut AsyncPgConnection,
    tenant: Tenant,
    limit: i64,
    offset: i64,
) -> Result<(Vec<CouponRow>, i64), StoreError> {
    let build = || {
        let query = coupons::table.into_boxed();
        match tenant {
            Tenant::Seller(id) => query.filter(coupons::seller_id.eq(id)),
            Tenant::Operations => query.filter(coupons::seller_id.is_null()),
        }
    };
    let rows = build()
        .order((coupons::created_at.desc(), coupons::id.desc()))
        .limit(limit)
        .offset(offset)
        .select(CouponRow::as_select())
        .load(conn)
        .await?;
    let total = build().count().get_result(conn).await?;
    Ok((rows, total))
}

pub async fn find(conn: &mut AsyncPgConnection, id: Uuid) -> Result<Option<CouponRow>, StoreError> {
    Ok(coupons::table
        .find(id)
        .select(CouponRow::as_select())
        .first(conn)
        .await
        .optional()?)
}

pub async fn find_by_code(
    conn: &mut AsyncPgConnection,
    code: &str,
) -> Result<Option<CouponRow>, StoreError> {
    Ok(coupons::table
        .filter(coupons::code.eq(code))
        .select(CouponRow::as_select())
        .first(conn)
        .await
        .optional()?)
}

/// Active coupons issued automatically on `trigger`, inside their window.
pub async fn automatic(
    conn: &mut AsyncPgConnection,
    trigger: &str,
    now: DateTime<Utc>,
) -> Result<Vec<CouponRow>, StoreError> {
    Ok(coupons::table
        .filter(coupons::issue_method.eq("auto"))
        .filter(coupons::auto_trigger.eq(trigger))
        .filter(coupons::is_active)
        .filter(coupons::valid_from.le(now))
        .filter(coupons::valid_until.gt(now))
        .select(CouponRow::as_select())
        .load(conn)
        .await?)
}

/// A coupon, locked until the transaction ends (claims of it take turns).
pub async fn lock(conn: &mut AsyncPgConnection, id: Uuid) -> Result<Option<CouponRow>, StoreError> {
    Ok(coupons::table
        .find(id)
        .for_update()
        .select(CouponRow::as_select())
        .first(conn)
        .await
        .optional()?)
}

/// Takes one issuance slot of an active coupon inside its window; `None`
/// when none is left (or it is not issuable now).
pub async fn take_issue_slot(
    conn: &mut AsyncPgConnection,
    id: Uuid,
    now: DateTime<Utc>,
) -> Result<Option<CouponRow>, StoreError> {
    Ok(diesel::update(coupons::table)
        .filter(coupons::id.eq(id))
        .filter(coupons::is_active)
        .filter(coupons::valid_from.le(now))
        .filter(coupons::valid_until.gt(now))
        .filter(
            coupons::total_limit
                .is_null()
                .or(coupons::issued_count.lt(coupons::total_limit.assume_not_null())),
        )
        .set(coupons::issued_count.eq(coupons::issued_count + 1))
        .returning(CouponRow::as_returning())
        .get_result(conn)
        .await
        .optional()?)
}

/// How many of a coupon a member was ever issued.
pub async fn issued_to(
    conn: &mut AsyncPgConnection,
    coupon_id: Uuid,
    user_id: Uuid,
) -> Result<i64, StoreError> {
    Ok(coupon_issues::table
        .filter(coupon_issues::coupon_id.eq(coupon_id))
        .filter(coupon_issues::user_id.eq(user_id))
        .count()
        .get_result(conn)
        .await?)
}

pub async fn insert_issue(
    conn: &mut AsyncPgConnection,
    id: Uuid,
    coupon_id: Uuid,
    user_id: Uuid,
    expires_at: DateTime<Utc>,
) -> Result<(), StoreError> {
    diesel::insert_into(coupon_issues::table)
        .values((
            coupon_issues::id.eq(id),
            coupon_issues::coupon_id.eq(coupon_id),
            coupon_issues::user_id.eq(user_id),
            coupon_issues::expires_at.eq(expires_at),
        ))
        .execute(conn)
        .await?;
    Ok(())
}

/// A member's coupons that can still be used, soonest to expire first.
pub async fn usable(
    conn: &mut AsyncPgConnection,
    user_id: Uuid,
    now: DateTime<Utc>,
) -> Result<Vec<(IssueRow, CouponRow)>, StoreError> {
    Ok(coupon_issues::table
        .inner_join(coupons::table)
        .filter(coupon_issues::user_id.eq(user_id))
        .filter(coupon_issues::state.eq("available"))
        .filter(coupon_issues::expires_at.gt(now))
        .filter(coupons::valid_until.gt(now))
        .order((coupon_issues::expires_at.asc(), coupon_issues::id.asc()))
        .select((IssueRow::as_select(), CouponRow::as_select()))
        .load(conn)
        .await?)
}

/// The member's coupons among `ids` (only the holdings are locked, so many
/// members can use the same coupon at once).
pub async fn lock_held_by(
    conn: &mut AsyncPgConnection,
    user_id: Uuid,
    ids: &[Uuid],
) -> Result<Vec<(IssueRow, CouponRow)>, StoreError> {
    let issues: Vec<IssueRow> = coupon_issues::table
        .filter(coupon_issues::user_id.eq(user_id))
        .filter(coupon_issues::id.eq_any(ids))
        .order(coupon_issues::id.asc())
        .for_update()
        .select(IssueRow::as_select())
        .load(conn)
        .await?;
    let coupon_ids: Vec<Uuid> = issues.iter().map(|i| i.coupon_id).collect();
    let definitions: Vec<CouponRow> = coupons::table
        .filter(coupons::id.eq_any(coupon_ids))
        .select(CouponRow::as_select())
        .load(conn)
        .await?;
    Ok(issues
        .into_iter()
        .filter_map(|issue| {
            let coupon = definitions
                .iter()
                .find(|c| c.id == issue.coupon_id)?
                .clone();
            Some((issue, coupon))
        })
        .collect())
}

/// Holds available coupons for an unpaid order.
pub async fn hold(
    conn: &mut AsyncPgConnection,
    ids: &[Uuid],
    purchase_order_id: Uuid,
) -> Result<usize, StoreError> {
    Ok(diesel::update(coupon_issues::table)
        .filter(coupon_issues::id.eq_any(ids))
        .filter(coupon_issues::state.eq("available"))
        .set((
            coupon_issues::state.eq("held"),
            coupon_issues::purchase_order_id.eq(purchase_order_id),
        ))
        .execute(conn)
        .await?)
}

/// Gives back the coupons an order held (it expired or was cancelled).
pub async fn release_order(
    conn: &mut AsyncPgConnection,
    purchase_order_id: Uuid,
) -> Result<usize, StoreError> {
    Ok(diesel::update(coupon_issues::table)
        .filter(coupon_issues::purchase_order_id.eq(purchase_order_id))
        .filter(coupon_issues::state.eq("held"))
        .set((
            coupon_issues::state.eq("available"),
            coupon_issues::purchase_order_id.eq(None::<Uuid>),
        ))
        .execute(conn)
        .await?)
}

/// Marks the coupons an order held as used (it was paid).
pub async fn use_order(
    mut conn: &AsyncPgConnection,
    purchase_order_id: Uuid,
) -> Result<usize, StoreError> {
    Ok(Reusable::fixed(
        diesel::update(coupon_issues::table)
            .filter(coupon_issues::purchase_order_id.eq(purchase_order_id))
            .filter(coupon_issues::state.eq("held"))
            .set((
                coupon_issues::state.eq("used"),
                coupon_issues::used_at.eq(diesel::dsl::now),
            )),
    )
    .execute(&mut conn)
    .await?)
}
