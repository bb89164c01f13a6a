#[test]
fn committed_openapi_document_is_current() {
    testkit::assert_openapi_committed(&seller_api::SERVICE);
}
