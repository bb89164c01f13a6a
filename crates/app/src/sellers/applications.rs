//! A vendor applies (business profile, settlement account, shipping policy)
//! and operations review it: approve, reject with a reason, or ask for more
//! documents. Only an approved vendor lists products.

use chrono::{DateTime, Utc};
use crypto::Sealed;
use diesel_async::AsyncConnection;
use domain::money::Currency;
pub use domain::sellers::application::ApplicationAction;
use domain::sellers::application::{ApplicationStatus, needs_note};
use domain::sellers::business_registration::BusinessRegistrationNumber;
use domain::sellers::shipping::ShippingPolicy;
use domain::tenant::Tenant;
use persistence::StoreError;
use persistence::sellers::vendors::{self, BusinessProfile, seller_status};
pub use persistence::sellers::vendors::{ApplicationEventRow, ApplicationRow};
use serde_json::json;
use uuid::Uuid;

use crate::kernel::FieldCode;
use crate::kernel::ProblemCode;
use crate::kernel::audit::{self, AuditEvent};
use crate::kernel::principals::StaffPrincipal;
use crate::kernel::text_fields;
use crate::sellers::profile::{policy_row, shipping_policy};
use crate::{AppError, Context};

/// What a vendor applies with.
pub struct ApplicationInput {
    pub company_name: String,
    pub business_registration_no: String,
    pub representative_name: String,
    pub contact_email: String,
    pub contact_phone: String,
    pub settlement_bank_code: String,
    pub settlement_account_number: String,
    pub settlement_account_holder: String,
    pub shipping: ShippingPolicy,
}

fn profile_of(seller_id: Uuid, input: &ApplicationInput) -> Result<BusinessProfile, AppError> {
    let registration =
        BusinessRegistrationNumber::parse(&input.business_registration_no).map_err(|e| {
            AppError::invalid(
                "business_registration_no",
                FieldCode::InvalidBusinessRegistrationNo,
                e.to_string(),
            )
        })?;
    let email = crypto::normalize_email(&input.contact_email).map_err(|_| {
        AppError::invalid(
            "contact_email",
            FieldCode::InvalidFormat,
            "not a valid email address",
        )
    })?;
    let phone = crypto::normalize_phone(&input.contact_phone).map_err(|_| {
        AppError::invalid(
            "contact_phone",
            FieldCode::InvalidFormat,
            "not a valid phone number",
        )
    })?;
    let bank_code = input.settlement_bank_code.trim();
    if bank_code.len() != 3 || !bank_code.bytes().all(|b| b.is_ascii_digit()) {
        return Err(AppError::invalid(
            "settlement_bank_code",
            FieldCode::InvalidFormat,
            "the three-digit bank code",
        ));
    }
    let account = text_fields::bank_account_number(
        "settlement_account_number",
        &input.settlement_account_number,
    )?;
    Ok(BusinessProfile {
        id: seller_id,
        company_name: text_fields::required("company_name", &input.company_name, 100)?,
        business_registration_no: registration.as_str().to_owned(),
        representative_name: text_fields::required(
            "representative_name",
            &input.representative_name,
            50,
        )?,
        contact_email: Sealed::new(email),
        contact_phone: Sealed::new(phone),
        settlement_bank_code: bank_code.to_owned(),
        settlement_account_number: Sealed::new(account),
        settlement_account_holder: Sealed::new(text_fields::required(
            "settlement_account_holder",
            &input.settlement_account_holder,
            50,
        )?),
    })
}

/// The caller's vendor applies (again, after a rejection). Returns the new
/// application's id.
pub async fn submit(
    context: &Context,
    caller: &StaffPrincipal,
    input: ApplicationInput,
) -> Result<Uuid, AppError> {
    let seller_id = caller.own_seller_id()?;
    let profile = profile_of(seller_id, &input)?;
    let shipping = policy_row(shipping_policy(input.shipping, Currency::Krw)?);
    let id = Uuid::new_v4();
    let mut conn = context.db.get().await?;
    conn.transaction(async |conn| {
        match vendors::lock_status(conn, seller_id).await?.as_deref() {
            Some(seller_status::APPLYING | seller_status::REJECTED) => {}
            Some(_) => {
                return Err(AppError::Conflict {
                    code: ProblemCode::SellerAlreadyApproved,
                    message: "this vendor is already approved".into(),
                });
            }
            None => return Err(AppError::NotFound { resource: "seller" }),
        }
        vendors::set_profile(conn, profile, shipping)
            .await
            .map_err(|e| match e {
                StoreError::Conflict(_) => AppError::Conflict {
                    code: ProblemCode::BusinessAlreadyRegistered,
                    message: "another vendor is registered with this business registration number"
                        .into(),
                },
                other => other.into(),
            })?;
        vendors::insert_application(conn, id, seller_id, caller.id)
            .await
            .map_err(|e| match e {
                StoreError::Conflict(_) => AppError::Conflict {
                    code: ProblemCode::ApplicationAlreadyOpen,
                    message: "an application of this vendor is still under review".into(),
                },
                other => other.into(),
            })?;
        vendors::set_status(conn, seller_id, seller_status::APPLYING, None).await?;
        audit::record(
            conn,
            &AuditEvent {
                actor: caller.actor.clone(),
                action: "seller.application_submitted",
                subject: Some(("seller_application", id.to_string())),
                details: json!({ "seller_id": seller_id }),
            },
        )
        .await?;
        Ok::<_, AppError>(())
    })
    .await?;
    Ok(id)
}

/// An application with its history.
pub struct ApplicationDetail {
    pub application: ApplicationRow,
    pub history: Vec<vendors::ApplicationEventRow>,
    pub documents: Vec<vendors::DocumentRow>,
}

/// One application: a vendor reads only its own (`404` otherwise).
pub async fn detail(
    context: &Context,
    caller: &StaffPrincipal,
    id: Uuid,
) -> Result<ApplicationDetail, AppError> {
    let mut conn = context.db.get().await?;
    let tenant = caller.tenant();
    let application = conn
        .transaction(async |conn| {
            Ok::<_, AppError>(vendors::lock_application(conn, tenant, id).await?)
        })
        .await?
        .ok_or(AppError::NotFound {
            resource: "application",
        })?;
    let history = vendors::application_events(&mut conn, id).await?;
    let documents = vendors::documents_of(&mut conn, application.seller_id)
        .await?
        .into_iter()
        .filter(|d| d.application_id == id)
        .collect();
    Ok(ApplicationDetail {
        application,
        history,
        documents,
    })
}

/// The caller's vendor's applications, newest first.
pub async fn own(
    context: &Context,
    caller: &StaffPrincipal,
) -> Result<Vec<ApplicationRow>, AppError> {
    let seller_id = caller.own_seller_id()?;
    let mut conn = context.db.get().await?;
    Ok(vendors::applications_of(&mut conn, seller_id).await?)
}

/// One row of the review queue.
pub struct QueuedApplication {
    pub application: ApplicationRow,
    pub seller_name: String,
    pub company_name: Option<String>,
}

/// Applications in `status` (default: waiting for review), oldest first.
pub async fn queue(
    context: &Context,
    status: Option<&str>,
    limit: i64,
) -> Result<Vec<QueuedApplication>, AppError> {
    let status = match status {
        None => ApplicationStatus::Submitted,
        Some(s) => ApplicationStatus::parse(s).ok_or_else(|| {
            AppError::invalid(
                "status",
                FieldCode::InvalidValue,
                "one of submitted, documents_requested, approved, rejected",
            )
        })?,
    };
    let mut conn = context.db.get().await?;
    Ok(
        vendors::applications_in(&mut conn, status.as_str(), limit.clamp(1, 200))
            .await?
            .into_iter()
            .map(
                |(application, seller_name, company_name)| QueuedApplication {
                    application,
                    seller_name,
                    company_name,
                },
            )
            .collect(),
    )
}

/// Moves an application by `action` (a reviewer's decision, or the vendor
/// answering a request for documents), under lock, with its history and
/// audit entry; approval and rejection set the vendor's status with it.
pub async fn act(
    context: &Context,
    caller: &StaffPrincipal,
    id: Uuid,
    action: ApplicationAction,
    note: Option<String>,
) -> Result<ApplicationStatus, AppError> {
    let note = match note.as_deref().map(str::trim) {
        Some(n) if !n.is_empty() => Some(text_fields::required("reason", n, 1000)?),
        _ if needs_note(action) => {
            return Err(AppError::invalid(
                "reason",
                FieldCode::Required,
                "tell the vendor why",
            ));
        }
        _ => None,
    };
    let reviewing = action != ApplicationAction::Resubmit;
    let tenant = caller.tenant();
    if reviewing == matches!(tenant, Tenant::Seller(_)) {
        return Err(AppError::Forbidden {
            code: ProblemCode::NotYourDecision,
        });
    }
    let mut conn = context.db.get().await?;
    conn.transaction(async |conn| {
        let application =
            vendors::lock_application(conn, tenant, id)
                .await?
                .ok_or(AppError::NotFound {
                    resource: "application",
                })?;
        let current = ApplicationStatus::parse(&application.status)
            .ok_or_else(|| AppError::internal(format!("unknown status {}", application.status)))?;
        let next = current.after(action).ok_or_else(|| AppError::Conflict {
            code: ProblemCode::InvalidApplicationTransition,
            message: format!(
                "an application that is {} cannot be changed that way",
                current.as_str()
            ),
        })?;
        vendors::set_application_status(
            conn,
            id,
            next.as_str(),
            note.as_deref(),
            caller.id,
            reviewing,
        )
        .await?;
        let seller_change: Option<(&str, Option<DateTime<Utc>>)> = match next {
            ApplicationStatus::Approved => Some((seller_status::APPROVED, Some(Utc::now()))),
            ApplicationStatus::Rejected => Some((seller_status::REJECTED, None)),
            _ => None,
        };
        if let Some((status, approved_at)) = seller_change {
            vendors::set_status(conn, application.seller_id, status, approved_at).await?;
        }
        audit::record(
            conn,
            &AuditEvent {
                actor: caller.actor.clone(),
                action: "seller.application_reviewed",
                subject: Some(("seller_application", id.to_string())),
                details: json!({
                    "seller_id": application.seller_id,
                    "from": current.as_str(),
                    "to": next.as_str(),
                }),
            },
        )
        .await?;
        Ok(next)
    })
    .await
}

/// What a reviewer sees: the application, the vendor and its business.
pub struct ReviewDetail {
    pub detail: ApplicationDetail,
    pub seller: vendors::SellerRow,
    pub business: Option<vendors::BusinessProfileRow>,
}

/// One application for review; reading the vendor's contact and account
/// details is audited.
pub async fn review_detail(
    context: &Context,
    caller: &StaffPrincipal,
    id: Uuid,
) -> Result<ReviewDetail, AppError> {
    let detail = detail(context, caller, id).await?;
    let mut conn = context.db.get().await?;
    let (seller, business) = vendors::find(&mut conn, detail.application.seller_id)
        .await?
        .ok_or(AppError::NotFound { resource: "seller" })?;
    audit::record(
        &mut conn,
        &AuditEvent {
            actor: caller.actor.clone(),
            action: "personal_data.read",
            subject: Some(("seller", seller.id.to_string())),
            details: json!({
                "fields": ["contact_email", "contact_phone", "settlement_account_holder"],
                "application_id": id,
            }),
        },
    )
    .await?;
    Ok(ReviewDetail {
        detail,
        seller,
        business,
    })
}
