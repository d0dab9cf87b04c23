-- What the vendor already held for the person before a push was first sent (JSON
-- {"candidates": [...], "applications": [...]}), so a retry's lookup tells the push's own
-- creation from a person who was there before (a duplicate the recruiter confirmed).
ALTER TABLE push_journal ADD COLUMN preexisting TEXT;
