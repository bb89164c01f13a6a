-- A vendor's shipping policy and approval time.
ALTER TABLE sellers
    ADD COLUMN currency                TEXT NOT NULL DEFAULT 'KRW' CONSTRAINT sellers_currency_format CHECK (currency ~ '^[A-Z]{3}$'),
    ADD COLUMN shipping_base_fee       NUMERIC(14, 2) NOT NULL DEFAULT 3000 CONSTRAINT sellers_shipping_base_fee_range CHECK (shipping_base_fee >= 0),
    -- NULL: shipping is never free.
    ADD COLUMN free_shipping_threshold NUMERIC(14, 2) CONSTRAINT sellers_free_shipping_threshold_range CHECK (free_shipping_threshold > 0),
    ADD COLUMN remote_area_surcharge   NUMERIC(14, 2) NOT NULL DEFAULT 3000 CONSTRAINT sellers_remote_area_surcharge_range CHECK (remote_area_surcharge >= 0),
    ADD COLUMN return_fee              NUMERIC(14, 2) NOT NULL DEFAULT 3000 CONSTRAINT sellers_return_fee_range CHECK (return_fee >= 0),
    ADD COLUMN approved_at             TIMESTAMPTZ;

-- The business behind a vendor (id = the vendor's), set by its application
-- and reviewed by operations. Contact data is sealed in the contact class,
-- the settlement account in the financial class.
CREATE TABLE seller_business_profiles (
    id                        UUID PRIMARY KEY REFERENCES sellers (id),
    company_name              TEXT NOT NULL CONSTRAINT seller_business_profiles_company_name_length CHECK (char_length(company_name) BETWEEN 1 AND 100),
    business_registration_no  TEXT NOT NULL CONSTRAINT seller_business_profiles_business_registration_no_format CHECK (business_registration_no ~ '^[0-9]{10}$'),
    representative_name       TEXT NOT NULL CONSTRAINT seller_business_profiles_representative_name_length CHECK (char_length(representative_name) BETWEEN 1 AND 50),
    contact_email             BYTEA NOT NULL,
    contact_phone             BYTEA NOT NULL,
    settlement_bank_code      TEXT NOT NULL CONSTRAINT seller_business_profiles_settlement_bank_code_format CHECK (settlement_bank_code ~ '^[0-9]{3}$'),
    settlement_account_number BYTEA NOT NULL,
    settlement_account_holder BYTEA NOT NULL,
    created_at                TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at                TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- One vendor per business.
CREATE UNIQUE INDEX seller_business_profiles_business_registration_no_key
    ON seller_business_profiles (business_registration_no);

CREATE TRIGGER seller_business_profiles_set_updated_at
    BEFORE UPDATE ON seller_business_profiles
    FOR EACH ROW EXECUTE FUNCTION set_updated_at();

-- One application per submission; at most one open (submitted or waiting
-- for documents) per vendor.
CREATE TABLE seller_applications (
    id           UUID PRIMARY KEY,
    seller_id    UUID NOT NULL REFERENCES sellers (id),
    status       TEXT NOT NULL
                 CONSTRAINT seller_applications_status_known CHECK (status IN ('submitted', 'documents_requested', 'approved', 'rejected')),
    -- The reviewer's reason (rejection) or request (documents).
    review_note  TEXT CONSTRAINT seller_applications_review_note_length CHECK (char_length(review_note) BETWEEN 1 AND 1000),
    submitted_by UUID NOT NULL REFERENCES staff_accounts (id),
    reviewed_by  UUID REFERENCES staff_accounts (id),
    reviewed_at  TIMESTAMPTZ,
    version      INTEGER NOT NULL DEFAULT 1,
    created_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
    CONSTRAINT seller_applications_decision_has_reason CHECK (status NOT IN ('rejected', 'documents_requested') OR review_note IS NOT NULL)
);

CREATE UNIQUE INDEX seller_applications_open_key ON seller_applications (seller_id)
    WHERE status IN ('submitted', 'documents_requested');
CREATE INDEX seller_applications_queue_idx ON seller_applications (created_at) WHERE status = 'submitted';

CREATE TRIGGER seller_applications_set_updated_at
    BEFORE UPDATE ON seller_applications
    FOR EACH ROW EXECUTE FUNCTION set_updated_at();

-- Every status an application went through, with who and why.
CREATE TABLE seller_application_events (
    id             BIGSERIAL PRIMARY KEY,
    application_id UUID NOT NULL REFERENCES seller_applications (id),
    status         TEXT NOT NULL,
    note           TEXT,
    actor_id       UUID REFERENCES staff_accounts (id),
    created_at     TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE INDEX seller_application_events_application_idx ON seller_application_events (application_id, id);

-- Documents in the private object store; the row holds where and what.
CREATE TABLE seller_documents (
    id             UUID PRIMARY KEY,
    seller_id      UUID NOT NULL REFERENCES sellers (id),
    application_id UUID NOT NULL REFERENCES seller_applications (id),
    document_type  TEXT NOT NULL
                   CONSTRAINT seller_documents_type_known CHECK (document_type IN ('business_registration', 'bankbook', 'representative_id', 'mail_order_report')),
    object_key     TEXT NOT NULL UNIQUE,
    content_type   TEXT NOT NULL
                   CONSTRAINT seller_documents_content_type_known CHECK (content_type IN ('application/pdf', 'image/jpeg', 'image/png')),
    size_bytes     INTEGER NOT NULL CONSTRAINT seller_documents_size_range CHECK (size_bytes BETWEEN 1 AND 10485760),
    sha256         BYTEA NOT NULL,
    scan_status    TEXT NOT NULL CONSTRAINT seller_documents_scan_status_known CHECK (scan_status IN ('clean', 'infected')),
    uploaded_by    UUID NOT NULL REFERENCES staff_accounts (id),
    created_at     TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at     TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE INDEX seller_documents_seller_idx ON seller_documents (seller_id, created_at);
CREATE INDEX seller_documents_application_idx ON seller_documents (application_id);

CREATE TRIGGER seller_documents_set_updated_at
    BEFORE UPDATE ON seller_documents
    FOR EACH ROW EXECUTE FUNCTION set_updated_at();
