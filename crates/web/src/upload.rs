//! Reading a `multipart/form-data` upload: a few short text fields and one
//! file, streamed into memory up to a limit (never to disk).

use std::collections::HashMap;

use actix_multipart::{Multipart, MultipartError};
use actix_web::http::StatusCode;
use bytes::{Bytes, BytesMut};
use futures_util::StreamExt;

use crate::ApiError;
use app::FieldCode;
use app::ProblemCode;

/// The longest text field accepted beside the file.
const MAX_TEXT_FIELD_BYTES: usize = 1024;
/// The most parts a form may have: a file and a few fields. More is not a
/// form any route takes, only a way to make the service read.
const MAX_PARTS: usize = 8;

pub struct Upload {
    pub fields: HashMap<String, String>,
    /// The file part, if the form had one.
    pub file: Option<Bytes>,
}

impl Upload {
    /// A required text field.
    pub fn field(&self, name: &str) -> Result<&str, ApiError> {
        self.fields.get(name).map(String::as_str).ok_or_else(|| {
            ApiError::new(ProblemCode::ValidationFailed, "Invalid request").with_field(
                name,
                FieldCode::Required,
                "this form field is required",
            )
        })
    }

    /// The required file part.
    pub fn file(&self, name: &str) -> Result<Bytes, ApiError> {
        self.file.clone().ok_or_else(|| {
            ApiError::new(ProblemCode::ValidationFailed, "Invalid request").with_field(
                name,
                FieldCode::Required,
                "attach the file in this form field",
            )
        })
    }
}

fn malformed(error: &MultipartError) -> ApiError {
    match error {
        MultipartError::ContentTypeMissing
        | MultipartError::ContentTypeParse
        | MultipartError::ContentTypeIncompatible => {
            ApiError::from_status(StatusCode::UNSUPPORTED_MEDIA_TYPE)
                .with_detail("send multipart/form-data")
        }
        other => ApiError::new(ProblemCode::MalformedMultipart, "Malformed multipart body")
            .with_detail(other.to_string()),
    }
}

/// Reads the form: the part named `file_field` is the file (at most
/// `max_file_bytes`: 413 beyond), every other part a short text field; at
/// most `MAX_PARTS` parts (413), each name once (422). What the service
/// holds of one form is thus bounded by the file's limit and a few KiB,
/// whatever the proxy in front lets through.
pub async fn read(
    mut multipart: Multipart,
    file_field: &str,
    max_file_bytes: usize,
) -> Result<Upload, ApiError> {
    let mut upload = Upload {
        fields: HashMap::new(),
        file: None,
    };
    let mut parts = 0;
    while let Some(part) = multipart.next().await {
        let mut part = part.map_err(|e| malformed(&e))?;
        let name = part.name().unwrap_or_default().to_owned();
        parts += 1;
        if parts > MAX_PARTS {
            return Err(
                ApiError::from_status(StatusCode::PAYLOAD_TOO_LARGE).with_field(
                    "form",
                    FieldCode::TooMany,
                    format!("at most {MAX_PARTS} parts"),
                ),
            );
        }
        if upload.fields.contains_key(&name) || (name == file_field && upload.file.is_some()) {
            return Err(
                ApiError::new(ProblemCode::ValidationFailed, "Invalid request").with_field(
                    name,
                    FieldCode::Duplicate,
                    "each form field once",
                ),
            );
        }
        let limit = if name == file_field {
            max_file_bytes
        } else {
            MAX_TEXT_FIELD_BYTES
        };
        let mut buffer = BytesMut::new();
        while let Some(chunk) = part.next().await {
            let chunk = chunk.map_err(|e| malformed(&e))?;
            if buffer.len() + chunk.len() > limit {
                return Err(
                    ApiError::from_status(StatusCode::PAYLOAD_TOO_LARGE).with_field(
                        name,
                        FieldCode::TooLarge,
                        format!("at most {limit} bytes"),
                    ),
                );
            }
            buffer.extend_from_slice(&chunk);
        }
        if name == file_field {
            upload.file = Some(buffer.freeze());
        } else {
            let text = String::from_utf8(buffer.to_vec()).map_err(|_| {
                ApiError::new(ProblemCode::ValidationFailed, "Invalid request").with_field(
                    name.clone(),
                    FieldCode::InvalidEncoding,
                    "UTF-8 text expected",
                )
            })?;
            upload.fields.insert(name, text);
        }
    }
    Ok(upload)
}
