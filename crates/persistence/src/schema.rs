// @generated automatically by Diesel CLI.

diesel::table! {
    admin_role_permissions (role_id, permission) {
        permission -> Text,
        role_id -> Uuid,
    }
}

diesel::table! {
    admin_roles (id) {
        created_at -> Timestamptz,
        description -> Text,
        id -> Uuid,
        name -> Text,
        updated_at -> Timestamptz,
        version -> Int4,
    }
}

diesel::table! {
    admin_staff_roles (staff_id, role_id) {
        role_id -> Uuid,
        staff_id -> Uuid,
    }
}

diesel::table! {
    brands (id) {
        created_at -> Timestamptz,
        id -> Int8,
        is_active -> Bool,
        name -> Text,
        slug -> Text,
        updated_at -> Timestamptz,
        version -> Int4,
    }
}

diesel::table! {
    cart_items (id) {
        cart_id -> Uuid,
        created_at -> Timestamptz,
        id -> Uuid,
        price_seen -> Numeric,
        quantity -> Int4,
        sku_id -> Uuid,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    carts (id) {
        created_at -> Timestamptz,
        id -> Uuid,
        owner -> Text,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    cash_ledger (id) {
        amount -> Numeric,
        created_at -> Timestamptz,
        expires_at -> Nullable<Timestamptz>,
        id -> Int8,
        kind -> Text,
        lot_id -> Nullable<Int8>,
        purchase_order_id -> Nullable<Uuid>,
        reason -> Text,
        source -> Nullable<Text>,
        user_id -> Uuid,
    }
}

diesel::table! {
    categories (id) {
        created_at -> Timestamptz,
        depth -> Int2,
        display_order -> Int4,
        id -> Int8,
        is_active -> Bool,
        name -> Text,
        parent_id -> Nullable<Int8>,
        slug -> Text,
        updated_at -> Timestamptz,
        version -> Int4,
    }
}

diesel::table! {
    claim_lines (claim_id, product_order_id) {
        claim_id -> Uuid,
        product_order_id -> Uuid,
        restocked -> Bool,
        seller_id -> Uuid,
        seller_order_id -> Uuid,
    }
}

diesel::table! {
    claim_refunds (id) {
        amount -> Numeric,
        claim_id -> Uuid,
        failure_code -> Nullable<Text>,
        failure_message -> Nullable<Text>,
        id -> Int8,
        payment_id -> Uuid,
        status -> Text,
        unanswered -> Int4,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    claims (id) {
        created_at -> Timestamptz,
        decision_note -> Nullable<Text>,
        exchange_fee -> Nullable<Numeric>,
        exchange_from_sku_id -> Nullable<Uuid>,
        exchange_price_difference -> Nullable<Numeric>,
        exchange_sku_id -> Nullable<Uuid>,
        executed_at -> Nullable<Timestamptz>,
        fault -> Text,
        fees_kept -> Numeric,
        held_back -> Bool,
        holdback_reason -> Nullable<Text>,
        id -> Uuid,
        kind -> Text,
        note -> Nullable<Text>,
        plan -> Jsonb,
        platform_coupon_released -> Numeric,
        platform_seller_funded_released -> Numeric,
        purchase_order_id -> Uuid,
        reason -> Text,
        received_at -> Nullable<Timestamptz>,
        refund_account -> Nullable<Bytea>,
        refund_cash -> Numeric,
        refund_due -> Nullable<Date>,
        refund_payable -> Numeric,
        refund_points -> Numeric,
        requested_by -> Text,
        seller_coupon_released -> Numeric,
        shipping_released -> Numeric,
        status -> Text,
        updated_at -> Timestamptz,
        user_id -> Nullable<Uuid>,
    }
}

diesel::table! {
    commission_rules (id) {
        category_id -> Nullable<Int8>,
        created_at -> Timestamptz,
        effective_from -> Timestamptz,
        effective_until -> Nullable<Timestamptz>,
        id -> Int8,
        payee_id -> Uuid,
        payee_kind -> Text,
        rate -> Numeric,
        reason -> Text,
        set_by -> Nullable<Uuid>,
        updated_at -> Timestamptz,
        vat_rate -> Numeric,
    }
}

diesel::table! {
    coupon_issues (id) {
        coupon_id -> Uuid,
        created_at -> Timestamptz,
        expires_at -> Timestamptz,
        id -> Uuid,
        purchase_order_id -> Nullable<Uuid>,
        state -> Text,
        updated_at -> Timestamptz,
        used_at -> Nullable<Timestamptz>,
        user_id -> Uuid,
    }
}

diesel::table! {
    coupons (id) {
        auto_trigger -> Nullable<Text>,
        code -> Nullable<Text>,
        created_at -> Timestamptz,
        created_by -> Nullable<Uuid>,
        discount_amount -> Nullable<Numeric>,
        discount_kind -> Text,
        discount_percent -> Nullable<Numeric>,
        excluded_product_ids -> Array<Nullable<Uuid>>,
        id -> Uuid,
        is_active -> Bool,
        issue_method -> Text,
        issued_count -> Int4,
        max_discount -> Nullable<Numeric>,
        min_purchase -> Numeric,
        name -> Text,
        per_user_limit -> Int4,
        scope -> Text,
        scope_category_ids -> Array<Nullable<Int8>>,
        scope_ids -> Array<Nullable<Uuid>>,
        seller_id -> Nullable<Uuid>,
        seller_share_percent -> Numeric,
        stacks_with_seller_coupons -> Bool,
        total_limit -> Nullable<Int4>,
        updated_at -> Timestamptz,
        usable_days -> Nullable<Int4>,
        valid_from -> Timestamptz,
        valid_until -> Timestamptz,
        version -> Int4,
    }
}

diesel::table! {
    email_verifications (id) {
        created_at -> Timestamptz,
        expires_at -> Timestamptz,
        id -> Uuid,
        new_email -> Nullable<Bytea>,
        new_email_index -> Nullable<Bytea>,
        purpose -> Text,
        used_at -> Nullable<Timestamptz>,
        user_id -> Uuid,
    }
}

diesel::table! {
    fulfilment_delays (id) {
        cleared_at -> Nullable<Timestamptz>,
        id -> Int8,
        kind -> Text,
        purchase_order_id -> Uuid,
        raised_at -> Timestamptz,
        seller_id -> Uuid,
        seller_order_id -> Uuid,
        shipment_id -> Nullable<Uuid>,
    }
}

diesel::table! {
    honeypot_hits (id) {
        created_at -> Timestamptz,
        id -> Int8,
        ip -> Text,
        path -> Text,
        user_agent -> Text,
        username -> Text,
    }
}

diesel::table! {
    idempotency_keys (scope, key) {
        claim -> Nullable<Uuid>,
        created_at -> Timestamptz,
        key -> Text,
        locked_at -> Timestamptz,
        request_hash -> Bytea,
        response_body -> Nullable<Jsonb>,
        response_status -> Nullable<Int4>,
        scope -> Text,
    }
}

diesel::table! {
    inventory_movements (id) {
        actor_id -> Nullable<Uuid>,
        created_at -> Timestamptz,
        delta -> Int4,
        id -> Int8,
        on_hand_after -> Int4,
        reason -> Text,
        reference -> Nullable<Text>,
        sku_id -> Uuid,
    }
}

diesel::table! {
    inventory_reservations (id) {
        created_at -> Timestamptz,
        expires_at -> Timestamptz,
        holder -> Text,
        id -> Uuid,
        purchase_order_id -> Uuid,
        quantity -> Int4,
        sku_id -> Uuid,
        state -> Text,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    jobs (id) {
        attempts -> Int4,
        created_at -> Timestamptz,
        finished_at -> Nullable<Timestamptz>,
        id -> Int8,
        kind -> Text,
        last_error -> Nullable<Text>,
        locked_by -> Nullable<Text>,
        locked_until -> Nullable<Timestamptz>,
        max_attempts -> Int4,
        payload -> Jsonb,
        queue -> Text,
        run_at -> Timestamptz,
        status -> Text,
        unique_key -> Nullable<Text>,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    journal_accounts (code) {
        code -> Text,
        name -> Text,
        normal_side -> Text,
        per_payee -> Bool,
    }
}

diesel::table! {
    journal_entries (id) {
        created_at -> Timestamptz,
        id -> Int8,
        kind -> Text,
        occurred_at -> Timestamptz,
        payee_id -> Uuid,
        payee_kind -> Text,
        payout_batch_id -> Nullable<Int8>,
        product_order_id -> Nullable<Uuid>,
        purchase_order_id -> Nullable<Uuid>,
        seller_order_id -> Nullable<Uuid>,
        source -> Text,
    }
}

diesel::table! {
    journal_lines (entry_id, line_no) {
        account -> Text,
        amount -> Numeric,
        entry_id -> Int8,
        line_no -> Int2,
        side -> Text,
    }
}

diesel::table! {
    login_attempts (id) {
        audience -> Text,
        created_at -> Timestamptz,
        email_index -> Nullable<Bytea>,
        id -> Int8,
        ip -> Text,
        outcome -> Text,
        user_agent -> Text,
    }
}

diesel::table! {
    partner_keys (id) {
        created_at -> Timestamptz,
        id -> Uuid,
        key_hash -> Bytea,
        partner_id -> Uuid,
        prefix -> Text,
        revoked_at -> Nullable<Timestamptz>,
        signing_secret -> Bytea,
    }
}

diesel::table! {
    partners (id) {
        created_at -> Timestamptz,
        id -> Uuid,
        name -> Text,
        rate_limit_per_minute -> Int4,
        scopes -> Array<Nullable<Text>>,
        status -> Text,
        updated_at -> Timestamptz,
        version -> Int4,
    }
}

diesel::table! {
    password_history (id) {
        created_at -> Timestamptz,
        id -> Int8,
        password_hash -> Text,
        user_id -> Uuid,
    }
}

diesel::table! {
    password_resets (id) {
        created_at -> Timestamptz,
        expires_at -> Timestamptz,
        id -> Uuid,
        used_at -> Nullable<Timestamptz>,
        user_id -> Uuid,
    }
}

diesel::table! {
    payees (payee_kind, payee_id) {
        created_at -> Timestamptz,
        cycle -> Text,
        held_at -> Nullable<Timestamptz>,
        held_reason -> Nullable<Text>,
        payee_id -> Uuid,
        payee_kind -> Text,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    payment_events (id) {
        answer -> Nullable<Jsonb>,
        created_at -> Timestamptz,
        id -> Int8,
        kind -> Text,
        outcome -> Text,
        payment_id -> Uuid,
    }
}

diesel::table! {
    payments (id) {
        amount -> Numeric,
        approved_at -> Nullable<Timestamptz>,
        buyer -> Text,
        cancelled_amount -> Numeric,
        created_at -> Timestamptz,
        currency -> Text,
        deposit_due_at -> Nullable<Timestamptz>,
        failure_code -> Nullable<Text>,
        failure_message -> Nullable<Text>,
        id -> Uuid,
        method -> Nullable<Text>,
        provider -> Text,
        provider_capture_id -> Nullable<Text>,
        provider_payment_id -> Nullable<Text>,
        purchase_order_id -> Nullable<Uuid>,
        status -> Text,
        updated_at -> Timestamptz,
        wallet_charge_id -> Nullable<Uuid>,
    }
}

diesel::table! {
    payout_batches (id) {
        amount -> Numeric,
        approved_at -> Nullable<Timestamptz>,
        approved_by -> Nullable<Uuid>,
        created_at -> Timestamptz,
        cut_off -> Timestamptz,
        exported_at -> Nullable<Timestamptz>,
        failures -> Int4,
        id -> Int8,
        last_failure -> Nullable<Text>,
        paid_at -> Nullable<Timestamptz>,
        payee_id -> Uuid,
        payee_kind -> Text,
        status -> Text,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    point_ledger (id) {
        amount -> Numeric,
        created_at -> Timestamptz,
        expires_at -> Nullable<Timestamptz>,
        id -> Int8,
        kind -> Text,
        lot_id -> Nullable<Int8>,
        purchase_order_id -> Nullable<Uuid>,
        reason -> Text,
        user_id -> Uuid,
    }
}

diesel::table! {
    price_history (id) {
        changed_by -> Nullable<Uuid>,
        created_at -> Timestamptz,
        id -> Int8,
        list_price -> Numeric,
        sale_ends_at -> Nullable<Timestamptz>,
        sale_price -> Nullable<Numeric>,
        sale_starts_at -> Nullable<Timestamptz>,
        sku_id -> Uuid,
    }
}

diesel::table! {
    product_images (id) {
        content_type -> Text,
        created_at -> Timestamptz,
        id -> Uuid,
        object_key -> Text,
        position -> Int2,
        product_id -> Uuid,
        size_bytes -> Int4,
    }
}

diesel::table! {
    product_options (product_id, position) {
        name -> Text,
        position -> Int2,
        product_id -> Uuid,
        values -> Array<Nullable<Text>>,
    }
}

diesel::table! {
    product_order_commissions (product_order_id) {
        product_order_id -> Uuid,
        rate -> Numeric,
        rule_id -> Int8,
        vat_rate -> Numeric,
    }
}

diesel::table! {
    product_orders (id) {
        accepted_at -> Nullable<Timestamptz>,
        cash -> Numeric,
        claim_id -> Nullable<Uuid>,
        confirmation_noticed_at -> Nullable<Timestamptz>,
        confirmed_at -> Nullable<Timestamptz>,
        created_at -> Timestamptz,
        delivered_at -> Nullable<Timestamptz>,
        id -> Uuid,
        list_amount -> Numeric,
        option_values -> Array<Nullable<Text>>,
        payable_amount -> Numeric,
        platform_coupon_applies -> Bool,
        platform_coupon_discount -> Numeric,
        platform_coupon_seller_funded -> Numeric,
        points -> Numeric,
        product_discount -> Numeric,
        product_id -> Uuid,
        product_name -> Text,
        purchase_order_id -> Uuid,
        quantity -> Int4,
        seller_coupon_applies -> Bool,
        seller_coupon_discount -> Numeric,
        seller_id -> Uuid,
        seller_order_id -> Uuid,
        shipment_id -> Nullable<Uuid>,
        shipped_at -> Nullable<Timestamptz>,
        sku_code -> Text,
        sku_id -> Uuid,
        status -> Text,
        unit_list_price -> Numeric,
        unit_price -> Numeric,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    product_stats (product_id) {
        in_stock -> Bool,
        like_count -> Int4,
        on_sale_now -> Bool,
        popularity -> Float8,
        price_now -> Nullable<Numeric>,
        product_id -> Uuid,
        rating_sum -> Int4,
        review_count -> Int4,
        thumbnail_key -> Nullable<Text>,
        updated_at -> Timestamptz,
        view_count -> Int8,
    }
}

diesel::table! {
    product_view_days (product_id, day) {
        day -> Date,
        product_id -> Uuid,
        views -> Int8,
    }
}

diesel::table! {
    products (id) {
        adult_only -> Bool,
        brand_id -> Nullable<Int8>,
        category_id -> Int8,
        created_at -> Timestamptz,
        description -> Text,
        id -> Uuid,
        max_per_order -> Nullable<Int4>,
        min_price -> Numeric,
        moderation_note -> Nullable<Text>,
        name -> Text,
        seller_id -> Uuid,
        status -> Text,
        updated_at -> Timestamptz,
        version -> Int4,
    }
}

diesel::table! {
    provider_events (provider, event_id) {
        event_id -> Text,
        kind -> Text,
        provider -> Text,
        received_at -> Timestamptz,
    }
}

diesel::table! {
    purchase_confirmations (product_order_id) {
        cash -> Numeric,
        commission_rate -> Numeric,
        commission_vat_rate -> Numeric,
        confirmed_at -> Timestamptz,
        confirmed_by -> Text,
        list_amount -> Numeric,
        payable_amount -> Numeric,
        platform_coupon_discount -> Numeric,
        platform_coupon_seller_funded -> Numeric,
        points -> Numeric,
        points_earned -> Numeric,
        points_lot_id -> Nullable<Int8>,
        product_discount -> Numeric,
        product_order_id -> Uuid,
        purchase_order_id -> Uuid,
        quantity -> Int4,
        seller_coupon_discount -> Numeric,
        seller_id -> Uuid,
        seller_order_id -> Uuid,
    }
}

diesel::table! {
    purchase_orders (id) {
        buyer -> Text,
        cancel_reason -> Nullable<Text>,
        cancelled_at -> Nullable<Timestamptz>,
        cash -> Numeric,
        created_at -> Timestamptz,
        currency -> Text,
        expires_at -> Timestamptz,
        id -> Uuid,
        list_amount -> Numeric,
        order_no -> Text,
        orderer_email -> Nullable<Bytea>,
        orderer_name -> Bytea,
        orderer_phone -> Bytea,
        orderer_phone_index -> Bytea,
        paid_at -> Nullable<Timestamptz>,
        payable_amount -> Numeric,
        payment_method -> Nullable<Text>,
        platform_coupon_discount -> Numeric,
        platform_coupon_issue_id -> Nullable<Uuid>,
        platform_coupon_seller_funded -> Numeric,
        points -> Numeric,
        postal_code -> Text,
        product_discount -> Numeric,
        recipient_name -> Bytea,
        recipient_phone -> Bytea,
        seller_coupon_discount -> Numeric,
        shipping_address -> Bytea,
        shipping_fee -> Numeric,
        status -> Text,
        updated_at -> Timestamptz,
        user_id -> Nullable<Uuid>,
        version -> Int4,
    }
}

diesel::table! {
    refresh_tokens (id) {
        audience -> Text,
        created_at -> Timestamptz,
        device_hash -> Text,
        expires_at -> Timestamptz,
        family_id -> Uuid,
        family_started_at -> Timestamptz,
        id -> Uuid,
        issued_at -> Timestamptz,
        rotated_at -> Nullable<Timestamptz>,
        scopes -> Text,
        session_id -> Text,
        state -> Text,
        subject -> Text,
        token_hash -> Bytea,
    }
}

diesel::table! {
    restock_subscriptions (user_id, sku_id) {
        created_at -> Timestamptz,
        notified_at -> Nullable<Timestamptz>,
        sku_id -> Uuid,
        user_id -> Uuid,
    }
}

diesel::table! {
    review_photos (id) {
        content_type -> Text,
        created_at -> Timestamptz,
        id -> Uuid,
        object_key -> Text,
        position -> Nullable<Int2>,
        review_id -> Nullable<Uuid>,
        size_bytes -> Int4,
        user_id -> Uuid,
    }
}

diesel::table! {
    reviews (id) {
        body -> Text,
        created_at -> Timestamptz,
        hidden_at -> Nullable<Timestamptz>,
        hidden_by -> Nullable<Uuid>,
        hidden_reason -> Nullable<Text>,
        id -> Uuid,
        option_values -> Array<Nullable<Text>>,
        product_id -> Uuid,
        product_order_id -> Uuid,
        rating -> Int2,
        replied_at -> Nullable<Timestamptz>,
        replied_by -> Nullable<Uuid>,
        seller_id -> Uuid,
        seller_reply -> Nullable<Text>,
        updated_at -> Timestamptz,
        user_id -> Uuid,
    }
}

diesel::table! {
    schedule_ticks (schedule, tick_at) {
        created_at -> Timestamptz,
        job_id -> Nullable<Int8>,
        schedule -> Text,
        tick_at -> Timestamptz,
    }
}

diesel::table! {
    security_audit_log (id) {
        action -> Text,
        actor_id -> Nullable<Text>,
        actor_kind -> Text,
        details -> Jsonb,
        hash -> Bytea,
        id -> Int8,
        ip -> Nullable<Text>,
        occurred_at -> Timestamptz,
        prev_hash -> Bytea,
        subject_id -> Nullable<Text>,
        subject_kind -> Nullable<Text>,
        user_agent -> Nullable<Text>,
    }
}

diesel::table! {
    seller_application_events (id) {
        actor_id -> Nullable<Uuid>,
        application_id -> Uuid,
        created_at -> Timestamptz,
        id -> Int8,
        note -> Nullable<Text>,
        status -> Text,
    }
}

diesel::table! {
    seller_applications (id) {
        created_at -> Timestamptz,
        id -> Uuid,
        review_note -> Nullable<Text>,
        reviewed_at -> Nullable<Timestamptz>,
        reviewed_by -> Nullable<Uuid>,
        seller_id -> Uuid,
        status -> Text,
        submitted_by -> Uuid,
        updated_at -> Timestamptz,
        version -> Int4,
    }
}

diesel::table! {
    seller_business_profiles (id) {
        business_registration_no -> Text,
        company_name -> Text,
        contact_email -> Bytea,
        contact_phone -> Bytea,
        created_at -> Timestamptz,
        id -> Uuid,
        representative_name -> Text,
        settlement_account_holder -> Bytea,
        settlement_account_number -> Bytea,
        settlement_bank_code -> Text,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    seller_documents (id) {
        application_id -> Uuid,
        content_type -> Text,
        created_at -> Timestamptz,
        document_type -> Text,
        id -> Uuid,
        object_key -> Text,
        scan_status -> Text,
        seller_id -> Uuid,
        sha256 -> Bytea,
        size_bytes -> Int4,
        updated_at -> Timestamptz,
        uploaded_by -> Uuid,
    }
}

diesel::table! {
    seller_orders (id) {
        claim_fees -> Numeric,
        claim_fees_cash -> Numeric,
        claim_fees_payable -> Numeric,
        claim_fees_points -> Numeric,
        created_at -> Timestamptz,
        dispatch_declared -> Nullable<Date>,
        dispatch_delay_note -> Nullable<Text>,
        dispatch_delay_reason -> Nullable<Text>,
        dispatch_delayed_to -> Nullable<Date>,
        dispatch_due -> Nullable<Date>,
        id -> Uuid,
        items_amount -> Numeric,
        purchase_order_id -> Uuid,
        seller_coupon_issue_id -> Nullable<Uuid>,
        seller_id -> Uuid,
        settlement_status -> Text,
        shipping_cash -> Numeric,
        shipping_fee -> Numeric,
        shipping_payable -> Numeric,
        shipping_points -> Numeric,
        status -> Text,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    sellers (id) {
        approved_at -> Nullable<Timestamptz>,
        created_at -> Timestamptz,
        currency -> Text,
        free_shipping_threshold -> Nullable<Numeric>,
        id -> Uuid,
        name -> Text,
        remote_area_surcharge -> Numeric,
        return_fee -> Numeric,
        shipping_base_fee -> Numeric,
        status -> Text,
        updated_at -> Timestamptz,
        version -> Int4,
    }
}

diesel::table! {
    shipments (id) {
        cancelled_at -> Nullable<Timestamptz>,
        carrier -> Text,
        carrier_delivered_at -> Nullable<Timestamptz>,
        carrier_first_scan_at -> Nullable<Timestamptz>,
        carrier_status -> Nullable<Text>,
        carrier_status_at -> Nullable<Timestamptz>,
        created_at -> Timestamptz,
        delivered_at -> Nullable<Timestamptz>,
        id -> Uuid,
        purchase_order_id -> Uuid,
        seller_id -> Uuid,
        seller_order_id -> Uuid,
        shipped_at -> Timestamptz,
        status -> Text,
        tracker_read_at -> Nullable<Timestamptz>,
        tracker_webhook_until -> Nullable<Timestamptz>,
        tracking_number -> Text,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    skus (id) {
        code -> Text,
        created_at -> Timestamptz,
        id -> Uuid,
        list_price -> Numeric,
        on_hand -> Int4,
        option_values -> Array<Nullable<Text>>,
        product_id -> Uuid,
        reserved -> Int4,
        sale_ends_at -> Nullable<Timestamptz>,
        sale_price -> Nullable<Numeric>,
        sale_starts_at -> Nullable<Timestamptz>,
        seller_id -> Uuid,
        updated_at -> Timestamptz,
        version -> Int4,
    }
}

diesel::table! {
    sso_identities (id) {
        created_at -> Timestamptz,
        id -> Uuid,
        provider -> Text,
        subject_index -> Bytea,
        user_id -> Uuid,
    }
}

diesel::table! {
    staff_accounts (id) {
        created_at -> Timestamptz,
        email -> Bytea,
        email_index -> Bytea,
        id -> Uuid,
        kind -> Text,
        link_sent_at -> Nullable<Timestamptz>,
        mfa_enabled_at -> Nullable<Timestamptz>,
        name -> Bytea,
        password_hash -> Nullable<Text>,
        seller_id -> Nullable<Uuid>,
        seller_role -> Nullable<Text>,
        status -> Text,
        totp_last_step -> Nullable<Int8>,
        totp_secret -> Nullable<Bytea>,
        updated_at -> Timestamptz,
        version -> Int4,
    }
}

diesel::table! {
    staff_password_resets (id) {
        created_at -> Timestamptz,
        expires_at -> Timestamptz,
        id -> Uuid,
        staff_id -> Uuid,
        used_at -> Nullable<Timestamptz>,
    }
}

diesel::table! {
    staff_recovery_codes (staff_id, code_hash) {
        code_hash -> Bytea,
        created_at -> Timestamptz,
        staff_id -> Uuid,
        used_at -> Nullable<Timestamptz>,
    }
}

diesel::table! {
    tracking_events (id) {
        carrier -> Text,
        description -> Text,
        id -> Int8,
        location -> Nullable<Text>,
        occurred_at -> Timestamptz,
        received_at -> Timestamptz,
        source -> Text,
        status -> Text,
        tracking_number -> Text,
    }
}

diesel::table! {
    users (id) {
        adult -> Bool,
        birth_date -> Nullable<Bytea>,
        created_at -> Timestamptz,
        email -> Bytea,
        email_index -> Bytea,
        email_verified_at -> Nullable<Timestamptz>,
        id -> Uuid,
        identity_ci_index -> Nullable<Bytea>,
        identity_verified_at -> Nullable<Timestamptz>,
        name -> Bytea,
        password_hash -> Nullable<Text>,
        phone -> Nullable<Bytea>,
        phone_index -> Nullable<Bytea>,
        status -> Text,
        updated_at -> Timestamptz,
        version -> Int4,
    }
}

diesel::table! {
    wallet_charges (id) {
        amount -> Numeric,
        created_at -> Timestamptz,
        credited_at -> Nullable<Timestamptz>,
        currency -> Text,
        id -> Uuid,
        status -> Text,
        user_id -> Uuid,
    }
}

diesel::table! {
    wallet_refund_lots (id) {
        amount -> Numeric,
        failure_code -> Nullable<Text>,
        failure_message -> Nullable<Text>,
        id -> Int8,
        lot_id -> Int8,
        payment_id -> Uuid,
        refund_id -> Uuid,
        status -> Text,
        unanswered -> Int4,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    wallet_refunds (id) {
        amount -> Numeric,
        created_at -> Timestamptz,
        id -> Uuid,
        refund_account -> Nullable<Bytea>,
        user_id -> Uuid,
    }
}

diesel::table! {
    wishlist_items (user_id, product_id) {
        created_at -> Timestamptz,
        product_id -> Uuid,
        user_id -> Uuid,
    }
}

diesel::joinable!(admin_role_permissions -> admin_roles (role_id));
diesel::joinable!(admin_staff_roles -> admin_roles (role_id));
diesel::joinable!(admin_staff_roles -> staff_accounts (staff_id));
diesel::joinable!(cart_items -> carts (cart_id));
diesel::joinable!(cart_items -> skus (sku_id));
diesel::joinable!(cash_ledger -> users (user_id));
diesel::joinable!(claim_lines -> claims (claim_id));
diesel::joinable!(claim_lines -> product_orders (product_order_id));
diesel::joinable!(claim_lines -> seller_orders (seller_order_id));
diesel::joinable!(claim_lines -> sellers (seller_id));
diesel::joinable!(claim_refunds -> claims (claim_id));
diesel::joinable!(claim_refunds -> payments (payment_id));
diesel::joinable!(claims -> purchase_orders (purchase_order_id));
diesel::joinable!(claims -> users (user_id));
diesel::joinable!(commission_rules -> categories (category_id));
diesel::joinable!(commission_rules -> staff_accounts (set_by));
diesel::joinable!(coupon_issues -> coupons (coupon_id));
diesel::joinable!(coupon_issues -> users (user_id));
diesel::joinable!(coupons -> sellers (seller_id));
diesel::joinable!(coupons -> staff_accounts (created_by));
diesel::joinable!(email_verifications -> users (user_id));
diesel::joinable!(fulfilment_delays -> purchase_orders (purchase_order_id));
diesel::joinable!(fulfilment_delays -> seller_orders (seller_order_id));
diesel::joinable!(fulfilment_delays -> sellers (seller_id));
diesel::joinable!(fulfilment_delays -> shipments (shipment_id));
diesel::joinable!(inventory_movements -> skus (sku_id));
diesel::joinable!(inventory_reservations -> purchase_orders (purchase_order_id));
diesel::joinable!(inventory_reservations -> skus (sku_id));
diesel::joinable!(journal_entries -> payout_batches (payout_batch_id));
diesel::joinable!(journal_entries -> product_orders (product_order_id));
diesel::joinable!(journal_entries -> purchase_orders (purchase_order_id));
diesel::joinable!(journal_entries -> seller_orders (seller_order_id));
diesel::joinable!(journal_lines -> journal_accounts (account));
diesel::joinable!(journal_lines -> journal_entries (entry_id));
diesel::joinable!(partner_keys -> partners (partner_id));
diesel::joinable!(password_history -> users (user_id));
diesel::joinable!(password_resets -> users (user_id));
diesel::joinable!(payment_events -> payments (payment_id));
diesel::joinable!(payments -> purchase_orders (purchase_order_id));
diesel::joinable!(payments -> wallet_charges (wallet_charge_id));
diesel::joinable!(payout_batches -> staff_accounts (approved_by));
diesel::joinable!(point_ledger -> users (user_id));
diesel::joinable!(price_history -> skus (sku_id));
diesel::joinable!(price_history -> staff_accounts (changed_by));
diesel::joinable!(product_images -> products (product_id));
diesel::joinable!(product_options -> products (product_id));
diesel::joinable!(product_order_commissions -> commission_rules (rule_id));
diesel::joinable!(product_order_commissions -> product_orders (product_order_id));
diesel::joinable!(product_orders -> claims (claim_id));
diesel::joinable!(product_orders -> products (product_id));
diesel::joinable!(product_orders -> purchase_orders (purchase_order_id));
diesel::joinable!(product_orders -> seller_orders (seller_order_id));
diesel::joinable!(product_orders -> sellers (seller_id));
diesel::joinable!(product_orders -> shipments (shipment_id));
diesel::joinable!(product_orders -> skus (sku_id));
diesel::joinable!(product_stats -> products (product_id));
diesel::joinable!(product_view_days -> products (product_id));
diesel::joinable!(products -> brands (brand_id));
diesel::joinable!(products -> categories (category_id));
diesel::joinable!(products -> sellers (seller_id));
diesel::joinable!(purchase_confirmations -> product_orders (product_order_id));
diesel::joinable!(purchase_confirmations -> purchase_orders (purchase_order_id));
diesel::joinable!(purchase_confirmations -> seller_orders (seller_order_id));
diesel::joinable!(purchase_confirmations -> sellers (seller_id));
diesel::joinable!(purchase_orders -> coupon_issues (platform_coupon_issue_id));
diesel::joinable!(purchase_orders -> users (user_id));
diesel::joinable!(restock_subscriptions -> skus (sku_id));
diesel::joinable!(restock_subscriptions -> users (user_id));
diesel::joinable!(review_photos -> reviews (review_id));
diesel::joinable!(review_photos -> users (user_id));
diesel::joinable!(reviews -> product_orders (product_order_id));
diesel::joinable!(reviews -> products (product_id));
diesel::joinable!(reviews -> sellers (seller_id));
diesel::joinable!(reviews -> users (user_id));
diesel::joinable!(schedule_ticks -> jobs (job_id));
diesel::joinable!(seller_application_events -> seller_applications (application_id));
diesel::joinable!(seller_application_events -> staff_accounts (actor_id));
diesel::joinable!(seller_applications -> sellers (seller_id));
diesel::joinable!(seller_business_profiles -> sellers (id));
diesel::joinable!(seller_documents -> seller_applications (application_id));
diesel::joinable!(seller_documents -> sellers (seller_id));
diesel::joinable!(seller_documents -> staff_accounts (uploaded_by));
diesel::joinable!(seller_orders -> coupon_issues (seller_coupon_issue_id));
diesel::joinable!(seller_orders -> purchase_orders (purchase_order_id));
diesel::joinable!(seller_orders -> sellers (seller_id));
diesel::joinable!(shipments -> purchase_orders (purchase_order_id));
diesel::joinable!(shipments -> seller_orders (seller_order_id));
diesel::joinable!(shipments -> sellers (seller_id));
diesel::joinable!(skus -> products (product_id));
diesel::joinable!(skus -> sellers (seller_id));
diesel::joinable!(sso_identities -> users (user_id));
diesel::joinable!(staff_accounts -> sellers (seller_id));
diesel::joinable!(staff_password_resets -> staff_accounts (staff_id));
diesel::joinable!(staff_recovery_codes -> staff_accounts (staff_id));
diesel::joinable!(wallet_charges -> users (user_id));
diesel::joinable!(wallet_refund_lots -> cash_ledger (lot_id));
diesel::joinable!(wallet_refund_lots -> payments (payment_id));
diesel::joinable!(wallet_refund_lots -> wallet_refunds (refund_id));
diesel::joinable!(wallet_refunds -> users (user_id));
diesel::joinable!(wishlist_items -> products (product_id));
diesel::joinable!(wishlist_items -> users (user_id));

diesel::allow_tables_to_appear_in_same_query!(
    admin_role_permissions,
    admin_roles,
    admin_staff_roles,
    brands,
    cart_items,
    carts,
    cash_ledger,
    categories,
    claim_lines,
    claim_refunds,
    claims,
    commission_rules,
    coupon_issues,
    coupons,
    email_verifications,
    fulfilment_delays,
    honeypot_hits,
    idempotency_keys,
    inventory_movements,
    inventory_reservations,
    jobs,
    journal_accounts,
    journal_entries,
    journal_lines,
    login_attempts,
    partner_keys,
    partners,
    password_history,
    password_resets,
    payees,
    payment_events,
    payments,
    payout_batches,
    point_ledger,
    price_history,
    product_images,
    product_options,
    product_order_commissions,
    product_orders,
    product_stats,
    product_view_days,
    products,
    provider_events,
    purchase_confirmations,
    purchase_orders,
    refresh_tokens,
    restock_subscriptions,
    review_photos,
    reviews,
    schedule_ticks,
    security_audit_log,
    seller_application_events,
    seller_applications,
    seller_business_profiles,
    seller_documents,
    seller_orders,
    sellers,
    shipments,
    skus,
    sso_identities,
    staff_accounts,
    staff_password_resets,
    staff_recovery_codes,
    tracking_events,
    users,
    wallet_charges,
    wallet_refund_lots,
    wallet_refunds,
    wishlist_items,
);
