//! The documents a vendor proves itself with: stored privately in the
//! object store, read only through short-lived pre-signed URLs — by the
//! vendor itself, or by operations staff whose role grants that document
//! type, every issuance audited.

use bytes::Bytes;
use chrono::{DateTime, Utc};
use diesel_async::AsyncConnection;
use domain::sellers::application::ApplicationStatus;
pub use domain::sellers::document::MAX_DOCUMENT_BYTES;
use domain::sellers::document::{DocumentType, FileKind};
use domain::tenant::Tenant;
pub use persistence::sellers::vendors::DocumentRow;
use persistence::sellers::vendors::{self, NewDocument};
use serde_json::json;
use uuid::Uuid;

use crate::kernel::FieldCode;
use crate::kernel::ProblemCode;
use crate::kernel::audit::{self, AuditEvent};
use crate::kernel::principals::{self, StaffPrincipal};
use crate::{AppError, Context};

/// What the virus-scan hook decided.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ScanVerdict {
    Clean,
    Infected,
}

/// The EICAR test signature: every scanner reports it, so a deployment can
/// check its scanning path end to end with a harmless file.
const EICAR: &[u8] = b"X5O!P%@AP[4\\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*";

/// The scan hook every upload passes before it is stored. Recognises the
/// EICAR signature; a real scanner (clamd's INSTREAM) plugs in here.
pub fn scan(bytes: &[u8]) -> ScanVerdict {
    if bytes.windows(EICAR.len()).any(|w| w == EICAR) {
        ScanVerdict::Infected
    } else {
        ScanVerdict::Clean
    }
}

/// Stores a document for one of the caller's vendor's open applications.
pub async fn upload(
    context: &Context,
    caller: &StaffPrincipal,
    application_id: Uuid,
    document_type: &str,
    bytes: Bytes,
) -> Result<DocumentRow, AppError> {
    let seller_id = caller.own_seller_id()?;
    let document_type = DocumentType::parse(document_type).ok_or_else(|| {
        AppError::invalid(
            "document_type",
            FieldCode::InvalidValue,
            "one of business_registration, bankbook, representative_id, mail_order_report",
        )
    })?;
    if bytes.is_empty() {
        return Err(AppError::invalid(
            "file",
            FieldCode::Required,
            "the file is empty",
        ));
    }
    if bytes.len() > MAX_DOCUMENT_BYTES {
        return Err(AppError::invalid(
            "file",
            FieldCode::TooLarge,
            "at most 10 MB",
        ));
    }
    let kind = FileKind::sniff(&bytes).ok_or_else(|| {
        AppError::invalid(
            "file",
            FieldCode::UnsupportedFileType,
            "a PDF, JPEG or PNG file",
        )
    })?;
    if scan(&bytes) == ScanVerdict::Infected {
        return Err(AppError::invalid(
            "file",
            FieldCode::MalwareDetected,
            "the file failed the virus scan",
        ));
    }
    let mut conn = context.db.get().await?;
    // The application must exist, be the caller's and still take documents
    // before anything is stored.
    check_open(&mut conn, seller_id, application_id).await?;

    let id = Uuid::new_v4();
    let object_key = format!("sellers/{seller_id}/documents/{id}.{}", kind.extension());
    let digest = crypto::digest::sha256(&bytes);
    let size = i32::try_from(bytes.len()).map_err(AppError::internal)?;
    context.objects.put(&object_key, bytes).await?;
    let stored = conn
        .transaction(async |conn| {
            check_open(conn, seller_id, application_id).await?;
            vendors::insert_document(
                conn,
                NewDocument {
                    id,
                    seller_id,
                    application_id,
                    document_type: document_type.as_str(),
                    object_key: &object_key,
                    content_type: kind.content_type(),
                    size_bytes: size,
                    sha256: &digest,
                    scan_status: "clean",
                    uploaded_by: caller.id,
                },
            )
            .await?;
            audit::record(
                conn,
                &AuditEvent {
                    actor: caller.actor.clone(),
                    action: "seller.document_uploaded",
                    subject: Some(("seller_document", id.to_string())),
                    details: json!({ "type": document_type.as_str(), "bytes": size }),
                },
            )
            .await?;
            Ok::<_, AppError>(())
        })
        .await;
    if let Err(error) = stored {
        // Nothing half-written: the row did not commit, so the object goes.
        if let Err(cleanup) = context.objects.delete(&object_key).await {
            tracing::warn!(%cleanup, object_key, "orphaned document object");
        }
        return Err(error);
    }
    vendors::find_document(&mut conn, seller_id, id)
        .await?
        .ok_or_else(|| AppError::internal("stored document vanished"))
}

async fn check_open(
    conn: &mut persistence::AsyncPgConnection,
    seller_id: Uuid,
    application_id: Uuid,
) -> Result<(), AppError> {
    let application = vendors::lock_application(conn, Tenant::Seller(seller_id), application_id)
        .await?
        .ok_or(AppError::NotFound {
            resource: "application",
        })?;
    let open = ApplicationStatus::parse(&application.status).is_some_and(|s| s.accepts_documents());
    if !open {
        return Err(AppError::Conflict {
            code: ProblemCode::ApplicationClosed,
            message: "this application was decided and takes no more documents".into(),
        });
    }
    Ok(())
}

/// A pre-signed URL and when it stops working.
pub struct DownloadUrl {
    pub url: String,
    pub expires_at: DateTime<Utc>,
}

/// A download URL for one document of `seller_id`. Vendor staff reach only
/// their own vendor's; both they and operations staff need the read
/// permission of the document's type. Every issuance is audited.
pub async fn download_url(
    context: &Context,
    caller: &StaffPrincipal,
    seller_id: Uuid,
    document_id: Uuid,
) -> Result<DownloadUrl, AppError> {
    if caller
        .tenant()
        .seller_id()
        .is_some_and(|own| own != seller_id)
    {
        return Err(AppError::NotFound {
            resource: "document",
        });
    }
    let mut conn = context.db.get().await?;
    let document = vendors::find_document(&mut conn, seller_id, document_id)
        .await?
        .ok_or(AppError::NotFound {
            resource: "document",
        })?;
    let document_type = DocumentType::parse(&document.document_type).ok_or_else(|| {
        AppError::internal(format!("unknown document type {}", document.document_type))
    })?;
    let needed = match caller.tenant() {
        Tenant::Operations => document_type.read_permission(),
        Tenant::Seller(_) => document_type.vendor_read_permission(),
    };
    principals::require(&mut conn, caller, needed).await?;
    let issued_at = Utc::now();
    let url = context.objects.download_url(&document.object_key).await?;
    let ttl = chrono::Duration::from_std(context.objects.download_url_ttl())
        .map_err(AppError::internal)?;
    audit::record(
        &mut conn,
        &AuditEvent {
            actor: caller.actor.clone(),
            action: "seller.document_url_issued",
            subject: Some(("seller_document", document_id.to_string())),
            details: json!({
                "seller_id": seller_id,
                "type": document_type.as_str(),
                "expires_in_secs": ttl.num_seconds(),
            }),
        },
    )
    .await?;
    Ok(DownloadUrl {
        url: url.to_string(),
        expires_at: issued_at + ttl,
    })
}
