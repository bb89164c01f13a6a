DELETE FROM email_verifications WHERE purpose = 'email_change';
ALTER TABLE email_verifications
    DROP CONSTRAINT email_verifications_change_has_address,
    DROP COLUMN new_email_index,
    DROP COLUMN new_email;
