-- Assessments and interviews (Unberry) belong to a candidate: the candidate detail reads them by it.
ALTER TABLE cached_assessments ADD COLUMN candidate_remote_id TEXT;
ALTER TABLE cached_interviews ADD COLUMN candidate_remote_id TEXT;
CREATE INDEX cached_assessments_candidate ON cached_assessments (account_id, candidate_remote_id);
CREATE INDEX cached_interviews_candidate ON cached_interviews (account_id, candidate_remote_id);
