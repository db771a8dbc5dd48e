-- Registry import (issue 3 item 7): a staging table the ledger file is COPYed into, the errors found per cell,
-- and the household keys resolved for a batch. Staging rows belong to one job (jobs, 0002) and are deleted when
-- the job ends; UNLOGGED because they are scratch data that a crash may lose (the import is then simply rerun).
--
-- Crash safety: loading the staging table commits on its own, but nothing reaches the registry tables until the
-- validate-and-merge step, which runs in ONE transaction together with the job's audit row. A kill -9 before
-- COMMIT leaves no registry change; rerunning the same file converges (the merge is idempotent).

CREATE UNLOGGED TABLE import_staging (
  job_id                bigint NOT NULL,
  row_no                integer NOT NULL,         -- row in the file (header = 1 for csv; sheet row for xlsx)
  ok                    boolean NOT NULL DEFAULT true,
  household_no          text COLLATE "C",
  region_code           varchar(12) COLLATE "C",
  address               text,
  hukou_type            text,
  relation              text,
  name                  text,
  id_number             text COLLATE "C",
  sex                   char(1),
  birth_date            date,
  ethnicity             text,
  phone                 text,
  hukou_local           boolean,
  education             text,
  student_status        text,
  health                text,
  labour_capacity       text,
  cert_no               text,
  cert_generation       smallint,
  disability_type       text,
  disability_level      smallint,
  needs_care            boolean,
  wages_fen             bigint,
  business_fen          bigint,
  property_fen          bigint,
  transfer_fen          bigint,
  housing_structure     text,
  housing_rating        text,
  housing_appraised_on  date,
  housing_appraisal_body text,
  bank_name             text,
  bank_account          text,
  hh_sig                text                      -- digest of the household columns, to find disagreeing member rows
);
-- No index: every use is a set-based pass over one job's rows (hash joins), and COPY stays fast.

-- One row per bad cell (col = 0-based column of the file) or per bad row (col NULL).
CREATE UNLOGGED TABLE import_row_errors (
  job_id    bigint NOT NULL,
  row_no    integer NOT NULL,
  col       integer,
  message   text NOT NULL
);
CREATE INDEX import_row_errors_job_idx ON import_row_errors (job_id, row_no);

-- Household id and head person id per 户编号 of a batch (new ids drawn from the sequences before writing, so a new
-- household is inserted with its head in one statement and gets no spurious history row).
CREATE UNLOGGED TABLE import_household_keys (
  job_id          bigint NOT NULL,
  household_no    text COLLATE "C" NOT NULL,
  household_id    bigint NOT NULL,
  head_person_id  bigint NOT NULL,
  new_household   boolean NOT NULL,
  PRIMARY KEY (job_id, household_no)
);

-- Income items written from the ledger: one per person and kind, so a re-import updates instead of duplicating.
CREATE UNIQUE INDEX income_items_ledger_uq ON income_items (person_id, kind) WHERE source = '台账导入';
