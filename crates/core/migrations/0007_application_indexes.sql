-- Two application indexes that cost every write and helped no query (issue 6: ingest speed).
--
-- Every query on cached_applications names the account and the candidate or the job
-- (cached_applications_candidate, cached_applications_job_stage). The lone stage_id and
-- stage_category indexes were chosen by SQLite inside the candidate list's correlated
-- "EXISTS (… AND a.stage_id = ?)" filter, where they are the worse plan: every candidate row
-- scanned all applications of that stage, instead of its own one or two.

DROP INDEX cached_applications_stage;
DROP INDEX cached_applications_category;
