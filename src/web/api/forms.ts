import type { FormInstance } from 'antd';
import { ApiError } from './client';

/**
 * Puts a problem+json's field errors on the antd form (`members[2].idNumber` → ['members', 2, 'idNumber']) and
 * returns the message for the fields the form does not have (shown at the top of the form).
 */
export function fieldPath(field: string): (string | number)[] {
  const out: (string | number)[] = [];
  for (const part of field.split('.')) {
    const m = /^([^[\]]+)((?:\[\d+\])*)$/.exec(part);
    if (!m) {
      out.push(part);
      continue;
    }
    out.push(m[1]!);
    for (const idx of m[2]!.matchAll(/\[(\d+)\]/g)) out.push(Number(idx[1]));
  }
  return out;
}

export function applyProblem(form: FormInstance | null, err: unknown): string | null {
  if (!(err instanceof ApiError)) return err instanceof Error ? err.message : String(err);
  const unplaced: string[] = [];
  if (form && err.fields.length) {
    const known = new Set(Object.keys(form.getFieldsValue(true) ?? {}));
    const byPath = new Map<string, { name: (string | number)[]; errors: string[] }>();
    for (const f of err.fields) {
      const name = fieldPath(f.field);
      if (!known.has(String(name[0]))) {
        unplaced.push(`${f.field}: ${f.message}`);
        continue;
      }
      const key = JSON.stringify(name);
      const entry = byPath.get(key) ?? { name, errors: [] };
      entry.errors.push(f.message);
      byPath.set(key, entry);
    }
    form.setFields([...byPath.values()]);
    if (byPath.size && !unplaced.length) return err.detail;
  } else if (err.fields.length <= 5) {
    for (const f of err.fields) unplaced.push(`${f.field}: ${f.message}`);
  }
  return unplaced.length ? `${err.detail}（${unplaced.join('；')}）` : err.detail;
}
