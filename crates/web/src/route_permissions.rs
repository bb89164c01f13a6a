//! What each staff route requires, read from the service's OpenAPI document:
//! an operation's `bearer` security requirement lists the one permission it
//! needs (or none: any staff member of this API). The declaration that
//! documents a route is the one that guards it, and a route with none is
//! refused (fail closed).

use std::collections::HashMap;

use utoipa::openapi::OpenApi as Document;

/// `(scheme, METHOD, path template)` → what the operation lists for that
/// security scheme (`bearer`: staff permissions; `partner`: partner scopes).
#[derive(Debug, Default)]
pub struct RoutePermissions(HashMap<(String, String, String), Vec<String>>);

/// The security scheme of access tokens.
pub const BEARER: &str = "bearer";
/// The security scheme of signed partner requests.
pub const PARTNER: &str = "partner";

/// What a route needs of its caller.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Requirement<'a> {
    /// Any authenticated caller (staff member, partner) of this API.
    AnyCaller,
    Permission(&'a str),
}

impl RoutePermissions {
    pub fn from_document(document: &Document) -> Self {
        let mut table = HashMap::new();
        // `Paths` serialises as the map of path templates itself.
        let json = serde_json::to_value(&document.paths).unwrap_or_default();
        let Some(paths) = json.as_object() else {
            return Self(table);
        };
        for (path, item) in paths {
            let Some(operations) = item.as_object() else {
                continue;
            };
            for (method, operation) in operations {
                let requirements = operation
                    .get("security")
                    .and_then(|s| s.as_array())
                    .into_iter()
                    .flatten()
                    .filter_map(|requirement| requirement.as_object());
                for requirement in requirements {
                    for (scheme, scopes) in requirement {
                        let scopes = scopes
                            .as_array()
                            .into_iter()
                            .flatten()
                            .filter_map(|s| s.as_str().map(str::to_owned))
                            .collect();
                        table.insert(
                            (scheme.clone(), method.to_ascii_uppercase(), path.clone()),
                            scopes,
                        );
                    }
                }
            }
        }
        Self(table)
    }

    /// The requirement of `method` on `pattern` under `scheme`; `None` when
    /// the route declares no such security or more than one permission.
    pub fn lookup(&self, scheme: &str, method: &str, pattern: &str) -> Option<Requirement<'_>> {
        match self
            .0
            .get(&(scheme.to_owned(), method.to_owned(), pattern.to_owned()))?
            .as_slice()
        {
            [] => Some(Requirement::AnyCaller),
            [permission] => Some(Requirement::Permission(permission)),
            _ => None,
        }
    }
}
