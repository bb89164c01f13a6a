// @generated automatically by Diesel CLI.

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
    schedule_ticks (schedule, tick_at) {
        created_at -> Timestamptz,
        job_id -> Nullable<Int8>,
        schedule -> Text,
        tick_at -> Timestamptz,
    }
}

diesel::table! {
    users (id) {
        created_at -> Timestamptz,
        email -> Bytea,
        email_index -> Bytea,
        email_verified_at -> Nullable<Timestamptz>,
        id -> Uuid,
        name -> Bytea,
        password_hash -> Nullable<Text>,
        phone -> Nullable<Bytea>,
        phone_index -> Nullable<Bytea>,
        status -> Text,
        updated_at -> Timestamptz,
        version -> Int4,
    }
}

diesel::joinable!(email_verifications -> users (user_id));
diesel::joinable!(password_history -> users (user_id));
diesel::joinable!(password_resets -> users (user_id));
diesel::joinable!(schedule_ticks -> jobs (job_id));

diesel::allow_tables_to_appear_in_same_query!(
    categories,
    email_verifications,
    honeypot_hits,
    jobs,
    login_attempts,
    password_history,
    password_resets,
    refresh_tokens,
    schedule_ticks,
    users,
);
