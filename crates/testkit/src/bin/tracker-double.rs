//! The parcel-tracking double of the development stack: Delivery Tracker's
//! GraphQL protocol on a fixed port (see `testkit::doubles::DeliveryTracker`;
//! the credentials are `config/development.toml`'s). Parcels it has not
//! been told of are `NOT_FOUND`, as at the real service before a carrier
//! scans them.
//!
//! Usage: tracker-double PORT

#[tokio::main(flavor = "current_thread")]
async fn main() {
    testkit::doubles::serve(
        "tracker-double",
        "Parcel-tracking double",
        " (GraphQL at /graphql)",
        testkit::doubles::DeliveryTracker::start_on,
    )
    .await;
}
