-- 特困 (special hardship support) cases on the shared case engine (POLICY.md §3 [C arts.13–18], docs/dibao.md).
-- A 特困 case is for one person (the applicant), not a household: one open case per person and programme.
ALTER TABLE cases ADD CONSTRAINT cases_programme_check CHECK (programme IN ('dibao', 'tekun'));
DROP INDEX IF EXISTS cases_open_uq;
CREATE UNIQUE INDEX cases_open_uq ON cases (household_id, programme) WHERE status = 'open' AND programme = 'dibao';
CREATE UNIQUE INDEX cases_open_person_uq ON cases (applicant_person_id, programme) WHERE status = 'open' AND programme <> 'dibao';
ALTER TABLE cases ADD COLUMN care_tier text CHECK (care_tier IN ('self_care', 'partly_lost', 'completely_lost'));

-- County random re-checks (≥ 30%, [C art.16]): one row per 特困 case reaching the county decision. The draw is
-- deterministic per case id (seeded shuffle, seed = case id); the county quota tops it up so that, in every county,
-- at least 30% of the cases drawn so far are re-checked. The re-check's findings are recorded at the decision.
CREATE TABLE case_rechecks (
  case_id        bigint PRIMARY KEY REFERENCES cases(id),
  region_code    varchar(12) COLLATE "C" NOT NULL,
  county_code    char(6) COLLATE "C" GENERATED ALWAYS AS (left(region_code, 6)) STORED,
  programme      text NOT NULL,
  seed           bigint NOT NULL,
  drawn          boolean NOT NULL,            -- selected by the seeded draw
  quota_top_up   boolean NOT NULL,            -- selected because the county was below the percentage
  sampled        boolean NOT NULL,
  percent        smallint NOT NULL CHECK (percent BETWEEN 1 AND 100),
  county_cases   integer NOT NULL,            -- cases drawn in the county including this one
  county_sampled integer NOT NULL,            -- of which sampled, including this one
  sampled_on     date NOT NULL,
  checked_on     date,
  findings       text,
  confirmed      boolean,
  checked_by     bigint REFERENCES users(id),
  CHECK (NOT sampled OR drawn OR quota_top_up)
);
CREATE INDEX case_rechecks_county_idx ON case_rechecks (county_code, programme);

-- 特困 excludes 低保 for the same person (POLICY §3): when a member of a 低保 household is confirmed 特困, the
-- exclusion is recorded here and a review task is raised on the household's 低保 case.
CREATE TABLE dibao_member_exclusions (
  id             bigserial PRIMARY KEY,
  household_id   bigint NOT NULL REFERENCES households(id),
  person_id      bigint NOT NULL REFERENCES persons(id),
  region_code    varchar(12) COLLATE "C" NOT NULL,
  dibao_case_id  bigint REFERENCES cases(id),
  tekun_case_id  bigint NOT NULL REFERENCES cases(id),
  from_month     char(7) NOT NULL,
  reason         text NOT NULL,
  created_at     timestamptz NOT NULL DEFAULT now(),
  UNIQUE (person_id, tekun_case_id)
);
CREATE INDEX dibao_member_exclusions_household_idx ON dibao_member_exclusions (household_id);

ALTER TABLE review_tasks DROP CONSTRAINT IF EXISTS review_tasks_reason_check;
ALTER TABLE review_tasks ADD CONSTRAINT review_tasks_reason_check
  CHECK (reason IN ('registry_change', 'death', 'periodic', 'work_refusal', 'tekun_member'));

INSERT INTO role_permissions (role_code, permission) VALUES
  ('caseworker', 'tekun.apply'),
  ('township_reviewer', 'tekun.apply'), ('township_reviewer', 'tekun.review'),
  ('county_approver', 'tekun.approve')
ON CONFLICT DO NOTHING;
