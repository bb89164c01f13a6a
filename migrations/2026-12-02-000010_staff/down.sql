DELETE FROM login_attempts WHERE outcome IN ('disabled', 'mfa_required');
ALTER TABLE login_attempts DROP CONSTRAINT login_attempts_outcome_known;
ALTER TABLE login_attempts ADD CONSTRAINT login_attempts_outcome_known
    CHECK (outcome IN ('succeeded', 'failed', 'throttled', 'not_verified'));
DROP TABLE admin_staff_roles;
DROP TABLE admin_role_permissions;
DROP TABLE admin_roles;
DROP TABLE staff_recovery_codes;
DROP TABLE staff_accounts;
DROP TABLE sellers;
