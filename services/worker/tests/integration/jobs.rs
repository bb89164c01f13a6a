//! Every context's jobs and schedules, as the worker composes them.
#![expect(clippy::unwrap_used, reason = "test helpers fail loudly")]

use std::collections::BTreeSet;

use app::kernel::background::Jobs;
use app::{
    catalog, claims, fulfilment, identity, maintenance, orders, payments, settlement, staff, wallet,
};
use jobs::{Job, ScheduleError};

fn context() -> app::Context {
    runtime::build_context(&testkit::test_settings(&[])).unwrap()
}

#[tokio::test]
async fn every_job_kind_has_its_handler_and_every_schedule_is_composed() {
    let (registry, schedules) = app::background::worker_parts(&context()).unwrap();
    for kind in [
        identity::accounts::SendEmailVerification::KIND,
        identity::passwords::SendPasswordReset::KIND,
        identity::email_change::SendEmailChange::KIND,
        staff::members::SendStaffLink::KIND,
        staff::passwords::SendStaffPasswordReset::KIND,
        catalog::restock_alerts::SendRestockAlerts::KIND,
        catalog::browse::RefreshSaleWindows::KIND,
        catalog::popularity::FlushProductViews::KIND,
        catalog::popularity::RecomputePopularity::KIND,
        catalog::reviews::PurgeUnattachedPhotos::KIND,
        orders::purchase_orders::OrderPaid::KIND,
        orders::purchase_orders::NewSellerOrder::KIND,
        orders::holds::ReleaseExpiredHolds::KIND,
        fulfilment::confirmation::ConfirmDuePurchases::KIND,
        fulfilment::confirmation::ConfirmationNotice::KIND,
        fulfilment::shipments::ShipmentShipped::KIND,
        fulfilment::dispatch::DispatchDelayed::KIND,
        fulfilment::delays::FlagDelays::KIND,
        fulfilment::delays::DelayFlagged::KIND,
        fulfilment::tracker::FollowParcel::KIND,
        fulfilment::tracker::ReadParcel::KIND,
        fulfilment::tracker::PollParcels::KIND,
        fulfilment::tracker::RenewWebhooks::KIND,
        payments::reconcile::ReconcilePayments::KIND,
        payments::reconcile::ExpirePendingPayments::KIND,
        wallet::refunds::ReconcileRefunds::KIND,
        claims::ReconcileClaimRefunds::KIND,
        claims::notices::ClaimNotice::KIND,
        settlement::payouts::SweepPayouts::KIND,
        maintenance::job_queue::PruneSucceededJobs::KIND,
        maintenance::rotation::ResealColumns::KIND,
        maintenance::rotation::ResealUsers::KIND,
    ] {
        assert!(registry.handles(kind), "no handler for {kind}");
    }
    let names: BTreeSet<&str> = schedules.iter().map(|s| s.name()).collect();
    assert_eq!(
        names,
        BTreeSet::from([
            "confirm-purchases",
            "expire-pending-payments",
            "flag-fulfilment-delays",
            "flush-product-views",
            "poll-parcels",
            "prune-succeeded-jobs",
            "purge-unattached-review-photos",
            "recompute-popularity",
            "reconcile-claim-refunds",
            "reconcile-payments",
            "reconcile-wallet-refunds",
            "refresh-sale-windows",
            "release-expired-orders",
            "renew-tracking-webhooks",
            "reseal-retired-keys",
            "sweep-payouts",
        ])
    );
}

#[tokio::test]
async fn a_schedule_whose_job_no_handler_runs_is_refused() {
    let mut jobs = Jobs::new(&context());
    jobs.every("orphan", "* * * * *", || orders::holds::ReleaseExpiredHolds);
    match jobs.into_parts() {
        Err(ScheduleError::Unhandled { name, kind }) => {
            assert_eq!((name.as_str(), kind), ("orphan", "orders.release_expired"));
        }
        Err(other) => panic!("refused for another reason: {other}"),
        Ok(_) => panic!("a schedule nothing runs was accepted"),
    }
}

#[tokio::test]
async fn an_invalid_cron_expression_is_refused() {
    let mut jobs = Jobs::new(&context());
    orders::jobs::register(&mut jobs);
    jobs.every("typo", "61 * * * *", || orders::holds::ReleaseExpiredHolds);
    assert!(matches!(
        jobs.into_parts(),
        Err(ScheduleError::InvalidCron { name, .. }) if name == "typo"
    ));
}
