//! What answers when no route matched: 405 with `Allow` when the path exists
//! under other methods (taken from the service's OpenAPI document), else 404.

use std::collections::HashMap;

use actix_web::http::StatusCode;
use actix_web::http::header::{ALLOW, HeaderValue};
use actix_web::{HttpRequest, HttpResponse, ResponseError, web};
use utoipa::openapi::OpenApi as Document;

use crate::ApiError;

/// Route template -> the methods it answers, e.g. `/v1/categories` -> `GET`.
#[derive(Debug, Default)]
pub struct AllowedMethods(HashMap<String, String>);

impl AllowedMethods {
    pub fn from_document(document: &Document) -> Self {
        let methods = document
            .paths
            .paths
            .iter()
            .map(|(path, item)| {
                let operations = [
                    ("GET", item.get.is_some()),
                    ("HEAD", item.get.is_some() || item.head.is_some()),
                    ("POST", item.post.is_some()),
                    ("PUT", item.put.is_some()),
                    ("PATCH", item.patch.is_some()),
                    ("DELETE", item.delete.is_some()),
                    ("OPTIONS", item.options.is_some()),
                ];
                let allowed: Vec<&str> = operations
                    .iter()
                    .filter(|(_, present)| *present)
                    .map(|(m, _)| *m)
                    .collect();
                (path.clone(), allowed.join(", "))
            })
            .collect();
        Self(methods)
    }
}

pub async fn no_route(request: HttpRequest, allowed: web::Data<AllowedMethods>) -> HttpResponse {
    let resource_map = request.resource_map();
    if !resource_map.has_resource(request.path()) {
        return ApiError::not_found().error_response();
    }
    let mut response = ApiError::from_status(StatusCode::METHOD_NOT_ALLOWED)
        .with_detail(format!("{} is not supported here", request.method()))
        .error_response();
    let methods = resource_map
        .match_pattern(request.path())
        .and_then(|pattern| allowed.0.get(&pattern).cloned());
    if let Some(value) = methods.and_then(|m| HeaderValue::from_str(&m).ok()) {
        response.headers_mut().insert(ALLOW, value);
    }
    response
}
