-- Review of the disability two subsidies once paid (POLICY.md §4 [K]: periodic review, dynamic management).
-- 1. Review tasks are kept per case: a household with 低保 and a member's subsidy gets one task for each, closed by the
--    case that reviews it (before, one task per household and reason named one case only).
-- 2. Registry changes that §4 reads raise a task on the recipient's subsidy case: the recipient's death, 户籍 or move
--    (persons), and any change of the disability certificate (type, level, generation, expiry, long-term care).
--    Changes of the household's 低保 or the person's 特困 (D2, D7) are raised by the case module that makes them
--    ('programme_change'). Income and property do not touch the subsidies (they reach them through 低保).
DROP INDEX review_tasks_open_uq;
CREATE UNIQUE INDEX review_tasks_open_uq ON review_tasks (household_id, reason, (coalesce(case_id, 0))) WHERE status = 'open';
CREATE INDEX review_tasks_case_idx ON review_tasks (case_id) WHERE status = 'open';
CREATE INDEX cases_applicant_approved_idx ON cases (applicant_person_id) WHERE status = 'approved';

ALTER TABLE review_tasks DROP CONSTRAINT IF EXISTS review_tasks_reason_check;
ALTER TABLE review_tasks ADD CONSTRAINT review_tasks_reason_check
  CHECK (reason IN ('registry_change', 'death', 'periodic', 'work_refusal', 'tekun_member', 'tekun_member_ended',
                    'programme_change'));

CREATE OR REPLACE FUNCTION cases_registry_change() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  hh bigint;
  pid bigint := NULL;
  why text := 'registry_change';
  due date := (now() AT TIME ZONE 'Asia/Shanghai')::date + 30;
BEGIN
  IF TG_OP = 'DELETE' THEN hh := OLD.household_id; ELSE hh := NEW.household_id; END IF;
  IF TG_TABLE_NAME = 'persons' AND TG_OP = 'UPDATE' THEN
    IF NEW.death_date IS NOT NULL AND OLD.death_date IS NULL THEN
      why := 'death';
      due := (NEW.death_date + interval '3 months')::date;
    ELSIF NEW.household_id IS NOT DISTINCT FROM OLD.household_id AND NEW.labour_capacity IS NOT DISTINCT FROM OLD.labour_capacity
          AND NEW.hukou_local = OLD.hukou_local AND NEW.grave_illness = OLD.grave_illness THEN
      RETURN NULL;
    END IF;
    IF NEW.household_id IS DISTINCT FROM OLD.household_id THEN hh := OLD.household_id; END IF;
    -- The facts of §4 D1 (alive, 户籍) and a move: the person's own subsidy cases.
    IF why = 'death' OR NEW.hukou_local IS DISTINCT FROM OLD.hukou_local OR NEW.household_id IS DISTINCT FROM OLD.household_id THEN
      pid := NEW.id;
    END IF;
  END IF;
  IF hh IS NULL AND pid IS NULL THEN RETURN NULL; END IF;
  INSERT INTO review_tasks (case_id, household_id, region_code, reason, detail, due_on)
  SELECT c.id, c.household_id, c.region_code, why,
         jsonb_build_object('table', TG_TABLE_NAME, 'op', TG_OP) || CASE WHEN pid IS NULL THEN '{}'::jsonb ELSE jsonb_build_object('personId', pid) END,
         due
  FROM cases c
  WHERE c.status = 'approved'
    AND ((c.household_id = hh AND c.programme NOT IN ('disability_living', 'disability_nursing'))
      OR (c.applicant_person_id = pid AND c.programme IN ('disability_living', 'disability_nursing')))
  ON CONFLICT (household_id, reason, (coalesce(case_id, 0))) WHERE status = 'open' DO NOTHING;
  RETURN NULL;
END
$$;

-- Certificates: statement-level with the transition tables, so a bulk import pays one join per statement.
CREATE FUNCTION cases_subsidy_cert_change() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  changed bigint[];
BEGIN
  IF TG_OP = 'INSERT' THEN
    SELECT array_agg(DISTINCT n.person_id) INTO changed FROM cert_new n;
  ELSIF TG_OP = 'DELETE' THEN
    SELECT array_agg(DISTINCT o.person_id) INTO changed FROM cert_old o;
  ELSE
    SELECT array_agg(DISTINCT x.person_id) INTO changed FROM (
      SELECT n.person_id FROM cert_new n JOIN cert_old o ON o.id = n.id
      WHERE (n.person_id, n.generation, n.disability_type, n.disability_level, n.expires_on, n.needs_long_term_care,
             left(n.region_code, 6))
            IS DISTINCT FROM
            (o.person_id, o.generation, o.disability_type, o.disability_level, o.expires_on, o.needs_long_term_care,
             left(o.region_code, 6))
      UNION ALL
      SELECT o.person_id FROM cert_new n JOIN cert_old o ON o.id = n.id WHERE n.person_id IS DISTINCT FROM o.person_id) x;
  END IF;
  IF changed IS NULL THEN RETURN NULL; END IF;
  INSERT INTO review_tasks (case_id, household_id, region_code, reason, detail, due_on)
  SELECT c.id, c.household_id, c.region_code, 'registry_change',
         jsonb_build_object('table', 'disability_certs', 'op', TG_OP, 'personId', c.applicant_person_id),
         (now() AT TIME ZONE 'Asia/Shanghai')::date + 30
  FROM cases c
  WHERE c.status = 'approved' AND c.programme IN ('disability_living', 'disability_nursing')
    AND c.applicant_person_id = ANY (changed)
  ON CONFLICT (household_id, reason, (coalesce(case_id, 0))) WHERE status = 'open' DO NOTHING;
  RETURN NULL;
END
$$;
CREATE TRIGGER cases_subsidy_cert_ins_trg AFTER INSERT ON disability_certs
  REFERENCING NEW TABLE AS cert_new FOR EACH STATEMENT EXECUTE FUNCTION cases_subsidy_cert_change();
CREATE TRIGGER cases_subsidy_cert_upd_trg AFTER UPDATE ON disability_certs
  REFERENCING OLD TABLE AS cert_old NEW TABLE AS cert_new FOR EACH STATEMENT EXECUTE FUNCTION cases_subsidy_cert_change();
CREATE TRIGGER cases_subsidy_cert_del_trg AFTER DELETE ON disability_certs
  REFERENCING OLD TABLE AS cert_old FOR EACH STATEMENT EXECUTE FUNCTION cases_subsidy_cert_change();
