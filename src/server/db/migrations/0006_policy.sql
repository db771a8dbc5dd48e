-- Policy parameters as effective-dated, region-scoped data; facts the benefit rules need that the registry does
-- not hold (other allowances, orphan status, legal supporters); permissions of the policy engine (docs/policy-engine.md).
--
-- A parameter row is (programme, region scope — province 2 / city 4 / county 6 digits —, key, value, effective
-- period [effective_from, effective_to), source document + article). Resolution as of a date: county overrides
-- city overrides province. Rows are never rewritten: the only change allowed after insert is closing an open
-- period (effective_to NULL → a date), done when a newer row for the same key and scope takes over.

CREATE TABLE policy_parameters (
  id               bigserial PRIMARY KEY,
  programme        text NOT NULL CHECK (programme IN ('dibao', 'tekun', 'disability')),
  region_code      varchar(12) COLLATE "C" NOT NULL REFERENCES regions(code),
  key              text COLLATE "C" NOT NULL,
  value            jsonb NOT NULL,
  effective_from   date NOT NULL,
  effective_to     date,                                  -- exclusive; NULL = open-ended
  source_document  text NOT NULL CHECK (length(btrim(source_document)) > 0),
  source_article   text NOT NULL CHECK (length(btrim(source_article)) > 0),
  note             text,
  supersedes_id    bigint REFERENCES policy_parameters(id),
  created_by       bigint REFERENCES users(id),
  created_at       timestamptz NOT NULL DEFAULT now(),
  CHECK (length(region_code) IN (2, 4, 6)),
  CHECK (effective_to IS NULL OR effective_to > effective_from),
  CHECK (effective_from BETWEEN DATE '1990-01-01' AND DATE '2100-12-31')
);
CREATE INDEX policy_parameters_lookup_idx ON policy_parameters (programme, key, region_code, effective_from);
CREATE INDEX policy_parameters_region_idx ON policy_parameters (region_code);

-- Overlapping periods for the same (programme, region, key) are rejected with SQLSTATE 23P01 (exclusion
-- violation, mapped to 409 PARAMETER_OVERLAP). An advisory lock per key serialises concurrent writers.
CREATE FUNCTION policy_parameters_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    RAISE EXCEPTION 'policy parameters are never deleted' USING ERRCODE = '55000';
  END IF;
  IF TG_OP = 'UPDATE' THEN
    IF OLD.effective_to IS NOT NULL OR NEW.effective_to IS NULL
       OR (to_jsonb(NEW) - 'effective_to') <> (to_jsonb(OLD) - 'effective_to') THEN
      RAISE EXCEPTION 'policy parameters are never rewritten; only an open period may be closed' USING ERRCODE = '55000';
    END IF;
  END IF;
  PERFORM pg_advisory_xact_lock(hashtext('policy_parameters:' || NEW.programme || ':' || NEW.region_code || ':' || NEW.key));
  IF EXISTS (
    SELECT 1 FROM policy_parameters p
    WHERE p.programme = NEW.programme AND p.region_code = NEW.region_code AND p.key = NEW.key AND p.id <> NEW.id
      AND daterange(p.effective_from, p.effective_to) && daterange(NEW.effective_from, NEW.effective_to)
  ) THEN
    RAISE EXCEPTION 'overlapping effective period for %/%/%', NEW.programme, NEW.region_code, NEW.key USING ERRCODE = '23P01';
  END IF;
  RETURN NEW;
END
$$;
CREATE TRIGGER policy_parameters_guard_trg BEFORE INSERT OR UPDATE OR DELETE ON policy_parameters
  FOR EACH ROW EXECUTE FUNCTION policy_parameters_guard();

-- Other benefits a person receives that the two-subsidy and 特困 rules look at (POLICY §4: 择高, orphans,
-- work-injury nursing fee). Kept per person with a period; amounts in fen per month.
CREATE TABLE person_benefit_facts (
  id                  bigserial PRIMARY KEY,
  person_id           bigint NOT NULL REFERENCES persons(id),
  region_code         varchar(12) COLLATE "C" NOT NULL,
  county_code         char(6) COLLATE "C" GENERATED ALWAYS AS (left(region_code, 6)) STORED,
  kind                text NOT NULL CHECK (kind IN (
                        'orphan_basic_living', 'de_facto_unsupported_child', 'work_injury_nursing_fee',
                        'elderly_living_allowance', 'elderly_nursing_allowance',
                        'work_disability_living_allowance', 'work_disability_nursing_allowance',
                        'retiree_living_allowance', 'retiree_nursing_allowance')),
  monthly_amount_fen  bigint CHECK (monthly_amount_fen >= 0),
  valid_from          date NOT NULL,
  valid_to            date,
  source              text,
  created_at          timestamptz NOT NULL DEFAULT now(),
  CHECK (valid_to IS NULL OR valid_to > valid_from)
);
CREATE INDEX person_benefit_facts_person_idx ON person_benefit_facts (person_id);
CREATE INDEX person_benefit_facts_county_idx ON person_benefit_facts (county_code);

-- Legal supporters (法定赡养、抚养、扶养义务人) of a person, with the facts of the supporter-incapacity tests
-- (POLICY §3, [C art.8]). supporter_person_id links a supporter who is in the registry; the facts are recorded
-- as investigated (a supporter may live elsewhere).
CREATE TABLE legal_supporters (
  id                    bigserial PRIMARY KEY,
  person_id             bigint NOT NULL REFERENCES persons(id),
  region_code           varchar(12) COLLATE "C" NOT NULL,
  county_code           char(6) COLLATE "C" GENERATED ALWAYS AS (left(region_code, 6)) STORED,
  supporter_person_id   bigint REFERENCES persons(id),
  name                  text NOT NULL,
  relation              text NOT NULL CHECK (relation IN ('spouse', 'child', 'parent', 'grandchild', 'grandparent', 'sibling', 'other')),
  birth_date            date NOT NULL,
  is_tekun              boolean NOT NULL DEFAULT false,
  is_dibao              boolean NOT NULL DEFAULT false,
  annual_income_fen     bigint CHECK (annual_income_fen >= 0),
  property_fen          bigint CHECK (property_fen >= 0),
  disability_type       text CHECK (disability_type IN ('visual', 'hearing', 'speech', 'physical', 'intellectual', 'mental', 'multiple')),
  disability_level      smallint CHECK (disability_level BETWEEN 1 AND 4),
  lacks_civil_capacity  boolean NOT NULL DEFAULT false,
  declared_missing      boolean NOT NULL DEFAULT false,
  imprisoned            boolean NOT NULL DEFAULT false,
  created_at            timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX legal_supporters_person_idx ON legal_supporters (person_id);
CREATE INDEX legal_supporters_county_idx ON legal_supporters (county_code);

INSERT INTO role_permissions (role_code, permission) VALUES
  ('caseworker', 'parameters.read'), ('caseworker', 'evaluate.run'),
  ('township_reviewer', 'parameters.read'), ('township_reviewer', 'evaluate.run'),
  ('county_approver', 'parameters.read'), ('county_approver', 'parameters.manage'), ('county_approver', 'evaluate.run'),
  ('county_approver', 'evaluate.bulk'), ('county_approver', 'policy.whatif'), ('county_approver', 'subsidy.report'),
  ('supervisor', 'parameters.read'), ('supervisor', 'evaluate.run'), ('supervisor', 'evaluate.bulk'),
  ('supervisor', 'policy.whatif'), ('supervisor', 'subsidy.report'),
  ('auditor', 'parameters.read'), ('auditor', 'subsidy.report'),
  ('dept_finance', 'parameters.read'), ('dept_finance', 'policy.whatif'), ('dept_finance', 'subsidy.report'),
  ('dept_disability', 'parameters.read'), ('dept_disability', 'evaluate.run'), ('dept_disability', 'subsidy.report'),
  ('admin', 'parameters.read'), ('admin', 'parameters.manage')
ON CONFLICT DO NOTHING;
