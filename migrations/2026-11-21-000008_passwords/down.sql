DROP TABLE password_history;
DROP TABLE password_resets;
