import type { Problem } from '../../contracts/common';

/**
 * The one way the browser talks to the API: same-origin fetch with the session cookie, the CSRF token on every
 * state-changing call, the UI language as Accept-Language, and problem+json errors turned into ApiError.
 */
export interface FieldProblem {
  field: string;
  code: string;
  message: string;
}

export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly detail: string;
  readonly fields: FieldProblem[];
  readonly problem: Partial<Problem> & Record<string, unknown>;

  constructor(status: number, problem: Partial<Problem> & Record<string, unknown>) {
    super(problem.detail || problem.title || `HTTP ${status}`);
    this.status = status;
    this.code = problem.code ?? `HTTP_${status}`;
    this.detail = problem.detail ?? problem.title ?? `HTTP ${status}`;
    this.fields = problem.errors ?? [];
    this.problem = problem;
  }
}

let csrfToken: string | null = null;
let language: 'zh' | 'en' = 'zh';
let lastActivity = Date.now();
type ExpiredListener = (code: string, message: string) => void;
const expiredListeners = new Set<ExpiredListener>();

export const setCsrfToken = (t: string | null) => {
  csrfToken = t;
};
export const setApiLanguage = (l: 'zh' | 'en') => {
  language = l;
};
export const lastApiActivity = () => lastActivity;

/** Called when a signed-in call answers 401 (idle timeout, account disabled meanwhile). */
export function onSessionLost(fn: ExpiredListener): () => void {
  expiredListeners.add(fn);
  return () => expiredListeners.delete(fn);
}

const SESSION_CODES = new Set(['SESSION_EXPIRED', 'UNAUTHENTICATED', 'ACCOUNT_DISABLED']);

export interface RequestOptions {
  query?: Record<string, string | number | boolean | undefined | null>;
  headers?: Record<string, string>;
  signal?: AbortSignal;
  /** Do not broadcast a 401 (login, the first /auth/me). */
  quiet401?: boolean;
}

export function withQuery(path: string, query?: RequestOptions['query']): string {
  if (!query) return path;
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) {
    if (v === undefined || v === null || v === '') continue;
    p.set(k, String(v));
  }
  const s = p.toString();
  return s ? `${path}${path.includes('?') ? '&' : '?'}${s}` : path;
}

async function raw(method: string, path: string, body: unknown, opts: RequestOptions): Promise<Response> {
  const headers: Record<string, string> = { Accept: 'application/json', 'Accept-Language': language, ...opts.headers };
  let payload: BodyInit | undefined;
  if (body instanceof FormData) payload = body;
  else if (body !== undefined) {
    headers['Content-Type'] = 'application/json';
    payload = JSON.stringify(body);
  }
  if (method !== 'GET' && method !== 'HEAD' && csrfToken) headers['X-CSRF-Token'] = csrfToken;
  lastActivity = Date.now();
  let res: Response;
  try {
    res = await fetch(withQuery(`/api${path}`, opts.query), {
      method,
      headers,
      body: payload,
      credentials: 'same-origin',
      signal: opts.signal,
    });
  } catch (e) {
    if ((e as Error).name === 'AbortError') throw e;
    throw new ApiError(0, {
      code: 'NETWORK',
      detail: language === 'en' ? 'Cannot reach the server; check the network' : '无法连接服务器，请检查网络后重试',
    });
  }
  if (!res.ok) {
    let problem: Record<string, unknown> = {};
    try {
      problem = await res.json();
    } catch {
      problem = { detail: `HTTP ${res.status}` };
    }
    const err = new ApiError(res.status, problem);
    if (res.status === 401 && !opts.quiet401 && SESSION_CODES.has(err.code)) {
      for (const fn of expiredListeners) fn(err.code, err.detail);
    }
    throw err;
  }
  return res;
}

export async function request<T>(method: string, path: string, body?: unknown, opts: RequestOptions = {}): Promise<T> {
  const res = await raw(method, path, body, opts);
  if (res.status === 204) return undefined as T;
  const type = res.headers.get('content-type') ?? '';
  return (type.includes('json') ? await res.json() : await res.text()) as T;
}

export const api = {
  get: <T>(path: string, opts?: RequestOptions) => request<T>('GET', path, undefined, opts),
  post: <T>(path: string, body?: unknown, opts?: RequestOptions) => request<T>('POST', path, body ?? {}, opts),
  patch: <T>(path: string, body?: unknown, opts?: RequestOptions) => request<T>('PATCH', path, body ?? {}, opts),
  put: <T>(path: string, body?: unknown, opts?: RequestOptions) => request<T>('PUT', path, body ?? {}, opts),
  delete: <T>(path: string, opts?: RequestOptions) => request<T>('DELETE', path, undefined, opts),
  upload: <T>(path: string, form: FormData, opts?: RequestOptions) => request<T>('POST', path, form, opts),
};

/** Downloads a file from the API (export, error workbook, template) with the session, keeping the server's file name. */
export async function download(
  path: string,
  opts: RequestOptions & { method?: string; body?: unknown; fallbackName?: string } = {},
) {
  const res = await raw(opts.method ?? 'GET', path, opts.body, opts);
  const blob = await res.blob();
  const cd = res.headers.get('content-disposition') ?? '';
  const star = /filename\*=UTF-8''([^;]+)/i.exec(cd);
  const plain = /filename="?([^";]+)"?/i.exec(cd);
  const name = star ? decodeURIComponent(star[1]!) : plain ? plain[1]! : (opts.fallbackName ?? 'download');
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
  return name;
}
