import { z } from 'zod';
import type { FieldError, Locale } from './errors.js';

// Chinese messages by default for every zod schema (server and browser share the contracts).
z.config(z.locales.zhCN());
const en = z.locales.en();

interface FastifyZodIssue {
  keyword: string;
  instancePath: string;
  message: string;
  params: Record<string, unknown>;
}

/** Turns the validation errors of fastify-type-provider-zod into our field errors, in the caller's language. */
export function fieldErrorsFromZod(
  issues: FastifyZodIssue[],
  context: string | undefined,
  locale: Locale,
): FieldError[] {
  const out: FieldError[] = [];
  for (const i of issues) {
    const path = i.instancePath.replace(/^\//, '').split('/').filter(Boolean);
    const field =
      path.reduce((acc, p) => (/^\d+$/.test(p) ? `${acc}[${p}]` : acc ? `${acc}.${p}` : p), '') || context || '';
    if (i.keyword === 'unrecognized_keys') {
      const keys = (i.params.keys as string[] | undefined) ?? [];
      for (const k of keys) {
        out.push({
          field: field && field !== context ? `${field}.${k}` : k,
          code: 'unknown_field',
          message: locale === 'en' ? `Unknown field "${k}"` : `不允许的字段「${k}」`,
        });
      }
      continue;
    }
    let message = i.message;
    if (locale === 'en' && i.keyword !== 'custom') {
      try {
        const m = en.localeError?.({ code: i.keyword, ...i.params } as never);
        if (typeof m === 'string') message = m;
        else if (m && typeof m === 'object' && 'message' in m) message = String((m as { message: string }).message);
      } catch {
        // keep the Chinese message
      }
    }
    out.push({ field, code: i.keyword, message });
  }
  return out;
}

export { z };
