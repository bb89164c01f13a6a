//! A vendor applies with its business details and documents; operations
//! review it through admin-api and read documents only through short-lived
//! pre-signed URLs of the object store, by document-type permission.
#![expect(clippy::expect_used, reason = "test helpers fail loudly")]

use domain::identity::permissions::admin;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use testkit::multipart::{Part, form};
use testkit::shoppers::Login;
use testkit::staff::{self, StaffAccount};
use testkit::{TestApp, TestServer};
use uuid::Uuid;

const PDF: &[u8] =
    b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n";
const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x02\0\0\0";
const EICAR: &str = r"X5O!P%@AP[4\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*";

fn application(registration_no: &str) -> Value {
    json!({
        "company_name": "Seoul Denim Works Co., Ltd.",
        "business_registration_no": registration_no,
        "representative_name": "Kim Minji",
        "contact_email": "cs@seoul-denim.example",
        "contact_phone": "010-1234-5678",
        "settlement_bank_code": "004",
        "settlement_account_number": "123456-01-234567",
        "settlement_account_holder": "Seoul Denim Works",
        "shipping_policy": {
            "base_fee": "3000",
            "free_shipping_threshold": "50000",
            "remote_area_surcharge": "5000",
            "return_fee": "6000"
        }
    })
}

struct Vendor {
    seller_id: Uuid,
    owner: Login,
}

async fn applying_vendor(app: &TestApp, name: &str) -> Vendor {
    let seller_id = staff::applying_seller(app, name).await;
    let account = staff::seller_staff(app, "owner", seller_id, "owner").await;
    Vendor {
        seller_id,
        owner: staff::log_in(app, &account, 0).await,
    }
}

async fn apply(app: &TestApp, vendor: &Vendor, registration_no: &str) -> Uuid {
    let response = vendor
        .owner
        .call(app, Method::POST, "/v1/applications")
        .json(&application(registration_no))
        .send()
        .await
        .expect("apply");
    assert_eq!(response.status(), StatusCode::CREATED);
    let body: Value = response.json().await.expect("json");
    body["application_id"]
        .as_str()
        .and_then(|id| id.parse().ok())
        .expect("application id")
}

async fn upload(
    app: &TestApp,
    login: &Login,
    application_id: Uuid,
    parts: &[Part<'_>],
) -> (StatusCode, Value) {
    let (content_type, body) = form(parts);
    let response = login
        .call(
            app,
            Method::POST,
            &format!("/v1/applications/{application_id}/documents"),
        )
        .header("content-type", content_type)
        .body(body)
        .send()
        .await
        .expect("upload");
    let status = response.status();
    (status, response.json().await.unwrap_or(Value::Null))
}

async fn upload_document(
    app: &TestApp,
    vendor: &Vendor,
    application_id: Uuid,
    kind: &str,
    bytes: &[u8],
) -> Uuid {
    let (status, body) = upload(
        app,
        &vendor.owner,
        application_id,
        &[
            Part::Text("document_type", kind),
            Part::File("file", "scan.pdf", bytes),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    body["id"]
        .as_str()
        .and_then(|id| id.parse().ok())
        .expect("document id")
}

async fn reviewer(
    app: &TestApp,
    admin_api: &TestServer,
    label: &str,
    permissions: &[&str],
) -> (StaffAccount, Login) {
    let account = staff::admin(app, label, permissions).await;
    let login = staff::log_in(admin_api, &account, 0).await;
    (account, login)
}

async fn post_json(
    server: &TestServer,
    login: &Login,
    path: &str,
    body: Value,
) -> (StatusCode, Value) {
    let response = login
        .call(server, Method::POST, path)
        .json(&body)
        .send()
        .await
        .expect("request");
    let status = response.status();
    (status, response.json().await.unwrap_or(Value::Null))
}

async fn get_json(server: &TestServer, login: &Login, path: &str) -> (StatusCode, Value) {
    let response = login
        .call(server, Method::GET, path)
        .send()
        .await
        .expect("request");
    let status = response.status();
    (status, response.json().await.unwrap_or(Value::Null))
}

fn all_document_permissions() -> Vec<&'static str> {
    vec![
        admin::SELLERS_REVIEW,
        admin::SELLERS_DOCUMENTS_READ_BUSINESS_REGISTRATION,
        admin::SELLERS_DOCUMENTS_READ_BANKBOOK,
        admin::SELLERS_DOCUMENTS_READ_REPRESENTATIVE_ID,
        admin::SELLERS_DOCUMENTS_READ_MAIL_ORDER_REPORT,
    ]
}

#[tokio::test]
async fn an_owner_applies_with_documents_and_operations_approve_after_reading_them() {
    let app = TestApp::spawn(seller_api::SERVICE).await;
    let admin_api = app.sibling(admin_api::SERVICE);
    let vendor = applying_vendor(&app, "Seoul Denim Works").await;

    // The check digit is verified and the field named.
    let (status, body) = post_json(
        &app,
        &vendor.owner,
        "/v1/applications",
        application("220-81-62518"),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(body["errors"][0]["field"], "business_registration_no");
    assert_eq!(
        body["errors"][0]["code"],
        "invalid_business_registration_no"
    );

    let application_id = apply(&app, &vendor, "220-81-62517").await;
    let mut documents = Vec::new();
    for kind in [
        "business_registration",
        "bankbook",
        "representative_id",
        "mail_order_report",
    ] {
        documents.push(upload_document(&app, &vendor, application_id, kind, PDF).await);
    }
    let (_, own) = get_json(
        &app,
        &vendor.owner,
        &format!("/v1/applications/{application_id}"),
    )
    .await;
    assert_eq!(own["status"], "submitted");
    assert_eq!(own["documents"].as_array().map(Vec::len), Some(4));
    assert_eq!(own["documents"][0]["content_type"], "application/pdf");

    let (_, reviewer) = reviewer(&app, &admin_api, "reviewer", &all_document_permissions()).await;
    let (status, queue) = get_json(&admin_api, &reviewer, "/v1/seller-applications").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(queue["items"][0]["id"], application_id.to_string());
    assert_eq!(
        queue["items"][0]["company_name"],
        "Seoul Denim Works Co., Ltd."
    );

    let (status, review) = get_json(
        &admin_api,
        &reviewer,
        &format!("/v1/seller-applications/{application_id}"),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{review}");
    assert_eq!(
        review["seller"]["business"]["contact_phone"],
        "+821012345678"
    );
    assert_eq!(
        review["seller"]["business"]["settlement_account_number"],
        "****4567"
    );
    assert_eq!(
        review["seller"]["shipping_policy"]["free_shipping_threshold"],
        "50000"
    );

    // The document comes from the object store through the signed URL only.
    let (status, issued) = post_json(
        &admin_api,
        &reviewer,
        &format!(
            "/v1/sellers/{}/documents/{}/download-url",
            vendor.seller_id, documents[0]
        ),
        Value::Null,
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{issued}");
    let url = issued["url"].as_str().expect("url");
    assert!(url.contains("X-Amz-Expires=300"), "{url}");
    let expires_at: chrono::DateTime<chrono::Utc> = issued["expires_at"]
        .as_str()
        .and_then(|t| t.parse().ok())
        .expect("expiry");
    let in_five_minutes = chrono::Utc::now() + chrono::Duration::minutes(5);
    assert!(
        (expires_at - in_five_minutes).num_seconds().abs() <= 5,
        "{expires_at}"
    );
    let fetched = reqwest::get(url).await.expect("fetch");
    assert_eq!(fetched.status(), StatusCode::OK);
    assert_eq!(fetched.bytes().await.expect("bytes").as_ref(), PDF);
    // The bucket is private: the same object without the signature is refused.
    let unsigned = url.split('?').next().expect("path");
    assert_eq!(
        reqwest::get(unsigned).await.expect("fetch").status(),
        StatusCode::FORBIDDEN
    );

    let (status, decided) = post_json(
        &admin_api,
        &reviewer,
        &format!("/v1/seller-applications/{application_id}/approve"),
        Value::Null,
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{decided}");
    assert_eq!(decided["status"], "approved");
    let (_, seller) = get_json(&app, &vendor.owner, "/v1/seller").await;
    assert_eq!(seller["status"], "approved");
    assert_eq!(seller["business"]["business_registration_no"], "2208162517");

    // Contact data and the settlement account are sealed in their columns.
    let raw = app
        .db
        .query_text(
            "SELECT encode(contact_email || contact_phone || settlement_account_number || settlement_account_holder, 'escape') AS value \
             FROM seller_business_profiles",
        )
        .await
        .concat();
    for plaintext in [
        "cs@seoul-denim.example",
        "+821012345678",
        "12345601234567",
        "Seoul Denim Works",
    ] {
        assert!(!raw.contains(plaintext), "{plaintext} stored in clear");
    }

    let audited = app
        .db
        .query_text(
            "SELECT action || ':' || coalesce(subject_id, '') AS value FROM security_audit_log \
             WHERE action IN ('seller.document_url_issued', 'seller.application_reviewed', 'personal_data.read') ORDER BY id",
        )
        .await;
    assert_eq!(
        audited,
        vec![
            format!("personal_data.read:{}", vendor.seller_id),
            format!("seller.document_url_issued:{}", documents[0]),
            format!("seller.application_reviewed:{application_id}"),
        ]
    );
}

#[tokio::test]
async fn uploads_are_checked_by_their_bytes_size_and_virus_scan_and_refusals_store_nothing() {
    let app = TestApp::spawn(seller_api::SERVICE).await;
    let vendor = applying_vendor(&app, "Hanok Knit").await;
    let application_id = apply(&app, &vendor, "1248100998").await;
    let doc = |bytes: &'static [u8]| {
        [
            Part::Text("document_type", "bankbook"),
            Part::File("file", "bankbook.pdf", bytes),
        ]
    };

    let (status, body) = upload(
        &app,
        &vendor.owner,
        application_id,
        &doc(b"just text pretending to be a PDF"),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(body["errors"][0]["code"], "unsupported_file_type");

    let infected = format!("%PDF-1.4\n{EICAR}\n");
    let (status, body) = upload(
        &app,
        &vendor.owner,
        application_id,
        &[
            Part::Text("document_type", "bankbook"),
            Part::File("file", "x.pdf", infected.as_bytes()),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(body["errors"][0]["code"], "malware_detected");

    let mut huge = b"%PDF-1.7\n".to_vec();
    huge.resize(10 * 1024 * 1024 + 1, b' ');
    let (status, body) = upload(
        &app,
        &vendor.owner,
        application_id,
        &[
            Part::Text("document_type", "bankbook"),
            Part::File("file", "big.pdf", &huge),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE, "{body}");
    assert_eq!(body["errors"][0]["field"], "file");

    let (status, body) = upload(
        &app,
        &vendor.owner,
        application_id,
        &[Part::File("file", "a.png", PNG)],
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(body["errors"][0]["field"], "document_type");

    let (status, body) = upload(
        &app,
        &vendor.owner,
        application_id,
        &[
            Part::Text("document_type", "selfie"),
            Part::File("file", "a.png", PNG),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(body["errors"][0]["field"], "document_type");

    let response = vendor
        .owner
        .call(
            &app,
            Method::POST,
            &format!("/v1/applications/{application_id}/documents"),
        )
        .json(&json!({"document_type": "bankbook"}))
        .send()
        .await
        .expect("json upload");
    assert_eq!(response.status(), StatusCode::UNSUPPORTED_MEDIA_TYPE);

    let stored = app
        .db
        .query_text("SELECT count(*)::text AS value FROM seller_documents")
        .await;
    assert_eq!(stored, vec!["0"]);
    // A PNG is fine.
    let (status, body) = upload(
        &app,
        &vendor.owner,
        application_id,
        &[
            Part::Text("document_type", "bankbook"),
            Part::File("file", "a.png", PNG),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    assert_eq!(body["content_type"], "image/png");
}

#[tokio::test]
async fn a_download_url_needs_the_document_types_permission_and_the_store_refuses_it_once_expired()
{
    let app = TestApp::spawn(seller_api::SERVICE).await;
    let admin_api = app.sibling(admin_api::SERVICE);
    let vendor = applying_vendor(&app, "Jeju Linen").await;
    let application_id = apply(&app, &vendor, "1078155843").await;
    let registration =
        upload_document(&app, &vendor, application_id, "business_registration", PDF).await;
    let bankbook = upload_document(&app, &vendor, application_id, "bankbook", PDF).await;

    let (_, partial) = reviewer(
        &app,
        &admin_api,
        "partial",
        &[
            admin::SELLERS_REVIEW,
            admin::SELLERS_DOCUMENTS_READ_BUSINESS_REGISTRATION,
        ],
    )
    .await;
    let url_of = |document: Uuid| {
        format!(
            "/v1/sellers/{}/documents/{document}/download-url",
            vendor.seller_id
        )
    };
    let (status, body) = post_json(&admin_api, &partial, &url_of(bankbook), Value::Null).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
    assert_eq!(body["code"], "permission_denied");
    assert_eq!(body["permission"], "sellers.documents.read.bankbook");
    let (status, _) = post_json(&admin_api, &partial, &url_of(registration), Value::Null).await;
    assert_eq!(status, StatusCode::OK);
    // A document id under another vendor is simply not found.
    let (status, _) = post_json(
        &admin_api,
        &partial,
        &format!(
            "/v1/sellers/{}/documents/{registration}/download-url",
            Uuid::new_v4()
        ),
        Value::Null,
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);

    // The store enforces the expiry: a URL whose validity has run out (here
    // one issued with none at all) is refused by the object store itself.
    let hurried = app.sibling_with(admin_api::SERVICE, |settings| {
        settings.objects.download_url_ttl_secs = 0;
    });
    let (status, issued) = post_json(&hurried, &partial, &url_of(registration), Value::Null).await;
    assert_eq!(status, StatusCode::OK, "{issued}");
    let expired = issued["url"].as_str().expect("url");
    assert!(expired.contains("X-Amz-Expires=0"), "{expired}");
    let refused = reqwest::get(expired).await.expect("fetch");
    assert_eq!(refused.status(), StatusCode::FORBIDDEN);
    assert!(refused.text().await.expect("body").contains("expired"));
}

#[tokio::test]
async fn reviewers_ask_for_documents_reject_with_a_reason_and_the_vendor_may_apply_again() {
    let app = TestApp::spawn(seller_api::SERVICE).await;
    let admin_api = app.sibling(admin_api::SERVICE);
    let vendor = applying_vendor(&app, "Busan Leather").await;
    let first = apply(&app, &vendor, "2208162517").await;
    let (_, reviewer) = reviewer(&app, &admin_api, "reviewer", &[admin::SELLERS_REVIEW]).await;
    let review = |action: &str| format!("/v1/seller-applications/{first}/{action}");

    // One open application at a time.
    let (status, body) = post_json(
        &app,
        &vendor.owner,
        "/v1/applications",
        application("2208162517"),
    )
    .await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert_eq!(body["code"], "application_already_open");

    let (status, body) = post_json(
        &admin_api,
        &reviewer,
        &review("request-documents"),
        json!({"reason": " "}),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(body["errors"][0]["field"], "reason");
    let (status, _) = post_json(
        &admin_api,
        &reviewer,
        &review("request-documents"),
        json!({"reason": "The bankbook copy is missing."}),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    // Not approvable until the vendor answers.
    let (status, body) = post_json(&admin_api, &reviewer, &review("approve"), Value::Null).await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert_eq!(body["code"], "invalid_application_transition");
    // Only the vendor resubmits; operations cannot answer for it.
    let (status, _) = post_json(
        &app,
        &vendor.owner,
        &format!("/v1/applications/{first}/resubmit"),
        Value::Null,
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let (status, _) = post_json(
        &admin_api,
        &reviewer,
        &review("reject"),
        json!({"reason": "The business is closed at the tax office."}),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    // Decided: no more documents, no more decisions.
    let (status, _) = upload(
        &app,
        &vendor.owner,
        first,
        &[
            Part::Text("document_type", "bankbook"),
            Part::File("file", "b.pdf", PDF),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::CONFLICT);
    let (status, _) = post_json(&admin_api, &reviewer, &review("approve"), Value::Null).await;
    assert_eq!(status, StatusCode::CONFLICT);

    let (_, detail) = get_json(&app, &vendor.owner, &format!("/v1/applications/{first}")).await;
    assert_eq!(detail["status"], "rejected");
    assert_eq!(
        detail["review_note"],
        "The business is closed at the tax office."
    );
    let history: Vec<&str> = detail["history"]
        .as_array()
        .expect("history")
        .iter()
        .filter_map(|e| e["status"].as_str())
        .collect();
    assert_eq!(
        history,
        ["submitted", "documents_requested", "submitted", "rejected"]
    );
    let (_, seller) = get_json(&app, &vendor.owner, "/v1/seller").await;
    assert_eq!(seller["status"], "rejected");

    // A rejected vendor applies again; the queue shows the new application.
    let second = apply(&app, &vendor, "2208162517").await;
    let (_, queue) = get_json(&admin_api, &reviewer, "/v1/seller-applications").await;
    let queued: Vec<&str> = queue["items"]
        .as_array()
        .expect("items")
        .iter()
        .filter_map(|i| i["id"].as_str())
        .collect();
    assert_eq!(queued, [second.to_string().as_str()]);
    let (_, rejected) = get_json(
        &admin_api,
        &reviewer,
        "/v1/seller-applications?status=rejected",
    )
    .await;
    assert_eq!(rejected["items"][0]["id"], first.to_string());

    // Another vendor cannot register the same business.
    let other = applying_vendor(&app, "Copycat").await;
    let (status, body) = post_json(
        &app,
        &other.owner,
        "/v1/applications",
        application("2208162517"),
    )
    .await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert_eq!(body["code"], "business_already_registered");
}

#[tokio::test]
async fn a_vendor_never_reaches_another_vendors_application_or_documents() {
    let app = TestApp::spawn(seller_api::SERVICE).await;
    let mine = applying_vendor(&app, "Mine").await;
    let theirs = applying_vendor(&app, "Theirs").await;
    let their_application = apply(&app, &theirs, "1248100998").await;
    let their_document = upload_document(&app, &theirs, their_application, "bankbook", PDF).await;

    let (status, _) = get_json(
        &app,
        &mine.owner,
        &format!("/v1/applications/{their_application}"),
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _) = upload(
        &app,
        &mine.owner,
        their_application,
        &[
            Part::Text("document_type", "bankbook"),
            Part::File("file", "b.pdf", PDF),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _) = post_json(
        &app,
        &mine.owner,
        &format!("/v1/applications/{their_application}/resubmit"),
        Value::Null,
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _) = post_json(
        &app,
        &mine.owner,
        &format!("/v1/documents/{their_document}/download-url"),
        Value::Null,
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (_, own) = get_json(&app, &mine.owner, "/v1/applications").await;
    assert_eq!(own["items"], json!([]));
    // Their own works.
    let (status, _) = post_json(
        &app,
        &theirs.owner,
        &format!("/v1/documents/{their_document}/download-url"),
        Value::Null,
    )
    .await;
    assert_eq!(status, StatusCode::OK);
}

#[tokio::test]
async fn the_shipping_policy_changes_only_from_the_version_read() {
    let app = TestApp::spawn(seller_api::SERVICE).await;
    let seller_id = staff::seller(&app, "Daegu Shoes").await;
    let owner = staff::seller_staff(&app, "owner", seller_id, "owner").await;
    let owner = staff::log_in(&app, &owner, 0).await;
    let read = owner
        .call(&app, Method::GET, "/v1/seller")
        .send()
        .await
        .expect("read");
    let etag = read.headers()["etag"].to_str().expect("etag").to_owned();
    let policy = json!({"shipping_policy": {"base_fee": "2500", "remote_area_surcharge": "4000", "return_fee": "5000"}});

    let patch = |etag: &str, body: &Value| {
        owner
            .call(&app, Method::PATCH, "/v1/seller")
            .header("if-match", etag)
            .json(body)
            .send()
    };
    let response = patch(&etag, &policy).await.expect("patch");
    assert_eq!(response.status(), StatusCode::OK);
    assert_ne!(
        response.headers()["etag"].to_str().ok(),
        Some(etag.as_str())
    );
    let body: Value = response.json().await.expect("json");
    assert_eq!(body["shipping_policy"]["base_fee"], "2500");
    assert_eq!(
        body["shipping_policy"]["free_shipping_threshold"],
        Value::Null
    );

    // The same stale version again: someone else's change is not overwritten.
    let response = patch(&etag, &policy).await.expect("patch");
    assert_eq!(response.status(), StatusCode::PRECONDITION_FAILED);

    let fresh = owner
        .call(&app, Method::GET, "/v1/seller")
        .send()
        .await
        .expect("read");
    let etag = fresh.headers()["etag"].to_str().expect("etag").to_owned();
    for (field, value) in [("return_fee", "-1"), ("base_fee", "2500.5")] {
        let mut bad = policy.clone();
        bad["shipping_policy"][field] = json!(value);
        let response = patch(&etag, &bad).await.expect("patch");
        assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let problem: Value = response.json().await.expect("json");
        assert_eq!(problem["errors"][0]["field"], field);
    }
}

#[tokio::test]
async fn a_manager_reads_the_business_papers_but_not_the_bank_book_or_the_representative_s_id() {
    let app = TestApp::spawn(seller_api::SERVICE).await;
    let vendor = applying_vendor(&app, "Papers").await;
    let application = apply(&app, &vendor, "1248100998").await;
    let manager = staff::seller_staff(&app, "manager", vendor.seller_id, "manager").await;
    let manager = staff::log_in(&app, &manager, 0).await;
    for (document_type, manager_may, permission) in [
        ("business_registration", true, ""),
        ("bankbook", false, "seller.settlement_account.manage"),
        ("representative_id", false, "seller.identity_documents.read"),
    ] {
        let document = upload_document(&app, &vendor, application, document_type, PDF).await;
        let path = format!("/v1/documents/{document}/download-url");
        let (status, body) = post_json(&app, &manager, &path, Value::Null).await;
        if manager_may {
            assert_eq!(status, StatusCode::OK, "{document_type}: {body}");
        } else {
            assert_eq!(status, StatusCode::FORBIDDEN, "{document_type}: {body}");
            assert_eq!(body["code"], "permission_denied");
            assert_eq!(body["permission"], permission);
        }
        let (status, body) = post_json(&app, &vendor.owner, &path, Value::Null).await;
        assert_eq!(
            status,
            StatusCode::OK,
            "the owner reads {document_type}: {body}"
        );
    }
}

#[tokio::test]
async fn a_form_with_too_many_parts_or_a_repeated_one_is_refused_unread() {
    let app = TestApp::spawn(seller_api::SERVICE).await;
    let vendor = applying_vendor(&app, "Forms").await;
    let application = apply(&app, &vendor, "1248100998").await;
    let names: Vec<String> = (0..50).map(|i| format!("field{i}")).collect();
    let mut parts: Vec<Part<'_>> = names.iter().map(|name| Part::Text(name, "x")).collect();
    parts.push(Part::File("file", "b.pdf", PDF));
    let (status, body) = upload(&app, &vendor.owner, application, &parts).await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE, "{body}");
    assert_eq!(body["errors"][0]["field"], "form");
    assert_eq!(body["errors"][0]["code"], "too_many");

    let (status, body) = upload(
        &app,
        &vendor.owner,
        application,
        &[
            Part::Text("document_type", "bankbook"),
            Part::File("file", "a.pdf", PDF),
            Part::File("file", "b.pdf", PDF),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(body["errors"][0]["field"], "file");
    assert_eq!(body["errors"][0]["code"], "duplicate");
    let (_, listed) = get_json(
        &app,
        &vendor.owner,
        &format!("/v1/applications/{application}"),
    )
    .await;
    assert_eq!(listed["documents"], json!([]), "nothing stored: {listed}");
}
