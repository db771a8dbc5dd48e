-- Policy fact snapshots (issue 6, what-if): the parameter-independent facts of every person of a county as of a
-- date — the flat row the bulk evaluation builds from the registry's joins (alive, age, 户籍, certificate, 低保
-- kind/class, 特困 enrollment, benefit flags, per-person income and property) — kept so that a what-if simulation
-- evaluates its two scenarios over one narrow table instead of re-joining the registry. Built set-based by
-- `INSERT … SELECT` from the very expression the live evaluation uses (src/server/modules/policy/bulk-repo.ts), so the
-- two agree by construction; refreshed on demand (what-if screen, API, `jiuzhu policy-snapshot`, e.g. monthly by cron).
-- Parameters are NOT in the snapshot: a what-if applies the parameters in force (and the changed ones) at query time.
-- Supporters (legal_supporters) are read live, as in the live evaluation.

CREATE TABLE policy_fact_snapshots (
  county_code     char(6) COLLATE "C" NOT NULL,
  as_of           date NOT NULL,
  persons         integer NOT NULL,
  refreshed_at    timestamptz NOT NULL DEFAULT now(),
  refreshed_by    bigint,
  job_id          bigint,
  seconds         numeric(10, 2),
  PRIMARY KEY (county_code, as_of)
);

CREATE TABLE policy_person_facts (
  as_of                 date NOT NULL,
  county_code           char(6) COLLATE "C" NOT NULL,
  person_id             bigint NOT NULL,
  region_code           varchar(12) COLLATE "C" NOT NULL,
  household_id          bigint NOT NULL,
  alive                 boolean NOT NULL,
  age                   integer,
  student               boolean NOT NULL,
  hukou_type            text NOT NULL,
  base_ok               boolean,
  orphan                boolean NOT NULL,
  child_scheme          boolean NOT NULL,
  liv_other             bigint,
  liv_other_unknown     boolean NOT NULL,
  nur_other             bigint,
  nur_other_unknown     boolean NOT NULL,
  dib_id                bigint,
  dkind                 text,
  rural_class           integer,
  class34_family        boolean NOT NULL,
  dtype                 text,
  dlevel                integer,
  needs_long_term_care  boolean,
  severe                boolean NOT NULL,
  income                bigint NOT NULL,
  property              bigint NOT NULL,
  PRIMARY KEY (as_of, county_code, person_id),
  FOREIGN KEY (county_code, as_of) REFERENCES policy_fact_snapshots (county_code, as_of) ON DELETE CASCADE
);

INSERT INTO role_permissions (role_code, permission) VALUES
  ('county_approver', 'policy.snapshot'), ('supervisor', 'policy.snapshot'), ('admin', 'policy.snapshot')
ON CONFLICT DO NOTHING;
