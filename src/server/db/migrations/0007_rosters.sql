-- Monthly payment rosters (发放名册), bank files and returns, the finance ledger (计财台帐) derived from them,
-- big-data exports, the registry exchange API (API clients, tokens, call log) and monthly-update tracking
-- (docs/rosters.md, docs/exchange-api.md). POLICY.md S11: the system is the single source of the data the
-- bureau gives out; §2 [A arts.21,25]: benefits are paid monthly to a bank account.

-- Per-programme roster settings: does the programme pay monthly, the funding split (basis points of 10000:
-- province / city / county, the county takes the rounding remainder) and the legal basis printed on each line.
-- region_code '' = the deployment default; a 2/4/6-digit code overrides it for that area (longest prefix wins).
-- Splits the seed states are marked [seed]; the others are local settings (is_local_setting = true).
CREATE TABLE roster_programme_settings (
  programme         text NOT NULL,
  region_code       varchar(12) COLLATE "C" NOT NULL DEFAULT '',
  pays_monthly      boolean NOT NULL,
  province_bp       integer NOT NULL CHECK (province_bp BETWEEN 0 AND 10000),
  city_bp           integer NOT NULL CHECK (city_bp BETWEEN 0 AND 10000),
  county_bp         integer NOT NULL CHECK (county_bp BETWEEN 0 AND 10000),
  legal_basis       text NOT NULL CHECK (length(btrim(legal_basis)) > 0),
  is_local_setting  boolean NOT NULL,
  note              text,
  PRIMARY KEY (programme, region_code),
  CHECK (province_bp + city_bp + county_bp = 10000)
);

INSERT INTO roster_programme_settings (programme, pays_monthly, province_bp, city_bp, county_bp, legal_basis, is_local_setting, note) VALUES
  ('dibao', true, 8000, 1000, 1000,
   '《最低生活保障审核确认办法》第二十一条、第二十三条、第二十五条 [A arts.21,23,25]：按月发放至银行账户', true,
   '资金分担比例无全国统一规定，为本地设置（默认 省80%/市10%/县10%）'),
  ('tekun', true, 8000, 1000, 1000,
   '《特困人员认定办法》第十八条、第二十四条 [C arts.18,24]：自确认次月起给予救助供养', true,
   '资金分担比例为本地设置（默认 省80%/市10%/县10%）'),
  ('disability_living', true, 7000, 0, 3000,
   '国发〔2015〕52号 [K]；困难残疾人生活补贴 100元/人/月，省级70元、地方30元 [seed]', false,
   '省70%/地方30% 依据讲话 [seed]；地方部分默认全部由县承担（本地设置）'),
  ('disability_nursing', true, 8000, 0, 2000,
   '国发〔2015〕52号 [K]；重度残疾人护理补贴 100元/人/月，省级80元、地方20元 [seed]', false,
   '省80%/地方20% 依据讲话 [seed]；地方部分默认全部由县承担（本地设置）'),
  ('temporary', true, 0, 5000, 5000,
   '《社会救助暂行办法》第四十七条至第四十九条 [D arts.47–49]：临时救助', true, '资金分担比例为本地设置'),
  ('medical', true, 0, 5000, 5000,
   '《社会救助暂行办法》第二十八条至第三十条 [D arts.28–30]：医疗救助', true, '资金分担比例为本地设置'),
  ('left_behind_child', false, 0, 0, 10000,
   '国发〔2016〕13号 [I]：农村留守儿童关爱保护（非现金项目）', true, '不按月发放'),
  ('low_income_edge', false, 0, 0, 10000,
   '低收入人口动态监测意见 [G]：低保边缘家庭（监测对象，非现金项目）', true, '不按月发放');

CREATE TABLE rosters (
  id                 bigserial PRIMARY KEY,
  kind               text NOT NULL DEFAULT 'regular' CHECK (kind IN ('regular', 'reissue')),
  parent_roster_id   bigint REFERENCES rosters(id),          -- a re-issue roster: the roster whose failed lines it re-pays
  month              char(7) COLLATE "C" NOT NULL CHECK (month ~ '^\d{4}-(0[1-9]|1[0-2])$'),
  county_code        char(6) COLLATE "C" NOT NULL REFERENCES regions(code),
  region_code        varchar(12) COLLATE "C" NOT NULL,      -- = county_code (scope filter)
  programme          text NOT NULL,
  status             text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'checked', 'approved', 'sent', 'reconciled')),
  line_count         integer NOT NULL DEFAULT 0,
  payable_count      integer NOT NULL DEFAULT 0,
  total_fen          bigint NOT NULL DEFAULT 0,
  province_fen       bigint NOT NULL DEFAULT 0,
  city_fen           bigint NOT NULL DEFAULT 0,
  county_fen         bigint NOT NULL DEFAULT 0,
  error_count        integer NOT NULL DEFAULT 0,
  adjustment_count   integer NOT NULL DEFAULT 0,
  version            integer NOT NULL DEFAULT 1,
  generated_at       timestamptz NOT NULL DEFAULT now(),
  generated_by       bigint,
  checked_at         timestamptz,
  checked_by         bigint,
  approved_at        timestamptz,
  approved_by        bigint,
  sent_at            timestamptz,
  sent_by            bigint,
  reconciled_at      timestamptz,
  reconciled_by      bigint,
  created_at         timestamptz NOT NULL DEFAULT now(),
  CHECK (region_code = county_code),
  CHECK ((kind = 'reissue') = (parent_roster_id IS NOT NULL))
);
-- One regular roster per county-month-programme (a second concurrent generation loses with 23505 → 409).
CREATE UNIQUE INDEX rosters_regular_uq ON rosters (month, county_code, programme) WHERE kind = 'regular';
CREATE INDEX rosters_region_idx ON rosters (region_code, month, id);
CREATE INDEX rosters_county_programme_idx ON rosters (county_code, programme, month);

-- Lines are a snapshot: payee, account and amount are copied at generation and frozen on approval.
CREATE TABLE roster_lines (
  roster_id            bigint NOT NULL REFERENCES rosters(id) ON DELETE CASCADE,
  line_no              integer NOT NULL,
  kind                 text NOT NULL CHECK (kind IN ('regular', 'back_pay', 'stop', 'recovery', 'reissue')),
  for_month            char(7) COLLATE "C" NOT NULL,      -- the month the money is for (adjustments: a past month)
  enrollment_id        bigint,
  household_id         bigint NOT NULL,
  person_id            bigint,                            -- beneficiary of a person-level programme
  payee_person_id      bigint,
  payee_name           text,
  payee_id_number      char(18) COLLATE "C",
  region_code          varchar(12) COLLATE "C" NOT NULL,  -- village
  township_code        char(9) COLLATE "C" NOT NULL,
  covered_persons      integer,
  dibao_kind           text,
  rural_class          smallint,
  bank_name            text,
  bank_account         text,
  bank_account_holder  text,
  amount_fen           bigint NOT NULL,
  province_fen         bigint NOT NULL,
  city_fen             bigint NOT NULL,
  county_fen           bigint NOT NULL,
  legal_basis          text NOT NULL,
  reason               text,
  error_code           text,
  error_message        text,
  held                 boolean NOT NULL DEFAULT false,
  hold_reason          text,
  pay_status           text NOT NULL DEFAULT 'pending' CHECK (pay_status IN ('pending', 'paid', 'failed', 'not_paid')),
  fail_reason          text,
  reissued_in          bigint REFERENCES rosters(id),
  PRIMARY KEY (roster_id, line_no),
  CHECK (province_fen + city_fen + county_fen = amount_fen)
);
CREATE INDEX roster_lines_enrollment_idx ON roster_lines (enrollment_id, for_month) WHERE enrollment_id IS NOT NULL;
CREATE INDEX roster_lines_person_idx ON roster_lines (payee_id_number);

-- Frozen: once a roster is approved, its lines' content never changes; only the bank outcome is recorded.
-- Statement-level triggers with transition tables (one set-based check per statement, not per row).
CREATE FUNCTION roster_lines_frozen_ins_del() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    IF EXISTS (SELECT 1 FROM changed_rows n JOIN rosters r ON r.id = n.roster_id WHERE r.status NOT IN ('draft', 'checked')) THEN
      RAISE EXCEPTION 'roster is frozen' USING ERRCODE = '55000';
    END IF;
  ELSE
    IF EXISTS (SELECT 1 FROM changed_rows o JOIN rosters r ON r.id = o.roster_id WHERE r.status NOT IN ('draft', 'checked')) THEN
      RAISE EXCEPTION 'roster is frozen' USING ERRCODE = '55000';
    END IF;
  END IF;
  RETURN NULL;
END
$$;
CREATE TRIGGER roster_lines_frozen_ins_trg AFTER INSERT ON roster_lines
  REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION roster_lines_frozen_ins_del();
CREATE TRIGGER roster_lines_frozen_del_trg AFTER DELETE ON roster_lines
  REFERENCING OLD TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION roster_lines_frozen_ins_del();

CREATE FUNCTION roster_lines_frozen_upd() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF EXISTS (
    SELECT 1 FROM new_rows n JOIN old_rows o USING (roster_id, line_no) JOIN rosters r ON r.id = n.roster_id
    WHERE r.status NOT IN ('draft', 'checked')
      AND (to_jsonb(n) - 'pay_status' - 'fail_reason' - 'reissued_in') <> (to_jsonb(o) - 'pay_status' - 'fail_reason' - 'reissued_in')
  ) THEN
    RAISE EXCEPTION 'roster is frozen' USING ERRCODE = '55000';
  END IF;
  RETURN NULL;
END
$$;
CREATE TRIGGER roster_lines_frozen_upd_trg AFTER UPDATE ON roster_lines
  REFERENCING NEW TABLE AS new_rows OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION roster_lines_frozen_upd();

-- Bank file layouts (per bank): CSV, fixed-width or an xlsx template. columns: [{field, header, width?, align?}]
-- fields: seq, account, holder, name, id_number, amount_yuan, amount_fen, month, county_code, programme, remark.
CREATE TABLE bank_layouts (
  code          text PRIMARY KEY,
  name          text NOT NULL,
  bank_name     text,                     -- NULL: any bank
  format        text NOT NULL CHECK (format IN ('csv', 'fixed', 'xlsx')),
  encoding      text NOT NULL DEFAULT 'utf-8' CHECK (encoding IN ('utf-8', 'gbk')),
  header        boolean NOT NULL DEFAULT true,
  columns       jsonb NOT NULL,
  created_at    timestamptz NOT NULL DEFAULT now()
);
INSERT INTO bank_layouts (code, name, bank_name, format, encoding, header, columns) VALUES
  ('generic_csv', '通用 CSV（UTF-8）', NULL, 'csv', 'utf-8', true,
   '[{"field":"seq","header":"序号"},{"field":"account","header":"账号"},{"field":"holder","header":"户名"},{"field":"amount_yuan","header":"金额"},{"field":"id_number","header":"身份证号"},{"field":"remark","header":"摘要"}]'),
  ('rcc_fixed', '农村信用社 定长文本（GBK）', '农村信用社', 'fixed', 'gbk', false,
   '[{"field":"seq","width":6,"align":"right","pad":"0"},{"field":"account","width":25},{"field":"holder","width":20},{"field":"amount_fen","width":12,"align":"right","pad":"0"},{"field":"month","width":7}]'),
  ('abc_xlsx', '农业银行 代发工资模板（xlsx）', '农业银行', 'xlsx', 'utf-8', true,
   '[{"field":"seq","header":"序号"},{"field":"holder","header":"户名"},{"field":"account","header":"卡号"},{"field":"amount_yuan","header":"金额（元）"},{"field":"remark","header":"用途"}]');

-- Bank return imports: what the bank reported, and what was applied (nothing when the file itself is wrong).
CREATE TABLE bank_returns (
  id                 bigserial PRIMARY KEY,
  roster_id          bigint NOT NULL REFERENCES rosters(id),
  region_code        varchar(12) COLLATE "C" NOT NULL,
  filename           text,
  applied            boolean NOT NULL,
  paid_count         integer NOT NULL DEFAULT 0,
  failed_count       integer NOT NULL DEFAULT 0,
  problems           jsonb NOT NULL DEFAULT '[]',
  reissue_roster_id  bigint REFERENCES rosters(id),
  imported_by        bigint,
  imported_at        timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX bank_returns_roster_idx ON bank_returns (roster_id);

-- Receiving platforms of big-data exports and the masking each gets (docs/exchange-api.md).
CREATE TABLE export_platforms (
  code        text PRIMARY KEY,
  name        text NOT NULL,
  id_number   text NOT NULL CHECK (id_number IN ('full', 'masked')),
  name_rule   text NOT NULL CHECK (name_rule IN ('full', 'masked')),
  phone       text NOT NULL CHECK (phone IN ('full', 'masked', 'omit')),
  address     text NOT NULL CHECK (address IN ('full', 'omit')),
  note        text
);
INSERT INTO export_platforms (code, name, id_number, name_rule, phone, address, note) VALUES
  ('poverty_bigdata', '精准扶贫大数据平台', 'full', 'full', 'masked', 'full', 'S11：低保系统数据导入大数据平台（须按身份证号比对）'),
  ('gov_info', '政府信息平台', 'masked', 'full', 'omit', 'omit', '共享统计与公开用途，身份证号脱敏'),
  ('verification', '核对平台', 'full', 'full', 'full', 'full', '居民家庭经济状况核对（信息核对，[A art.15]）'),
  ('statistics', '统计分析', 'masked', 'masked', 'omit', 'omit', '仅统计，不含可识别信息');

-- Registry exchange API clients (OAuth 2.0 client credentials). The secret is kept as an argon2id hash.
CREATE TABLE api_clients (
  id               bigserial PRIMARY KEY,
  client_id        text COLLATE "C" NOT NULL UNIQUE,
  secret_hash      text NOT NULL,
  name             text NOT NULL,
  region_code      varchar(12) COLLATE "C" NOT NULL,        -- the managing admin's area (scope of management)
  region_codes     text[] NOT NULL CHECK (cardinality(region_codes) > 0),  -- areas the client may read
  purposes         text[] NOT NULL CHECK (cardinality(purposes) > 0),
  platform         text NOT NULL REFERENCES export_platforms(code),       -- masking profile
  rate_per_minute  integer NOT NULL DEFAULT 600 CHECK (rate_per_minute > 0),
  status           text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'disabled')),
  version          integer NOT NULL DEFAULT 1,
  created_by       bigint,
  created_at       timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX api_clients_region_idx ON api_clients (region_code, id);

CREATE TABLE api_tokens (
  token_hash   text PRIMARY KEY,
  client_pk    bigint NOT NULL REFERENCES api_clients(id) ON DELETE CASCADE,
  expires_at   timestamptz NOT NULL,
  created_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX api_tokens_client_idx ON api_tokens (client_pk);

-- Every exchange call (append-only). Kept apart from the hash-chained audit trail so concurrent readers do not
-- serialise on the audit lock; `jiuzhu` audit readers join both (docs/exchange-api.md).
CREATE TABLE exchange_call_log (
  id              bigserial PRIMARY KEY,
  at              timestamptz NOT NULL DEFAULT now(),
  client_pk       bigint,
  client_id       text,
  operation       text NOT NULL,
  transaction_id  text,
  purpose         text,
  request         jsonb,
  status          integer NOT NULL,
  result_count    integer NOT NULL DEFAULT 0,
  person_ids      bigint[],
  ip              text
);
CREATE INDEX exchange_call_log_client_idx ON exchange_call_log (client_pk, at);
CREATE FUNCTION exchange_call_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'exchange_call_log is append-only' USING ERRCODE = '55000';
END
$$;
CREATE TRIGGER exchange_call_log_append_only_trg BEFORE UPDATE OR DELETE ON exchange_call_log
  FOR EACH ROW EXECUTE FUNCTION exchange_call_log_append_only();

-- Monthly update tracking (S11: updated monthly; late counties answer for it). A county confirms that its
-- registry and cases are up to date for a month; the deadline day is a local setting.
CREATE TABLE county_monthly_updates (
  county_code     char(6) COLLATE "C" NOT NULL REFERENCES regions(code),
  region_code     varchar(12) COLLATE "C" NOT NULL,
  month           char(7) COLLATE "C" NOT NULL CHECK (month ~ '^\d{4}-(0[1-9]|1[0-2])$'),
  confirmed_at    timestamptz NOT NULL DEFAULT now(),
  confirmed_by    bigint,
  note            text,
  PRIMARY KEY (county_code, month),
  CHECK (region_code = county_code)
);

CREATE TABLE monthly_update_settings (
  region_code    varchar(12) COLLATE "C" PRIMARY KEY,     -- '' = deployment default
  deadline_day   smallint NOT NULL CHECK (deadline_day BETWEEN 1 AND 28),
  note           text
);
INSERT INTO monthly_update_settings (region_code, deadline_day, note) VALUES
  ('', 10, '本地设置：每月10日前完成当月低保、特困信息更新并生成名册（S11 按月更新）');

-- Last-change lookups per county (monthly tracking) and "changed since T" scans (incremental export, change feed).
CREATE INDEX households_county_valid_from_idx ON households (county_code, valid_from);
CREATE INDEX persons_county_valid_from_idx ON persons (county_code, valid_from);
CREATE INDEX programme_enrollments_county_valid_from_idx ON programme_enrollments (county_code, valid_from);
CREATE INDEX cases_county_updated_idx ON cases (county_code, updated_at);

INSERT INTO role_permissions (role_code, permission) VALUES
  ('county_approver', 'roster.read'), ('county_approver', 'roster.generate'), ('county_approver', 'roster.approve'),
  ('county_approver', 'roster.send'), ('county_approver', 'roster.reconcile'), ('county_approver', 'roster.bank_file'),
  ('county_approver', 'ledger.read'), ('county_approver', 'ledger.check'), ('county_approver', 'exports.run'),
  ('county_approver', 'monthly_updates.read'), ('county_approver', 'monthly_updates.confirm'),
  ('supervisor', 'roster.read'), ('supervisor', 'ledger.read'), ('supervisor', 'exports.run'),
  ('supervisor', 'monthly_updates.read'),
  ('auditor', 'roster.read'), ('auditor', 'ledger.read'), ('auditor', 'monthly_updates.read'),
  ('dept_finance', 'roster.read'), ('dept_finance', 'ledger.read'), ('dept_finance', 'ledger.check'),
  ('dept_finance', 'monthly_updates.read'),
  ('caseworker', 'monthly_updates.read'), ('township_reviewer', 'monthly_updates.read'),
  ('admin', 'api_clients.manage'), ('admin', 'monthly_updates.read')
ON CONFLICT DO NOTHING;
