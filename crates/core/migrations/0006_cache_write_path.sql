-- A cheaper write path for candidates (issue 6: ingest speed).
--
-- 1. Identities of new candidates are written by the cache's Rust code (cache::write) with
--    prepared statements, from values it already holds, instead of a trigger parsing the
--    `identities` JSON back with json_each for every inserted row. The update trigger stays: it
--    runs only when a known candidate's identities change.
-- 2. The full-text index keeps, per token, the columns it occurs in but not its positions
--    (`detail = column`): search only uses token-prefix AND queries (no phrases, no NEAR), bm25
--    still weighs columns, and the doclists a prefix query merges shrink to a fraction.
--    Rebuilt from the candidates' columns (external content), so existing caches keep working.

DROP TRIGGER cached_candidates_identities_insert;

DROP TABLE candidates_fts;

CREATE VIRTUAL TABLE candidates_fts USING fts5(
    name, emails, phones, company, title, tags, resume,
    content = 'cached_candidates',
    content_rowid = 'id',
    tokenize = 'unicode61 remove_diacritics 2',
    prefix = '2 3',
    detail = column
);

INSERT INTO candidates_fts (candidates_fts) VALUES ('rebuild');

-- Identities of every cached candidate, in case any are missing (the trigger wrote them before).
INSERT OR IGNORE INTO candidate_identities (candidate_id, kind, value)
SELECT c.id, json_extract(j.value, '$[0]'), json_extract(j.value, '$[1]')
FROM cached_candidates c, json_each(c.identities) AS j;
