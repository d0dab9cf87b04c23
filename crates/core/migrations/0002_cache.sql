-- Local cache of unified records, one table per resource, keyed (account_id, remote_id).
-- Every table cascades from accounts, so unlinking an account removes its cached data.
-- Times are integers (ms since the Unix epoch, UTC): compact, and they sort as numbers.
-- `record` is the unified record as JSON; `remote_data` the vendor's own object as JSON.
-- `seen_run` is the id of the last sync run that saw the row: a full run sweeps rows it did not see.

CREATE TABLE cached_candidates (
    -- An integer key of our own: the FTS5 index points at it (external content needs a stable rowid).
    id                INTEGER PRIMARY KEY,
    account_id        TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    remote_id         TEXT NOT NULL,
    vendor            TEXT NOT NULL,
    first_name        TEXT NOT NULL DEFAULT '',
    last_name         TEXT NOT NULL DEFAULT '',
    -- Searchable text, one column per FTS5 column (same names).
    name              TEXT NOT NULL DEFAULT '',
    emails            TEXT NOT NULL DEFAULT '',
    phones            TEXT NOT NULL DEFAULT '',
    company           TEXT NOT NULL DEFAULT '',
    title             TEXT NOT NULL DEFAULT '',
    tags              TEXT NOT NULL DEFAULT '',
    resume            TEXT NOT NULL DEFAULT '',
    -- Lower-case, diacritics removed: "first last" and "last first", for sorting and for
    -- search-as-you-type on the first keystrokes (served by the indexes below, not by FTS5).
    name_key          TEXT NOT NULL DEFAULT '',
    last_name_key     TEXT NOT NULL DEFAULT '',
    primary_email     TEXT,
    -- JSON [[kind, value], ...] of normalized emails, phones and LinkedIn URLs; triggers keep
    -- candidate_identities in step with it.
    identities        TEXT NOT NULL DEFAULT '[]',
    created_at        INTEGER,
    updated_at        INTEGER,
    -- Set when the full record was fetched (vendors whose list objects are partial).
    detail_fetched_at INTEGER,
    record            TEXT NOT NULL,
    remote_data       TEXT,
    seen_run          TEXT,
    UNIQUE (account_id, remote_id)
);
CREATE INDEX cached_candidates_name_key ON cached_candidates (name_key, id);
CREATE INDEX cached_candidates_last_name_key ON cached_candidates (last_name_key, id);
CREATE INDEX cached_candidates_updated ON cached_candidates (updated_at, id);
CREATE INDEX cached_candidates_account_name ON cached_candidates (account_id, name_key, id);
CREATE INDEX cached_candidates_account_updated ON cached_candidates (account_id, updated_at, id);

CREATE VIRTUAL TABLE candidates_fts USING fts5(
    name, emails, phones, company, title, tags, resume,
    content = 'cached_candidates',
    content_rowid = 'id',
    tokenize = 'unicode61 remove_diacritics 2',
    prefix = '2 3'
);

CREATE TRIGGER cached_candidates_fts_insert AFTER INSERT ON cached_candidates BEGIN
    INSERT INTO candidates_fts (rowid, name, emails, phones, company, title, tags, resume)
    VALUES (new.id, new.name, new.emails, new.phones, new.company, new.title, new.tags, new.resume);
END;

CREATE TRIGGER cached_candidates_fts_delete AFTER DELETE ON cached_candidates BEGIN
    INSERT INTO candidates_fts (candidates_fts, rowid, name, emails, phones, company, title, tags, resume)
    VALUES ('delete', old.id, old.name, old.emails, old.phones, old.company, old.title, old.tags, old.resume);
END;

-- Re-index only when searchable text really changed: a resync rewrites every row it sees.
CREATE TRIGGER cached_candidates_fts_update
AFTER UPDATE OF name, emails, phones, company, title, tags, resume ON cached_candidates
WHEN old.name IS NOT new.name OR old.emails IS NOT new.emails OR old.phones IS NOT new.phones
  OR old.company IS NOT new.company OR old.title IS NOT new.title OR old.tags IS NOT new.tags
  OR old.resume IS NOT new.resume
BEGIN
    INSERT INTO candidates_fts (candidates_fts, rowid, name, emails, phones, company, title, tags, resume)
    VALUES ('delete', old.id, old.name, old.emails, old.phones, old.company, old.title, old.tags, old.resume);
    INSERT INTO candidates_fts (rowid, name, emails, phones, company, title, tags, resume)
    VALUES (new.id, new.name, new.emails, new.phones, new.company, new.title, new.tags, new.resume);
END;

-- Normalized contact points for duplicate lookup across all accounts.
CREATE TABLE candidate_identities (
    candidate_id INTEGER NOT NULL REFERENCES cached_candidates(id) ON DELETE CASCADE,
    kind         TEXT NOT NULL CHECK (kind IN ('email', 'phone', 'linkedin')),
    value        TEXT NOT NULL,
    PRIMARY KEY (kind, value, candidate_id)
) WITHOUT ROWID;
CREATE INDEX candidate_identities_candidate ON candidate_identities (candidate_id);

CREATE TRIGGER cached_candidates_identities_insert AFTER INSERT ON cached_candidates BEGIN
    INSERT OR IGNORE INTO candidate_identities (candidate_id, kind, value)
    SELECT new.id, json_extract(j.value, '$[0]'), json_extract(j.value, '$[1]')
    FROM json_each(new.identities) AS j;
END;

CREATE TRIGGER cached_candidates_identities_update AFTER UPDATE OF identities ON cached_candidates
WHEN old.identities IS NOT new.identities
BEGIN
    DELETE FROM candidate_identities WHERE candidate_id = old.id;
    INSERT OR IGNORE INTO candidate_identities (candidate_id, kind, value)
    SELECT new.id, json_extract(j.value, '$[0]'), json_extract(j.value, '$[1]')
    FROM json_each(new.identities) AS j;
END;

CREATE TABLE cached_jobs (
    account_id  TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    remote_id   TEXT NOT NULL,
    vendor      TEXT NOT NULL,
    name        TEXT NOT NULL DEFAULT '',
    status      TEXT,
    created_at  INTEGER,
    updated_at  INTEGER,
    record      TEXT NOT NULL,
    remote_data TEXT,
    seen_run    TEXT,
    PRIMARY KEY (account_id, remote_id)
);
CREATE INDEX cached_jobs_name ON cached_jobs (name);

-- Candidate ↔ application ↔ job, by the vendor's ids inside one account: pages of different
-- resources arrive in any order, so these are not foreign keys.
CREATE TABLE cached_applications (
    account_id          TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    remote_id           TEXT NOT NULL,
    vendor              TEXT NOT NULL,
    candidate_remote_id TEXT,
    job_remote_id       TEXT,
    stage_id            TEXT,
    stage_name          TEXT,
    stage_category      TEXT,
    applied_at          INTEGER,
    rejected_at         INTEGER,
    created_at          INTEGER,
    updated_at          INTEGER,
    record              TEXT NOT NULL,
    remote_data         TEXT,
    seen_run            TEXT,
    PRIMARY KEY (account_id, remote_id)
);
CREATE INDEX cached_applications_candidate ON cached_applications (account_id, candidate_remote_id);
CREATE INDEX cached_applications_job_stage ON cached_applications (account_id, job_remote_id, stage_id);
CREATE INDEX cached_applications_stage ON cached_applications (stage_id);
CREATE INDEX cached_applications_category ON cached_applications (stage_category);

-- Every stage an application was seen in, oldest first.
CREATE TABLE stage_history (
    id                    INTEGER PRIMARY KEY,
    account_id            TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    application_remote_id TEXT NOT NULL,
    from_stage_id         TEXT,
    from_stage_name       TEXT,
    to_stage_id           TEXT,
    to_stage_name         TEXT,
    -- When the change was detected by a sync (vendor time when the vendor reports it).
    changed_at            INTEGER NOT NULL
);
CREATE INDEX stage_history_application ON stage_history (account_id, application_remote_id, id);

CREATE TABLE cached_attachments (
    account_id            TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    remote_id             TEXT NOT NULL,
    candidate_remote_id   TEXT,
    application_remote_id TEXT,
    file_name             TEXT NOT NULL DEFAULT '',
    file_url              TEXT,
    attachment_type       TEXT,
    created_at            INTEGER,
    record                TEXT NOT NULL,
    remote_data           TEXT,
    seen_run              TEXT,
    PRIMARY KEY (account_id, remote_id)
);
CREATE INDEX cached_attachments_candidate ON cached_attachments (account_id, candidate_remote_id);

-- The smaller resources: users, roles, groups, job stages, assessments, interviews.
CREATE TABLE cached_users (
    account_id TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    remote_id TEXT NOT NULL, name TEXT NOT NULL DEFAULT '', parent_remote_id TEXT,
    updated_at INTEGER, record TEXT NOT NULL, remote_data TEXT, seen_run TEXT,
    PRIMARY KEY (account_id, remote_id)
);
CREATE TABLE cached_roles (
    account_id TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    remote_id TEXT NOT NULL, name TEXT NOT NULL DEFAULT '', parent_remote_id TEXT,
    updated_at INTEGER, record TEXT NOT NULL, remote_data TEXT, seen_run TEXT,
    PRIMARY KEY (account_id, remote_id)
);
CREATE TABLE cached_groups (
    account_id TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    remote_id TEXT NOT NULL, name TEXT NOT NULL DEFAULT '', parent_remote_id TEXT,
    updated_at INTEGER, record TEXT NOT NULL, remote_data TEXT, seen_run TEXT,
    PRIMARY KEY (account_id, remote_id)
);
-- parent_remote_id: the job of a job stage, the application of an assessment or interview.
CREATE TABLE cached_job_stages (
    account_id TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    remote_id TEXT NOT NULL, name TEXT NOT NULL DEFAULT '', parent_remote_id TEXT,
    updated_at INTEGER, record TEXT NOT NULL, remote_data TEXT, seen_run TEXT,
    PRIMARY KEY (account_id, remote_id)
);
CREATE TABLE cached_assessments (
    account_id TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    remote_id TEXT NOT NULL, name TEXT NOT NULL DEFAULT '', parent_remote_id TEXT,
    updated_at INTEGER, record TEXT NOT NULL, remote_data TEXT, seen_run TEXT,
    PRIMARY KEY (account_id, remote_id)
);
CREATE TABLE cached_interviews (
    account_id TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    remote_id TEXT NOT NULL, name TEXT NOT NULL DEFAULT '', parent_remote_id TEXT,
    updated_at INTEGER, record TEXT NOT NULL, remote_data TEXT, seen_run TEXT,
    PRIMARY KEY (account_id, remote_id)
);

-- Per (account, resource): the watermark (start time of the last successful run) and the
-- checkpoint of the run in progress, committed in the same transaction as each page.
CREATE TABLE sync_state (
    account_id         TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    resource           TEXT NOT NULL,
    watermark          INTEGER,
    last_full_at       INTEGER,
    run_id             TEXT,
    run_full           INTEGER NOT NULL DEFAULT 0,
    run_started_at     INTEGER,
    run_updated_after  INTEGER,
    run_cursor         TEXT,
    run_done           INTEGER NOT NULL DEFAULT 0,
    run_requests       INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (account_id, resource)
);

CREATE TABLE sync_runs (
    id            TEXT PRIMARY KEY NOT NULL,
    account_id    TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    resource      TEXT NOT NULL,
    full          INTEGER NOT NULL,
    status        TEXT NOT NULL CHECK (status IN ('running', 'succeeded', 'failed', 'cancelled')),
    started_at    INTEGER NOT NULL,
    finished_at   INTEGER,
    records       INTEGER NOT NULL DEFAULT 0,
    deleted       INTEGER NOT NULL DEFAULT 0,
    requests      INTEGER NOT NULL DEFAULT 0,
    stage_changes INTEGER NOT NULL DEFAULT 0,
    error         TEXT
);
CREATE INDEX sync_runs_started ON sync_runs (started_at DESC);

-- Stage-change alerts, one per detected change.
CREATE TABLE activity (
    id                    INTEGER PRIMARY KEY,
    account_id            TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    candidate_remote_id   TEXT,
    application_remote_id TEXT NOT NULL,
    job_remote_id         TEXT,
    from_stage_id         TEXT,
    from_stage_name       TEXT,
    to_stage_id           TEXT,
    to_stage_name         TEXT,
    detected_at           INTEGER NOT NULL,
    read                  INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX activity_recent ON activity (id DESC);
CREATE INDEX activity_unread ON activity (read, id);

CREATE TABLE follows (
    account_id          TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    candidate_remote_id TEXT NOT NULL,
    created_at          INTEGER NOT NULL,
    PRIMARY KEY (account_id, candidate_remote_id)
);

CREATE TABLE settings (
    key   TEXT PRIMARY KEY NOT NULL,
    value TEXT NOT NULL
);
