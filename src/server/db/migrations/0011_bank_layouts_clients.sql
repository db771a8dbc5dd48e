-- Bank file layouts managed by county approvers and administrators, with versions (docs/rosters.md §Bank file
-- layouts), the record of every bank file produced (which layout version it used), and the permissions.
--
-- A layout row is never rewritten: a change is a new row (same code, version + 1) and the old row becomes
-- 'superseded'; a bank file already produced keeps pointing at the version it used. Only `status` may change.
-- region_code: '' = a layout shipped with the system (every area sees it); otherwise the area of the user who
-- created it (that area and the areas inside it see and use it; only users whose area contains it change it).

ALTER TABLE bank_layouts DROP CONSTRAINT bank_layouts_pkey;
ALTER TABLE bank_layouts ADD COLUMN id bigserial PRIMARY KEY;
ALTER TABLE bank_layouts ADD COLUMN version integer NOT NULL DEFAULT 1 CHECK (version > 0);
ALTER TABLE bank_layouts ADD COLUMN status text NOT NULL DEFAULT 'active'
  CHECK (status IN ('active', 'superseded', 'disabled'));
ALTER TABLE bank_layouts ADD COLUMN region_code varchar(12) COLLATE "C" NOT NULL DEFAULT '';
ALTER TABLE bank_layouts ADD COLUMN created_by bigint;
ALTER TABLE bank_layouts ADD COLUMN note text;
ALTER TABLE bank_layouts ADD CONSTRAINT bank_layouts_code_version_uq UNIQUE (code, version);
ALTER TABLE bank_layouts ADD CONSTRAINT bank_layouts_code_format_ck CHECK (code ~ '^[a-z][a-z0-9_]{1,39}$');
-- At most one current (not superseded) row per code.
CREATE UNIQUE INDEX bank_layouts_current_uq ON bank_layouts (code) WHERE status <> 'superseded';
CREATE INDEX bank_layouts_region_idx ON bank_layouts (region_code);

CREATE FUNCTION bank_layouts_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    RAISE EXCEPTION 'bank layouts are never deleted' USING ERRCODE = '55000';
  END IF;
  IF (to_jsonb(NEW) - 'status') <> (to_jsonb(OLD) - 'status') OR OLD.status = 'superseded' THEN
    RAISE EXCEPTION 'bank layouts are never rewritten; a change is a new version' USING ERRCODE = '55000';
  END IF;
  RETURN NEW;
END
$$;
CREATE TRIGGER bank_layouts_immutable_trg BEFORE UPDATE OR DELETE ON bank_layouts
  FOR EACH ROW EXECUTE FUNCTION bank_layouts_immutable();

-- Every bank file produced: the roster, the exact layout version, how many payments and the total (not the accounts).
CREATE TABLE bank_files (
  id              bigserial PRIMARY KEY,
  roster_id       bigint NOT NULL REFERENCES rosters(id),
  region_code     varchar(12) COLLATE "C" NOT NULL,
  layout_id       bigint NOT NULL REFERENCES bank_layouts(id),
  layout_code     text NOT NULL,
  layout_version  integer NOT NULL,
  payments        integer NOT NULL,
  total_fen       bigint NOT NULL,
  sha256          text NOT NULL,
  created_by      bigint,
  created_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX bank_files_roster_idx ON bank_files (roster_id);
CREATE INDEX bank_files_layout_idx ON bank_files (layout_id);

-- The call log of an API client is read page by page, newest first.
CREATE INDEX exchange_call_log_client_id_idx ON exchange_call_log (client_pk, id DESC);

INSERT INTO role_permissions (role_code, permission) VALUES
  ('county_approver', 'bank_layouts.manage'), ('admin', 'bank_layouts.manage')
ON CONFLICT DO NOTHING;
