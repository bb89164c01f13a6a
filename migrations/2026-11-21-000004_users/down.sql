DROP TABLE email_verifications;
DROP TABLE users;
