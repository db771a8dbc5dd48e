-- Disability two-subsidy applications (残疾人两项补贴, POLICY.md §4 [K; seed]) on the shared case engine, and the
-- 特困 yearly review / termination (POLICY.md §3 [C arts.24–26; E item 7]). See docs/dibao.md.
-- A subsidy case is for one person (like 特困): the per-person open-case index of 0009 (programme <> 'dibao') covers it.
ALTER TABLE cases DROP CONSTRAINT IF EXISTS cases_programme_check;
ALTER TABLE cases ADD CONSTRAINT cases_programme_check
  CHECK (programme IN ('dibao', 'tekun', 'disability_living', 'disability_nursing'));

-- 特困 recipients due for the yearly review are found by next_review_on (set at approval and at every review).
CREATE INDEX IF NOT EXISTS cases_review_due_idx ON cases (county_code, programme, next_review_on) WHERE status = 'approved';

-- Who acts on a subsidy case: the township caseworker accepts the application with the certificate, the township
-- reviewer makes the first review (the assessment runs there), the county approver decides. The 残联 liaison reads
-- the subsidy cases of its area (and nothing of 低保 / 特困): disability.cases.read.
INSERT INTO role_permissions (role_code, permission) VALUES
  ('caseworker', 'disability.apply'),
  ('township_reviewer', 'disability.apply'), ('township_reviewer', 'disability.review'),
  ('county_approver', 'disability.approve'),
  ('dept_disability', 'disability.cases.read')
ON CONFLICT DO NOTHING;
