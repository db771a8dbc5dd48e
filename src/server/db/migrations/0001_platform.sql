-- Platform spine: administrative regions, roles and permissions, users, sessions, the audit trail.
-- Every table that holds people's data carries region_code (12-digit village or shorter node code) so that
-- (a) the access scope is a prefix filter in SQL and (b) the table can be distributed by county on Citus
-- (distribution column: county_code = left(region_code, 6)); see docs/operations.md.

-- GB/T 2260 + 统计用区划代码. level: 1 province (2 digits) · 2 city (4) · 3 county (6) · 4 township (9) · 5 village (12).
CREATE TABLE region_editions (
  edition     text PRIMARY KEY,               -- e.g. '2023' (statistical division codes of that year)
  source      text NOT NULL,                  -- dataset package or imported file
  loaded_at   timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE regions (
  code         varchar(12) COLLATE "C" PRIMARY KEY CHECK (code ~ '^[0-9]+$' AND length(code) IN (2, 4, 6, 9, 12)),
  name         text NOT NULL,
  level        smallint NOT NULL CHECK (level BETWEEN 1 AND 5),
  parent_code  varchar(12) COLLATE "C" REFERENCES regions(code),
  edition      text NOT NULL REFERENCES region_editions(edition),  -- edition the code first appeared in
  retired_in   text REFERENCES region_editions(edition),           -- edition the code disappeared from (kept for history)
  CHECK ((level = 1) = (parent_code IS NULL)),
  CHECK (length(code) = CASE level WHEN 1 THEN 2 WHEN 2 THEN 4 WHEN 3 THEN 6 WHEN 4 THEN 9 ELSE 12 END)
);
CREATE INDEX regions_parent_idx ON regions (parent_code);
CREATE INDEX regions_name_idx ON regions (name);

-- Roles and their permissions are data: the server checks them, the client receives them to shape menus.
CREATE TABLE roles (
  code        text PRIMARY KEY,
  name_zh     text NOT NULL,
  name_en     text NOT NULL,
  description text NOT NULL DEFAULT '',
  read_only   boolean NOT NULL DEFAULT false
);
CREATE TABLE role_permissions (
  role_code   text NOT NULL REFERENCES roles(code) ON DELETE CASCADE,
  permission  text NOT NULL,
  PRIMARY KEY (role_code, permission)
);

INSERT INTO roles (code, name_zh, name_en, description, read_only) VALUES
  ('caseworker',         '乡镇经办',   'Township caseworker',  '乡镇（街道）受理申请、维护台账、入户调查', false),
  ('township_reviewer',  '乡镇审核',   'Township reviewer',    '乡镇（街道）初审、组织评议与公示', false),
  ('county_approver',    '县级审批',   'County approver',      '县级民政部门审核确认、调整、停发', false),
  ('supervisor',         '监督',       'Supervisor',           '市或县民政部门，辖区内只读', true),
  ('auditor',            '审计',       'Auditor',              '辖区内只读，并可查看审计日志', true),
  ('dept_housing',       '住建部门',   'Housing dept. liaison',    '只读：危房相关数据', true),
  ('dept_finance',       '财政部门',   'Finance dept. liaison',    '只读：发放名册与计财台帐', true),
  ('dept_disability',    '残联',       'Disabled persons federation liaison', '只读：残疾人证与两项补贴', true),
  ('dept_medical',       '医保部门',   'Medical insurance liaison', '只读：医疗救助对象', true),
  ('admin',              '系统管理员', 'Administrator',        '用户、区划与系统配置', false);

INSERT INTO role_permissions (role_code, permission) VALUES
  ('caseworker', 'registry.read'), ('caseworker', 'registry.write'), ('caseworker', 'registry.import'),
  ('caseworker', 'registry.export'), ('caseworker', 'pii.reveal'), ('caseworker', 'registry.sensitive'),
  ('caseworker', 'regions.read'), ('caseworker', 'dashboard.read'),
  ('township_reviewer', 'registry.read'), ('township_reviewer', 'registry.write'), ('township_reviewer', 'registry.export'),
  ('township_reviewer', 'pii.reveal'), ('township_reviewer', 'registry.sensitive'), ('township_reviewer', 'regions.read'),
  ('township_reviewer', 'dashboard.read'),
  ('county_approver', 'registry.read'), ('county_approver', 'registry.write'), ('county_approver', 'registry.import'),
  ('county_approver', 'registry.export'), ('county_approver', 'pii.reveal'), ('county_approver', 'registry.sensitive'),
  ('county_approver', 'regions.read'), ('county_approver', 'dashboard.read'),
  ('supervisor', 'registry.read'), ('supervisor', 'registry.export'), ('supervisor', 'registry.sensitive'),
  ('supervisor', 'regions.read'), ('supervisor', 'dashboard.read'),
  ('auditor', 'registry.read'), ('auditor', 'registry.export'), ('auditor', 'registry.sensitive'), ('auditor', 'pii.reveal'),
  ('auditor', 'regions.read'), ('auditor', 'dashboard.read'), ('auditor', 'audit.read'),
  ('dept_housing', 'regions.read'), ('dept_housing', 'housing.read'), ('dept_housing', 'dashboard.read'),
  ('dept_finance', 'regions.read'), ('dept_finance', 'finance.read'), ('dept_finance', 'dashboard.read'),
  ('dept_disability', 'regions.read'), ('dept_disability', 'disability.read'), ('dept_disability', 'dashboard.read'),
  ('dept_medical', 'regions.read'), ('dept_medical', 'medical.read'), ('dept_medical', 'dashboard.read'),
  ('admin', 'users.manage'), ('admin', 'regions.read'), ('admin', 'regions.manage'), ('admin', 'audit.read'),
  ('admin', 'dashboard.read');

CREATE TABLE users (
  id                    bigserial PRIMARY KEY,
  username              text NOT NULL,
  display_name          text NOT NULL,
  password_hash         text NOT NULL,
  role_code             text NOT NULL REFERENCES roles(code),
  region_code           varchar(12) COLLATE "C" NOT NULL REFERENCES regions(code),
  status                text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'disabled')),
  must_change_password  boolean NOT NULL DEFAULT true,
  failed_logins         integer NOT NULL DEFAULT 0,
  locked_until          timestamptz,
  is_demo               boolean NOT NULL DEFAULT false,
  version               integer NOT NULL DEFAULT 1,
  password_changed_at   timestamptz,
  last_login_at         timestamptz,
  created_at            timestamptz NOT NULL DEFAULT now(),
  updated_at            timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX users_username_uq ON users (lower(username));
CREATE INDEX users_region_idx ON users (region_code);

CREATE TABLE sessions (
  token_hash    text PRIMARY KEY,          -- SHA-256 of the cookie value; the raw token is never stored
  user_id       bigint NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  csrf_token    text NOT NULL,
  created_at    timestamptz NOT NULL DEFAULT now(),
  last_seen_at  timestamptz NOT NULL DEFAULT now(),
  expires_at    timestamptz NOT NULL,      -- absolute lifetime; idle timeout is checked against last_seen_at
  ip            text,
  user_agent    text
);
CREATE INDEX sessions_user_idx ON sessions (user_id);

-- Append-only, hash-chained audit trail. Each row's hash is SHA-256 over its canonical content and the previous
-- row's hash (audit_row_hash below), so `jiuzhu audit verify` finds the first altered, deleted or reordered row.
CREATE TABLE audit_log (
  seq             bigserial PRIMARY KEY,
  at              timestamptz NOT NULL DEFAULT now(),
  actor_id        bigint,
  actor_username  text,
  actor_role      text,
  action          text NOT NULL,
  entity_type     text NOT NULL,
  entity_id       text,
  region_code     varchar(12) COLLATE "C",
  request_id      text,
  diff            jsonb,
  prev_hash       text NOT NULL,
  hash            text NOT NULL
);
CREATE INDEX audit_log_entity_idx ON audit_log (entity_type, entity_id);
CREATE INDEX audit_log_region_idx ON audit_log (region_code, seq);
CREATE INDEX audit_log_actor_idx ON audit_log (actor_id, seq);
CREATE INDEX audit_log_at_idx ON audit_log (at);

CREATE FUNCTION audit_row_hash(
  p_seq bigint, p_at timestamptz, p_actor_id bigint, p_actor_username text, p_actor_role text, p_action text,
  p_entity_type text, p_entity_id text, p_region_code text, p_request_id text, p_diff jsonb, p_prev_hash text
) RETURNS text LANGUAGE sql IMMUTABLE AS $$
  SELECT encode(sha256(convert_to(
    jsonb_build_array(
      p_seq, to_char(p_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'), p_actor_id, p_actor_username,
      p_actor_role, p_action, p_entity_type, p_entity_id, p_region_code, p_request_id, p_diff, p_prev_hash
    )::text, 'UTF8')), 'hex')
$$;

CREATE FUNCTION audit_log_forbid_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit_log is append-only (审计日志只能追加)' USING ERRCODE = 'insufficient_privilege';
END
$$;
CREATE TRIGGER audit_log_no_update BEFORE UPDATE OR DELETE ON audit_log
  FOR EACH ROW EXECUTE FUNCTION audit_log_forbid_change();
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
  FOR EACH STATEMENT EXECUTE FUNCTION audit_log_forbid_change();

-- Working-day calendar (holidays and 调休 make-up working days), maintained per county; NULL region = national.
CREATE TABLE calendar_days (
  region_code  varchar(12) COLLATE "C" NOT NULL DEFAULT '' ,
  day          date NOT NULL,
  kind         text NOT NULL CHECK (kind IN ('holiday', 'workday')),
  note         text NOT NULL DEFAULT '',
  PRIMARY KEY (region_code, day)
);
