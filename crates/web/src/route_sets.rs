//! Route sets seller-api and admin-api share, differing only by the
//! permission that guards them and the words that describe them. Each macro
//! writes the handlers into the calling module, where the service mounts
//! them and lists them in its OpenAPI document like its own.

/// Managing the caller's organisation's staff: list them (`read`), disable
/// one and reset one's second factor (`manage`). `list` and `disable` are
/// the descriptions of those two routes.
#[macro_export]
macro_rules! staff_management_routes {
    (read = $read:tt, manage = $manage:tt, list = $list:tt, disable = $disable:tt $(,)?) => {
        #[doc = $list]
        #[utoipa::path(get, path = "/v1/staff", tag = "staff",
            security(("bearer" = [$read])),
            responses((status = 200, body = ::api_types::staff::auth::StaffList),
                (status = 403, description = "`permission_denied`", body = ::web::ProblemDetails, content_type = "application/problem+json")))]
        #[::actix_web::get("/v1/staff")]
        pub async fn list_staff(
            state: ::actix_web::web::Data<::web::AppState>,
            caller: ::web::Staff,
        ) -> Result<::actix_web::HttpResponse, ::web::ApiError> {
            ::web::staff_auth::list_staff(&state, &caller).await
        }

        #[doc = $disable]
        #[utoipa::path(delete, path = "/v1/staff/{id}", tag = "staff",
            security(("bearer" = [$manage])),
            params(("id" = ::uuid::Uuid, Path, description = "Staff id")),
            responses((status = 204, description = "Disabled"),
                (status = 403, description = "`access_beyond_own`: the colleague holds a permission the caller lacks", body = ::web::ProblemDetails, content_type = "application/problem+json"),
                (status = 404, body = ::web::ProblemDetails, content_type = "application/problem+json"),
                (status = 409, description = "`cannot_disable_self`, `last_administrator`", body = ::web::ProblemDetails, content_type = "application/problem+json")))]
        #[::actix_web::delete("/v1/staff/{id}")]
        pub async fn disable(
            state: ::actix_web::web::Data<::web::AppState>,
            caller: ::web::Staff,
            id: ::actix_web::web::Path<::uuid::Uuid>,
        ) -> Result<::actix_web::HttpResponse, ::web::ApiError> {
            ::app::staff::members::disable(&state.context, &caller.0, id.into_inner()).await?;
            Ok(::actix_web::HttpResponse::NoContent().finish())
        }

        /// Removes a colleague's second factor (lost device and recovery codes):
        /// their sessions end and they enrol again at their next login.
        #[utoipa::path(post, path = "/v1/staff/{id}/mfa-reset", tag = "staff",
            security(("bearer" = [$manage])),
            params(("id" = ::uuid::Uuid, Path, description = "Staff id")),
            responses((status = 204, description = "Reset"),
                (status = 403, description = "`access_beyond_own`: the colleague holds a permission the caller lacks", body = ::web::ProblemDetails, content_type = "application/problem+json"),
                (status = 404, body = ::web::ProblemDetails, content_type = "application/problem+json"),
                (status = 409, description = "`cannot_reset_own_mfa`", body = ::web::ProblemDetails, content_type = "application/problem+json")))]
        #[::actix_web::post("/v1/staff/{id}/mfa-reset")]
        pub async fn reset_mfa(
            state: ::actix_web::web::Data<::web::AppState>,
            caller: ::web::Staff,
            id: ::actix_web::web::Path<::uuid::Uuid>,
        ) -> Result<::actix_web::HttpResponse, ::web::ApiError> {
            ::app::staff::members::reset_mfa(&state.context, &caller.0, id.into_inner()).await?;
            Ok(::actix_web::HttpResponse::NoContent().finish())
        }
    };
}

/// The caller's organisation's coupons: define one and list them, both
/// guarded by `permission`. `define` and `list` are the routes' descriptions.
#[macro_export]
macro_rules! coupon_routes {
    (permission = $permission:tt, define = $define:tt, list = $list:tt $(,)?) => {
        #[doc = $define]
        #[utoipa::path(post, path = "/v1/coupons", tag = "coupons",
            security(("bearer" = [$permission])),
            request_body = ::api_types::pricing::coupons::CouponBody,
            responses((status = 201, body = ::api_types::pricing::coupons::Coupon),
                (status = 409, description = "`coupon_code_taken`", body = ::web::ProblemDetails, content_type = "application/problem+json"),
                (status = 422, body = ::web::ProblemDetails, content_type = "application/problem+json")))]
        #[::actix_web::post("/v1/coupons")]
        pub async fn define_coupon(
            state: ::actix_web::web::Data<::web::AppState>,
            caller: ::web::Staff,
            body: ::actix_web::web::Json<::api_types::pricing::coupons::CouponBody>,
        ) -> Result<::actix_web::HttpResponse, ::web::ApiError> {
            ::web::coupon_handlers::define(&state, &caller, body.into_inner()).await
        }

        #[doc = $list]
        #[utoipa::path(get, path = "/v1/coupons", tag = "coupons",
            security(("bearer" = [$permission])),
            params(::api_types::pricing::coupons::CouponQuery),
            responses((status = 200, body = ::api_types::pricing::coupons::CouponPage)))]
        #[::actix_web::get("/v1/coupons")]
        pub async fn list_coupons(
            state: ::actix_web::web::Data<::web::AppState>,
            caller: ::web::Staff,
            query: ::actix_web::web::Query<::api_types::pricing::coupons::CouponQuery>,
        ) -> Result<::actix_web::HttpResponse, ::web::ApiError> {
            ::web::coupon_handlers::list(&state, &caller, query.into_inner()).await
        }
    };
}
