/**
 * Errors as RFC 9457 problem+json with a stable machine `code` and a message a caseworker understands,
 * Chinese first (English via Accept-Language). Every module raises AppError with a code from the catalogue;
 * nothing else reaches the client except a generic 500 without internals.
 */
export type Locale = 'zh' | 'en';

export interface FieldError {
  /** Path of the offending field, e.g. `members[2].idNumber`, or a cell reference for imports (`B7`). */
  field: string;
  code: string;
  message: string;
}

interface CatalogueEntry {
  status: number;
  zh: string;
  en: string;
}

/** The stable machine codes. Add a code here with both languages before raising it. */
export const errorCatalogue = {
  VALIDATION_FAILED: { status: 400, zh: '提交的数据有误，请检查标出的字段', en: 'The request has invalid fields' },
  MALFORMED_JSON: { status: 400, zh: '请求内容不是有效的 JSON', en: 'The request body is not valid JSON' },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, zh: '不支持的内容类型', en: 'Unsupported content type' },
  BODY_TOO_LARGE: { status: 413, zh: '提交的内容超过大小限制', en: 'The request body is too large' },
  UNAUTHENTICATED: { status: 401, zh: '请先登录', en: 'Please sign in' },
  SESSION_EXPIRED: { status: 401, zh: '长时间未操作，登录已失效，请重新登录', en: 'Your session expired; please sign in again' },
  INVALID_CREDENTIALS: { status: 401, zh: '用户名或密码错误', en: 'Wrong username or password' },
  ACCOUNT_LOCKED: { status: 423, zh: '连续登录失败次数过多，账号已临时锁定', en: 'Too many failed sign-ins; the account is temporarily locked' },
  ACCOUNT_DISABLED: { status: 403, zh: '账号已停用，请联系管理员', en: 'This account is disabled' },
  PASSWORD_CHANGE_REQUIRED: { status: 403, zh: '首次登录或密码已重置，请先修改密码', en: 'You must change your password first' },
  WEAK_PASSWORD: { status: 400, zh: '密码不符合要求', en: 'The password does not meet the rules' },
  RATE_LIMITED: { status: 429, zh: '请求过于频繁，请稍后再试', en: 'Too many requests; try again later' },
  CSRF_FAILED: { status: 403, zh: '请求缺少有效的安全令牌（CSRF），请刷新页面后重试', en: 'Missing or invalid CSRF token' },
  FORBIDDEN: { status: 403, zh: '您的角色无权执行此操作', en: 'Your role may not do this' },
  NOT_FOUND: { status: 404, zh: '未找到该记录，或不在您的管辖范围内', en: 'Not found' },
  ROUTE_NOT_FOUND: { status: 404, zh: '接口不存在', en: 'No such endpoint' },
  VERSION_CONFLICT: { status: 409, zh: '该记录已被他人修改，请刷新后再试', en: 'Someone else changed this record; reload and try again' },
  PRECONDITION_REQUIRED: { status: 428, zh: '修改时必须提供版本号（If-Match 或 version）', en: 'A version (If-Match or version) is required' },
  DUPLICATE: { status: 409, zh: '记录已存在', en: 'The record already exists' },
  REGION_NOT_FOUND: { status: 400, zh: '行政区划代码不存在', en: 'Unknown region code' },
  REGION_OUT_OF_SCOPE: { status: 403, zh: '该行政区划不在您的管辖范围内', en: 'The region is outside your area' },
  INVALID_STATE: { status: 409, zh: '当前状态下不能执行此操作', en: 'Not allowed in the current state' },
  IMPORT_FAILED: { status: 400, zh: '导入文件有误', en: 'The import file has errors' },
  FILE_INVALID: { status: 400, zh: '文件格式不正确或已损坏', en: 'The file is not valid or is damaged' },
  FILE_TOO_LARGE: { status: 413, zh: '文件超过大小限制', en: 'The file is too large' },
  CONFIGURATION_MISSING: { status: 409, zh: '缺少必要的配置参数', en: 'A required configuration value is missing' },
  INTERNAL: { status: 500, zh: '系统内部错误，请稍后重试或联系管理员', en: 'Internal error' },
} as const satisfies Record<string, CatalogueEntry>;

export type ErrorCode = keyof typeof errorCatalogue;

export interface AppErrorOptions {
  /** Overrides the catalogue's Chinese detail. */
  detail?: string;
  detailEn?: string;
  fields?: FieldError[];
  status?: number;
  /** Extra machine-readable members of the problem document (e.g. `missing` materials). */
  extra?: Record<string, unknown>;
}

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly detail?: string;
  readonly detailEn?: string;
  readonly fields: FieldError[];
  readonly extra?: Record<string, unknown>;

  constructor(code: ErrorCode, opts: AppErrorOptions = {}) {
    super(`${code}: ${opts.detail ?? errorCatalogue[code].en}`);
    this.code = code;
    this.status = opts.status ?? errorCatalogue[code].status;
    this.detail = opts.detail;
    this.detailEn = opts.detailEn;
    this.fields = opts.fields ?? [];
    this.extra = opts.extra;
  }
}

export const notFound = (detail?: string) => new AppError('NOT_FOUND', { detail });
export const forbidden = (detail?: string) => new AppError('FORBIDDEN', { detail });
export const validation = (fields: FieldError[], detail?: string) =>
  new AppError('VALIDATION_FAILED', { fields, detail });

export interface ProblemDocument {
  type: string;
  title: string;
  status: number;
  code: ErrorCode;
  detail: string;
  instance?: string;
  requestId?: string;
  errors?: FieldError[];
  [k: string]: unknown;
}

export function toProblem(err: AppError, locale: Locale, requestId?: string, instance?: string): ProblemDocument {
  const entry = errorCatalogue[err.code];
  const title = locale === 'en' ? entry.en : entry.zh;
  const detail = locale === 'en' ? (err.detailEn ?? err.detail ?? entry.en) : (err.detail ?? entry.zh);
  return {
    type: `https://jiuzhu.dev/problems/${err.code.toLowerCase().replaceAll('_', '-')}`,
    title,
    status: err.status,
    code: err.code,
    detail,
    instance,
    requestId,
    ...(err.fields.length ? { errors: err.fields } : {}),
    ...(err.extra ?? {}),
  };
}

export function localeOf(acceptLanguage: string | undefined): Locale {
  if (!acceptLanguage) return 'zh';
  const first = acceptLanguage.split(',')[0]?.trim().toLowerCase() ?? '';
  return first.startsWith('en') ? 'en' : 'zh';
}
