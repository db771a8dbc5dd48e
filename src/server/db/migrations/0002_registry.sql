-- Household and person registry: the single source of truth every programme, export and check reads.
--
-- History: every registry table keeps its past rows in <table>_history (same columns + valid_to), written by a
-- trigger on UPDATE and DELETE. A current row is valid from valid_from; a history row from valid_from to
-- valid_to. "As of T" = current rows with valid_from <= T ∪ history rows with valid_from <= T < valid_to.
-- Who and why: changed_by / change_reason on the row (the audit trail has the full diff as well).
--
-- Scale-out: region_code (12-digit village) is on every row; county_code (generated) is the Citus distribution
-- column (docs/operations.md).

CREATE TABLE jobs (
  id              bigserial PRIMARY KEY,
  kind            text NOT NULL,                 -- 'registry.import', 'registry.export', …
  status          text NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'running', 'succeeded', 'failed', 'cancelled')),
  region_code     varchar(12) COLLATE "C" NOT NULL,
  created_by      bigint REFERENCES users(id),
  params          jsonb NOT NULL DEFAULT '{}',
  progress_done   bigint NOT NULL DEFAULT 0,
  progress_total  bigint,
  result          jsonb,
  error           jsonb,
  created_at      timestamptz NOT NULL DEFAULT now(),
  started_at      timestamptz,
  finished_at     timestamptz
);
CREATE INDEX jobs_region_idx ON jobs (region_code, id);

CREATE TABLE households (
  id                      bigserial PRIMARY KEY,
  household_no            text COLLATE "C" UNIQUE,   -- 户编号 from the county ledger (import key); NULL when created in the UI
  region_code             varchar(12) COLLATE "C" NOT NULL REFERENCES regions(code),  -- village/community (12 digits)
  county_code             char(6) COLLATE "C" GENERATED ALWAYS AS (left(region_code, 6)) STORED,
  address                 text NOT NULL,
  hukou_type              text NOT NULL CHECK (hukou_type IN ('urban', 'rural')),   -- 户籍性质
  head_person_id          bigint,
  formed_on               date,
  status                  text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'dissolved')),
  -- Housing condition (住房): safety rating from a housing-safety appraisal; C/D = dangerous (危房).
  housing_structure       text,
  housing_rating          char(1) CHECK (housing_rating IN ('A', 'B', 'C', 'D')),
  housing_appraised_on    date,
  housing_appraisal_body  text,
  -- Payment account (发放账户); the account number is masked in every view.
  bank_name               text,
  bank_account            text,
  bank_account_holder     text,
  version                 integer NOT NULL DEFAULT 1,
  valid_from              timestamptz NOT NULL DEFAULT now(),
  changed_by              bigint,
  change_reason           text,
  created_at              timestamptz NOT NULL DEFAULT now(),
  CHECK (length(region_code) = 12)
);
CREATE INDEX households_region_idx ON households (region_code, id);
CREATE INDEX households_county_idx ON households (county_code, id);
CREATE INDEX households_rating_idx ON households (county_code, housing_rating) WHERE housing_rating IN ('C', 'D');

CREATE TABLE persons (
  id                  bigserial PRIMARY KEY,
  id_number           char(18) COLLATE "C" NOT NULL UNIQUE,   -- GB 11643 resident ID, one record per number
  name                text COLLATE "C" NOT NULL,
  sex                 char(1) NOT NULL CHECK (sex IN ('M', 'F')),
  birth_date          date NOT NULL,
  ethnicity           text,
  phone               text,
  hukou_region_code   varchar(12) COLLATE "C",       -- 户籍地
  hukou_local         boolean NOT NULL DEFAULT true, -- 本地户籍
  education           text,
  student_status      text CHECK (student_status IN ('none', 'preschool', 'primary', 'junior', 'senior', 'vocational', 'college', 'bachelor', 'postgraduate')),
  health              text CHECK (health IN ('healthy', 'chronic', 'grave_illness', 'disabled')),
  grave_illness       boolean NOT NULL DEFAULT false,  -- 重病
  labour_capacity     text CHECK (labour_capacity IN ('full', 'partial', 'none')),
  death_date          date,
  household_id        bigint REFERENCES households(id),
  relation            text CHECK (relation IN ('head', 'spouse', 'child', 'parent', 'grandchild', 'sibling', 'other')),
  region_code         varchar(12) COLLATE "C" NOT NULL,   -- the household's village (denormalised for the scope filter)
  county_code         char(6) COLLATE "C" GENERATED ALWAYS AS (left(region_code, 6)) STORED,
  version             integer NOT NULL DEFAULT 1,
  valid_from          timestamptz NOT NULL DEFAULT now(),
  changed_by          bigint,
  change_reason       text,
  created_at          timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX persons_household_idx ON persons (household_id);
CREATE INDEX persons_region_idx ON persons (region_code, id);
CREATE INDEX persons_county_name_idx ON persons (county_code, name, id);
CREATE INDEX persons_name_idx ON persons (name, id);
ALTER TABLE households ADD CONSTRAINT households_head_fk FOREIGN KEY (head_person_id) REFERENCES persons(id) DEFERRABLE INITIALLY DEFERRED;

-- Moves between households are recorded, not overwritten: one row per stay of a person in a household.
CREATE TABLE household_memberships (
  id             bigserial PRIMARY KEY,
  person_id      bigint NOT NULL REFERENCES persons(id),
  household_id   bigint NOT NULL REFERENCES households(id),
  relation       text NOT NULL CHECK (relation IN ('head', 'spouse', 'child', 'parent', 'grandchild', 'sibling', 'other')),
  region_code    varchar(12) COLLATE "C" NOT NULL,
  joined_on      date NOT NULL,
  left_on        date,
  leave_reason   text,
  created_by     bigint,
  created_at     timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX household_memberships_person_idx ON household_memberships (person_id, joined_on);
CREATE INDEX household_memberships_household_idx ON household_memberships (household_id);
CREATE UNIQUE INDEX household_memberships_open_uq ON household_memberships (person_id) WHERE left_on IS NULL;

-- 残疾人证. generation 1 or 2 (only the 2nd generation qualifies for the two subsidies, POLICY §4).
CREATE TABLE disability_certs (
  id                     bigserial PRIMARY KEY,
  person_id              bigint NOT NULL REFERENCES persons(id),
  region_code            varchar(12) COLLATE "C" NOT NULL,
  county_code            char(6) COLLATE "C" GENERATED ALWAYS AS (left(region_code, 6)) STORED,
  cert_no                text NOT NULL,
  generation             smallint NOT NULL CHECK (generation IN (1, 2)),
  disability_type        text NOT NULL CHECK (disability_type IN ('visual', 'hearing', 'speech', 'physical', 'intellectual', 'mental', 'multiple')),
  disability_level       smallint CHECK (disability_level BETWEEN 1 AND 4),
  issued_on              date,
  expires_on             date,
  needs_long_term_care   boolean NOT NULL DEFAULT false,
  care_since             date,
  version                integer NOT NULL DEFAULT 1,
  valid_from             timestamptz NOT NULL DEFAULT now(),
  changed_by             bigint,
  change_reason          text,
  CHECK (generation = 1 OR disability_level IS NOT NULL)
);
CREATE UNIQUE INDEX disability_certs_person_uq ON disability_certs (person_id);
CREATE INDEX disability_certs_region_idx ON disability_certs (county_code, disability_type, disability_level);

-- Income items by the four national classes plus the kinds excluded by policy (POLICY §2, [A art.13]).
CREATE TABLE income_items (
  id             bigserial PRIMARY KEY,
  household_id   bigint NOT NULL REFERENCES households(id),
  person_id      bigint REFERENCES persons(id),
  region_code    varchar(12) COLLATE "C" NOT NULL,
  kind           text NOT NULL CHECK (kind IN (
                   'wages', 'business_net', 'property_net', 'transfer_net',               -- counted
                   'special_care', 'family_planning', 'scholarship', 'heroic_award',      -- excluded [A art.13]
                   'social_assistance', 'basic_pension', 'other_excluded')),
  period         text NOT NULL CHECK (period IN ('monthly', 'annual')),
  amount_fen     bigint NOT NULL CHECK (amount_fen >= 0),
  verified       boolean NOT NULL DEFAULT false,     -- declared (false) or verified by 信息核对 (true)
  source         text,
  version        integer NOT NULL DEFAULT 1,
  valid_from     timestamptz NOT NULL DEFAULT now(),
  changed_by     bigint,
  change_reason  text
);
CREATE INDEX income_items_household_idx ON income_items (household_id);

CREATE TABLE property_items (
  id             bigserial PRIMARY KEY,
  household_id   bigint NOT NULL REFERENCES households(id),
  person_id      bigint REFERENCES persons(id),
  region_code    varchar(12) COLLATE "C" NOT NULL,
  kind           text NOT NULL CHECK (kind IN ('deposit', 'securities', 'commercial_insurance', 'vehicle', 'house', 'business', 'other')),
  description    text,
  vehicle_type   text,
  area_sqm       numeric(10, 2) CHECK (area_sqm >= 0),
  value_fen      bigint NOT NULL CHECK (value_fen >= 0),
  source         text,
  version        integer NOT NULL DEFAULT 1,
  valid_from     timestamptz NOT NULL DEFAULT now(),
  changed_by     bigint,
  change_reason  text
);
CREATE INDEX property_items_household_idx ON property_items (household_id);

-- The registry's view of who receives what; programme modules (低保, 特困, subsidies) write it from their cases.
CREATE TABLE programme_enrollments (
  id                  bigserial PRIMARY KEY,
  household_id        bigint NOT NULL REFERENCES households(id),
  person_id           bigint REFERENCES persons(id),     -- NULL for household-level programmes (低保)
  region_code         varchar(12) COLLATE "C" NOT NULL,
  county_code         char(6) COLLATE "C" GENERATED ALWAYS AS (left(region_code, 6)) STORED,
  programme           text NOT NULL CHECK (programme IN ('dibao', 'tekun', 'disability_living', 'disability_nursing',
                                                          'temporary', 'medical', 'left_behind_child', 'low_income_edge')),
  dibao_kind          text CHECK (dibao_kind IN ('urban', 'rural')),
  rural_class         smallint CHECK (rural_class BETWEEN 1 AND 4),
  status              text NOT NULL CHECK (status IN ('active', 'suspended', 'ended')),
  start_month         char(7) NOT NULL,    -- YYYY-MM (China Standard Time)
  end_month           char(7),
  monthly_amount_fen  bigint CHECK (monthly_amount_fen >= 0),
  case_ref            text,
  version             integer NOT NULL DEFAULT 1,
  valid_from          timestamptz NOT NULL DEFAULT now(),
  changed_by          bigint,
  change_reason       text
);
CREATE INDEX programme_enrollments_household_idx ON programme_enrollments (household_id);
CREATE INDEX programme_enrollments_county_idx ON programme_enrollments (county_code, programme, status);
CREATE INDEX programme_enrollments_person_idx ON programme_enrollments (person_id) WHERE person_id IS NOT NULL;

-- History tables and the trigger that fills them.
CREATE TABLE households_history (LIKE households EXCLUDING CONSTRAINTS EXCLUDING INDEXES, valid_to timestamptz NOT NULL);
CREATE TABLE persons_history (LIKE persons EXCLUDING CONSTRAINTS EXCLUDING INDEXES, valid_to timestamptz NOT NULL);
CREATE TABLE disability_certs_history (LIKE disability_certs EXCLUDING CONSTRAINTS EXCLUDING INDEXES, valid_to timestamptz NOT NULL);
CREATE TABLE income_items_history (LIKE income_items EXCLUDING CONSTRAINTS EXCLUDING INDEXES, valid_to timestamptz NOT NULL);
CREATE TABLE property_items_history (LIKE property_items EXCLUDING CONSTRAINTS EXCLUDING INDEXES, valid_to timestamptz NOT NULL);
CREATE TABLE programme_enrollments_history (LIKE programme_enrollments EXCLUDING CONSTRAINTS EXCLUDING INDEXES, valid_to timestamptz NOT NULL);
CREATE INDEX households_history_idx ON households_history (id, valid_from);
CREATE INDEX persons_history_idx ON persons_history (id, valid_from);
CREATE INDEX persons_history_household_idx ON persons_history (household_id, valid_from);
CREATE INDEX disability_certs_history_idx ON disability_certs_history (person_id, valid_from);
CREATE INDEX income_items_history_idx ON income_items_history (household_id, valid_from);
CREATE INDEX property_items_history_idx ON property_items_history (household_id, valid_from);
CREATE INDEX programme_enrollments_history_idx ON programme_enrollments_history (household_id, valid_from);

CREATE FUNCTION registry_keep_history() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  -- Generated columns cannot be inserted into; the history copies keep them as plain columns.
  EXECUTE format('INSERT INTO %I SELECT ($1).*, now()', TG_TABLE_NAME || '_history') USING OLD;
  IF TG_OP = 'UPDATE' THEN
    NEW.valid_from := now();
    RETURN NEW;
  END IF;
  RETURN OLD;
END
$$;

CREATE TRIGGER households_history_trg BEFORE UPDATE OR DELETE ON households FOR EACH ROW EXECUTE FUNCTION registry_keep_history();
CREATE TRIGGER persons_history_trg BEFORE UPDATE OR DELETE ON persons FOR EACH ROW EXECUTE FUNCTION registry_keep_history();
CREATE TRIGGER disability_certs_history_trg BEFORE UPDATE OR DELETE ON disability_certs FOR EACH ROW EXECUTE FUNCTION registry_keep_history();
CREATE TRIGGER income_items_history_trg BEFORE UPDATE OR DELETE ON income_items FOR EACH ROW EXECUTE FUNCTION registry_keep_history();
CREATE TRIGGER property_items_history_trg BEFORE UPDATE OR DELETE ON property_items FOR EACH ROW EXECUTE FUNCTION registry_keep_history();
CREATE TRIGGER programme_enrollments_history_trg BEFORE UPDATE OR DELETE ON programme_enrollments FOR EACH ROW EXECUTE FUNCTION registry_keep_history();
