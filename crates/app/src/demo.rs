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

/// The demo operations administrator (every permission) and the owner of
/// the demo vendor. Their TOTP secrets are fixed and public: demo only.
pub const DEMO_ADMIN_EMAIL: &str = "admin@demo.marketplace.localhost";
pub const DEMO_ADMIN_PASSWORD: &str = "demo admin 2026";
/// Base32 of `abcdefghijklmnopqrst`.
pub const DEMO_ADMIN_TOTP_SECRET: &str = "MFRGGZDFMZTWQ2LKNNWG23TPOBYXE43U";
pub const DEMO_SELLER_NAME: &str = "Seoul Denim Works";
pub const DEMO_SELLER_OWNER_EMAIL: &str = "owner@seoul-denim.demo.marketplace.localhost";
pub const DEMO_SELLER_OWNER_PASSWORD: &str = "demo owner 2026";
/// Base32 of `The quick brown fox `.
pub const DEMO_SELLER_OWNER_TOTP_SECRET: &str = "KRUGKIDROVUWG2ZAMJZG653OEBTG66BA";

/// The other demo vendors: (vendor, owner email, owner name, TOTP secret).
/// Their owners' password is [`DEMO_SELLER_OWNER_PASSWORD`] (demo only).
pub const DEMO_VENDORS: &[(&str, &str, &str, &str)] = &[
    (
        "Hanok Knit",
        "owner@hanok-knit.demo.marketplace.localhost",
        "Lee Seoyeon",
        "NBQW433LEBVW42LUEBSGK3LPEBVWK6JB",
    ),
    (
        "Jeju Linen",
        "owner@jeju-linen.demo.marketplace.localhost",
        "Choi Minho",
        "NJSWU5JANRUW4ZLOEBSGK3LPEBVWK6JB",
    ),
    (
        "Busan Leather",
        "owner@busan-leather.demo.marketplace.localhost",
        "Jung Hana",
        "MJ2XGYLOEBWGKYLUNBSXEIDEMVWW6IDL",
    ),
    (
        "Daegu Shoes",
        "owner@daegu-shoes.demo.marketplace.localhost",
        "Kang Doyun",
        "MRQWKZ3VEBZWQ33FOMQGIZLNN4QGWZLZ",
    ),
    (
        "Gangnam Atelier",
        "owner@gangnam-atelier.demo.marketplace.localhost",
        "Yoon Jisoo",
        "M5QW4Z3OMFWSAYLUMVWGSZLSEBSGK3LP",
    ),
];

/// What a seed run created.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct SeedReport {
    pub categories_created: usize,
    pub shopper_created: bool,
    pub staff_created: usize,
    pub catalog: crate::demo_catalog::CatalogReport,
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
        .map_err(|e| AppError::Internal(e.to_string()))?;
    let shopper_created = ensure_member(context, DEMO_SHOPPER_EMAIL, "Demo Shopper", &hash)
        .await?
        .is_some();
    let catalog = crate::demo_catalog::seed(context).await?;
    let coupons_created = crate::demo_commerce::seed(context).await?;
    Ok(SeedReport {
        categories_created: created,
        shopper_created,
        staff_created,
        catalog,
        coupons_created,
        reviews_created: crate::demo_reviews::seed(context, &hash).await?,
    })
}

struct DemoStaff {
    email: &'static str,
    password: &'static str,
    name: &'static str,
    totp_secret: &'static str,
    /// The vendor it owns (approved); `None` for operations staff.
    seller: Option<&'static str>,
}

/// An active staff account with its second factor enrolled; `false` when it
/// already exists.
async fn seed_staff(context: &Context, demo: DemoStaff) -> Result<bool, AppError> {
    use persistence::staff;
    let vault = crypto::installed().map_err(|e| AppError::Internal(e.to_string()))?;
    let index = vault.blind_index(crypto::BlindIndexKind::Email, demo.email);
    let kind = if demo.seller.is_some() {
        staff::kind::SELLER
    } else {
        staff::kind::ADMIN
    };
    let mut conn = context.db.get().await?;
    if staff::find_credentials_by_email_index(&mut conn, kind, &index)
        .await?
        .is_some()
    {
        return Ok(false);
    }
    let hash = context
        .identity
        .hasher
        .hash(demo.password)
        .map_err(|e| AppError::Internal(e.to_string()))?;
    let (id, seller_id, now) = (
        uuid::Uuid::new_v4(),
        uuid::Uuid::new_v4(),
        chrono::Utc::now(),
    );
    conn.transaction(async |conn| {
        if let Some(name) = demo.seller {
            staff::insert_seller(conn, seller_id, name).await?;
            staff::approve_seller(conn, seller_id).await?;
        }
        staff::insert(
            conn,
            staff::NewStaff {
                id,
                kind,
                seller_id: demo.seller.map(|_| seller_id),
                seller_role: demo.seller.map(|_| "owner"),
                email: crypto::Sealed::new(demo.email),
                email_index: index,
                name: crypto::Sealed::new(demo.name),
                password_hash: Some(hash),
                status: staff::status::ACTIVE,
                link_sent_at: None,
            },
        )
        .await?;
        staff::set_pending_totp_secret(conn, id, crypto::Sealed::new(demo.totp_secret)).await?;
        staff::enable_mfa(conn, id, now).await?;
        if demo.seller.is_none() {
            let role = crate::roles::ensure_administrator_role(conn).await?;
            persistence::roles::assign(conn, id, &[role]).await?;
        }
        Ok::<_, persistence::StoreError>(())
    })
    .await?;
    Ok(true)
}

/// An active member with `password_hash`; `None` when the email is taken.
pub(crate) async fn ensure_member(
    context: &Context,
    email: &str,
    name: &str,
    password_hash: &str,
) -> Result<Option<uuid::Uuid>, AppError> {
    let vault = crypto::installed().map_err(|e| AppError::Internal(e.to_string()))?;
    let index = vault.blind_index(crypto::BlindIndexKind::Email, email);
    let mut conn = context.db.get().await?;
    if persistence::users::find_credentials_by_email_index(&mut conn, &index)
        .await?
        .is_some()
    {
        return Ok(None);
    }
    let id = uuid::Uuid::new_v4();
    let user = persistence::users::NewUser {
        id,
        email: crypto::Sealed::new(email),
        email_index: index,
        name: crypto::Sealed::new(name),
        phone: None,
        phone_index: None,
        password_hash: Some(password_hash.to_owned()),
        status: persistence::users::status::ACTIVE,
    };
    conn.transaction(async |conn| {
        persistence::users::insert(conn, user).await?;
        persistence::passwords::record_history(conn, id, password_hash).await
    })
    .await?;
    Ok(Some(id))
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
