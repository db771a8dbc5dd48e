-- Cases: a generic, workflow-as-data case engine (低保 first; 特困 and the disability subsidies plug in by
-- configuration), the "3+1" assessments, written notices (书面告知书) with document numbers, archive materials,
-- review tasks, the Q4 validity-expiry batch review and referrals. See docs/dibao.md.
-- Every people-data table carries region_code (12-digit village of the household) and is scope-filtered in SQL.

-- Workflow definitions as data: steps, acting permission, required materials, time limits (working days).
-- Resolution for a case: the row whose region_code is the longest prefix of the household's village code and whose
-- effective_from is the latest on or before the application date. region_code '' = the shipped default.
CREATE TABLE workflow_definitions (
  id              bigserial PRIMARY KEY,
  programme       text NOT NULL,
  region_code     varchar(12) COLLATE "C" NOT NULL DEFAULT '',
  effective_from  date NOT NULL,
  definition      jsonb NOT NULL,
  note            text NOT NULL DEFAULT '',
  created_by      bigint REFERENCES users(id),
  created_at      timestamptz NOT NULL DEFAULT now(),
  UNIQUE (programme, region_code, effective_from)
);

-- Effective-dated, region-scoped case parameters (assessment weights, scoring sheet, cut-offs, property limits,
-- rounding, cadence; 低保标准 per county and year; budgets). Same resolution as workflow_definitions.
CREATE TABLE case_parameters (
  id              bigserial PRIMARY KEY,
  programme       text NOT NULL,
  key             text COLLATE "C" NOT NULL,
  region_code     varchar(12) COLLATE "C" NOT NULL DEFAULT '',
  effective_from  date NOT NULL,
  value           jsonb NOT NULL,
  citation        text NOT NULL DEFAULT '',
  created_by      bigint REFERENCES users(id),
  created_at      timestamptz NOT NULL DEFAULT now(),
  UNIQUE (programme, key, region_code, effective_from)
);

CREATE TABLE cases (
  id                    bigserial PRIMARY KEY,
  case_no               text COLLATE "C" NOT NULL UNIQUE,
  programme             text NOT NULL,
  kind                  text NOT NULL DEFAULT 'application' CHECK (kind IN ('application', 'review')),
  household_id          bigint NOT NULL REFERENCES households(id),
  applicant_person_id   bigint REFERENCES persons(id),
  region_code           varchar(12) COLLATE "C" NOT NULL,
  county_code           char(6) COLLATE "C" GENERATED ALWAYS AS (left(region_code, 6)) STORED,
  township_code         char(9) COLLATE "C" GENERATED ALWAYS AS (left(region_code, 9)) STORED,
  workflow              jsonb NOT NULL,            -- the definition in force when the case was opened (frozen)
  workflow_id           bigint REFERENCES workflow_definitions(id),
  status                text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'approved', 'rejected', 'ended', 'withdrawn', 'exited')),
  current_step          text,                      -- pending step code while open
  current_due_on        date,                      -- due date of the pending step (working days), for worklists
  assessed_eligible     boolean,                   -- result of the latest assessment
  flags                 jsonb NOT NULL DEFAULT '{}',  -- separateRegistration, objection …
  completed             jsonb NOT NULL DEFAULT '{}',  -- step code → completion date (CST)
  applied_on            date NOT NULL,
  accepted_on           date,
  decided_on            date,
  decision              text CHECK (decision IN ('approved', 'rejected')),
  decision_reason       text,
  dibao_kind            text CHECK (dibao_kind IN ('urban', 'rural')),
  rural_class           smallint CHECK (rural_class BETWEEN 1 AND 4),
  monthly_amount_fen    bigint CHECK (monthly_amount_fen >= 0),
  members_count         integer,
  start_month           char(7),
  valid_until           date,
  review_cadence_months smallint,
  next_review_on        date,
  last_review_score     integer,                   -- democratic-review score (0–100) of the last assessment
  last_visit_rating     integer,                   -- household-visit hardship rating (0–10) of the last investigation
  taper_until_month     char(7),                   -- 渐退期 end
  enrollment_id         bigint REFERENCES programme_enrollments(id),
  version               integer NOT NULL DEFAULT 1,
  created_by            bigint REFERENCES users(id),
  created_at            timestamptz NOT NULL DEFAULT now(),
  updated_at            timestamptz NOT NULL DEFAULT now(),
  CHECK (length(region_code) = 12)
);
CREATE INDEX cases_region_idx ON cases (region_code, id);
CREATE INDEX cases_county_status_idx ON cases (county_code, programme, status);
CREATE INDEX cases_household_idx ON cases (household_id);
CREATE INDEX cases_valid_until_idx ON cases (county_code, valid_until) WHERE status = 'approved';
-- One open case per household and programme (double submission answers the existing case).
CREATE UNIQUE INDEX cases_open_uq ON cases (household_id, programme) WHERE status = 'open';

-- Data recorded at each step (investigators, visit form, neighbour visits, 信息核对, review votes, 公示 …).
CREATE TABLE case_steps (
  case_id       bigint NOT NULL REFERENCES cases(id),
  step          text NOT NULL,
  round         integer NOT NULL DEFAULT 1,        -- a step reopened after an objection gets a new round
  region_code   varchar(12) COLLATE "C" NOT NULL,
  data          jsonb NOT NULL DEFAULT '{}',
  due_on        date,
  completed_on  date NOT NULL,
  completed_by  bigint REFERENCES users(id),
  created_at    timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (case_id, step, round)
);

-- Timeline.
CREATE TABLE case_events (
  id           bigserial PRIMARY KEY,
  case_id      bigint NOT NULL REFERENCES cases(id),
  region_code  varchar(12) COLLATE "C" NOT NULL,
  action       text NOT NULL,
  step         text,
  detail       jsonb NOT NULL DEFAULT '{}',
  actor_id     bigint REFERENCES users(id),
  actor_name   text,
  at           timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX case_events_case_idx ON case_events (case_id, id);

-- "3+1" assessments: every input, sub-score and the parameters used; the result explained in words.
CREATE TABLE assessments (
  id                  bigserial PRIMARY KEY,
  case_id             bigint NOT NULL REFERENCES cases(id),
  region_code         varchar(12) COLLATE "C" NOT NULL,
  as_of               date NOT NULL,
  inputs              jsonb NOT NULL,
  gates               jsonb NOT NULL,
  survey_score        integer,
  review_score        integer,
  combined_score      integer,
  eligible            boolean NOT NULL,
  dibao_kind          text,
  rural_class         smallint,
  monthly_amount_fen  bigint CHECK (monthly_amount_fen >= 0),
  breakdown           jsonb NOT NULL,
  parameters          jsonb NOT NULL,
  explanation         text NOT NULL,
  created_by          bigint REFERENCES users(id),
  created_at          timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX assessments_case_idx ON assessments (case_id, id);

-- Archive materials (S6): uploaded files with their hash; files live under config.filesDir.
CREATE TABLE case_materials (
  id            bigserial PRIMARY KEY,
  case_id       bigint NOT NULL REFERENCES cases(id),
  region_code   varchar(12) COLLATE "C" NOT NULL,
  kind          text NOT NULL,
  filename      text NOT NULL,
  mime          text NOT NULL CHECK (mime IN ('application/pdf', 'image/jpeg', 'image/png')),
  size_bytes    bigint NOT NULL CHECK (size_bytes > 0),
  sha256        char(64) NOT NULL,
  path          text NOT NULL,
  uploaded_by   bigint REFERENCES users(id),
  uploaded_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX case_materials_case_idx ON case_materials (case_id, kind);

-- The checklist: one row per required material of a step that applies to the case (written when the step
-- becomes due), so completeness is a set-based count.
CREATE TABLE case_material_requirements (
  case_id      bigint NOT NULL REFERENCES cases(id),
  kind         text NOT NULL,
  step         text NOT NULL,
  name_zh      text NOT NULL,
  region_code  varchar(12) COLLATE "C" NOT NULL,
  PRIMARY KEY (case_id, kind)
);
CREATE INDEX case_material_requirements_region_idx ON case_material_requirements (region_code);

-- Written notices (书面告知书). Document numbers per issuing body and year.
CREATE TABLE notice_counters (
  issuer_code  varchar(12) COLLATE "C" NOT NULL,
  year         integer NOT NULL,
  last_seq     integer NOT NULL,
  PRIMARY KEY (issuer_code, year)
);

CREATE TABLE notices (
  id               bigserial PRIMARY KEY,
  case_id          bigint NOT NULL REFERENCES cases(id),
  region_code      varchar(12) COLLATE "C" NOT NULL,
  kind             text NOT NULL CHECK (kind IN ('one_time', 'not_accepted', 'not_confirmed', 'approval', 'adjustment', 'termination')),
  issuer_level     text NOT NULL CHECK (issuer_level IN ('county', 'township')),
  status           text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'issued')),
  issuer_code      varchar(12) COLLATE "C" NOT NULL,
  issuer_name      text NOT NULL,
  doc_prefix       text NOT NULL,
  doc_year         integer,
  doc_seq          integer,
  doc_no           text,
  addressee        text NOT NULL,
  title            text NOT NULL,
  decision         text NOT NULL,
  facts            text NOT NULL,
  reasons          text NOT NULL,
  basis            jsonb NOT NULL,                  -- [{document, article, text}]
  remedies         text NOT NULL,
  issued_on        date,
  sha256           char(64),
  path             text,
  delivery_method  text CHECK (delivery_method IN ('in_person', 'post', 'electronic', 'public_notice')),
  delivered_on     date,
  receipt_material_id bigint REFERENCES case_materials(id),
  version          integer NOT NULL DEFAULT 1,
  created_by       bigint REFERENCES users(id),
  created_at       timestamptz NOT NULL DEFAULT now(),
  UNIQUE (issuer_code, doc_year, doc_seq)
);
CREATE INDEX notices_case_idx ON notices (case_id);
CREATE INDEX notices_region_idx ON notices (region_code, id);

-- Issued notices are frozen: the text and file may not change after issue (only delivery may be recorded).
CREATE FUNCTION notices_freeze() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF OLD.status = 'issued' AND (
      NEW.status <> OLD.status OR NEW.decision <> OLD.decision OR NEW.facts <> OLD.facts OR NEW.reasons <> OLD.reasons
      OR NEW.basis <> OLD.basis OR NEW.doc_no IS DISTINCT FROM OLD.doc_no OR NEW.sha256 IS DISTINCT FROM OLD.sha256
      OR NEW.addressee <> OLD.addressee) THEN
    RAISE EXCEPTION 'an issued notice is frozen' USING ERRCODE = '55000';
  END IF;
  RETURN NEW;
END
$$;
CREATE TRIGGER notices_freeze_trg BEFORE UPDATE ON notices FOR EACH ROW EXECUTE FUNCTION notices_freeze();

-- Review tasks: due reviews, registry changes affecting eligibility, deaths (review ≤3 months).
CREATE TABLE review_tasks (
  id            bigserial PRIMARY KEY,
  case_id       bigint REFERENCES cases(id),
  household_id  bigint NOT NULL REFERENCES households(id),
  region_code   varchar(12) COLLATE "C" NOT NULL,
  reason        text NOT NULL CHECK (reason IN ('registry_change', 'death', 'periodic', 'work_refusal')),
  detail        jsonb NOT NULL DEFAULT '{}',
  due_on        date NOT NULL,
  status        text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'done')),
  created_at    timestamptz NOT NULL DEFAULT now(),
  closed_at     timestamptz
);
CREATE INDEX review_tasks_region_idx ON review_tasks (region_code, status, due_on);
CREATE UNIQUE INDEX review_tasks_open_uq ON review_tasks (household_id, reason) WHERE status = 'open';

-- A registry change that affects eligibility (income, property, a death, a member leaving) raises a review task for
-- a household receiving 低保 (S3: "不能说有效期内就不调整"; death → review within 3 months [F]).
CREATE FUNCTION cases_registry_change() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  hh bigint;
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
  END IF;
  IF hh IS NULL THEN RETURN NULL; END IF;
  INSERT INTO review_tasks (case_id, household_id, region_code, reason, detail, due_on)
  SELECT c.id, c.household_id, c.region_code, why, jsonb_build_object('table', TG_TABLE_NAME, 'op', TG_OP), due
  FROM cases c
  WHERE c.household_id = hh AND c.status = 'approved'
  ON CONFLICT (household_id, reason) WHERE status = 'open' DO NOTHING;
  RETURN NULL;
END
$$;
CREATE TRIGGER cases_income_change_trg AFTER INSERT OR UPDATE OR DELETE ON income_items FOR EACH ROW EXECUTE FUNCTION cases_registry_change();
CREATE TRIGGER cases_property_change_trg AFTER INSERT OR UPDATE OR DELETE ON property_items FOR EACH ROW EXECUTE FUNCTION cases_registry_change();
CREATE TRIGGER cases_person_change_trg AFTER UPDATE ON persons FOR EACH ROW EXECUTE FUNCTION cases_registry_change();

-- Refusals of suitable work (3 in a row → that member's share stops [A art.34; D art.45]).
CREATE TABLE work_refusals (
  id            bigserial PRIMARY KEY,
  case_id       bigint NOT NULL REFERENCES cases(id),
  person_id     bigint NOT NULL REFERENCES persons(id),
  region_code   varchar(12) COLLATE "C" NOT NULL,
  refused_on    date NOT NULL,
  offer         text NOT NULL,
  created_by    bigint REFERENCES users(id),
  created_at    timestamptz NOT NULL DEFAULT now(),
  UNIQUE (case_id, person_id, refused_on)
);

-- Referrals to temporary or medical assistance (S4: whoever cannot be included at once is helped first).
CREATE TABLE referrals (
  id            bigserial PRIMARY KEY,
  case_id       bigint NOT NULL REFERENCES cases(id),
  household_id  bigint NOT NULL REFERENCES households(id),
  region_code   varchar(12) COLLATE "C" NOT NULL,
  kind          text NOT NULL CHECK (kind IN ('temporary', 'medical')),
  reason        text NOT NULL,
  created_by    bigint REFERENCES users(id),
  created_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX referrals_case_idx ON referrals (case_id);

-- Q4 validity-expiry batch review (S3).
CREATE TABLE batch_reviews (
  id            bigserial PRIMARY KEY,
  programme     text NOT NULL,
  region_code   varchar(12) COLLATE "C" NOT NULL,   -- the county
  year          integer NOT NULL,
  as_of         date NOT NULL,
  status        text NOT NULL DEFAULT 'proposed' CHECK (status IN ('proposed', 'applied')),
  parameters    jsonb NOT NULL,
  summary       jsonb NOT NULL DEFAULT '{}',
  created_by    bigint REFERENCES users(id),
  created_at    timestamptz NOT NULL DEFAULT now(),
  applied_at    timestamptz
);
CREATE INDEX batch_reviews_region_idx ON batch_reviews (region_code, id);

CREATE TABLE batch_review_items (
  batch_id            bigint NOT NULL REFERENCES batch_reviews(id),
  case_id             bigint NOT NULL REFERENCES cases(id),
  household_id        bigint NOT NULL,
  region_code         varchar(12) COLLATE "C" NOT NULL,
  members_count       integer NOT NULL,
  per_capita_fen      bigint NOT NULL,
  survey_score        integer NOT NULL,
  combined_score      integer NOT NULL,
  gate_hukou          boolean NOT NULL,
  gate_income         boolean NOT NULL,
  gate_property       boolean NOT NULL,
  old_class           smallint,
  new_class           smallint,
  old_amount_fen      bigint,
  new_amount_fen      bigint NOT NULL,
  outcome             text NOT NULL CHECK (outcome IN ('continue', 'reclass', 'amount_change', 'exit')),
  PRIMARY KEY (batch_id, case_id)
);

INSERT INTO role_permissions (role_code, permission) VALUES
  ('caseworker', 'cases.read'), ('caseworker', 'dibao.apply'), ('caseworker', 'dibao.investigate'),
  ('caseworker', 'archive.upload'), ('caseworker', 'notices.draft'),
  ('township_reviewer', 'cases.read'), ('township_reviewer', 'dibao.apply'), ('township_reviewer', 'dibao.review'),
  ('township_reviewer', 'archive.upload'), ('township_reviewer', 'notices.draft'), ('township_reviewer', 'notices.issue'),
  ('county_approver', 'cases.read'), ('county_approver', 'dibao.approve'), ('county_approver', 'dibao.manage'),
  ('county_approver', 'archive.upload'), ('county_approver', 'notices.draft'), ('county_approver', 'notices.issue'),
  ('county_approver', 'calendar.manage'), ('county_approver', 'parameters.manage'),
  ('supervisor', 'cases.read'), ('auditor', 'cases.read'), ('dept_finance', 'cases.read'),
  ('admin', 'calendar.manage'), ('admin', 'parameters.manage')
ON CONFLICT DO NOTHING;
