#![doc = include_str!("../README.md")]

mod accounts;
pub mod catalog;
mod categories;
pub mod commerce;
pub mod reviews;

use app::{AppError, Context};
use diesel_async::AsyncConnection;

pub use accounts::{
    DEMO_ADMIN_EMAIL, DEMO_ADMIN_PASSWORD, DEMO_ADMIN_TOTP_SECRET, DEMO_SELLER_NAME,
    DEMO_SELLER_OWNER_EMAIL, DEMO_SELLER_OWNER_PASSWORD, DEMO_SELLER_OWNER_TOTP_SECRET,
    DEMO_SHOPPER_EMAIL, DEMO_SHOPPER_PASSWORD, DEMO_VENDORS,
};
use accounts::{DemoStaff, ensure_member, seed_staff};
use categories::seed_categories;

/// What a seed run created.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct SeedReport {
    pub categories_created: usize,
    pub shopper_created: bool,
    pub staff_created: usize,
    pub catalog: crate::catalog::CatalogReport,
    pub coupons_created: usize,
    pub reviews_created: usize,
}

pub async fn seed(context: &Context) -> Result<SeedReport, AppError> {
    let mut conn = context.db.get().await?;
    let created = conn
        .transaction(async |conn| seed_categories(conn).await)
        .await?;
    let admin = seed_staff(
        context,
        DemoStaff {
            email: DEMO_ADMIN_EMAIL,
            password: DEMO_ADMIN_PASSWORD,
            name: "Demo Administrator",
            totp_secret: DEMO_ADMIN_TOTP_SECRET,
            seller: None,
        },
    )
    .await?;
    let owner = seed_staff(
        context,
        DemoStaff {
            email: DEMO_SELLER_OWNER_EMAIL,
            password: DEMO_SELLER_OWNER_PASSWORD,
            name: "Park Jiwoo",
            totp_secret: DEMO_SELLER_OWNER_TOTP_SECRET,
            seller: Some(DEMO_SELLER_NAME),
        },
    )
    .await?;
    let mut staff_created = usize::from(admin) + usize::from(owner);
    for (vendor, email, name, totp_secret) in DEMO_VENDORS {
        let created = seed_staff(
            context,
            DemoStaff {
                email,
                password: DEMO_SELLER_OWNER_PASSWORD,
                name,
                totp_secret,
                seller: Some(vendor),
            },
        )
        .await?;
        staff_created += usize::from(created);
    }
    // Demo members share one password, hashed once.
    let hash = context
        .identity
        .hasher
        .hash(DEMO_SHOPPER_PASSWORD)
        .map_err(AppError::internal)?;
    let shopper_created = ensure_member(context, DEMO_SHOPPER_EMAIL, "Demo Shopper", &hash)
        .await?
        .is_some();
    let catalog = crate::catalog::seed(context).await?;
    let coupons_created = crate::commerce::seed(context).await?;
    Ok(SeedReport {
        categories_created: created,
        shopper_created,
        staff_created,
        catalog,
        coupons_created,
        reviews_created: crate::reviews::seed(context, &hash).await?,
    })
}
