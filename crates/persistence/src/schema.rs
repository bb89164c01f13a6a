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
    product_options (product_id, position) {
        name -> Text,
        position -> Int2,
        product_id -> Uuid,
        values -> Array<Nullable<Text>>,
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
    wishlist_items (user_id, product_id) {
        created_at -> Timestamptz,
        product_id -> Uuid,
        user_id -> Uuid,
    }
}

diesel::joinable!(admin_role_permissions -> admin_roles (role_id));
diesel::joinable!(admin_staff_roles -> admin_roles (role_id));
diesel::joinable!(admin_staff_roles -> staff_accounts (staff_id));
diesel::joinable!(email_verifications -> users (user_id));
diesel::joinable!(inventory_movements -> skus (sku_id));
diesel::joinable!(partner_keys -> partners (partner_id));
diesel::joinable!(password_history -> users (user_id));
diesel::joinable!(password_resets -> users (user_id));
diesel::joinable!(price_history -> skus (sku_id));
diesel::joinable!(price_history -> staff_accounts (changed_by));
diesel::joinable!(product_options -> products (product_id));
diesel::joinable!(product_stats -> products (product_id));
diesel::joinable!(product_view_days -> products (product_id));
diesel::joinable!(products -> brands (brand_id));
diesel::joinable!(products -> categories (category_id));
diesel::joinable!(products -> sellers (seller_id));
diesel::joinable!(restock_subscriptions -> skus (sku_id));
diesel::joinable!(restock_subscriptions -> users (user_id));
diesel::joinable!(schedule_ticks -> jobs (job_id));
diesel::joinable!(seller_application_events -> seller_applications (application_id));
diesel::joinable!(seller_application_events -> staff_accounts (actor_id));
diesel::joinable!(seller_applications -> sellers (seller_id));
diesel::joinable!(seller_business_profiles -> sellers (id));
diesel::joinable!(seller_documents -> seller_applications (application_id));
diesel::joinable!(seller_documents -> sellers (seller_id));
diesel::joinable!(seller_documents -> staff_accounts (uploaded_by));
diesel::joinable!(skus -> products (product_id));
diesel::joinable!(skus -> sellers (seller_id));
diesel::joinable!(sso_identities -> users (user_id));
diesel::joinable!(staff_accounts -> sellers (seller_id));
diesel::joinable!(staff_password_resets -> staff_accounts (staff_id));
diesel::joinable!(staff_recovery_codes -> staff_accounts (staff_id));
diesel::joinable!(wishlist_items -> products (product_id));
diesel::joinable!(wishlist_items -> users (user_id));

diesel::allow_tables_to_appear_in_same_query!(
    admin_role_permissions,
    admin_roles,
    admin_staff_roles,
    brands,
    categories,
    email_verifications,
    honeypot_hits,
    inventory_movements,
    jobs,
    login_attempts,
    partner_keys,
    partners,
    password_history,
    password_resets,
    price_history,
    product_options,
    product_stats,
    product_view_days,
    products,
    refresh_tokens,
    restock_subscriptions,
    schedule_ticks,
    security_audit_log,
    seller_application_events,
    seller_applications,
    seller_business_profiles,
    seller_documents,
    sellers,
    skus,
    sso_identities,
    staff_accounts,
    staff_password_resets,
    staff_recovery_codes,
    users,
    wishlist_items,
);
