//! Token audiences, one per API surface.

use serde::{Deserialize, Serialize};

/// The `aud` a token is minted for; a service rejects every other audience.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Audience {
    /// Shoppers and guests (`service-api`).
    Service,
    /// Vendor staff (`seller-api`).
    Seller,
    /// Operations staff (`admin-api`).
    Admin,
    /// Partner platforms and provider callbacks (`external-api`).
    External,
}

impl Audience {
    pub const ALL: [Audience; 4] = [Self::Service, Self::Seller, Self::Admin, Self::External];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Service => "service",
            Self::Seller => "seller",
            Self::Admin => "admin",
            Self::External => "external",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serialises_as_its_claim_value() {
        for audience in Audience::ALL {
            let json = serde_json::to_string(&audience).unwrap();
            assert_eq!(json, format!("\"{}\"", audience.as_str()));
            assert_eq!(serde_json::from_str::<Audience>(&json).unwrap(), audience);
        }
    }
}
