//! Demo data for local development and walkthroughs. Loading it twice changes
//! nothing: rows are keyed by their natural keys (slugs).

use diesel_async::{AsyncConnection, AsyncPgConnection};
use persistence::categories::{self, NewCategory};

use crate::{AppError, Context};

/// (slug, name, children) of the demo category tree.
type Tree = &'static [(
    &'static str,
    &'static str,
    &'static [(
        &'static str,
        &'static str,
        &'static [(&'static str, &'static str)],
    )],
)];

const CATEGORIES: Tree = &[
    (
        "women",
        "Women",
        &[
            (
                "women-clothing",
                "Clothing",
                &[
                    ("women-dresses", "Dresses"),
                    ("women-knitwear", "Knitwear"),
                    ("women-outerwear", "Outerwear"),
                ],
            ),
            (
                "women-shoes",
                "Shoes",
                &[("women-sneakers", "Sneakers"), ("women-boots", "Boots")],
            ),
            ("women-bags", "Bags", &[]),
        ],
    ),
    (
        "men",
        "Men",
        &[
            (
                "men-clothing",
                "Clothing",
                &[
                    ("men-shirts", "Shirts"),
                    ("men-denim", "Denim"),
                    ("men-outerwear", "Outerwear"),
                ],
            ),
            (
                "men-shoes",
                "Shoes",
                &[("men-sneakers", "Sneakers"), ("men-loafers", "Loafers")],
            ),
        ],
    ),
    (
        "accessories",
        "Accessories",
        &[("jewelry", "Jewelry", &[]), ("watches", "Watches", &[])],
    ),
];

/// The demo shopper (demo only; documented in docs/demo-data.md).
pub const DEMO_SHOPPER_EMAIL: &str = "shopper@demo.marketplace.localhost";
pub const DEMO_SHOPPER_PASSWORD: &str = "demo shopper 2026";

/// What a seed run created.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct SeedReport {
    pub categories_created: usize,
    pub shopper_created: bool,
}

pub async fn seed(context: &Context) -> Result<SeedReport, AppError> {
    let mut conn = context.db.get().await?;
    let created = conn
        .transaction(async |conn| seed_categories(conn).await)
        .await?;
    Ok(SeedReport {
        categories_created: created,
        shopper_created: seed_shopper(context).await?,
    })
}

async fn seed_shopper(context: &Context) -> Result<bool, AppError> {
    let vault = crypto::installed().map_err(|e| AppError::Internal(e.to_string()))?;
    let index = vault.blind_index(crypto::BlindIndexKind::Email, DEMO_SHOPPER_EMAIL);
    let mut conn = context.db.get().await?;
    if persistence::users::find_credentials_by_email_index(&mut conn, &index)
        .await?
        .is_some()
    {
        return Ok(false);
    }
    let hash = context
        .identity
        .hasher
        .hash(DEMO_SHOPPER_PASSWORD)
        .map_err(|e| AppError::Internal(e.to_string()))?;
    let id = uuid::Uuid::new_v4();
    let user = persistence::users::NewUser {
        id,
        email: crypto::Sealed::new(DEMO_SHOPPER_EMAIL),
        email_index: index,
        name: crypto::Sealed::new("Demo Shopper"),
        phone: None,
        phone_index: None,
        password_hash: Some(hash.clone()),
        status: persistence::users::status::ACTIVE,
    };
    conn.transaction(async |conn| {
        persistence::users::insert(conn, user).await?;
        persistence::passwords::record_history(conn, id, &hash).await
    })
    .await?;
    Ok(true)
}

async fn seed_categories(conn: &mut AsyncPgConnection) -> Result<usize, persistence::StoreError> {
    let mut created = 0;
    for (order, (slug, name, children)) in (0..).zip(CATEGORIES.iter()) {
        let (top, new) = ensure(conn, None, slug, name, order).await?;
        created += usize::from(new);
        for (order, (slug, name, leaves)) in (0..).zip(children.iter()) {
            let (middle, new) = ensure(conn, Some(top), slug, name, order).await?;
            created += usize::from(new);
            for (order, (slug, name)) in (0..).zip(leaves.iter()) {
                created += usize::from(ensure(conn, Some(middle), slug, name, order).await?.1);
            }
        }
    }
    Ok(created)
}

async fn ensure(
    conn: &mut AsyncPgConnection,
    parent_id: Option<i64>,
    slug: &str,
    name: &str,
    display_order: i32,
) -> Result<(i64, bool), persistence::StoreError> {
    if let Some(id) = categories::find_id_by_slug(conn, slug).await? {
        return Ok((id, false));
    }
    let new = NewCategory {
        parent_id,
        slug,
        name,
        display_order,
        is_active: true,
    };
    Ok((categories::insert(conn, &new).await?, true))
}
