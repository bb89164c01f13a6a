DROP TABLE security_audit_log;
DROP FUNCTION security_audit_log_append_only();
