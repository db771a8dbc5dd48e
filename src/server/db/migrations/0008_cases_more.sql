-- Q4 batch review items are written only by the set-based INSERT … SELECT of their batch (from the county's cases
-- in the same transaction), so their references hold by construction. The per-row foreign-key checks (two RI
-- trigger lookups per household) made a county's run of 50,000 households twice as slow; they are dropped.
-- Deleting a batch or a case is not possible through the application (both are kept for the archive).
ALTER TABLE batch_review_items DROP CONSTRAINT IF EXISTS batch_review_items_batch_id_fkey;
ALTER TABLE batch_review_items DROP CONSTRAINT IF EXISTS batch_review_items_case_id_fkey;
