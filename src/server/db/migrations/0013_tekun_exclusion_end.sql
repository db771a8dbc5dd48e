-- When 特困 support ends for a person who had been taken out of a 低保 household's guarantee (0009
-- dibao_member_exclusions), the exclusion ends with it and the household's 低保 is flagged for review: the person is
-- again a member the 低保 assessment must count (POLICY.md §3: 特困 and 低保 exclude each other for the same person,
-- not for ever).
ALTER TABLE dibao_member_exclusions ADD COLUMN until_month char(7);
ALTER TABLE dibao_member_exclusions ADD COLUMN end_reason text;

ALTER TABLE review_tasks DROP CONSTRAINT IF EXISTS review_tasks_reason_check;
ALTER TABLE review_tasks ADD CONSTRAINT review_tasks_reason_check
  CHECK (reason IN ('registry_change', 'death', 'periodic', 'work_refusal', 'tekun_member', 'tekun_member_ended'));
