-- An email change waits, sealed, on its verification row until the link
-- sent to the new address is followed.
ALTER TABLE email_verifications
    ADD COLUMN new_email       BYTEA,
    ADD COLUMN new_email_index BYTEA,
    ADD CONSTRAINT email_verifications_change_has_address
        CHECK ((purpose = 'email_change') = (new_email IS NOT NULL AND new_email_index IS NOT NULL));
