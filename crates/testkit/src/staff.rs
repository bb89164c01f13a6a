//! Staff fixtures: vendor and operations accounts created straight in the
//! database (active, second factor enrolled where the role needs one), and
//! logged in over HTTP as a person would, authenticator app included.

use crypto::Sealed;
use diesel_async::AsyncConnection;
use persistence::staff::members::{self, NewStaff};
use serde_json::{Value, json};
use uuid::Uuid;

use crate::shoppers::{Login, PASSWORD};
use crate::{TestApp, TestMail, TestServer};

/// A staff account a test made.
#[derive(Debug, Clone)]
pub struct StaffAccount {
    pub id: Uuid,
    pub email: String,
    /// The raw TOTP secret, when a second factor is enrolled.
    pub totp_secret: Option<Vec<u8>>,
    pub seller_id: Option<Uuid>,
}

impl StaffAccount {
    /// The authenticator's code for `steps_ahead` steps from now (a code is
    /// good once, so a second login in the same 30 s uses the next step).
    pub fn code(&self, steps_ahead: u64) -> String {
        let secret = self.totp_secret.as_deref().expect("enrolled account");
        let now = u64::try_from(chrono::Utc::now().timestamp()).expect("after 1970");
        auth::mfa::code_at(secret, now + 30 * steps_ahead).expect("TOTP code")
    }
}

async fn insert_staff(
    app: &TestApp,
    label: &str,
    seller: Option<(Uuid, &'static str)>,
    enrolled: bool,
    role_permissions: Option<&[&str]>,
) -> StaffAccount {
    let vault = crypto::installed().expect("vault");
    let email = TestMail::unique_address(label);
    let hash = app
        .state
        .context
        .identity
        .hasher
        .hash(PASSWORD)
        .expect("hash");
    let id = Uuid::new_v4();
    let secret = enrolled.then(|| auth::mfa::new_secret(crypto::fill_random));
    let mut conn = app.db.conn().await;
    let email_index = vault.blind_index(crypto::BlindIndexKind::Email, &email);
    let kind = if seller.is_some() {
        members::kind::SELLER
    } else {
        members::kind::ADMIN
    };
    let encoded = secret.as_deref().map(auth::mfa::encode_secret);
    conn.transaction(async |conn| {
        members::insert(
            conn,
            NewStaff {
                id,
                kind,
                seller_id: seller.map(|(id, _)| id),
                seller_role: seller.map(|(_, role)| role),
                email: Sealed::new(email.clone()),
                email_index,
                name: Sealed::new(format!("Staff {label}")),
                password_hash: Some(hash),
                status: members::status::ACTIVE,
                link_sent_at: None,
            },
        )
        .await?;
        if let Some(encoded) = encoded {
            members::set_pending_totp_secret(conn, id, Sealed::new(encoded)).await?;
            members::enable_mfa(conn, id, chrono::Utc::now()).await?;
        }
        if let Some(permissions) = role_permissions {
            let role_id = Uuid::new_v4();
            persistence::staff::roles::insert(conn, role_id, &format!("role {id}"), "").await?;
            persistence::staff::roles::replace_permissions(conn, role_id, None, permissions)
                .await?;
            persistence::staff::roles::assign(conn, id, &[role_id]).await?;
        }
        Ok::<_, persistence::StoreError>(())
    })
    .await
    .expect("insert staff");
    StaffAccount {
        id,
        email,
        totp_secret: secret,
        seller_id: seller.map(|(id, _)| id),
    }
}

/// An operations staff member (second factor enrolled) holding one role
/// with exactly `permissions`.
pub async fn admin(app: &TestApp, label: &str, permissions: &[&str]) -> StaffAccount {
    insert_staff(app, label, None, true, Some(permissions)).await
}

/// A new approved vendor.
pub async fn seller(app: &TestApp, name: &str) -> Uuid {
    let id = Uuid::new_v4();
    let mut conn = app.db.conn().await;
    members::insert_seller(&mut conn, id, name)
        .await
        .expect("seller");
    app::settlement::commission::open_payee(&mut conn, &app.state.context.settlement, id)
        .await
        .expect("base commission");
    members::approve_seller(&mut conn, id)
        .await
        .expect("approve");
    id
}

/// A new vendor that has signed up but is not approved yet.
pub async fn applying_seller(app: &TestApp, name: &str) -> Uuid {
    let id = Uuid::new_v4();
    let mut conn = app.db.conn().await;
    members::insert_seller(&mut conn, id, name)
        .await
        .expect("seller");
    app::settlement::commission::open_payee(&mut conn, &app.state.context.settlement, id)
        .await
        .expect("base commission");
    id
}

/// A member of `seller_id`'s staff with `role` (`owner`, `manager`,
/// `staff`), with a second factor enrolled, as every vendor role must.
pub async fn seller_staff(
    app: &TestApp,
    label: &str,
    seller_id: Uuid,
    role: &'static str,
) -> StaffAccount {
    insert_staff(app, label, Some((seller_id, role)), true, None).await
}

/// The same, before enrolling the second factor their first login asks for.
pub async fn unenrolled_seller_staff(
    app: &TestApp,
    label: &str,
    seller_id: Uuid,
    role: &'static str,
) -> StaffAccount {
    insert_staff(app, label, Some((seller_id, role)), false, None).await
}

/// The first answer of a staff login (password only).
pub async fn password_step(
    server: &TestServer,
    email: &str,
    device: Uuid,
) -> (reqwest::StatusCode, Value) {
    let response = server
        .post("/v1/auth/login")
        .header("x-device-id", device.to_string())
        .json(&json!({ "email": email, "password": PASSWORD }))
        .send()
        .await
        .expect("login request");
    let status = response.status();
    (status, response.json().await.expect("login body"))
}

/// Starts the enrolment a login asked for (`mfa_enrolment_required`) with
/// its `mfa_token` from `device`; returns the answer (`secret`,
/// `otpauth_uri`) and the authenticator's current code for it.
pub async fn enrol(server: &TestServer, mfa_token: &str, device: Uuid) -> (Value, String) {
    let enrolment: Value = server
        .post("/v1/auth/mfa/enrolment")
        .header("x-device-id", device.to_string())
        .json(&json!({ "mfa_token": mfa_token }))
        .send()
        .await
        .expect("enrolment request")
        .json()
        .await
        .expect("enrolment body");
    let secret = auth::mfa::decode_secret(enrolment["secret"].as_str().expect("secret"))
        .expect("base32 secret");
    let now = u64::try_from(chrono::Utc::now().timestamp()).expect("after 1970");
    let code = auth::mfa::code_at(&secret, now).expect("TOTP code");
    (enrolment, code)
}

/// `POST /v1/auth/mfa/verify` with `body` (plus the token) from `device`.
pub async fn second_factor(
    server: &TestServer,
    mfa_token: &str,
    device: Uuid,
    mut body: Value,
) -> (reqwest::StatusCode, Value) {
    body["mfa_token"] = json!(mfa_token);
    let response = server
        .post("/v1/auth/mfa/verify")
        .header("x-device-id", device.to_string())
        .json(&body)
        .send()
        .await
        .expect("verify request");
    let status = response.status();
    (status, response.json().await.expect("verify body"))
}

/// Logs `account` in on a fresh device, with the authenticator's code
/// `steps_ahead` steps ahead when a second factor is asked for.
pub async fn log_in(server: &TestServer, account: &StaffAccount, steps_ahead: u64) -> Login {
    let device = Uuid::new_v4();
    let (status, body) = password_step(server, &account.email, device).await;
    assert_eq!(status, reqwest::StatusCode::OK, "password step: {body}");
    let tokens = if body["status"] == "mfa_required" {
        let token = body["mfa_token"].as_str().expect("mfa token");
        let (status, tokens) = second_factor(
            server,
            token,
            device,
            json!({ "code": account.code(steps_ahead) }),
        )
        .await;
        assert_eq!(status, reqwest::StatusCode::OK, "second factor: {tokens}");
        tokens
    } else {
        body
    };
    let field = |name: &str| tokens[name].as_str().unwrap_or_default().to_owned();
    Login {
        status: reqwest::StatusCode::OK,
        access_token: field("access_token"),
        refresh_token: field("refresh_token"),
        token_type: field("token_type"),
        device,
    }
}

/// Gives `seller_id` a business profile whose contact email is `email`
/// (where the vendor's notices go), keeping its shipping policy.
pub async fn seller_contact(app: &TestApp, seller_id: Uuid, email: &str) {
    use persistence::sellers::vendors::{BusinessProfile, ShippingPolicyRow, set_profile};
    let mut conn = app.db.conn().await;
    let (seller, _) = persistence::sellers::vendors::find(&mut conn, seller_id)
        .await
        .expect("seller")
        .expect("seller exists");
    set_profile(
        &mut conn,
        BusinessProfile {
            id: seller_id,
            company_name: seller.name.clone(),
            business_registration_no: format!("{:010}", seller_id.as_u128() % 10_000_000_000),
            representative_name: "Kim Owner".into(),
            contact_email: Sealed::new(email.to_owned()),
            contact_phone: Sealed::new("+821012345678".to_owned()),
            settlement_bank_code: "004".into(),
            settlement_account_number: Sealed::new("12345678901234".to_owned()),
            settlement_account_holder: Sealed::new("Kim Owner".to_owned()),
        },
        ShippingPolicyRow {
            shipping_base_fee: seller.shipping_base_fee,
            free_shipping_threshold: seller.free_shipping_threshold,
            remote_area_surcharge: seller.remote_area_surcharge,
            return_fee: seller.return_fee,
        },
    )
    .await
    .expect("business profile");
}

/// An operations staff member (second factor enrolled) holding the
/// administrator role, which grants every permission.
pub async fn administrator(app: &TestApp, label: &str) -> StaffAccount {
    let account = insert_staff(app, label, None, true, None).await;
    let mut conn = app.db.conn().await;
    let role_id = app::staff::roles::ensure_administrator_role(&mut conn)
        .await
        .expect("administrator role");
    persistence::staff::roles::assign(&mut conn, account.id, &[role_id])
        .await
        .expect("assign administrator");
    account
}

/// Moves the account's second-factor failures `secs` into the past, as the
/// clock would.
pub async fn age_second_factor_failures(app: &TestApp, account: &StaffAccount, secs: u64) {
    app.age_failures("mfa", &account.id.to_string(), secs).await;
}
