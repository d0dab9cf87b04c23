-- Linked ATS accounts. Secrets (API keys, tokens, client secrets) are never stored here:
-- they live in the OS keychain under service "hirebridge", user = accounts.id.
CREATE TABLE accounts (
    id           TEXT PRIMARY KEY NOT NULL,
    vendor       TEXT NOT NULL CHECK (vendor IN ('smartrecruiters', 'lever', 'unberry')),
    label        TEXT NOT NULL UNIQUE,
    base_url     TEXT NOT NULL,
    auth_kind    TEXT NOT NULL CHECK (auth_kind IN ('api_key', 'oauth')),
    scopes       TEXT NOT NULL DEFAULT '',
    -- JSON {authorize_url, token_url, client_id} for OAuth accounts; never the client secret.
    oauth_config TEXT,
    status       TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'needs_relink')),
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL
);
