//! Every vocabulary the APIs document is the set of words the database
//! accepts in the column it shows (its `CHECK` constraint), so an OpenAPI
//! enum can neither miss a stored word nor offer one that cannot be stored.

use std::collections::BTreeSet;

use api_types::catalog::vocabulary::{ProductStatus, StockAdjustmentReason};
use api_types::claims::vocabulary::{
    CardRefundStatus, ClaimFault, ClaimKind, ClaimReason, ClaimStatus,
};
use api_types::fulfilment::vocabulary::{CarrierStatus, DelayKind, DelayReason, ShipmentStatus};
use api_types::identity::vocabulary::ShopperStatus;
use api_types::orders::vocabulary::{OrderStatus, ProductOrderStatus};
use api_types::partners::vocabulary::PartnerStatus;
use api_types::payments::vocabulary::{PaymentProvider, PaymentStatus};
use api_types::pricing::vocabulary::{CouponScope, DiscountKind, IssueMethod, PointEntryKind};
use api_types::sellers::vocabulary::{ApplicationStatus, DocumentType, SellerStatus};
use api_types::staff::vocabulary::{SellerRole, StaffStatus};
use api_types::wallet::vocabulary::{CashEntryKind, CashLotKind};
use testkit::TestDb;

/// The vocabulary is the column's whole set of words.
const EXACT: &[(&str, &[&str])] = &[
    ("purchase_orders_status_known", OrderStatus::VALUES),
    ("seller_orders_status_known", OrderStatus::VALUES),
    ("product_orders_status_known", ProductOrderStatus::VALUES),
    ("products_status_known", ProductStatus::VALUES),
    ("payments_status_known", PaymentStatus::VALUES),
    ("payments_provider_known", PaymentProvider::VALUES),
    ("cash_ledger_kind_known", CashEntryKind::VALUES),
    ("point_ledger_kind_known", PointEntryKind::VALUES),
    ("coupons_issue_method_known", IssueMethod::VALUES),
    ("coupons_discount_kind_known", DiscountKind::VALUES),
    ("coupons_scope_known", CouponScope::VALUES),
    ("users_status_known", ShopperStatus::VALUES),
    ("partners_status_known", PartnerStatus::VALUES),
    ("sellers_status_known", SellerStatus::VALUES),
    (
        "seller_applications_status_known",
        ApplicationStatus::VALUES,
    ),
    ("seller_documents_type_known", DocumentType::VALUES),
    ("staff_accounts_status_known", StaffStatus::VALUES),
    ("staff_accounts_seller_role_known", SellerRole::VALUES),
    ("shipments_status_known", ShipmentStatus::VALUES),
    ("tracking_events_status_known", CarrierStatus::VALUES),
    (
        "seller_orders_dispatch_delay_reason_known",
        DelayReason::VALUES,
    ),
    ("fulfilment_delays_kind_known", DelayKind::VALUES),
    ("claims_kind_known", ClaimKind::VALUES),
    ("claims_reason_known", ClaimReason::VALUES),
    ("claims_fault_known", ClaimFault::VALUES),
    ("claims_status_known", ClaimStatus::VALUES),
    ("claim_refunds_status_known", CardRefundStatus::VALUES),
];

/// The vocabulary is the part of the column's words a caller may name.
const PART: &[(&str, &[&str])] = &[
    (
        "inventory_movements_reason_known",
        StockAdjustmentReason::VALUES,
    ),
    ("cash_ledger_kind_known", CashLotKind::VALUES),
];

/// The quoted words of a constraint's `IN (...)` / `= ANY (ARRAY[...])`.
async fn accepted_words(db: &TestDb, constraint: &str) -> BTreeSet<String> {
    let definitions = db
        .query_text(&format!(
            "SELECT pg_get_constraintdef(oid) AS value FROM pg_constraint WHERE conname = '{constraint}'"
        ))
        .await;
    assert_eq!(
        definitions.len(),
        1,
        "constraint {constraint} not found once"
    );
    definitions[0]
        .split('\'')
        .skip(1)
        .step_by(2)
        .map(str::to_owned)
        .collect()
}

fn words(values: &[&str]) -> BTreeSet<String> {
    values.iter().map(|v| (*v).to_owned()).collect()
}

#[tokio::test]
async fn every_vocabulary_is_what_its_column_accepts() {
    let db = TestDb::new().await;
    for (constraint, values) in EXACT {
        assert_eq!(
            accepted_words(&db, constraint).await,
            words(values),
            "{constraint}"
        );
    }
    for (constraint, values) in PART {
        let accepted = accepted_words(&db, constraint).await;
        let offered = words(values);
        assert!(
            offered.is_subset(&accepted),
            "{constraint} refuses {:?}",
            offered.difference(&accepted).collect::<Vec<_>>()
        );
    }
}

#[test]
fn vocabularies_speak_the_domain_words() {
    let domain: Vec<&str> = domain::catalog::product::ProductStatus::ALL
        .iter()
        .map(|s| s.as_str())
        .collect();
    assert_eq!(domain, ProductStatus::VALUES);
    for word in StockAdjustmentReason::VALUES {
        assert!(
            domain::catalog::product::StockReason::manual(word).is_some(),
            "{word}"
        );
    }
    let words = |all: &[&'static str]| all.to_vec();
    assert_eq!(
        words(ClaimKind::VALUES),
        domain::claims::reasons::Kind::ALL.map(|k| k.as_str())
    );
    assert_eq!(
        words(ClaimReason::VALUES),
        domain::claims::reasons::Reason::ALL.map(|r| r.as_str())
    );
    assert_eq!(
        words(ClaimFault::VALUES),
        domain::claims::reasons::Fault::ALL.map(|f| f.as_str())
    );
    assert_eq!(
        words(ClaimStatus::VALUES),
        domain::claims::steps::Status::ALL.map(|s| s.as_str())
    );
    for word in ApplicationStatus::VALUES {
        assert!(
            domain::sellers::application::ApplicationStatus::parse(word).is_some(),
            "{word}"
        );
    }
}

#[test]
fn a_vocabulary_serialises_to_its_word_and_reads_it_back() {
    for (status, word) in ProductOrderStatus::ALL
        .iter()
        .zip(ProductOrderStatus::VALUES)
    {
        assert_eq!(status.as_str(), *word);
        assert_eq!(
            serde_json::to_value(status).ok(),
            Some(serde_json::json!(word))
        );
        assert_eq!(
            serde_json::from_value(serde_json::json!(word)).ok(),
            Some(*status)
        );
    }
    assert!(serde_json::from_str::<SellerRole>("\"admin\"").is_err());
}
