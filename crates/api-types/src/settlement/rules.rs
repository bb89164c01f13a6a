//! Commission rules as operations see and change them.

use app::settlement::RuleRow;
use app::settlement::commission::RateChange;
use chrono::{DateTime, Utc};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

/// One period of a vendor's rate (its base, or a category's override).
#[derive(Debug, Serialize, ToSchema)]
pub struct CommissionRule {
    pub id: i64,
    pub seller_id: Uuid,
    /// The category (and its subcategories) it applies to; absent for the
    /// vendor's base rate.
    pub category_id: Option<i64>,
    /// A fraction of the vendor's sales after its own discounts.
    #[schema(value_type = String, example = "0.12")]
    pub rate: Decimal,
    /// VAT on the commission, frozen with the rule.
    #[schema(value_type = String, example = "0.1")]
    pub vat_rate: Decimal,
    pub effective_from: DateTime<Utc>,
    /// Absent while it has no end.
    pub effective_until: Option<DateTime<Utc>>,
    /// The operations staff member who set it; absent for the first rate.
    pub set_by: Option<Uuid>,
    pub reason: String,
}

impl From<RuleRow> for CommissionRule {
    fn from(row: RuleRow) -> Self {
        Self {
            id: row.id,
            seller_id: row.payee_id,
            category_id: row.category_id,
            rate: row.rate.normalize(),
            vat_rate: row.vat_rate.normalize(),
            effective_from: row.effective_from,
            effective_until: row.effective_until,
            set_by: row.set_by,
            reason: row.reason,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CommissionRuleList {
    /// The base rate's periods first, then each category's; newest first.
    pub items: Vec<CommissionRule>,
}

impl CommissionRuleList {
    pub fn of(rows: Vec<RuleRow>) -> Self {
        Self {
            items: rows.into_iter().map(CommissionRule::from).collect(),
        }
    }
}

/// Whose rules to list.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CommissionRuleQuery {
    pub seller_id: Uuid,
    /// Only the periods in force now or scheduled (default `false`: every
    /// period, the past ones included).
    pub current: Option<bool>,
}

/// A change to a vendor's commission, from a moment not in the past.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CommissionRuleChange {
    pub seller_id: Uuid,
    /// Override the rate for this category and its subcategories; absent
    /// to change the base rate.
    pub category_id: Option<i64>,
    /// A fraction from 0 up to (not including) 1; `null` ends the
    /// category's override (the base rate applies again).
    #[schema(value_type = Option<String>, example = "0.12")]
    pub rate: Option<Decimal>,
    /// When it takes effect (default: now). Orders placed before keep the
    /// rate they were placed under.
    pub effective_from: Option<DateTime<Utc>>,
    /// Why (kept on the rule and in the audit log).
    pub reason: String,
}

impl From<CommissionRuleChange> for RateChange {
    fn from(body: CommissionRuleChange) -> Self {
        Self {
            seller_id: body.seller_id,
            category_id: body.category_id,
            rate: body.rate,
            effective_from: body.effective_from,
            reason: body.reason,
        }
    }
}
