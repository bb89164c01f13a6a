//! Demo coupons and points (demo only; documented in docs/demo-data.md):
//! a platform code coupon, a vendor coupon to download, a sign-up coupon,
//! and welcome points for the demo shopper. Loading twice changes nothing.

use chrono::{Duration, Utc};
use diesel_async::AsyncConnection;
use persistence::kernel::lots::{self, Ledger};
use persistence::pricing::coupons::{self, CouponRow};
use persistence::sellers::vendors;
use persistence::{AsyncPgConnection, StoreError};
use rust_decimal::Decimal;
use uuid::Uuid;

use crate::accounts::{DEMO_SELLER_NAME, DEMO_SHOPPER_EMAIL};
use app::{AppError, Context};

/// The platform coupon code shoppers can redeem in the demo.
pub const DEMO_COUPON_CODE: &str = "WELCOME-2026";
const WELCOME_POINTS_REASON: &str = "Welcome points (demo)";

fn coupon(id: u128, seller_id: Option<Uuid>, name: &str) -> CouponRow {
    let now = Utc::now();
    CouponRow {
        id: Uuid::from_u128(id),
        seller_id,
        name: name.to_owned(),
        issue_method: "download".to_owned(),
        code: None,
        auto_trigger: None,
        discount_kind: "fixed".to_owned(),
        discount_amount: None,
        discount_percent: None,
        max_discount: None,
        min_purchase: Decimal::ZERO,
        scope: "all".to_owned(),
        scope_category_ids: vec![],
        scope_ids: vec![],
        excluded_product_ids: vec![],
        valid_from: now - Duration::days(1),
        valid_until: now + Duration::days(365),
        usable_days: None,
        seller_share_percent: Decimal::ZERO,
        stacks_with_seller_coupons: true,
        per_user_limit: 1,
        total_limit: None,
        issued_count: 0,
        is_active: true,
        created_by: None,
    }
}

async fn ensure(conn: &mut AsyncPgConnection, row: CouponRow) -> Result<bool, StoreError> {
    if coupons::find(conn, row.id).await?.is_some() {
        return Ok(false);
    }
    coupons::insert(conn, &row).await?;
    Ok(true)
}

/// Returns how many coupons were created.
pub async fn seed(context: &Context) -> Result<usize, AppError> {
    let mut conn = context.db.get().await?;
    let vendor = vendors::find_id_by_name(&mut conn, DEMO_SELLER_NAME).await?;
    let shopper = demo_shopper(&mut conn).await?;
    conn.transaction(async |conn| {
        let mut created = 0;
        let mut welcome = coupon(0xDE40_0001, None, "Welcome 10% (up to 5,000)");
        welcome.issue_method = "code".to_owned();
        welcome.code = Some(DEMO_COUPON_CODE.to_owned());
        welcome.discount_kind = "percent".to_owned();
        welcome.discount_percent = Some(Decimal::from(10));
        welcome.max_discount = Some(Decimal::from(5_000));
        welcome.min_purchase = Decimal::from(30_000);
        created += usize::from(ensure(conn, welcome).await?);
        let mut signup = coupon(0xDE40_0002, None, "Sign-up gift 3,000");
        signup.issue_method = "auto".to_owned();
        signup.auto_trigger = Some(app::pricing::coupons::SIGNUP_TRIGGER.to_owned());
        signup.discount_amount = Some(Decimal::from(3_000));
        signup.min_purchase = Decimal::from(20_000);
        created += usize::from(ensure(conn, signup).await?);
        if let Some(vendor) = vendor {
            let mut own = coupon(0xDE40_0003, Some(vendor), "Seoul Denim 5,000 off 50,000");
            own.discount_amount = Some(Decimal::from(5_000));
            own.min_purchase = Decimal::from(50_000);
            created += usize::from(ensure(conn, own).await?);
        }
        if let Some(user_id) = shopper {
            let granted = lots::history(conn, Ledger::Points, user_id, 100)
                .await?
                .iter()
                .any(|e| e.reason == WELCOME_POINTS_REASON);
            if !granted {
                lots::grant(
                    conn,
                    Ledger::Points,
                    user_id,
                    Decimal::from(5_000),
                    Utc::now() + Duration::days(365),
                    WELCOME_POINTS_REASON,
                )
                .await?;
            }
        }
        Ok::<_, AppError>(created)
    })
    .await
}

async fn demo_shopper(conn: &mut AsyncPgConnection) -> Result<Option<Uuid>, AppError> {
    let vault = crypto::installed().map_err(AppError::internal)?;
    let index = vault.blind_index(crypto::BlindIndexKind::Email, DEMO_SHOPPER_EMAIL);
    Ok(
        persistence::identity::users::find_credentials_by_email_index(conn, &index)
            .await?
            .map(|c| c.id),
    )
}
