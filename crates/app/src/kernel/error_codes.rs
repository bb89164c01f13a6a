//! Every stable code a client may receive, in one registry: the problem
//! codes (a problem's `code`, each with its HTTP status) and the field codes
//! (`errors[].code`, naming what is wrong with one field). A code is a word
//! programs branch on, so it never changes once published; `docs/API-DESIGN.md`
//! lists every one (checked by the web crate's tests).

macro_rules! registry {
    ($(#[$meta:meta])* $name:ident { $($variant:ident = ($word:literal, $meaning:literal)),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum $name {
            $($variant),+
        }

        impl $name {
            /// Every code, in registry order.
            pub const ALL: &'static [Self] = &[$(Self::$variant),+];

            /// The word on the wire.
            pub fn as_str(self) -> &'static str {
                match self {
                    $(Self::$variant => $word),+
                }
            }

            /// What the code tells a client.
            pub fn meaning(self) -> &'static str {
                match self {
                    $(Self::$variant => $meaning),+
                }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

registry! {
    /// A problem's `code`.
    ProblemCode {
        BadRequest = ("bad_request", "The request is malformed in a way no more specific code names."),
        MalformedJson = ("malformed_json", "The body is not well-formed JSON."),
        InvalidBody = ("invalid_body", "The JSON body does not have the expected shape (a missing or mistyped member; `errors` names it)."),
        InvalidQuery = ("invalid_query", "The query string does not have the expected shape (`errors` names the parameter)."),
        MalformedMultipart = ("malformed_multipart", "The multipart form cannot be read."),
        DeviceIdRequired = ("device_id_required", "`X-Device-Id` (a UUID) is missing or malformed; 401 on a route that needs a token, which the device binds."),
        IdempotencyKeyRequired = ("idempotency_key_required", "This POST moves money or stock and needs an `Idempotency-Key`."),
        Unauthorized = ("unauthorized", "Authentication is required or the credentials are not valid."),
        TokenRequired = ("token_required", "No bearer token was sent."),
        InvalidToken = ("invalid_token", "The access token (or a signed link's token) is missing, expired or not for this API."),
        InvalidRefreshToken = ("invalid_refresh_token", "The refresh token is unknown, expired, reused or revoked."),
        InvalidCredentials = ("invalid_credentials", "The email and password do not match an account."),
        InvalidMfaCode = ("invalid_mfa_code", "The second-factor code or recovery code is wrong."),
        MfaChallengeInvalid = ("mfa_challenge_invalid", "The login's second-factor challenge is unknown or expired; log in again."),
        InvalidSignature = ("invalid_signature", "A partner request's, webhook's or store notification's signature does not verify."),
        SessionRevoked = ("session_revoked", "The session was revoked (signed out, or a refresh token was reused); log in again."),
        RefreshTokenReused = ("refresh_token_reused", "A refresh token was used twice; the whole login is revoked."),
        InvalidState = ("invalid_state", "The sign-in's `state` is unknown, expired, or from another device."),
        InvalidGrant = ("invalid_grant", "The identity provider refused the sign-in code."),
        InvalidIdToken = ("invalid_id_token", "The identity provider's ID token does not verify."),
        InvalidSignupToken = ("invalid_signup_token", "The sign-up token is unknown, expired, or from another device."),
        InvalidLinkToken = ("invalid_link_token", "The SSO link token is unknown, used, expired or from another device."),
        InvalidApiKey = ("invalid_api_key", "The partner's API key is unknown, revoked or malformed."),
        StaleTimestamp = ("stale_timestamp", "The partner request's timestamp is too far from now."),
        InvalidNonce = ("invalid_nonce", "The partner request's nonce is malformed."),
        NonceReused = ("nonce_reused", "The partner request's nonce was already used."),
        PaymentDeclined = ("payment_declined", "The payment provider refused the payment; nothing was charged (`provider_code` says why)."),
        Forbidden = ("forbidden", "The caller may not do this."),
        InsufficientScope = ("insufficient_scope", "The token lacks the scope this route needs."),
        PermissionDenied = ("permission_denied", "The staff member's roles do not grant the permission this route needs (`permission` names it)."),
        AccessBeyondOwn = ("access_beyond_own", "Staff grant, take away or edit only permissions they hold, and act only on colleagues who hold no more than they do (`permission` names one the caller lacks)."),
        CannotChangeOwnAccess = ("cannot_change_own_access", "A staff member may not change their own roles, nor the permissions of a role they hold."),
        PermissionUndeclared = ("permission_undeclared", "The route declares no permission, so no one may call it."),
        AccountInactive = ("account_inactive", "The account is disabled, deleted or not yet active."),
        EmailNotVerified = ("email_not_verified", "The account's email address is not verified yet."),
        AdultVerificationRequired = ("adult_verification_required", "The product is for verified adults only."),
        MembersOnly = ("members_only", "Only signed-in shoppers may do this (not guests)."),
        NotYourDecision = ("not_your_decision", "A reviewer may not decide on an application they are party to."),
        NotYourPurchase = ("not_your_purchase", "The purchase or receipt belongs to another account."),
        OperationsOnly = ("operations_only", "Only operations staff may do this."),
        SellerOnly = ("seller_only", "Only vendor staff may do this."),
        StaffOnly = ("staff_only", "Only staff accounts may do this on this API."),
        SellerNotApproved = ("seller_not_approved", "The vendor is not approved to sell yet."),
        PaymentMethodDisabled = ("payment_method_disabled", "This payment method is not enabled here."),
        IpBlocked = ("ip_blocked", "Requests from this address are blocked."),
        NotFound = ("not_found", "No such resource, or not one the caller may see."),
        MethodNotAllowed = ("method_not_allowed", "The route exists but not with this method (`Allow` lists the methods)."),
        NotAcceptable = ("not_acceptable", "No representation matches `Accept`."),
        RequestTimeout = ("request_timeout", "The request took too long to arrive."),
        Conflict = ("conflict", "The change clashes with an existing record."),
        AlreadyReviewed = ("already_reviewed", "The shopper has already reviewed this product order."),
        ApplicationAlreadyOpen = ("application_already_open", "The vendor already has an application under review."),
        ApplicationClosed = ("application_closed", "The application was decided and can no longer change."),
        BusinessAlreadyRegistered = ("business_already_registered", "Another vendor already registered this business number."),
        CannotDisableSelf = ("cannot_disable_self", "A staff member may not disable their own account."),
        CannotResetOwnMfa = ("cannot_reset_own_mfa", "A staff member may not reset their own second factor."),
        LastAdministrator = ("last_administrator", "The last active holder of the administrator role keeps it, and their account; appoint another first."),
        CartFull = ("cart_full", "The cart holds as many lines as it may."),
        CategoryHasChildren = ("category_has_children", "A category with subcategories cannot be deleted."),
        ChargeNotPayable = ("charge_not_payable", "The wallet charge is not waiting for payment."),
        ClaimHeldBack = ("claim_held_back", "The vendor holds the claim back (a disputed return fee, an item not received back); it completes once released."),
        ClaimInProgress = ("claim_in_progress", "The order already has an open claim; it must end (complete, rejected or withdrawn) before another is made."),
        CouponCodeTaken = ("coupon_code_taken", "Another coupon already uses this code."),
        CouponLimitReached = ("coupon_limit_reached", "The coupon's issue limit is reached."),
        CouponNotUsable = ("coupon_not_usable", "The coupon is not held, expired, or already used."),
        CouponUnavailable = ("coupon_unavailable", "The coupon cannot be claimed now (not started, ended or not downloadable)."),
        DispatchDateAlreadySet = ("dispatch_date_already_set", "The vendor order's dispatch date was already declared, or its dispatch already delayed (each happens once)."),
        EmailAlreadyRegistered = ("email_already_registered", "An account already uses this email address."),
        IdempotencyKeyInUse = ("idempotency_key_in_use", "A request with this `Idempotency-Key` is still being processed."),
        InStock = ("in_stock", "The SKU is in stock: there is nothing to be alerted about."),
        InvalidClaimStep = ("invalid_claim_step", "The claim is not at a step this action can be taken from."),
        InvalidPayoutStep = ("invalid_payout_step", "The payout batch is not at a step this action can be taken from (approve a draft, export an approved one, record the bank's answer to an exported one)."),
        PayoutAccountMissing = ("payout_account_missing", "The vendor has no readable settlement account to transfer to."),
        InvalidFulfilmentStep = ("invalid_fulfilment_step", "A product order is not at a step this action can be taken from (already shipped, cancelled, or nothing waits for dispatch)."),
        InsufficientStock = ("insufficient_stock", "Not enough stock is on hand for this change."),
        InvalidApplicationTransition = ("invalid_application_transition", "The application cannot move to that status from where it is."),
        InvalidStatusChange = ("invalid_status_change", "The product cannot move to that status from where it is."),
        ItemsUnavailable = ("items_unavailable", "Some lines cannot be bought now (`items` lists them)."),
        MfaAlreadyEnrolled = ("mfa_already_enrolled", "The second factor is already set up."),
        NotReviewable = ("not_reviewable", "The product order cannot be reviewed (not confirmed, or not the caller's)."),
        NothingToPay = ("nothing_to_pay", "Points and cash cover the order: there is no payment to make."),
        OrderAlreadyPaid = ("order_already_paid", "The order is already paid."),
        OrderExpired = ("order_expired", "The order's stock hold ended before payment."),
        OrderNotCancellable = ("order_not_cancellable", "The order can no longer be cancelled."),
        OrderNotPaid = ("order_not_paid", "The order is not paid (or no longer is), so it cannot be refunded or fulfilled."),
        OrderNotPayable = ("order_not_payable", "The order is not waiting for payment."),
        PartnerNameTaken = ("partner_name_taken", "Another partner already has this name."),
        PaymentCancelled = ("payment_cancelled", "The payment was cancelled."),
        PaymentInProgress = ("payment_in_progress", "A payment for this order is still being confirmed."),
        PaymentNotPending = ("payment_not_pending", "The payment is not waiting for this step."),
        PhoneAlreadyRegistered = ("phone_already_registered", "An account already uses this phone number."),
        PricesChanged = ("prices_changed", "Prices changed since the quote (`changes` lists them); quote again."),
        PaymentKeyTaken = ("payment_key_taken", "The provider's payment key already pays another order."),
        ProductBanned = ("product_banned", "The product is banned by operations."),
        ProductNotBanned = ("product_not_banned", "The product is not banned, so there is nothing to lift."),
        ProductNotDraft = ("product_not_draft", "Only a draft product can do this."),
        ProviderAmountMismatch = ("provider_amount_mismatch", "The provider reports another amount than the order's."),
        PurchaseNotCompleted = ("purchase_not_completed", "The store has not completed the purchase."),
        ReceiptAlreadyUsed = ("receipt_already_used", "The store receipt was already credited."),
        RefundRefused = ("refund_refused", "The refund cannot be made (more than was paid, or not refundable)."),
        ReviewHidden = ("review_hidden", "The review is already hidden."),
        ReviewNotHidden = ("review_not_hidden", "The review is not hidden."),
        ShipmentNotWithdrawable = ("shipment_not_withdrawable", "The carrier has already scanned the parcel (or the shipment is delivered or withdrawn), so it cannot be withdrawn."),
        SsoLinkRequired = ("sso_link_required", "An account already uses the email the provider asserted: sign in with its password on the same device, then link the provider with `link.link_token` (`POST /v1/me/sso-links`)."),
        RoleNameTaken = ("role_name_taken", "Another role already has this name."),
        SellerAlreadyApproved = ("seller_already_approved", "The vendor is already approved."),
        SkuCodeTaken = ("sku_code_taken", "Another SKU of this vendor already uses this code."),
        SkuOptionsTaken = ("sku_options_taken", "Another SKU of the product already has these option values."),
        SlugTaken = ("slug_taken", "Another category or brand already uses this slug."),
        StockInsufficient = ("stock_insufficient", "Not enough stock for the quantity (`items` lists the lines)."),
        TooManyImages = ("too_many_images", "The product has as many images as it may."),
        TooManyPhotos = ("too_many_photos", "The review has as many photos as it may."),
        TrackingNumberInUse = ("tracking_number_in_use", "The carrier's tracking number is already in another live shipment."),
        LengthRequired = ("length_required", "The body needs a `Content-Length`."),
        PreconditionFailed = ("precondition_failed", "The resource changed since it was read; read it again and retry with the new `ETag`."),
        PayloadTooLarge = ("payload_too_large", "The body (or an uploaded file) is too large."),
        UriTooLong = ("uri_too_long", "The URI is too long."),
        UnsupportedMediaType = ("unsupported_media_type", "The body's `Content-Type` is not one this route reads."),
        MisdirectedRequest = ("misdirected_request", "This service does not serve that `Host`."),
        ValidationFailed = ("validation_failed", "The body breaks a rule; `errors` names each field and its field code."),
        PreconditionRequired = ("precondition_required", "This edit needs `If-Match` with the resource's `ETag`."),
        TooManyRequests = ("too_many_requests", "Too many requests; retry after `Retry-After` seconds."),
        TooManyAttempts = ("too_many_attempts", "Too many failed attempts; retry after `Retry-After` seconds."),
        TooManyOpenOrders = ("too_many_open_orders", "The shopper has too many unpaid orders; pay or cancel one first."),
        HeadersTooLarge = ("headers_too_large", "The request headers are too large."),
        InternalError = ("internal_error", "Something failed on our side; the cause is logged under the request id."),
        ServiceUnavailable = ("service_unavailable", "A dependency is down; retry later."),
        NotReady = ("not_ready", "The service cannot reach a dependency yet (`checks` says which)."),
    }
}

impl ProblemCode {
    /// The HTTP status every problem with this code answers with.
    pub fn status(self) -> u16 {
        match self {
            Self::BadRequest
            | Self::MalformedJson
            | Self::InvalidBody
            | Self::InvalidQuery
            | Self::MalformedMultipart
            | Self::DeviceIdRequired
            | Self::IdempotencyKeyRequired => 400,
            Self::Unauthorized
            | Self::TokenRequired
            | Self::InvalidToken
            | Self::InvalidRefreshToken
            | Self::InvalidCredentials
            | Self::InvalidMfaCode
            | Self::MfaChallengeInvalid
            | Self::InvalidSignature
            | Self::SessionRevoked
            | Self::RefreshTokenReused
            | Self::InvalidState
            | Self::InvalidGrant
            | Self::InvalidIdToken
            | Self::InvalidSignupToken
            | Self::InvalidLinkToken
            | Self::InvalidApiKey
            | Self::StaleTimestamp
            | Self::InvalidNonce
            | Self::NonceReused => 401,
            Self::PaymentDeclined => 402,
            Self::Forbidden
            | Self::InsufficientScope
            | Self::PermissionDenied
            | Self::AccessBeyondOwn
            | Self::CannotChangeOwnAccess
            | Self::PermissionUndeclared
            | Self::AccountInactive
            | Self::EmailNotVerified
            | Self::AdultVerificationRequired
            | Self::MembersOnly
            | Self::NotYourDecision
            | Self::NotYourPurchase
            | Self::OperationsOnly
            | Self::SellerOnly
            | Self::StaffOnly
            | Self::SellerNotApproved
            | Self::PaymentMethodDisabled
            | Self::IpBlocked => 403,
            Self::NotFound => 404,
            Self::MethodNotAllowed => 405,
            Self::NotAcceptable => 406,
            Self::RequestTimeout => 408,
            Self::Conflict
            | Self::AlreadyReviewed
            | Self::ApplicationAlreadyOpen
            | Self::ApplicationClosed
            | Self::BusinessAlreadyRegistered
            | Self::CannotDisableSelf
            | Self::CannotResetOwnMfa
            | Self::LastAdministrator
            | Self::CartFull
            | Self::CategoryHasChildren
            | Self::ChargeNotPayable
            | Self::ClaimHeldBack
            | Self::ClaimInProgress
            | Self::CouponCodeTaken
            | Self::CouponLimitReached
            | Self::CouponNotUsable
            | Self::CouponUnavailable
            | Self::DispatchDateAlreadySet
            | Self::EmailAlreadyRegistered
            | Self::IdempotencyKeyInUse
            | Self::InStock
            | Self::InvalidClaimStep
            | Self::InvalidPayoutStep
            | Self::PayoutAccountMissing
            | Self::InvalidFulfilmentStep
            | Self::InsufficientStock
            | Self::InvalidApplicationTransition
            | Self::InvalidStatusChange
            | Self::ItemsUnavailable
            | Self::MfaAlreadyEnrolled
            | Self::NotReviewable
            | Self::NothingToPay
            | Self::OrderAlreadyPaid
            | Self::OrderExpired
            | Self::OrderNotCancellable
            | Self::OrderNotPaid
            | Self::OrderNotPayable
            | Self::PartnerNameTaken
            | Self::PaymentCancelled
            | Self::PaymentInProgress
            | Self::PaymentNotPending
            | Self::PhoneAlreadyRegistered
            | Self::PricesChanged
            | Self::PaymentKeyTaken
            | Self::ProductBanned
            | Self::ProductNotBanned
            | Self::ProductNotDraft
            | Self::ProviderAmountMismatch
            | Self::PurchaseNotCompleted
            | Self::ReceiptAlreadyUsed
            | Self::RefundRefused
            | Self::ReviewHidden
            | Self::ReviewNotHidden
            | Self::ShipmentNotWithdrawable
            | Self::RoleNameTaken
            | Self::SsoLinkRequired
            | Self::SellerAlreadyApproved
            | Self::SkuCodeTaken
            | Self::SkuOptionsTaken
            | Self::SlugTaken
            | Self::StockInsufficient
            | Self::TooManyImages
            | Self::TooManyPhotos
            | Self::TrackingNumberInUse => 409,
            Self::LengthRequired => 411,
            Self::PreconditionFailed => 412,
            Self::PayloadTooLarge => 413,
            Self::UriTooLong => 414,
            Self::UnsupportedMediaType => 415,
            Self::MisdirectedRequest => 421,
            Self::ValidationFailed => 422,
            Self::PreconditionRequired => 428,
            Self::TooManyRequests | Self::TooManyAttempts | Self::TooManyOpenOrders => 429,
            Self::HeadersTooLarge => 431,
            Self::InternalError => 500,
            Self::ServiceUnavailable | Self::NotReady => 503,
        }
    }
}

registry! {
    /// A field error's `code` (inside a `validation_failed` problem, or a
    /// 400 naming the member or parameter at fault).
    FieldCode {
        Required = ("required", "The field is missing or empty."),
        Invalid = ("invalid", "The value cannot be read as the type the field needs."),
        InvalidFormat = ("invalid_format", "The value does not have the field's format."),
        InvalidValue = ("invalid_value", "The value is not one the field accepts."),
        InvalidLength = ("invalid_length", "The value is not of the required length."),
        TooLong = ("too_long", "The value is longer than the field allows."),
        TooLarge = ("too_large", "The value or file is larger than allowed."),
        TooMany = ("too_many", "The list holds more items than allowed."),
        TooDeep = ("too_deep", "The category would be nested deeper than allowed."),
        OutOfRange = ("out_of_range", "The number is outside the allowed range."),
        InThePast = ("in_the_past", "The date has already passed (in Korea)."),
        AfterDispatchDue = ("after_dispatch_due", "Later than the dispatch deadline: delay the dispatch, with a reason, instead."),
        NotLater = ("not_later", "The new date must be later than the current one."),
        Duplicate = ("duplicate", "The list names the same item twice."),
        Conflicting = ("conflicting", "The field contradicts another field."),
        Unchanged = ("unchanged", "The new value equals the current one."),
        NotAllowed = ("not_allowed", "The caller may not set this field or value."),
        ExactlyOneFactor = ("exactly_one_factor", "Give exactly one of the alternatives (a code or a recovery code)."),
        InvalidCode = ("invalid_code", "The verification code is wrong."),
        CodeExpired = ("code_expired", "The verification code has expired."),
        InvalidToken = ("invalid_token", "The emailed token is unknown, used or expired."),
        InvalidPassword = ("invalid_password", "The password is wrong, or breaks the password policy."),
        PasswordRecentlyUsed = ("password_recently_used", "The password was used recently."),
        InvalidMfaCode = ("invalid_mfa_code", "The second-factor code is wrong."),
        PhoneNotVerified = ("phone_not_verified", "The phone number was not verified first."),
        IdentityNotVerified = ("identity_not_verified", "The identity verification did not succeed."),
        SsoEmailRequired = ("sso_email_required", "The identity provider gave no email; send one."),
        InvalidBusinessRegistrationNo = ("invalid_business_registration_no", "The business registration number fails its check digit."),
        InvalidCursor = ("invalid_cursor", "The pagination cursor is not one we issued."),
        InvalidEncoding = ("invalid_encoding", "The text is not valid in its encoding."),
        UnsupportedNumber = ("unsupported_number", "The phone number is not one we can send to."),
        UnsupportedFileType = ("unsupported_file_type", "The file is not of an accepted type (recognised by its bytes)."),
        MalwareDetected = ("malware_detected", "The file failed the malware scan."),
        UnknownReference = ("unknown_reference", "The id names nothing the caller may use."),
        UnknownProduct = ("unknown_product", "No such product on sale."),
        UnknownCartItem = ("unknown_cart_item", "No such line in the cart."),
        UnknownPhoto = ("unknown_photo", "No such uploaded photo."),
        UnknownCode = ("unknown_code", "No coupon has this code."),
        UnknownPermission = ("unknown_permission", "No such permission."),
        UnknownRole = ("unknown_role", "No such role."),
        UnknownScope = ("unknown_scope", "No such partner scope."),
        OptionsMismatch = ("options_mismatch", "The option values do not match the product's options."),
        MaxPerOrder = ("max_per_order", "The quantity is more than one order may hold."),
        CartEmpty = ("cart_empty", "The cart (or the selection) is empty."),
        PointsInsufficient = ("points_insufficient", "The shopper has fewer points."),
        PointsExceedPayable = ("points_exceed_payable", "More points than the order leaves to pay."),
        CashInsufficient = ("cash_insufficient", "The shopper has less cash."),
        CashExceedsPayable = ("cash_exceeds_payable", "More cash than the order leaves to pay."),
        InvalidAmount = ("invalid_amount", "The amount is not a positive whole number of won within limits."),
        AmountMismatch = ("amount_mismatch", "The amount differs from the order's."),
        NotRefundable = ("not_refundable", "The cash is not refundable."),
        NotClaimable = ("not_claimable", "A product order is not at a step this kind of claim can be made from (a cancel before shipping, a return or exchange after delivery), or it is already claimed."),
        ClaimWindowClosed = ("claim_window_closed", "The time to ask for a return has passed (7 days after delivery for a change of mind, 3 months when the item is at fault)."),
        NotCreditable = ("not_creditable", "The product is not one that credits the wallet."),
        InvalidReceipt = ("invalid_receipt", "The store receipt does not verify."),
        InvalidNotification = ("invalid_notification", "The store notification cannot be read."),
        WrongApp = ("wrong_app", "The receipt is for another app."),
        WrongEnvironment = ("wrong_environment", "The receipt is from another store environment (sandbox or production)."),
        CouponNotFound = ("coupon_not_found", "The coupon is not one the shopper holds."),
        CouponNotUsable = ("coupon_not_usable", "The coupon is not available: used, expired or inactive."),
        CouponNotApplicable = ("coupon_not_applicable", "The coupon does not apply to this order (`message` says why)."),
        IdempotencyKeyReused = ("idempotency_key_reused", "The `Idempotency-Key` was already used with another body."),
        InvalidPrice = ("invalid_price", "The price is not a valid amount, or breaks the pricing rules."),
        PasswordTooWeak = ("password_too_weak", "The password is too short or mixes too few kinds of characters."),
        PasswordTooLong = ("password_too_long", "The password is longer than allowed."),
        PasswordTooCommon = ("password_too_common", "The password is among the most common ones."),
        PasswordContainsEmail = ("password_contains_email", "The password contains the account's email address."),
        InvalidOptions = ("invalid_options", "The options are malformed (empty names or values, or repeated ones)."),
        NotWholeUnits = ("not_whole_units", "The amount has a fraction of the currency's unit."),
        NoOverride = ("no_override", "The category has no commission override to end."),
    }
}

impl From<&domain::identity::password::PasswordRejection> for FieldCode {
    fn from(rejection: &domain::identity::password::PasswordRejection) -> Self {
        use domain::identity::password::PasswordRejection;
        match rejection {
            PasswordRejection::TooWeak { .. } => Self::PasswordTooWeak,
            PasswordRejection::TooLong { .. } => Self::PasswordTooLong,
            PasswordRejection::Common => Self::PasswordTooCommon,
            PasswordRejection::ContainsEmail => Self::PasswordContainsEmail,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use domain::identity::password::PasswordRejection;

    #[test]
    fn codes_are_distinct_snake_case_words() {
        let mut seen = std::collections::HashSet::new();
        for word in ProblemCode::ALL.iter().map(|c| c.as_str()) {
            assert!(
                word.bytes().all(|b| b.is_ascii_lowercase() || b == b'_'),
                "{word}"
            );
            assert!(seen.insert(word), "{word} twice");
        }
        let mut seen = std::collections::HashSet::new();
        for word in FieldCode::ALL.iter().map(|c| c.as_str()) {
            assert!(
                word.bytes().all(|b| b.is_ascii_lowercase() || b == b'_'),
                "{word}"
            );
            assert!(seen.insert(word), "{word} twice");
        }
    }

    #[test]
    fn every_problem_code_has_an_error_status() {
        for code in ProblemCode::ALL {
            assert!((400..600).contains(&code.status()), "{code}");
        }
    }

    #[test]
    fn password_rejections_keep_the_domain_words() {
        for rejection in [
            PasswordRejection::TooWeak {
                min_length: 10,
                min_classes: 2,
                short_min_length: 8,
                short_min_classes: 3,
            },
            PasswordRejection::TooLong { max_length: 128 },
            PasswordRejection::Common,
            PasswordRejection::ContainsEmail,
        ] {
            assert_eq!(FieldCode::from(&rejection).as_str(), rejection.code());
        }
    }
}
