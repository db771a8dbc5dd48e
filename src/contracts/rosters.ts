import { z } from 'zod';
import { Cursor, RegionCode } from './common.js';

/** Monthly payment rosters (发放名册), bank files, the finance ledger (计财台帐) and monthly-update tracking. */

export const Month = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, '月份格式应为 YYYY-MM');
export const CountyCode = z.string().regex(/^\d{6}$/, '区县代码应为 6 位数字');

export const RosterProgramme = z.enum([
  'dibao',
  'tekun',
  'disability_living',
  'disability_nursing',
  'temporary',
  'medical',
  'left_behind_child',
  'low_income_edge',
]);
export type RosterProgramme = z.infer<typeof RosterProgramme>;

export const RosterStatus = z.enum(['draft', 'checked', 'approved', 'sent', 'reconciled']);
export const RosterLineKind = z.enum(['regular', 'back_pay', 'stop', 'recovery', 'reissue']);

export const GenerateRosterRequest = z.strictObject({
  countyCode: CountyCode,
  month: Month,
  programme: RosterProgramme,
});

export const RosterView = z.object({
  id: z.number().int(),
  kind: z.enum(['regular', 'reissue']),
  parentRosterId: z.number().int().nullable(),
  month: z.string(),
  countyCode: z.string(),
  countyName: z.string().nullable(),
  programme: z.string(),
  status: RosterStatus,
  lineCount: z.number().int(),
  payableCount: z.number().int(),
  totalFen: z.number().int(),
  provinceFen: z.number().int(),
  cityFen: z.number().int(),
  countyFen: z.number().int(),
  errorCount: z.number().int(),
  adjustmentCount: z.number().int(),
  version: z.number().int(),
  generatedAt: z.string(),
  checkedAt: z.string().nullable(),
  approvedAt: z.string().nullable(),
  sentAt: z.string().nullable(),
  reconciledAt: z.string().nullable(),
});
export type RosterView = z.infer<typeof RosterView>;

export const RosterListQuery = z.strictObject({
  regionCode: RegionCode.optional(),
  month: Month.optional(),
  programme: RosterProgramme.optional(),
  status: RosterStatus.optional(),
  cursor: Cursor.optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

export const RosterLineView = z.object({
  lineNo: z.number().int(),
  kind: RosterLineKind,
  forMonth: z.string(),
  enrollmentId: z.number().int().nullable(),
  householdId: z.number().int(),
  personId: z.number().int().nullable(),
  payeeName: z.string().nullable(),
  /** Masked (620802********1234). */
  payeeIdNumber: z.string().nullable(),
  regionCode: z.string(),
  townshipCode: z.string(),
  coveredPersons: z.number().int().nullable(),
  dibaoKind: z.string().nullable(),
  ruralClass: z.number().int().nullable(),
  bankName: z.string().nullable(),
  /** Masked: only the last four digits (full numbers appear only in the bank file). */
  bankAccount: z.string().nullable(),
  amountFen: z.number().int(),
  provinceFen: z.number().int(),
  cityFen: z.number().int(),
  countyFen: z.number().int(),
  legalBasis: z.string(),
  reason: z.string().nullable(),
  errorCode: z.string().nullable(),
  errorMessage: z.string().nullable(),
  held: z.boolean(),
  holdReason: z.string().nullable(),
  payStatus: z.enum(['pending', 'paid', 'failed', 'not_paid']),
  failReason: z.string().nullable(),
  reissuedIn: z.number().int().nullable(),
});

export const RosterLinesQuery = z.strictObject({
  kind: RosterLineKind.optional(),
  townshipCode: RegionCode.optional(),
  errorsOnly: z.enum(['true', 'false']).optional(),
  payStatus: z.enum(['pending', 'paid', 'failed', 'not_paid']).optional(),
  cursor: Cursor.optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});

export const RosterTotals = z.object({
  byTownship: z.array(
    z.object({
      townshipCode: z.string(),
      townshipName: z.string().nullable(),
      lines: z.number().int(),
      households: z.number().int(),
      persons: z.number().int(),
      totalFen: z.number().int(),
      provinceFen: z.number().int(),
      cityFen: z.number().int(),
      countyFen: z.number().int(),
    }),
  ),
  byKind: z.array(z.object({ kind: RosterLineKind, lines: z.number().int(), totalFen: z.number().int() })),
});

export const RosterSummaryQuery = z.strictObject({
  regionCode: RegionCode.optional(),
  month: Month,
});
export const RosterSummary = z.object({
  month: z.string(),
  items: z.array(
    z.object({
      countyCode: z.string(),
      countyName: z.string().nullable(),
      programme: z.string(),
      rosters: z.number().int(),
      status: z.string(),
      lines: z.number().int(),
      totalFen: z.number().int(),
    }),
  ),
});

export const VersionBody = z.strictObject({ version: z.number().int().positive() });

export const HoldLineRequest = z.strictObject({
  version: z.number().int().positive(),
  held: z.boolean(),
  reason: z.string().trim().min(2, '请说明暂缓发放的原因').max(200).optional(),
});

export const RosterErrorItem = z.object({
  lineNo: z.number().int(),
  payeeName: z.string().nullable(),
  code: z.string(),
  message: z.string(),
});

export const BankLayoutColumn = z.strictObject({
  /** seq account holder name id_number amount_yuan amount_fen month county_code programme remark */
  field: z.string().min(1).max(40),
  header: z
    .string()
    .max(40, '列标题不超过 40 个字符')
    .regex(/^[^\r\n,"]*$/, '列标题不能含换行、逗号或引号')
    .optional(),
  /** fixed width only: bytes in the file's encoding */
  width: z.number().int().min(1, '宽度至少 1 字节').max(200, '宽度不超过 200 字节').optional(),
  align: z.enum(['left', 'right']).optional(),
  pad: z.enum([' ', '0']).optional(),
});

export const BankLayoutInput = z.strictObject({
  name: z.string().trim().min(2, '名称至少 2 个字').max(100),
  bankName: z.string().trim().max(100).nullable().optional(),
  format: z.enum(['csv', 'fixed', 'xlsx']),
  encoding: z.enum(['utf-8', 'gbk']),
  header: z.boolean(),
  columns: z.array(BankLayoutColumn).min(1, '至少需要一列').max(30, '最多 30 列'),
  note: z.string().max(500).nullable().optional(),
});
export const CreateBankLayoutRequest = BankLayoutInput.extend({
  code: z.string().regex(/^[a-z][a-z0-9_]{1,39}$/, '格式代码为 2–40 位小写字母、数字或下划线，以字母开头'),
});
export const BankLayoutPreviewRequest = BankLayoutInput.extend({
  /** the code being edited (not used by the preview) */
  code: z.string().max(40).optional(),
  month: z
    .string()
    .regex(/^\d{4}-(0[1-9]|1[0-2])$/, '月份格式应为 YYYY-MM')
    .optional(),
});

export const BankLayoutView = z.object({
  id: z.number().int(),
  code: z.string(),
  version: z.number().int(),
  status: z.enum(['active', 'superseded', 'disabled']),
  /** '' = shipped with the system (read-only); otherwise the area that owns it */
  regionCode: z.string(),
  name: z.string(),
  bankName: z.string().nullable(),
  format: z.enum(['csv', 'fixed', 'xlsx']),
  encoding: z.enum(['utf-8', 'gbk']),
  header: z.boolean(),
  columns: z.array(
    z.object({
      field: z.string(),
      header: z.string().optional(),
      width: z.number().int().optional(),
      align: z.enum(['left', 'right']).optional(),
      pad: z.string().optional(),
    }),
  ),
  note: z.string().nullable(),
  /** bank files produced with any version of this code */
  bankFiles: z.number().int(),
  /** the caller may make a new version / disable it */
  manageable: z.boolean(),
  createdAt: z.string(),
});
export const BankFileRecord = z.object({
  id: z.number().int(),
  createdAt: z.string(),
  layoutCode: z.string(),
  layoutVersion: z.number().int(),
  layoutName: z.string(),
  payments: z.number().int(),
  totalFen: z.number().int(),
  /** SHA-256 of the file as delivered */
  sha256: z.string(),
  createdBy: z.string().nullable(),
});
export const BankLayoutsQuery = z.strictObject({ includeDisabled: z.enum(['true', 'false']).default('false') });
export const BankLayoutPreview = z.object({
  problems: z.array(z.object({ field: z.string(), code: z.string(), message: z.string() })),
  /** CSV / fixed width: the text lines as written (decoded), with their length in bytes of the encoding */
  lines: z.array(z.string()),
  byteLengths: z.array(z.number().int()),
  /** xlsx: the cells */
  rows: z.array(z.array(z.union([z.string(), z.number()]))),
});

export const BankFileQuery = z.strictObject({ layout: z.string().min(1).max(40).default('generic_csv') });

export const BankReturnProblem = z.object({
  kind: z.enum([
    'wrong_month',
    'wrong_county',
    'wrong_roster',
    'wrong_total',
    'wrong_count',
    'unknown_account',
    'amount_mismatch',
    'bad_row',
    'duplicate_account',
  ]),
  row: z.number().int().nullable(),
  message: z.string(),
});

export const BankReturnResult = z.object({
  id: z.number().int(),
  applied: z.boolean(),
  paidCount: z.number().int(),
  failedCount: z.number().int(),
  problems: z.array(BankReturnProblem),
  failedLines: z.array(
    z.object({
      lineNo: z.number().int(),
      payeeName: z.string().nullable(),
      amountFen: z.number().int(),
      reason: z.string(),
    }),
  ),
  reissueRosterId: z.number().int().nullable(),
});

export const LedgerQuery = z.strictObject({
  regionCode: RegionCode.optional(),
  month: Month,
  programme: RosterProgramme.optional(),
});
export const LedgerTotals = z.object({
  month: z.string(),
  items: z.array(
    z.object({
      countyCode: z.string(),
      countyName: z.string().nullable(),
      programme: z.string(),
      rosterId: z.number().int(),
      rosterStatus: z.string(),
      persons: z.number().int(),
      lines: z.number().int(),
      totalFen: z.number().int(),
      provinceFen: z.number().int(),
      cityFen: z.number().int(),
      countyFen: z.number().int(),
    }),
  ),
});
export const LedgerExportQuery = z.strictObject({
  countyCode: CountyCode,
  month: Month,
  programme: RosterProgramme.optional(),
  format: z.enum(['xlsx', 'csv']).default('xlsx'),
});
export const LedgerCheckQuery = z.strictObject({
  countyCode: CountyCode,
  month: Month.optional(),
  programme: RosterProgramme.optional(),
});
export const LedgerDifference = z.object({
  kind: z.enum(['missing_in_file', 'missing_in_system', 'amount_differs']),
  idNumber: z.string(),
  name: z.string().nullable(),
  month: z.string(),
  programme: z.string().nullable(),
  systemFen: z.number().int().nullable(),
  fileFen: z.number().int().nullable(),
  fileRow: z.number().int().nullable(),
});
export const LedgerCheckResult = z.object({
  encoding: z.string(),
  headerRow: z.number().int(),
  columns: z.record(z.string(), z.string()),
  rowsRead: z.number().int(),
  rowsSkipped: z.array(z.object({ row: z.number().int(), reason: z.string() })),
  systemLines: z.number().int(),
  clean: z.boolean(),
  differences: z.array(LedgerDifference),
});

export const MonthlyUpdateQuery = z.strictObject({ regionCode: RegionCode.optional(), month: Month.optional() });
export const CountyUpdateStatus = z.object({
  countyCode: z.string(),
  countyName: z.string().nullable(),
  month: z.string(),
  lastRegistryChangeAt: z.string().nullable(),
  lastEntitlementChangeAt: z.string().nullable(),
  confirmedAt: z.string().nullable(),
  rosters: z.array(z.object({ programme: z.string(), status: z.string() })),
  deadline: z.string(),
  late: z.boolean(),
  reasons: z.array(z.string()),
});
/** The confirmation's answer: the county's status, and the fact-snapshot refresh it started (when the county uses them). */
export const ConfirmedUpdate = CountyUpdateStatus.extend({ factSnapshotJobId: z.number().int().nullable() });
export const MonthlyUpdateList = z.object({
  month: z.string(),
  deadline: z.string(),
  items: z.array(CountyUpdateStatus),
});
export const ConfirmUpdateRequest = z.strictObject({
  countyCode: CountyCode,
  month: Month,
  note: z.string().trim().max(200).optional(),
});
