-- A refresh keeps the scopes of the login it descends from.
ALTER TABLE refresh_tokens ADD COLUMN scopes TEXT NOT NULL DEFAULT '';
