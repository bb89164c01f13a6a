//! Choosing product orders of a vendor order for a step: each named once,
//! each the vendor order's, each at a step the action may be taken from.

use std::collections::HashSet;

use domain::fulfilment::steps::{Action, Step};
use persistence::fulfilment::dispatch::LineRow;
use uuid::Uuid;

use crate::AppError;
use crate::kernel::{FieldCode, ProblemCode};

/// The lines `ids` names, checked for `action`.
pub(super) fn choose(
    lines: &[LineRow],
    ids: &[Uuid],
    action: Action,
) -> Result<Vec<Uuid>, AppError> {
    const FIELD: &str = "product_order_ids";
    if ids.is_empty() {
        return Err(AppError::invalid(
            FIELD,
            FieldCode::Required,
            "name at least one product order",
        ));
    }
    let unique: HashSet<&Uuid> = ids.iter().collect();
    if unique.len() != ids.len() {
        return Err(AppError::invalid(
            FIELD,
            FieldCode::Duplicate,
            "a product order is named twice",
        ));
    }
    let mut chosen = Vec::with_capacity(ids.len());
    for id in ids {
        let line = lines.iter().find(|line| line.id == *id).ok_or_else(|| {
            AppError::invalid(
                FIELD,
                FieldCode::UnknownReference,
                format!("{id} is not a product order of this vendor order"),
            )
        })?;
        let step = Step::parse(&line.status);
        if step.and_then(|step| step.after(action)).is_none() {
            return Err(AppError::Conflict {
                code: ProblemCode::InvalidFulfilmentStep,
                message: format!("product order {id} is {}", line.status),
            });
        }
        chosen.push(*id);
    }
    Ok(chosen)
}

/// A vendor order can be worked on only once paid (not before, and not
/// once cancelled or expired).
pub(super) fn require_paid(status: &str) -> Result<(), AppError> {
    if status == persistence::orders::purchase_orders::status::PAID {
        Ok(())
    } else {
        Err(AppError::Conflict {
            code: ProblemCode::OrderNotPaid,
            message: format!("the order is {status}"),
        })
    }
}
