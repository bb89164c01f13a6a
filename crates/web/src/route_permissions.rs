//! What each staff route requires, read from the service's OpenAPI document:
//! an operation's `bearer` security requirement lists the one permission it
//! needs (or none: any staff member of this API). The declaration that
//! documents a route is the one that guards it, and a route with none is
//! refused (fail closed).

use std::collections::HashMap;

use utoipa::openapi::OpenApi as Document;

/// `(METHOD, path template)` → the permissions listed for `bearer`.
#[derive(Debug, Default)]
pub struct RoutePermissions(HashMap<(String, String), Vec<String>>);

/// What a route needs of a staff caller.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Requirement<'a> {
    /// Any active staff member of this API.
    AnyStaff,
    Permission(&'a str),
}

impl RoutePermissions {
    pub fn from_document(document: &Document) -> Self {
        let mut table = HashMap::new();
        let json = serde_json::to_value(&document.paths).unwrap_or_default();
        let Some(paths) = json
            .get("paths")
            .and_then(|p| p.as_object())
            .or(json.as_object())
        else {
            return Self(table);
        };
        for (path, item) in paths {
            let Some(operations) = item.as_object() else {
                continue;
            };
            for (method, operation) in operations {
                let scopes = operation
                    .get("security")
                    .and_then(|s| s.as_array())
                    .into_iter()
                    .flatten()
                    .filter_map(|requirement| requirement.get("bearer"))
                    .filter_map(|scopes| scopes.as_array())
                    .next();
                if let Some(scopes) = scopes {
                    let scopes = scopes
                        .iter()
                        .filter_map(|s| s.as_str().map(str::to_owned))
                        .collect();
                    table.insert((method.to_ascii_uppercase(), path.clone()), scopes);
                }
            }
        }
        Self(table)
    }

    /// The requirement of `method` on `pattern`; `None` when the route
    /// declares no bearer security or more than one permission.
    pub fn lookup(&self, method: &str, pattern: &str) -> Option<Requirement<'_>> {
        match self
            .0
            .get(&(method.to_owned(), pattern.to_owned()))?
            .as_slice()
        {
            [] => Some(Requirement::AnyStaff),
            [permission] => Some(Requirement::Permission(permission)),
            _ => None,
        }
    }
}
