//! The demo's people: a shopper, an operations administrator and vendor
//! owners, with fixed credentials documented in docs/demo-data.md (demo only).

use app::{AppError, Context};
use diesel_async::AsyncConnection;

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

pub(crate) struct DemoStaff {
    pub(crate) email: &'static str,
    pub(crate) password: &'static str,
    pub(crate) name: &'static str,
    pub(crate) totp_secret: &'static str,
    /// The vendor it owns (approved); `None` for operations staff.
    pub(crate) seller: Option<&'static str>,
}

/// An active staff account with its second factor enrolled; `false` when it
/// already exists.
pub(crate) async fn seed_staff(context: &Context, demo: DemoStaff) -> Result<bool, AppError> {
    use persistence::staff::members;
    let vault = crypto::installed().map_err(AppError::internal)?;
    let index = vault.blind_index(crypto::BlindIndexKind::Email, demo.email);
    let kind = if demo.seller.is_some() {
        members::kind::SELLER
    } else {
        members::kind::ADMIN
    };
    let mut conn = context.db.get().await?;
    if members::find_credentials_by_email_index(&mut conn, kind, &index)
        .await?
        .is_some()
    {
        return Ok(false);
    }
    let hash = context
        .identity
        .hasher
        .hash(demo.password)
        .map_err(AppError::internal)?;
    let (id, seller_id, now) = (
        uuid::Uuid::new_v4(),
        uuid::Uuid::new_v4(),
        chrono::Utc::now(),
    );
    conn.transaction(async |conn| {
        if let Some(name) = demo.seller {
            members::insert_seller(conn, seller_id, name).await?;
            app::settlement::commission::open_payee(conn, &context.settlement, seller_id).await?;
            members::approve_seller(conn, seller_id).await?;
        }
        members::insert(
            conn,
            members::NewStaff {
                id,
                kind,
                seller_id: demo.seller.map(|_| seller_id),
                seller_role: demo.seller.map(|_| "owner"),
                email: crypto::Sealed::new(demo.email),
                email_index: index,
                name: crypto::Sealed::new(demo.name),
                password_hash: Some(hash),
                status: members::status::ACTIVE,
                link_sent_at: None,
            },
        )
        .await?;
        members::set_pending_totp_secret(conn, id, crypto::Sealed::new(demo.totp_secret)).await?;
        members::enable_mfa(conn, id, now).await?;
        if demo.seller.is_none() {
            let role = app::staff::roles::ensure_administrator_role(conn).await?;
            persistence::staff::roles::assign(conn, id, &[role]).await?;
        }
        Ok::<_, AppError>(())
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
    let vault = crypto::installed().map_err(AppError::internal)?;
    let index = vault.blind_index(crypto::BlindIndexKind::Email, email);
    let mut conn = context.db.get().await?;
    if persistence::identity::users::find_credentials_by_email_index(&mut conn, &index)
        .await?
        .is_some()
    {
        return Ok(None);
    }
    let id = uuid::Uuid::new_v4();
    let user = persistence::identity::users::NewUser {
        id,
        email: crypto::Sealed::new(email),
        email_index: index,
        name: crypto::Sealed::new(name),
        phone: None,
        phone_index: None,
        password_hash: Some(password_hash.to_owned()),
        status: persistence::identity::users::status::ACTIVE,
    };
    conn.transaction(async |conn| {
        persistence::identity::users::insert(conn, user).await?;
        persistence::identity::passwords::record_history(conn, id, password_hash).await
    })
    .await?;
    Ok(Some(id))
}
