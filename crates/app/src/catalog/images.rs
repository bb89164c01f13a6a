//! Pictures people upload (product images, review photos): a JPEG or PNG by
//! its bytes, at most 5 MB, through the scan hook.

use bytes::Bytes;
use domain::sellers::document::FileKind;

use crate::kernel::FieldCode;
use crate::sellers::documents::{ScanVerdict, scan};
use crate::{AppError, Context};

pub const MAX_IMAGE_BYTES: usize = 5 * 1024 * 1024;

/// The kind of an acceptable image, or the problem with `field`.
pub(crate) fn check(field: &'static str, bytes: &[u8]) -> Result<FileKind, AppError> {
    if bytes.is_empty() {
        return Err(AppError::invalid(
            field,
            FieldCode::Required,
            "the file is empty",
        ));
    }
    if bytes.len() > MAX_IMAGE_BYTES {
        return Err(AppError::invalid(
            field,
            FieldCode::TooLarge,
            "at most 5 MB",
        ));
    }
    let kind = match FileKind::sniff(bytes) {
        Some(kind @ (FileKind::Jpeg | FileKind::Png)) => kind,
        _ => {
            return Err(AppError::invalid(
                field,
                FieldCode::UnsupportedFileType,
                "a JPEG or PNG image",
            ));
        }
    };
    if scan(bytes) == ScanVerdict::Infected {
        return Err(AppError::invalid(
            field,
            FieldCode::MalwareDetected,
            "the file failed the virus scan",
        ));
    }
    Ok(kind)
}

/// Stores `bytes` under `key`, then runs `record` (given the size) to write
/// the row that names the object. If that fails the object is deleted
/// again, so nothing half-written is left behind.
pub(crate) async fn store<T>(
    context: &Context,
    key: &str,
    bytes: Bytes,
    record: impl AsyncFnOnce(i32) -> Result<T, AppError>,
) -> Result<T, AppError> {
    let size = i32::try_from(bytes.len()).map_err(AppError::internal)?;
    context.objects.put(key, bytes).await?;
    let recorded = record(size).await;
    if recorded.is_err()
        && let Err(cleanup) = context.objects.delete(key).await
    {
        tracing::warn!(%cleanup, key, "orphaned picture object");
    }
    recorded
}
