-- Tries on the decoy admin login pages. The password typed is never read.
CREATE TABLE honeypot_hits (
    id         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    ip         TEXT NOT NULL,
    user_agent TEXT NOT NULL,
    path       TEXT NOT NULL,
    username   TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE INDEX honeypot_hits_ip_idx ON honeypot_hits (ip, created_at);
