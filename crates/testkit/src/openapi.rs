//! The OpenAPI drift check: the committed `docs/openapi/<service>.json` must
//! equal the document generated from the handlers.

/// Fails when the committed document differs from the generated one;
/// with `UPDATE_OPENAPI=1` it rewrites the file instead (`scripts/openapi`).
pub fn assert_openapi_committed(service: &web::Service) {
    let generated = web::openapi::document_json(service);
    let path = crate::env::repository_root()
        .join("docs/openapi")
        .join(format!("{}.json", service.name));
    if std::env::var_os("UPDATE_OPENAPI").is_some() {
        std::fs::write(&path, &generated).expect("write OpenAPI document");
        return;
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == generated,
        "{} is stale: run scripts/openapi and commit the result",
        path.display()
    );
}
