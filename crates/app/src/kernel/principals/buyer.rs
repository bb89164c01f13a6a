//! Who is buying: a member (an account) or a guest (a guest token).

use uuid::Uuid;

use crate::AppError;
use crate::kernel::ProblemCode;
use crate::kernel::principals::Principal;

/// The shopper behind a cart or an order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Buyer {
    Member(Uuid),
    /// The guest token's subject.
    Guest(String),
}

impl Buyer {
    /// The caller as a buyer: a `shopper` token is a member, a `guest` token
    /// a guest; anything else is refused.
    pub fn of(principal: &Principal) -> Result<Self, AppError> {
        if principal.claims.has_scope("shopper") {
            Uuid::parse_str(&principal.subject)
                .map(Self::Member)
                .map_err(|_| AppError::Unauthorized {
                    code: ProblemCode::InvalidToken,
                })
        } else if principal.claims.has_scope("guest") {
            Ok(Self::Guest(principal.subject.clone()))
        } else {
            Err(AppError::Forbidden {
                code: ProblemCode::InsufficientScope,
            })
        }
    }

    /// The key carts and orders are filed under.
    pub fn key(&self) -> String {
        match self {
            Self::Member(id) => id.to_string(),
            Self::Guest(subject) => subject.clone(),
        }
    }

    pub fn member_id(&self) -> Option<Uuid> {
        match self {
            Self::Member(id) => Some(*id),
            Self::Guest(_) => None,
        }
    }
}
